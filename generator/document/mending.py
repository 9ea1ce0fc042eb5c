"""Mend what a person's edit of a template in Word or LibreOffice Writer would silently lose when rendered.

Both mendings run once, when a template is opened (render.open_template), on its document body:

- A table that loops over records and shows done and not-done ones in two example rows
  (``{%tr if rad.klar %}`` one row ``{%tr else %}`` the other ``{%tr endif %}``, the if-block
  being the loop's whole body) where one of the two rows was deleted: the kind without a row would
  vanish from the document. The row that is left is copied for the other kind: done ones get red
  text and the word Klar in a column headed Klar (else " (klar)" after the first cell's text, as
  the timeline has it), the others lose both.
- A section break (w:sectPr) or page break inside a ``{%p … %}`` paragraph, which docxtpl removes
  whole with the tag: LibreOffice Writer moves the section break of an empty paragraph into the
  paragraph before it, and the page break before a heading into the paragraph before that. Each
  is kept in an empty paragraph of its own, next to the tag on the side it stood.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from generator.document.docxml import R_PR_ORDER, put_in_order
from generator.plan.schema import DONE_TEXT
from generator.template.context_plan import DONE_FILL
from generator.workbook.colors import is_red_rgb

_W_P, _W_R, _W_T, _W_BR, _W_TBL, _W_TR, _W_TC = (qn(f"w:{tag}") for tag in ("p", "r", "t", "br", "tbl", "tr", "tc"))
_W_PPR, _W_RPR, _W_SECT_PR, _W_COLOR = (qn(f"w:{tag}") for tag in ("pPr", "rPr", "sectPr", "color"))
_W_PAGE_BREAK_BEFORE, _W_TYPE, _W_VAL = qn("w:pageBreakBefore"), qn("w:type"), qn("w:val")
_W_TR_PR, _W_TBL_PR_EX = qn("w:trPr"), qn("w:tblPrEx")
# A paragraph docxtpl replaces whole by its tag (patch_xml): {%p …%}, {{p …}}, {#p …#}.
_PARAGRAPH_TAG = re.compile(r"\{[%{#]p\s")
_ROW_TAG = re.compile(r"\{%tr\s+(.*?)\s*-?%\}", re.DOTALL)
_FOR = re.compile(r"for\s+(\w+)\s+in\s")
_IF_DONE = re.compile(r"if\s+(not\s+)?(\w+)\.klar$")
_DONE_SUFFIX = f" ({DONE_TEXT.lower()})"   # the timeline's cue for a done row: "Aktivitet (klar)"
_DARK = 0x80                               # text this dark and grey is the row's plain text colour


def _mend_template(document: Any) -> None:
    """Both mendings on a template's body (a python-docx Document), in place."""
    body = document.element.body
    _keep_breaks(body)
    for table in list(body.iter(_W_TBL)):
        _complete_done_rows(table)


# -- breaks inside {%p %} paragraphs ------------------------------------------------------------------------

def _keep_breaks(body: Any) -> int:
    """Move the section and page breaks of every {%p %} paragraph into paragraphs of their own; how many moved."""
    moved = 0
    for paragraph in list(body.iter(_W_P)):
        if not _PARAGRAPH_TAG.search(_text(paragraph)):
            continue
        p_pr = paragraph.find(_W_PPR)
        section = p_pr.find(_W_SECT_PR) if p_pr is not None else None
        before_tag = after_tag = 0
        for br in list(paragraph.iter(_W_BR)):
            if br.get(_W_TYPE) != "page":
                continue
            if "%}" in _text_before(paragraph, br) or "}}" in _text_before(paragraph, br):
                after_tag += 1
            else:
                before_tag += 1
            br.getparent().remove(br)
        page_before = p_pr.find(_W_PAGE_BREAK_BEFORE) if p_pr is not None else None
        if page_before is not None:
            p_pr.remove(page_before)
            if page_before.get(_W_VAL, "true") not in ("0", "false", "off"):
                after_tag += 1  # the block the tag opens starts on a new page
        if section is not None:
            p_pr.remove(section)
        if before_tag:
            paragraph.addprevious(_break_paragraph(before_tag, None))
        if after_tag or section is not None:
            paragraph.addnext(_break_paragraph(after_tag, section))
        moved += before_tag + after_tag + (section is not None)
    return moved


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(_W_T))


def _text_before(paragraph: Any, element: Any) -> str:
    """The text of paragraph that comes before element."""
    texts = []
    for node in paragraph.iter(_W_T, element.tag):
        if node is element:
            break
        if node.tag == _W_T:
            texts.append(node.text or "")
    return "".join(texts)


def _break_paragraph(page_breaks: int, section: Any) -> Any:
    """An empty paragraph with page_breaks page breaks, ending a section when section (a w:sectPr) is given."""
    paragraph = OxmlElement("w:p")
    if section is not None:
        p_pr = OxmlElement("w:pPr")
        p_pr.append(section)
        paragraph.append(p_pr)
    if page_breaks:
        run = OxmlElement("w:r")
        for _ in range(page_breaks):
            br = OxmlElement("w:br")
            br.set(_W_TYPE, "page")
            run.append(br)
        paragraph.append(run)
    return paragraph


# -- a deleted example row of a {%tr if rad.klar %} … {%tr else %} … {%tr endif %} -------------------------

