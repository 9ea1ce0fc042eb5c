"""Rebuild tests/fixtures/real/: workbooks saved the way Excel and LibreOffice save them, with expected outcomes.

Run: python tools/build_real_corpus.py   (needs LibreOffice's soffice for the libreoffice-*.xlsx cases)

excel-*.xlsx are written with openpyxl using the structures Excel writes (shared strings, rich-text runs,
cached formula values, hidden rows, outline groups, autofilters, ListObjects, merges, theme and indexed
colours, conditional formatting). libreoffice-*.xlsx are such workbooks opened and saved again by
LibreOffice headless, which is the only way to get formula results LibreOffice itself computed and the
XML LibreOffice really writes. expected.json holds, per file, what `check` and `generate` must do; the
expectations follow the reader decisions written in README ("Arbetsbokens format").
The build is reproducible: zip dates and document timestamps are fixed, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Color, Font, GradientFill, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_example import ACTIVITIES as EXAMPLE_ACTIVITIES
from build_example import PLAN as EXAMPLE_PLAN
from build_example import SECTIONS as EXAMPLE_SECTIONS
from generator.workbook.starter import CORE_ACTIVITY_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"
EXPECTED = REAL / "expected.json"
HEADER = list(CORE_ACTIVITY_COLUMNS)  # Aktivitet, Syfte och målgrupp, Tid, Kanal, Ansvarig, Klar
FIXED_TIME = (2019, 3, 15, 12, 0, 0)
FIXED_STAMP = "2019-03-15T12:00:00Z"
RED, DARK_RED, DARKER_RED = "FFFF0000", "FFC00000", "FF990000"
THEME_RED = 5  # accent2 of the Office theme Excel 2007-2010 (and openpyxl) write: C0504D, "Röd, dekorfärg 2"
INDEXED_RED = 10  # the legacy palette's FF0000
ORANGE = "FFFFC000"

# A cached formula result as Excel writes it: (cell type attribute or None for a number, value text).
Cached = dict[str, dict[str, tuple[str | None, str]]]


# ---------------------------------------------------------------------------------------------------------
# Building blocks


def new_workbook(activities: list[list[Any]], header: list[str] | None = None,
                 sections: list[list[Any]] | None = None) -> tuple[Workbook, Worksheet]:
    """Plan, Avsnitt and Aktiviteter (header + rows); returns the workbook and the activity sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    plan = workbook.create_sheet("Plan")
    for row in (["Kommun", "Testköping"], ["Datum", dt.date(2019, 3, 15)], ["Slogan", "VI GÖR DET ENKLARE!"]):
        plan.append(row)
    plan["B2"].number_format = "yyyy-mm-dd"
    avsnitt = workbook.create_sheet("Avsnitt")
    for row in sections or [["Rubrik", "Text"], ["Bakgrund", "Kort bakgrund."]]:
        avsnitt.append(row)
    sheet = workbook.create_sheet("Aktiviteter")
    sheet.append(header or HEADER)
    for row in activities:
        sheet.append(row)
    for column in "ABCDEF":
        sheet.column_dimensions[column].width = 24
    return workbook, sheet


def font(color: str | Color, bold: bool = False) -> Font:
    """A font as Excel's colour button sets it: the workbook's font, another colour."""
    return Font(name="Calibri", size=11, bold=bold, color=color)


def paint_row(sheet: Worksheet, row: int, font: Font | None = None, fill: PatternFill | None = None,
              columns: str = "ABCDEF") -> None:
    """Colour a row as a user does: select the cells, pick a font colour or a fill."""
    for column in columns:
        cell = sheet[f"{column}{row}"]
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill


def save_as_excel(workbook: Workbook, target: Path, cached: Cached | None = None) -> Path:
    """Save, then rewrite the package as Excel writes it: strings (also rich text) in a shared string table,
    and every formula with its cached result."""
    workbook.properties.creator = "Excel"
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "openpyxl.xlsx"
        workbook.save(raw)
        sheets = {sheet.title: f"xl/worksheets/sheet{i}.xml" for i, sheet in enumerate(workbook.worksheets, 1)}
        cached_by_part = {sheets[title]: values for title, values in (cached or {}).items()}
        _excel_package(raw, target, cached_by_part)
    return target


_INLINE = re.compile(rb'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="inlineStr"><is>(.*?)</is></c>', re.S)
_EMPTY = re.compile(rb'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="(?:inlineStr|n)"></c>')  # openpyxl's "" and styled blanks
_FORMULA = re.compile(rb'<c r="([A-Z]+\d+)"((?: s="\d+")?)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>', re.S)


def _excel_package(source: Path, target: Path, cached: dict[str, dict[str, tuple[str | None, str]]]) -> None:
    strings: list[bytes] = []
    index: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        item = match.group(3)
        if item not in index:
            index[item] = len(strings)
            strings.append(item)
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), index[item])

    def with_value(values: dict[str, tuple[str | None, str]]) -> Callable[[re.Match[bytes]], bytes]:
        def replace(match: re.Match[bytes]) -> bytes:
            ref = match.group(1).decode()
            if ref not in values:
                raise SystemExit(f"{ref}: a formula without the cached value Excel would have saved")
            kind, value = values[ref]
            kind_attr = f' t="{kind}"'.encode() if kind else b""
            return b'<c r="%s"%s%s><f>%s</f><v>%s</v></c>' % (
                match.group(1), match.group(2), kind_attr, match.group(3), html.escape(value).encode())
        return replace

    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(source) as package:
        names = package.namelist()
        for name in names:
            data = package.read(name)
            if name.startswith("xl/worksheets/sheet"):
                data = _excel_sheet_markup(data)
                data = _EMPTY.sub(rb'<c r="\1"\2/>', data)
                data = _INLINE.sub(shared, data)
                data = _FORMULA.sub(with_value(cached.get(name, {})), data)
            parts[name] = data
    if strings:
        parts["xl/sharedStrings.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(strings), len(strings))
            + b"".join(b"<si>%s</si>" % s for s in strings) + b"</sst>")
        names.append("xl/sharedStrings.xml")
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdSharedStrings" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    _write_fixed(target, names, parts)


_MAIN_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_EXCEL_NS = (b' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
             b' xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac"')


