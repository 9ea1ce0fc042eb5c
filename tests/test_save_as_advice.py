"""A file that is no .xlsx says how to save it as one in LibreOffice Calc as well as in Excel (not all have Excel)."""

from __future__ import annotations

import subprocess
import zipfile

import pytest
from click.testing import CliRunner

from conftest import ROOT, default_sheets, needs_calc, needs_libreoffice, write_workbook
from generator.cli import main
from generator.delivery.pdf import find_soffice

BAD = ROOT / "tests" / "fixtures" / "bad"
IN_CALC = "i LibreOffice Calc: Arkiv > Spara som > filtyp Excel 2007–365"
IN_EXCEL = "i Excel: Arkiv > Spara som > Excel-arbetsbok"
# A plan saved from Excel as "CSV (semikolonavgränsad)": semicolons, Windows line ends, the ANSI code page.
EXCEL_CSV = "Aktivitet;Tid;Ansvarig\r\nMöte med föreningar;maj 2019;Åsa\r\n".encode("cp1252")


def check(path):
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    return result.output


def test_an_ods_says_how_in_calc_first(tmp_path):
    said = check(BAD / "opendocument.ods")
    assert "opendocument.ods: filen är ett OpenDocument-kalkylark (.ods). Öppna den och spara den som " \
           f"Excel-arbetsbok (.xlsx) – {IN_CALC}; {IN_EXCEL}." in said


@pytest.mark.parametrize("name", ["plan.csv", "plan.xlsx", "plan.txt"])
def test_a_csv_says_it_is_text_and_how_in_calc(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(EXCEL_CSV)
    said = check(path)
    assert f"{name}: filen är ingen Excel-arbetsbok (.xlsx) utan text, som en .csv-fil." in said
    assert said.index(IN_CALC) < said.index(IN_EXCEL)
    assert "aktivitetsplan init" in said  # a .csv has one sheet; the plan needs three


def test_an_old_xls_says_how_in_both(tmp_path):
    said = check(BAD / "old-format.xls")
    assert "filen är i det gamla Excel-formatet (.xls)." in said
    assert said.index(IN_EXCEL) < said.index(IN_CALC)


def test_random_bytes_are_no_text(tmp_path):
    said = check(BAD / "random-bytes.xlsx")
    assert "filen är ingen Excel-arbetsbok (.xlsx). Öppna den och spara" in said and "csv" not in said


def test_a_damaged_workbook_says_how_in_both(tmp_path):
    path = write_workbook(tmp_path / "plan.xlsx", default_sheets())
    damaged = tmp_path / "trasig.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(damaged, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, data[: len(data) // 2] if item.filename == "xl/workbook.xml" else data)
    said = check(damaged)
    assert IN_EXCEL in said and IN_CALC in said


def test_a_word_plan_as_odt_says_how_in_writer(tmp_path):
    odt = tmp_path / "plan.odt"
    with zipfile.ZipFile(odt, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", "<x/>")
    result = CliRunner().invoke(main, ["import", str(odt)])
    assert result.exit_code == 1
    assert "i LibreOffice Writer: Arkiv > Spara som > filtyp Word 2007–365" in result.output


@pytest.mark.slow
@needs_libreoffice
@needs_calc
@pytest.mark.parametrize("kind", ["ods", "csv"])
def test_what_calc_saves_is_told_how_in_calc(tmp_path, kind):
    """The plan saved by Calc in its own format, or as text: check says how to make it an .xlsx in Calc."""
    source = write_workbook(tmp_path / "plan.xlsx", default_sheets())
    subprocess.run([str(find_soffice()), f"-env:UserInstallation={(tmp_path / 'lo-profil').as_uri()}", "--headless",
                    "--norestore", "--convert-to", kind, "--outdir", str(tmp_path / "calc"), str(source)],
                   check=True, capture_output=True, timeout=180)
    said = check(tmp_path / "calc" / f"plan.{kind}")
    assert said.index(IN_CALC) < said.index(IN_EXCEL)
