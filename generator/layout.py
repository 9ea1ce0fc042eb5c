"""Fit the activity table's column widths to its content after rendering."""

from __future__ import annotations

import re
from typing import Any

from docx.oxml.ns import qn

CHAR_TWIPS = 105          # an average character at 9.5 pt, with some margin
CELL_PADDING = 200        # left and right cell margins
MIN_COLUMN = 700          # about 12 mm
MAX_SHARE_FOR_WORD = 0.4  # one long word may not take more than this of the width
SAMPLE_ROWS = 120         # rows measured when sharing out the width
_WORD_BREAKS = re.compile(r"\s+|(?<=[-/])")


def activity_table(document: Any) -> Any | None:
    """The rendered activity table: a fixed-layout table whose first cell reads "Aktivitet"."""
    for table in document.element.body.iter(qn("w:tbl")):
        layout = table.find(f"{qn('w:tblPr')}/{qn('w:tblLayout')}")
        first = table.find(qn("w:tr"))
        if layout is None or layout.get(qn("w:type")) != "fixed" or first is None:
            continue
        cell = first.find(qn("w:tc"))
        if cell is not None and _text(cell).strip().casefold() == "aktivitet":
            return table
    return None


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def fit_columns(table: Any) -> list[int] | None:
    """Share the table's width so that its rows, as estimated, take the least height.

    Each column first gets room for its longest word; the rest is handed out step
    by step to whichever column then saves the most lines, measured on a sample of
    rows. Returns the new widths in twips, or None when the table's shape is not
    plain (merged cells, a missing grid).
    """
    grid = table.find(qn("w:tblGrid"))
    columns = grid.findall(qn("w:gridCol")) if grid is not None else []
    try:
        total = sum(int(c.get(qn("w:w"))) for c in columns)
    except (TypeError, ValueError):
        return None
    count = len(columns)
    if not count or total <= 0:
        return None
    rows = table.findall(qn("w:tr"))
    longest = [0] * count
    sample: list[list[list[int]]] = []
    every = max(1, len(rows) // SAMPLE_ROWS)
    for number, row in enumerate(rows):
        cells = row.findall(qn("w:tc"))
        if len(cells) != count:
            return None
        texts = [_text(cell) for cell in cells]
        for index, text in enumerate(texts):
            for word in _WORD_BREAKS.split(text):
                if len(word) > longest[index]:
                    longest[index] = len(word)
        if number % every == 0:
            sample.append([[len(line) for line in _lines(cell)] for cell in cells])
    cap = int(total * MAX_SHARE_FOR_WORD)
    widths = [max(MIN_COLUMN, min(cap, n * CHAR_TWIPS + CELL_PADDING)) for n in longest]
    if sum(widths) > total:
        widths = [w * total // sum(widths) for w in widths]
    step = max(total // 60, 1)
    while total - sum(widths) >= step:
        best, best_height = 0, None
        for index in range(count):
            widths[index] += step
            height = _height(sample, widths)
            widths[index] -= step
            if best_height is None or height < best_height:
                best, best_height = index, height
        widths[best] += step
    widths[-1] += total - sum(widths)
    for column, width in zip(columns, widths, strict=False):
        column.set(qn("w:w"), str(width))
    for row in rows:
        for cell, width in zip(row.findall(qn("w:tc")), widths, strict=False):
            tc_width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if tc_width is not None:
                tc_width.set(qn("w:w"), str(width))
                tc_width.set(qn("w:type"), "dxa")
    return widths


def _lines(cell: Any) -> list[str]:
    """The text of a cell as the lines its paragraphs and line breaks make."""
    lines = []
    for paragraph in cell.iter(qn("w:p")):
        parts = [node.text or "" if node.tag == qn("w:t") else "\n"
                 for node in paragraph.iter(qn("w:t"), qn("w:br"))]
        lines.extend("".join(parts).split("\n"))
    return lines or [""]


def _height(sample: list[list[list[int]]], widths: list[int]) -> int:
    """Estimated lines the sampled rows take with these column widths."""
    per_line = [max(1, (w - CELL_PADDING) // CHAR_TWIPS) for w in widths]
    rows = cells = 0
    for row in sample:
        heights = [sum(-(-n // chars) or 1 for n in cell) for cell, chars in zip(row, per_line, strict=False)]
        rows += max(heights)
        cells += sum(heights)
    # Row heights decide; the lines of all cells break ties between columns.
    return rows * 1000 + cells