def _excel_sheet_markup(data: bytes) -> bytes:
    """Excel's extra sheet markup: the x14ac namespace marked ignorable, row spans and dyDescent."""
    if _MAIN_NS not in data:
        raise SystemExit("openpyxl wrote a worksheet root this script does not know")
    dimension = re.search(rb'<dimension ref="[A-Z]+\d+(?::([A-Z]+)\d+)?"', data)
    last = dimension.group(1) if dimension and dimension.group(1) else b"A"
    width = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(last.decode())))
    data = data.replace(_MAIN_NS, _MAIN_NS + _EXCEL_NS, 1)
    data = re.sub(rb"<sheetFormatPr([^>]*?)/>", rb'<sheetFormatPr\1 x14ac:dyDescent="0.25"/>', data)
    return re.sub(rb'<row r="(\d+)"([^>]*?)(/?)>',
                  rb'<row r="\1" spans="1:%d"\2 x14ac:dyDescent="0.25"\3>' % width, data)


def _write_fixed(target: Path, names: list[str], parts: dict[str, bytes]) -> None:
    """Write a package with fixed zip dates and document timestamps, so rebuilding gives the same bytes."""
    stamp = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name in names:
            data = parts[name]
            if name == "docProps/core.xml":
                data = stamp.sub(rb"\g<1>" + FIXED_STAMP.encode() + rb"\g<2>", data)
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data)


def normalise(path: Path) -> None:
    """Fix the timestamps of a package another program wrote (LibreOffice stamps the time of saving)."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        parts = {name: package.read(name) for name in names}
    _write_fixed(path, names, parts)


def resave_with_libreoffice(sources: list[Path], folder: Path, language: str = "C") -> None:
    """Open and save each workbook in LibreOffice headless (one process, a private profile), in a language."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) behövs för libreoffice-*.xlsx; installera libreoffice-calc-nogui")
    # LibreOffice rewrites number formats for its locale on the way (a Swedish one saves '#,##0 "kr"' as
    # '#,##0,"kr"' and 0% as '0\ %'); one fixed locale keeps the corpus the same on every machine.
    env = {**os.environ, "LANG": f"{language}.UTF-8", "LC_ALL": f"{language}.UTF-8", "LANGUAGE": ""}
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}/profile", "--headless",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder),
                        *map(str, sources)], check=True, capture_output=True, timeout=300, env=env)


# ---------------------------------------------------------------------------------------------------------
# The cases. Each builder returns the workbook and, where it has formulas, the results Excel would cache.
# Expectations (see tests/test_real_corpus.py):
#   check, generate   exit status of `aktivitetsplan check` and `aktivitetsplan generate`
#   activities        the first words of each activity in the document, in order
#   done              the first words of the activities shown red (done)
#   cells             [activity index, column header, the cell's exact text in the document]
#   findings          each a list of fragments that must all appear on one line of check's and generate's output
#   absent            each a list of fragments that must not all appear on any one line of that output
#   absent_text       texts that must appear nowhere in the document


def hidden_rows() -> tuple[Workbook, Cached]:
    sections = [["Rubrik", "Text"], ["Bakgrund", "Kort bakgrund."], ["Gammalt avsnitt", "Strukits."],
                ["Budskap", "Det blir enklare."]]
    workbook, sheet = new_workbook([
        ["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"],
        ["INSTÄLLD: Mässa på torget", "Invånare", "Juni 2019", "Mässa", "Bo", ""],
        [],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "", ""],
        ["Utskick till föreningar", "Föreningar", "Maj 2019", "E-post", "Eva", ""],
    ], sections=sections)
    sheet.row_dimensions[3].hidden = True
    sheet.row_dimensions[4].hidden = True  # empty and hidden: nothing to say about it
    workbook["Avsnitt"].row_dimensions[3].hidden = True
    workbook["Plan"].append(["Projekt", "Hemligt projekt"])
    workbook["Plan"].row_dimensions[4].hidden = True
    recipients = workbook.create_sheet("Sändlista")
    for row in (["Namn", "E-post", "Roll"], ["Eva Svensson", "eva@testkoping.se", "Projektledare"],
                ["Slutat", "inte en adress", ""]):
        recipients.append(row)
    recipients.row_dimensions[3].hidden = True
    return workbook, {}


def autofilter() -> tuple[Workbook, Cached]:
    workbook, sheet = new_workbook([
        ["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "", ""],
        ["Möte med föreningar", "Föreningar", "Maj 2019", "Möte", "Bo", ""],
        ["Mejl till förbund", "Förbund", "Mars 2019", "E-post", "", ""],
        ["Möte med servicecenter", "Servicecenter", "Mars 2019", "Möte", "", ""],
    ])
    sheet.auto_filter.ref = "A1:F6"
    sheet.auto_filter.add_filter_column(3, ["Möte"])
    sheet.sheet_properties.filterMode = True
    for row in (3, 5):
        sheet.row_dimensions[row].hidden = True
    return workbook, {}


def collapsed_group() -> tuple[Workbook, Cached]:
    workbook, sheet = new_workbook([
        ["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"],
        ["Gammal: affischer", "Invånare", "2018", "Affisch", "", ""],
        ["Gammal: annons", "Invånare", "2018", "Annons", "", ""],
        ["Gammal: radio", "Invånare", "2018", "Radio", "", ""],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "", ""],
    ])
    sheet.row_dimensions.group(3, 5, outline_level=1, hidden=True)
    sheet.row_dimensions[6].collapsed = True
    sheet.sheet_format.outlineLevelRow = 1
    return workbook, {}


