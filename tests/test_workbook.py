"""Reading the workbook format: sheets, headers, rows, values and red rows."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.colors import Color

from conftest import ACTIVITY_HEADER, default_sheets
from generator.checks.core import load_plan
from generator.plan.model import Severity
from generator.workbook.reader import read_workbook, split_blocks


def test_reads_plan_sections_and_activities(make_workbook):
    plan = read_workbook(make_workbook())
    assert plan.municipality.text == "Testköping"
    assert plan.municipality.cell == "Plan!B2"
    assert plan.date.date == dt.date(2019, 3, 15)
    assert [s.heading.text for s in plan.sections] == ["Bakgrund", "Målgrupper", "Budskap"]
    assert [a.activity.text for a in plan.activities] == [
        "Presentation på nämndmöte", "Nyhet på intranätet", "Möte med föreningar"]
    assert [a.done for a in plan.activities] == [True, False, False]
    assert plan.findings == ()


def test_names_ignore_case_and_spaces_and_columns_any_order(make_workbook):
    sheets = default_sheets()
    sheets = {
        " plan ": sheets["Plan"],
        "AVSNITT": [[" TEXT ", "rubrik"], ["Brödtext", "Bakgrund"]],
        "aktiviteter ": [["  ansvarig", "KLAR", "aktivitet", "Tid "], ["Anna", "x", "Möte", "Maj"]],
    }
    plan = read_workbook(make_workbook(sheets))
    assert plan.sections[0].heading.text == "Bakgrund"
    assert plan.sections[0].blocks[0].text == "Brödtext"
    activity = plan.activities[0]
    assert (activity.activity.text, activity.responsible.text, activity.time.text) == ("Möte", "Anna", "Maj")
    assert activity.activity.cell == "aktiviteter !C2"
    assert activity.done


def test_title_rows_above_header_and_empty_rows_are_skipped(make_workbook):
    rows = [
        ["Aktivitetsplan för Testköping"],
        [],
        ACTIVITY_HEADER,
        ["Första", "", "", "", "", ""],
        [None, None, None],
        ["Andra"],
    ]

    def format_empty_rows(workbook):
        sheet = workbook["Aktiviteter"]
        for row in range(7, 40):
            sheet.cell(row=row, column=1).fill = PatternFill("solid", fgColor="FFFF00")

    plan = read_workbook(make_workbook(Aktiviteter=rows, style=format_empty_rows))
    assert [(a.activity.text, a.row) for a in plan.activities] == [("Första", 4), ("Andra", 6)]


def test_unknown_column_is_a_warning_and_kept_for_templates(make_workbook):
    rows = [[*ACTIVITY_HEADER, "Budget"], ["Möte", "", "", "", "", "", "5000"]]
    plan = read_workbook(make_workbook(Aktiviteter=rows))
    assert plan.extra_columns == ("Budget",)
    assert plan.activities[0].extra[0][0] == "Budget"
    assert plan.activities[0].extra[0][1].text == "5000"
    warning = plan.findings[0]
    assert warning.severity is Severity.WARNING
    assert warning.place == "Aktiviteter!G1"
    assert "Budget" in warning.message


def test_values_as_excel_shows_them(make_workbook):
    rows = [
        ["Aktivitet", "Tid", "Kanal", "Ansvarig", "Syfte och målgrupp"],
        [42, dt.datetime(2019, 3, 15, 0, 0), 3.5, "rad 1_x000D_\nrad 2", "a_x0009_b"],
        ["Text", dt.datetime(2019, 3, 15, 14, 30), 1e20, True, "ctrl_x0001_char"],
    ]

    def percent(workbook):
        workbook["Aktiviteter"]["C2"].number_format = "0.00"

    plan = read_workbook(make_workbook(Aktiviteter=rows, style=percent))
    first, second = plan.activities
    assert first.activity.text == "42"
    assert first.time.text == "2019-03-15"
    assert first.channel.text == "3,50"
    assert first.responsible.text == "rad 1\nrad 2"  # _x000D_ + LF is a CRLF
    assert first.purpose.text == "a\tb"
    assert second.time.text == "2019-03-15 14:30:00"  # openpyxl's datetime format has the seconds
    assert second.responsible.text == "SANT"
    assert second.purpose.text == "ctrlchar"


def test_formula_uses_cached_value_or_is_a_finding(make_workbook, tmp_path):
    rows = [ACTIVITY_HEADER, ["=\"Möte \"&\"ett\"", "", "", "", "", ""]]
    path = make_workbook(Aktiviteter=rows)
    plan = read_workbook(path)  # openpyxl writes formulas without cached values
    assert [str(f) for f in plan.findings] == [
        "Aktiviteter!A2: formeln har inget sparat värde. Öppna filen i Excel eller LibreOffice Calc och spara "
        "den igen, så räknas värdet ut."
    ]
    _, findings = load_plan(path)
    assert any(f.place == "Aktiviteter!A2" and f.is_error for f in findings)


def test_formula_with_cached_value_reads_the_value(tmp_path):
    import zipfile

    from conftest import write_workbook

    path = write_workbook(tmp_path / "f.xlsx", {**default_sheets(), "Aktiviteter": [
        ACTIVITY_HEADER, ["=1+1", "", "", "", "", ""]]})
    # Add the cached value Excel would have saved: <c><f>1+1</f><v>2</v></c>.
    patched = tmp_path / "g.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("sheet3.xml"):
                data = data.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>").replace(
                    b"<f>1+1</f></c>", b"<f>1+1</f><v>2</v></c>")
            target.writestr(item, data)
    plan = read_workbook(patched)
    assert plan.activities[0].activity.text == "2"
    assert plan.findings == ()


@pytest.mark.parametrize("style", [
    lambda cell: setattr(cell, "font", Font(color="FFFF0000")),
    lambda cell: setattr(cell, "font", Font(color="C00000")),
    lambda cell: setattr(cell, "fill", PatternFill("solid", fgColor="FF0000")),
    lambda cell: setattr(cell, "font", Font(color=Color(indexed=10))),
    lambda cell: setattr(cell, "font", Font(color=Color(theme=5))),  # accent2 in the 2007 theme
], ids=["rgb-font", "dark-red-font", "red-fill", "indexed-red", "theme-red"])
def test_row_coloured_red_counts_as_done(make_workbook, style):
    def colour_row(workbook):
        for cell in workbook["Aktiviteter"][3]:
            style(cell)

    plan = read_workbook(make_workbook(style=colour_row))
    assert [a.done for a in plan.activities] == [True, True, False]
    assert plan.activities[1].marked_red


def test_partly_red_or_other_colours_are_not_done(make_workbook):
    def colour(workbook):
        sheet = workbook["Aktiviteter"]
        sheet["A3"].font = Font(color="FF0000")  # only one cell of a filled row
        for cell in sheet[4]:
            cell.font = Font(color="ED7D31")  # orange

    plan = read_workbook(make_workbook(style=colour))
    assert [a.done for a in plan.activities] == [True, False, False]


@pytest.mark.parametrize("mark", ["Ja", "j", "X", "✓", "✔", "1", "Sant", "TRUE", "klar", "Gjord", "FÄRDIG", " ja "])
def test_yes_marks_done(make_workbook, mark):
    rows = [ACTIVITY_HEADER, ["Möte", "", "Mars 2019", "", "Anna", mark]]
    plan, findings = load_plan(make_workbook(Aktiviteter=rows))
    assert plan.activities[0].done
    assert findings == ()


@pytest.mark.parametrize("mark", ["", "Nej", "0", "Falskt", "nej "])
def test_no_marks_not_done(make_workbook, mark):
    rows = [ACTIVITY_HEADER, ["Möte", "", "Mars 2019", "", "Anna", mark]]
    plan, findings = load_plan(make_workbook(Aktiviteter=rows))
    assert not plan.activities[0].done
    assert findings == ()


def test_unknown_mark_is_a_located_warning(make_workbook):
    rows = [ACTIVITY_HEADER, ["Möte", "", "Mars 2019", "", "Anna", "kanske"]]
    plan, findings = load_plan(make_workbook(Aktiviteter=rows))
    assert not plan.activities[0].done
    assert [(f.place, f.severity) for f in findings] == [("Aktiviteter!F2", Severity.WARNING)]
    assert "kanske" in findings[0].message


def test_split_blocks_paragraphs_line_breaks_and_bullets():
    blocks = split_blocks("Ett\ntvå\n\n\nTre\n- a\n• b\n  * c\nslut")
    assert [(b.text, b.bullet) for b in blocks] == [
        ("Ett\ntvå", False), ("Tre", False), ("a", True), ("b", True), ("c", True), ("slut", False)]


def test_unknown_plan_field_is_warning_and_extra(make_workbook):
    rows = default_sheets()["Plan"] + [["Förvaltning", "Kultur och fritid"]]
    plan = read_workbook(make_workbook(Plan=rows))
    assert plan.extra_fields[0][0] == "Förvaltning"
    assert plan.findings[0].place == "Plan!A6"
    assert plan.findings[0].severity is Severity.WARNING


def test_text_date_is_understood(make_workbook):
    rows = [["Kommun", "X"], ["Datum", "2018-08-15"]]
    plan = read_workbook(make_workbook(Plan=rows))
    assert plan.date.date == dt.date(2018, 8, 15)


def test_shared_strings_as_excel_saves_them(make_workbook, tmp_path):
    from conftest import to_shared_strings

    excel_style = to_shared_strings(make_workbook(), tmp_path / "excel.xlsx")
    import zipfile

    with zipfile.ZipFile(excel_style) as package:
        assert b'inlineStr' not in package.read("xl/worksheets/sheet3.xml")
    plan = read_workbook(excel_style)
    assert plan.municipality.text == "Testköping"
    assert next(a.activity.text for a in plan.activities) == "Presentation på nämndmöte"
    assert plan.sections[0].blocks[1].text == "Andra stycket\nmed radbrytning."


def test_each_workbook_is_read_with_its_own_workbook_part(make_workbook):
    """The workbook part is read once per version: date system and hidden sheets never carry over."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    rows = [ACTIVITY_HEADER, ["Möte", "", dt.datetime(2019, 3, 15), "", "Anna"]]

    def mac(workbook):
        workbook.epoch = CALENDAR_MAC_1904

    def hide(workbook):
        workbook["Avsnitt"].sheet_state = "hidden"

    paths = [make_workbook(name="windows.xlsx", Aktiviteter=rows), make_workbook(name="mac.xlsx", style=mac,
                                                                                 Aktiviteter=rows),
             make_workbook(name="hidden.xlsx", style=hide, Aktiviteter=rows)]
    for path in [*paths, *paths]:
        plan = read_workbook(path)
        assert plan.activities[0].time.date == dt.date(2019, 3, 15)
        assert bool(plan.sections) is (path.name != "hidden.xlsx")
