"""import of plans as people keep them: a custom title, a title page edited in Word, a Rubrik 2, the next command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import default_sheets, needs_libreoffice, write_workbook
from generator.cli import main
from generator.workbook.reader import read_workbook

BIN = Path(sys.executable).parent
TITLE = "Kommunikationsplan för Bokning och bidrag 2019"


def strömstad(folder: Path, title: str = TITLE) -> Path:
    """A plan with a title of its own, generated as Strömstad does it: into a folder and a name with spaces."""
    sheets = default_sheets()
    sheets["Plan"] = [["Fält", "Värde"], ["Kommun", "Strömstad"], ["Titel", title], ["Datum", "2019-03-15"],
                      ["Projekt", "Bokning och bidrag"], ["Slogan", "VI GÖR DET ENKLARE!"]]
    workbook = write_workbook(folder / "källa.xlsx", sheets)
    document = folder / "Strömstads planer" / "Aktivitetsplan Strömstad.docx"
    result = CliRunner().invoke(main, ["generate", str(workbook), "-o", str(document)])
    assert result.exit_code == 0, result.output
    return document


def import_(document: Path, *args: str):
    result = CliRunner().invoke(main, ["import", str(document), *args])
    assert result.exit_code == 0, result.output
    return result


def plan_fields(workbook: Path) -> dict[str, str]:
    plan = read_workbook(workbook)
    return {name: getattr(plan, field).text for name, field in (("Kommun", "municipality"), ("Titel", "title"),
                                                                 ("Projekt", "project"), ("Slogan", "slogan"))}


def test_the_printed_next_command_runs_when_pasted_into_a_shell(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    document = strömstad(tmp_path).relative_to(tmp_path)
    result = import_(document)
    last = result.stdout.strip().splitlines()[-1]
    command = last.split("kör: ", 1)[1]
    assert command == "aktivitetsplan generate 'Strömstads planer/Aktivitetsplan Strömstad.xlsx'"
    pasted = subprocess.run(["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})
    assert pasted.returncode == 0, pasted.stderr
    assert (tmp_path / "out" / "Aktivitetsplan Strömstad.docx").exists()


def test_init_prints_a_command_that_pastes_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "Planer 2019/Mitt län & kommun.xlsx"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("kör: aktivitetsplan generate 'Planer 2019/Mitt län & kommun.xlsx'")


def test_a_custom_title_keeps_kommun_projekt_and_slogan(tmp_path):
    document = strömstad(tmp_path)
    result = import_(document)
    workbook = document.with_suffix(".xlsx")
    assert plan_fields(workbook) == {"Kommun": "Strömstad", "Titel": TITLE, "Projekt": "Bokning och bidrag",
                                     "Slogan": "VI GÖR DET ENKLARE!"}
    assert "Plan!Kommun: Kommun ”Strömstad” lästes ur planens data som dokumentet bär" in result.stdout
    assert "Plan!Kommun: hittades inte" not in result.stdout
    again = CliRunner().invoke(main, ["generate", str(workbook), "-o", str(tmp_path / "igen.docx")])
    assert again.exit_code == 0, again.output  # not "Kommun saknas"


def test_a_title_page_edited_in_word_gets_its_lost_lines_from_the_plan_data(tmp_path):
    """The project line deleted and the footer emptied in Word: the data the document carries still knows them."""
    document = strömstad(tmp_path)
    edited = Document(str(document))
    project = next(p for p in edited.paragraphs if p.text == "Bokning och bidrag")
    project._p.getparent().remove(project._p)
    for section in edited.sections:
        for paragraph in section.footer.paragraphs:
            for run in paragraph.runs:
                run.text = ""
    edited.save(str(document))
    result = import_(document)
    fields = plan_fields(document.with_suffix(".xlsx"))
    assert (fields["Projekt"], fields["Slogan"]) == ("Bokning och bidrag", "VI GÖR DET ENKLARE!")
    assert "Plan!Projekt: Projekt ”Bokning och bidrag” lästes ur planens data" in result.stdout


def test_the_plan_data_names_kommun_rather_than_a_title_that_looks_like_one(tmp_path):
    document = strömstad(tmp_path, title="Aktivitetsplan – Bokning och bidrag")
    import_(document)
    assert plan_fields(document.with_suffix(".xlsx"))["Kommun"] == "Strömstad"


@pytest.mark.slow
@needs_libreoffice
def test_a_custom_title_survives_a_save_in_libreoffice_writer(tmp_path):
    from generator.delivery.pdf import find_soffice

    document = strömstad(tmp_path)
    saved = tmp_path / "libreoffice"
    subprocess.run([str(find_soffice()), f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved), str(document)],
                   check=True, capture_output=True, timeout=180)
    resaved = saved / document.name
    import_(resaved, "-o", str(tmp_path / "importerad.xlsx"))
    assert plan_fields(tmp_path / "importerad.xlsx")["Kommun"] == "Strömstad"
    again = CliRunner().invoke(main, ["generate", str(tmp_path / "importerad.xlsx"), "-o", str(tmp_path / "ny.docx")])
    assert again.exit_code == 0, again.output


def test_a_heading_2_that_became_a_paragraph_is_in_the_report(tmp_path):
    """A plan written in Word with a Rubrik 2 under Bakgrund: the workbook has one heading level."""
    document = Document()
    document.add_heading("Kommunikationsplan Tanum", level=0)
    document.add_heading("Bakgrund", level=1)
    document.add_paragraph("Tanum inför Bokning och bidrag.")
    document.add_heading("Skolorna", level=2)   # stycke 4
    document.add_paragraph("Skolorna bokar idrottshallar.")
    document.add_heading("Syfte", level=1)
    document.add_paragraph("Att alla vet hur man bokar.")
    table = document.add_table(rows=2, cols=5)
    for cell, text in zip(table.rows[0].cells, ["Aktivitet", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig"]):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["Nyhet på webben", "Alla", "Mars 2019", "Webb", "Eva"]):
        cell.text = text
    path = tmp_path / "Tanum.docx"
    document.save(str(path))
    result = import_(path)
    assert ("stycke 4: underrubriken ”Skolorna” (rubriknivå 2) blev ett vanligt stycke i avsnittet ”Bakgrund”: "
            "arbetsboken har en rubriknivå.") in result.stdout
    sections = read_workbook(path.with_suffix(".xlsx")).sections
    assert [s.heading.text for s in sections] == ["Bakgrund", "Syfte"]
