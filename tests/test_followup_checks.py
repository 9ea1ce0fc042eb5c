"""Indikator, Målvärde and Utfall are read; check warns when a period has ended with a Målvärde but no Utfall."""

from __future__ import annotations

import datetime as dt

from conftest import ACTIVITY_HEADER, default_sheets, write_workbook
from generator.checks.core import check_plan
from generator.plan.dates import follow_up_date, reference_day
from generator.workbook.reader import read_workbook

HEADER = [*ACTIVITY_HEADER, "Indikator", "Målvärde", "Utfall"]
ROWS = [
    ["Nämndmöte", "", "Mars 2019", "Möte", "Anna", "Ja", "Nämnder informerade", "2", "2"],
    ["Webbsida", "", "April 2019", "Webb", "Bo", "", "Besök", "500", ""],          # ended, no Utfall
    ["Föreningsträff", "", "Hösten 2019", "Möte", "Bo", "", "Deltagare", "40", ""],  # not ended
    ["Nyhet", "", "Mars 2019 – löpande", "Intranät", "Bo", "", "Läsningar", "300", ""],  # open end
    ["Film", "", "Mars 2019", "Webb", "Bo", "", "Visningar", "", ""],              # no Målvärde
]


def _plan(tmp_path, follow_up=None, rows=ROWS, header=HEADER):
    plan_rows = [*default_sheets()["Plan"]]
    if follow_up is not None:
        plan_rows.append(["Uppföljningsdatum", follow_up])
    sheets = {**default_sheets(), "Plan": plan_rows, "Aktiviteter": [header, *rows]}
    return read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))


def _followup(plan):
    return [(f.place, f.message) for f in check_plan(plan) if "Utfall" in f.message or "Uppföljning" in f.message]


def test_columns_are_read(tmp_path):
    plan = _plan(tmp_path, dt.date(2019, 6, 30))
    first = plan.activities[0]
    assert (first.indicator.text, first.target_value.text, first.outcome.text) == ("Nämnder informerade", "2", "2")
    assert first.outcome.cell == "Aktiviteter!I2"
    assert follow_up_date(plan) == dt.date(2019, 6, 30) and plan.follow_up_date.cell == "Plan!B6"


def test_ended_with_target_and_no_outcome_is_warned(tmp_path):
    plan = _plan(tmp_path, dt.date(2019, 6, 30))
    assert _followup(plan) == [
        ("Aktiviteter!I3", "perioden ”April 2019” är slut men Utfall saknas (Målvärde ”500”); skriv vad det blev"),
    ]


def test_reference_day_moves_what_has_ended(tmp_path):
    assert _followup(_plan(tmp_path, "2019-04-15")) == []  # April not over yet: ISO text is a date too
    later = _plan(tmp_path, dt.date(2020, 1, 15))
    assert [place for place, _ in _followup(later)] == ["Aktiviteter!I3", "Aktiviteter!I4"]
    assert reference_day(later, dt.date(2030, 1, 1)) == dt.date(2020, 1, 15)


def test_without_follow_up_date_today_is_the_reference(tmp_path):
    plan = _plan(tmp_path)
    assert reference_day(plan, dt.date(2019, 4, 2)) == dt.date(2019, 4, 2)
    assert [place for place, _ in _followup(plan)] == ["Aktiviteter!I3", "Aktiviteter!I4"]  # today is after 2019


def test_without_utfall_column_the_malvarde_cell_is_named(tmp_path):
    header = HEADER[:-1]
    plan = _plan(tmp_path, dt.date(2019, 6, 30), rows=[r[:-1] for r in ROWS], header=header)
    assert [place for place, _ in _followup(plan)] == ["Aktiviteter!H2", "Aktiviteter!H3"]  # done or not


def test_plan_options_that_cannot_be_read(tmp_path):
    plan_rows = [*default_sheets()["Plan"], ["Sortering", "Datum"], ["Uppföljningsdatum", "efter sommaren"]]
    plan = read_workbook(write_workbook(tmp_path / "plan.xlsx", {**default_sheets(), "Plan": plan_rows}))
    findings = {f.place: f for f in check_plan(plan)}
    assert findings["Plan!B6"].message == ("Sortering ”Datum” förstås inte; skriv Arbetsbok eller Tid. Tabellen står "
                                           "i arbetsbokens ordning.")
    assert findings["Plan!B7"].message.startswith("Uppföljningsdatum ”efter sommaren” är inget datum")
    assert not findings["Plan!B6"].is_error and not findings["Plan!B7"].is_error
    ok = [*default_sheets()["Plan"], ["Sortering", "tid"]]
    plan = read_workbook(write_workbook(tmp_path / "ok.xlsx", {**default_sheets(), "Plan": ok}))
    assert plan.sort_order.text == "tid" and not [f for f in check_plan(plan) if "Sortering" in f.message]
