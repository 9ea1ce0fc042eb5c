"""Open an .xlsx workbook read-only through openpyxl, without the work this tool never uses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from defusedxml import DTDForbidden
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader import excel
from openpyxl.worksheet import _read_only

# openpyxl's internals, used only here: typed loosely on purpose.
ExcelReader: Any = excel.ExcelReader
ReadOnlyWorksheet: Any = _read_only.ReadOnlyWorksheet

# A DTD comes before the root element; a sheet's root element starts within its first bytes.
_PROLOG_BYTES = 4096
_ELEMENT = re.compile(rb"<[A-Za-z_]")


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet that does not parse its XML for a size when opened.

    openpyxl looks for the <dimension> element of every sheet as the workbook opens,
    which parses the start of each sheet with Python callbacks; the sheets' rows are
    streamed by generator.sheets, which needs no size. The size is read when asked for;
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


class _Reader(ExcelReader):
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


def open_workbook(path: Path) -> Any:
    """The workbook as load_workbook(path, read_only=True, data_only=True, keep_links=False) gives it."""
    reader = _Reader(path, read_only=True, data_only=True, keep_links=False)
    reader.read()
    return reader.wb
