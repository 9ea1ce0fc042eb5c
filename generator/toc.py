"""Fill a rendered document's table of contents, so it shows its entries when first opened."""

from __future__ import annotations

import copy
import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from generator.docxml import field_runs, text_run

_BOOKMARK_PREFIX = "_TocAp"
_W_P, _W_R, _W_T, _W_TAB, _W_BR, _W_TBL, _W_TR, _W_TC = (qn(f"w:{tag}") for tag in
                                                         ("p", "r", "t", "tab", "br", "tbl", "tr", "tc"))
_W_PPR, _W_P_STYLE, _W_TABS, _W_SECT_PR, _W_PAGE_BREAK_BEFORE = (qn(f"w:{tag}") for tag in
                                                                 ("pPr", "pStyle", "tabs", "sectPr", "pageBreakBefore"))
_W_STYLE, _W_NAME, _W_STYLE_ID, _W_VAL, _W_ID, _W_TYPE, _W_W = (qn(f"w:{tag}") for tag in
                                                                ("style", "name", "styleId", "val", "id", "type", "w"))
_W_BOOKMARK_START, _W_BOOKMARK_END, _W_GRID_COL = qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:gridCol")
_W_INSTR_TEXT, _W_FLD_CHAR, _W_FLD_CHAR_TYPE = qn("w:instrText"), qn("w:fldChar"), qn("w:fldCharType")
_W_ANCHOR, _W_LEADER, _W_POS = qn("w:anchor"), qn("w:leader"), qn("w:pos")


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
    return _numbered_styles(styles_element).get(prefix.lower(), {})


_NUMBERED = re.compile(r"(.+) (\d)")


def _numbered_styles(styles_element: Any) -> dict[str, dict[int, str]]:
    """numbered_styles for every prefix at once: prefix -> level -> style id (one pass over the styles)."""
    found: dict[str, dict[int, str]] = {}
    for style in styles_element.iterchildren(_W_STYLE):
        name = _child(style, _W_NAME)
        match = _NUMBERED.fullmatch((name.get(_W_VAL) or "").lower()) if name is not None else None
        if match:
            found.setdefault(match.group(1), {})[int(match.group(2))] = style.get(_W_STYLE_ID)
    return found


def _child(element: Any, tag: str) -> Any:
    """element.find(tag) for a plain tag, without ElementPath's cost."""
    for child in element.iterchildren(tag):
        return child
    return None


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
    numbered = _numbered_styles(document.styles.element)
    levels = {style_id: level for level, style_id in numbered.get("heading", {}).items() if level <= deepest}
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
            if run.tag != _W_PPR:
                end_paragraph.remove(run)
    end_run.getparent().remove(end_run)
    entry_styles = numbered.get("toc", {})
    tab_position = str(_text_width(document))
    previous = start
    for entry in entries:
        paragraph = start.makeelement(_W_P, {})
        _set_style(paragraph, entry_styles.get(entry.level), tab_position)
        paragraph.append(_entry_link(entry))
        previous.addnext(paragraph)
        previous = paragraph
    # The emptied start paragraph goes, unless it is all a table cell or content control would hold:
    # Word wants a paragraph there.
    if all(child.tag == _W_PPR for child in start) and (entries or start.getparent().tag == qn("w:body")):
        start.getparent().remove(start)
    return len(entries)


def _find_toc_field(body: Any) -> tuple[Any, Any, Any, Any, int] | None:
    """(start paragraph, begin run, end paragraph, end run, deepest level) of the TOC field."""
    for instr in body.iter(_W_INSTR_TEXT):
        text = (instr.text or "").strip()
        if not text.startswith("TOC"):
            continue
        match = re.search(r'\\o\s+"\d-(\d)"', text)
        deepest = int(match.group(1)) if match else 3
        instr_run = instr.getparent()
        start = instr_run.getparent()
        if start.tag != _W_P:
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
            for run in paragraph.iter(_W_R):
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
    char = _child(run, _W_FLD_CHAR)
    return char.get(_W_FLD_CHAR_TYPE) if char is not None else None


def _siblings_after(node: Any) -> list[Any]:
    result = []
    sibling = node.getnext()
    while sibling is not None:
        result.append(sibling)
        sibling = sibling.getnext()
    return result


def _paragraph_text(paragraph: Any, spaced: bool = True) -> str:
    """The paragraph's text, a tab or line break read as a space, with whitespace runs made one space.

    spaced=False: the caller knows the paragraph holds no w:tab or w:br (then lxml's itertext does it all).
    """
    if spaced:
        parts = [node.text or "" if node.tag == _W_T else " " for node in paragraph.iter(_W_T, _W_TAB, _W_BR)]
    else:
        parts = list(paragraph.itertext(_W_T, with_tail=False))
    return " ".join("".join(parts).split())


def _spaced_paragraphs(element: Any) -> set[Any]:
    """The paragraphs in element (or element itself) holding a w:tab or w:br, which _paragraph_text reads as a space."""
    spaced = set()
    for node in element.iter(_W_TAB, _W_BR):
        spaced.update(node.iterancestors(_W_P))
    return spaced


def _style_id(paragraph: Any) -> str | None:
    """The paragraph's w:pStyle value, None without one."""
    ppr = _child(paragraph, _W_PPR)
    style = _child(ppr, _W_P_STYLE) if ppr is not None else None
    return style.get(_W_VAL) if style is not None else None


