"""Accessible documents: done told in words, logo alt text, header rows, captions, heading order, title, language."""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from lxml import etree

from conftest import default_sheets, write_workbook
from generator.checks.core import load_plan
from generator.document.accessibility import headings, is_header_row, styles_by_id
from generator.document.docxml import TBL_PR_ORDER
from generator.flows.generating import generate

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


@pytest.fixture(scope="module")
def example_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plan, rendered once for this module."""
    import shutil

    from conftest import EXAMPLE

    folder = tmp_path_factory.mktemp("exempel")
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    shutil.copy(EXAMPLE.parent / "logotyp.png", folder / "logotyp.png")
    return generate(folder / EXAMPLE.name, folder / "plan.docx").output  # type: ignore[return-value]


def document_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


def activity_table_xml(path: Path) -> etree._Element:
    """The activity table: the one whose header starts Aktivitet | Syfte och målgrupp."""
    return next(t for header, t in tables_by_header(path).items() if header.startswith("Aktivitet | Syfte"))


def tables_by_header(path: Path) -> dict[str, etree._Element]:
    """The document's tables by their whole header row ("Aktivitet | Syfte och målgrupp | …")."""
    found = {}
    for table in document_xml(path).iter(qn("w:tbl")):
        row = table.find(qn("w:tr"))
        found[" | ".join(row_texts(row)) if row is not None else ""] = table
    return found


def row_texts(row: etree._Element) -> list[str]:
    return ["".join(t.text or "" for t in cell.iter(qn("w:t"))).strip() for cell in row.findall(qn("w:tc"))]


def test_logo_has_alternative_text(example_document):
    plan, _ = load_plan(example_document.parent / "aktivitetsplan.xlsx")
    pictures = list(document_xml(example_document).iter(f"{{{WP}}}docPr"))
    assert len(pictures) == 1
    assert pictures[0].get("descr") == f"Logotyp för {plan.municipality.text}" == "Logotyp för Mittköping"
    assert pictures[0].get("title") == pictures[0].get("descr")


def test_logo_text_without_a_municipality(make_workbook):
    from generator.document.accessibility import logo_text
    from generator.plan.model import EMPTY

    plan, _ = load_plan(make_workbook())
    assert logo_text(plan) == "Logotyp för Testköping"
    assert logo_text(plan._replace(municipality=EMPTY)) == "Logotyp"


def test_every_table_with_a_header_row_marks_it_and_has_a_caption(example_document):
    root = document_xml(example_document)
    styles = styles_by_id(Document(str(example_document)))
    tables = list(root.iter(qn("w:tbl")))
    assert tables
    for table in tables:
        rows = table.findall(qn("w:tr"))
        if len(rows) > 1 and is_header_row(rows[0], styles):
            assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None, row_texts(rows[0])
            pr = table.find(qn("w:tblPr"))
            assert pr.find(qn("w:tblCaption")).get(qn("w:val"))
            assert pr.find(qn("w:tblDescription")).get(qn("w:val"))
            order = [child.tag.split("}")[1] for child in pr]
            assert order == sorted(order, key=TBL_PR_ORDER.index)
        # only header rows repeat on each page: a run of them at the top (the timeline has two)
        repeated = [row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for row in rows]
        assert repeated == sorted(repeated, reverse=True), row_texts(rows[0])


def test_activity_table_caption_and_description_name_it(example_document):
    table = activity_table_xml(example_document)
    header = row_texts(table.find(qn("w:tr")))
    pr = table.find(qn("w:tblPr"))
    assert pr.find(qn("w:tblCaption")).get(qn("w:val")) == "Aktivitetsplan"
    description = pr.find(qn("w:tblDescription")).get(qn("w:val"))
    assert description == f"Tabell med 15 rader och kolumnerna {', '.join(header)}."


def test_done_is_told_in_words_not_by_colour_alone(example_document):
    """WCAG 1.4.1: a done row says Klar in its last column, and the legend says so."""
    table = activity_table_xml(example_document)
    rows = table.findall(qn("w:tr"))
    header = row_texts(rows[0])
    if header[-1] != "Klar":
        pytest.skip("Klar-kolumnen i standardmallen kommer från grenen schema")
    colours = etree.XPath("w:tc/w:p/w:r/w:rPr/w:color/@w:val", namespaces={"w": qn("w:t")[1:].split("}")[0]})
    done_rows = [row for row in rows[1:] if "C00000" in colours(row)]
    assert len(done_rows) == 3
    for row in rows[1:]:
        assert (row_texts(row)[-1] == "Klar") == (row in done_rows)
    legend = next(p.text for p in Document(str(example_document)).paragraphs if p.text.startswith("Röd text"))
    assert legend.startswith("Röd text och Klar i sista kolumnen betyder att aktiviteten är gjord/färdig.")


def test_example_headings_have_no_gaps(example_document):
    levels = [level for level, _ in headings(Document(str(example_document)))]
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert "Aktivitetsplan" in [text for _, text in headings(Document(str(example_document)))]


