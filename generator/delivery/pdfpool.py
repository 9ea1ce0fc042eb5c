"""A bounded pool of LibreOffice conversions, each worker with a profile of its own."""

from __future__ import annotations

import queue
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from generator.delivery.pdf import convert_to_pdf

DEFAULT_WORKERS = 2
PAGE_DPI = 60
LARGE_PAGE_DPI = 150  # a page opened large: sharp on a wide screen and when zoomed on a phone
MAX_PAGES = 30


def _render_pages(pdf: Path, folder: Path, dpi: int = PAGE_DPI) -> list[Path]:
    """PNG images of the PDF's first pages (sida-1.png …) with poppler's pdftoppm; none without it."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([pdftoppm, "-png", "-r", str(dpi), "-l", str(MAX_PAGES), str(pdf), str(folder / "sida")],
                   capture_output=True, timeout=120, check=False)
    return sorted(folder.glob("sida-*.png"))


def page_count(pdf: Path) -> int | None:
    """How many pages the PDF has, by poppler's pdfinfo; None without it or when it cannot tell."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        return None
    shown = subprocess.run([pdfinfo, str(pdf)], capture_output=True, timeout=60, check=False)
    for line in shown.stdout.decode("utf-8", "replace").splitlines():
        label, _, value = line.partition(":")
        if label.strip() == "Pages" and value.strip().isdigit():
            return int(value.strip())
    return None


def render_page(pdf: Path, number: int, target: Path, dpi: int = LARGE_PAGE_DPI) -> Path | None:
    """One page of the PDF as a PNG image in target (made once, then kept); None without pdftoppm or that page."""
    if target.is_file():
        return target
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    root = target.with_name(f".{target.stem}-{threading.get_ident()}")  # two requests at once never meet
    subprocess.run([pdftoppm, "-png", "-r", str(dpi), "-f", str(number), "-l", str(number), "-singlefile",
                    str(pdf), str(root)], capture_output=True, timeout=120, check=False)
    made = root.with_name(root.name + ".png")
    if not made.is_file():
        return None
    made.replace(target)
    return target


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

        With pages, images of the pages are made into that folder too (_render_pages).
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
                _render_pages(target, pages)
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
