"""Write a file safely: to a temporary file beside the target, then rename it into place."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.errors import OutputError


def lock_files(target: Path) -> list[Path]:
    """Lock files Word or LibreOffice keep beside a document while it is open."""
    name = target.name
    candidates = {f"~${name}", f"~${name[1:]}", f"~${name[2:]}", f".~lock.{name}#"}
    return sorted(p for p in (target.parent / c for c in candidates) if p.exists())


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
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
    return 0o666 & ~current_umask()


def _mode_for(target: Path) -> int:
    """An existing file keeps its mode; a new one gets new_file_mode()."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return new_file_mode()


def refuse_locked(target: Path) -> None:
    """OutputError when Word or LibreOffice has target open (its lock file is beside it)."""
    locks = lock_files(target)
    if locks:
        raise OutputError(
            target,
            f"dokumentet verkar vara öppet i Word eller LibreOffice ({locks[0].name} finns). "
            "Stäng det och försök igen; den tidigare filen finns kvar.",
        )


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
    except OSError as exc:
        raise OutputError(target, f"mappen går inte att skriva i ({exc.strerror or exc})") from None
    temp = Path(temporary)
    try:
        write(temp)
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
            raise OutputError(target, f"filen kunde inte skrivas ({exc.strerror or exc})") from None
    finally:
        if temp.exists():
            temp.unlink()
