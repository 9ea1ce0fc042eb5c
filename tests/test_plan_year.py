"""One rule for the plan's year: check, document, calendar, reminders and mail count a Tid without a year alike."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from docx.oxml.ns import qn
from icalendar import Calendar

from conftest import ACTIVITY_HEADER, default_sheets
from generator.delivery.mail import body
from generator.flows.checking import check_workbook
from generator.flows.generating import generate
from generator.flows.reminding import due_activities
from generator.plan.dates import PlanYear, activity_period, plan_year, read_plan_year
from generator.plan.model import Activity, Plan, Value
from generator.plan.numformat import SHORT_MONTHS

APRIL = dt.date(2025, 4, 20)   # a reference day shortly before the activity of "maj"
SHADED = {"2E75B6", "C00000"}  # the timeline's fill of a planned and of a done period
MAY_NO_YEAR = "Filmvisning i maj"
MAY_2024 = "Kontroll maj 2024"


def sheets_with_datum(datum: object) -> dict[str, list[list[object]]]:
    """The conftest plan with Datum as given and two activities: Tid "maj" and the control "maj 2024"."""
    sheets = default_sheets()
    sheets["Plan"] = [row if row[0] != "Datum" else ["Datum", datum] for row in sheets["Plan"]]
    sheets["Aktiviteter"] = [
        ACTIVITY_HEADER,
        [MAY_NO_YEAR, "Invånare ser filmen", "maj", "Bio", "Anna", ""],
        [MAY_2024, "Föregående år", "maj 2024", "Webb", "Bo", ""],
    ]
    return sheets


@pytest.fixture
def mars_2025(make_workbook):
    """A workbook as a person writes it: Plan!Datum is the text "mars 2025" (Plan!B3)."""
    return make_workbook(sheets_with_datum("mars 2025"))


def year_warnings(workbook) -> list[str]:
    return [str(f) for f in check_workbook(workbook).findings if "Tid utan år" in f.message or "Datum" in f.message]


def fill(cell) -> str:
    shd = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
    return shd.get(qn("w:fill")) if shd is not None else ""


def timeline_months(document, activity: str) -> list[tuple[int, int]]:
    """The (year, month) columns the activity's row is shaded in, read from the timeline's two header rows."""
    table = next(t for t in document.tables if len(t.rows) > 2
                 and [c.text for c in t.rows[0].cells[:2]] == ["Aktivitet", "Tid"]
                 and t.rows[1].cells[2].text in SHORT_MONTHS)
    years = [int(c.text) for c in table.rows[0].cells[2:]]   # a merged year cell repeats over its columns
    months = [SHORT_MONTHS.index(c.text) + 1 for c in table.rows[1].cells[2:]]
    [row] = [r for r in table.rows[2:] if r.cells[0].text.startswith(activity)]
    return [(y, m) for y, m, cell in zip(years, months, row.cells[2:], strict=True) if fill(cell) in SHADED]


def calendar_starts(path) -> dict[str, dt.date]:
    return {str(e["SUMMARY"]): e.decoded("DTSTART") for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


# -- the rule ------------------------------------------------------------------------


@pytest.mark.parametrize(("datum", "expected"), [
    (Value("15 mars 2025", "Plan!B3", dt.date(2025, 3, 15)), PlanYear(2025, "date")),   # a date cell
    (Value("2025-03-15", "Plan!B3"), PlanYear(2025, "date")),                           # ISO text
    (Value("mars 2025", "Plan!B3"), PlanYear(2025, "text")),
    (Value("Våren 2025", "Plan!B3"), PlanYear(2025, "text")),
    (Value("Reviderad 1 juni 2199", "Plan!B3"), PlanYear(2199, "text")),
    (Value("15 augusti", "Plan!B3"), PlanYear(2031, "today")),
    (Value("version 12025", "Plan!B3"), PlanYear(2031, "today")),   # not a year as a whole word
    (Value("år 1850", "Plan!B3"), PlanYear(2031, "today")),         # before 1900: not a plan's year
    (Value(""), PlanYear(2031, "today")),
])
def test_the_plans_year_has_three_sources(datum, expected):
    activity = Activity(2, Value("Film"), time=Value("maj", "Aktiviteter!C2"))
    plan = Plan("plan.xlsx", date=datum, activities=(activity,))
    today = dt.date(2031, 1, 2)
    assert read_plan_year(plan, today) == expected
    assert plan_year(plan, today) == expected.year
    period = activity_period(activity, plan, today)
    assert period is not None and (period.start, period.end) == (dt.date(expected.year, 5, 1),
                                                                  dt.date(expected.year, 5, 31))


@pytest.mark.parametrize(("datum", "message"), [
    (dt.date(2025, 3, 15), "Tid utan år räknas till 2025, planens år (Plan!B3)"),
    ("2025-03-15", "Tid utan år räknas till 2025, planens år (Plan!B3)"),
    ("mars 2025", "Tid utan år räknas till 2025, året i Datum (Plan!B3: ”mars 2025”)"),
    ("15 augusti", f"Tid utan år räknas till {dt.date.today().year}, i år (Plan!B3: Datum ”15 augusti” har inget år)"),
])
def test_check_says_where_the_year_came_from(make_workbook, datum, message):
    said = year_warnings(make_workbook(sheets_with_datum(datum)))
    # A Datum with neither a date nor a year is itself pointed out, in its own cell.
    unreadable = [f"Plan!B3: Datum ”{datum}” kan inte läsas som ett datum med år; skriv t.ex. 2019-03-15. Dokumentet "
                  "visar texten som den står, och Tid utan år räknas till i år."] if "har inget år" in message else []
    assert said == [*unreadable, f"Aktiviteter!C2: {message}"]


# -- every feature agrees --------------------------------------------------------------


def test_check_names_2025_from_the_text_of_datum(mars_2025):
    assert year_warnings(mars_2025) == ["Aktiviteter!C2: Tid utan år räknas till 2025, året i Datum "
                                        "(Plan!B3: ”mars 2025”)"]


def test_document_and_calendar_put_maj_in_may_2025(mars_2025, tmp_path):
    output, calendar = tmp_path / "plan.docx", tmp_path / "plan.ics"
    result = generate(mars_2025, output, today=APRIL, ics=calendar)
    assert not any("har inget år" in f.message or "kalendern" in f.message for f in result.findings)
    document = Document(str(output))
    assert timeline_months(document, MAY_NO_YEAR) == [(2025, 5)]
    assert timeline_months(document, MAY_2024) == [(2024, 5)]
    assert calendar_starts(calendar) == {MAY_NO_YEAR: dt.date(2025, 5, 1), MAY_2024: dt.date(2024, 5, 1)}


def test_reminders_count_maj_as_may_2025(mars_2025):
    plan = check_workbook(mars_2025).plan
    due, findings = due_activities(plan, today=APRIL)
    assert findings == []
    by_name = {d.text: d for d in due}
    assert (by_name[MAY_NO_YEAR].start, by_name[MAY_NO_YEAR].end) == (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    assert not by_name[MAY_NO_YEAR].overdue
    assert by_name[MAY_2024].overdue and by_name[MAY_2024].end == dt.date(2024, 5, 31)
    late, _ = due_activities(plan, today=dt.date(2026, 4, 20))   # a year on, "maj" is May 2025: overdue
    assert {d.text: d.overdue for d in late} == {MAY_NO_YEAR: True, MAY_2024: True}


@pytest.mark.parametrize(("today", "listed"), [
    (APRIL, True), (dt.date(2025, 5, 10), True),
    (dt.date(2025, 6, 10), False), (dt.date(2026, 4, 20), False),   # May 2025 is past, whatever year it is now
])
def test_mails_coming_month_lists_maj_in_april_and_may_2025(mars_2025, today, listed):
    text = body(check_workbook(mars_2025).plan, today, with_pdf=False)
    assert MAY_2024 not in text
    if listed:
        coming = text.split("Planerat den kommande månaden:\n", 1)[1].split("\n\n", 1)[0]
        assert coming == f"- {MAY_NO_YEAR} (maj, Anna)"
    else:
        assert MAY_NO_YEAR not in text and "Inga aktiviteter är planerade den kommande månaden." in text


def test_a_datum_without_a_year_is_this_year_everywhere(make_workbook, tmp_path):
    """Datum "15 augusti": check says this year, and the calendar (no longer empty of "maj") agrees."""
    sheets = sheets_with_datum("15 augusti")
    sheets["Aktiviteter"] = sheets["Aktiviteter"][:2]   # "maj" only: the timeline stays one of months
    workbook = make_workbook(sheets)
    today = dt.date.today()
    _, warning = year_warnings(workbook)  # the first points out Datum itself (test_check_says_where_…)
    assert f"räknas till {today.year}, i år" in warning
    calendar = tmp_path / "plan.ics"
    generate(workbook, tmp_path / "plan.docx", today=today, ics=calendar)
    assert calendar_starts(calendar)[MAY_NO_YEAR] == dt.date(today.year, 5, 1)
    assert timeline_months(Document(str(tmp_path / "plan.docx")), MAY_NO_YEAR) == [(today.year, 5)]
