"""Fill a rendered document's table of contents, so it shows its entries when first opened."""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from generator.docxml import field_runs, text_run

_BOOKMARK_PREFIX = "_TocAp"


@dataclass(frozen=True)
class Entry:
    """One line of the table of contents: a heading, its level and its estimated page."""

    text: str
    level: int
    bookmark: str
    page: int


def numbered_styles(styles_element: Any, prefix: str) -> dict[int, str]:
    """Level -> style id of the built-in styles "<prefix> 1", "<prefix> 2", … the document defines.

    Built-in names are language independent ("heading 1", "toc 1"); style ids are not.
    """
    found = {}
    name_tag, val, style_id = qn("w:name"), qn("w:val"), qn("w:styleId")
    pattern = re.compile(rf"{prefix} (\d)")
    for style in styles_element.iterchildren(qn("w:style")):
        name = style.find(name_tag)
        match = pattern.fullmatch((name.get(val) or "").lower()) if name is not None else None
        if match:
            found[int(match.group(1))] = style.get(style_id)
    return found


def fill_table_of_contents(document: Any) -> int:
    """Replace the template's TOC field with one linked entry per heading.

    Each entry holds a PAGEREF field to a bookmark on its heading. LibreOffice
    computes those page numbers when it lays the document out; the cached numbers,
    which Word shows until its fields are updated, are estimates. The TOC field
    itself is removed because LibreOffice would show its cached result as it is.
    Returns the number of entries, or 0 when the document has no TOC field.
    """
    body = document.element.body
    field = _find_toc_field(body)
    if field is None:
        return 0
    start, begin, end_paragraph, end_run, deepest = field
    styles = document.styles.element
    levels = {style_id: level for level, style_id in numbered_styles(styles, "heading").items() if level <= deepest}
    entries = _bookmark_headings(body, levels, start)
    # Drop the field and its cached result: from "begin" to the end of the start
    # paragraph, the paragraphs in between, and the end paragraph up to "end".
    for run in [begin, *_siblings_after(begin)]:
        if run is end_run:
            break
        start.remove(run)
    node = start.getnext()
    while node is not None and node is not end_paragraph and end_paragraph is not start:
        following = node.getnext()
        node.getparent().remove(node)
        node = following
    if end_paragraph is not start:
        for run in list(end_paragraph.iterchildren()):
            if run is end_run:
                break
            if run.tag != qn("w:pPr"):
                end_paragraph.remove(run)
    end_run.getparent().remove(end_run)
    entry_styles = numbered_styles(styles, "toc")
    tab_position = _text_width(document)
    previous = start
    for entry in entries:
        paragraph = OxmlElement("w:p")
        _set_style(paragraph, entry_styles.get(entry.level), tab_position)
        paragraph.append(_entry_link(entry))
        previous.addnext(paragraph)
        previous = paragraph
    # The emptied start paragraph goes, unless it is all a table cell or content control would hold:
    # Word wants a paragraph there.
    if all(child.tag == qn("w:pPr") for child in start) and (entries or start.getparent().tag == qn("w:body")):
        start.getparent().remove(start)
    return len(entries)


def _find_toc_field(body: Any) -> tuple[Any, Any, Any, Any, int] | None:
    """(start paragraph, begin run, end paragraph, end run, deepest level) of the TOC field."""
    for instr in body.iter(qn("w:instrText")):
        text = (instr.text or "").strip()
        if not text.startswith("TOC"):
            continue
        match = re.search(r'\\o\s+"\d-(\d)"', text)
        deepest = int(match.group(1)) if match else 3
        instr_run = instr.getparent()
        start = instr_run.getparent()
        if start.tag != qn("w:p"):
            return None
        begin = instr_run.getprevious()
        while begin is not None and _fld_char(begin) != "begin":
            begin = begin.getprevious()
        if begin is None:
            return None
        depth = 0
        paragraph = start
        seen_instr = False
        while paragraph is not None:
            for run in paragraph.iter(qn("w:r")):
                if run is instr_run:
                    seen_instr = True
                    continue
                if not seen_instr:
                    continue
                kind = _fld_char(run)
                if kind == "begin":
                    depth += 1
                elif kind == "end":
                    if depth == 0:
                        if run.getparent() is not paragraph:
                            return None
                        return start, begin, paragraph, run, deepest
                    depth -= 1
            paragraph = paragraph.getnext()
        return None
    return None


def _fld_char(run: Any) -> str | None:
    char = run.find(qn("w:fldChar"))
    return char.get(qn("w:fldCharType")) if char is not None else None


def _siblings_after(node: Any) -> list[Any]:
    result = []
    sibling = node.getnext()
    while sibling is not None:
        result.append(sibling)
        sibling = sibling.getnext()
    return result


def _paragraph_text(paragraph: Any) -> str:
    parts = []
    for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        parts.append(node.text or "" if node.tag == qn("w:t") else " ")
    return " ".join("".join(parts).split())


