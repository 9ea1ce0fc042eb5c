"""Fill a rendered document's table of contents, so it shows its entries when first opened."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from generator.document.docxml import _text_run, field_runs
from generator.document.page_estimate import W_NAMESPACE, PageEstimator, _first_child
from generator.document.rows import DetachedRows, detached_rows

_BOOKMARK_PREFIX = "_TocAp"
_W_P, _W_R, _W_TAB, _W_TABS, _W_PPR, _W_P_STYLE = (qn(f"w:{tag}") for tag in ("p", "r", "tab", "tabs", "pPr", "pStyle"))
_W_NAME, _W_STYLE_ID, _W_VAL, _W_ID = (qn(f"w:{tag}") for tag in ("name", "styleId", "val", "id"))
_W_BOOKMARK_START, _W_BOOKMARK_END = qn("w:bookmarkStart"), qn("w:bookmarkEnd")
_W_INSTR_TEXT, _W_FLD_CHAR, _W_FLD_CHAR_TYPE = qn("w:instrText"), qn("w:fldChar"), qn("w:fldCharType")
_W_ANCHOR, _W_LEADER, _W_POS = qn("w:anchor"), qn("w:leader"), qn("w:pos")


class Entry(NamedTuple):
    """One line of the table of contents: a heading, its level and its estimated page."""

    text: str
    level: int
    bookmark: str
    page: int


_NUMBERED = re.compile(r"(.+) (\d)")
# The styles whose name's last but one character is a space: the only ones _NUMBERED can match.
_MAYBE_NUMBERED = etree.XPath("w:style[w:name[1][substring(@w:val, string-length(@w:val) - 1, 1) = ' ']]",
                              namespaces={"w": W_NAMESPACE})


def _numbered_styles(styles_element: Any) -> dict[str, dict[int, str]]:
    """Level -> style id of the built-in styles "<prefix> 1", "<prefix> 2" … for every prefix, in one pass.

    Built-in names are language independent ("heading 1", "toc 1"); style ids are not.
    """
    found: dict[str, dict[int, str]] = {}
    for style in _MAYBE_NUMBERED(styles_element):
        name = _first_child(style, _W_NAME)
        match = _NUMBERED.fullmatch((name.get(_W_VAL) or "").lower()) if name is not None else None
        if match:
            found.setdefault(match.group(1), {})[int(match.group(2))] = style.get(_W_STYLE_ID)
    return found


def _fill_table_of_contents(document: Any) -> int:
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
    entries = _bookmark_headings(body, levels, start, detached_rows(document))
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
    for instr in _instr_texts(body):
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


def _instr_texts(body: Any) -> Iterator[Any]:
    """body.iter(w:instrText), a child at a time: lxml's iterator looks one match ahead, and the next
    field after the table of contents may lie past a table of thousands of rows."""
    for child in body.iterchildren(etree.Element):
        yield from child.iter(_W_INSTR_TEXT)


def _fld_char(run: Any) -> str | None:
    char = _first_child(run, _W_FLD_CHAR)
    return char.get(_W_FLD_CHAR_TYPE) if char is not None else None


def _siblings_after(node: Any) -> list[Any]:
    result = []
    sibling = node.getnext()
    while sibling is not None:
        result.append(sibling)
        sibling = sibling.getnext()
    return result


def _style_level(paragraph: Any, levels: dict[str, int]) -> int | None:
    """The level its w:pStyle gives a paragraph, None without one."""
    ppr = _first_child(paragraph, _W_PPR)
    style = _first_child(ppr, _W_P_STYLE) if ppr is not None else None
    return levels.get(style.get(_W_VAL)) if style is not None else None


def _bookmark_headings(body: Any, levels: dict[str, int], toc_start: Any,
                       detached: DetachedRows | None = None) -> list[Entry]:
    # A search by tag: free when the document has no bookmark at all (lxml knows the names it holds).
    ids = [int(value) for node in body.iter(_W_BOOKMARK_START) if (value := node.get(_W_ID)) is not None
           and value.isdigit()]
    next_id = max(ids, default=0) + 1
    estimator = PageEstimator(body, set(levels), detached)
    style_levels = {node: _style_level(node, levels) for node in body.iterchildren(_W_P)}
    headings = {node: level for node, level in style_levels.items()
                if level is not None and node is not toc_start and estimator.texts[node]}
    entries: list[Entry] = []
    for node in body.iterchildren():
        if len(entries) == len(headings):
            break  # nothing after the last heading changes an entry's page
        estimator.add(node, style_levels.get(node) is not None)
        level = headings.get(node)
        if level is None:
            continue
        text = estimator.texts[node]
        name = f"{_BOOKMARK_PREFIX}{len(entries) + 1}"
        start = node.makeelement(_W_BOOKMARK_START, {_W_ID: str(next_id), qn("w:name"): name})
        end = node.makeelement(_W_BOOKMARK_END, {_W_ID: str(next_id)})
        next_id += 1
        ppr = _first_child(node, _W_PPR)
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
    link.append(_text_run(""))
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
