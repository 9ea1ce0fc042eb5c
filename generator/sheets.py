"""Stream the cells of one worksheet out of an .xlsx package, fast and in little memory."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from defusedxml.ElementTree import iterparse
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.datetime import from_excel

from generator.values import clean_text, format_date, format_number

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA = f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}f"
_INLINE, _TEXT, _SHEET_DATA = f"{_NS}is", f"{_NS}t", f"{_NS}sheetData"
# A row with no cells in it: formatting only. Dropping these before the XML parser
# sees them keeps a sheet with a million formatted rows fast to read.
_EMPTY_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?(?:/>|>\s*</(?:\w+:)?row>)")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class RawCell:
    """One cell as Excel shows it: its text, its date if it is one, and its style."""

    column: int
    text: str
    date: dt.date | None = None
    style_id: int = 0
    formula_without_value: bool = False


class _SkipEmptyRows(io.RawIOBase):
    """A byte stream that passes a sheet's XML on without its cell-less rows."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._tail = b""
        self._pending = b""
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._eof:
            chunk = self._raw.read(_CHUNK)
            data = self._tail + chunk
            if chunk:
                cut = data.rfind(b"<")
                self._tail, data = data[cut:], data[:cut]
            else:
                self._eof, self._tail = True, b""
            self._pending = _EMPTY_ROW.sub(b"", data)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


class SheetStyles:
    """What the cell reader needs from the workbook's styles to show values as Excel does."""

    def __init__(self, workbook: Any) -> None:
        self.date_styles: frozenset[int] = frozenset(getattr(workbook, "_date_formats", ()) or ())
        self.time_styles: frozenset[int] = frozenset(getattr(workbook, "_timedelta_formats", ()) or ())
        self.cell_styles: Sequence[Any] = getattr(workbook, "_cell_styles", ())
        self.custom_formats: Sequence[str] = getattr(workbook, "_number_formats", ())
        self.epoch: dt.datetime = workbook.epoch

    def number_format(self, style_id: int) -> str:
        if not 0 <= style_id < len(self.cell_styles):
            return "General"
        fmt_id = self.cell_styles[style_id].numFmtId
        if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
            return BUILTIN_FORMATS.get(fmt_id, "General")
        index = fmt_id - BUILTIN_FORMATS_MAX_SIZE
        return self.custom_formats[index] if index < len(self.custom_formats) else "General"


def read_rows(
    source: IO[bytes], shared_strings: Sequence[str], styles: SheetStyles
) -> Iterator[tuple[int, list[RawCell]]]:
    """Yield (row number, cells) for every row that holds at least one cell element."""
    row_number = 0
    sheet_data = None
    for event, element in iterparse(_SkipEmptyRows(source), events=("start", "end")):
        if event == "start":
            if element.tag == _SHEET_DATA:
                sheet_data = element
            continue
        if element.tag != _ROW:
            continue
        number = element.get("r")
        row_number = int(float(number)) if number else row_number + 1
        cells: list[RawCell] = []
        column = 0
        for cell in element.iter(_CELL):
            ref = cell.get("r")
            column = column_index_from_string(coordinate_from_string(ref)[0]) if ref else column + 1
            raw = _read_cell(cell, column, shared_strings, styles)
            if raw is not None:
                cells.append(raw)
        element.clear()
        if sheet_data is not None:
            sheet_data.remove(element)  # keep memory flat on long sheets
        yield row_number, cells


def _read_cell(
    cell: Any, column: int, shared_strings: Sequence[str], styles: SheetStyles
) -> RawCell | None:
    kind = cell.get("t", "n")
    style_id = int(cell.get("s") or 0)
    value = cell.findtext(_VALUE)
    if kind == "inlineStr":
        inline = cell.find(_INLINE)
        value = None
        if inline is not None:  # plain text, or rich-text runs; phonetic runs are left out
            parts = [inline.find(_TEXT), *inline.findall(f"{_NS}r/{_TEXT}")]
            value = "".join(t.text or "" for t in parts if t is not None)
    if value is None or value == "":
        if cell.find(_FORMULA) is not None:
            return RawCell(column, "", style_id=style_id, formula_without_value=True)
        return RawCell(column, "", style_id=style_id) if style_id else None
    if kind == "s":
        index = int(value)
        text = shared_strings[index] if 0 <= index < len(shared_strings) else ""
        return RawCell(column, clean_text(str(text)), style_id=style_id)
    if kind in ("str", "inlineStr", "e"):
        return RawCell(column, clean_text(value), style_id=style_id)
    if kind == "b":
        return RawCell(column, "SANT" if value.strip() == "1" else "FALSKT", style_id=style_id)
    if kind == "d":
        return _date_cell(column, value, style_id)
    return _number_cell(column, value, style_id, styles)


def _date_cell(column: int, value: str, style_id: int) -> RawCell:
    try:
        day = dt.datetime.fromisoformat(value.strip().rstrip("Z")).date()
    except ValueError:
        return RawCell(column, clean_text(value), style_id=style_id)
    return RawCell(column, format_date(day), date=day, style_id=style_id)


def _number_cell(column: int, value: str, style_id: int, styles: SheetStyles) -> RawCell:
    try:
        number: float | int = int(value) if value.lstrip("-").isdigit() else float(value)
    except ValueError:
        return RawCell(column, clean_text(value), style_id=style_id)
    if style_id in styles.date_styles and style_id not in styles.time_styles:
        try:
            moment = from_excel(number, styles.epoch)
        except (OverflowError, ValueError, TypeError):
            moment = None
        if isinstance(moment, dt.datetime):
            if moment.date() == dt.date(1899, 12, 30) or (
                number < 1 and moment.time() != dt.time()
            ):
                return RawCell(column, moment.strftime("%H:%M"), style_id=style_id)
            return RawCell(column, format_date(moment.date()), date=moment.date(), style_id=style_id)
        if isinstance(moment, dt.time):
            return RawCell(column, moment.strftime("%H:%M"), style_id=style_id)
        if isinstance(moment, dt.date):
            return RawCell(column, format_date(moment), date=moment, style_id=style_id)
    return RawCell(column, format_number(number, styles.number_format(style_id)), style_id=style_id)
