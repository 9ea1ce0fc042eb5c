"""Give the rendered timeline and coverage tables their column widths: fixed first columns, narrow equal periods."""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from generator.docxml import TC_PR_ORDER, W_NAMESPACE

# Tables found by their caption (tblCaption): widths in twips of the leading columns; the rest share what is left.
LEADING_COLUMNS = {"Tidslinje": (3120, 1130), "Målgrupper och kanaler": (2550,)}
NARROW_MARGIN = 28        # left/right cell margin of a period column, in twips
_FALLBACK_WIDTH = 9638    # 170 mm: the template's text width
_TC_ORDER = {qn(f"w:{name}"): i for i, name in enumerate(TC_PR_ORDER)}
_SHADED_FIRST = etree.XPath("//w:tcPr[*[1][self::w:shd or self::w:gridSpan]][count(*) > 1]",
                            namespaces={"w": W_NAMESPACE})


def fitted_after_rendering(table: Any) -> bool:
    """Whether fit_part_tables gives this rendered table its grid (it has one of the captions)."""
    caption = table.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
    return caption is not None and caption.get(qn("w:val"), "") in LEADING_COLUMNS


def fit_part_tables(document: Any) -> int:
    """Set the grid and cell widths of the captioned tables docxtpl's column loops widened; returns how many."""
    fitted = 0
    for tc_pr in _SHADED_FIRST(document.element.body):  # docxtpl's cellbg and colspan put theirs first
        _order(tc_pr)
    for table in document.element.body.iter(qn("w:tbl")):
        caption = table.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
        leading = LEADING_COLUMNS.get(caption.get(qn("w:val"), "") if caption is not None else "")
        if leading is None:
            continue
        rows = table.findall(qn("w:tr"))
        count = max((sum(_span(c) for c in r.findall(qn("w:tc"))) for r in rows), default=0)
        if count <= len(leading):
            continue
        total = _text_width(table)
        rest = max(total - sum(leading), 0) // (count - len(leading))
        widths = list(leading) + [rest] * (count - len(leading))
        grid = table.find(qn("w:tblGrid"))
        for column in list(grid):
            grid.remove(column)
        for width in widths:
            column = OxmlElement("w:gridCol")
            column.set(qn("w:w"), str(width))
            grid.append(column)
        width_element = table.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
        if width_element is not None:
            width_element.set(qn("w:w"), str(sum(widths)))
            width_element.set(qn("w:type"), "dxa")
        for row in rows:
            index = 0
            for cell in row.findall(qn("w:tc")):
                span = _span(cell)
                _set_cell(cell, sum(widths[index:index + span]) or rest, narrow=index >= len(leading))
                index += span
        fitted += 1
    return fitted


def _span(cell: Any) -> int:
    span = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    try:
        return max(1, int(span.get(qn("w:val")))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def drop_empty_last_section(document: Any) -> bool:
    """When nothing but empty paragraphs follows the last section break, let the document end there.

    A part on a landscape page (the timeline) ends its section with a break; when it is the last
    part, the portrait section after it would be a blank page. Returns whether one was dropped.
    """
    body = document.element.body
    final = body.find(qn("w:sectPr"))
    if final is None:
        return False
    trailing: list[Any] = []
    for element in final.itersiblings(preceding=True):
        inner = element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if element.tag == qn("w:p") else None
        if inner is not None:
            if any(_has_content(p) for p in trailing) or _has_content(element):
                return False
            for paragraph in trailing:
                body.remove(paragraph)
            inner.getparent().remove(inner)
            body.replace(final, inner)
            return True
        if element.tag != qn("w:p") or _has_content(element):
            return False
        trailing.append(element)
    return False


def _has_content(paragraph: Any) -> bool:
    """Text, a picture, a field or a break: anything a page would show."""
    return any(True for _ in paragraph.iter(qn("w:t"), qn("w:drawing"), qn("w:pict"), qn("w:fldChar"), qn("w:br")))


def _set_cell(cell: Any, width: int, narrow: bool) -> None:
    """The cell's width, narrow margins for a period column, its properties in the schema's order."""
    tc_pr = cell.find(qn("w:tcPr"))
    if tc_pr is None:
        tc_pr = OxmlElement("w:tcPr")
        cell.insert(0, tc_pr)
    for name in ("tcW", "tcMar") if narrow else ("tcW",):
        old = tc_pr.find(qn(f"w:{name}"))
        if old is not None:
            tc_pr.remove(old)
    tc_w = OxmlElement("w:tcW")
    tc_w.set(qn("w:w"), str(width))
    tc_w.set(qn("w:type"), "dxa")
    tc_pr.append(tc_w)
    if narrow:
        margins = OxmlElement("w:tcMar")
        for edge in ("left", "right"):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:w"), str(NARROW_MARGIN))
            element.set(qn("w:type"), "dxa")
            margins.append(element)
        tc_pr.append(margins)
    _order(tc_pr)


def _order(tc_pr: Any) -> None:
    """A cell's properties in the schema's sequence."""
    children = sorted(tc_pr, key=lambda child: _TC_ORDER.get(child.tag, len(_TC_ORDER)))
    for child in children:
        tc_pr.append(child)


def _text_width(table: Any) -> int:
    """The width between the margins of the page section the table is in (the next sectPr after it)."""
    body = table.getparent()
    section = None
    for sibling in table.itersiblings():
        section = sibling.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if sibling.tag == qn("w:p") else (
            sibling if sibling.tag == qn("w:sectPr") else None)
        if section is not None:
            break
    if section is None:
        section = body.find(qn("w:sectPr"))
    try:
        size, margins = section.find(qn("w:pgSz")), section.find(qn("w:pgMar"))
        return int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))
    except (AttributeError, TypeError, ValueError):
        return _FALLBACK_WIDTH
