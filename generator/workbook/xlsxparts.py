"""Parts of an .xlsx package the cell stream does not carry: sheet layout, Excel Tables, rich-text colours.

The parts are read from the open archive with lxml, entities unresolved and DTDs refused,
as sheets.py does; a sheet's stream and part path come from generator.workbook.xlsxbook,
the one module that reaches into openpyxl's internals.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, NamedTuple

from defusedxml import DTDForbidden
from lxml import etree
from openpyxl.utils.cell import column_index_from_string, range_boundaries

from generator.workbook.colors import color_rgb, is_red_rgb
from generator.workbook.xlsxbook import _sheet_part_path, _sheet_source

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_X14_NS = "{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}"
_XM_NS = "{http://schemas.microsoft.com/office/excel/2006/main}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SHEET_DATA_START = re.compile(rb"<(?:[\w.-]+:)?sheetData\b")
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData\s*>")
_RUN_START = re.compile(rb"<(?:[\w.-]+:)?r[\s>]")
_CHUNK = 1 << 20
_OVERLAP = 64
# Bounds on what the layout pass keeps from a hostile sheet.
MAX_MERGES = 10_000
MAX_LAYOUT_BYTES = 20 * 1024 * 1024


class Area(NamedTuple):
    """A rectangle of cells, 1-based and inclusive."""

    min_col: int
    min_row: int
    max_col: int
    max_row: int

    def contains(self, column: int, row: int) -> bool:
        return self.min_col <= column <= self.max_col and self.min_row <= row <= self.max_row


class Table(NamedTuple):
    """An Excel Table (ListObject): its area, header and totals rows and column names."""

    name: str
    area: Area
    header_rows: int
    totals_rows: int
    columns: tuple[str, ...]

    @property
    def first_data_row(self) -> int:
        return self.area.min_row + self.header_rows

    @property
    def last_data_row(self) -> int:
        return self.area.max_row - self.totals_rows


class ConditionalRule(NamedTuple):
    """One conditional-formatting rule with a differential format: where it applies and what it reads.

    columns: the sheet columns its condition reads (a rule such as "cell equals Klar" reads the cells it
    formats; a formula rule reads the cells its formula names).
    """

    sqref: str
    dxf_id: int
    columns: frozenset[int]


class SheetLayout(NamedTuple):
    """What a sheet says outside its cells: hidden columns, merges, tables, links, conditional formats."""

    hidden_columns: tuple[tuple[int, int], ...] = ()
    merges: tuple[Area, ...] = ()
    tables: tuple[Table, ...] = ()
    hyperlinks: frozenset[tuple[int, int]] = frozenset()
    conditional: tuple[ConditionalRule, ...] = ()
    red_inline_conditional: tuple[str, ...] = ()  # sqrefs of Excel 2010 rules whose own format is red
    rows_hidden_by_default: bool = False  # <sheetFormatPr zeroHeight="1">: rows without a height of their own

    def column_hidden(self, column: int) -> bool:
        return any(low <= column <= high for low, high in self.hidden_columns)


def _parser() -> Any:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _parse(data: bytes) -> Any:
    root = etree.fromstring(data, _parser())
    doctype = root.getroottree().docinfo.doctype
    if doctype:
        raise DTDForbidden(doctype, None, None)
    return root


def _area(ref: str | None) -> Area | None:
    if not ref:
        return None
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", "").split()[0])
    except (ValueError, TypeError):
        return None
    if None in (min_col, min_row, max_col, max_row):
        return None
    return Area(int(min_col), int(min_row), int(max_col), int(max_row))  # type: ignore[arg-type]


def sheet_without_data(source: IO[bytes], chunk_size: int = _CHUNK) -> bytes:
    """The sheet's XML with its sheetData left out: one cheap pass over the part's bytes."""
    head = b""
    buffer = b""
    state = "head"
    while True:
        chunk = source.read(chunk_size)
        buffer += chunk
        if state == "head":
            match = _SHEET_DATA_START.search(buffer)
            close = buffer.find(b">", match.end()) if match else -1
            if close == -1:
                if not chunk or len(buffer) > MAX_LAYOUT_BYTES:
                    return b""
                continue
            head = buffer[: match.start()] if match else b""
            state = "tail" if buffer[close - 1 : close] == b"/" else "data"
            buffer = buffer[close + 1 :]
        if state == "data":
            # The closing tag's name is looked for first: the pattern alone tries every "</" of the rows.
            ends = list(_SHEET_DATA_END.finditer(buffer)) if b"sheetData" in buffer else []
            if ends:
                state, buffer = "tail", buffer[ends[-1].end():]
            else:
                buffer = buffer[-_OVERLAP:]
        if state == "tail" and len(buffer) > MAX_LAYOUT_BYTES:
            return b""
        if not chunk:
            return head + buffer if state == "tail" else b""


def _read_layout(worksheet: Any, archive: Any, theme: Sequence[str] = ()) -> SheetLayout:
    """The layout of one read-only openpyxl worksheet: hidden columns, merges, tables and more."""
    with _sheet_source(worksheet) as source:
        xml = sheet_without_data(source)
    if not xml:
        return SheetLayout()
    try:
        root = _parse(xml)
    except etree.XMLSyntaxError:
        return SheetLayout()
    hidden = []
    for col in root.iter(f"{_NS}col"):
        if col.get("hidden") in ("1", "true"):
            try:
                hidden.append((int(col.get("min", "0")), int(col.get("max", "0"))))
            except ValueError:
                continue
    merges: list[Area] = []
    for merge in root.iter(f"{_NS}mergeCell"):
        area = _area(merge.get("ref"))
        if area is not None and len(merges) < MAX_MERGES:
            merges.append(area)
    links: set[tuple[int, int]] = set()
    for link in root.iter(f"{_NS}hyperlink"):
        area = _area(link.get("ref"))
        if area is not None and len(links) < MAX_MERGES:
            links.add((area.min_col, area.min_row))
    conditional = []
    for rule_set in root.iter(f"{_NS}conditionalFormatting"):
        sqref = rule_set.get("sqref") or ""
        for rule in rule_set.iter(f"{_NS}cfRule"):
            if (rule.get("dxfId") or "").isdigit():
                conditional.append(ConditionalRule(sqref, int(rule.get("dxfId")), _rule_columns(rule, sqref)))
    inline_red = []
    for rule_set in root.iter(f"{_X14_NS}conditionalFormatting"):
        colours = (c for dxf in rule_set.iter(f"{_X14_NS}dxf") for c in dxf.iter(f"{_NS}color", f"{_NS}bgColor",
                                                                                    f"{_NS}fgColor"))
        if any(_color_is_red(c, theme) for c in colours):
            inline_red.append(" ".join(r.text or "" for r in rule_set.iter(f"{_XM_NS}sqref")).strip())
    table_ids = [part.get(f"{_REL_NS}id") for part in root.iter(f"{_NS}tablePart")]
    tables = tuple(_tables(worksheet, archive, [i for i in table_ids if i]))
    sheet_format = root.find(f"{_NS}sheetFormatPr")
    zero_height = sheet_format is not None and sheet_format.get("zeroHeight") in ("1", "true")
    return SheetLayout(tuple(hidden), tuple(merges), tables, frozenset(links), tuple(conditional),
                       tuple(inline_red), zero_height)


# Rule types whose condition is the value of each cell they format ("cell equals Klar", "text contains Klar").
_OWN_VALUE_RULES = frozenset({
    "cellIs", "containsText", "notContainsText", "beginsWith", "endsWith", "containsBlanks", "notContainsBlanks",
    "containsErrors", "notContainsErrors", "duplicateValues", "uniqueValues", "top10", "aboveAverage", "timePeriod",
})
_QUOTED = re.compile(r'"[^"]*"')
_COLUMN_RANGE = re.compile(r"(?<![A-Za-z0-9_.])\$?([A-Z]{1,3}):\$?([A-Z]{1,3})(?![A-Za-z0-9_(])")
_CELL_REF = re.compile(r"(?<![A-Za-z0-9_.])\$?([A-Z]{1,3})\$?[0-9]+(?![A-Za-z0-9_(])")


def _rule_columns(rule: Any, sqref: str) -> frozenset[int]:
    """The columns a conditional-formatting rule's condition reads: its own cells, and the cells its formulas name."""
    spans: list[tuple[int, int]] = []
    if rule.get("type") in _OWN_VALUE_RULES:
        areas = (_area(ref) for ref in sqref.split())
        spans += [(area.min_col, area.max_col) for area in areas if area is not None]
    for formula in rule.iter(f"{_NS}formula"):
        text = _QUOTED.sub("", formula.text or "").upper()
        spans += [(_column_number(first), _column_number(last)) for first, last in _COLUMN_RANGE.findall(text)]
        spans += [(_column_number(name), _column_number(name)) for name in _CELL_REF.findall(text)]
    columns: set[int] = set()
    for first, last in spans:
        columns.update(range(first, min(last, first + _MAX_RULE_COLUMNS) + 1))
    return frozenset(columns)


