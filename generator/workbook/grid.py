"""A worksheet's rows as the reader sees them: merged values spread, hidden rows marked, header found."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from generator.plan.values import clean_text, normalize_name
from generator.workbook.sheets import RawCell, RawRow
from generator.workbook.xlsxparts import Area, Table

# A merged cell spreads its value over at most this many columns (a hostile A1:XFD1 stays cheap).
MAX_SPREAD_COLUMNS = 64
# At most this many cells get a merged value in one sheet, however many merges a hostile sheet declares.
MAX_SPREAD_CELLS = 1_000_000
# The header row is looked for among this many first rows with text.
HEADER_SCAN_ROWS = 20


class Row(NamedTuple):
    """One row: {column: cell}, whether it is hidden, and whether it has text (of its own or spread)."""

    number: int
    cells: dict[int, RawCell]
    hidden: bool = False
    has_own_text: bool = False  # text of its own, not only values spread from a merged cell above
    has_text: bool = False
    troubled: bool = False  # a cell of its own holds a formula without a value or an error value


def _text_flags(cells: dict[int, RawCell]) -> tuple[bool, bool]:
    own = spread = False
    for cell in cells.values():
        if cell.text and cell.text.strip():
            if cell.spread:
                spread = True
            else:
                own = True
                break
    return own, own or spread


def spread_merges(rows: Iterable[RawRow], merges: Sequence[Area]) -> Iterator[Row]:
    """Rows as {column: cell}, each merged cell's value copied into every cell the merge covers."""
    if not merges:
        for raw in rows:
            cells = {cell.column: cell for cell in raw.cells}
            own, _ = _text_flags(cells)
            yield Row(raw.number, cells, raw.hidden, own, own, raw.troubled)
        return
    pending = sorted(merges, key=lambda a: a.min_row, reverse=True)
    # Each merge with a value, with its value's copy for each column it covers (made once, shared by its rows).
    active: list[tuple[Area, RawCell, list[RawCell | None]]] = []
    budget = MAX_SPREAD_CELLS
    for raw in rows:
        number = raw.number
        cells = {cell.column: cell for cell in raw.cells}
        while pending and pending[-1].min_row <= number:
            area = pending.pop()
            anchor = cells.get(area.min_col) if area.min_row == number else None
            if anchor is not None and anchor.text:  # a merge without a value spreads nothing: not kept
                last = min(area.max_col, area.min_col + MAX_SPREAD_COLUMNS)
                active.append((area, anchor, [None] * (last - area.min_col + 1)))
        if active and budget > 0:
            active = [entry for entry in active if entry[0].max_row >= number]
            for area, anchor, copies in active:
                first = area.min_col
                for index, column in enumerate(range(first, first + len(copies))):
                    if budget <= 0:
                        break
                    if column == first and number == area.min_row:
                        continue
                    present = cells.get(column)
                    if present is None or not present.text:
                        copy = copies[index]
                        if copy is None:
                            copy = copies[index] = anchor._replace(column=column, spread=True)
                        cells[column] = copy
                        budget -= 1
        yield Row(number, cells, raw.hidden, *_text_flags(cells), raw.troubled)


def _known_count(row: Row, known: Mapping[str, str]) -> int:
    """How many different known column names a row holds in cells of its own."""
    names = {normalize_name(c.text) for c in row.cells.values() if not c.spread}
    return len({known[n] for n in names if n in known})


def _choose_header(rows: Sequence[Row], known: Mapping[str, str]) -> int | None:
    """The index of the header row: the one with the most known column names (ties: the first)."""
    best, best_count = None, 0
    for index, row in enumerate(rows):
        count = _known_count(row, known)
        if count > best_count:
            best, best_count = index, count
    return best


def _choose_table(tables: Sequence[Table], known: Mapping[str, str], required: str) -> Table | None:
    """The Excel Table that has the required column and the most known column names, if any."""
    best, best_count = None, 0
    for table in tables:
        names = set(map(normalize_name, table.columns))
        count = len({known[n] for n in names if n in known})
        if any(known.get(n) == required for n in names) and count > best_count:
            best, best_count = table, count
    return best


def _table_header(table: Table) -> dict[int, str]:
    """A table's column names by sheet column: its header row, or tableColumns when it has none."""
    return {table.area.min_col + i: clean_text(name) for i, name in enumerate(table.columns) if name.strip()}


def _in_totals(table: Table, row: int) -> bool:
    """True for a row that is the table's header or totals row, not an activity."""
    area = table.area
    header = area.min_row <= row < table.first_data_row
    totals = table.last_data_row < row <= area.max_row and area.min_col <= area.max_col
    return header or totals
