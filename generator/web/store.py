"""Results of page uploads, kept a few minutes under random ids in the private folder, then deleted."""

from __future__ import annotations

import re
import secrets
import shutil
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.delivery.pdfpool import page_count
from generator.plan.model import Finding
from generator.web.work import Checked

KEEP_SECONDS = 10 * 60
_ID = re.compile(r"[A-Za-z0-9_-]{22}")


@dataclass
class Entry:
    """One upload's result: what the page shows, its files, and the PDF while it is being made."""

    id: str
    folder: Path
    checked: Checked
    created: float = field(default_factory=time.monotonic)
    pdf: Future[Path] | None = None
    sent: tuple[str, ...] = ()
    imported: Any = None  # an imported Word plan (web/importing.py): its report and workbook
    _page_total: int | None = field(default=None, repr=False)

    @property
    def pages(self) -> list[Path]:
        return sorted((self.folder / "sidor").glob("sida-*.png"))

    def page_total(self) -> int:
        """How many pages the PDF has (its small images stop at MAX_PAGES); asked once, when the PDF is done."""
        if self._page_total is None:
            counted = page_count(self.pdf.result()) if self.pdf is not None else None
            self._page_total = max(len(self.pages), counted or 0)
        return self._page_total

    def pdf_state(self) -> str:
        """ingen, väntar, arbetar, klar or fel."""
        if self.pdf is None:
            return "ingen"
        if not self.pdf.done():
            return "arbetar" if self.pdf.running() else "väntar"
        return "fel" if self.pdf.exception() is not None else "klar"

    def pdf_error(self) -> Finding | None:
        if self.pdf is None or not self.pdf.done():
            return None
        error = self.pdf.exception()
        if error is None:
            return None
        message = getattr(error, "message", "LibreOffice kunde inte göra en PDF av dokumentet")
        return Finding("PDF", message)


class Store:
    """Entries by id; a request's value is only ever looked up here, never turned into a path."""

    def __init__(self, keep_seconds: float = KEEP_SECONDS) -> None:
        self.keep_seconds = keep_seconds
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Lock()

    def add(self, folder: Path, checked: Checked) -> Entry:
        entry = Entry(secrets.token_urlsafe(16), folder, checked)
        with self._lock:
            self._entries[entry.id] = entry
        return entry

    def get(self, entry_id: str) -> Entry | None:
        if not _ID.fullmatch(entry_id):
            return None
        with self._lock:
            entry = self._entries.get(entry_id)
        if entry is None or time.monotonic() - entry.created > self.keep_seconds:
            return None
        return entry

    def sweep(self, everything: bool = False) -> None:
        """Delete the results older than keep_seconds (all of them when the server stops)."""
        now = time.monotonic()
        with self._lock:
            old = [e for e in self._entries.values() if everything or now - e.created > self.keep_seconds]
            for entry in old:
                if entry.pdf is not None and not entry.pdf.done() and not everything:
                    continue  # LibreOffice still writes there; next sweep
                del self._entries[entry.id]
        for entry in old:
            if entry.id not in self._entries:
                shutil.rmtree(entry.folder, ignore_errors=True)
