"""Turn the Word document into a PDF with LibreOffice headless, found where it usually lives."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.files.output import write_atomically
from generator.plan.errors import PdfError

SOFFICE_VARIABLE = "AKTIVITETSPLAN_SOFFICE"
TIMEOUT_SECONDS = 180
# LibreOffice's PDF export options (JSON filter options, LibreOffice 7.4 and later): PDF/A-2b for the
# archive, tagged for screen readers, the document's title shown in the viewer's title bar. The title,
# author and language come from the document's own properties and language (properties.py).
EXPORT_OPTIONS = {
    "SelectPdfVersion": {"type": "long", "value": "2"},
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "DisplayPDFDocTitle": {"type": "boolean", "value": "true"},
}
CONVERT_TO = "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS, separators=(",", ":"))


def _candidates() -> Iterator[Path]:
    """Where LibreOffice is usually installed, for the system this runs on."""
    system = platform.system()
    if system == "Windows":
        for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA"):
            base = os.environ.get(variable)
            if base:
                yield Path(base) / "LibreOffice" / "program" / "soffice.exe"
                yield Path(base) / "Programs" / "LibreOffice" / "program" / "soffice.exe"
    elif system == "Darwin":
        yield Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
        yield Path.home() / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice"
    else:
        yield Path("/usr/bin/soffice")
        yield Path("/usr/lib/libreoffice/program/soffice")
        yield Path("/usr/local/bin/soffice")
        yield Path("/snap/bin/libreoffice")
        yield from sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True)


def find_soffice() -> Path | None:
    """LibreOffice's soffice: from AKTIVITETSPLAN_SOFFICE, on PATH, or in the usual places."""
    chosen = os.environ.get(SOFFICE_VARIABLE)
    if chosen:
        return Path(chosen)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((path for path in _candidates() if path.is_file()), None)


def missing_message() -> str:
    """What to do when LibreOffice is not found."""
    return ("LibreOffice hittades inte, så ingen PDF kunde skapas. Installera LibreOffice "
            f"(libreoffice.org) eller ange sökvägen till soffice i miljövariabeln {SOFFICE_VARIABLE}")


def _run_soffice(command: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice in a process group of its own: on a timeout or Ctrl+C the whole group is ended.

    soffice starts soffice.bin as a child of its own; ending soffice alone would leave that running.
    Its temporary files go in folder, so that they go with it even when it is ended.
    """
    environment = {**os.environ, "TMPDIR": str(folder), "TMP": str(folder), "TEMP": str(folder)}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True, env=environment) as process:
        try:
            out, err = process.communicate(timeout=TIMEOUT_SECONDS)
        except BaseException:  # the timeout, Ctrl+C, a batch worker told to stop
            if hasattr(os, "killpg"):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, 9)  # SIGKILL, which Windows' signal module does not name
            process.kill()
            raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def convert_to_pdf(document: Path, target: Path, profile: Path | None = None, scratch: Path | None = None) -> Path:
    """Write target, a PDF of document; PdfError when LibreOffice is missing or fails.

    LibreOffice runs with a profile of its own, so a LibreOffice the user has open
    does not get in the way, and the PDF is moved into place only when complete.
    A profile folder given is kept and reused (a pool's worker), else a fresh one is made.
    LibreOffice works in a temporary folder made in scratch (else the system's): a batch
    passes the plan's staging folder, which it removes itself even when a worker is ended
    before it has cleaned up.
    """
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(target, missing_message() + ".")
    # A LibreOffice ended a moment ago may still be writing its profile: what it leaves is not an error.
    with tempfile.TemporaryDirectory(prefix="aktivitetsplan-pdf-", dir=scratch, ignore_cleanup_errors=True) as folder:
        work = Path(folder)
        command = [
            str(soffice), f"-env:UserInstallation={(profile or work / 'profil').resolve().as_uri()}", "--headless",
            "--norestore", "--convert-to", CONVERT_TO, "--outdir", str(work / "ut"), str(document),
        ]
        try:
            done = _run_soffice(command, work)
        except FileNotFoundError:
            raise PdfError(target, f"LibreOffice kunde inte startas ({soffice} finns inte)") from None
        except subprocess.TimeoutExpired:
            raise PdfError(target, f"LibreOffice blev inte klart på {TIMEOUT_SECONDS} sekunder") from None
        produced = work / "ut" / (document.stem + ".pdf")
        if done.returncode != 0 or not produced.is_file():
            detail = (done.stderr or done.stdout or "").strip().splitlines()
            raise PdfError(target, "LibreOffice kunde inte göra en PDF av dokumentet"
                           + (f" ({detail[-1]})" if detail else ""))
        write_atomically(target, lambda temp: shutil.copyfile(produced, temp))
    return target
