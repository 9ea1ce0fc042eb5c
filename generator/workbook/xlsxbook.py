"""Open an .xlsx workbook read-only through openpyxl, without the work this tool never uses.

The openpyxl adapter: the one module that reaches into openpyxl's internals (its reader,
the read-only worksheet's source stream, shared strings and part path, the open archive).
Everything else goes through the functions here or openpyxl's public API (openpyxl.utils,
openpyxl.styles). A workbook openpyxl cannot open becomes a WorkbookError here; damage found
while a sheet is streamed becomes one where it is read (generator.workbook.sheetreader).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

from defusedxml import DefusedXmlException, DTDForbidden
from openpyxl.packaging import workbook as workbook_package
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader import excel
from openpyxl.reader import workbook as workbook_reader
from openpyxl.styles import stylesheet
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.workbook import defined_name
from openpyxl.workbook import workbook as openpyxl_workbook
from openpyxl.worksheet import _read_only
from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_STYLE, SHARED_STRINGS
from openpyxl.xml.functions import fromstring

from generator.plan.errors import WorkbookError
from generator.workbook.safety import save_as_xlsx
from generator.workbook.sharedstrings import plain_shared_strings

# openpyxl's internals, used only here: typed loosely on purpose.
_excel: Any = excel
ExcelReader: Any = excel.ExcelReader
ReadOnlyWorksheet: Any = _read_only.ReadOnlyWorksheet
Workbook: Any = openpyxl_workbook.Workbook
WorkbookParser: Any = workbook_reader.WorkbookParser
WorkbookPackage: Any = workbook_package.WorkbookPackage

# A DTD comes before the root element; a sheet's root element starts within its first bytes.
_PROLOG_BYTES = 4096
_ELEMENT = re.compile(rb"<[A-Za-z_]")


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet that does not parse its XML for a size when opened.

    openpyxl looks for the <dimension> element of every sheet as the workbook opens,
    which parses the start of each sheet with Python callbacks; the sheets' rows are
    streamed by generator.workbook.sheets, which needs no size. The size is read when asked for;
    a sheet that declares a DTD is still refused as the workbook opens.
    """

    def _get_size(self) -> None:
        """Only refuse a sheet that declares a DTD, as openpyxl's size scan (defusedxml) would."""
        with self._get_source() as source:
            start = source.read(_PROLOG_BYTES)
        root = _ELEMENT.search(start)
        if b"<!DOCTYPE" in start[: root.start() if root else None]:
            raise DTDForbidden("worksheet", None, None)

    def _sized(self, name: str) -> Any:
        if "_size_read" not in self.__dict__:
            self._size_read = True
            ReadOnlyWorksheet._get_size(self)
        return getattr(self, name)

    @property
    def min_row(self) -> Any:
        return self._sized("_min_row")

    @property
    def max_row(self) -> Any:
        return self._sized("_max_row")

    @property
    def min_column(self) -> Any:
        return self._sized("_min_column")

    @property
    def max_column(self) -> Any:
        return self._sized("_max_column")


class CellStyle(NamedTuple):
    """One cell format (xf) of styles.xml: its number format (custom ones renumbered as openpyxl does), font, fill."""

    number_format_id: int
    font_id: int
    fill_id: int


class BookStyles(NamedTuple):
    """What the reader takes from a workbook's styles.xml, as openpyxl reads it."""

    cell_styles: tuple[CellStyle, ...]
    custom_formats: tuple[str, ...]  # format codes from BUILTIN_FORMATS_MAX_SIZE on
    date_styles: frozenset[int]  # cell styles that show a date
    time_styles: frozenset[int]  # cell styles that show a duration
    fonts: tuple[Any, ...]  # openpyxl Font objects, read only
    fills: tuple[Any, ...]  # openpyxl Fill objects, read only
    dxfs: tuple[Any, ...]  # differential formats (conditional formatting), read only

    @classmethod
    def of(cls, workbook: Any) -> BookStyles:
        """The styles openpyxl's apply_stylesheet gave a workbook."""
        differential = getattr(getattr(workbook, "_differential_styles", None), "dxf", None)
        return cls(
            cell_styles=tuple(CellStyle(s.numFmtId, s.fontId, s.fillId) for s in workbook._cell_styles),
            custom_formats=tuple(workbook._number_formats),
            date_styles=frozenset(workbook._date_formats or ()),
            time_styles=frozenset(workbook._timedelta_formats or ()),
            fonts=tuple(workbook._fonts),
            fills=tuple(workbook._fills),
            dxfs=tuple(differential or ()),
        )


