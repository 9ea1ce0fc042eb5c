"""Hidden rows, columns and sheets: what is left out, what is read, and what is said about it."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import (
    ACTIVITY_HEADER,
    default_sheets,
    needs_calc,
    needs_libreoffice,
    resave_with_libreoffice,
    table_rows,
)
from generator.checks.core import load_plan
from generator.plan.model import Severity
from generator.workbook.reader import read_workbook

ROWS = [
    ACTIVITY_HEADER,
    ["Presentation", "Politiker", "Våren", "Möte", "Anna", ""],
    ["INSTÄLLD: Mässa", "Alla", "Maj", "Mässa", "Bo", ""],
    ["Nyhet", "Alla", "Juni", "Intranät", "Cia", ""],
]


HIDDEN_AVSNITT = ("plan.xlsx: bladet Avsnitt är dolt, och planen behöver det; visa det i Excel (Format > Dölj och "
                  "visa) eller LibreOffice (Blad > Visa blad)")


def warnings_of(plan):
    return [str(f) for f in plan.findings if f.severity is Severity.WARNING]


def hide_rows(sheet_name, *rows):
    def style(workbook):
        for row in rows:
            workbook[sheet_name].row_dimensions[row].hidden = True
    return style


def test_hidden_row_is_left_out_and_named(make_workbook):
    plan = read_workbook(make_workbook(Aktiviteter=ROWS, style=hide_rows("Aktiviteter", 3)))
    assert [a.activity.text for a in plan.activities] == ["Presentation", "Nyhet"]
    assert warnings_of(plan) == ["Aktiviteter!A3: dold rad, tas inte med"]


def test_warning_names_the_first_column_of_the_table(make_workbook):
    rows = [[None, *r] for r in ROWS]
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=hide_rows("Aktiviteter", 4)))
    assert [a.activity.text for a in plan.activities] == ["Presentation", "INSTÄLLD: Mässa"]
    assert warnings_of(plan) == ["Aktiviteter!B4: dold rad, tas inte med"]


def test_hidden_empty_row_says_nothing(make_workbook):
    rows = [*ROWS[:2], [None, None, "", None], *ROWS[2:]]

    def style(workbook):
        sheet = workbook["Aktiviteter"]
        sheet.row_dimensions[3].hidden = True
        sheet["B3"].value = ""  # a styled, empty cell in the hidden row
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    assert len(plan.activities) == 3
    assert warnings_of(plan) == []


def test_rows_hidden_by_a_filter_are_left_out(make_workbook):
    def style(workbook):
        sheet = workbook["Aktiviteter"]
        sheet.auto_filter.ref = "A1:F4"
        sheet.auto_filter.add_filter_column(0, ["Presentation", "Nyhet"])
        sheet.row_dimensions[3].hidden = True
    plan = read_workbook(make_workbook(Aktiviteter=ROWS, style=style))
    assert [a.activity.text for a in plan.activities] == ["Presentation", "Nyhet"]
    assert warnings_of(plan) == ["Aktiviteter!A3: dold rad, tas inte med"]


def test_rows_in_a_collapsed_group_are_hidden_rows(make_workbook):
    def style(workbook):
        workbook["Aktiviteter"].row_dimensions.group(3, 4, outline_level=1, hidden=True)
    plan = read_workbook(make_workbook(Aktiviteter=ROWS, style=style))
    assert [a.activity.text for a in plan.activities] == ["Presentation"]
    assert warnings_of(plan) == ["Aktiviteter!A3: dold rad, tas inte med", "Aktiviteter!A4: dold rad, tas inte med"]


def test_hidden_rows_on_every_sheet(make_workbook):
    sheets = default_sheets()
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna@example.se"], ["Gammal", "gammal@example.se"]]

    def style(workbook):
        workbook["Plan"].row_dimensions[5].hidden = True  # Slogan
        workbook["Avsnitt"].row_dimensions[3].hidden = True  # Målgrupper
        workbook["Sändlista"].row_dimensions[3].hidden = True
    plan = read_workbook(make_workbook(sheets, style=style))
    assert not plan.slogan
    assert [s.heading.text for s in plan.sections] == ["Bakgrund", "Budskap"]
    assert [r.name.text for r in plan.recipients] == ["Anna"]
    assert warnings_of(plan) == ["Plan!A5: dold rad, tas inte med", "Avsnitt!A3: dold rad, tas inte med",
                                 "Sändlista!A3: dold rad, tas inte med"]


def test_hidden_column_is_read_with_one_warning(make_workbook):
    rows = [ACTIVITY_HEADER, ["Möte", "", "", "", "Anna", "Ja"], ["Nyhet", "", "", "", "Bo", ""]]

    def style(workbook):
        workbook["Aktiviteter"].column_dimensions["F"].hidden = True
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    assert [a.done for a in plan.activities] == [True, False]
    assert warnings_of(plan) == ["Aktiviteter!F1: kolumnen Klar är dold men läses"]


def test_several_hidden_columns_give_one_warning(make_workbook):
    rows = [ACTIVITY_HEADER, ["Möte", "Alla", "Maj", "", "Anna", "Ja"]]

    def style(workbook):
        sheet = workbook["Aktiviteter"]
        sheet.column_dimensions["C"].hidden = True
        sheet.column_dimensions["E"].hidden = True
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    assert plan.activities[0].time.text == "Maj"
    assert warnings_of(plan) == ["Aktiviteter!C1: kolumnerna Tid, Ansvarig är dolda men läses"]


def test_hidden_sheet_is_not_read(make_workbook):
    def style(workbook):
        workbook["Aktiviteter"].sheet_state = "hidden"
    plan, findings = load_plan(make_workbook(style=style))
    assert plan.activities == ()
    # Said once, as the error it is: not also "saknas", nor a warning that it is hidden.
    assert [str(f) for f in findings if "bladet" in f.message] == [
        "plan.xlsx: bladet Aktiviteter är dolt, och planen behöver det; visa det i Excel (Format > Dölj och visa) "
        "eller LibreOffice (Blad > Visa blad)"]
    assert next(f for f in findings if "bladet" in f.message).is_error
    assert not [f for f in findings if "ingen aktivitet når" in f.message]  # no follow-on warnings of reach


def test_a_renamed_sheet_is_named_in_the_error(make_workbook):
    sheets = default_sheets()
    sheets["Aktivitetr"] = sheets.pop("Aktiviteter")
    _, findings = load_plan(make_workbook(sheets))
    [error] = [f for f in findings if f.is_error]
    assert error.message.startswith('bladet "Aktiviteter" saknas – menade du bladet "Aktivitetr"? Byt namn på det '
                                    "till Aktiviteter.")


def test_very_hidden_sheet_and_other_hidden_sheets(make_workbook):
    sheets = {**default_sheets(), "Listor": [["Kanal"], ["Möte"]]}

    def style(workbook):
        workbook["Avsnitt"].sheet_state = "veryHidden"
        workbook["Listor"].sheet_state = "hidden"
    plan = read_workbook(make_workbook(sheets, style=style))
    assert plan.sections == ()
    assert warnings_of(plan) == []  # Listor is none of the plan's sheets
    assert [str(f) for f in plan.findings if f.is_error] == [HIDDEN_AVSNITT]


def test_a_hidden_sheet_the_plan_can_do_without_is_a_warning(make_workbook):
    sheets = {**default_sheets(), "Sändlista": [["Namn", "E-post"], ["Anna", "anna@example.se"]]}

    def style(workbook):
        workbook["Sändlista"].sheet_state = "hidden"
    plan = read_workbook(make_workbook(sheets, style=style))
    assert plan.recipients == ()
    assert warnings_of(plan) == ["plan.xlsx: bladet Sändlista är dolt och läses inte; visa det i Excel "
                                 "(Format > Dölj och visa) om det ska med"]


def test_sheets_with_the_same_name_after_normalising_are_an_error(make_workbook):
    sheets = {**default_sheets(), "aktiviteter\u00a0": [ACTIVITY_HEADER, ["Annan"]]}
    plan = read_workbook(make_workbook(sheets))
    errors = [str(f) for f in plan.findings if f.is_error]
    assert errors == ['plan.xlsx: bladen "Aktiviteter" och "aktiviteter\u00a0" har samma namn; byt namn på det ena']


def test_unicode_forms_of_a_sheet_name_match():
    from generator.plan.values import normalize_name

    assert normalize_name("Sa\u0308ndlista") == normalize_name("Sändlista") == "sändlista"
    assert normalize_name("\u00a0Aktiviteter\u2003 ") == "aktiviteter"


@needs_libreoffice
@needs_calc
def test_hidden_rows_columns_and_sheets_as_libreoffice_saves_them(make_workbook, tmp_path):
    sheets = {**default_sheets(), "Aktiviteter": ROWS, "Gammal": [["Aktivitet"], ["Gammalt"]]}

    def style(workbook):
        workbook["Aktiviteter"].row_dimensions[3].hidden = True
        workbook["Aktiviteter"].column_dimensions["F"].hidden = True
        workbook["Gammal"].sheet_state = "hidden"
        workbook["Avsnitt"].sheet_state = "hidden"
    plan = read_workbook(resave_with_libreoffice(make_workbook(sheets, style=style), tmp_path))
    assert [a.activity.text for a in plan.activities] == ["Presentation", "Nyhet"]
    assert plan.sections == ()
    assert warnings_of(plan) == ["Aktiviteter!F1: kolumnen Klar är dold men läses",
                                 "Aktiviteter!A3: dold rad, tas inte med"]
    assert [str(f) for f in plan.findings if f.is_error] == [HIDDEN_AVSNITT]


@pytest.mark.slow  # the installed command in new processes
def test_generate_leaves_the_hidden_row_out_and_says_so(make_workbook, tmp_path):
    source = make_workbook(Aktiviteter=ROWS, style=hide_rows("Aktiviteter", 3))
    script = Path(sys.executable).parent / "aktivitetsplan"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "generator"]
    done = subprocess.run([*command, "generate", str(source), "-o", str(tmp_path / "plan.docx")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Aktiviteter!A3: dold rad, tas inte med" in done.stdout + done.stderr
    activities = [row[0] for row in table_rows(tmp_path / "plan.docx")[1:]]
    assert "INSTÄLLD: Mässa" not in activities
    assert "Presentation" in activities and "Nyhet" in activities


def with_sheet_format(source: Path, target: Path, sheet_format: str) -> Path:
    """The workbook with the Aktiviteter sheet's <sheetFormatPr> as given (what Excel writes there)."""
    target.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = re.sub(rb"<sheetFormatPr[^>]*/>", sheet_format.encode(), data)
                assert sheet_format.encode() in data
            new.writestr(item, data)
    return target


