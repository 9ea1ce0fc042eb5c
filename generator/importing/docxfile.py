"""Refuse files that are no .docx Word document, and packages too large or unsafe to read."""

from __future__ import annotations

import zipfile
from pathlib import Path

from generator.plan.errors import DocumentError, os_reason

# Limits on what is read, documented in docs/sakerhet-och-granser.md.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_DOCUMENT_UNPACKED = 100 * 1024 * 1024
MAX_DOCUMENT_PARTS = 2_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
SAVE_AS = ("Öppna den och spara den som Word-dokument (.docx) – i Word: Arkiv > Spara som > Word-dokument; "
           "i LibreOffice Writer: Arkiv > Spara som > filtyp Word 2007–365.")


def _check_document_file(path: Path) -> None:
    """Raise DocumentError unless path is a .docx package within the limits, without XML DTDs."""
    try:
        if not path.is_file():
            raise DocumentError(path, "filen finns inte" if not path.exists() else "är ingen fil")
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise DocumentError(path, f"filen kan inte läsas ({os_reason(exc)})") from None
    if size == 0:
        raise DocumentError(path, "filen är tom")
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError(path, f"filen är {size // (1024 * 1024)} MB; högst "
                                  f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB läses")
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in path.read_bytes():
            raise DocumentError(path, "dokumentet är skyddat med lösenord. Ta bort lösenordet i Word "
                                      "(Arkiv > Info > Skydda dokument) och spara det igen.")
        raise DocumentError(path, "filen är i det gamla Word-formatet (.doc) eller en annan Office-fil. " + SAVE_AS)
    if head.startswith(b"{\\rtf"):
        raise DocumentError(path, "filen är ett RTF-dokument, inget Word-dokument (.docx). " + SAVE_AS)
    if not head.startswith(b"PK"):
        raise DocumentError(path, "filen är inget Word-dokument (.docx). " + SAVE_AS)
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            names = {info.filename for info in infos}
            if "mimetype" in names and "content.xml" in names:
                raise DocumentError(path, "filen är ett OpenDocument-dokument (.odt). " + SAVE_AS)
            if "xl/workbook.xml" in names:
                raise DocumentError(path, "filen är en Excel-arbetsbok, inget Word-dokument. En arbetsbok "
                                          "används direkt: aktivitetsplan generate " + path.name)
            if "word/document.xml" not in names:
                raise DocumentError(path, "filen är en zip-fil, inget Word-dokument (.docx). " + SAVE_AS)
            _check_parts(path, package, infos)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        raise DocumentError(path, "filen är skadad eller ofullständig och kan inte läsas. " + SAVE_AS) from None


def _check_parts(path: Path, package: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Zip-bomb limits from the package's own sizes first, then no DTD in any XML part."""
    if len(infos) > MAX_DOCUMENT_PARTS:
        raise DocumentError(path, f"filen har {len(infos)} delar; högst {MAX_DOCUMENT_PARTS} läses")
    if sum(info.file_size for info in infos) > MAX_DOCUMENT_UNPACKED:
        raise DocumentError(path, f"filen packas upp till mer än {MAX_DOCUMENT_UNPACKED // (1024 * 1024)} MB. "
                                  "Den läses inte, eftersom den kan vara en så kallad zip-bomb.")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with package.open(info) as part:
                data = part.read(MAX_DOCUMENT_UNPACKED + 1)
            if len(data) > MAX_DOCUMENT_UNPACKED:  # the zip lied about its size
                raise DocumentError(path, "filen packas upp till för mycket data och läses inte (zip-bomb?)")
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                raise DocumentError(path, "filen innehåller otillåten XML (DTD eller entiteter) och läses inte, "
                                          "eftersom den kan vara skadlig. " + SAVE_AS)
