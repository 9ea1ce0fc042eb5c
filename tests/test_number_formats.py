"""Numbers and dates as a Swedish Excel shows them, from the cell's number format (table-driven)."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ACTIVITY_HEADER, needs_calc, needs_libreoffice
from generator.delivery.pdf import find_soffice
from generator.plan.numformat import format_moment, from_libreoffice
from generator.plan.values import format_number
from generator.workbook.reader import read_workbook

NB = "\u00a0"  # the thousands separator: a no-break space


@pytest.mark.parametrize(("value", "code", "shown"), [
    # General: up to 15 significant digits, decimal comma, never 42.0
    (42, "General", "42"), (42.0, "General", "42"), (0.1 + 0.2, "General", "0,3"), (1e-7, "General", "0,0000001"),
    (1e20, "General", "1E+20"), (-2.5, "General", "-2,5"), (15000, "General", "15000"),
    # thousands separator and fixed decimals
    (15000, "#,##0", f"15{NB}000"), (1234567.891, "#,##0.00", f"1{NB}234{NB}567,89"), (999.5, "#,##0", f"1{NB}000"),
    (3.5, "0.00", "3,50"), (2.675, "0.00", "2,68"), (12, "000", "012"), (0.5, "#.00", ",50"),
    (1.5, "0.0#", "1,5"), (1.256, "0.0#", "1,26"), (1234567, "#,##0,", f"1{NB}235"), (0, "#,##0", "0"),
    # percent
    (0.25, "0%", "25%"), (0.125, "0.0%", "12,5%"), (0.5, '0" %"', "1 %"), (0.25, "0\\ %", "25 %"),
    # text literals, escapes and currency
    (15000, '#,##0 "kr"', f"15{NB}000 kr"), (15000, '#,##0\\ "kr"', f"15{NB}000 kr"), (3, '0" st"', "3 st"),
    (15000, "[$kr-41D] #,##0", f"kr 15{NB}000"), (12.3, "[$-41D]0.00", "12,30"), (7, '"Vecka "0', "Vecka 7"),
    (1500, '_-* #,##0 "kr"_-;-* #,##0 "kr"_-;_-* "-" "kr"_-;_-@_-', f"1{NB}500 kr"),
    (0, '_-* #,##0 "kr"_-;-* #,##0 "kr"_-;_-* "-" "kr"_-;_-@_-', "- kr"),
    # sections and colours
    (-1234.5, "#,##0.00;[Red]-#,##0.00", f"-1{NB}234,50"), (-5, "0;(0)", "(5)"), (-5, "0", "-5"),
    (0, '0;-0;"noll"', "noll"), (5, "[Blue]0;[Red]-0", "5"), (-5, '0 "kr"', "-5 kr"),
    (3.14159, 'General" m"', "3,14159 m"),
    # outside the subset: plain Swedish formatting
    (1e6, "0.00E+00", "1000000"), (2.5, "# ?/?", "2,5"), (150, '[>100]"mycket";0', "150"),
])
def test_numbers_as_swedish_excel_shows_them(value, code, shown):
    assert format_number(value, code) == shown


MOMENT = dt.datetime(2019, 3, 15, 14, 5, 9)


@pytest.mark.parametrize(("code", "shown"), [
    ("yyyy-mm-dd", "2019-03-15"), ("d mmmm yyyy", "15 mars 2019"), ("[$-41D]d mmmm yyyy;@", "15 mars 2019"),
    ("dddd d mmm yy", "fredag 15 mar 19"), ("mmmm yyyy", "mars 2019"), ("d/m", "15-3"), ("d\\/m", "15/3"),
    ("yyyy/mm/dd", "2019-03-15"), ('d"e" mmmm', "15e mars"),
    ("yyyy-mm-dd hh:mm:ss", "2019-03-15 14:05:09"), ("yyyy-mm-dd h:mm", "2019-03-15 14:05"),
    ("d mmm yyyy, hh:mm", "15 mar 2019, 14:05"),
    ("hh:mm", "14:05"), ("h:mm:ss", "14:05:09"), ("h:mm AM/PM", "2:05 em"), ("mm:ss", "05:09"),
    ("0.00", None), ("General", None),
])
def test_dates_and_times_by_format(code, shown):
    assert format_moment(MOMENT, code) == shown


@pytest.mark.parametrize(("code", "shown"), [
    ("yyyy-mm-dd h:mm:ss", "2019-03-15"), ("d mmmm yyyy hh:mm", "15 mars 2019"), ("hh:mm", "00:00")])
def test_a_date_at_midnight_is_shown_without_its_clock_time(code, shown):
    assert format_moment(dt.datetime(2019, 3, 15), code) == shown


def test_formats_read_from_the_workbook(make_workbook):
    rows = [[*ACTIVITY_HEADER, "Budget", "Andel", "Antal"],
            ["Mässa", "", dt.datetime(2019, 3, 15), dt.date(2019, 4, 1), "", "", 15000, 0.256, 3]]

    def style(workbook):
        sheet = workbook["Aktiviteter"]
        sheet["C2"].number_format = "d mmmm yyyy"
        sheet["D2"].number_format = "mm-dd-yy"  # Excel's built-in short date, numFmtId 14: the locale's
        sheet["G2"].number_format = '#,##0 "kr"'
        sheet["H2"].number_format = "0.0%"
        sheet["I2"].number_format = '0" st"'
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    activity = plan.activities[0]
    assert activity.time.text == "15 mars 2019"
    assert activity.time.date == dt.date(2019, 3, 15)
    assert activity.channel.text == "2019-04-01"
    assert dict(activity.extra)["Budget"].text == f"15{NB}000 kr"
    assert dict(activity.extra)["Andel"].text == "25,6%"
    assert dict(activity.extra)["Antal"].text == "3 st"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14))
def test_general_reads_back_as_the_same_number(value):
    shown = format_number(value, "General")
    assert float(shown.replace(",", ".")) == pytest.approx(value, rel=1e-14, abs=1e-300)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_grouped_two_decimals_shape_and_value(value):
    shown = format_number(value, '#,##0.00 "kr"')
    assert re.fullmatch(r"-?\d{1,3}(\u00a0\d{3})*,\d\d kr", shown)
    number = float(shown[:-3].replace("\u00a0", "").replace(",", "."))
    assert number == pytest.approx(value, abs=0.005 + abs(value) * 1e-15)


@given(st.text(max_size=30), st.floats(allow_nan=False) | st.integers(min_value=-10**20, max_value=10**20))
def test_any_format_code_gives_text_and_never_raises(code, value):
    assert isinstance(format_number(value, code), str)
    assert format_moment(MOMENT, code) is None or isinstance(format_moment(MOMENT, code), str)


@pytest.mark.parametrize(("code", "meant"), [
    ('#,##0,"kr"', '#,##0 "kr"'), ('#,##0.00,"kr"', '#,##0.00 "kr"'), ('0,"st"', '0 "st"'),
    ('#,##0,"tkr";[RED]\\-#,##0,"tkr"', '#,##0 "tkr";[RED]\\-#,##0 "tkr"'),
    ('0,,"M"', '0,,"M"'), ('"Nr 0,"0', '"Nr 0,"0'), ('#,##0" kr"', '#,##0" kr"'), ("#,##0,", "#,##0,"),
])
def test_libreoffice_formats_as_meant(code, meant):
    """A Swedish LibreOffice saves the space before a quoted unit as a thousands-scaling comma."""
    assert from_libreoffice(code) == meant


def saved_by(source, target, application: str, code: str):
    """The workbook as a program saves it: docProps/app.xml names it, and B2's number format is code."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = re.sub(rb"<Application>[^<]*</Application>",
                              f"<Application>{application}</Application>".encode(), data)
            elif item.filename == "xl/styles.xml":
                data = data.replace(b'formatCode="#,##0 &quot;kr&quot;"', f'formatCode="{html.escape(code)}"'.encode())
            new.writestr(item, data)
    return target


