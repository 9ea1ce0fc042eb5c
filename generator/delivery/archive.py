"""The send archive: exactly what each send sent, under skickat/<YYYY-MM-DD-HHMMSS>/, never overwritten."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path

from generator.delivery.mail import write_draft
from generator.versions.docxpart import read_snapshot
from generator.versions.snapshot import Snapshot, SnapshotError

FOLDER = "skickat"
RECIPIENTS_FILE = "mottagare.json"
LETTER_FILE = "brev.eml"
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}-\d{6})(?:-(\d+))?$")
MAX_SUFFIX = 1000


def archive_root(document: Path) -> Path:
    """Where the sends of the document are kept: skickat/ beside it (out/skickat/ by default)."""
    return document.parent / FOLDER


def _order(folder: Path) -> tuple[str, int]:
    match = _NAME.match(folder.name)
    assert match is not None
    return match.group(1), int(match.group(2) or 1)


def sends(root: Path) -> list[Path]:
    """The archived sends, oldest first (by their names: the time of sending, then the suffix)."""
    try:
        folders = [p for p in root.iterdir() if p.is_dir() and _NAME.match(p.name)]
    except OSError:
        return []
    return sorted(folders, key=_order)


def last_sent(root: Path) -> tuple[Snapshot | None, tuple[str, ...]]:
    """The plan as last sent (the snapshot in the newest archived document that has one), and warnings."""
    notes = []
    for folder in reversed(sends(root)):
        for document in sorted(folder.glob("*.docx")):
            try:
                found = read_snapshot(document)
            except SnapshotError as exc:
                notes.append(f"{document}: {exc}")
                continue
            if found is not None:
                return found, tuple(notes)
    return None, tuple(notes)


def new_folder(root: Path, now: dt.datetime) -> Path:
    """A folder of its own for this send: the time to the second, with -2, -3 … for a second send that second."""
    stamp = now.strftime("%Y-%m-%d-%H%M%S")
    root.mkdir(parents=True, exist_ok=True)
    for number in range(1, MAX_SUFFIX + 1):
        folder = root / (stamp if number == 1 else f"{stamp}-{number}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise FileExistsError(root / stamp)


def store(root: Path, files: Sequence[Path], message: EmailMessage, accepted: Sequence[str],
          refused: Mapping[str, str], now: dt.datetime | None = None) -> Path:
    """Keep a send: the files sent, the letter as .eml and who got it; the new folder is returned.

    Nothing already archived is touched: every send gets a folder no other send had. OSError
    when the disk refuses.
    """
    now = now or dt.datetime.now()
    folder = new_folder(root, now)
    for path in files:
        shutil.copyfile(path, folder / path.name)
    write_draft(message, folder / LETTER_FILE)  # the message as sent; no X-Unsent, so no draft
    recipients = {"skickat": now.isoformat(timespec="seconds"), "mottagare": list(accepted),
                  "inte_skickat": dict(refused), "amne": str(message["Subject"] or "")}
    (folder / RECIPIENTS_FILE).write_text(json.dumps(recipients, ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")
    return folder
