"""Find the activity table of a Word plan (joined over page breaks) and read its rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.importing import guidance
from generator.importing.blocks import Cell, Paragraph, Table, WordDocument
from generator.importing.report import Collected, quote
from generator.plan.schema import ACTIVITIES
from generator.plan.values import parse_done
from generator.workbook.starter import CORE_ACTIVITY_COLUMNS

# Header names that mean an activity column, compared after guidance.normalize ("&" and "/" read as "och"):
# the schema's names for each column and the looser ones only a Word table is read with. A name that is
# another column's import alias means that column in a Word table ("Målgrupp" there is free text: Syfte).
_IMPORT_ALIASES = {name.casefold(): c.header for c in ACTIVITIES.columns for name in c.import_aliases}
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    c.header: tuple(n for n in (*c.names, *c.import_aliases) if _IMPORT_ALIASES.get(n.casefold(), c.header) == c.header)
    for c in ACTIVITIES.columns
}


def _column_key(text: str) -> str:
    return guidance.normalize(re.sub(r"[&/+,]", " och ", text))


_COLUMN_LOOKUP = {_column_key(name): column for column, names in COLUMN_SYNONYMS.items() for name in names}


def _header_mapping(row: Sequence[Cell]) -> dict[int, str]:
    """Column index → activity column name for the cells of a header row that name one."""
    mapping: dict[int, str] = {}
    for index, cell in enumerate(row):
        column = _COLUMN_LOOKUP.get(_column_key(cell.text))
        if column is not None and column not in mapping.values():
            mapping[index] = column
    return mapping


def _score(mapping: dict[int, str]) -> int:
    names = set(mapping.values())
    return len(names) if ("Aktivitet" in names and len(names) >= 2) or len(names) >= 3 else 0


@dataclass(frozen=True)
class ActivityTable:
    """The activity table: its parts (a table split over pages), its header row and column mapping."""

    tables: tuple[Table, ...]
    header: dict[int, str]
    header_row: int = 0  # 1 when a title row ("Aktivitetsplan 2025") stands above the header


def find_activity_table(document: WordDocument) -> ActivityTable | None:
    """The table whose header row (its first, or second under a title row) best names the activity columns,
    joined with the tables that continue it after a page break."""
    blocks = document.blocks
    best: tuple[int, int, int] | None = None  # score, block index, header row
    for index, block in enumerate(blocks):
        if not isinstance(block, Table) or not block.rows:
            continue
        title_row = len({c.text for c in block.rows[0] if c.text.strip()}) == 1 and len(block.rows) > 1
        for row in (0, 1) if title_row else (0,):
            score = _score(_header_mapping(block.rows[row]))
            if score and (best is None or score > best[0]):
                best = (score, index, row)
    if best is None:
        return None
    first = blocks[best[1]]
    assert isinstance(first, Table)
    header = _header_mapping(first.rows[best[2]])
    joined = [first]
    between: list[Paragraph] = []
    for block in blocks[best[1] + 1:]:
        if isinstance(block, Paragraph):
            between.append(block)
            continue
        repeated = bool(block.rows) and _header_mapping(block.rows[0]) == header
        only_breaks = all(not p.text.strip() for p in between)
        if block.columns != first.columns or not (repeated or only_breaks):
            break
        joined.append(block)
        between = []
    return ActivityTable(tuple(joined), header, best[2])


def _read_activities(table: ActivityTable, found: Collected) -> None:
    """Each row as an activity (red rows done), extra columns kept, placeholders left out, doubts listed."""
    tables, header = table.tables, table.header
    first = tables[0]
    labels = first.rows[table.header_row]
    extra: dict[int, str] = {}
    for index, cell in enumerate(labels):
        if index not in header and (cell.text.strip() or any(
                len(r) > index and r[index].text.strip() for t in tables for r in t.rows[1:])):
            label = " ".join(cell.text.split()) or f"Kolumn {index + 1}"
            extra[index] = label
            found.doubt(f"tabell {first.number}, rad {table.header_row + 1}, cell {index + 1}",
                        f"kolumnen {quote(label)} är ingen av aktivitetskolumnerna; den blev en egen kolumn")
    found.extra_columns.extend(extra.values())
    found.columns = (*CORE_ACTIVITY_COLUMNS, *(c for c in ACTIVITIES.headers
                                               if c in header.values() and c not in CORE_ACTIVITY_COLUMNS))
    found.became(f"tabell {first.number}", "aktivitetstabellen; kolumner: " + ", ".join(
        f"{quote(labels[i].text)} → {name}" for i, name in header.items()))
    for part in tables[1:]:
        found.became(f"tabell {part.number}", f"fortsättningen på aktivitetstabellen (tabell {first.number})")
    for part in tables:
        for row_index, row in enumerate(part.rows, start=1):
            if part is first and row_index <= table.header_row:
                title = next((c.text for c in row if c.text.strip()), "")
                found.leave_out(f"tabell {first.number}, rad {row_index}", f"tabellens rubrik {quote(title)}")
                continue
            if _header_mapping(row) == header:  # the header, also repeated where the table goes on
                continue
            _activity_row(part, row_index, row, header, extra, found)


def _activity_row(table: Table, number: int, row: Sequence[Cell], header: dict[int, str],
                  extra: dict[int, str], found: Collected) -> None:
    place = f"tabell {table.number}, rad {number}"
    filled = [(i, c) for i, c in enumerate(row) if c.text.strip() and (i in header or i in extra)]
    if not filled:
        return
    if all(guidance.is_placeholder(c.text) for _, c in filled):
        found.leave_out(place, "en exempelrad ur mallen (" + ", ".join(quote(c.text) for _, c in filled) + ")")
        return
    values = {name: row[i].text.strip() for i, name in header.items()}
    own = [c for _, c in filled if c.merged != "vmerge"] or [c for _, c in filled]
    red = all(c.red for c in own)
    if not red and any(c.any_red for c in own):
        found.doubt(place, "raden är delvis röd; den räknades som inte klar")
    mark = values.get("Klar", "")
    if red or parse_done(mark) is True:
        if mark and parse_done(mark) is not True:
            found.doubt(place, f"raden är röd men Klar säger {quote(mark)}; den räknades som klar")
        mark = "Ja"
    elif mark and parse_done(mark) is None:
        found.doubt(place, f"Klar säger {quote(mark)}; det förstås inte som ja eller nej och fördes över som det står")
    if not values.get("Aktivitet"):
        found.doubt(place, "aktiviteten saknas i raden; fyll i den i arbetsboken")
    for i, cell in filled:
        where = f"{place}, cell {i + 1}"
        if cell.merged == "vmerge":
            found.doubt(where, f"sammanslagen cell; texten {quote(cell.text)} fördes till varje rad den täcker")
        if guidance.is_placeholder(cell.text):
            found.doubt(where, f"{quote(cell.text)} ser ut som mallens platshållare; det behölls")
        elif "XXX" in cell.text:
            found.doubt(where, "texten innehåller platshållaren XXX; den behölls")
    values["Klar"] = mark
    columns = [values.get(name, "") for name in found.columns]
    found.activities.append([*columns, *(row[i].text.strip() for i in extra)])
