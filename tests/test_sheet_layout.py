"""The layout pass over a sheet's XML: what lies outside sheetData, read cheaply and within bounds."""

from __future__ import annotations

import io
import zipfile

import pytest

from conftest import ACTIVITY_HEADER
from generator.workbook import grid
from generator.workbook.grid import spread_merges
from generator.workbook.reader import read_workbook
from generator.workbook.sheets import RawCell, RawRow
from generator.workbook.xlsxparts import Area, sheet_without_data

HEAD = b'<worksheet xmlns="urn:x"><cols><col min="2" max="2" hidden="1"/></cols>'
TAIL = b'<mergeCells count="1"><mergeCell ref="A1:A3"/></mergeCells></worksheet>'


@pytest.mark.parametrize("chunk", [1, 7, 13, 64, 100, 1 << 20])
def test_sheet_without_data_at_any_chunk_size(chunk):
    rows = b'<row r="1"><c r="A1"><v>1</v></c></row>' * 200
    xml = HEAD + b"<sheetData>" + rows + b"</sheetData>" + TAIL
    assert sheet_without_data(io.BytesIO(xml), chunk) == HEAD + TAIL
    assert sheet_without_data(io.BytesIO(HEAD + b"<sheetData/>" + TAIL), chunk) == HEAD + TAIL


def test_prefixed_sheet_data_and_no_sheet_data():
    xml = b'<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row/></x:sheetData><x:mergeCells/></x:worksheet>'
    assert sheet_without_data(io.BytesIO(xml)) == b'<x:worksheet xmlns:x="urn:x"><x:mergeCells/></x:worksheet>'
    assert sheet_without_data(io.BytesIO(b"<worksheet/>")) == b""


def test_spreading_is_bounded(monkeypatch):
    monkeypatch.setattr(grid, "MAX_SPREAD_CELLS", 10)
    rows = [RawRow(n, [RawCell(1, "x")] if n == 1 else [RawCell(9, "y")]) for n in range(1, 50)]
    spread = list(spread_merges(rows, [Area(1, 1, 3, 1000)]))
    assert sum(c.spread for row in spread for c in row.cells.values()) == 10


def test_a_merge_over_the_whole_sheet_is_read(make_workbook, tmp_path):
    rows = [ACTIVITY_HEADER, ["Möte", "", "", "", "Anna"], *([f"A{i}"] for i in range(200))]
    source = make_workbook(Aktiviteter=rows)
    patched = tmp_path / "merged.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(patched, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                                    b'<mergeCell ref="E2:XFD1048576"/></mergeCells>')
            new.writestr(item, data)
    plan = read_workbook(patched)
    assert {a.responsible.text for a in plan.activities} == {"Anna"}
    assert len(plan.activities) == 201



_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.mark.parametrize("prefix", [b"", b"x:"])
def test_rows_with_only_formatting_are_skipped_with_or_without_prefixes(prefix):
    import datetime as dt

    from generator.workbook.sheets import SheetStyles, read_rows
    from generator.workbook.xlsxbook import BookStyles

    body = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>Ett</t></is></c></row>'
            b'<row r="2" s="3"><c r="A2" s="3"/><c r="B2" s="3" t="n"></c></row><row r="3"/>'
            b'<row r="4" spans="1:2">\n  <c r="A4" s="1"/>\n</row><row r="5"><c r="A5"/><c r="B5"><v>7</v></c></row>'
            b'<row r="6"><c r="A6"/></row><row r="7"><c r="A7" s="2"/></row>')
    xml = b'<worksheet xmlns="' + _MAIN + b'"><sheetData>' + body + b"</sheetData></worksheet>"
    if prefix:
        xml = xml.replace(b"</", b"<\0").replace(b"<", b"<" + prefix).replace(b"<" + prefix + b"\0", b"</" + prefix)
        xml = xml.replace(b'xmlns="', b'xmlns:x="')
    empty = BookStyles((), (), frozenset(), frozenset(), (), (), ())
    rows = list(read_rows(io.BytesIO(xml), [], SheetStyles(empty, dt.datetime(1899, 12, 30))))
    assert [r.number for r in rows] == [1, 5]  # rows of cells without content are dropped, styled or not
    assert [(c.column, c.text) for c in rows[1].cells] == [(2, "7")]
