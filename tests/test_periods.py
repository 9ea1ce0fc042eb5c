"""The Tid reader against real-world Swedish period texts, the seed's fifteen among them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.plan.periods import Period, examples, read_period

D = dt.date
PLAN_YEAR = 2018
OPEN = None

# text -> (start, end); end None is an open end. The plan's year is 2018 where a text has none.
READABLE = [
    # The seed's Tid column, as typed there (with its line break and parenthesis).
    ("Våren 2018", D(2018, 1, 1), D(2018, 6, 30)),
    ("Höst 2018 –\npågående", D(2018, 8, 1), OPEN),
    ("Höst - pågående", D(2018, 8, 1), OPEN),
    ("Höst 2018 – pågående", D(2018, 8, 1), OPEN),
    ("September 2018", D(2018, 9, 1), D(2018, 9, 30)),
    ("Oktober 2018", D(2018, 10, 1), D(2018, 10, 31)),
    ("Januari 2019", D(2019, 1, 1), D(2019, 1, 31)),
    ("Prel. Mars 2019 (när avtal är på plats).", D(2019, 3, 1), D(2019, 3, 31)),
    ("Mars 2019", D(2019, 3, 1), D(2019, 3, 31)),
    ("Mars 2019 – löpande", D(2019, 3, 1), OPEN),
    ("April 2019", D(2019, 4, 1), D(2019, 4, 30)),
    ("April 2019 - löpande", D(2019, 4, 1), OPEN),
    # Months and abbreviations, with and without year.
    ("mars 2019", D(2019, 3, 1), D(2019, 3, 31)),
    ("Okt 2018", D(2018, 10, 1), D(2018, 10, 31)),
    ("okt. 2018", D(2018, 10, 1), D(2018, 10, 31)),
    ("Sept 2019", D(2019, 9, 1), D(2019, 9, 30)),
    ("febr 2020", D(2020, 2, 1), D(2020, 2, 29)),
    ("FEBRUARI 2019", D(2019, 2, 1), D(2019, 2, 28)),
    ("december", D(2018, 12, 1), D(2018, 12, 31)),
    ("i maj", D(2018, 5, 1), D(2018, 5, 31)),
    ("under juni 2019", D(2019, 6, 1), D(2019, 6, 30)),
    ("senast april 2019", D(2019, 4, 1), D(2019, 4, 30)),
    ("början av mars 2019", D(2019, 3, 1), D(2019, 3, 31)),
    ("slutet av augusti", D(2018, 8, 1), D(2018, 8, 31)),
    ("ca nov 2018", D(2018, 11, 1), D(2018, 11, 30)),
    # Seasons and school terms.
    ("Hösten 2018", D(2018, 8, 1), D(2018, 12, 31)),
    ("Höst 2018", D(2018, 8, 1), D(2018, 12, 31)),
    ("våren", D(2018, 1, 1), D(2018, 6, 30)),
    ("sommaren 2019", D(2019, 6, 1), D(2019, 8, 31)),
    ("Sommar 2019", D(2019, 6, 1), D(2019, 8, 31)),
    ("vintern 2019", D(2018, 12, 1), D(2019, 2, 28)),
    ("vintern 2018/2019", D(2018, 12, 1), D(2019, 2, 28)),
    ("VT 2019", D(2019, 1, 1), D(2019, 6, 30)),
    ("HT19", D(2019, 8, 1), D(2019, 12, 31)),
    ("hösten 2018 – våren 2019", D(2018, 8, 1), D(2019, 6, 30)),
    ("höst 2018 - vår", D(2018, 8, 1), D(2019, 6, 30)),
    # Quarters.
    ("Q3 2019", D(2019, 7, 1), D(2019, 9, 30)),
    ("q1", D(2018, 1, 1), D(2018, 3, 31)),
    ("kvartal 3", D(2018, 7, 1), D(2018, 9, 30)),
    ("Kvartal 4 2019", D(2019, 10, 1), D(2019, 12, 31)),
    ("kv 2 2019", D(2019, 4, 1), D(2019, 6, 30)),
    ("Q1–Q2 2019", D(2019, 1, 1), D(2019, 6, 30)),
    # Weeks (ISO weeks, Monday to Sunday).
    ("v. 12", D(2018, 3, 19), D(2018, 3, 25)),
    ("v12", D(2018, 3, 19), D(2018, 3, 25)),
    ("V 12 2019", D(2019, 3, 18), D(2019, 3, 24)),
    ("vecka 12–14 2019", D(2019, 3, 18), D(2019, 4, 7)),
    ("vecka 1 2019", D(2018, 12, 31), D(2019, 1, 6)),
    ("veckorna 40-42", D(2018, 10, 1), D(2018, 10, 21)),
    # Dates.
    ("2019-03-15", D(2019, 3, 15), D(2019, 3, 15)),
    ("15 mars 2019", D(2019, 3, 15), D(2019, 3, 15)),
    ("15/3", D(2018, 3, 15), D(2018, 3, 15)),
    ("15/3/2019", D(2019, 3, 15), D(2019, 3, 15)),
    ("15–20 mars 2019", D(2019, 3, 15), D(2019, 3, 20)),
    ("2019-03-15 – 2019-04-01", D(2019, 3, 15), D(2019, 4, 1)),
    ("1 april - 15 maj 2019", D(2019, 4, 1), D(2019, 5, 15)),
    # Ranges and open ends.
    ("mars till maj 2019", D(2019, 3, 1), D(2019, 5, 31)),
    ("mars–april", D(2018, 3, 1), D(2018, 4, 30)),
    ("nov – feb 2019", D(2018, 11, 1), D(2019, 2, 28)),
    ("Januari 2019 - Mars 2019", D(2019, 1, 1), D(2019, 3, 31)),
    ("okt 2018 t.o.m. jan 2019", D(2018, 10, 1), D(2019, 1, 31)),
    ("från maj 2019 – tills vidare", D(2019, 5, 1), OPEN),
    ("Oktober 2018 och framåt", D(2018, 10, 1), OPEN),
    ("fr.o.m. september 2018", D(2018, 9, 1), OPEN),
    ("från maj", D(2018, 5, 1), OPEN),
    ("2019", D(2019, 1, 1), D(2019, 12, 31)),
    ("2019–2020", D(2019, 1, 1), D(2020, 12, 31)),
]

UNREADABLE = [
    "snart",
    "mars 19",            # 19th of March or 2019? ambiguous: not guessed
    "när avtalet är klart",
    "Vecka 60",
    "Q5 2019",
    "30 februari 2019",
    "maj 2019 – mars 2019",
    "2019-13-01",
    "efter sommaren?",
    "3",
    "v.",
    "mars 1850",
]


@pytest.mark.parametrize(("text", "start", "end"), READABLE, ids=[t for t, *_ in READABLE])
def test_readable_periods(text, start, end):
    reading = read_period(text, PLAN_YEAR)
    assert reading.problem == ""
    assert reading.period is not None
    assert (reading.period.start, reading.period.end) == (start, end)


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_texts_are_problems_with_an_example(text):
    reading = read_period(text, PLAN_YEAR)
    assert reading.period is None
    assert examples(PLAN_YEAR) in reading.problem


def test_table_has_at_least_sixty_texts():
    assert len(READABLE) + len(UNREADABLE) >= 60


@pytest.mark.parametrize(("text", "assumed"), [
    ("mars", True), ("Höst - pågående", True), ("v. 12", True), ("mars 2019", False),
    ("mars – maj 2019", False), ("löpande", False),
])
def test_a_missing_year_is_taken_from_the_plan_and_marked(text, assumed):
    period = read_period(text, PLAN_YEAR).period
    assert period is not None and period.year_assumed is assumed


def test_without_a_plan_year_a_missing_year_is_a_problem():
    reading = read_period("mars", None)
    assert reading.period is None and "året saknas" in reading.problem


def test_running_alone_spans_the_whole_plan():
    assert read_period("löpande", PLAN_YEAR).period == Period(None, None)
    assert read_period("Pågående", PLAN_YEAR).period == Period(None, None)


def test_a_date_cell_is_its_own_day():
    day = D(2019, 3, 15)
    assert read_period("2019-03-15", None, cell_date=day).period == Period(day, day)


def test_empty_text_is_no_period_and_no_problem():
    assert read_period("  ", PLAN_YEAR) == read_period("", PLAN_YEAR)
    assert read_period("", PLAN_YEAR).period is None and read_period("", PLAN_YEAR).problem == ""


@given(st.text(max_size=60))
def test_any_text_gives_a_period_or_a_problem(text):
    reading = read_period(text, PLAN_YEAR)
    if reading.period is None:
        assert (reading.problem != "") == bool(text.strip())
    else:
        period = reading.period
        assert period.start is None or period.end is None or period.start <= period.end


def test_a_remembered_reading_follows_the_plan_year_and_the_cell_date():
    """Readings are remembered per text and year: another plan's year or a date cell is never mixed in."""
    assert read_period("mars", 2019).period == Period(dt.date(2019, 3, 1), dt.date(2019, 3, 31), True)
    assert read_period("mars", 2020).period == Period(dt.date(2020, 3, 1), dt.date(2020, 3, 31), True)
    assert read_period("mars", None).period is None
    day = dt.date(2021, 5, 4)
    assert read_period("mars", 2020, day).period == Period(day, day)
    assert read_period("mars", 2019).period == Period(dt.date(2019, 3, 1), dt.date(2019, 3, 31), True)
