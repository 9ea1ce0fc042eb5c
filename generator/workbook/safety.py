"""Refuse files that are not .xlsx workbooks, and packages too large to read safely."""

from __future__ import annotations

import zipfile
from pathlib import Path

from generator.plan.errors import WordDocumentError, WorkbookError, os_reason

# Limits on what is read, documented in docs/sakerhet-och-granser.md.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PART_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_PARTS = 10_000
MAX_ACTIVITIES = 10_000
MAX_SECTIONS = 500

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_IN_EXCEL = "i Excel: Arkiv > Spara som > Excel-arbetsbok"
_IN_CALC = "i LibreOffice Calc: Arkiv > Spara som > filtyp Excel 2007–365"


def save_as_xlsx(calc_first: bool = False) -> str:
    """How to make a file an .xlsx workbook, in Excel and in Calc (a Calc user may have no Excel)."""
    ways = (_IN_CALC, _IN_EXCEL) if calc_first else (_IN_EXCEL, _IN_CALC)
    return f"Öppna den och spara den som Excel-arbetsbok (.xlsx) – {ways[0]}; {ways[1]}."


_SAVE_AS = save_as_xlsx()
_TEXT_SHEETS = ("Planen behöver bladen Plan, Avsnitt och Aktiviteter: aktivitetsplan init gör en arbetsbok med dem, "
                "att klistra in raderna i.")


def _check_workbook_file(path: Path) -> None:
    """Raise WorkbookError unless path is a readable .xlsx/.xlsm package within the limits."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise WorkbookError(path, "är ingen fil")
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise WorkbookError(path, "filen finns inte") from None
    except OSError as exc:
        raise WorkbookError(path, f"filen kan inte läsas ({os_reason(exc)})") from None
    if size == 0:
        raise WorkbookError(path, "filen är tom. " + _SAVE_AS)
    if size > MAX_FILE_BYTES:
        raise WorkbookError(
            path, f"filen är {size // (1024 * 1024)} MB; högst {MAX_FILE_BYTES // (1024 * 1024)} MB läses"
        )
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in path.read_bytes():
            raise WorkbookError(
                path,
                "arbetsboken är skyddad med lösenord. Ta bort lösenordet i Excel "
                "(Arkiv > Info > Skydda arbetsbok) och spara den igen.",
            )
        raise WorkbookError(path, "filen är i det gamla Excel-formatet (.xls). " + _SAVE_AS)
    if not head.startswith(b"PK"):
        if path.suffix.lower() in (".csv", ".txt") or _is_text(path):
            raise WorkbookError(path, "filen är ingen Excel-arbetsbok (.xlsx) utan text, som en .csv-fil. "
                                + save_as_xlsx(calc_first=True) + " " + _TEXT_SHEETS)
        raise WorkbookError(path, "filen är ingen Excel-arbetsbok (.xlsx). " + _SAVE_AS)
    _check_package(path)


def _is_text(path: Path) -> bool:
    """Whether a file begins as text (a .csv or .txt under another name): no control characters but line ends and tabs.

    UTF-8 and the ANSI code page Excel's "CSV (semikolonavgränsad)" is saved in alike.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return bool(head) and not head.translate(None, b"\t\n\r").translate(None, bytes(range(32, 256)))


def _check_package(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise WorkbookError(
            path, "filen är skadad eller ofullständig och kan inte läsas. " + _SAVE_AS
        ) from None
    names = {info.filename for info in infos}
    if "xl/workbook.bin" in names:
        raise WorkbookError(path, "filen är en binär Excel-arbetsbok (.xlsb). " + _SAVE_AS)
    if "mimetype" in names and any(n == "content.xml" for n in names):
        raise WorkbookError(path, "filen är ett OpenDocument-kalkylark (.ods). " + save_as_xlsx(calc_first=True))
    if "xl/workbook.xml" not in names and "word/document.xml" in names:
        raise WordDocumentError(path, "filen är ett Word-dokument, ingen Excel-arbetsbok (.xlsx). En plan i Word "
                                      "blir en arbetsbok med kommandot aktivitetsplan import, eller på webbsidan "
                                      "under Gör en arbetsbok av en plan i Word.")
    if "xl/workbook.xml" not in names:
        raise WorkbookError(path, "filen är en zip-fil, ingen Excel-arbetsbok (.xlsx). " + _SAVE_AS)
    if len(infos) > MAX_PARTS:
        raise WorkbookError(path, f"filen har {len(infos)} delar; högst {MAX_PARTS} läses")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise WorkbookError(
                path,
                f"filen packas upp till mer än {MAX_TOTAL_BYTES // (1024 * 1024)} MB "
                f"({info.filename} är {info.file_size // (1024 * 1024)} MB). Den läses inte, "
                "eftersom den kan vara en så kallad zip-bomb.",
            )
