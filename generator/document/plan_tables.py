"""Give the rendered timeline and coverage tables their column widths: fixed first columns, narrow equal periods."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from generator.document.docxml import TC_PR_ORDER, W_NAMESPACE
from generator.document.measures import table_measures

# A table's word measures: (body rows, header row), each a word's width in twips, or None when unknown.
Measures = tuple[Callable[[str], float] | None, Callable[[str], float] | None]

# Tables found by their caption (tblCaption): widths in twips of the leading columns; the rest share what is left.
LEADING_COLUMNS = {"Tidslinje": (3120, 1130), "Målgrupper och kanaler": (2550,)}
# Of those, the tables whose other columns first get what their longest word needs ("Workshops" kept whole),
# then share what is left; the timeline's periods stay equal.
BY_WORDS = frozenset({"Målgrupper och kanaler"})
NARROW_MARGIN = 28        # left/right cell margin of a period column, in twips
_WORD_ROOM = 60           # twips a measured word is given beyond its width: rounding, and the font Word picks
_FALLBACK_WIDTH = 9638    # 170 mm: the template's text width
_TC_ORDER = {qn(f"w:{name}"): i for i, name in enumerate(TC_PR_ORDER)}
_LAST = len(_TC_ORDER)
_TBL, _TR, _TC, _TC_PR, _TBL_GRID, _GRID_COL = (qn(f"w:{n}") for n in ("tbl", "tr", "tc", "tcPr", "tblGrid", "gridCol"))
_TC_W, _TC_MAR, _LEFT, _RIGHT = (qn(f"w:{n}") for n in ("tcW", "tcMar", "left", "right"))
_VAL, _W, _TYPE = qn("w:val"), qn("w:w"), qn("w:type")
_SHD, _GRID_SPAN_TAG = qn("w:shd"), qn("w:gridSpan")
_CAPTION = f"{qn('w:tblPr')}/{qn('w:tblCaption')}"
_GRID_SPAN = f"{_TC_PR}/{qn('w:gridSpan')}"
_TBL_W = f"{qn('w:tblPr')}/{qn('w:tblW')}"
_P, _SECT_PR, _T = qn("w:p"), qn("w:sectPr"), qn("w:t")
_P_SECT_PR = f"{qn('w:pPr')}/{_SECT_PR}"
_NS = {"w": W_NAMESPACE}
_PLAIN_WIDTH_KEYS = frozenset({_W, _TYPE})  # the attributes a tcW the quick way sets may hold
# What a plain table's cells hold, found in one pass each: every cell's first tcPr, their one tcW each.
_CELLS = etree.XPath("w:tr/w:tc", namespaces=_NS)
_ROW_CELLS = etree.XPath("count(w:tc)", namespaces=_NS)
_FIRST_PROPERTIES = etree.XPath("w:tr/w:tc/w:tcPr[1]", namespaces=_NS)
_WIDTHS = etree.XPath("w:tr/w:tc/w:tcPr[1]/w:tcW", namespaces=_NS)
_SPANNED = etree.XPath("w:tr/w:tc[w:tcPr/w:gridSpan]", namespaces=_NS)


def _fitted_after_rendering(table: Any) -> bool:
    """Whether fit_part_tables gives this rendered table its grid (it has one of the captions)."""
    caption = table.find(_CAPTION)
    return caption is not None and caption.get(_VAL, "") in LEADING_COLUMNS


def fit_part_tables(document: Any, tables: list[Any] | None = None) -> int:
    """Set the grid and cell widths of the captioned tables docxtpl's column loops widened; returns how many.

    tables: the body's tables, as body.iter finds them, when the caller has them already.
    """
    fitted = 0
    ordered: set[Any] = set()  # the fitted cells' properties, put in order as they are fitted
    for table in document.element.body.iter(_TBL) if tables is None else tables:
        caption = table.find(_CAPTION)
        name = caption.get(_VAL, "") if caption is not None else ""
        leading = LEADING_COLUMNS.get(name)
        measures = table_measures(document, table) if name in BY_WORDS else None
        if leading is not None and _fit_table(table, leading, ordered, measures):
            fitted += 1
    for tc_pr in _shaded_first(document.element.body):  # docxtpl's cellbg and colspan put theirs first
        if tc_pr not in ordered:
            _order(tc_pr)
    return fitted


def _shaded_first(body: Any) -> list[Any]:
    """The cell properties below body whose first element is a shd or gridSpan, with another element after it.

    What the XPath descendant::w:tcPr[*[1][self::w:shd or self::w:gridSpan]][*[2]] finds, in document order;
    found from the few shd and gridSpan elements, not by asking every cell of a long table.
    """
    found = []
    for node in body.iter(_SHD, _GRID_SPAN_TAG):
        parent = node.getparent()
        if parent.tag == _TC_PR and not _element_sibling(node, preceding=True) and _element_sibling(node):
            found.append(parent)
    return found


def _element_sibling(node: Any, preceding: bool = False) -> bool:
    """Whether an element (not a comment or processing instruction) comes before or after node."""
    sibling = node.getprevious() if preceding else node.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getprevious() if preceding else sibling.getnext()
    return sibling is not None


def _fit_table(table: Any, leading: tuple[int, ...], ordered: set[Any], measures: Measures | None = None) -> bool:
    """Fit one captioned table: its grid, width and every cell; False when it has no period columns.

    measures: (body, header) word measures when the later columns are as wide as their longest words
    need (_word_widths); else they are equal.
    """
    cells = _CELLS(table)
    spanned = set(_SPANNED(table))
    spans = [_span(cell) if cell in spanned else 1 for cell in cells]
    rows, start = [], 0
    for row in table.iterchildren(_TR):
        end = start + int(_ROW_CELLS(row))
        rows.append(range(start, end))
        start = end
    count = max((sum(spans[i] for i in row) for row in rows), default=0)
    if count <= len(leading):
        return False
    total = _text_width(table)
    rest = max(total - sum(leading), 0) // (count - len(leading))
    widths = list(leading) + ([rest] * (count - len(leading)))
    if measures is not None:
        widths[len(leading):] = _word_widths(cells, rows, spans, len(leading), count, max(total - sum(leading), 0),
                                             measures) or widths[len(leading):]
    grid = table.find(_TBL_GRID)
    for column in list(grid):
        grid.remove(column)
    for width in widths:
        etree.SubElement(grid, _GRID_COL, {_W: str(width)})
    width_element = table.find(_TBL_W)
    if width_element is not None:
        width_element.set(_W, str(sum(widths)))
        width_element.set(_TYPE, "dxa")
    cell_widths: list[tuple[int, bool]] = [(0, False)] * len(cells)
    columns = len(widths)
    for row in rows:
        index = 0
        for i in row:
            span = spans[i]
            width = (widths[index] if index < columns else 0) if span == 1 else sum(widths[index:index + span])
            cell_widths[i] = (width or rest, index >= len(leading))
            index += span
    properties, tc_widths = _FIRST_PROPERTIES(table), _WIDTHS(table)
    done = _fit_plain_cells(properties, tc_widths, cell_widths, ordered) if (
        len(properties) == len(tc_widths) == len(cells)) else 0
    for cell, (width, narrow) in zip(cells[done:], cell_widths[done:], strict=True):
        ordered.add(_set_cell(cell, width, narrow))
    return True


def _fit_plain_cells(properties: list[Any], tc_widths: list[Any], cell_widths: list[tuple[int, bool]],
                     ordered: set[Any]) -> int:
    """The common case, done the quick way, cell by cell up to the first that is not plain; returns how many.

    Plain: the cell's properties hold one empty tcW (with no attributes but w:w and w:type), no tcMar and no
    text. Its tcW takes the new width where it is (as good as a new one), a narrow cell gets a copy of the
    margins, and the properties are put in the schema's order by a plan worked out once for each sequence
    of children. _set_cell does the others, and gives a cell done here the same properties again.
    """
    plain_keys = _PLAIN_WIDTH_KEYS
    for done, (tc_pr, tc_w, (width, narrow)) in enumerate(zip(properties, tc_widths, cell_widths, strict=True)):
        children = list(tc_pr)
        tags = tuple(child.tag for child in children)
        order = _plan(tags, narrow)
        if (order is None or tc_pr.text is not None or tc_w.text is not None or len(tc_w)
                or any(child.tail is not None for child in children)
                or not plain_keys.issuperset(tc_w.keys())):
            return done
        tc_w.set(_W, str(width))
        if tc_w.get(_TYPE) != "dxa":  # reading is cheaper than writing
            tc_w.set(_TYPE, "dxa")
        if narrow:
            children.append(_NARROW_MARGINS.__copy__())  # copy.copy's dispatch costs as much as the copy
        for index in order:
            tc_pr.append(children[index])
        ordered.add(tc_pr)
    return len(properties)


def _word_widths(cells: list[Any], rows: list[range], spans: list[int], first: int, count: int, room: int,
                 measures: Measures) -> list[int] | None:
    """Widths for the columns from first on: each its longest word's width, then an equal share of what is left.

    None (equal columns) when the words do not all fit, a font cannot be measured, or a cell spans columns.
    """
    body, header = measures
    if body is None or header is None or any(span != 1 for span in spans):
        return None
    needs = [0] * (count - first)
    for number, row in enumerate(rows):
        measure = header if number == 0 else body
        for column, index in enumerate(row):
            if column >= first:
                words = "".join(text.text or "" for text in cells[index].iter(_T)).split()
                longest = max((measure(word) for word in words), default=0.0)
                needs[column - first] = max(needs[column - first], int(longest) + 2 * NARROW_MARGIN + _WORD_ROOM)
    spare = room - sum(needs)
    if spare < 0:
        return None
    share, left = divmod(spare, len(needs))
    return [need + share + (index < left) for index, need in enumerate(needs)]  # all of room, to the twip


@functools.lru_cache(maxsize=256)
def _plan(tags: tuple[Any, ...], appended: bool) -> tuple[int, ...] | None:
    """Which children to append, in turn, to put them in the schema's order (_order's stable sort).

    The children from the first one out of place on are appended in sorted order; appended:
    a narrow cell's margins come after tags and must be appended even where they already stand.
    None when the quick way does not do these properties: a second tcW, or a tcMar of their own.
    """
    if tags.count(_TC_W) != 1 or _TC_MAR in tags:
        return None
    if appended:
        tags = (*tags, _TC_MAR)
    keys = [_TC_ORDER.get(tag, _LAST) for tag in tags]
    order = sorted(range(len(tags)), key=keys.__getitem__)
    first = next((i for i, j in enumerate(order) if i != j), len(order) - 1 if appended else len(order))
    return tuple(order[first:])


def _span(cell: Any) -> int:
    span = cell.find(_GRID_SPAN)
    try:
        return max(1, int(span.get(_VAL))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _drop_empty_last_section(document: Any) -> bool:
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


def _set_cell(cell: Any, width: int, narrow: bool) -> Any:
    """The cell's width, narrow margins for a period column, its properties in the schema's order; returns them."""
    tc_pr = cell.find(_TC_PR)
    if tc_pr is None:
        tc_pr = etree.SubElement(cell, _TC_PR)
        cell.insert(0, tc_pr)
    for tag in (_TC_W, _TC_MAR) if narrow else (_TC_W,):
        old = tc_pr.find(tag)
        if old is not None:
            tc_pr.remove(old)
    etree.SubElement(tc_pr, _TC_W, {_W: str(width), _TYPE: "dxa"})
    if narrow:
        tc_pr.append(copy.copy(_NARROW_MARGINS))
    _order(tc_pr)
    return tc_pr


def _margins() -> Any:
    narrow = {_W: str(NARROW_MARGIN), _TYPE: "dxa"}
    margins = etree.Element(_TC_MAR, nsmap={"w": W_NAMESPACE})
    etree.SubElement(margins, _LEFT, narrow)
    etree.SubElement(margins, _RIGHT, narrow)
    return margins


_NARROW_MARGINS = _margins()


def _order(tc_pr: Any) -> None:
    """A cell's properties in the schema's sequence."""
    children = list(tc_pr)
    keys = [_TC_ORDER.get(child.tag, _LAST) for child in children]
    if keys == sorted(keys):
        return
    for _, _, child in sorted(zip(keys, range(len(keys)), children, strict=True)):
        tc_pr.append(child)


def _text_width(table: Any) -> int:
    """The width between the margins of the page section the table is in (the next sectPr after it)."""
    body = table.getparent()
    section = None
    for sibling in table.itersiblings():
        section = sibling.find(_P_SECT_PR) if sibling.tag == _P else (sibling if sibling.tag == _SECT_PR else None)
        if section is not None:
            break
    if section is None:
        section = body.find(qn("w:sectPr"))
    try:
        size, margins = section.find(qn("w:pgSz")), section.find(qn("w:pgMar"))
        return int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))
    except (AttributeError, TypeError, ValueError):
        return _FALLBACK_WIDTH
