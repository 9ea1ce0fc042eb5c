"""Write a file safely: to a temporary file beside the target, then rename it into place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.errors import OutputError


def lock_files(target: Path) -> list[Path]:
    """Lock files Word or LibreOffice keep beside a document while it is open."""
    name = target.name
    candidates = {f"~${name}", f"~${name[1:]}", f"~${name[2:]}", f".~lock.{name}#"}
    return sorted(p for p in (target.parent / c for c in candidates) if p.exists())


def write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Call write(temporary path), then move the result onto target in one step.

    The earlier file at target stays untouched when anything fails, also on Ctrl-C,
    and no temporary file is left behind.
    """
    locks = lock_files(target)
    if locks:
        raise OutputError(
            target,
            f"dokumentet verkar vara öppet i Word eller LibreOffice ({locks[0].name} finns). "
            "Stäng det och försök igen; den tidigare filen finns kvar.",
        )
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
