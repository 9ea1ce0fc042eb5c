"""Timeline and coverage tables fitted after rendering: widths, narrow margins, cell properties in schema order."""

from __future__ import annotations

from docx import Document
from docx.oxml import parse_xml
from lxml import etree

from generator.document.docxml import TC_PR_ORDER
from generator.document.plan_tables import NARROW_MARGIN, fit_part_tables

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Cell properties as docxtpl's cellbg and colspan leave them (shd or gridSpan first), and others out of order.
CELLS = (
    '<w:tcW w:w="3118" w:type="dxa"/><w:vMerge w:val="restart"/><w:shd w:val="clear" w:fill="1F4E79"/>',
    '<w:tcW w:w="1134" w:type="dxa"/>',
    '<w:shd w:val="clear" w:fill="C00000"/><w:tcW w:w="500" w:type="dxa"/>',
    '<w:vAlign w:val="center"/><w:tcW w:w="500"/>',  # vAlign belongs after the new tcMar
    '<w:tcW w:w="500" w:type="pct"/><w:noWrap/><!-- note --><w:tcBorders/>',
    '<w:textDirection w:val="btLr"/><w:gridSpan w:val="1"/><w:tcW w:w="5"/><w:shd w:fill="FFFFFF"/>',
)


def _document(first_row_ends: str = "") -> Document:
    """A document with a timeline table of two rows of CELLS on a page of 10 000 twips between the margins;
    first_row_ends goes at the end of the first row's last cell properties."""
    row = "".join(f"<w:tc><w:tcPr>{p}</w:tcPr><w:p/></w:tc>" for p in CELLS)
    first = row[:row.rindex("</w:tcPr>")] + first_row_ends + row[row.rindex("</w:tcPr>"):]
    document = Document()
    body = document.element.body
    table = parse_xml(
        f'<w:tbl xmlns:w="{W}"><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblCaption w:val="Tidslinje"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="100"/></w:tblGrid><w:tr>{first}</w:tr><w:tr>{row}</w:tr></w:tbl>')
    body.insert(0, table)
    section = body.find(f"{{{W}}}sectPr")
    section.find(f"{{{W}}}pgSz").set(f"{{{W}}}w", "12000")
    for side in ("left", "right"):
        section.find(f"{{{W}}}pgMar").set(f"{{{W}}}{side}", "1000")
    return document


def _cells(document: Document) -> list[bytes]:
    return [etree.tostring(tc_pr, method="c14n") for tc_pr in document.element.body.iter(f"{{{W}}}tcPr")]


def test_cells_get_widths_narrow_margins_and_the_schemas_order():
    document = _document()
    assert fit_part_tables(document) == 1
    order = {f"{{{W}}}{name}": i for i, name in enumerate(TC_PR_ORDER)}
    period = (10000 - 3120 - 1130) // (len(CELLS) - 2)
    for row in document.element.body.iter(f"{{{W}}}tr"):
        for index, tc_pr in enumerate(row.iter(f"{{{W}}}tcPr")):
            ranks = [order.get(child.tag, len(order)) for child in tc_pr]
            assert ranks == sorted(ranks)
            width = tc_pr.find(f"{{{W}}}tcW")
            assert width.get(f"{{{W}}}w") == str((3120, 1130)[index] if index < 2 else period)
            assert width.get(f"{{{W}}}type") == "dxa"
            margins = tc_pr.find(f"{{{W}}}tcMar")
            assert (margins is None) == (index < 2)
            if margins is not None:
                assert [m.get(f"{{{W}}}w") for m in margins] == [str(NARROW_MARGIN)] * 2
    assert sum(1 for _ in document.element.body.iter(etree.Comment)) == 2  # comments kept, moved along


def test_the_quick_way_and_the_cell_by_cell_way_give_the_same_cells():
    """A cell with margins of its own sends the whole table the cell-by-cell way; the cells come out alike."""
    quick, careful = _document(), _document('<w:tcMar><w:top w:w="5" w:type="dxa"/></w:tcMar>')
    fit_part_tables(quick)
    fit_part_tables(careful)
    last = len(CELLS) - 1
    quick_cells, careful_cells = _cells(quick), _cells(careful)
    assert b"w:top" not in careful_cells[last]  # its own margins were replaced by the narrow ones
    assert quick_cells == careful_cells


def test_a_width_with_attributes_of_its_own_is_replaced():
    for keep in (("w", "type"), ("w",), ()):  # three, two or one attribute
        document = _document()
        width = next(document.element.body.iter(f"{{{W}}}tcW"))
        for name in {"w", "type"} - set(keep):
            del width.attrib[f"{{{W}}}{name}"]
        width.set("{urn:x}note", "1")
        fit_part_tables(document)
        widths = list(document.element.body.iter(f"{{{W}}}tcW"))
        assert len(widths) == 2 * len(CELLS)
        assert all(set(width.attrib) == {f"{{{W}}}w", f"{{{W}}}type"} for width in widths)


def test_shaded_first_finds_what_its_xpath_finds():
    from generator.document.plan_tables import _shaded_first

    cells = [
        '<w:shd w:fill="C00000"/><w:tcW w:w="5"/>',                 # found
        '<w:shd w:fill="C00000"/>',                                  # nothing after it
        '<!-- c --><w:gridSpan w:val="2"/><!-- d --><w:tcW/>',       # comments do not count
        '<w:gridSpan w:val="2"/><!-- only a comment after -->',
        '<w:tcW w:w="5"/><w:shd w:fill="C00000"/>',                  # not first
    ]
    row = "".join(f"<w:tc><w:tcPr>{c}</w:tcPr><w:p><w:pPr><w:shd w:fill='FF0000'/><w:jc w:val='left'/></w:pPr></w:p>"
                  f"</w:tc>" for c in cells)
    body = parse_xml(f'<w:body xmlns:w="{W}"><w:tbl><w:tr>{row}</w:tr></w:tbl></w:body>')
    expected = etree.XPath("descendant::w:tcPr[*[1][self::w:shd or self::w:gridSpan]][*[2]]",
                           namespaces={"w": W})(body)
    assert _shaded_first(body) == expected and len(expected) == 2
