"""Values as Excel shows them: numbers, dates, text cleaning, yes and no."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.plan.values import (
    clean_text,
    counted,
    format_number,
    long_date,
    normalize_name,
    parse_done,
    parse_iso_date,
)


@pytest.mark.parametrize(("value", "number_format", "shown"), [
    (42, "General", "42"), (42.0, "General", "42"), (3.5, "General", "3,5"), (0.1, "General", "0,1"),
    (1e-7, "General", "0,0000001"), (3.5, "0.00", "3,50"), (0.25, "0%", "25%"), (0.125, "0.0%", "12,5%"),
    (True, "General", "SANT"), (-2.0, "General", "-2"),
])
def test_numbers_as_excel_shows_them(value, number_format, shown):
    assert format_number(value, number_format) == shown


def test_dates_in_swedish_long_form_and_as_text():
    assert long_date(dt.date(2018, 8, 15)) == "15 augusti 2018"
    assert long_date(dt.date(2019, 3, 1)) == "1 mars 2019"
    assert parse_iso_date("2018-08-15") == dt.date(2018, 8, 15)
    assert parse_iso_date(" 2018-08-15 10:30 ") == dt.date(2018, 8, 15)
    assert parse_iso_date("2018-02-30") is None
    assert parse_iso_date("augusti 2018") is None


def test_text_cleaning():
    assert clean_text("a_x000D_\nb") == "a\nb"
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("x\x00y\x0bz\ufffe") == "xyz"
    assert clean_text("_x0041__x00e5_") == "Aå"
    assert clean_text("emoji 🎉 \u200b\ufeff") == "emoji 🎉 \u200b\ufeff"
    assert normalize_name("  Syfte  och\tMÅLGRUPP ") == "syfte och målgrupp"


@pytest.mark.parametrize(("text", "done"), [("Ja", True), ("✔", True), ("färdig", True), ("", False),
                                             ("Nej", False), ("0", False), ("kanske", None)])
def test_yes_and_no(text, done):
    assert parse_done(text) is done


def test_counts_take_their_noun_in_the_singular_only_for_one():
    assert counted(1, "varning", "varningar") == "1 varning"
    assert counted(0, "varning", "varningar") == "0 varningar"
    assert counted(10_000, "plan", "planer") == "10 000 planer"
