"""Refuse files that are not .xlsx workbooks, and packages too large to read safely."""

from __future__ import annotations

import zipfile
from pathlib import Path

from generator.errors import WorkbookError

# Limits on what is read, documented in README.md ("Gränser").
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PART_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_PARTS = 10_000
MAX_ACTIVITIES = 10_000
MAX_SECTIONS = 500

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_SAVE_AS = "Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx)."


def check_workbook_file(path: Path) -> None:
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
        raise WorkbookError(path, f"filen kan inte läsas ({exc.strerror or exc})") from None
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
        raise WorkbookError(path, "filen är ingen Excel-arbetsbok (.xlsx). " + _SAVE_AS)
    _check_package(path)


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
        raise WorkbookError(path, "filen är ett OpenDocument-kalkylark (.ods). " + _SAVE_AS)
    if "xl/workbook.xml" not in names:
        kind = "ett Word-dokument" if "word/document.xml" in names else "en zip-fil"
        raise WorkbookError(path, f"filen är {kind}, ingen Excel-arbetsbok (.xlsx). " + _SAVE_AS)
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
