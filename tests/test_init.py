"""aktivitetsplan init: a new workbook ready to fill in, that generates once filled in."""

from __future__ import annotations

from click.testing import CliRunner
from openpyxl import load_workbook

from generator.cli import main
from generator.pipeline import check_workbook, generate
from generator.workbook import ACTIVITY_COLUMNS


def test_init_writes_sheets_headers_and_aids(tmp_path):
    path = tmp_path / "ny.xlsx"
    result = CliRunner().invoke(main, ["init", str(path)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Instruktioner", "Plan", "Avsnitt", "Aktiviteter", "Sändlista"]
    assert [c.value for c in workbook["Sändlista"][1]] == ["Namn", "E-post", "Roll"]
    activities = workbook["Aktiviteter"]
    assert [c.value for c in activities[1]] == list(ACTIVITY_COLUMNS)
    assert activities.freeze_panes == "A2"
    assert activities.column_dimensions["A"].width > 30
    assert activities["A2"].alignment.wrap_text
    validation = activities.data_validations.dataValidation[0]
    assert validation.type == "list" and validation.formula1 == '"Ja,Nej"'
    assert "F2" in validation.sqref
    assert workbook["Avsnitt"]["A1"].value == "Rubrik"
    assert workbook["Plan"]["A2"].value == "Kommun"
    guide = "\n".join(str(c.value) for c in workbook["Instruktioner"]["A"] if c.value)
    for part in ("Bladet Plan", "Bladet Avsnitt", "Bladet Aktiviteter", "Målgrupper", "Budskap", "röd",
                 "Sändlista"):
        assert part in guide


def test_init_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "ny.xlsx"
    path.write_bytes(b"mitt arbete")
    result = CliRunner().invoke(main, ["init", str(path)])
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert path.read_bytes() == b"mitt arbete"
    forced = CliRunner().invoke(main, ["init", str(path), "--force"])
    assert forced.exit_code == 0
    assert load_workbook(path).sheetnames[0] == "Instruktioner"


def test_empty_init_workbook_needs_kommun_and_filled_in_generates(tmp_path):
    path = tmp_path / "ny.xlsx"
    CliRunner().invoke(main, ["init", str(path)])
    assert [str(f) for f in check_workbook(path).errors] == [
        "Plan!B2: Kommun saknas; skriv kommunens namn på raden Kommun i kolumn B"]
    workbook = load_workbook(path)
    workbook["Plan"]["B2"] = "Nyköping"
    workbook["Avsnitt"]["B2"] = "Vår bakgrund."
    for column, value in enumerate(["Möte med nämnden", "Politiker", "Maj", "Möte", "Eva", "Ja"], start=1):
        workbook["Aktiviteter"].cell(row=2, column=column, value=value)
    workbook.save(path)
    result = generate(path, tmp_path / "ny.docx")
    assert result.errors == ()
    assert result.plan.summary() == "1 aktivitet, 1 klar"
    assert result.plan.activities[0].row == 2
