"""Fit the activity table's column widths to its content after rendering."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from generator.document.docxml import IRREGULAR_ROWS, W_NAMESPACE
from generator.document.rows import DetachedRows, word_positions

CHAR_TWIPS = 95           # an average character of running text at 9.5 pt
WORD_CHAR_TWIPS = 92      # per character of the longest word, when the font cannot be measured
MEASURE_SLACK = 1.04      # measured words get this much more room: renderers round and kern differently
CELL_PADDING = 200        # left and right cell margins
MIN_COLUMN = 700          # about 12 mm
SAMPLE_ROWS = 120         # rows measured when sharing out the width
_NS = {"w": W_NAMESPACE}
_CELLS = etree.XPath("w:tr/w:tc", namespaces=_NS)
_HEADER_TEXTS = etree.XPath("w:tr[1]/w:tc[position() = $column]/w:p/w:r/w:t/text()",
                            namespaces=_NS, smart_strings=False)
_COLUMN_TEXTS = etree.XPath("$rows/w:tc[position() = $column]/w:p/w:r/w:t/text()", namespaces=_NS,
                            smart_strings=False)
_CELL_WIDTHS = etree.XPath("w:tr/w:tc/w:tcPr/w:tcW", namespaces=_NS)
_T, _BR, _P, _TBL, _TR, _TC = (qn(f"w:{name}") for name in ("t", "br", "p", "tbl", "tr", "tc"))
_LAYOUT = f"{qn('w:tblPr')}/{qn('w:tblLayout')}"
_GRID, _GRID_COL = qn("w:tblGrid"), qn("w:gridCol")
_TC_WIDTH = f"{qn('w:tcPr')}/{qn('w:tcW')}"
_W_ATTR, _TYPE_ATTR = qn("w:w"), qn("w:type")


def activity_table(document: Any, tables: list[Any] | None = None) -> Any | None:
    """The rendered activity table: a fixed-layout table whose first cell reads "Aktivitet".

    tables: the body's tables, as body.iter finds them, when the caller has them already.
    """
    for table in document.element.body.iter(_TBL) if tables is None else tables:
        if is_activity_table(table):
            return table
    return None


def is_activity_table(table: Any) -> bool:
    """Whether a w:tbl is the activity table: fixed layout, its first cell reading "Aktivitet"."""
    layout = table.find(_LAYOUT)
    first = table.find(_TR)
    if layout is None or layout.get(_TYPE_ATTR) != "fixed" or first is None:
        return False
    cell = first.find(_TC)
    return cell is not None and _text(cell).strip().casefold() == "aktivitet"


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(_T))


WordWidth = Callable[[str], float]  # a word's width in twips


def fit_columns(table: Any, body: WordWidth | None = None, header: WordWidth | None = None,
                detached: DetachedRows | None = None) -> list[int] | None:
    """Share the table's width so that its rows, as estimated, take the least height.

    Each column first gets room for its widest word (measured with body and header,
    the fonts' real widths, else estimated), so no word breaks in the middle; when
    the widest words of all columns cannot fit side by side, the columns with the
    widest words give up room equally. The rest is handed out step by step to
    whichever column then saves the most lines, measured on a sample of rows.
    detached: the table's rows kept out of the tree (rows.py), measured and given their widths too.
    Returns the new widths in twips, or None when the table's shape is not plain
    (merged cells, a missing grid).
    """
    grid = table.find(_GRID)
    columns = grid.findall(_GRID_COL) if grid is not None else []
    try:
        total = sum(int(c.get(_W_ATTR)) for c in columns)
    except (TypeError, ValueError):
        return None
    count = len(columns)
    if not count or total <= 0 or IRREGULAR_ROWS(table, columns=count):
        return None
    rows = _Rows(table, detached if detached is not None and detached.table is table else None)
    row_count = len(rows)
    widest = []
    texts: list[list[str]] = [[] for _ in range(count)]
    for batch in rows.batches(word_positions(row_count)):
        for column in range(count):
            texts[column] += _COLUMN_TEXTS(batch[0], rows=batch, column=column + 1)
    for column in range(count):
        widest.append(max(_widest_word(_HEADER_TEXTS(table, column=column + 1), header),
                          _widest_word(texts[column], body)))
    every = max(1, row_count // SAMPLE_ROWS)
    sample = [[[len(line) for line in _lines(cell)] for cell in row.iterchildren(_TC)]
              for batch in rows.batches(range(0, row_count, every)) for row in batch]
    widths = _within(total, [max(MIN_COLUMN, math.ceil(w) + CELL_PADDING) for w in widest])
    widths = _share_out(widths, total, sample)
    widths[-1] += total - sum(widths)
    for column, width in zip(columns, widths, strict=False):
        column.set(_W_ATTR, str(width))
    values = [str(w) for w in widths]
    cell_widths = _CELL_WIDTHS(table)
    if len(cell_widths) == rows.in_tree * count:
        for index, tc_width in enumerate(cell_widths):
            tc_width.set(_W_ATTR, values[index % count])
            if tc_width.get(_TYPE_ATTR) != "dxa":  # reading is cheaper than writing, and it mostly is
                tc_width.set(_TYPE_ATTR, "dxa")
    else:  # some cells have no width of their own: set those that do, cell by cell
        for index, cell in enumerate(_CELLS(table)):
            tc_width = cell.find(_TC_WIDTH)
            if tc_width is not None:
                tc_width.set(_W_ATTR, values[index % count])
                tc_width.set(_TYPE_ATTR, "dxa")
    if rows.detached is not None:
        rows.detached.set_cell_widths(values)
    return widths


class _Rows:
    """A table's rows by position, those in the tree and those kept out of it (rows.DetachedRows) alike."""

    def __init__(self, table: Any, detached: DetachedRows | None) -> None:
        self.tree = table.findall(_TR)
        self.in_tree = len(self.tree)
        self.detached = detached
        self.start = detached.position() if detached is not None else self.in_tree
        self.kept = len(detached) if detached is not None else 0

    def __len__(self) -> int:
        return self.in_tree + self.kept

    def batches(self, positions: Iterable[int]) -> Iterator[list[Any]]:
        """The rows at positions, in order, in batches each of one document: the tree's, or a few hundred of
        the detached rows parsed for the purpose (rows.DetachedRows.batches)."""
        kept: list[int] = []
        for position in positions:
            if self.start <= position < self.start + self.kept:
                kept.append(position - self.start)
                continue
            if kept:
                yield from self.detached.batches(kept)  # type: ignore[union-attr]
                kept = []
            yield [self.tree[position if position < self.start else position - self.kept]]
        if kept:
            yield from self.detached.batches(kept)  # type: ignore[union-attr]


def _widest_word(texts: list[str], measure: WordWidth | None) -> float:
    """The width in twips of the widest word in texts: measured, else estimated from its length."""
    # Each w:t on its own: a line break in a value starts a new w:t.
    words = set(" ".join(texts).replace("-", "- ").replace("/", "/ ").split())  # a line may break after - and /
    if not words:
        return 0.0
    if measure is None:
        return float(max(map(len, words)) * WORD_CHAR_TWIPS)
    return max(map(measure, words)) * MEASURE_SLACK


def _within(total: int, minimums: list[int]) -> list[int]:
    """minimums as they are when they fit in total; else the largest are cut to one common cap that fits.

    A column with short words keeps them whole; only the columns with the widest words
    break them. When not even MIN_COLUMN each fits, the widths are shared in proportion.
    """
    if sum(minimums) <= total:
        return minimums
    if MIN_COLUMN * len(minimums) > total:
        return [m * total // sum(minimums) for m in minimums]
    ordered = sorted(minimums)
    below = 0
    for index, width in enumerate(ordered):
        cap = (total - below) // (len(ordered) - index)
        if width > cap:
            return [min(m, cap) for m in minimums]
        below += width
    return minimums


def _lines(cell: Any) -> list[str]:
    """The text of a cell as the lines its paragraphs and line breaks make."""
    lines = []
    for paragraph in cell.iter(_P):
        parts = [node.text or "" if node.tag == _T else "\n" for node in paragraph.iter(_T, _BR)]
        lines.extend("".join(parts).split("\n"))
    return lines or [""]


def _share_out(widths: list[int], total: int, sample: list[list[list[int]]]) -> list[int]:
    """Hand out the width left, a step at a time, to the column that saves the most lines."""

    @functools.cache
    def lines(column: int, width: int) -> tuple[int, ...]:
        chars = max(1, (width - CELL_PADDING) // CHAR_TWIPS)
        return tuple(sum(-(-n // chars) or 1 for n in row[column]) for row in sample)

    def height(candidate: list[int]) -> int:
        per_column = [lines(column, width) for column, width in enumerate(candidate)]
        rows = sum(map(max, zip(*per_column))) if sample else 0
        # Row heights decide; the lines of all cells break ties between columns.
        return rows * 1000 + sum(map(sum, per_column))

    widths = list(widths)
    step = max(total // 60, 1)
    while total - sum(widths) >= step:
        best, best_height = 0, None
        for index in range(len(widths)):
            widths[index] += step
            candidate = height(widths)
            widths[index] -= step
            if best_height is None or candidate < best_height:
                best, best_height = index, candidate
        widths[best] += step
    return widths