def _complete_done_rows(table: Any) -> int:
    """Give the done or not-done branch of each loop's if-block a row when it has none; how many rows added."""
    rows = list(table.iterchildren(_W_TR))
    tags = [_row_tag(row) for row in rows]
    added = 0
    for start, tag in enumerate(tags):
        match = _IF_DONE.match(tag or "")
        if match is None or start == 0 or not _loops_over(tags[start - 1], match.group(2)):
            continue
        block = _if_block(tags, start)
        if block is None:
            continue
        middle, end = block
        if end + 1 >= len(tags) or tags[end + 1] != "endfor":
            continue  # the if-block is not the loop's whole body: an empty branch may be meant
        done_first = not match.group(1)
        first = rows[start + 1:middle] if middle is not None else rows[start + 1:end]
        second = rows[middle + 1:end] if middle is not None else []
        if first and second:
            continue
        header = _header_texts(rows[0])
        if not second:
            if middle is None:
                else_row = _tag_row_like(rows[start], "{%tr else %}")
                rows[end].addprevious(else_row)
            anchor = rows[end]
            copies = [_derived(row, header, done=not done_first) for row in first]
        else:
            anchor = rows[middle]  # type: ignore[index]
            copies = [_derived(row, header, done=done_first) for row in second]
        for row in copies:
            anchor.addprevious(row)
        added += len(copies)
    return added


def _row_tag(row: Any) -> str | None:
    """The statement of a {%tr …%} row ("if rad.klar"), or None for a row of content."""
    match = _ROW_TAG.search(_text(row))
    return " ".join(match.group(1).split()) if match else None


def _loops_over(tag: str | None, name: str) -> bool:
    match = _FOR.match(tag or "")
    return match is not None and match.group(1) == name


def _if_block(tags: list[str | None], start: int) -> tuple[int | None, int] | None:
    """(index of else or None, index of endif) of the if-row at start, when no other row tag lies inside."""
    middle = None
    for index in range(start + 1, len(tags)):
        tag = tags[index]
        if tag is None:
            continue
        if tag == "else" and middle is None:
            middle = index
        elif tag == "endif":
            return middle, index
        else:
            return None
    return None


def _header_texts(row: Any) -> list[str]:
    return [_text(cell).strip().casefold() for cell in row.iterchildren(_W_TC)]


def _tag_row_like(row: Any, tag: str) -> Any:
    """A copy of a tag row holding tag instead."""
    copied = copy.deepcopy(row)
    texts = list(copied.iter(_W_T))
    for t in texts:
        t.text = ""
    if texts:
        texts[0].text = tag
    return copied


def _derived(row: Any, header: list[str], done: bool) -> Any:
    """A copy of row for done (red, with the Klar cue) or not-done activities (neither)."""
    copied = copy.deepcopy(row)
    cells = list(copied.iterchildren(_W_TC))
    done_column = header.index(DONE_TEXT.casefold()) if DONE_TEXT.casefold() in header else None
    if done_column is not None and len(cells) != len(header):
        done_column = None  # merged cells: the column cannot be told
    for run in copied.iter(_W_R):
        if done and _plain_colour(run) and _text(run):
            _set_colour(run, DONE_FILL)
        elif not done and _red(run):
            colour = run.find(_W_RPR).find(_W_COLOR)
            colour.getparent().remove(colour)
    if done:
        _add_done_cue(cells, done_column)
    else:
        _drop_done_cue(cells, done_column)
    return copied


def _plain_colour(run: Any) -> bool:
    """Whether a run is in the row's plain text colour: none, automatic, or a dark grey."""
    r_pr = run.find(_W_RPR)
    colour = r_pr.find(_W_COLOR) if r_pr is not None else None
    value = (colour.get(_W_VAL) or "auto") if colour is not None else "auto"
    if value.lower() == "auto":
        return True
    try:
        channels = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    except ValueError:
        return False
    return max(channels) <= _DARK and max(channels) - min(channels) <= 0x20


def _red(run: Any) -> bool:
    r_pr = run.find(_W_RPR)
    colour = r_pr.find(_W_COLOR) if r_pr is not None else None
    return colour is not None and is_red_rgb(colour.get(_W_VAL) or "")


def _set_colour(run: Any, rgb: str) -> None:
    r_pr = run.find(_W_RPR)
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        run.insert(0, r_pr)
    colour = put_in_order(r_pr, "color", R_PR_ORDER)
    for attribute in list(colour.attrib):
        del colour.attrib[attribute]
    colour.set(_W_VAL, rgb)


def _add_done_cue(cells: list[Any], done_column: int | None) -> None:
    """The word Klar in the Klar column (when it is empty), else " (klar)" after the first cell's text."""
    if done_column is not None:
        cell = cells[done_column]
        if not _text(cell).strip():
            paragraph = cell.find(_W_P)
            if paragraph is not None:
                paragraph.append(_red_run(DONE_TEXT, None))
        return
    paragraphs = [p for p in (cells[0].iter(_W_P) if cells else ()) if _text(p).strip()]
    if paragraphs:
        last = [r for r in paragraphs[-1].iterchildren(_W_R) if _text(r)]
        template = last[-1].find(_W_RPR) if last else None
        paragraphs[-1].append(_red_run(_DONE_SUFFIX, template))


def _red_run(text: str, r_pr: Any) -> Any:
    run = OxmlElement("w:r")
    if r_pr is not None:
        run.append(copy.deepcopy(r_pr))
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    _set_colour(run, DONE_FILL)
    return run


def _drop_done_cue(cells: list[Any], done_column: int | None) -> None:
    """Take out the word Klar of the Klar column and a " (klar)" after any text."""
    cue = DONE_TEXT.casefold()
    for index, cell in enumerate(cells):
        for t in cell.iter(_W_T):
            text = t.text or ""
            if index == done_column and text.strip().casefold() == cue:
                t.text = ""
            elif text.rstrip().casefold().endswith(f"({cue})"):
                t.text = text.rstrip()[: -len(cue) - 2].rstrip()