def rows_with_height(*rows):
    def style(workbook):
        for row in rows:
            workbook["Aktiviteter"].row_dimensions[row].height = 15
    return style


def test_zero_height_sheet_hides_the_rows_without_a_height_of_their_own(make_workbook, tmp_path):
    """<sheetFormatPr zeroHeight="1">: rows are hidden unless they have a height; Excel shows only those."""
    source = make_workbook(Aktiviteter=ROWS, style=rows_with_height(1, 2, 4))
    plan = read_workbook(with_sheet_format(source, tmp_path / "noll.xlsx",
                                           '<sheetFormatPr defaultRowHeight="15" zeroHeight="1"/>'))
    assert [a.activity.text for a in plan.activities] == ["Presentation", "Nyhet"]
    assert warnings_of(plan) == ["Aktiviteter!A3: dold rad, tas inte med"]


def test_a_row_of_height_zero_is_hidden(make_workbook, tmp_path):
    def style(workbook):
        workbook["Aktiviteter"].row_dimensions[3].height = 0
    plan = read_workbook(make_workbook(Aktiviteter=ROWS, style=style))
    assert [a.activity.text for a in plan.activities] == ["Presentation", "Nyhet"]
    assert warnings_of(plan) == ["Aktiviteter!A3: dold rad, tas inte med"]