def _bookmark_headings(body: Any, levels: dict[str, int], toc_start: Any) -> list[Entry]:
    ids = [int(b.get(_W_ID)) for b in body.iter(_W_BOOKMARK_START) if (b.get(_W_ID) or "").isdigit()]
    next_id = max(ids, default=0) + 1
    spaced = _spaced_paragraphs(body)
    headings = {}
    for node in body.iterchildren(_W_P):
        level = levels.get(_style_id(node))  # type: ignore[arg-type]
        if level is not None and node is not toc_start:
            text = _paragraph_text(node, node in spaced)
            if text:
                headings[node] = (level, text)
    entries: list[Entry] = []
    estimator = _PageEstimator(levels, spaced)
    for node in body.iterchildren():
        if len(entries) == len(headings):
            break  # nothing after the last heading changes an entry's page
        heading = headings.get(node)
        estimator.add(node, heading[1] if heading is not None else None)
        if heading is None:
            continue
        level, text = heading
        name = f"{_BOOKMARK_PREFIX}{len(entries) + 1}"
        start = node.makeelement(_W_BOOKMARK_START, {_W_ID: str(next_id), qn("w:name"): name})
        end = node.makeelement(_W_BOOKMARK_END, {_W_ID: str(next_id)})
        next_id += 1
        ppr = _child(node, _W_PPR)
        if ppr is not None:
            ppr.addnext(start)
        else:
            node.insert(0, start)
        node.append(end)
        entries.append(Entry(text, level, name, estimator.page))
    return entries


def _set_style(paragraph: Any, style_id: str | None, tab_position: str) -> None:
    """Give a new, empty entry paragraph its TOC style and the right-aligned dot leader tab at tab_position."""
    ppr = etree.SubElement(paragraph, _W_PPR)
    if style_id:
        etree.SubElement(ppr, _W_P_STYLE, {_W_VAL: style_id})
    tabs = etree.SubElement(ppr, _W_TABS)
    etree.SubElement(tabs, _W_TAB, {_W_VAL: "right", _W_LEADER: "dot", _W_POS: tab_position})


def _entry_link(entry: Entry) -> Any:
    """A hyperlink to the entry's bookmark: its text, a tab and a PAGEREF field with the estimated page."""
    link = copy.deepcopy(_link_prototype())
    link.set(_W_ANCHOR, entry.bookmark)
    link[0][0].text = entry.text  # the text run's w:t
    link[3][0].text = f" PAGEREF {entry.bookmark} \\h "  # the field's instrText (docxml.field_runs)
    link[5][0].text = str(entry.page)  # the field's cached result
    return link


@functools.lru_cache(maxsize=1)
def _link_prototype() -> Any:
    """The element every entry's link is a deep copy of (never put into a document itself)."""
    link = OxmlElement("w:hyperlink", {_W_ANCHOR: "", qn("w:history"): "1"})
    link.append(text_run(""))
    tab = OxmlElement("w:r")
    tab.append(OxmlElement("w:tab"))
    link.append(tab)
    for run in field_runs("PAGEREF", ""):
        link.append(run)
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

    def __init__(self, levels: dict[str, int], spaced: set[Any]) -> None:
        """levels: the heading styles' ids; spaced: the body's _spaced_paragraphs."""
        self.levels = levels
        self.spaced = spaced
        self.page = 1
        self.height = 0.0

    def add(self, node: Any, text: str | None = None) -> None:
        """Lay out a child of the body; text: a paragraph's _paragraph_text when the caller has it."""
        if node.tag == _W_P:
            ppr = _child(node, _W_PPR)
            style = _child(ppr, _W_P_STYLE) if ppr is not None else None
            heading = style is not None and style.get(_W_VAL) in self.levels
            if ppr is not None and _child(ppr, _W_PAGE_BREAK_BEFORE) is not None and self.height:
                self._new_page()
            spaced = node in self.spaced
            chars = len(text if text is not None else _paragraph_text(node, spaced))
            if heading:
                lines = max(1, math.ceil(chars / self.HEADING_CHARS))
                self._grow(lines * self.HEADING_LINE + self.HEADING_SPACE)
            else:
                lines = max(1, math.ceil(chars / self.BODY_CHARS))
                self._grow(lines * self.BODY_LINE + self.BODY_AFTER)
            for br in node.iter(_W_BR) if spaced else ():
                if br.get(_W_TYPE) == "page":
                    self._new_page()
            if ppr is not None and _child(ppr, _W_SECT_PR) is not None:
                self._new_page()  # a section break: the next section starts on a new page
        elif node.tag == _W_TBL:
            self._add_table(node)

    def _add_table(self, table: Any) -> None:
        # A cell's width from the grid (CELL_TWIPS without one), less its margins, holds per_line characters.
        per_lines = [max(4, ((width if width > 0 else self.CELL_TWIPS) - 200) // self.TABLE_CHAR_TWIPS)
                     for width in (int(c.get(_W_W) or 0) for c in table.iter(_W_GRID_COL))]
        beyond = max(4, (self.CELL_TWIPS - 200) // self.TABLE_CHAR_TWIPS)
        spaced = self.spaced
        for row in table.iter(_W_TR):
            lines = 1
            for index, cell in enumerate(row.iterchildren(_W_TC)):
                per_line = per_lines[index] if index < len(per_lines) else beyond
                cell_lines = 0
                for paragraph in cell.iterchildren(_W_P):
                    chars = len(_paragraph_text(paragraph, paragraph in spaced))
                    cell_lines += max(1, -(-chars // per_line))  # whole lines: ceil(chars / per_line)
                lines = max(lines, cell_lines)
            self._grow(lines * self.TABLE_LINE + self.TABLE_ROW_SPACE)

    def _grow(self, points: float) -> None:
        if self.height + points > self.PAGE_HEIGHT and self.height:
            self._new_page()
        self.height += points

    def _new_page(self) -> None:
        self.page += 1
        self.height = 0.0
