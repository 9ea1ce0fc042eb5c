"""The lock files Excel and LibreOffice keep beside an open workbook: whether it is open, and by whom."""

from __future__ import annotations

from pathlib import Path

MAX_LOCK_BYTES = 4096  # an owner file is 165 bytes, a LibreOffice lock file a line; more is not read
MAX_NAME_CHARS = 60
_EXCEL_ANSI_FIELD = 54  # Excel's owner file: length byte, the name in ANSI padded to here, then the UTF-16 copy


def open_elsewhere(workbook: Path) -> tuple[str, ...]:
    """A Swedish message for each program that has the workbook open, by its lock file beside it.

    Excel keeps "~$plan.xlsx" (an owner file holding the user's name) while the workbook is open,
    LibreOffice ".~lock.plan.xlsx#" (a line: name, user, computer, time). What is read is the
    workbook as last saved, so edits not saved yet are not in it.
    """
    found = []
    for program, lock, owner in (("Excel", f"~${workbook.name}", _excel_owner),
                                 ("LibreOffice", f".~lock.{workbook.name}#", _libreoffice_owner)):
        path = workbook.with_name(lock)
        try:
            if not path.is_file():
                continue
            with path.open("rb") as handle:
                data = handle.read(MAX_LOCK_BYTES)
        except OSError:  # there, but not ours to read (Excel may hold it): open all the same
            data = b""
        name = _clean(owner(data))
        by = f" hos {name}" if name else ""
        found.append(f"arbetsboken är öppen i {program}{by}, så ändringar som inte är sparade kommer inte med. "
                     f"Spara den i {program} och kör igen. (Är den inte öppen är låsfilen {lock} kvar sedan "
                     "programmet stängdes oväntat och kan tas bort.)")
    return tuple(found)


def _excel_owner(data: bytes) -> str:
    """The user name in Excel's owner file: the UTF-16 copy after the ANSI field, or else the ANSI name."""
    if len(data) >= _EXCEL_ANSI_FIELD + 2:
        count = int.from_bytes(data[_EXCEL_ANSI_FIELD:_EXCEL_ANSI_FIELD + 2], "little")
        start = _EXCEL_ANSI_FIELD + 2
        if 0 < count <= _EXCEL_ANSI_FIELD and len(data) >= start + 2 * count:
            try:
                return data[start:start + 2 * count].decode("utf-16-le")
            except UnicodeDecodeError:
                pass
    if data and 0 < data[0] < _EXCEL_ANSI_FIELD and len(data) > data[0]:
        return data[1:1 + data[0]].decode("cp1252", errors="replace")
    return ""


def _libreoffice_owner(data: bytes) -> str:
    """The name in LibreOffice's lock file: its first field (the name set in LibreOffice), else the login."""
    text = data.decode("utf-8", errors="replace")
    fields, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ",;":
            fields.append("".join(current))
            current = []
            if char == ";":
                break
        else:
            current.append(char)
    return next((field for field in fields[:2] if field.strip()), "")


def _clean(name: str) -> str:
    """A name to show: printable, on one line, not too long."""
    name = " ".join("".join(c for c in name if c.isprintable()).split())
    return name if len(name) <= MAX_NAME_CHARS else name[:MAX_NAME_CHARS - 1] + "…"