def test_without_zero_height_rows_without_a_height_are_shown(make_workbook, tmp_path):
    source = make_workbook(Aktiviteter=ROWS, style=rows_with_height(2))
    plan = read_workbook(with_sheet_format(source, tmp_path / "vanlig.xlsx",
                                           '<sheetFormatPr defaultRowHeight="15" zeroHeight="0"/>'))
    assert len(plan.activities) == 3 and warnings_of(plan) == []


@pytest.mark.slow
@needs_libreoffice
@needs_calc
def test_zero_height_as_libreoffice_saves_it(make_workbook, tmp_path):
    """Calc keeps zeroHeight and writes each row's height and hidden flag: the rows it shows are read."""
    source = make_workbook(Aktiviteter=ROWS, style=rows_with_height(1, 2, 4))
    excel = with_sheet_format(source, tmp_path / "excel" / "plan.xlsx",
                              '<sheetFormatPr defaultRowHeight="15" zeroHeight="1"/>')
    saved = resave_with_libreoffice(excel, tmp_path)
    with zipfile.ZipFile(saved) as package:
        assert b'zeroHeight="true"' in package.read("xl/worksheets/sheet3.xml")
    plan = read_workbook(saved)
    assert [a.activity.text for a in plan.activities] == ["Presentation", "INSTÄLLD: Mässa", "Nyhet"]
