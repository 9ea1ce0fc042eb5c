"""A template saved again by LibreOffice Writer keeps the plan's section breaks, page breaks and header rows.

Writer moves the section break of an empty paragraph into the paragraph before it, and a heading's
page break into the paragraph before that: both can be a {%p … %} paragraph, which rendering
removes whole. It also saves only the first of two header rows as a header row.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from test_word_valid import resave_in_libreoffice

from conftest import ACTIVITY_HEADER, default_sheets, needs_libreoffice, pdf_pages, write_workbook
from generator.document.render import DEFAULT_TEMPLATE
from generator.flows.generating import generate

MONTHS = ["Januari", "Februari", "Mars", "April", "Maj", "Juni", "Juli", "Augusti", "September", "Oktober",
          "November", "December"]


def timeline_workbook(folder: Path, months: int, activities: int, name: str = "plan.xlsx") -> Path:
    """A plan whose activities spread over months months from January 2019 (more than 12: a landscape timeline)."""
    sheets = default_sheets()
    rows = [[f"Aktivitet {i + 1}", "Målgrupp", f"{MONTHS[(i % months) % 12]} {2019 + (i % months) // 12}", "Möte",
             "Anna", "Ja" if i % 5 == 0 else ""] for i in range(activities)]
    sheets["Aktiviteter"] = [ACTIVITY_HEADER, *rows]
    return write_workbook(folder / name, sheets)


def orientations(document: Path) -> list[str]:
    return ["liggande" if s.orientation == WD_ORIENT.LANDSCAPE else "stående" for s in Document(str(document)).sections]


def page_breaks_before(document: Path, heading: str) -> bool:
    """Whether the paragraph with the text heading starts a page: its own page break before, or one just before it."""
    paragraphs = Document(str(document)).paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text == heading)
    if paragraphs[index].paragraph_format.page_break_before:
        return True
    return any(br.get(qn("w:type")) == "page" for br in paragraphs[index - 1]._p.iter(qn("w:br")))


def header_rows(table: Any) -> int:
    return sum(1 for row in table.rows if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None)


def timeline_table(document: Path) -> Any:
    tables = Document(str(document)).tables
    return next(t for t in tables if [c.text for c in t.rows[0].cells[:2]] == ["Aktivitet", "Tid"])


def as_writer_saves(template: Any) -> None:
    """What Writer does to the default template, done with python-docx (the Writer test below shows it does)."""
    body = template.element.body
    for paragraph in list(template.paragraphs):
        section = paragraph._p.pPr.find(qn("w:sectPr")) if paragraph._p.pPr is not None else None
        if section is not None and not paragraph.text:
            before = paragraph._p.getprevious()
            before.get_or_add_pPr().insert(0, section)
            body.remove(paragraph._p)
    heading = next(p for p in template.paragraphs if p.text == "Aktivitetsplan")
    heading.paragraph_format.page_break_before = None
    previous = heading._p.getprevious()
    run = copy.deepcopy(previous.findall(qn("w:r"))[0])
    for child in list(run):
        if child.tag != qn("w:rPr"):
            run.remove(child)
    run.append(previous.makeelement(qn("w:br"), {qn("w:type"): "page"}))
    previous.append(run)


def test_breaks_writer_moves_into_conditional_paragraphs_are_kept(tmp_path):
    template = Document(str(DEFAULT_TEMPLATE))
    as_writer_saves(template)
    assert [p.text for p in template.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:sectPr")) is not None
            ] == ["{%p if tidslinje.liggande %}"] * 2
    template.save(str(tmp_path / "mall.docx"))
    workbook = timeline_workbook(tmp_path, months=16, activities=20)
    generate(workbook, tmp_path / "standard.docx")
    generate(workbook, tmp_path / "sparad.docx", template=tmp_path / "mall.docx")
    # The timeline ends the document: its landscape section is the last (no empty portrait one after it).
    assert orientations(tmp_path / "sparad.docx") == orientations(tmp_path / "standard.docx") == [
        "stående", "liggande"]
    assert page_breaks_before(tmp_path / "sparad.docx", "Aktivitetsplan")


def test_a_portrait_timeline_keeps_its_page_break_and_no_section_break(tmp_path):
    template = Document(str(DEFAULT_TEMPLATE))
    as_writer_saves(template)
    template.save(str(tmp_path / "mall.docx"))
    workbook = timeline_workbook(tmp_path, months=6, activities=8)
    generate(workbook, tmp_path / "plan.docx", template=tmp_path / "mall.docx")
    assert orientations(tmp_path / "plan.docx") == ["stående"]
    assert page_breaks_before(tmp_path / "plan.docx", "Tidslinje")


def test_header_rows_of_a_merged_header_repeat_together(tmp_path):
    """The timeline's Aktivitet and Tid span both header rows: both repeat on the next page."""
    template = Document(str(DEFAULT_TEMPLATE))
    timeline = next(t for t in template.tables if [c.text for c in t.rows[0].cells[:2]] == ["Aktivitet", "Tid"])
    second = timeline.rows[1]._tr.trPr
    second.remove(second.find(qn("w:tblHeader")))  # as Writer saves it
    template.save(str(tmp_path / "mall.docx"))
    workbook = timeline_workbook(tmp_path, months=6, activities=40)
    generate(workbook, tmp_path / "plan.docx", template=tmp_path / "mall.docx")
    assert header_rows(timeline_table(tmp_path / "plan.docx")) == 2


