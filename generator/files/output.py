"""Write a file safely: to a temporary file beside the target, then rename it into place."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.plan.errors import OutputError, os_reason
from generator.plan.values import long_date


def lock_files(target: Path) -> list[Path]:
    """Lock files Word, Excel or LibreOffice keep beside a document while it is open."""
    name = target.name
    candidates = {f"~${name}", f"~${name[1:]}", f"~${name[2:]}", f".~lock.{name}#"}
    return sorted(p for p in (target.parent / c for c in candidates) if p.exists())


_OFFICE_NAME_CHARS = 52  # Word and Excel allow no longer user name
MAX_OWNER_CHARS = 90  # a name and a computer's, on one line


def lock_owner(lock: Path) -> str | None:
    """Who a lock file says has the document open, as it names them; None when it names no one.

    Word's and Excel's owner file (~$plan.docx) holds the user name set in Office ("Åsa Ödmark");
    LibreOffice's (.~lock.plan.docx#) the name from its user data or the login, and the computer:
    "Åsa Ödmark på datorn KOMMUN-PC".
    """
    try:
        with open(lock, "rb") as file:
            data = file.read(4096)
    except OSError:
        return None
    owner = _libreoffice_owner(data) if lock.name.startswith(".~lock.") else _office_owner(data)
    owner = " ".join("".join(c for c in owner if c.isprintable()).split())
    return (owner if len(owner) <= MAX_OWNER_CHARS else owner[:MAX_OWNER_CHARS - 1] + "…") or None


def _office_owner(data: bytes) -> str:
    """The name in an owner file: a length byte and the name in the Windows code page, then, at byte 54
    (Word) or 55 (Excel, PowerPoint), a two-byte length and the name in UTF-16; 162 or 165 bytes in all."""
    if len(data) < 162 or not 0 < data[0] <= _OFFICE_NAME_CHARS:
        return ""
    at = 54
    if data[at] == 0x20 and (data[at - 1] or data[at - 2]):  # Word pads with zeros, the others with spaces
        at = 55
    length = int.from_bytes(data[at:at + 2], "little")
    if 0 < length <= _OFFICE_NAME_CHARS and len(data) >= at + 2 + 2 * length:
        text = data[at + 2:at + 2 + 2 * length].decode("utf-16-le", "replace")
        if text.isprintable():
            return text
    return data[1:1 + data[0]].decode("cp1252", "replace")


def _libreoffice_owner(data: bytes) -> str:
    """The name in LibreOffice's lock file: "Namn,login,dator,tid,profil;", "\\" escaping , ; and itself."""
    fields, field, escaped = [], "", False
    for char in data.decode("utf-8", "replace"):
        if escaped:
            field, escaped = field + char, False
        elif char == "\\":
            escaped = True
        elif char in ",;":
            fields.append(field)
            field = ""
            if char == ";":
                break
        else:
            field += char
    if len(fields) < 3:
        return ""
    name, login, computer = (f.strip() for f in fields[:3])
    who = name or login
    return f"{who} på datorn {computer}" if who and computer else who


def _when(lock: Path) -> tuple[str, float]:
    """When a lock file was written, in Swedish ("7 december 2026 kl. 14.05"), and its age in days."""
    try:
        written = lock.stat().st_mtime
    except OSError:
        return "", 0.0
    moment = dt.datetime.fromtimestamp(written)
    age = (dt.datetime.now() - moment).total_seconds() / 86400
    return f"{long_date(moment.date())} kl. {moment:%H.%M}", age


_UMASK_LOCK = threading.Lock()


def _current_umask() -> int:
    """The process's umask: read from /proc where there is one, since setting it to read it races other threads."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        umask = os.umask(0o022)
        os.umask(umask)
    return umask


def new_file_mode() -> int:
    """The mode any program's new file gets under the current umask (0644 under 022)."""
    return 0o666 & ~_current_umask()


def _mode_for(target: Path) -> int:
    """An existing file keeps its mode; a new one gets new_file_mode()."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return new_file_mode()


STALE_LOCK_DAYS = 1  # a lock this old was most likely left by a program that stopped unexpectedly


def refuse_locked(target: Path) -> None:
    """OutputError when Word or LibreOffice has target open (its lock file is beside it).

    Says who has it open and since when (from the lock file), and how to go on when no one has:
    a program that crashed leaves its lock file behind. A lock file is never removed here, only named.
    """
    locks = lock_files(target)
    if not locks:
        return
    lock = locks[0]
    program = "LibreOffice" if lock.name.startswith(".~lock.") else "Word"
    owner = lock_owner(lock)
    when, age = _when(lock)
    since = f" sedan {when}" if when else ""
    if owner:
        opened = f"dokumentet är öppet i {program} hos {owner}{since} (enligt låsfilen {lock.name})"
        close = f"Be {owner.split(' på datorn ')[0]} stänga det, eller stäng det själv, och kör igen"
    else:
        opened = f"dokumentet verkar vara öppet i {program}{since} (låsfilen {lock.name} finns)"
        close = "Stäng det och kör igen"
    if age >= STALE_LOCK_DAYS:
        crashed = (f"Låsfilen är {int(age)} {'dag' if int(age) == 1 else 'dagar'} gammal och blev troligen kvar "
                   f"när {program} stängdes oväntat. Har ingen dokumentet öppet: ta bort låsfilen {lock} och kör igen")
    else:
        crashed = f"Har ingen dokumentet öppet (om {program} har kraschat): ta bort låsfilen {lock} och kör igen"
    raise OutputError(target, f"{opened}. {close}; den tidigare filen finns kvar. {crashed}.")


def commit(files: Sequence[tuple[Path, Path]]) -> None:
    """Copy each finished (source, target) into place atomically, every target's lock checked first."""
    for _, target in files:
        refuse_locked(target)
    for source, target in files:
        write_atomically(target, _copier(source))


def _copier(source: Path) -> Callable[[Path], object]:
    return lambda temp: shutil.copyfile(source, temp)


def write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Call write(temporary path), then move the result onto target in one step.

    The earlier file at target stays untouched when anything fails, also on Ctrl-C,
    and no temporary file is left behind. A new file gets the mode the umask gives
    (0644 under 022), a replaced one keeps its mode.
    """
    refuse_locked(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
    except OSError as exc:  # the cause kept for a staging caller (flows.generating names the file asked for)
        raise OutputError(target, f"mappen går inte att skriva i ({os_reason(exc)})") from exc
    temp = Path(temporary)
    try:
        try:
            write(temp)
        except OSError as exc:  # the disk filled up, the folder went away … (the cause kept for a staging caller)
            raise OutputError(target, f"filen kunde inte skrivas ({os_reason(exc)}); den tidigare filen finns "
                                      "kvar") from exc
        try:
            os.chmod(temp, _mode_for(target))
            os.replace(temp, target)
        except PermissionError:
            raise OutputError(
                target,
                "filen kan inte ersättas; den är troligen öppen i ett annat program. "
                "Stäng den och försök igen; den tidigare filen finns kvar.",
            ) from None
        except OSError as exc:
            raise OutputError(target, f"filen kunde inte skrivas ({os_reason(exc)})") from None
    finally:
        if temp.exists():
            temp.unlink()