@pytest.mark.parametrize(("application", "shown"), [
    ("LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2", f"15{NB}000 kr"),
    ("Microsoft Excel", "15kr"),  # as Excel shows the code: divided by a thousand
])
def test_the_scaling_comma_is_read_as_the_program_that_saved_it_meant(make_workbook, tmp_path, application, shown):
    rows = [ACTIVITY_HEADER, ["Mässa", 15000, "", "", "", ""]]

    def style(workbook):
        workbook["Aktiviteter"]["B2"].number_format = '#,##0 "kr"'
    source = make_workbook(Aktiviteter=rows, style=style)
    saved = saved_by(source, tmp_path / "sparad.xlsx", application, '#,##0,"kr"')
    assert read_workbook(saved).activities[0].purpose.text == shown


SWEDISH_CALC = [  # what a user formats in Excel, and what the plan shows after a Swedish Calc has saved it
    (15000, '#,##0 "kr"', f"15{NB}000 kr"), (12, '0" st"', "12 st"), (15000, '#,##0" kr"', f"15{NB}000 kr"),
    (0.25, "0%", "25 %"), (2500, '#,##0 "tkr"', f"2{NB}500 tkr"),
    (dt.date(2019, 3, 15), "yyyy-mm-dd", "2019-03-15"), (dt.date(2019, 4, 1), "[$-41D]d mmmm yyyy;@", "1 april 2019"),
]


@pytest.mark.slow
@needs_libreoffice
@needs_calc
def test_formats_as_a_swedish_libreoffice_saves_them(make_workbook, tmp_path):
    rows = [ACTIVITY_HEADER, *(["Mässa", value, "", "", "", ""] for value, _, _ in SWEDISH_CALC)]

    def style(workbook):
        for row, (_, code, _) in enumerate(SWEDISH_CALC, 2):
            workbook["Aktiviteter"][f"B{row}"].number_format = code
    source = make_workbook(Aktiviteter=rows, style=style)
    env = {**os.environ, "LANG": "sv_SE.UTF-8", "LC_ALL": "sv_SE.UTF-8", "LANGUAGE": "sv"}
    subprocess.run([str(find_soffice()), f"-env:UserInstallation={(tmp_path / 'lo-profil').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "xlsx:Calc Office Open XML", "--outdir", str(tmp_path / "calc"),
                    str(source)], check=True, capture_output=True, timeout=180, env=env)
    saved = tmp_path / "calc" / "plan.xlsx"
    with zipfile.ZipFile(saved) as package:
        styles = package.read("xl/styles.xml")
    assert b'#,##0,&quot;kr&quot;' in styles and b"yyyy/mm/dd" in styles  # what Swedish Calc wrote
    assert [a.purpose.text for a in read_workbook(saved).activities] == [shown for _, _, shown in SWEDISH_CALC]
