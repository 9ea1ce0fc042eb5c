"""The TOC's page estimate reads the body's texts in one transform: the same as reading each paragraph."""

from __future__ import annotations

from docx import Document
from docx.oxml.ns import qn
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.document.page_estimate import W_NAMESPACE, PageEstimator, paragraph_text, read_texts, table_text_lengths

# Texts with every kind of whitespace str.split() knows and XML allows, line feeds and the transform's marks.
TEXT = st.text(st.sampled_from(list("ab PRCT\n\r\t\x85\xa0\u1680\u2003\u200a\u2028\u2029\u202f\u205f\u3000é")),
               max_size=12)
PART = st.one_of(TEXT, st.sampled_from(["tab", "br", "page"]))


def w(tag: str) -> str:
    return qn(f"w:{tag}")


def add_paragraph(parent: etree._Element, parts: list[str]) -> None:
    """A paragraph with a tab stop (a w:tab outside the text) and a run per part: text, tab or break."""
    paragraph = etree.SubElement(parent, w("p"))
    etree.SubElement(etree.SubElement(etree.SubElement(paragraph, w("pPr")), w("tabs")), w("tab"), {w("pos"): "10"})
    for part in parts:
        run = etree.SubElement(paragraph, w("r"))
        if part in ("tab", "br", "page"):
            etree.SubElement(run, w("br" if part == "page" else part), {w("type"): "page"} if part == "page" else {})
        else:
            etree.SubElement(run, w("t")).text = part


def add_table(parent: etree._Element, rows: list[list[list[list[str]]]], nested: bool, width: int = 3000) -> None:
    table = etree.SubElement(parent, w("tbl"))
    etree.SubElement(etree.SubElement(table, w("tblGrid")), w("gridCol"), {w("w"): str(width)})
    for row in rows:
        tr = etree.SubElement(table, w("tr"))
        for cell in row:
            tc = etree.SubElement(tr, w("tc"))
            for paragraph in cell:
                add_paragraph(tc, paragraph)
    if nested:
        tc = etree.SubElement(etree.SubElement(table, w("tr")), w("tc"))
        add_table(tc, rows, False)
        etree.SubElement(tc, w("p"))


def reference_lengths(table: etree._Element) -> list[list[list[int]]]:
    """What the estimator measured before: paragraph_text of each cell paragraph, element by element."""
    return [[[len(paragraph_text(p)) for p in cell.iterchildren(qn("w:p"))] for cell in row.iterchildren(qn("w:tc"))]
            for row in table.iter(qn("w:tr"))]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.lists(st.lists(PART, max_size=4), max_size=3), min_size=1, max_size=3),
                min_size=1, max_size=3),
       st.booleans(), st.lists(PART, max_size=4))
def test_texts_match_reading_each_paragraph(rows, nested, parts):
    body = etree.Element(w("body"), nsmap={"w": W_NAMESPACE})
    add_paragraph(body, parts)
    add_table(body, rows, nested)
    add_paragraph(body, parts[::-1])
    add_table(body, rows[:1], False)
    etree.SubElement(body, w("sectPr"))
    tables = list(body.iterchildren(qn("w:tbl")))
    assert table_text_lengths(body) == [reference_lengths(table) for table in tables]
    assert read_texts(body)[0] == {p: paragraph_text(p) for p in body.iterchildren(qn("w:p"))}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.lists(st.lists(PART, max_size=4), max_size=3), min_size=1, max_size=3),
                min_size=1, max_size=3),
       st.sampled_from([0, 300, 580, 675, 770, 865, 3000]))
@example([[[["abcdefgh"]], [["x"], ["abcd", "efgh"]]]], 300)  # lengths that are whole lines: 4 characters a line
@example([[[["abcde"], []]]], 300)  # one character more than a line, and an empty paragraph
def test_row_lines_are_the_tallest_cells_paragraph_lines(rows, width):
    """A row takes its tallest cell's lines; a paragraph max(1, ceil(length / characters per line))."""
    body = etree.Element(w("body"), nsmap={"w": W_NAMESPACE})
    add_table(body, rows, True, width)
    table = body[0]
    widths = [int(c.get(w("w"))) for c in table.iter(w("gridCol"))]  # the nested table's grid too

    def per_line(index: int) -> int:
        return max(4, ((widths[index] if index < len(widths) and widths[index] else 2000) - 200) // 95)

    expected = [max([1] + [sum(max(1, -(-length // per_line(index))) for length in cell)
                           for index, cell in enumerate(row)])
                for row in reference_lengths(table)]
    assert PageEstimator(body, set()).row_lines(table) == expected


def test_estimator_takes_each_table_with_its_own_texts():
    """Two tables of different sizes: the long one takes pages, the short one does not."""
    document = Document()
    long_table = document.add_table(rows=80, cols=2)
    for row in long_table.rows:
        row.cells[0].text = "lång text " * 20
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "kort"
    body = document.element.body
    estimator = PageEstimator(body, set())
    tables = list(body.iterchildren(qn("w:tbl")))
    estimator.add(tables[1])
    assert estimator.page == 1
    estimator.add(tables[0])
    assert estimator.page > 2