class _PartMemo:
    """Readings of a package part remembered by the SHA-256 of its bytes: a few, of small parts only.

    Most workbooks come from the same template and share their styles, content types and
    workbook part byte for byte; a reading is a pure function of the bytes, never changed after.
    """

    def __init__(self, size: int = 8, max_bytes: int = 1024 * 1024) -> None:
        self._size, self._max_bytes = size, max_bytes
        self._found: OrderedDict[bytes, Any] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(data: bytes | None) -> bytes:
        return b"" if data is None else hashlib.sha256(data).digest()  # b"": the part is missing

    def get(self, key: bytes) -> Any:
        with self._lock:
            found = self._found.get(key)
            if found is not None:
                self._found.move_to_end(key)
            return found

    def put(self, key: bytes, data: bytes | None, reading: Any) -> None:
        if data is not None and len(data) > self._max_bytes:
            return
        with self._lock:
            self._found[key] = reading
            while len(self._found) > self._size:
                self._found.popitem(last=False)


_styles_memo = _PartMemo()  # styles.xml -> BookStyles
_manifest_memo = _PartMemo()  # [Content_Types].xml -> openpyxl Manifest
_workbook_memo = _PartMemo()  # xl/workbook.xml -> openpyxl WorkbookPackage


class _ReadWorkbook(Workbook):
    """openpyxl's Workbook without the default sheet and styles it sets up for writing a new one.

    Reading replaces both: the sheets are the package's, and openpyxl's default styles are
    set up (then overwritten from styles.xml) only when styles.xml is actually read.
    """

    book_styles: BookStyles

    def __init__(self) -> None:
        super().__init__(write_only=True)  # a write-only workbook gets no default worksheet
        self._Workbook__write_only = False

    def _setup_styles(self) -> None:
        """Deferred to _Reader.read_styles."""


class _WorkbookParser(WorkbookParser):
    def __init__(self, archive: Any, workbook_part_name: str) -> None:
        """openpyxl's WorkbookParser.__init__ with a _ReadWorkbook, external links left out."""
        self.archive = archive
        self.workbook_part_name = workbook_part_name
        self.defined_names = defined_name.DefinedNameList()
        self.wb = _ReadWorkbook()
        self.keep_links = False
        self.sheets: list[Any] = []

    def parse(self) -> None:
        """openpyxl's parse without external links, the part's reading remembered per version."""
        data = self.archive.read(self.workbook_part_name)
        key = _workbook_memo.key(data)
        package = _workbook_memo.get(key)
        if package is None:
            package = WorkbookPackage.from_tree(fromstring(data))
            package.externalReferences = []  # external links are never read (keep_links=False)
            _workbook_memo.put(key, data, package)
        if package.properties.date1904:
            self.wb.epoch = CALENDAR_MAC_1904
        self.wb.code_name = package.properties.codeName
        self.wb.active = package.active
        self.wb.views = package.bookViews
        self.sheets = package.sheets
        self.wb.calculation = package.calcPr
        self.caches = package.pivotCaches
        if package.definedNames:
            self.defined_names = package.definedNames
        self.wb.security = package.workbookProtection