_MAX_RULE_COLUMNS = 64  # a rule over A:XFD reads many columns; which ones beyond these does not matter


def _column_number(name: str) -> int:
    """A column's number from its letters (0 for letters beyond Excel's last column, XFD)."""
    try:
        return int(column_index_from_string(name))
    except ValueError:
        return 0


def _tables(worksheet: Any, archive: Any, ids: Sequence[str]) -> Iterator[Table]:
    if not ids:
        return
    sheet_path = _sheet_part_path(worksheet)
    folder, name = posixpath.split(sheet_path)
    rels_path = posixpath.join(folder, "_rels", name + ".rels")
    try:
        rels = _parse(archive.read(rels_path))
    except (KeyError, etree.XMLSyntaxError):
        return
    targets = {rel.get("Id"): rel.get("Target") or "" for rel in rels.iter(f"{_PKG_REL_NS}Relationship")}
    for rel_id in ids:
        target = targets.get(rel_id)
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        try:
            table = _parse(archive.read(path))
        except (KeyError, etree.XMLSyntaxError):
            continue
        area = _area(table.get("ref"))
        if area is None:
            continue
        columns = tuple((c.get("name") or "") for c in table.iter(f"{_NS}tableColumn"))
        yield Table(
            name=table.get("displayName") or table.get("name") or "",
            area=area,
            header_rows=_int(table.get("headerRowCount"), 1),
            totals_rows=_int(table.get("totalsRowCount"), 0),
            columns=columns,
        )


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _run_color_is_red(properties: Any, theme: Sequence[str]) -> bool:
    """True when a rich-text run's properties (<rPr>) give it a red colour."""
    if properties is None:
        return False
    color = properties.find(f"{_NS}color")
    return color is not None and _color_is_red(color, theme)


