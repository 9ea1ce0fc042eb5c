"""generate --pdf and send --pdf: real LibreOffice headless, and a clear message without it."""

from __future__ import annotations

import email
import email.policy
import re
import shutil

import pytest
from click.testing import CliRunner

import generator.delivery.pdf
from conftest import EXAMPLE, default_sheets, needs_libreoffice, pdf_pages, write_workbook
from generator.cli import main


@pytest.mark.libreoffice
@needs_libreoffice
def test_example_plan_as_pdf_with_contents_and_right_page_numbers(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "plan.xlsx")
    shutil.copy(EXAMPLE.parent / "logotyp.png", tmp_path / "logotyp.png")
    result = CliRunner().invoke(main, ["generate", str(tmp_path / "plan.xlsx"), "-o", str(tmp_path / "plan.docx"),
                                       "--pdf"])
    assert result.exit_code == 0, result.output
    assert f"Skrev {tmp_path / 'plan.pdf'}" in result.stdout
    pages = pdf_pages(tmp_path / "plan.pdf")
    contents = pages[1]
    assert "Innehåll" in contents
    for heading in ("Bakgrund", "Verksamhetsmål", "Målgrupper", "Kanaler", "Budskap", "Aktivitetsplan"):
        line = next(line for line in contents.splitlines() if line.startswith(heading))
        page = int(re.search(r"(\d+)\s*$", line).group(1))
        # The entry's page number is the page the heading really is on.
        assert re.search(rf"^{heading}\s*$", pages[page - 1], re.MULTILINE), (heading, page)
    # The numbers Word shows before it updates its fields are estimates: for the example all but at most one
    # are right, and none is more than a page off.
    from docx import Document

    cached = [p.text.rsplit("\t", 1)[-1] for p in Document(str(tmp_path / "plan.docx")).paragraphs
              if re.fullmatch(r"TOC \d", p.style.name)]
    printed = [re.search(r"(\d+)\s*$", line).group(1) for line in contents.splitlines()
               if re.search(r"\.{3,}\s*\d+\s*$", line)]
    assert len(cached) == len(printed)
    assert all(abs(int(c) - int(p)) <= 1 for c, p in zip(cached, printed, strict=True)), (cached, printed)
    assert sum(c == p for c, p in zip(cached, printed, strict=True)) >= len(printed) - 1, (cached, printed)
    assert "VI GÖR DET ENKLARE!" in pages[0] and "Sida 1 av" in pages[0]
    assert "Presentation om projektet" in "".join(pages)
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.libreoffice
@needs_libreoffice
def test_send_draft_with_pdf_attached(tmp_path):
    sheets = default_sheets()
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna@testkoping.se"]]
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets)
    draft = tmp_path / "utkast.eml"
    result = CliRunner().invoke(main, ["send", str(workbook), "-o", str(tmp_path / "plan.docx"), "--pdf",
                                       "--eml", str(draft)])
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    attachments = {a.get_filename(): a for a in message.iter_attachments()}
    assert sorted(attachments) == ["plan.docx", "plan.pdf"]
    assert attachments["plan.pdf"].get_content() == (tmp_path / "plan.pdf").read_bytes()
    assert "som Word-dokument och PDF" in message.get_body(("plain",)).get_content()


def test_missing_libreoffice_is_a_clear_message(make_workbook, tmp_path, monkeypatch):
    monkeypatch.delenv("AKTIVITETSPLAN_SOFFICE", raising=False)
    monkeypatch.setattr(generator.delivery.pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(generator.delivery.pdf, "_candidates", lambda: iter(()))
    result = CliRunner().invoke(main, ["generate", str(make_workbook()), "-o", str(tmp_path / "plan.docx"), "--pdf"])
    assert result.exit_code == 1
    assert "LibreOffice hittades inte, så ingen PDF kunde skapas" in result.stderr
    assert "Inget skrevs; kör utan --pdf" in result.stderr
    assert sorted(tmp_path.iterdir()) == [tmp_path / "plan.xlsx"]  # validated before the first write


def test_soffice_from_the_environment_that_is_not_there(make_workbook, tmp_path, monkeypatch):
    monkeypatch.setenv("AKTIVITETSPLAN_SOFFICE", str(tmp_path / "finns-inte" / "soffice"))
    result = CliRunner().invoke(main, ["generate", str(make_workbook()), "-o", str(tmp_path / "plan.docx"), "--pdf"])
    assert result.exit_code == 1
    assert "LibreOffice kunde inte startas" in result.stderr


@pytest.mark.parametrize(("system", "expected"), [
    ("Darwin", "/Applications/LibreOffice.app/Contents/MacOS/soffice"),
    ("Windows", "LibreOffice/program/soffice.exe"),
    ("Linux", "/usr/lib/libreoffice/program/soffice"),
])
def test_usual_install_places(monkeypatch, system, expected):
    monkeypatch.setattr(generator.delivery.pdf.platform, "system", lambda: system)
    monkeypatch.setenv("PROGRAMFILES", "C:/Program Files")
    assert any(str(p).replace("\\", "/").endswith(expected) for p in generator.delivery.pdf._candidates())