class _Reader(ExcelReader):
    def read(self) -> None:
        """openpyxl's ExcelReader.read for a read-only workbook, with styles.xml read once per version."""
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        self.read_properties()
        self.read_custom()
        self.read_theme()
        self.read_styles()
        self.read_worksheets()
        self.parser.assign_names()

    def read_manifest(self) -> None:
        """openpyxl's read_manifest, its reading remembered per version of [Content_Types].xml."""
        data = self.archive.read(ARC_CONTENT_TYPES)
        key = _manifest_memo.key(data)
        package = _manifest_memo.get(key)
        if package is None:
            package = Manifest.from_tree(fromstring(data))
            _manifest_memo.put(key, data, package)
        self.package = package

    def read_strings(self) -> None:
        """openpyxl's read_strings, by lxml when the strings are plain text (sharedstrings.plain_shared_strings)."""
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                strings = plain_shared_strings(source)
            if strings is not None:
                self.shared_strings = strings
                return
        ExcelReader.read_strings(self)

    def read_workbook(self) -> None:
        """openpyxl's read_workbook (read-only, no VBA kept) with a _WorkbookParser."""
        part = _excel._find_workbook_part(self.package)
        self.parser = _WorkbookParser(self.archive, part.PartName[1:])
        self.parser.parse()
        wb = self.parser.wb
        wb._sheets = []
        wb._data_only = self.data_only
        wb._read_only = self.read_only
        wb.template = part.ContentType in (_excel.XLTX, _excel.XLTM)
        wb._archive = self.archive
        self.wb = wb

    def read_styles(self) -> None:
        """openpyxl's apply_stylesheet, or what it gave for the same styles.xml before."""
        try:
            data: bytes | None = self.archive.read(ARC_STYLE)
        except KeyError:
            data = None
        key = _styles_memo.key(data)
        styles = _styles_memo.get(key)
        if styles is None:
            Workbook._setup_styles(self.wb)
            stylesheet.apply_stylesheet(self.archive, self.wb)
            styles = BookStyles.of(self.wb)
            _styles_memo.put(key, data, styles)
        self.wb.book_styles = styles

    def read_worksheets(self) -> None:
        """openpyxl's read-only branch of read_worksheets, with sheets sized on demand."""
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            rels_path = get_rels_path(rel.target)
            if rels_path in self.valid_files:
                get_dependents(self.archive, rels_path)  # a damaged one fails the workbook, as in openpyxl
            worksheet = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def unreadable(exc: BaseException) -> str:
    """The Swedish reason a workbook or sheet cannot be read, from what openpyxl or the XML parser raised."""
    chain: BaseException | None = exc
    while chain is not None:
        if isinstance(chain, DefusedXmlException):
            return (
                "filen innehåller otillåten XML (DTD eller entiteter) och läses inte, "
                "eftersom den kan vara skadlig. Spara om den i Excel."
            )
        chain = chain.__cause__ or chain.__context__
    return (
        "filen kan inte läsas som en Excel-arbetsbok; den är skadad eller i fel format. " + save_as_xlsx()
    )


def _open_workbook(path: Path) -> Any:
    """The workbook as load_workbook(path, read_only=True, data_only=True, keep_links=False) gives it.

    Its styles are read through book_styles, not openpyxl's private attributes.
    WorkbookError when openpyxl cannot open it.
    """
    try:
        reader = _Reader(path, read_only=True, data_only=True, keep_links=False, keep_vba=False)
        reader.read()
    except Exception as exc:  # openpyxl raises many kinds for damaged packages
        raise WorkbookError(path, unreadable(exc)) from None
    return reader.wb


def book_styles(workbook: Any) -> BookStyles:
    """The styles of a workbook _open_workbook opened."""
    styles: BookStyles = workbook.book_styles
    return styles


def archive(workbook: Any) -> Any:
    """The open zip archive of a workbook _open_workbook opened (its parts are read with it)."""
    return workbook._archive


def _sheet_source(worksheet: Any) -> IO[bytes]:
    """A read-only worksheet's XML part, opened as a binary stream (a context manager)."""
    source: IO[bytes] = worksheet._get_source()
    return source


def shared_strings(worksheet: Any) -> Sequence[str]:
    """The workbook's shared strings, as the read-only worksheet reads its cells with them."""
    strings: Sequence[str] = worksheet._shared_strings
    return strings


def _sheet_part_path(worksheet: Any) -> str:
    """The path of a read-only worksheet's part inside the package, such as xl/worksheets/sheet1.xml."""
    path: str = worksheet._worksheet_path
    return path
