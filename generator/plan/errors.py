"""The one exception family of the library, each message naming its place."""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path

from generator.plan.folding import stopping_error
from generator.plan.model import Finding


class PlanError(Exception):
    """Base of every error the library raises for the user to read.

    ``place`` names where the problem is (a file, a sheet and cell, a template tag);
    ``str(error)`` is the full Swedish message; ``exit_code`` is the command's status.
    """

    exit_code = 1

    def __init__(self, place: str | Path, message: str) -> None:
        self.place = str(place)
        self.message = message
        super().__init__(self.place, message)  # args as the constructor takes them: picklable

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


class WorkbookError(PlanError):
    """The workbook cannot be read at all (wrong format, damaged, too large)."""


class WordDocumentError(WorkbookError):
    """A Word document came where a workbook should be: import makes a workbook of a plan in Word."""


class TemplateError(PlanError):
    """The Word template cannot be used (damaged, syntax error, unsafe or unknown tag)."""


class DocumentError(PlanError):
    """A Word document to import cannot be read, or holds no recognisable plan."""


class OutputError(PlanError):
    """The document cannot be written where it should go."""


class OutputPathError(OutputError):
    """An output would land on an input or on another output of the same run, or -o is malformed: a usage mistake."""

    exit_code = 2


class PdfError(PlanError):
    """LibreOffice is missing, or could not turn the document into a PDF."""


class MailError(PlanError):
    """The e-mail could not be sent or written: settings, connection, login, server."""


class ImageError(PlanError):
    """A logo file that is missing, too large or not a PNG/JPEG image."""


class ServeError(PlanError):
    """The web page's server cannot start as asked (an address without a password, a port in use)."""


class SystemFault(PlanError):
    """The machine refused a file or folder (no permission, disk full, read-only): said in Swedish, naming it."""

    @classmethod
    def of(cls, error: OSError, doing: str = "gick inte att nå") -> SystemFault:
        """The fault of an OSError a step did not expect: its file named, what was done and why it failed."""
        return cls(error.filename or "datorn", f"{doing} ({os_reason(error)})")


# The operating system's reasons, as a Swedish user reads them (strerror is English or the system's language).
_REASONS = {
    errno.EACCES: "behörighet saknas", errno.EPERM: "behörighet saknas",
    errno.ENOSPC: "disken är full", errno.EROFS: "disken är skrivskyddad",
    errno.ENOENT: "finns inte", errno.ENOTDIR: "en del av sökvägen är ingen mapp", errno.EISDIR: "är en mapp",
    errno.ENAMETOOLONG: "namnet är för långt", errno.EFBIG: "filen blir för stor", errno.EEXIST: "finns redan",
    errno.EIO: "läs- eller skrivfel på disken", errno.EBUSY: "används av ett annat program",
    errno.EMFILE: "för många öppna filer", errno.ENFILE: "för många öppna filer",
    errno.ELOOP: "för många symboliska länkar i sökvägen", errno.ENOTEMPTY: "mappen är inte tom",
    errno.EADDRINUSE: "adressen används redan", errno.EADDRNOTAVAIL: "adressen finns inte på den här datorn",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "diskutrymmet du får använda är slut"


def os_reason(error: OSError) -> str:
    """Why the operating system refused, in Swedish ("behörighet saknas", "disken är full"); its own words otherwise."""
    if isinstance(error, PermissionError) and error.errno not in _REASONS:
        return _REASONS[errno.EACCES]  # Windows' sharing violations come as PermissionError with their own code
    reason = _REASONS.get(error.errno or 0)
    if reason is not None:
        return reason
    return error.strerror or str(error) or type(error).__name__


class FindingsError(PlanError):
    """The workbook was read but its checks found errors; nothing was written."""

    def __init__(self, source: str | Path, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        errors = sum(1 for f in self.findings if f.is_error)
        stopping = stopping_error(self.findings)  # said last, where a long list of findings ends
        message = f"{errors} fel hittades, inget dokument skrevs"
        super().__init__(source, f"{message}. {stopping}" if stopping else message)
        self.args = (source, self.findings)
