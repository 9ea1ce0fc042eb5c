"""Red marking as users do it: red by hue and saturation, theme and indexed reds, rich text, links, warnings."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, GradientFill, PatternFill
from openpyxl.styles.colors import Color

from conftest import ACTIVITY_HEADER, needs_calc, needs_libreoffice, resave_with_libreoffice, to_shared_strings
from generator.plan.model import Severity
from generator.workbook.colors import color_rgb, is_red_rgb
from generator.workbook.reader import read_workbook

# The theme openpyxl writes (Office 2007): accent2, theme index 5, is C0504D.
THEME_2007 = ("FFFFFF", "000000", "EEECE1", "1F497D", "4F81BD", "C0504D", "9BBB59", "8064A2", "4BACC6", "F79646")


@pytest.mark.parametrize(("rgb", "red"), [
    ("FF0000", True), ("C00000", True), ("990000", True), ("800000", True), ("9C0006", True), ("FF3300", True),
    ("C0504D", True), ("FF6666", True), ("CC0033", True),
    ("FFC000", False), ("ED7D31", False), ("993300", False), ("7B3F00", False), ("843C0C", False),
    ("330000", False), ("1A0000", False), ("FFC7CE", False), ("F2DCDB", False), ("FFC0CB", False),
    ("FF99CC", False), ("808080", False), ("0563C1", False), ("00FF00", False), ("not-a-colour", False),
])
def test_red_is_a_hue_near_zero_saturated_and_neither_dark_nor_pale(rgb, red):
    assert is_red_rgb(rgb) is red


@pytest.mark.parametrize(("tint", "red"), [(0.0, True), (-0.25, True), (-0.5, True), (0.4, False), (0.8, False)])
def test_theme_red_with_tints(tint, red):
    assert is_red_rgb(color_rgb(THEME_2007, theme_index=5, tint=tint) or "") is red


def colour_row(row, **style):
    def apply(workbook):
        for cell in workbook["Aktiviteter"][row]:
            for name, value in style.items():
                setattr(cell, name, value)
    return apply


@pytest.mark.parametrize("style", [
    {"font": Font(color="990000")},
    {"font": Font(color=Color(indexed=16))},  # dark red in the old palette
    {"font": Font(color=Color(theme=5, tint=-0.25))},
    {"fill": PatternFill("solid", fgColor=Color(theme=5))},
    {"fill": PatternFill("solid", fgColor="C00000"), "font": Font(color="FFFFFF")},
], ids=["dark-red", "indexed-dark-red", "theme-red-darker", "theme-red-fill", "red-fill-white-text"])
def test_red_rows_are_done(make_workbook, style):
    plan = read_workbook(make_workbook(style=colour_row(3, **style)))
    assert [a.done for a in plan.activities] == [True, True, False]


@pytest.mark.parametrize("style", [
    {"font": Font(color=Color(theme=5, tint=0.8))},
    {"fill": PatternFill("solid", fgColor="FFC000")},
    {"font": Font(color="7B3F00")},
    {"fill": PatternFill("solid", fgColor="FFC7CE")},
], ids=["theme-red-as-pink", "orange-fill", "dark-brown", "pale-pink-fill"])
def test_other_colours_are_not_done(make_workbook, style):
    plan = read_workbook(make_workbook(style=colour_row(3, **style)))
    assert [a.done for a in plan.activities] == [True, False, False]


@pytest.mark.parametrize(("stops", "done"), [
    (("FFFFFF", "FF0000"), True),   # Format Cells > Fill > Fill Effects: Color 1 white (the default), Color 2 red
    (("FF0000", "FFFFFF"), True),
    (("FF0000", "C00000"), True),
    (("C00000", "FFFFFF", "C00000"), True),  # centre variant: three stops
    (("FFFFFF", "FFC7CE"), False),  # pale pink
    (("FFFF00", "FF0000"), False),  # yellow to red
    (("FFFFFF", "4472C4"), False),  # white to blue
], ids=["white-red", "red-white", "red-dark-red", "three-stops", "white-pink", "yellow-red", "white-blue"])
def test_a_red_gradient_fill_is_red(make_workbook, stops, done):
    fill = GradientFill(degree=90, stop=stops)
    plan = read_workbook(make_workbook(style=colour_row(3, fill=fill)))
    assert [a.done for a in plan.activities] == [True, done, False]
    assert not [f for f in plan.findings if "delvis röd" in f.message]


@pytest.mark.parametrize("theme", [True, False])
def test_a_gradient_of_theme_colours(make_workbook, theme):
    stops = (Color(theme=0), Color(theme=5)) if theme else (Color(theme=0), Color(theme=4))
    plan = read_workbook(make_workbook(style=colour_row(3, fill=GradientFill(degree=0, stop=stops))))
    assert plan.activities[1].done is theme  # theme 5 is red (C0504D), theme 4 blue


def red_text(text, *rest):
    return CellRichText([TextBlock(InlineFont(color="FF0000"), text), *rest])


def test_red_rich_text_inside_the_cell(make_workbook):
    rows = [ACTIVITY_HEADER, [red_text("Möte"), red_text("Alla", " "), red_text("Maj"), "", "", ""],
            [red_text("Nyhet"), CellRichText([TextBlock(InlineFont(color="FF0000"), "Al"), "la"]), "", "", "", ""]]
    plan = read_workbook(make_workbook(Aktiviteter=rows))
    assert [a.done for a in plan.activities] == [True, False]


def rich_shared_strings(source: Path, target: Path, runs: dict[str, str]) -> Path:
    """Excel's way: the text is a shared string whose runs carry the colour."""
    plain = to_shared_strings(source, target.with_name("plain.xlsx"))
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                for text, rich in runs.items():
                    data = data.replace(f'<si><t xml:space="preserve">{text}</t></si>'.encode(),
                                        f"<si>{rich}</si>".encode())
            new.writestr(item, data)
    return target