@pytest.mark.slow
@pytest.mark.libreoffice
@needs_libreoffice
@pytest.mark.parametrize("months", [16, 9], ids=["liggande", "stående"])
def test_a_template_saved_by_writer_makes_the_same_pdf_as_the_default(tmp_path, months):
    template = resave_in_libreoffice(DEFAULT_TEMPLATE, tmp_path)
    resaved = Document(str(template))
    breaks = (f"{qn('w:pPr')}/{qn('w:sectPr')}", f".//{qn('w:br')}")
    moved = [p.text for p in resaved.paragraphs
             if p.text.startswith("{%p") and any(p._p.find(path) is not None for path in breaks)]
    assert moved, "Writer no longer moves breaks into {%p %} paragraphs: the mending may no longer be needed"
    workbook = timeline_workbook(tmp_path, months=months, activities=45)
    for name, used in (("standard", None), ("sparad", template)):
        result = generate(workbook, tmp_path / f"{name}.docx", template=used, pdf=True)
        assert result.pdf is not None
    default, saved = (pdf_pages(tmp_path / f"{name}.pdf") for name in ("standard", "sparad"))
    assert [" ".join(page.split()) for page in saved] == [" ".join(page.split()) for page in default]
    assert orientations(tmp_path / "sparad.docx") == orientations(tmp_path / "standard.docx")
    assert header_rows(timeline_table(tmp_path / "sparad.docx")) == 2
    timeline_pages = [page for page in saved if "Aktivitet 1 " in page or "Tidslinje" in page]
    assert len(timeline_pages) >= 2  # the timeline continues, under its two header rows


@pytest.mark.parametrize("project", ["Bokning och bidrag", ""])
def test_a_page_break_typed_at_the_end_of_a_conditional_paragraph_breaks_only_when_its_block_shows(tmp_path, project):
    """Ctrl+Enter at the end of "{%p if projekt %}" in Word: the page break goes with the block."""
    template = Document()
    template.add_paragraph("{{ titel }}")
    template.add_paragraph("{%p if projekt %}").add_run().add_break(WD_BREAK.PAGE)
    template.add_paragraph("{{ projekt }}")
    template.add_paragraph("{%p endif %}")
    template.add_paragraph("Slut")
    template.save(str(tmp_path / "mall.docx"))
    sheets = default_sheets()
    sheets["Plan"] = [row for row in sheets["Plan"] if row[0] != "Projekt"] + [["Projekt", project]]
    generate(write_workbook(tmp_path / "plan.xlsx", sheets), tmp_path / "plan.docx", template=tmp_path / "mall.docx")
    paragraphs = Document(str(tmp_path / "plan.docx")).paragraphs
    shown = ["break" if any(br.get(qn("w:type")) == "page" for br in p._p.iter(qn("w:br"))) else p.text
             for p in paragraphs[1:]]
    assert shown == (["break", project, "Slut"] if project else ["Slut"])
