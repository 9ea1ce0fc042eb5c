"""A new version only when what the plan says changes: done by red or by Ja in Klar is the same done."""

from __future__ import annotations

from click.testing import CliRunner
from docx import Document
from openpyxl.styles import Font

from conftest import ACTIVITY_HEADER, default_sheets, write_workbook
from generator.cli import main
from generator.versions.changes import VERSION_LINE
from generator.versions.docxpart import read_snapshot

RED = Font(color="FFC00000")


def plan_workbook(path, klar: str, red: bool, owner: str = "Bo"):
    """The default plan with "Nyhet på intranätet" (row 3) marked as given: Klar's text, and the row red or not."""
    sheets = default_sheets()
    sheets["Aktiviteter"] = [
        ACTIVITY_HEADER,
        ["Presentation på nämndmöte", "Ge politiker information", "Våren 2019", "Möte", "Anna", "Ja"],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", owner, klar],
        ["Möte med föreningar", "Föreningar får veta", "Maj 2019", "Möte", "Cia", ""],
    ]

    def paint(workbook):
        if red:
            for cell in workbook["Aktiviteter"][3]:
                cell.font = RED
    return write_workbook(path, sheets, paint)


def generate(workbook, output):
    result = CliRunner().invoke(main, ["generate", str(workbook), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return result


def version_of(document):
    """The version as the document's properties (revision), its data and its title page say it."""
    word = Document(str(document))
    line = next(p.text for p in word.paragraphs if VERSION_LINE.fullmatch(p.text.strip()))
    snapshot = read_snapshot(document)
    assert snapshot is not None and snapshot.version == word.core_properties.revision
    return word.core_properties.revision, line.split(",")[0]


def test_ja_in_klar_on_a_red_row_is_no_new_version(tmp_path):
    workbook, output = tmp_path / "plan.xlsx", tmp_path / "plan.docx"
    plan_workbook(workbook, klar="", red=True)
    generate(workbook, output)
    assert version_of(output) == (1, "Version 1")
    plan_workbook(workbook, klar="Ja", red=True)
    result = generate(workbook, output)
    assert "Version" not in result.stdout and "inga ändringar" not in result.stdout
    assert version_of(output) == (1, "Version 1")


def test_done_marked_another_way_is_no_new_version(tmp_path):
    """Red only, then Ja only, then Klar in the cell: done all along."""
    workbook, output = tmp_path / "plan.xlsx", tmp_path / "plan.docx"
    for klar, red in (("", True), ("Ja", False), ("Klar", False), ("x", True)):
        plan_workbook(workbook, klar=klar, red=red)
        result = generate(workbook, output)
        assert "Version" not in result.stdout, (klar, red)
    assert version_of(output) == (1, "Version 1")


def test_done_becoming_not_done_is_a_new_version(tmp_path):
    workbook, output = tmp_path / "plan.xlsx", tmp_path / "plan.docx"
    plan_workbook(workbook, klar="Ja", red=True)
    generate(workbook, output)
    plan_workbook(workbook, klar="", red=False)
    result = generate(workbook, output)
    assert "Version 2. Ändringar sedan version 1" in result.stdout and ": 1 ändrad." in result.stdout
    assert version_of(output) == (2, "Version 2")


def test_a_real_change_next_to_a_new_mark_is_a_new_version_telling_only_the_change(tmp_path):
    workbook, output = tmp_path / "plan.xlsx", tmp_path / "plan.docx"
    plan_workbook(workbook, klar="", red=True)
    generate(workbook, output)
    plan_workbook(workbook, klar="Ja", red=True, owner="Eva")
    result = generate(workbook, output)
    assert "Version 2. Ändringar sedan version 1" in result.stdout and ": 1 ändrad." in result.stdout
    diff = CliRunner().invoke(main, ["diff", str(output), str(workbook)])
    assert "inga ändringar" in diff.stdout  # the document is this workbook's plan
    texts = [p.text for p in Document(str(output)).paragraphs]
    assert "Nyhet på intranätet (Ansvarig: ”Bo” → ”Eva”)" in texts
    assert not [t for t in texts if "Klar:" in t]
