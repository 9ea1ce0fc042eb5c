"""What a download is called and how it is sent: file names kept readable, Content-Disposition for every client."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Letters (Swedish ones too) and digits, spaces, dashes (the en and em dash too), dots and parentheses stay.
_UNSAFE = re.compile(r"[^\w\- .()–—]+")
_DASHES = str.maketrans({"–": "-", "—": "-"})


def _download_name(stem: str, suffix: str) -> str:
    """A safe file name for Content-Disposition from the workbook's name: "Åre kommun – plan" stays as it is."""
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", stem)).strip(" ._")[:80]
    return (cleaned or "aktivitetsplan") + suffix


def _ascii_name(filename: str) -> str:
    """The name for clients that only read filename=: Å becomes A, the en dash a hyphen, the rest an underscore."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", filename.translate(_DASHES))
                    if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9\- .()_]", "_", plain)


def attachment(filename: str) -> str:
    """Content-Disposition for a download: an ASCII name for old clients, the real one (RFC 6266) for the rest."""
    return f"attachment; filename=\"{_ascii_name(filename)}\"; filename*=utf-8''{quote(filename)}"


def download_headers(stem: str, suffix: str) -> dict[str, str]:
    """The Content-Disposition header for a download named after the workbook."""
    return {"content-disposition": attachment(_download_name(stem, suffix))}
