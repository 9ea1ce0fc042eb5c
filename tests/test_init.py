"""aktivitetsplan init: a new workbook ready to fill in, that generates once filled in."""

from __future__ import annotations

from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import default_sheets, write_workbook
from generator.cli import main
from generator.flows.checking import check_workbook
from generator.flows.generating import generate
from generator.plan.schema import ACTIVITIES


def test_init_writes_sheets_headers_and_aids(tmp_path):
    path = tmp_path / "ny.xlsx"
    result = CliRunner().invoke(main, ["init", str(path)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Instruktioner", "Plan", "Avsnitt", "Målgrupper", "Aktiviteter", "Sändlista"]
    assert [c.value for c in workbook["Sändlista"][1]] == ["Namn", "E-post", "Roll"]
    activities = workbook["Aktiviteter"]
    assert [c.value for c in activities[1]] == list(ACTIVITIES.headers)
    assert activities.freeze_panes == "A2"
    assert activities.column_dimensions["A"].width > 30
    assert activities["A2"].alignment.wrap_text
    validation = next(v for v in activities.data_validations.dataValidation if v.type == "list")
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


def test_init_mall_writes_a_copy_of_the_default_template_to_edit(tmp_path):
    from docx import Document

    from generator.files.resources import default_template

    copy = tmp_path / "egen-mall.docx"
    result = CliRunner().invoke(main, ["init", "--mall", str(copy)])
    assert result.exit_code == 0, result.output
    assert f"aktivitetsplan generate --template {copy}" in result.stdout
    assert copy.read_bytes() == default_template().read_bytes()
    assert not (tmp_path / "data").exists()  # only the template was asked for
    workbook = write_workbook(tmp_path / "plan.xlsx", default_sheets())
    filled = CliRunner().invoke(main, ["generate", str(workbook), "--template", str(copy), "-o",
                                       str(tmp_path / "plan.docx")])
    assert filled.exit_code == 0, filled.output
    assert Document(str(tmp_path / "plan.docx")).core_properties.title == "Aktivitetsplan – Testköping"


def test_init_mall_never_overwrites_without_force(tmp_path):
    copy = tmp_path / "egen-mall.docx"
    copy.write_bytes(b"mina andringar")
    refused = CliRunner().invoke(main, ["init", "--mall", str(copy)])
    assert refused.exit_code == 1
    assert "filen finns redan" in refused.stderr
    assert copy.read_bytes() == b"mina andringar"
    forced = CliRunner().invoke(main, ["init", "--mall", str(copy), "--force"])
    assert forced.exit_code == 0, forced.output
    assert copy.read_bytes() != b"mina andringar"


def test_init_mall_refuses_a_wrong_name_and_the_installed_template(tmp_path):
    from generator.files.resources import default_template

    wrong = CliRunner().invoke(main, ["init", "--mall", str(tmp_path / "mall.dotx")])
    assert wrong.exit_code == 2
    assert "mallen måste sluta på .docx" in wrong.stderr
    installed = default_template()
    before = installed.read_bytes()
    itself = CliRunner().invoke(main, ["init", "--mall", str(installed), "--force"])
    assert itself.exit_code == 2
    assert "skulle skriva över standardmallen" in itself.stderr
    assert installed.read_bytes() == before


def test_init_workbook_and_template_are_both_checked_first(tmp_path):
    workbook, copy = tmp_path / "plan.xlsx", tmp_path / "mall.docx"
    copy.write_bytes(b"mina andringar")
    refused = CliRunner().invoke(main, ["init", str(workbook), "--mall", str(copy)])
    assert refused.exit_code == 1
    assert not workbook.exists()  # the copy's problem stops the workbook too
    copy.unlink()
    both = CliRunner().invoke(main, ["init", str(workbook), "--mall", str(copy)])
    assert both.exit_code == 0, both.output
    assert workbook.is_file() and copy.is_file()
