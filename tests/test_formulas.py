"""Formula results of every type, as Excel and LibreOffice save them: text, empty text, numbers, booleans, errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import (
    ACTIVITY_HEADER,
    default_sheets,
    needs_calc,
    needs_libreoffice,
    resave_with_libreoffice,
    write_workbook,
)
from generator.checks.core import load_plan
from generator.plan.model import Severity
from generator.workbook.reader import read_workbook


def with_cached_values(source: Path, target: Path, cells: dict[bytes, bytes]) -> Path:
    """Rewrite formula cells (by reference) as Excel saves them, with a type and a cached <v>."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                for ref, replacement in cells.items():
                    start = data.index(b'<c r="' + ref + b'"')
                    end = data.index(b"</c>", start) + 4
                    data = data[:start] + replacement + data[end:]
            new.writestr(item, data)
    return target


ROWS = [
    [*ACTIVITY_HEADER, "Status", "Antal", "Del"],
    ["Möte", "", "", "", "Anna", "Ja", '=IF(F2="Ja","Klar","")', "=1+2", "=F2=\"Ja\""],
    ["Nyhet", "", "", "", "Bo", "Nej", '=IF(F3="Ja","Klar","")', "=1/0", "=NA()"],
]


@needs_libreoffice
@needs_calc
def test_formulas_saved_by_libreoffice(tmp_path):
    source = write_workbook(tmp_path / "plan.xlsx", {**default_sheets(), "Aktiviteter": ROWS})
    plan, findings = load_plan(resave_with_libreoffice(source, tmp_path))
    first, second = plan.activities
    assert dict(first.extra)["Status"].text == "Klar"
    assert dict(second.extra)["Status"].text == ""
    assert dict(first.extra)["Antal"].text == "3"
    assert dict(first.extra)["Del"].text == "SANT"
    assert dict(second.extra)["Antal"].text == "" and dict(second.extra)["Del"].text == ""
    assert not [f for f in findings if f.is_error]
    warnings = [str(f) for f in findings if f.severity is Severity.WARNING and "formeln" in f.message]
    assert warnings == ["Aktiviteter!H3: formeln ger felet #DIV/0!; cellen visas tom",
                        "Aktiviteter!I3: formeln ger felet #N/A; cellen visas tom"]


def test_empty_text_result_is_an_empty_cell_not_a_missing_value(tmp_path):
    source = write_workbook(tmp_path / "plan.xlsx", {**default_sheets(), "Aktiviteter": ROWS[:2]})
    path = with_cached_values(source, tmp_path / "excel.xlsx", {
        b"G2": b'<c r="G2" t="str"><f>IF(F2="Ja","Klar","")</f><v></v></c>',
        b"H2": b'<c r="H2" t="str"><f>IF(F2="Ja","","x")</f></c>',
        b"I2": b'<c r="I2" t="b"><f>F2="Ja"</f><v>0</v></c>',
    })
    plan = read_workbook(path)
    extra = dict(plan.activities[0].extra)
    assert (extra["Status"].text, extra["Antal"].text, extra["Del"].text) == ("", "", "FALSKT")
    assert not [f for f in plan.findings if f.is_error or "formeln" in f.message]


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"])
def test_error_value_is_a_warning_and_not_printed(tmp_path, error):
    source = write_workbook(tmp_path / "plan.xlsx", {**default_sheets(), "Aktiviteter": [
        ACTIVITY_HEADER, ["Möte", "", "=A1", "", "Anna", ""]]})
    path = with_cached_values(source, tmp_path / "excel.xlsx", {
        b"C2": f'<c r="C2" t="e"><f>A1</f><v>{error}</v></c>'.encode()})
    plan, findings = load_plan(path)
    assert plan.activities[0].time.text == ""
    assert [str(f) for f in findings] == [f"Aktiviteter!C2: formeln ger felet {error}; cellen visas tom"]
    assert not any(f.is_error for f in findings)


def test_error_in_the_activity_column_leaves_the_activity_missing(tmp_path):
    source = write_workbook(tmp_path / "plan.xlsx", {**default_sheets(), "Aktiviteter": [
        ACTIVITY_HEADER, ["=X1", "Syfte", "", "", "Anna", ""]]})
    path = with_cached_values(source, tmp_path / "excel.xlsx", {b"A2": b'<c r="A2" t="e"><f>X1</f><v>#REF!</v></c>'})
    _, findings = load_plan(path)
    assert [str(f) for f in findings] == ["Aktiviteter!A2: formeln ger felet #REF!; cellen visas tom",
                                          "Aktiviteter!A2: Aktivitet saknas"]


def test_formula_never_calculated_is_still_an_error(make_workbook):
    plan = read_workbook(make_workbook(Aktiviteter=ROWS[:2]))  # openpyxl saves no cached values
    errors = [f.place for f in plan.findings if f.is_error]
    assert errors == ["Aktiviteter!G2", "Aktiviteter!H2", "Aktiviteter!I2"]
