"""Shared strings read by lxml are the strings openpyxl reads; what is not plain is left to openpyxl."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl.reader.strings import read_string_table

from conftest import ROOT
from generator.workbook.reader import read_workbook
from generator.workbook.sharedstrings import plain_shared_strings

_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

PLAIN = [
    f"<sst {_MAIN}><si><t>Aktivitet</t></si><si><t>Syfte och m&#229;lgrupp</t></si></sst>",
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {_MAIN} count="3" uniqueCount="3">'
    '<si><t xml:space="preserve">  två  mellanslag </t></si><si><t/></si><si><t></t></si></sst>',
    f"<sst {_MAIN}><si><t>rad ett\r\nrad två\rrad tre</t></si><si><t>_x000D_ och _x005F_x000D_</t></si></sst>",
    f"<sst {_MAIN}><si><t>&lt;b&gt; &amp; &quot;citat&quot; &apos;</t></si>"
    "<si><t><![CDATA[<rå> & text]]></t></si></sst>",
    f"<sst {_MAIN}>\n  <si>\n    <t>indragen</t>\n  </si>\n</sst>",
    f"<sst {_MAIN}><si><t>först</t><t>sist</t></si><si></si></sst>",  # openpyxl keeps the last <t>
    '<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:si><x:t>prefix</x:t></x:si></x:sst>',
    "\ufeff" + f"<sst {_MAIN}><si><t>BOM</t></si></sst>",
    f"<sst {_MAIN}><si><t>retur&#13;&#10;och &#x1F600; och \U0001F600</t></si></sst>",
]

NOT_PLAIN = [
    f'<sst {_MAIN}><si><r><rPr><color rgb="FFFF0000"/></rPr><t>röd</t></r><r><t> text</t></r></si></sst>',
    f'<sst {_MAIN}><si><t>漢字</t><rPh sb="0" eb="1"><t>かんじ</t></rPh><phoneticPr fontId="1"/></si></sst>',
    f"<sst {_MAIN}><si><t>a<!-- kommentar -->b</t></si></sst>",
    f"<sst {_MAIN}><si><!-- kommentar --><t>a</t></si></sst>",
    f'<sst {_MAIN}><si foo="1"><t>attribut</t></si></sst>',
    f"<sst {_MAIN}><si><t>inte stängd</si></sst>",
    f'<!DOCTYPE sst [<!ENTITY e "x">]><sst {_MAIN}><si><t>&e;</t></si></sst>',
    f'<?xml version="1.0" encoding="ISO-8859-1"?><sst {_MAIN}><si><t>\xe5</t></si></sst>',
    f"<sst {_MAIN}><si><t x:a='1'>odeklarerat prefix</t></si></sst>",
    f"<sst {_MAIN}><si><t>halvt tecken &#xD800;</t></si></sst>",
]


def _bytes(xml: str) -> bytes:
    return xml.encode("latin-1") if 'encoding="ISO-8859-1"' in xml else xml.encode("utf-8")


@pytest.mark.parametrize("xml", PLAIN)
def test_plain_strings_are_read_as_openpyxl_reads_them(xml):
    data = _bytes(xml)
    assert plain_shared_strings(io.BytesIO(data)) == read_string_table(io.BytesIO(data))


@pytest.mark.parametrize("xml", NOT_PLAIN)
def test_other_strings_are_left_to_openpyxl(xml):
    assert plain_shared_strings(io.BytesIO(_bytes(xml))) is None


def _fixture_books():
    books = [ROOT / "data" / "aktivitetsplan.xlsx", *sorted((ROOT / "tests" / "fixtures").glob("**/*.xlsx"))]
    return [b for b in books if zipfile.is_zipfile(b) and "xl/sharedStrings.xml" in zipfile.ZipFile(b).namelist()]


def test_every_fixture_gives_openpyxls_strings_or_none():
    books = _fixture_books()
    assert len(books) > 10
    plain = 0
    for book in books:
        data = zipfile.ZipFile(book).read("xl/sharedStrings.xml")
        found = plain_shared_strings(io.BytesIO(data))
        if found is not None:
            plain += 1
            assert found == read_string_table(io.BytesIO(data)), book.name
    assert plain > 10  # most workbooks Excel and LibreOffice save are plain


def test_rich_text_is_left_to_openpyxl():
    for name in ("excel-red-marking.xlsx", "libreoffice-red-warnings.xlsx"):
        data = zipfile.ZipFile(ROOT / "tests" / "fixtures" / "real" / name).read("xl/sharedStrings.xml")
        assert plain_shared_strings(io.BytesIO(data)) is None, name


@pytest.mark.parametrize("name", ["libreoffice-valid.xlsx", "excel-formulas.xlsx", "excel-red-marking.xlsx"])
def test_a_workbook_reads_the_same_either_way(monkeypatch, name):
    path = ROOT / "tests" / "fixtures" / "real" / name
    fast = read_workbook(path)
    monkeypatch.setattr("generator.workbook.xlsxbook.plain_shared_strings", lambda source: None)
    assert read_workbook(path) == fast
