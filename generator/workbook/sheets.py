"""Stream the cells of one worksheet out of an .xlsx package, fast and in little memory."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from defusedxml import DTDForbidden
from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel

from generator.plan.numformat import LOCALE_FORMATS, format_moment, from_libreoffice
from generator.plan.values import clean_text, format_date, format_number
from generator.workbook.xlsxparts import _rich_text_is_red

if TYPE_CHECKING:
    from generator.workbook.xlsxbook import BookStyles, CellStyle

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA = f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}f"
_INLINE, _TEXT, _RUN = f"{_NS}is", f"{_NS}t", f"{_NS}r"
# A row with no values in it: no cells, or only cells without content (formatting only,
# <c r="A40" s="3"/>). Dropping these before the XML parser sees them keeps a sheet with a
# million formatted rows fast to read. Such a row could only show a merged value spread from
# above, and rows with no text of their own are never read.
# A tag's attributes are taken at once up to its first ">" (atomic); "(?<=/)>" is a self-closing
# tag, tried first as "[^>]*?/>" would try it.
_EMPTY_ROW = re.compile(
    rb"<(?:\w+:)?row\b(?>[^>]*)(?:(?<=/)>|>(?:\s*<(?:\w+:)?c\b(?>[^>]*)(?:(?<=/)>|>\s*</(?:\w+:)?c>))*"
    rb"\s*</(?:\w+:)?row>)"
)
# The same for XML without prefixed row and cell tags (no ":row", no ":c"), with literal tags: faster to scan.
_EMPTY_PLAIN_ROW = re.compile(
    rb"<row\b(?>[^>]*)(?:(?<=/)>|>(?:\s*<c\b(?>[^>]*)(?:(?<=/)>|>\s*</c>))*\s*</row>)"
)
_PREFIXED = re.compile(rb":(?:row|c)")
_CHUNK = 1 << 20
_DIGITS = "0123456789"


class RawCell(NamedTuple):
    """One cell as Excel shows it: its text, its date if it is one, and its style."""

    column: int
    text: str
    date: dt.date | None = None
    style_id: int = 0
    formula_without_value: bool = False
    error: str = ""  # an error value such as #REF!, shown as an empty cell
    red_text: bool = False  # all visible text coloured red through rich-text runs
    spread: bool = False  # the value of a merged cell, copied from the merge's first cell


class _SkipEmptyRows(io.RawIOBase):
    """A byte stream that passes a sheet's XML on without its cell-less rows."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._tail = b""
        self._pending = memoryview(b"")  # a view, not a copy: the parser takes it 32 KB at a time
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
            prefixed = _PREFIXED.search(data) is not None  # ":row" or ":c": one pass, not two
            self._pending = memoryview((_EMPTY_ROW if prefixed else _EMPTY_PLAIN_ROW).sub(b"", data))
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


class SheetStyles:
    """What the cell reader needs from the workbook's styles to show values as Excel does."""

    def __init__(self, styles: BookStyles, epoch: dt.datetime) -> None:
        self.date_styles: frozenset[int] = styles.date_styles
        self.time_styles: frozenset[int] = styles.time_styles
        self.cell_styles: Sequence[CellStyle] = styles.cell_styles
        self.custom_formats: Sequence[str] = styles.custom_formats
        self.epoch = epoch
        self.theme: Sequence[str] = ()
        self.red_strings: frozenset[int] = frozenset()
        self.libreoffice = False  # saved by LibreOffice: its number formats are read as it meant them

    def number_format(self, style_id: int) -> str:
        if not 0 <= style_id < len(self.cell_styles):
            return "General"
        fmt_id = self.cell_styles[style_id].number_format_id
        if fmt_id in LOCALE_FORMATS:
            return LOCALE_FORMATS[fmt_id]
        if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
            return BUILTIN_FORMATS.get(fmt_id, "General")
        index = fmt_id - BUILTIN_FORMATS_MAX_SIZE
        code = self.custom_formats[index] if index < len(self.custom_formats) else "General"
        return from_libreoffice(code) if self.libreoffice else code


class RawRow(NamedTuple):
    """One row of a sheet: its number, its cells and whether it is hidden (also by a filter or group)."""

    number: int
    cells: list[RawCell]
    hidden: bool = False
    troubled: bool = False  # a cell holds a formula without a value or an error value


def read_rows(source: IO[bytes], shared_strings: Sequence[str], styles: SheetStyles,
              hidden_by_default: bool = False) -> Iterator[RawRow]:
    """Yield every row that holds at least one cell element.

    A row is hidden when it says so, when its height is zero, and, with hidden_by_default (the
    sheet's zeroHeight), when it has no height of its own.

    The sheet is parsed by lxml with entities unresolved, no network and no DTD
    loading, and a sheet that declares a DTD at all is refused (defusedxml's
    DTDForbidden), as openpyxl does for the rest of the package with defusedxml.
    """
    row_number = 0
    events = etree.iterparse(
        _SkipEmptyRows(source), events=("end",), tag=_ROW,
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
    )
    checked = False
    read_cell = _read_cell
    columns = _COLUMNS
    shown_strings: dict[str, tuple[str, bool]] = {}
    for _, element in events:
        if not checked:
            checked = True
            _refuse_doctype(element)
        number = element.get("r")
        row_number = int(float(number)) if number else row_number + 1
        cells: list[RawCell] = []
        column = 0
        troubled = False
        for cell in element.iterchildren(_CELL):
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip(_DIGITS)
                column = columns.get(letters) or _column_of(letters)
            else:
                column += 1
            raw = read_cell(cell, column, shared_strings, styles, shown_strings)
            if raw is not None:
                cells.append(raw)
                if not raw.text and (raw.formula_without_value or raw.error):
                    troubled = True
        hidden = element.get("hidden") in ("1", "true") or _zero_height(element, hidden_by_default)
        element.clear()
        parent = element.getparent()
        while element.getprevious() is not None and parent is not None:
            del parent[0]  # keep memory flat on long sheets
        yield RawRow(row_number, cells, hidden, troubled)
    if not checked and events.root is not None:
        _refuse_doctype(events.root)  # a sheet without rows that declares a DTD is refused all the same