def _color_is_red(color: Any, theme: Sequence[str]) -> bool:
    """True when a colour element (<color>, <bgColor>, <fgColor>: rgb, indexed or theme with tint) is red."""
    rgb = color_rgb(
        theme,
        rgb=color.get("rgb"),
        indexed=_int(color.get("indexed"), -1) if color.get("indexed") else None,
        theme_index=_int(color.get("theme"), -1) if color.get("theme") else None,
        tint=float(color.get("tint") or 0) if _is_number(color.get("tint")) else 0.0,
    )
    return rgb is not None and is_red_rgb(rgb)


def _is_number(text: str | None) -> bool:
    try:
        float(text or "")
    except ValueError:
        return False
    return True


def _rich_text_is_red(element: Any, theme: Sequence[str]) -> bool:
    """True when every run with visible text in an <si> or <is> element is coloured red."""
    seen = False
    for run in element.iterchildren(f"{_NS}r"):
        text = "".join(t.text or "" for t in run.iterchildren(f"{_NS}t"))
        if not text.strip():
            continue
        if not _run_color_is_red(run.find(f"{_NS}rPr"), theme):
            return False
        seen = True
    return seen


def _red_shared_strings(archive: Any, theme: Sequence[str]) -> frozenset[int]:
    """Indexes of shared strings whose visible text is all red through rich-text runs."""
    name = next((n for n in archive.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if name is None:
        return frozenset()
    if not _has_runs(archive, name):
        return frozenset()  # no rich text at all: the common case, one cheap pass over the bytes
    red: set[int] = set()
    try:
        with archive.open(name) as source:
            events = etree.iterparse(source, events=("end",), tag=f"{_NS}si", resolve_entities=False,
                                     no_network=True, load_dtd=False, huge_tree=False)
            for index, (_, element) in enumerate(events):
                if element.find(f"{_NS}r") is not None and _rich_text_is_red(element, theme):
                    red.add(index)
                element.clear()
    except etree.XMLSyntaxError:
        return frozenset(red)
    return frozenset(red)


def _has_runs(archive: Any, name: str) -> bool:
    carry = b""
    with archive.open(name) as source:
        while chunk := source.read(_CHUNK):
            if _RUN_START.search(carry + chunk):
                return True
            carry = chunk[-_OVERLAP:]
    return False


_APP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_MAX_APP_BYTES = 1024 * 1024


def _application(archive: Any) -> str:
    """The program that saved the package, as docProps/app.xml names it ("LibreOffice/7.4…"), or ""."""
    name = next((n for n in archive.namelist() if n.lower() == "docprops/app.xml"), None)
    if name is None or archive.getinfo(name).file_size > _MAX_APP_BYTES:
        return ""
    try:
        root = _parse(archive.read(name))
    except Exception:  # a damaged or hostile app.xml only means the program is not known
        return ""
    element = root.find(f"{_APP_NS}Application")
    return (element.text or "").strip() if element is not None else ""


def _red_dxfs(formats: Sequence[Any], is_red_color: Callable[[object], bool]) -> frozenset[int]:
    """Indexes of the workbook's differential formats (used by conditional formatting) that colour red."""
    red = set()
    for index, dxf in enumerate(formats):
        font = getattr(dxf, "font", None)
        fill = getattr(dxf, "fill", None)
        colors = [getattr(font, "color", None), getattr(fill, "bgColor", None), getattr(fill, "fgColor", None)]
        if any(c is not None and is_red_color(c) for c in colors):
            red.add(index)
    return frozenset(red)