def test_red_rich_text_in_shared_strings(make_workbook, tmp_path):
    rows = [ACTIVITY_HEADER, ["Möte", "Alla", "", "", "", ""], ["Nyhet", "Bo", "", "", "", ""]]
    red_run = '<r><rPr><b/><color theme="5" tint="-0.249977111117893"/></rPr><t>{}</t></r>'
    path = rich_shared_strings(make_workbook(Aktiviteter=rows), tmp_path / "excel.xlsx", {
        "Möte": red_run.format("Möte"),
        "Alla": red_run.format("Alla") + '<r><t xml:space="preserve"> </t></r>',
        "Nyhet": red_run.format("Ny") + '<r><rPr><color rgb="FF000000"/></rPr><t>het</t></r>',
    })
    plan = read_workbook(path)
    assert [a.done for a in plan.activities] == [True, False]


def test_red_row_with_a_hyperlink_cell_is_still_red(make_workbook):
    rows = [ACTIVITY_HEADER, ["Nyhet", "Alla", "Maj", "https://example.se/nyhet", "Anna", ""]]

    def style(workbook):
        sheet = workbook["Aktiviteter"]
        for cell in sheet[2]:
            cell.font = Font(color="FF0000")
        sheet["D2"].hyperlink = "https://example.se/nyhet"
        sheet["D2"].style = "Hyperlink"
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    assert plan.activities[0].done
    assert not [f for f in plan.findings if "röd" in f.message]


def test_blue_underlined_text_without_a_link_counts_as_a_link(make_workbook):
    rows = [ACTIVITY_HEADER, ["Nyhet", "Alla", "Maj", "example.se", "Anna", ""]]

    def style(workbook):
        for cell in workbook["Aktiviteter"][2]:
            cell.font = Font(color="C00000")
        workbook["Aktiviteter"]["D2"].font = Font(color="0563C1", underline="single")
    assert read_workbook(make_workbook(Aktiviteter=rows, style=style)).activities[0].done


def test_partly_red_row_is_warned_with_its_cells(make_workbook):
    def style(workbook):
        sheet = workbook["Aktiviteter"]
        for ref in ("A3", "B3", "C3"):
            sheet[ref].font = Font(color="FF0000")
    plan = read_workbook(make_workbook(style=style))
    assert [a.done for a in plan.activities] == [True, False, False]
    warnings = [str(f) for f in plan.findings if f.severity is Severity.WARNING]
    assert warnings == ["Aktiviteter!A3: raden är bara delvis röd (röda: A3, B3, C3; inte röda: D3, E3); bara en "
                        "helt röd rad räknas som klar. Skriv Ja i Klar om aktiviteten är klar."]


