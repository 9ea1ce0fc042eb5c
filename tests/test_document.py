"""The generated document: title page, contents, sections, the activity table, styles, language."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor

from conftest import ACTIVITY_HEADER, EXAMPLE, find_activity_table
from generator.flows.generating import generate

RED = RGBColor(0xC0, 0x00, 0x00)


@pytest.fixture
def document(make_workbook, tmp_path):
    output = tmp_path / "plan.docx"
    generate(make_workbook(), output, today=dt.date(2020, 1, 2))
    return Document(str(output))


def paragraphs(document):
    return [(p.text, p.style.name) for p in document.paragraphs if p.text.strip()]


def test_title_page(document):
    texts = paragraphs(document)
    assert texts[0] == ("Aktivitetsplan – Testköping", "Title")
    assert ("Bokning och bidrag", "Subtitle") in texts
    assert ("15 mars 2019", "Subtitle") in texts


def test_date_defaults_to_day_of_generation(make_workbook, tmp_path):
    output = tmp_path / "plan.docx"
    generate(make_workbook(Plan=[["Kommun", "X"]]), output, today=dt.date(2018, 8, 15))
    texts = [p.text for p in Document(str(output)).paragraphs]
    assert "15 augusti 2018" in texts
    assert "Aktivitetsplan – X" in texts


def test_sections_in_order_with_paragraphs_and_bullets(document):
    texts = paragraphs(document)
    start = texts.index(("Bakgrund", "Heading 1"))
    assert texts[start:start + 9] == [
        ("Bakgrund", "Heading 1"),
        ("Första stycket.", "Normal"),
        ("Andra stycket\nmed radbrytning.", "Normal"),
        ("Målgrupper", "Heading 1"),
        ("Inledning", "Normal"),
        ("Politiker", "List Bullet"),
        ("Föreningar", "List Bullet"),
        ("Budskap", "Heading 1"),
        ("Enklare att boka", "List Bullet"),
    ]
    assert texts[start + 10] == ("Aktivitetsplan", "Heading 1")


def test_table_of_contents_lists_every_section_and_the_plan(document):
    texts = paragraphs(document)
    start = texts.index(("Innehåll", "TOC Heading"))
    entries = [t for t, style in texts[start + 1:] if style == "TOC 1"]
    assert [e.split("\t")[0] for e in entries] == [
        "Bakgrund", "Målgrupper", "Budskap", "Aktivitetsplan", "Tidslinje"]
    body = document.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    links = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))]
    assert len(links) == 5 and set(links) <= bookmarks
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert sum("PAGEREF" in i for i in instructions) == 5
    assert not any(i.strip().startswith("TOC") for i in instructions)


def test_activity_table(document):
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Aktivitet")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Aktivitet", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig", "Klar"]
    assert [r[0] for r in rows[1:]] == ["Presentation på nämndmöte", "Nyhet på intranätet", "Möte med föreningar"]
    assert rows[2] == ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "Bo", ""]
    assert [r[-1] for r in rows[1:]] == ["Klar", "", ""]  # said in text, not only by colour
    header = table.rows[0]._tr
    assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert all(row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for row in table.rows[1:])


def test_done_rows_are_red_and_others_not(document):
    table = find_activity_table(document)
    for index, done in ((1, True), (2, False), (3, False)):
        runs = [r for cell in table.rows[index].cells for p in cell.paragraphs for r in p.runs if r.text]
        assert runs
        colours = {r.font.color.rgb for r in runs}
        assert colours == ({RED} if done else {None}), index


def test_legend_under_table(document):
    texts = [p.text for p in document.paragraphs]
    legend = next(t for t in texts if t.startswith("Röd text"))
    assert "betyder att aktiviteten är gjord/färdig" in legend
    assert "3 aktiviteter, 1 klar" in legend
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Röd text"))
    assert paragraph.runs[0].font.color.rgb == RED


def test_line_breaks_in_cells_are_kept(make_workbook, tmp_path):
    rows = [ACTIVITY_HEADER, ["Rad ett\nRad två", "a\tb", "", "", "", "ja"]]
    output = tmp_path / "plan.docx"
    generate(make_workbook(Aktiviteter=rows), output)
    table = find_activity_table(Document(str(output)))
    assert table.rows[1].cells[0].text == "Rad ett\nRad två"
    assert table.rows[1].cells[1].text == "a\tb"
    runs = [r for p in table.rows[1].cells[0].paragraphs for r in p.runs]
    assert all(r.font.color.rgb == RED for r in runs if r.text)


def test_language_properties_and_footer(document):
    styles = document.styles.element
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "sv-SE"
    props = document.core_properties
    assert props.title == "Aktivitetsplan – Testköping"
    assert props.subject == "Bokning och bidrag"
    assert props.language == "sv-SE"
    footer = document.sections[0].footer
    footer_xml = footer._element.xml
    assert "VI GÖR DET ENKLARE!" in footer.paragraphs[0].text
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml


def test_column_widths_suit_the_content(document):
    grid = find_activity_table(document)._tbl.find(qn("w:tblGrid"))
    widths = [int(c.get(qn("w:w"))) for c in grid.findall(qn("w:gridCol"))]
    assert sum(widths) == pytest.approx(170 * 56.7, rel=0.01)
    assert widths[0] > widths[2] and widths[1] > widths[4]


def test_logo_on_title_page(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "plan.xlsx")
    shutil.copy(EXAMPLE.parent / "logotyp.png", tmp_path / "logotyp.png")
    output = tmp_path / "plan.docx"
    generate(tmp_path / "plan.xlsx", output)
    document = Document(str(output))
    assert len(document.inline_shapes) == 1
    first_image = document.element.body.find(f".//{qn('w:drawing')}")
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert first_image is not None
    assert list(document.element.body).index(first_image.getparent().getparent()) < \
        list(document.element.body).index(title._p)


def test_unknown_columns_reach_a_custom_template(make_workbook, tmp_path):
    from docx import Document as NewDocument

    template = tmp_path / "egen.docx"
    custom = NewDocument()
    custom.add_paragraph("{% for rad in aktiviteter %}{{ rad.aktivitet }}: {{ rad.ovrigt['Budget'] }};{% endfor %}")
    custom.add_paragraph("{{ extra_kolumner | join(', ') }}")
    custom.save(str(template))
    rows = [[*ACTIVITY_HEADER, "Budget"], ["Möte", "", "", "", "", "", "5000"]]
    output = tmp_path / "plan.docx"
    generate(make_workbook(Aktiviteter=rows), output, template)
    texts = [p.text for p in Document(str(output)).paragraphs]
    assert texts[:2] == ["Möte: 5000;", "Budget"]


def test_example_plan_renders_all_activities(tmp_path):
    output = tmp_path / "plan.docx"
    result = generate(EXAMPLE, output)
    assert result.plan.summary() == "15 aktiviteter, 3 klara"
    rows = [[c.text for c in row.cells] for row in find_activity_table(Document(str(output))).rows]
    assert len(rows) == 16
    assert rows[15][0].startswith("Kontakta Mittköpings kommunikationsavdelning")
    assert "\n" in rows[15][0]
