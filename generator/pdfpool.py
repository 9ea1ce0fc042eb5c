"""A bounded pool of LibreOffice conversions, each worker with a profile of its own."""

from __future__ import annotations

import queue
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from generator.pdf import convert_to_pdf

DEFAULT_WORKERS = 2
PAGE_DPI = 60
MAX_PAGES = 30


def render_pages(pdf: Path, folder: Path, dpi: int = PAGE_DPI) -> list[Path]:
    """PNG images of the PDF's first pages (sida-1.png …) with poppler's pdftoppm; none without it."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([pdftoppm, "-png", "-r", str(dpi), "-l", str(MAX_PAGES), str(pdf), str(folder / "sida")],
                   capture_output=True, timeout=120, check=False)
    return sorted(folder.glob("sida-*.png"))


class PdfPool:
    """At most `workers` LibreOffice processes at once; the rest wait in line.

    LibreOffice refuses a second process on a profile that is in use, so every
    worker owns one profile folder, reused from one conversion to the next.
    """

    def __init__(self, workers: int = DEFAULT_WORKERS, folder: Path | None = None) -> None:
        self._root = Path(tempfile.mkdtemp(prefix="aktivitetsplan-lo-", dir=folder))
        self._profiles: queue.SimpleQueue[Path] = queue.SimpleQueue()
        for index in range(workers):
            self._profiles.put(self._root / f"profil-{index}")
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="libreoffice")
        self._lock = threading.Lock()
        self._queued = 0
        self._running = 0
        self.workers = workers

    def submit(self, document: Path, target: Path, pages: Path | None = None) -> Future[Path]:
        """Convert document into target when a worker is free; the future holds the PDF or a PdfError.

        With pages, images of the pages are made into that folder too (render_pages).
        """
        with self._lock:
            self._queued += 1
        return self._executor.submit(self._convert, document, target, pages)

    def _convert(self, document: Path, target: Path, pages: Path | None) -> Path:
        profile = self._profiles.get()
        with self._lock:
            self._queued -= 1
            self._running += 1
        try:
            convert_to_pdf(document, target, profile=profile)
            if pages is not None:
                render_pages(target, pages)
            return target
        finally:
            with self._lock:
                self._running -= 1
            self._profiles.put(profile)

    @property
    def waiting(self) -> int:
        """How many conversions wait for a free worker."""
        with self._lock:
            return self._queued

    @property
    def busy(self) -> bool:
        """True when every worker is converting."""
        with self._lock:
            return self._running >= self.workers

    def close(self) -> None:
        """Wait for running conversions, then remove the profiles."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._root, ignore_errors=True)