def test_red_row_whose_klar_says_no_is_warned(make_workbook):
    plan = read_workbook(make_workbook(style=colour_row(4, font=Font(color="FF0000"))))
    assert plan.activities[2].done
    assert [str(f) for f in plan.findings] == [
        'Aktiviteter!F4: raden är röd men Klar säger "nej"; den räknas som klar. '
        "Ta bort den röda färgen om aktiviteten inte är klar."]


def test_red_conditional_formatting_is_not_read_and_said(make_workbook):
    def style(workbook):
        workbook["Aktiviteter"].conditional_formatting.add(
            "A2:F20", CellIsRule(operator="equal", formula=['"Ja"'], fill=PatternFill(bgColor="FFC00000")))
    plan = read_workbook(make_workbook(style=style))
    assert [a.done for a in plan.activities] == [True, False, False]
    assert [str(f) for f in plan.findings] == [
        "Aktiviteter!A2:F20: villkorsstyrd formatering färgar celler röda här, men den läses inte: en rad som "
        "bara blir röd av den räknas inte som klar. Skriv Ja i Klar för klara aktiviteter."]


def test_other_conditional_formatting_says_nothing(make_workbook):
    def style(workbook):
        workbook["Aktiviteter"].conditional_formatting.add(
            "A2:F20", CellIsRule(operator="equal", formula=['"Ja"'], font=Font(color="00B050")))
    assert read_workbook(make_workbook(style=style)).findings == ()


@needs_libreoffice
@needs_calc
def test_red_marking_as_libreoffice_saves_it(make_workbook, tmp_path):
    rows = [ACTIVITY_HEADER, [red_text("Möte"), red_text("Alla"), "", "", "", ""],
            ["Nyhet", "Alla", "Maj", "https://example.se", "Anna", ""], ["Film", "Unga", "Juni", "", "Bo", "Nej"]]

    def style(workbook):
        sheet = workbook["Aktiviteter"]
        for cell in sheet[3]:
            cell.font = Font(color=Color(theme=5, tint=-0.25))
        sheet["D3"].hyperlink = "https://example.se"
        sheet["D3"].style = "Hyperlink"
        for cell in sheet[4]:
            cell.fill = PatternFill("solid", fgColor="C00000")
    plan = read_workbook(resave_with_libreoffice(make_workbook(Aktiviteter=rows, style=style), tmp_path))
    assert [a.done for a in plan.activities] == [True, True, True]
    assert [f.place for f in plan.findings] == ["Aktiviteter!F4"]


X14_RULE = (
    '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:conditionalFormattingList><x14:conditionalFormatting '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:cfRule type="expression" priority="1" id="{00000000-0000-0000-0000-000000000001}">'
    "<xm:f>Listor!$A$1=\"Ja\"</xm:f><x14:dxf><font><color {colour}/></font></x14:dxf></x14:cfRule>"
    "<xm:sqref>A2:F9</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattingList></ext></extLst>"
)


@pytest.mark.parametrize(("colour", "warned"), [('rgb="FF9C0006"', True), ('theme="5"', True),
                                                ('rgb="FF00B050"', False)])
def test_excel_2010_conditional_formatting_with_its_own_format(make_workbook, tmp_path, colour, warned):
    source = make_workbook()
    patched = tmp_path / "x14.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(patched, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = data.replace(b"</worksheet>", X14_RULE.replace("{colour}", colour).encode() + b"</worksheet>")
            new.writestr(item, data)
    places = [f.place for f in read_workbook(patched).findings]
    assert places == (["Aktiviteter!A2:F9"] if warned else [])


def test_each_workbook_is_judged_by_its_own_styles(make_workbook):
    """styles.xml is read once per version: workbooks that differ only in a colour never share a reading."""
    red = make_workbook(name="red.xlsx", style=colour_row(2, font=Font(color="C00000")))
    blue = make_workbook(name="blue.xlsx", style=colour_row(2, font=Font(color="0000C0")))
    red_again = make_workbook(name="red-again.xlsx", style=colour_row(2, font=Font(color="C00000")))
    with zipfile.ZipFile(red) as one, zipfile.ZipFile(blue) as other, zipfile.ZipFile(red_again) as third:
        assert one.read("xl/styles.xml") != other.read("xl/styles.xml")
        assert one.read("xl/styles.xml") == third.read("xl/styles.xml")
    marks = [read_workbook(path).activities[0].marked_red for path in (red, blue, red_again, blue, red)]
    assert marks == [True, False, True, False, True]