def _refuse_doctype(element: Any) -> None:
    doctype = element.getroottree().docinfo.doctype
    if doctype:
        raise DTDForbidden(doctype, None, None)


def _zero_height(row: Any, hidden_by_default: bool) -> bool:
    """A row Excel shows with no height: its own height is 0 (also a custom height with no ht, as Excel reads
    it), or it has none where rows are hidden by default (zeroHeight)."""
    height = row.get("ht")
    if height is None:
        return hidden_by_default or row.get("customHeight") in ("1", "true")
    try:
        return float(height) <= 0
    except ValueError:
        return hidden_by_default


# Column numbers by the letters of a cell reference ("B" of B12): a few per sheet, read in every row.
_COLUMNS: dict[str, int] = {}


def _column_of(letters: str) -> int:
    """The column number of a cell reference's letters, such as B of B12 or $B$ of $B$12 (kept for the next row)."""
    column = int(column_index_from_string(letters.lstrip("$")))
    if len(_COLUMNS) < 20_000:
        _COLUMNS[letters] = column
    return column


def _read_cell(
    cell: Any, column: int, shared_strings: Sequence[str], styles: SheetStyles,
    shown_strings: dict[str, tuple[str, bool]],
) -> RawCell | None:
    """One cell; shown_strings remembers each shared string's shown text and redness by its <v>, for the sheet."""
    kind = cell.get("t", "n")
    style = cell.get("s")
    style_id = int(style) if style else 0
    value = None
    formula = red = False
    for child in cell:  # one pass over <v>, <f> and <is>
        tag = child.tag
        if tag == _VALUE:
            value = child.text
        elif tag == _FORMULA:
            formula = True
        elif tag == _INLINE and kind == "inlineStr":
            if len(child) == 1 and child[0].tag == _TEXT:  # plain text, the common case
                value = child[0].text or ""
                continue
            value, runs = _inline_text(child)
            red = runs and _rich_text_is_red(child, styles.theme)
    if kind == "e" and value and value.strip():
        return RawCell(column, "", None, style_id, error=value.strip())
    if not value:
        # LibreOffice and Excel save a formula whose result is empty text as t="str" with an
        # empty <v>; a formula with no type and no value was never calculated (openpyxl).
        if formula and kind != "str":
            return RawCell(column, "", None, style_id, True)
        return RawCell(column, "", None, style_id) if style_id or formula else None
    if kind == "s":
        shown = shown_strings.get(value)
        if shown is None:
            try:
                index = int(value)
            except ValueError:
                index = -1
            text = shared_strings[index] if 0 <= index < len(shared_strings) else ""
            shown = shown_strings[value] = (clean_text(str(text)), index in styles.red_strings)
        return RawCell(column, shown[0], None, style_id, False, "", shown[1])
    if kind in ("str", "inlineStr"):
        return RawCell(column, clean_text(value), None, style_id, False, "", red)
    if kind == "b":
        return RawCell(column, "SANT" if value.strip() == "1" else "FALSKT", None, style_id)
    if kind == "d":
        return _date_cell(column, value, style_id, styles)
    return _number_cell(column, value, style_id, styles)


def _inline_text(inline: Any) -> tuple[str, bool]:
    """An inline string's text (plain, or rich-text runs; phonetic runs left out), and whether it has runs."""
    parts = []
    runs = False
    for child in inline:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            runs = True
            parts.extend(t.text or "" for t in child.iterchildren(_TEXT))
    return "".join(parts), runs


def _date_cell(column: int, value: str, style_id: int, styles: SheetStyles) -> RawCell:
    try:
        moment = dt.datetime.fromisoformat(value.strip().rstrip("Z"))
    except ValueError:
        return RawCell(column, clean_text(value), style_id=style_id)
    shown = format_moment(moment, styles.number_format(style_id)) or format_date(moment.date())
    return RawCell(column, shown, date=moment.date(), style_id=style_id)


def _number_cell(column: int, value: str, style_id: int, styles: SheetStyles) -> RawCell:
    try:
        number: float | int = int(value) if value.lstrip("-").isdigit() else float(value)
    except ValueError:
        return RawCell(column, clean_text(value), style_id=style_id)
    code = styles.number_format(style_id)
    if style_id in styles.date_styles and style_id not in styles.time_styles:
        try:
            moment = from_excel(number, styles.epoch)
        except (OverflowError, ValueError, TypeError):
            moment = None
        if isinstance(moment, dt.datetime):
            if moment.date() == dt.date(1899, 12, 30) or (
                number < 1 and moment.time() != dt.time()
            ):
                shown = format_moment(moment.time(), code) or moment.strftime("%H:%M")
                return RawCell(column, shown, style_id=style_id)
            shown = format_moment(moment, code) or format_date(moment.date())
            return RawCell(column, shown, date=moment.date(), style_id=style_id)
        if isinstance(moment, dt.time):
            return RawCell(column, format_moment(moment, code) or moment.strftime("%H:%M"), style_id=style_id)
        if isinstance(moment, dt.date):
            return RawCell(column, format_moment(moment, code) or format_date(moment), date=moment, style_id=style_id)
    return RawCell(column, format_number(number, code), style_id=style_id)
