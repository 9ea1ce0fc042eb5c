"""A template's tags as the person wrote them in Word, each with its place in words, for messages about them.

The place is what a person finds in Word: the table (by its header) and row, the paragraph by its
text, or by the text before it when the paragraph holds nothing but tags, and the page header or
footer. generator.template.syntax names the cause of a syntax error with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from docx.oxml.ns import qn

from generator.template.syntax import WrittenTag

_W_P, _W_T, _W_TC, _W_TR, _W_TBL = (qn(f"w:{tag}") for tag in ("p", "t", "tc", "tr", "tbl"))
_OPENING = re.compile(r"\{[{%#]")
_CLOSING = {"{{": "}}", "{%": "%}", "{#": "#}"}
_ONLY_TAGS = re.compile(r"(?:\s*\{%.*?%\}\s*)+", re.DOTALL)
_SHOWN = 40  # characters of a paragraph or table header a place quotes


def _written_tags(document: Any) -> list[WrittenTag]:
    """The tags of a template (a python-docx Document): its body, then its page headers and footers."""
    tags = list(_tags(document.element.body, "", "body"))
    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(("/header", "/footer")):
            continue
        where = "sidhuvudet" if rel.reltype.endswith("/header") else "sidfoten"
        tags.extend(_tags(rel.target_part.element, where, str(rel.target_part.partname)))
    return tags


def _tags(root: Any, where: str, part: str) -> Iterator[WrittenTag]:
    """The tags of a part in order. A tag left open goes on into the next paragraphs until it closes, as
    docxtpl reads it (its text, and the tags it swallows, become one tag): it has the place it starts at."""
    before = ""
    open_tag, open_place = "", ""
    for paragraph in root.iter(_W_P):
        text = "".join(t.text or "" for t in paragraph.iter(_W_T))
        place = _place(paragraph, text, before, where) if _OPENING.search(text) or open_tag else ""
        found, left_open = _found(open_tag + text)
        for index, tag in enumerate(found):
            yield WrittenTag(tag, open_place if index == 0 and open_tag else place, part)
        if left_open and not open_tag:
            open_place = place
        open_tag = left_open
        if text.strip() and not _ONLY_TAGS.fullmatch(text):
            before = text
    if open_tag:
        yield WrittenTag(open_tag, open_place, part)


def _found(text: str) -> tuple[list[str], str]:
    """The tags in a text, and the one left open at its end ("" when none is)."""
    tags: list[str] = []
    position = 0
    while True:
        opening = _OPENING.search(text, position)
        if opening is None:
            return tags, ""
        closing = text.find(_CLOSING[opening.group()], opening.end())
        if closing < 0:
            return tags, text[opening.start():]
        tags.append(text[opening.start():closing + 2])
        position = closing + 2


def _place(paragraph: Any, text: str, before: str, where: str) -> str:
    cell = next((a for a in paragraph.iterancestors(_W_TC)), None)
    if cell is not None:
        row = cell.getparent()
        table = row.getparent()
        rows = list(table.iterchildren(_W_TR))
        header = " | ".join(_cell_text(c) for c in rows[0].iterchildren(_W_TC)) if rows else ""
        column = list(row.iterchildren(_W_TC)).index(cell) + 1
        place = f"tabellen ”{_short(header)}”, rad {rows.index(row) + 1}"
        place += f", kolumn {column}" if column > 1 else ""
    elif not _ONLY_TAGS.fullmatch(text):
        place = f"stycket ”{_short(text)}”"
    elif before:
        place = f"stycket efter ”{_short(before)}”"
    else:
        return f"först i {where or 'dokumentet'}"
    return f"{place} i {where}" if where else place


def _cell_text(cell: Any) -> str:
    return "".join(t.text or "" for t in cell.iter(_W_T)).strip()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