def _bookmark_headings(body: Any, levels: dict[str, int], toc_start: Any) -> list[Entry]:
    ids = [int(b.get(qn("w:id"))) for b in body.iter(qn("w:bookmarkStart"))
           if (b.get(qn("w:id")) or "").isdigit()]
    next_id = max(ids, default=0) + 1
    headings = {}
    for node in body.iterchildren(qn("w:p")):
        style = node.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        level = levels.get(style.get(qn("w:val"))) if style is not None else None
        if level is not None and node is not toc_start and _paragraph_text(node):
            headings[node] = level
    entries: list[Entry] = []
    estimator = _PageEstimator(levels)
    for node in body.iterchildren():
        if len(entries) == len(headings):
            break  # nothing after the last heading changes an entry's page
        estimator.add(node)
        level = headings.get(node)
        if level is None:
            continue
        text = _paragraph_text(node)
        name = f"{_BOOKMARK_PREFIX}{len(entries) + 1}"
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(next_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(next_id))
        next_id += 1
        ppr = node.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            node.insert(0, start)
        node.append(end)
        entries.append(Entry(text, level, name, estimator.page))
    return entries


def _set_style(paragraph: Any, style_id: str | None, tab_position: int) -> None:
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        paragraph.insert(0, ppr)
    if style_id:
        style = ppr.find(qn("w:pStyle"))
        if style is None:
            style = OxmlElement("w:pStyle")
            ppr.insert(0, style)
        style.set(qn("w:val"), style_id)
    if ppr.find(qn("w:tabs")) is None:
        tabs = OxmlElement("w:tabs")
        tab = OxmlElement("w:tab")
        tab.set(qn("w:val"), "right")
        tab.set(qn("w:leader"), "dot")
        tab.set(qn("w:pos"), str(tab_position))
        tabs.append(tab)
        style = ppr.find(qn("w:pStyle"))
        if style is not None:
            style.addnext(tabs)
        else:
            ppr.insert(0, tabs)


def _entry_link(entry: Entry) -> Any:
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), entry.bookmark)
    link.set(qn("w:history"), "1")
    link.append(text_run(entry.text))
    tab = OxmlElement("w:r")
    tab.append(OxmlElement("w:tab"))
    link.append(tab)
    for run in field_runs(f"PAGEREF {entry.bookmark} \\h", str(entry.page)):
        link.append(copy.deepcopy(run))
    return link


def _text_width(document: Any) -> int:
    """The text width of the last section, in twentieths of a point (for the dot leader tab)."""
    section = document.sections[-1]
    try:
        width = section.page_width - section.left_margin - section.right_margin
        return int(width / 635)  # EMU per twip
    except TypeError:
        return 9638


class _PageEstimator:
    """A rough page count for the default layout (A4, 11 pt body text), in points.

    Good enough for the cached numbers Word shows until its fields are updated;
    LibreOffice and the PDF export compute the real ones.
    """

    PAGE_HEIGHT = 700.0
    BODY_LINE, BODY_CHARS, BODY_AFTER = 15.4, 88, 6.0  # 11 pt × 1.22 (Calibri) × 1.15
    HEADING_LINE, HEADING_CHARS, HEADING_SPACE = 22.5, 52, 24.0
    # Table text: 9.5 pt single-spaced, 2 pt after; cell margins 2.85 pt above and below; widths from the grid.
    TABLE_LINE, TABLE_ROW_SPACE, TABLE_CHAR_TWIPS, CELL_TWIPS = 11.6, 7.7, 95, 2000

    def __init__(self, levels: dict[str, int]) -> None:
        self.levels = levels
        self.page = 1
        self.height = 0.0

    def add(self, node: Any) -> None:
        if node.tag == qn("w:p"):
            ppr = node.find(qn("w:pPr"))
            style = ppr.find(qn("w:pStyle")) if ppr is not None else None
            heading = style is not None and style.get(qn("w:val")) in self.levels
            if ppr is not None and ppr.find(qn("w:pageBreakBefore")) is not None and self.height:
                self._new_page()
            chars = len(_paragraph_text(node))
            if heading:
                lines = max(1, math.ceil(chars / self.HEADING_CHARS))
                self._grow(lines * self.HEADING_LINE + self.HEADING_SPACE)
            else:
                lines = max(1, math.ceil(chars / self.BODY_CHARS))
                self._grow(lines * self.BODY_LINE + self.BODY_AFTER)
            for br in node.iter(qn("w:br")):
                if br.get(qn("w:type")) == "page":
                    self._new_page()
            if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
                self._new_page()  # a section break: the next section starts on a new page
        elif node.tag == qn("w:tbl"):
            widths = [int(c.get(qn("w:w")) or 0) for c in node.iter(qn("w:gridCol"))]
            for row in node.iter(qn("w:tr")):
                lines = 1
                for index, cell in enumerate(row.iterchildren(qn("w:tc"))):
                    width = widths[index] if index < len(widths) and widths[index] > 0 else self.CELL_TWIPS
                    per_line = max(4, (width - 200) // self.TABLE_CHAR_TWIPS)
                    cell_lines = sum(max(1, math.ceil(len(_paragraph_text(p)) / per_line))
                                     for p in cell.iterchildren(qn("w:p")))
                    lines = max(lines, cell_lines)
                self._grow(lines * self.TABLE_LINE + self.TABLE_ROW_SPACE)

    def _grow(self, points: float) -> None:
        if self.height + points > self.PAGE_HEIGHT and self.height:
            self._new_page()
        self.height += points

    def _new_page(self) -> None:
        self.page += 1
        self.height = 0.0