@pytest.mark.parametrize("sections", [0, 1, 3])
def test_headings_have_no_gaps_with_any_number_of_sections(make_workbook, tmp_path, sections):
    sheets = default_sheets()
    sheets["Avsnitt"] = sheets["Avsnitt"][:1 + sections]
    output = generate(make_workbook(sheets), tmp_path / "plan.docx").output
    found = headings(Document(str(output)))
    levels = [level for level, _ in found]
    # the sections, Aktivitetsplan and the parts made from the data (Tidslinje): all on level 1
    assert set(levels) == {1} and len(levels) >= sections + 1
    assert [text for _, text in found][:sections] == [row[0] for row in sheets["Avsnitt"][1:]]


def own_template(path: Path) -> Path:
    """A template whose headings skip a level and whose tables have a bold, an unmarked and no header row."""
    doc = Document()
    doc.add_paragraph("{{ titel }}", style="Title")
    doc.add_paragraph("Översikt", style="Heading 1")
    doc.add_paragraph("Detaljer", style="Heading 3")   # skips Heading 2
    doc.add_paragraph("Mer", style="Heading 4")
    doc.add_paragraph("Nästa del", style="Heading 1")
    bold = doc.add_table(rows=2, cols=2)
    for cell, text in zip(bold.rows[0].cells, ("Namn", "Roll"), strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    bold.rows[1].cells[0].text = "{{ kommun }}"
    plain = doc.add_table(rows=2, cols=2)
    plain.rows[0].cells[0].text = "vanlig"
    plain.rows[1].cells[0].text = "text"
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Slut", style="Heading 2")
    doc.save(str(path))
    return path


def test_own_template_headings_are_closed_up_and_bold_header_rows_marked(make_workbook, tmp_path):
    template = own_template(tmp_path / "mall.docx")
    output = generate(make_workbook(), tmp_path / "plan.docx", template=template).output
    document = Document(str(output))
    assert headings(document) == [(1, "Översikt"), (2, "Detaljer"), (3, "Mer"), (1, "Nästa del"), (2, "Slut")]
    assert [p.style.name for p in document.paragraphs if p.text == "Detaljer"] == ["Heading 2"]
    tables = tables_by_header(output)
    assert tables["Namn | Roll"].find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert tables["Namn | Roll"].find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}").get(qn("w:val")) == "Nästa del"
    assert tables["vanlig | "].find(f"{qn('w:tr')}/{qn('w:trPr')}") is None
    assert tables["vanlig | "].find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}") is None


@pytest.mark.slow  # the Open XML audit
def test_own_template_stays_word_valid(make_workbook, tmp_path):
    from test_word_valid import assert_word_valid

    template = own_template(tmp_path / "mall.docx")
    assert_word_valid(generate(make_workbook(), tmp_path / "plan.docx", template=template).output)


def test_title_and_language_are_set(example_document):
    document = Document(str(example_document))
    assert document.core_properties.title == "Aktivitetsplan – Mittköping"
    assert document.core_properties.language == "sv-SE"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "sv-SE"


def test_workbook_title_becomes_the_title_property(tmp_path):
    sheets = default_sheets()
    sheets["Plan"].append(["Titel", "Kommunikationsplan för bokning"])
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets)
    output = generate(workbook, tmp_path / "plan.docx").output
    assert Document(str(output)).core_properties.title == "Kommunikationsplan för bokning"


def test_heading_levels_come_from_each_documents_own_styles():
    """A style's level follows basedOn and its own outline level, worked out anew for every document."""
    from docx.enum.style import WD_STYLE_TYPE

    from generator.document.accessibility import close_heading_gaps

    def document(base: str, outline: str | None = None) -> Document:
        doc = Document()
        style = doc.styles.add_style("Rubrik", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base]
        if outline is not None:
            ppr = style.element.get_or_add_pPr()
            ppr.append(etree.fromstring(f'<w:outlineLvl xmlns:w="{qn("w:t")[1:].split("}")[0]}" w:val="{outline}"/>'))
        doc.add_paragraph("A", style="Heading 1")
        doc.add_paragraph("B", style="Rubrik")
        doc.add_paragraph("C", style="Heading 3")
        return doc

    based_on_heading = document("Heading 2")
    assert headings(based_on_heading) == [(1, "A"), (2, "B"), (3, "C")]
    assert close_heading_gaps(based_on_heading) == 0
    plain = document("Normal")
    assert headings(plain) == [(1, "A"), (3, "C")]
    assert close_heading_gaps(plain) == 1
    assert headings(plain) == [(1, "A"), (2, "C")]
    own_level = document("Heading 2", outline="3")  # its own outline level wins over Heading 2's
    assert close_heading_gaps(own_level) == 1
    assert headings(own_level) == [(1, "A"), (2, "B"), (3, "C")]
    paragraph_level = Document()  # an outline level on the paragraph itself, no heading style
    paragraph_level.add_paragraph("A", style="Heading 1")
    ppr = paragraph_level.add_paragraph("D")._p.get_or_add_pPr()
    ppr.append(etree.fromstring(f'<w:outlineLvl xmlns:w="{qn("w:t")[1:].split("}")[0]}" w:val="2"/>'))
    assert headings(paragraph_level) == [(1, "A"), (3, "D")]
    assert close_heading_gaps(paragraph_level) == 1
    assert headings(paragraph_level) == [(1, "A"), (2, "D")]
