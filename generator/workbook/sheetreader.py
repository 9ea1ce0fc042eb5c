"""Read one worksheet as a table: rows shown in Excel, merged values spread, the header found, findings noted."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from generator.plan.errors import WorkbookError
from generator.plan.model import Finding, Severity, Value
from generator.plan.values import format_count, meant_name, normalize_name
from generator.workbook.grid import (
    HEADER_SCAN_ROWS,
    Row,
    _choose_header,
    _choose_table,
    _in_totals,
    _table_header,
    spread_merges,
)
from generator.workbook.redmark import RedMarker
from generator.workbook.sheets import RawCell, SheetStyles, read_rows
from generator.workbook.xlsxbook import _sheet_source, archive, book_styles, shared_strings, unreadable
from generator.workbook.xlsxparts import SheetLayout, Table, _application, _read_layout, _red_shared_strings


class SheetReader:
    """Reads the sheets of one open read-only workbook; collects findings as it goes."""

    read_sheets: tuple[str, ...] = ()  # the sheet names read; hiding one of these is warned

    def __init__(self, workbook: Any, path: Path) -> None:
        self.workbook = workbook
        self.path = path
        self.findings: list[Finding] = []
        self.book_styles = book_styles(workbook)
        self.styles = SheetStyles(self.book_styles, workbook.epoch)
        self.red = RedMarker(self.book_styles, getattr(workbook, "loaded_theme", None))
        self.styles.theme = self.red.theme
        self.styles.red_strings = _red_shared_strings(archive(workbook), self.red.theme)
        self.styles.libreoffice = _application(archive(workbook)).startswith(("LibreOffice", "OpenOffice"))
        self.layouts: dict[str, SheetLayout] = {}
        self.repeated_columns: set[tuple[str, int]] = set()  # (sheet, column) of a header said twice: not read
        # (sheet, column) of another name for a column that is there by its own name: "Status" beside "Klar"
        self.set_aside: dict[tuple[str, int], tuple[str, str]] = {}
        self.hidden: dict[str, str] = {}  # hidden sheets that would be read, by normalized name (note_hidden)
        self.sheets = self._visible_sheets()

    def note(self, place: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.findings.append(Finding(place, message, severity))

    def note_hidden(self, needed: Iterable[str] = ()) -> None:
        """Warn of each hidden sheet that would be read; those in needed (normalized names) were errors already."""
        for key, name in self.hidden.items():
            if key not in needed:
                self.note(self.path.name, f"bladet {name} är dolt och läses inte; visa det i Excel "
                          "(Format > Dölj och visa) om det ska med", Severity.WARNING)

    def _visible_sheets(self) -> dict[str, str]:
        """The sheets that are read, by normalized name: not hidden, names told apart."""
        read = {normalize_name(n) for n in self.read_sheets}
        seen: dict[str, str] = {}
        sheets: dict[str, str] = {}
        for name in self.workbook.sheetnames:
            key = normalize_name(name)
            if key in seen:
                self.note(self.path.name, f'bladen "{seen[key]}" och "{name}" har samma namn; byt namn på det ena')
                continue
            seen[key] = name
            if getattr(self.workbook[name], "sheet_state", "visible") in ("hidden", "veryHidden"):
                if key in read:
                    self.hidden[key] = name
                continue
            sheets[key] = name
        return sheets

    def layout(self, key: str) -> SheetLayout:
        if key not in self.layouts:
            title = self.sheets[key]
            try:
                self.layouts[key] = _read_layout(self.workbook[title], archive(self.workbook), self.red.theme)
            except Exception as exc:  # damaged XML, CRC errors, forbidden entities
                raise WorkbookError(f"{self.path}: {title}", unreadable(exc)) from None
        return self.layouts[key]

    def _rows(self, key: str) -> Iterator[Row]:
        """The rows with text, merged values spread; formula problems in shown rows become findings."""
        title = self.sheets[key]
        worksheet = self.workbook[title]
        layout = self.layout(key)
        merges = layout.merges
        try:
            with _sheet_source(worksheet) as source:
                raw = read_rows(source, shared_strings(worksheet), self.styles, layout.rows_hidden_by_default)
                for row in spread_merges(raw, merges):
                    if row.troubled and not row.hidden:
                        self._note_formulas(title, row)
                    if row.has_text:
                        yield row
        except WorkbookError:
            raise
        except Exception as exc:  # damaged XML, CRC errors, forbidden entities
            raise WorkbookError(f"{self.path}: {title}", unreadable(exc)) from None

    def _note_formulas(self, title: str, row: Row) -> None:
        for cell in row.cells.values():
            if cell.spread:
                continue
            if cell.formula_without_value:
                self.note(self.place(title, cell.column, row.number),
                          "formeln har inget sparat värde. Öppna filen i Excel eller LibreOffice Calc och spara "
                          "den igen, så räknas värdet ut.")
            elif cell.error:
                self.note(self.place(title, cell.column, row.number),
                          f"formeln ger felet {cell.error}; cellen visas tom", Severity.WARNING)

    def _shown(self, title: str, rows: Iterable[Row], first_column: int) -> Iterator[Row]:
        """Rows with text of their own; hidden ones are left out, as Excel leaves them out when printing."""
        for row in rows:
            if row.hidden:
                if row.has_own_text:
                    self.note(self.place(title, first_column, row.number), "dold rad, tas inte med",
                              Severity.WARNING)
            elif row.has_own_text:
                yield row

    @staticmethod
    def place(sheet: str, column: int, row: int) -> str:
        return f"{sheet}!{get_column_letter(column)}{row}"

    def value(self, sheet: str, cells: dict[int, RawCell], column: int, row: int) -> Value:
        cell = cells.get(column)
        ref = self.place(sheet, column, row)
        if cell is None:
            return Value("", ref)
        return Value(cell.text, ref, cell.date)

    @staticmethod
    def columns(sheet: str, known: dict[int, str]) -> tuple[tuple[int, str, str], ...]:
        """(column, field, place without its row: "Aktiviteter!B") for each read column, for values()."""
        return tuple((column, attr, f"{sheet}!{get_column_letter(column)}") for column, attr in known.items())

    @staticmethod
    def values(columns: tuple[tuple[int, str, str], ...], cells: dict[int, RawCell], row: int) -> dict[str, Value]:
        """A row's values by field, as value() reads each, for columns() of a sheet."""
        found = {}
        number = str(row)
        get = cells.get
        for column, attr, where in columns:
            cell = get(column)
            found[attr] = Value("", where + number) if cell is None else Value(cell.text, where + number, cell.date)
        return found

    def _header(
        self, key: str, required: str, known_names: dict[str, str]
    ) -> tuple[Iterator[Row], dict[int, str], int] | None:
        """Find the header row: an Excel Table's, or the row with the most known column names.

        known_names maps each normalized header or alias to the column's header.
        """
        title = self.sheets[key]
        known = tuple(dict.fromkeys(known_names.values()))
        rows = self._rows(key)
        table = _choose_table(self.layout(key).tables, known_names, required)
        if table is not None:
            found: tuple[Iterator[Row], dict[int, str], int] | None = (
                self._table_rows(rows, table), _table_header(table), table.area.min_row)
        else:
            found = self._find_header_row(rows, known_names)
        if found is None or required not in (known_names.get(normalize_name(t)) for t in found[1].values()):
            columns = ", ".join(known)
            misspelt = _misspelt(required, found[1], known_names) if found is not None else None
            if found is not None and misspelt is not None:
                self.note(self.place(title, misspelt, found[2]), f'okänd kolumn "{found[1][misspelt].strip()}" – '
                          f"menade du {required}? Rätta rubriken; utan kolumnen {required} läses inte bladet. "
                          f"Rubrikraden ska ha kolumnrubrikerna {columns}.")
                return None
            self.note(title, f'rubriken "{required}" saknas. Rubrikraden i tabellen ska ha kolumnrubrikerna {columns}.')
            return None
        data, texts, header_row = found
        header = self._label_header(title, header_row, texts, known_names)
        hidden = [label for col, label in header.items() if label in known and self.layout(key).column_hidden(col)]
        if hidden:
            first = min(col for col, label in header.items() if label == hidden[0])
            self.note(self.place(title, first, header_row),
                      f"kolumnen {hidden[0]} är dold men läses" if len(hidden) == 1
                      else f"kolumnerna {', '.join(hidden)} är dolda men läses", Severity.WARNING)
        return self._shown(title, data, min(header)), header, header_row

    @staticmethod
    def _table_rows(rows: Iterator[Row], table: Table) -> Iterator[Row]:
        """The rows of an Excel Table's body and below it: not its header, not its totals row."""
        return (row for row in rows if row.number >= table.first_data_row and not _in_totals(table, row.number))

    @staticmethod
    def _find_header_row(
        rows: Iterator[Row], known: dict[str, str]
    ) -> tuple[Iterator[Row], dict[int, str], int] | None:
        scanned: list[Row] = []
        for row in rows:
            scanned.append(row)
            if sum(1 for r in scanned if r.has_own_text) >= HEADER_SCAN_ROWS:
                break
        shown = [r for r in scanned if r.has_own_text]  # a hidden header row still names the columns
        index = _choose_header(shown, known)
        if index is None:
            return None
        header_row = shown[index]
        after = scanned[scanned.index(header_row) + 1:]
        texts = {col: c.text for col, c in header_row.cells.items() if not c.spread}
        return itertools.chain(after, rows), texts, header_row.number

    def _label_header(self, title: str, row: int, texts: dict[int, str], known: dict[str, str]) -> dict[int, str]:
        """Header texts as column labels: known names in their own spelling, repeated names warned.

        A column named as the schema names it wins over one with another name for it ("Klar" over
        "Status"); the other keeps its own name and is read as a column of its own (set_aside).
        """
        header: dict[int, str] = {}
        seen: dict[str, int] = {}
        names = {col: normalize_name(text) for col, text in texts.items()}
        exact = sorted((col for col, name in names.items() if name and normalize_name(known.get(name)) == name))
        for col in [*exact, *sorted(col for col in texts if col not in exact)]:
            name, text = names[col], texts[col]
            if not name:
                continue
            label = known.get(name, text.strip())
            if label in seen and col not in exact and text.strip() not in seen:
                self.set_aside[(title, col)] = (label, get_column_letter(seen[label]))
                label = text.strip()
            if label in seen:
                self.note(self.place(title, col, row), f'kolumnen "{label}" finns redan i kolumn '
                          f"{get_column_letter(seen[label])}; den här används inte", Severity.WARNING)
                self.repeated_columns.add((title, col))
                continue
            seen[label] = col
            header[col] = label
        return dict(sorted(header.items()))

    def _too_many(self, title: str, count: int, limit: int, noun: str) -> None:
        self.note(title, f"planen har {format_count(count)} {noun}; högst {format_count(limit)} tas med")


def _misspelt(required: str, texts: dict[int, str], known: dict[str, str]) -> int | None:
    """The column of a header text that is no known name but a misspelling of the required one ("Aktiviteten")."""
    unknown = {text: col for col, text in texts.items() if normalize_name(text) not in known}
    meant = meant_name(required, unknown)
    return unknown[meant] if meant is not None else None
