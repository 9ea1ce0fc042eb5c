"""check reads Tid as a period: unreadable cells, the year taken from Datum (said once), missing Tid/Ansvarig."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ACTIVITY_HEADER, ROOT, default_sheets, write_workbook
from generator.checks.core import check_plan
from generator.delivery.mail import upcoming
from generator.flows.generating import generate
from generator.plan.dates import activity_period, plan_year
from generator.plan.periods import Period
from generator.workbook.reader import read_workbook


def _plan(tmp_path, rows, plan_rows=None):
    sheets = {**default_sheets(), "Aktiviteter": [ACTIVITY_HEADER, *rows]}
    if plan_rows is not None:
        sheets["Plan"] = plan_rows
    return read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))


def _warnings(plan):
    return [(f.place, f.message) for f in check_plan(plan) if not f.is_error]


def test_unreadable_tid_is_a_warning_naming_the_cell(tmp_path):
    plan = _plan(tmp_path, [["Möte", "", "snart", "Möte", "Anna", ""],
                            ["Brev", "", "Mars 2019", "Post", "Bo", ""]])
    (place, message), = _warnings(plan)
    assert place == "Aktiviteter!C2"
    assert message.startswith("Tid ”snart” kan inte läsas som en period: ”snart” förstås inte; skriv t.ex. ”mars 2019”")
    assert message.endswith("Texten visas i dokumentet som den står.")


def test_unreadable_tid_still_shows_as_typed(tmp_path):
    sheets = {**default_sheets(), "Aktiviteter": [ACTIVITY_HEADER, ["Möte", "", "när det passar", "Möte", "Anna", ""]]}
    output = tmp_path / "plan.docx"
    generate(write_workbook(tmp_path / "plan.xlsx", sheets), output)
    table = next(t for t in Document(str(output)).tables if t.rows[0].cells[0].text == "Aktivitet")
    assert table.rows[1].cells[2].text == "när det passar"


def test_year_from_datum_is_said_once(tmp_path):
    plan = _plan(tmp_path, [["Möte", "", "april", "Möte", "Anna", ""],
                            ["Brev", "", "Höst - pågående", "Post", "Bo", ""],
                            ["Film", "", "Mars 2019", "Webb", "Bo", ""]])
    assert _warnings(plan) == [("Aktiviteter!C2", "Tid utan år räknas till 2019, planens år (Plan!B3)")]
    assert activity_period(plan.activities[0], plan) == Period(dt.date(2019, 4, 1), dt.date(2019, 4, 30), True)
    assert activity_period(plan.activities[1], plan) == Period(dt.date(2019, 8, 1), None, True)


def test_without_datum_the_year_is_this_year(tmp_path):
    plan = _plan(tmp_path, [["Möte", "", "april", "Möte", "Anna", ""]], plan_rows=[["Kommun", "Testköping"]])
    assert plan_year(plan, dt.date(2030, 5, 1)) == 2030
    assert activity_period(plan.activities[0], plan, dt.date(2030, 5, 1)).start == dt.date(2030, 4, 1)
    (place, message), = _warnings(plan)
    assert place == "Aktiviteter!C2"
    assert message == f"Tid utan år räknas till {dt.date.today().year}, i år (Datum saknas)"


def test_datum_without_a_year_is_named_not_called_missing(tmp_path):
    plan = _plan(tmp_path, [["Möte", "", "april", "Möte", "Anna", ""]],
                 plan_rows=[["Kommun", "Testköping"], ["Datum", "15 augusti"]])
    (datum, _), (place, message) = _warnings(plan)
    assert datum == "Plan!B2"  # Datum itself is pointed out as well (test_plan_year)
    assert place == "Aktiviteter!C2"
    assert message == (f"Tid utan år räknas till {dt.date.today().year}, "
                       "i år (Plan!B2: Datum ”15 augusti” har inget år)")


def test_date_cells_and_open_ends(tmp_path):
    plan = _plan(tmp_path, [["Möte", "", dt.datetime(2019, 3, 20), "Möte", "Anna", ""],
                            ["Webb", "", "löpande", "Webb", "Bo", ""]])
    assert activity_period(plan.activities[0], plan) == Period(dt.date(2019, 3, 20), dt.date(2019, 3, 20))
    assert activity_period(plan.activities[1], plan) == Period(None, None)
    assert _warnings(plan) == []


def test_missing_tid_and_ansvarig_one_warning_per_cell(tmp_path):
    plan = _plan(tmp_path, [["Möte", "", "", "Möte", "", ""],
                            ["Brev", "", "Mars 2019", "Post", "", "Ja"],
                            ["Film", "", "", "Webb", "Bo", ""]])
    assert _warnings(plan) == [
        ("Aktiviteter!C2", "Tid saknas; skriv när aktiviteten görs"),
        ("Aktiviteter!C4", "Tid saknas; skriv när aktiviteten görs"),
        ("Aktiviteter!E2", "Ansvarig saknas; skriv vem som ser till att aktiviteten blir gjord"),
        ("Aktiviteter!E3", "Ansvarig saknas; skriv vem som ser till att aktiviteten blir gjord"),
    ]
    assert all(not f.is_error for f in check_plan(plan))


def test_missing_columns_are_said_once(tmp_path):
    sheets = {**default_sheets(), "Aktiviteter": [["Aktivitet", "Kanal"], ["Möte", "Möte"], ["Brev", "Post"]]}
    plan = read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    assert _warnings(plan) == [
        ("Aktiviteter", "kolumnen Tid saknas; skriv när aktiviteten görs för varje aktivitet"),
        ("Aktiviteter", "kolumnen Ansvarig saknas; skriv vem som ser till att aktiviteten blir gjord för varje "
                        "aktivitet"),
    ]


def test_upcoming_reads_periods(tmp_path):
    plan = _plan(tmp_path, [
        ["Vecka", "", "v. 12 2019", "Möte", "Anna", ""],          # 18–24 March: inside
        ["Kvartal", "", "Q2 2019", "Webb", "Bo", ""],             # starts 1 April: inside
        ["Pågår", "", "Höst 2018 – pågående", "Webb", "Bo", ""],  # started long ago, no end: not this month
        ["Slutar", "", "Hösten 2018 – mars 2019", "Webb", "Bo", ""],  # ends 31 March: inside
        ["Oläsligt", "", "snart", "Webb", "Bo", ""],
    ])
    assert [a.activity.text for a in upcoming(plan, dt.date(2019, 3, 10))] == ["Vecka", "Kvartal", "Slutar"]


@pytest.mark.slow  # the installed command in new processes
def test_example_has_no_unintended_warnings():
    result = subprocess.run([str(Path(sys.executable).parent / "aktivitetsplan"), "check", str(ROOT / "data" /
                             "aktivitetsplan.xlsx")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line.strip() for line in (result.stdout + result.stderr).splitlines() if line.startswith("  ")]
    assert warnings == ["Aktiviteter!C5: Tid utan år räknas till 2018, planens år (Plan!B4)"]  # "Höst - pågående"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_tid_text_is_a_period_or_one_warning_on_its_cell(text):
    from generator.checks.content import content_findings
    from generator.plan.model import Activity, Plan, Value

    activity = Activity(2, Value("Möte", "Aktiviteter!A2"), time=Value(text, "Aktiviteter!C2"),
                        responsible=Value("Anna", "Aktiviteter!E2"))
    plan = Plan(source="plan.xlsx", date=Value("2019-03-15", "Plan!B3", dt.date(2019, 3, 15)), activities=(activity,))
    on_cell = [f for f in content_findings(plan, dt.date(2019, 3, 15)) if f.place == "Aktiviteter!C2"]
    assert all(not f.is_error for f in on_cell)
    if not text.strip():
        assert [f.message for f in on_cell] == ["Tid saknas; skriv när aktiviteten görs"]
    elif activity_period(activity, plan) is None:
        assert len(on_cell) == 1 and "kan inte läsas som en period" in on_cell[0].message
    else:
        assert all("kan inte läsas" not in f.message for f in on_cell)


def test_a_huge_tid_is_one_short_warning_and_not_parsed(tmp_path):
    plan = _plan(tmp_path, [["Möte", "", "ord " * 5000, "Möte", "Anna", ""]])
    (place, message), = _warnings(plan)
    assert place == "Aktiviteter!C2" and len(message) < 300
    assert message.startswith("Tid ”ord ord") and "texten är för lång för att vara en tid" in message
    assert activity_period(plan.activities[0], plan) is None