def hidden_column() -> tuple[Workbook, Cached]:
    workbook, sheet = new_workbook([
        ["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "", ""],
    ])
    sheet.column_dimensions["F"].hidden = True
    return workbook, {}


def hidden_recipient_sheet() -> tuple[Workbook, Cached]:
    workbook, _ = new_workbook([
        ["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "", ""],
    ])
    recipients = workbook.create_sheet("Sändlista")
    recipients.append(["Namn", "E-post", "Roll"])
    recipients.append(["Eva Svensson", "eva@testkoping.se", "Projektledare"])
    recipients.sheet_state = "hidden"
    return workbook, {}


def hidden_activity_sheet() -> tuple[Workbook, Cached]:
    workbook, sheet = new_workbook([["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"]])
    workbook.create_sheet("Anteckningar").append(["Här skriver jag mina anteckningar."])
    sheet.sheet_state = "veryHidden"
    workbook.active = 0
    return workbook, {}


def duplicate_sheet_names() -> tuple[Workbook, Cached]:
    workbook, _ = new_workbook([["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"]])
    twin = workbook.create_sheet("Aktiviteter ")  # Excel allows it: names differ by the trailing space only
    twin.append(HEADER)
    twin.append(["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "", ""])
    return workbook, {}


def duplicate_sheet_names_nbsp() -> tuple[Workbook, Cached]:
    workbook, _ = new_workbook([["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"]])
    twin = workbook.create_sheet("Avsnitt\u00a0")  # a no-break space pasted from a web page or Word
    twin.append(["Rubrik", "Text"])
    twin.append(["Budskap", "Det blir enklare."])
    return workbook, {}


def merged_header() -> tuple[Workbook, Cached]:
    workbook, sheet = new_workbook([
        ["Möte med nämnden", "Politiker", "Anteckning ett", "Maj 2019", "Möte", "Eva", "Ja"],
        ["Nyhet på intranätet", "Alla medarbetare", "Anteckning två", "April 2019", "Intranät", "", ""],
    ], header=["Aktivitet", "Syfte och målgrupp", None, "Tid", "Kanal", "Ansvarig", "Klar"])
    sheet.merge_cells("B1:C1")  # a wide heading over two columns
    return workbook, {}


def merged_cells() -> tuple[Workbook, Cached]:
    workbook, sheet = new_workbook([
        ["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", None, ""],
        ["Utskick till skolor", "Rektorer", "Maj 2019", "E-post", None, ""],
        ["Utskick till föreningar", "Föreningar", "Maj 2019", "E-post", "Bo", ""],
        [None, "Föreningar", "Juni 2019", "Brev", "Bo", ""],
        ["Mässa på torget", "Alla invånare på plats", None, None, "Ida", ""],
    ])
    for cells in ("E2:E4", "A5:A6", "B7:D7"):
        sheet.merge_cells(cells)
    sheet["A5"].alignment = Alignment(vertical="center", wrap_text=True)
    return workbook, {}


def table_with_totals() -> tuple[Workbook, Cached]:
    workbook, sheet = new_workbook([])
    sheet.delete_rows(1)
    sheet.append(["Aktivitetsplan 2019"])
    sheet.append([])
    sheet.append([*HEADER, "Budget"])
    sheet.append(["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja", 1000])
    sheet.append(["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "", "", 1500])
    sheet.append(["Utskick till föreningar", "Föreningar", "Maj 2019", "E-post", "Bo", "", 2000])
    sheet.append(["Summa", None, None, None, None, None, "=SUBTOTAL(109,Aktivitetstabell[Budget])"])
    sheet["A1"].font = Font(bold=True, size=16)
    for row in range(4, 8):
        sheet[f"G{row}"].number_format = '#,##0 "kr"'
    paint_row(sheet, 7, font=font(RED, bold=True), columns="ABCDEFG")  # the user reddened the sum
    columns = [TableColumn(id=i, name=name) for i, name in enumerate([*HEADER, "Budget"], 1)]
    columns[0].totalsRowLabel = "Summa"
    columns[-1].totalsRowFunction = "sum"
    table = Table(displayName="Aktivitetstabell", ref="A3:G7", totalsRowCount=1, tableColumns=columns,
                  autoFilter=AutoFilter(ref="A3:G6"),
                  tableStyleInfo=TableStyleInfo(name="TableStyleMedium2", showRowStripes=True))
    sheet.add_table(table)
    return workbook, {"Aktiviteter": {"G7": (None, "4500")}}


def table_without_header_row() -> tuple[Workbook, Cached]:
    workbook, sheet = new_workbook([])
    sheet.delete_rows(1)
    sheet.append(["Aktiviteter hösten 2019"])
    sheet.append(["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"])
    sheet.append(["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "", ""])
    sheet.append(["Utskick till föreningar", "Föreningar", "Maj 2019", "E-post", "Bo", ""])
    columns = [TableColumn(id=i, name=name) for i, name in enumerate(HEADER, 1)]
    table = Table(displayName="Aktiviteter", ref="A2:F4", headerRowCount=0, tableColumns=columns,
                  tableStyleInfo=TableStyleInfo(name="TableStyleLight9", showRowStripes=True))
    sheet.add_table(table)
    return workbook, {}


def group_header(first: str) -> Callable[[], tuple[Workbook, Cached]]:
    def build() -> tuple[Workbook, Cached]:
        workbook, sheet = new_workbook([
            ["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"],
            ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "", ""],
        ])
        sheet.insert_rows(1)
        sheet["A1"], sheet["C1"] = first, "När och hur"
        sheet.merge_cells("A1:B1")
        sheet.merge_cells("C1:F1")
        for ref in ("A1", "C1"):
            sheet[ref].font = Font(bold=True)
            sheet[ref].alignment = Alignment(horizontal="center")
        return workbook, {}
    return build


def formulas() -> tuple[Workbook, Cached]:
    workbook, _ = new_workbook([
        ['="Nyhet på "&"intranätet"', "Alla medarbetare", "=2018+1", "Intranät", "Bo", "Ja",
         '=IF(F2="Ja","Klar","")'],
        ["Möte med föreningar", "Föreningar", "Maj 2019", '=IF(F3="Ja","Klar","")', "=NA()", "",
         '=IF(F3="Ja","Klar","")'],
        ["Presentation på nämndmöte", "Politiker", "=1/0", "Möte", "Eva", "=1=1", '=IF(F4="Ja","Klar","")'],
        ["Utskick till skolor", "=F4", "Maj 2019", "E-post", "=SUM(#REF!)", "=1=2", '=IF(F5="Ja","Klar","")'],
    ], header=[*HEADER, "Status"])
    return workbook, {"Aktiviteter": {
        "A2": ("str", "Nyhet på intranätet"), "C2": (None, "2019"), "G2": ("str", "Klar"),
        "D3": ("str", ""), "E3": ("e", "#N/A"), "G3": ("str", ""),
        "C4": ("e", "#DIV/0!"), "F4": ("b", "1"), "G4": ("str", ""),
        "B5": ("b", "1"), "E5": ("e", "#REF!"), "F5": ("b", "0"), "G5": ("str", ""),
    }}


NUMBER_FORMATS = [  # Aktivitet, value, number format (as Excel stores it), what a Swedish Excel shows
    ("Tusental", 1500, "#,##0", "1 500"),
    ("Decimaler", 3.5, "0.00", "3,50"),
    ("Procent", 0.25, "0%", "25%"),
    ("Procent med decimal", 0.125, "0.0%", "12,5%"),
    ("Kronor", 15000, '#,##0 "kr"', "15 000 kr"),
    ("Styck", 12, '0" st"', "12 st"),
    ("Negativt i rött", -2500, "#,##0;[Red]-#,##0", "-2 500"),
    ("Allmänt", 1234567.891, "General", "1234567,891"),
]
DATE_FORMATS = [  # value, number format, what a Swedish Excel shows
    (dt.date(2019, 3, 15), "yyyy-mm-dd", "2019-03-15"),
    (dt.date(2019, 3, 15), "d mmmm yyyy", "15 mars 2019"),
    (dt.date(2019, 4, 1), "[$-41D]d mmmm yyyy;@", "1 april 2019"),
    (dt.datetime(2019, 5, 2, 14, 30), "yyyy-mm-dd hh:mm", "2019-05-02 14:30"),
    (dt.date(2019, 10, 7), "d mmm yyyy", "7 okt 2019"),
    ("Vecka 12", "@", "Vecka 12"),
    (dt.date(2019, 12, 24), "mm-dd-yy", "2019-12-24"),  # built-in 14, the short date of the system: ISO in Sweden
    (dt.date(2020, 1, 31), "d mmmm yyyy", "31 januari 2020"),
]


def number_formats() -> tuple[Workbook, Cached]:
    rows = [[name, value, when, "Möte", "Eva", ""]
            for (name, value, _, _), (when, _, _) in zip(NUMBER_FORMATS, DATE_FORMATS)]
    workbook, sheet = new_workbook(rows)
    for row, ((*_, number_format, _), (_, date_format, _)) in enumerate(zip(NUMBER_FORMATS, DATE_FORMATS), 2):
        sheet[f"B{row}"].number_format = number_format
        sheet[f"C{row}"].number_format = date_format
    return workbook, {}


def number_format_cells(short_date: bool = True) -> list[list[Any]]:
    """Every formatted cell with what a Swedish Excel shows; without short_date, not the built-in short date
    (LibreOffice, running in a fixed English locale here, saves it as the explicit US code m/d/yyyy)."""
    return ([[i, "Syfte och målgrupp", shown] for i, (*_, shown) in enumerate(NUMBER_FORMATS)]
            + [[i, "Tid", shown] for i, (_, code, shown) in enumerate(DATE_FORMATS)
               if short_date or code != "mm-dd-yy"])


RED_ROWS = [  # Aktivitet (first words say the variant), done?, how the row is coloured
    ("Röd text FF0000", True, {"font": font(RED)}),
    ("Mörkröd text C00000", True, {"font": font(DARK_RED)}),
    ("Mörkröd text 990000", True, {"font": font(DARKER_RED)}),
    ("Röd fyllning", True, {"fill": PatternFill("solid", fgColor=RED)}),
    ("Temaröd text", True, {"font": font(Color(theme=THEME_RED))}),
    ("Temaröd mörkare", True, {"font": font(Color(theme=THEME_RED, tint=-0.25))}),
    ("Indexerad röd", True, {"font": font(Color(indexed=INDEXED_RED))}),
    ("Ljusröd (rosa) tema", False, {"font": font(Color(theme=THEME_RED, tint=0.8))}),
    ("Orange text", False, {"font": font(ORANGE)}),
    ("Svart text", False, {}),
]


def red_marking() -> tuple[Workbook, Cached]:
    rows = [[name, "Politiker", "Maj 2019", "Möte", "Eva", ""] for name, _, _ in RED_ROWS]
    rows.append(["Röd rik text", "Politiker", "Maj 2019", "Möte", "Eva", ""])
    rows.append(["Röd rad med länk", "Invånare", "April 2019", "https://testkoping.se", "Bo", ""])
    workbook, sheet = new_workbook(rows)
    for row, (_, _, style) in enumerate(RED_ROWS, 2):
        paint_row(sheet, row, **style)
    rich = len(RED_ROWS) + 2
    red_font = InlineFont(color=RED)
    sheet[f"A{rich}"] = CellRichText([TextBlock(red_font, "Röd rik "), TextBlock(red_font, "text")])
    paint_row(sheet, rich, font=font(RED), columns="BCDEF")
    link = rich + 1
    paint_row(sheet, link, font=font(RED))
    sheet[f"D{link}"].hyperlink = "https://testkoping.se"
    sheet[f"D{link}"].style = "Hyperlink"
    return workbook, {}


def red_warnings() -> tuple[Workbook, Cached]:
    workbook, sheet = new_workbook([
        ["Delvis röd rad", "Politiker", "Maj 2019", "Möte", "Eva", ""],
        ["Röd rad men Klar Nej", "Politiker", "Maj 2019", "Möte", "Eva", "Nej"],
        ["Svart rad", "Politiker", "Maj 2019", "Möte", "Eva", ""],
        ["Röd rik text bara ett ord", "Politiker", "Maj 2019", "Möte", "Eva", ""],
    ])
    paint_row(sheet, 2, font=font(RED), columns="AB")
    paint_row(sheet, 3, font=font(RED))
    sheet["A5"] = CellRichText(["Röd rik text bara ", TextBlock(InlineFont(color=RED), "ett"), " ord"])
    return workbook, {}


def conditional_formatting() -> tuple[Workbook, Cached]:
    workbook, sheet = new_workbook([
        ["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", ""],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "", "Ja"],
        ["Utskick till föreningar", "Föreningar", "Maj 2019", "E-post", "Bo", ""],
    ])
    red = DifferentialStyle(font=Font(color=RED))
    sheet.conditional_formatting.add("A2:F4", FormulaRule(formula=['$F2="Ja"'], font=red.font))
    return workbook, {}


def conditional_formatting_late() -> tuple[Workbook, Cached]:
    """Red for late, not for done: the rule reads Tid and Klar, so its red is no Klar and check says so."""
    workbook, sheet = new_workbook([
        ["Möte med nämnden", "Politiker", dt.date(2019, 2, 1), "Möte", "Eva", ""],
        ["Nyhet på intranätet", "Alla medarbetare", dt.date(2019, 3, 1), "Intranät", "Bo", "Ja"],
    ])
    for row in (2, 3):
        sheet[f"C{row}"].number_format = "yyyy-mm-dd"
    sheet.conditional_formatting.add("A2:F41", FormulaRule(formula=['AND($F2<>"Ja",$C2<TODAY())'],
                                                           fill=PatternFill(bgColor=RED)))
    return workbook, {}


STATUS_ROWS = [  # a kommun's own plan: a Status column instead of Klar
    ["Presentation på nämndmöte", "Politiker", "Januari 2019", "Möte", "Eva", "Klar"],
    ["Nyhet på intranätet", "Alla medarbetare", "Februari 2019", "Intranät", "Bo", "Pågår"],
    ["Mässa på torget", "Invånare", "Februari 2019", "Mässa", "Bo", "Avbruten"],
    ["Film om bokning", "Föreningar", "Maj 2019", "Webb", "Eva", "Ej påbörjad"],
    ["Affisch i entrén", "Invånare", "Januari 2019", "Tryck", "Bo", "Gjord"],
]


def status_column() -> tuple[Workbook, Cached]:
    """Status (Klar, Pågår, Ej påbörjad, Avbruten) with conditional formatting painting a Klar row red."""
    workbook, sheet = new_workbook([list(row) for row in STATUS_ROWS], header=[*HEADER[:5], "Status"])
    sheet.conditional_formatting.add("A2:F41", FormulaRule(formula=['$F2="Klar"'], fill=PatternFill(bgColor=RED),
                                                           font=Font(color="FFFFFFFF")))
    return workbook, {}


ZERO_HEIGHT_SHOWN = (1, 2, 4, 6)  # rows with a height of their own; the rest are hidden by zeroHeight


def zero_height() -> tuple[Workbook, Cached]:
    """All rows hidden unless they have a height (Excel's <sheetFormatPr zeroHeight="1">)."""
    workbook, sheet = new_workbook([
        ["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"],
        ["Gammal: affischer", "Invånare", "2018", "Affisch", "Bo", ""],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "Bo", ""],
        ["Gammal: annons", "Invånare", "2018", "Annons", "Bo", ""],
        ["Utskick till föreningar", "Föreningar", "Maj 2019", "E-post", "Eva", ""],
    ])
    sheet.sheet_format.zeroHeight = True
    for row in ZERO_HEIGHT_SHOWN:
        sheet.row_dimensions[row].height = 15
    return workbook, {}


def row_height_zero() -> tuple[Workbook, Cached]:
    """A row dragged to height 0: Excel writes customHeight without a height, and shows no row."""
    workbook, sheet = new_workbook([
        ["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"],
        ["Gammal: affischer", "Invånare", "2018", "Affisch", "Bo", ""],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "Bo", ""],
    ])
    sheet.row_dimensions[3].height = 0
    return workbook, {}


GRADIENTS = [  # Aktivitet, done?, the gradient's colours (Format Cells > Fill > Fill Effects, two colours)
    ("Toning vitt till rött", True, ("FFFFFFFF", RED)),
    ("Toning rött till mörkrött", True, (RED, DARK_RED)),
    ("Toning vitt till blått", False, ("FFFFFFFF", "FF4472C4")),
]


def gradient_fill() -> tuple[Workbook, Cached]:
    workbook, sheet = new_workbook([[name, "Politiker", "Maj 2019", "Möte", "Eva", ""] for name, _, _ in GRADIENTS])
    for row, (_, _, stops) in enumerate(GRADIENTS, 2):
        for column in "ABCDEF":
            sheet[f"{column}{row}"].fill = GradientFill(degree=90, stop=stops)
    return workbook, {}


OVER_THE_LIMIT = 10_050


def over_the_limit() -> tuple[Workbook, Cached]:
    """More activities than are read, each without Tid and Ansvarig: one error and 20 000 warnings to fold."""
    workbook, sheet = new_workbook([])
    for _ in range(OVER_THE_LIMIT):
        sheet.append(["Utskick", "Alla", None, "E-post", None, None])
    return workbook, {}


SWEDISH_FORMATS = [  # Aktivitet, value, number format as Excel stores it, what the plan shows after a Swedish Calc
    ("Kronor", 15000, '#,##0 "kr"', "15 000 kr"),
    ("Tusen kronor", 2500, '#,##0 "tkr"', "2 500 tkr"),
    ("Kronor i citat", 15000, '#,##0" kr"', "15 000 kr"),
    ("Styck", 12, '0" st"', "12 st"),
    ("Procent", 0.25, "0%", "25 %"),
    ("Datum", dt.date(2019, 3, 15), "yyyy-mm-dd", "2019-03-15"),
    ("Långt datum", dt.date(2019, 4, 1), "[$-41D]d mmmm yyyy;@", "1 april 2019"),
]


def swedish_number_formats() -> tuple[Workbook, Cached]:
    """Formats as an Excel user sets them, for a Swedish LibreOffice to save (it writes '#,##0,"kr"')."""
    workbook, sheet = new_workbook([[name, value, "Maj 2019", "Möte", "Eva", ""]
                                    for name, value, _, _ in SWEDISH_FORMATS])
    for row, (_, _, code, _) in enumerate(SWEDISH_FORMATS, 2):
        sheet[f"B{row}"].number_format = code
    return workbook, {}


OPEN_BY = "Åsa Lind"


def excel_owner_file(user: str) -> bytes:
    """~$name.xlsx as Excel keeps it while the workbook is open: the user's name in ANSI, then in UTF-16,
    padded with UTF-16 spaces to 162 bytes."""
    ansi = user.encode("cp1252", errors="replace")
    data = (bytes([len(ansi)]) + ansi).ljust(54, b" ") + len(user).to_bytes(2, "little") + user.encode("utf-16-le")
    return data + b" \x00" * max(0, (162 - len(data)) // 2)


def libreoffice_lock_file(name: str, login: str = "asa", host: str = "KOMMUN-PC12") -> bytes:
    """.~lock.name.xlsx# as LibreOffice keeps it: the name set in LibreOffice (, and ; escaped), login, computer,
    time and profile."""
    escaped = name.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return f"{escaped},{login},{host},15.03.2019 12:00,file:///C:/Users/{login}/AppData/Roaming/LibreOffice/4;".encode()


def lock_files(file_name: str) -> dict[str, bytes]:
    """The lock file the program that saved file_name keeps beside it while it is open."""
    if file_name.startswith("excel-"):
        return {f"~${file_name}": excel_owner_file(OPEN_BY)}
    return {f".~lock.{file_name}#": libreoffice_lock_file(OPEN_BY)}


def seed_user() -> tuple[Workbook, Cached]:
    """The seed's user: the 15 Mittköping activities, done ones red, no Klar column, a title above the
    header, blank rows between groups, an extra Budget column and line breaks in cells."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    plan = workbook.create_sheet("Plan")
    for name, value in EXAMPLE_PLAN.items():
        if name != "Logotyp":
            plan.append([name, value])
    avsnitt = workbook.create_sheet("Avsnitt")
    avsnitt.append(["Rubrik", "Text"])
    for heading, text in EXAMPLE_SECTIONS:
        avsnitt.append([heading, text])
    sheet = workbook.create_sheet("Aktiviteter")
    sheet.append(["Aktivitetsplan – Mittköping"])
    sheet.merge_cells("A1:F1")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet.append([])
    sheet.append([*HEADER[:5], "Budget"])
    for ref in ("A3", "B3", "C3", "D3", "E3", "F3"):
        sheet[ref].font = Font(bold=True)
    for number, (activity, purpose, when, channel, owner, _) in enumerate(EXAMPLE_ACTIVITIES):
        if number in (5, 10):
            sheet.append([])
        budget = 2500 * (number % 4) or None
        sheet.append([activity, purpose, when, channel, owner or None, budget])
        row = sheet.max_row
        sheet[f"F{row}"].number_format = '#,##0 "kr"'
        for column in "ABCDE":
            sheet[f"{column}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        if number in SEED_DONE:
            paint_row(sheet, row, font=font(RED))
    return workbook, {}


SEED_DONE = (0, 1, 3)


def plain_valid() -> tuple[Workbook, Cached]:
    workbook, _ = new_workbook([
        ["Möte med nämnden", "Politiker", "Maj 2019", "Möte", "Eva", "Ja"],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "", ""],
    ])
    return workbook, {}


def hidden_row_finding(sheet: str, row: int) -> list[str]:
    return [f"{sheet}!A{row}: dold rad, tas inte med"]


def formula_error(ref: str, error: str) -> list[str]:
    return [f"Aktiviteter!{ref}: formeln ger felet {error}"]


NO_HEADER = ["rubriken", "saknas"]
LIBREOFFICE_ONLY = ("valid", "number-formats-sv")  # no excel- file: the case is what LibreOffice writes
SWEDISH_CALC = ("number-formats-sv",)  # saved by a LibreOffice running in Swedish
OPEN_CASES = ("open",)  # written with the lock file the program keeps beside an open workbook
BOTH_FAIL = {"check": 1, "generate": 1}
SEED_ACTIVITIES = [" ".join(row[0].split()[:4]) for row in EXAMPLE_ACTIVITIES]

# name -> (builder, expectation, LibreOffice variant: None for none, else overrides of the expectation)
CASES: dict[str, tuple[Callable[[], tuple[Workbook, Cached]], dict[str, Any], dict[str, Any] | None]] = {
    "hidden-rows": (hidden_rows, {
        "about": 'hidden rows, among them "INSTÄLLD: Mässa", and a hidden empty row; hidden rows in Plan, '
                 "Avsnitt and Sändlista (a bad address there is not read)",
        "activities": ["Möte med nämnden", "Nyhet på intranätet", "Utskick till föreningar"],
        "done": ["Möte med nämnden"],
        "findings": [hidden_row_finding(sheet, 3) for sheet in ("Aktiviteter", "Avsnitt", "Sändlista")]
        + [hidden_row_finding("Plan", 4)],
        "absent": [["Aktiviteter!A4"], ["Sändlista!B3"]],
        "absent_text": ["INSTÄLLD", "Gammalt avsnitt", "Hemligt projekt"],
    }, {}),
    "autofilter": (autofilter, {
        "about": "an autofilter on Kanal = Möte hides two rows",
        "activities": ["Möte med nämnden", "Möte med föreningar", "Möte med servicecenter"],
        "done": ["Möte med nämnden"],
        "findings": [hidden_row_finding("Aktiviteter", 3), hidden_row_finding("Aktiviteter", 5)],
        "absent_text": ["Nyhet på intranätet", "Mejl till förbund"],
    }, {}),
    "collapsed-group": (collapsed_group, {
        "about": "rows 3-5 in a collapsed outline group",
        "activities": ["Möte med nämnden", "Nyhet på intranätet"],
        "done": ["Möte med nämnden"],
        "findings": [hidden_row_finding("Aktiviteter", row) for row in (3, 4, 5)],
        "absent_text": ["Gammal:"],
    }, {}),
    "hidden-column": (hidden_column, {
        "about": "the Klar column is hidden: it is still read, with a warning",
        "activities": ["Möte med nämnden", "Nyhet på intranätet"],
        "done": ["Möte med nämnden"],
        "findings": [["Aktiviteter!F1: kolumnen Klar är dold men läses"]],
    }, {}),
    "hidden-recipient-sheet": (hidden_recipient_sheet, {
        "about": "the optional sheet Sändlista is hidden: not read, with a warning",
        "activities": ["Möte med nämnden", "Nyhet på intranätet"],
        "done": ["Möte med nämnden"],
        "findings": [["Sändlista", "är dolt och läses inte"]],
    }, {}),
    "hidden-activity-sheet": (hidden_activity_sheet, {
        "about": "the sheet Aktiviteter is very hidden: not read, one error saying so (not also missing)",
        **BOTH_FAIL,
        "findings": [["bladet Aktiviteter", "är dolt, och planen behöver det"]],
        "absent": [["är dolt och läses inte"], ['"Aktiviteter" saknas']],
    }, {"about": "the sheet Aktiviteter is hidden (LibreOffice saves very hidden as hidden)"}),
    "duplicate-sheet-names": (duplicate_sheet_names, {
        "about": 'sheets "Aktiviteter" and "Aktiviteter " (trailing space): an error naming both',
        **BOTH_FAIL,
        "findings": [['"Aktiviteter"', '"Aktiviteter "', "samma namn"]],
    }, None),
    "duplicate-sheet-names-nbsp": (duplicate_sheet_names_nbsp, {
        "about": 'sheets "Avsnitt" and "Avsnitt" with a no-break space: an error naming both',
        **BOTH_FAIL,
        "findings": [['"Avsnitt"', '"Avsnitt\u00a0"', "samma namn"]],
    }, {}),
    "merged-header": (merged_header, {
        "about": "the header Syfte och målgrupp merged over B:C: it names B; C's notes are not printed",
        "activities": ["Möte med nämnden", "Nyhet på intranätet"],
        "done": ["Möte med nämnden"],
        "cells": [[0, "Syfte och målgrupp", "Politiker"], [1, "Syfte och målgrupp", "Alla medarbetare"],
                  [0, "Tid", "Maj 2019"], [1, "Ansvarig", ""]],
        "absent_text": ["Anteckning"],
    }, {}),
    "merged-cells": (merged_cells, {
        "about": "owner merged over three rows, Aktivitet merged over two, one cell merged over B:D",
        "activities": ["Möte med nämnden", "Nyhet på intranätet", "Utskick till skolor",
                       "Utskick till föreningar", "Utskick till föreningar", "Mässa på torget"],
        "done": ["Möte med nämnden"],
        "cells": [[0, "Ansvarig", "Eva"], [1, "Ansvarig", "Eva"], [2, "Ansvarig", "Eva"],
                  [3, "Tid", "Maj 2019"], [4, "Aktivitet", "Utskick till föreningar"], [4, "Tid", "Juni 2019"],
                  [5, "Syfte och målgrupp", "Alla invånare på plats"], [5, "Tid", "Alla invånare på plats"],
                  [5, "Kanal", "Alla invånare på plats"]],
        "absent": [["Aktivitet saknas"]],
    }, {}),
    "table-with-totals": (table_with_totals, {
        "about": "an Excel Table under a title row, with a totals row (Summa, red): not an activity",
        "activities": ["Möte med nämnden", "Nyhet på intranätet", "Utskick till föreningar"],
        "done": ["Möte med nämnden"],
        "absent": [["Aktiviteter!A7"], ["Aktiviteter!G7"]],
        "absent_text": ["Summa", "Aktivitetsplan 2019"],
    }, {}),
    "table-without-header-row": (table_without_header_row, {
        "about": "an Excel Table with its header row turned off: the table's column names are the header",
        "activities": ["Möte med nämnden", "Nyhet på intranätet", "Utskick till föreningar"],
        "done": ["Möte med nämnden"],
        "absent": [NO_HEADER],
        "absent_text": ["Aktiviteter hösten"],
    }, {}),
    "group-header": (group_header("Vad"), {
        "about": 'group header row above the header: "Vad" merged over A:B, "När och hur" over C:F',
        "activities": ["Möte med nämnden", "Nyhet på intranätet"],
        "done": ["Möte med nämnden"],
        "absent": [NO_HEADER],
        "absent_text": ["När och hur"],
    }, {}),
    "group-header-named": (group_header("Aktivitet"), {
        "about": 'group header "Aktivitet" over A:B above the real header: the row with most names wins',
        "activities": ["Möte med nämnden", "Nyhet på intranätet"],
        "done": ["Möte med nämnden"],
        "absent": [NO_HEADER],
        "absent_text": ["När och hur"],
    }, None),
    "formulas": (formulas, {
        "about": "formulas with cached results of every type: text, empty text, number, boolean, errors",
        "activities": ["Nyhet på intranätet", "Möte med föreningar", "Presentation på nämndmöte",
                       "Utskick till skolor"],
        "done": ["Nyhet på intranätet", "Presentation på nämndmöte"],
        "cells": [[0, "Tid", "2019"], [1, "Kanal", ""], [1, "Ansvarig", ""], [2, "Tid", ""],
                  [3, "Syfte och målgrupp", "SANT"], [3, "Ansvarig", ""]],
        "findings": [formula_error("E3", "#N/A"), formula_error("C4", "#DIV/0!"), formula_error("E5", "#REF!")],
        "absent": [["formeln har inget sparat värde"], ["G3"], ["D3"]],
        "absent_text": ["#N/A", "#DIV/0!", "#REF!"],
    }, {"about": "formulas (among them =OM(F3=\"Ja\";\"Klar\";\"\")) with results LibreOffice computed"}),
    "number-formats": (number_formats, {
        "about": "numbers and dates shown by their number format as a Swedish Excel shows them",
        "activities": [name for name, *_ in NUMBER_FORMATS],
        "done": [],
        "cells": number_format_cells(),
    }, {"cells": number_format_cells(short_date=False)}),
    "red-marking": (red_marking, {
        "about": "rows marked done by colour: red font, fill, theme, indexed, rich text, with a link; "
                 "pink and orange are not red",
        "activities": [name for name, _, _ in RED_ROWS] + ["Röd rik text", "Röd rad med länk"],
        "done": [name for name, done, _ in RED_ROWS if done] + ["Röd rik text", "Röd rad med länk"],
        "absent": [["delvis röd"]],
    }, {}),
    "red-warnings": (red_warnings, {
        "about": "a partly red row and a red row whose Klar says Nej: warnings naming the cells",
        "activities": ["Delvis röd rad", "Röd rad men Klar Nej", "Svart rad", "Röd rik text bara"],
        "done": ["Röd rad men Klar Nej"],
        "findings": [["Aktiviteter!A2", "delvis röd", "C2"], ["Aktiviteter!F3", "röd", "Nej"]],
    }, {}),
    "conditional-formatting": (conditional_formatting, {
        "about": 'red conditional formatting that reads only Klar ($F2="Ja"): Klar is read and says the same, '
                 "so nothing is warned",
        "activities": ["Möte med nämnden", "Nyhet på intranätet", "Utskick till föreningar"],
        "done": ["Nyhet på intranätet"],
        "absent": [["villkorsstyrd formatering"]],
    }, {}),
    "conditional-formatting-late": (conditional_formatting_late, {
        "about": "red conditional formatting for late rows (it reads Tid): not evaluated, check says so",
        "activities": ["Möte med nämnden", "Nyhet på intranätet"],
        "done": ["Nyhet på intranätet"],
        "cells": [[0, "Tid", "2019-02-01"]],
        "findings": [["Aktiviteter!A2:F41", "villkorsstyrd formatering", "Skriv Ja i Klar"]],
    }, {}),
    "status-column": (status_column, {
        "about": "a Status column (Klar, Pågår, Avbruten, Ej påbörjad, Gjord) read as Klar, its Klar rows painted "
                 "red by conditional formatting: no unknown column, no warning",
        "activities": [row[0] for row in STATUS_ROWS],
        "done": ["Presentation på nämndmöte", "Affisch i entrén"],
        "cells": [[0, "Klar", "Klar"], [1, "Klar", ""], [2, "Klar", ""], [4, "Klar", "Klar"]],
        "absent": [["okänd kolumn"], ["villkorsstyrd"], ["förstås inte"], ["Varningar i"]],
    }, {}),
    "zero-height": (zero_height, {
        "about": "rows hidden by the sheet format (zeroHeight): only rows with a height of their own are shown",
        "activities": ["Möte med nämnden", "Nyhet på intranätet", "Utskick till föreningar"],
        "done": ["Möte med nämnden"],
        "findings": [hidden_row_finding("Aktiviteter", 3), hidden_row_finding("Aktiviteter", 5)],
        "absent_text": ["Gammal:"],
    }, {"about": "the zeroHeight book saved by LibreOffice, which shows the rows with content and saves each with "
                 "its height: all are read",
        "activities": ["Möte med nämnden", "Gammal: affischer", "Nyhet på intranätet", "Gammal: annons",
                       "Utskick till föreningar"],
        "findings": [], "absent": [["dold rad"]], "absent_text": []}),
    "row-height-zero": (row_height_zero, {
        "about": "a row of height 0 (customHeight without a height, as Excel writes it) is hidden",
        "activities": ["Möte med nämnden", "Nyhet på intranätet"],
        "done": ["Möte med nämnden"],
        "findings": [hidden_row_finding("Aktiviteter", 3)],
        "absent_text": ["Gammal:"],
    }, {"about": "the row of height 0 saved by LibreOffice, which gives it the default height: it is shown and read",
        "activities": ["Möte med nämnden", "Gammal: affischer", "Nyhet på intranätet"],
        "findings": [], "absent": [["dold rad"]], "absent_text": []}),
    "gradient-fill": (gradient_fill, {
        "about": "rows filled with a gradient: white to red and red to dark red are red, white to blue is not",
        "activities": [name for name, _, _ in GRADIENTS],
        "done": [name for name, done, _ in GRADIENTS if done],
        "absent": [["delvis röd"]],
    }, {"about": "the gradients as LibreOffice saves them: a solid fill of their mean colour"}),
    "over-the-limit": (over_the_limit, {
        "about": "10 050 activities, none with Tid or Ansvarig: the limit error, 20 000 warnings folded to a few "
                 "lines, and the error again on the last line",
        **BOTH_FAIL,
        "findings": [["  Aktiviteter: planen har 10 050 aktiviteter; högst 10 000 tas med"],
                     ["  Aktiviteter!C7:C10001: … och 9 995 rader till med samma varning"],
                     ["  Aktiviteter!E7:E10001: … och 9 995 rader till med samma varning"],
                     ["Felet: Aktiviteter: planen har 10 050 aktiviteter; högst 10 000 tas med"]],
        "absent": [["Aktiviteter!C8:"], ["Aktiviteter!E10001:"]],
    }, None),
    "open": (plain_valid, {
        "about": f"open in Excel: its owner file ~$… beside the workbook names {OPEN_BY}",
        "activities": ["Möte med nämnden", "Nyhet på intranätet"],
        "done": ["Möte med nämnden"],
        "findings": [["arbetsboken är öppen i Excel hos Åsa Lind", "ändringar som inte är sparade kommer inte med"]],
    }, {"about": f"open in LibreOffice: its lock file .~lock.…# beside the workbook names {OPEN_BY}",
        "findings": [["arbetsboken är öppen i LibreOffice hos Åsa Lind",
                      "ändringar som inte är sparade kommer inte med"]]}),
    "number-formats-sv": (swedish_number_formats, {
        "about": """number formats saved by a Swedish LibreOffice ('#,##0 "kr"' written as '#,##0,"kr"', """
                 "yyyy-mm-dd as yyyy/mm/dd): shown as Calc showed them when they were typed",
        "activities": [name for name, *_ in SWEDISH_FORMATS],
        "cells": [[i, "Syfte och målgrupp", shown] for i, (*_, shown) in enumerate(SWEDISH_FORMATS)],
    }, {}),
    "seed-user": (seed_user, {
        "about": "the seed's user: 15 Mittköping activities, done ones red, title row above the header, "
                 "blank rows, extra column Budget, line breaks in cells",
        "activities": SEED_ACTIVITIES,
        "done": [SEED_ACTIVITIES[i] for i in SEED_DONE],
        "cells": [[14, "Aktivitet", EXAMPLE_ACTIVITIES[14][0]], [2, "Ansvarig", "Pilotkommuns-representant"]],
        "findings": [['okänd kolumn "Budget"']],
        "absent": [["Aktivitet saknas"]],
    }, {}),
    "valid": (plain_valid, {
        "about": "a plain valid workbook",
        "activities": ["Möte med nämnden", "Nyhet på intranätet"],
        "done": ["Möte med nämnden"],
    }, {}),
}


def expectation(about: dict[str, Any], overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    result = {"check": 0, "generate": 0, "activities": [], "done": [], "cells": [], "findings": [],
              "absent": [], "absent_text": [], **about, **(overrides or {})}
    return {key: result[key] for key in ("about", "check", "generate", "activities", "done", "cells",
                                          "findings", "absent", "absent_text")}


def expectations() -> dict[str, dict[str, Any]]:
    """The expected outcome of every corpus file, by file name (what expected.json holds)."""
    expected: dict[str, dict[str, Any]] = {}
    for name, (_, expect, libreoffice) in CASES.items():
        if name not in LIBREOFFICE_ONLY:
            expected[f"excel-{name}.xlsx"] = expectation(expect)
        if libreoffice is not None:
            expected[f"libreoffice-{name}.xlsx"] = expectation(expect, libreoffice)
    return dict(sorted(expected.items()))


def main() -> None:
    if REAL.exists():
        shutil.rmtree(REAL)
    REAL.mkdir(parents=True)
    expected = expectations()
    with tempfile.TemporaryDirectory() as folder:
        raw_folder, swedish, converted = Path(folder) / "raw", Path(folder) / "swedish", Path(folder) / "converted"
        raw_folder.mkdir()
        swedish.mkdir()
        for name, (build, _, libreoffice) in CASES.items():
            workbook, cached = build()
            if name not in LIBREOFFICE_ONLY:
                save_as_excel(workbook, REAL / f"excel-{name}.xlsx", cached)
            if libreoffice is not None:  # LibreOffice computes formulas openpyxl left empty
                workbook.save((swedish if name in SWEDISH_CALC else raw_folder) / f"{name}.xlsx")
        resave_with_libreoffice(sorted(raw_folder.iterdir()), converted)
        resave_with_libreoffice(sorted(swedish.iterdir()), converted, "sv_SE")
        for path in sorted(converted.iterdir()):
            normalise(path)
            shutil.move(path, REAL / f"libreoffice-{path.name}")
    for name in OPEN_CASES:
        for program in ("excel", "libreoffice"):
            for lock, data in lock_files(f"{program}-{name}.xlsx").items():
                (REAL / lock).write_bytes(data)
    written = sorted(p.name for p in REAL.glob("*.xlsx") if not p.name.startswith("~$"))
    if written != list(expected):
        raise SystemExit(f"the files written differ from the cases: {sorted(set(written) ^ set(expected))}")
    EXPECTED.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"Skrev {len(expected)} arbetsböcker och {EXPECTED.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
