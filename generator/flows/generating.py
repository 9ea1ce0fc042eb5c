"""The generate flow both faces call: check a workbook, then make its document (and PDF, calendar) in one go."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from generator.checks.core import logo_path
from generator.document.fonts import pdf_font_findings
from generator.document.render import open_template, render_document, template_warnings
from generator.files.output import commit
from generator.files.paths import Targets, check_targets, plan_targets
from generator.files.resources import default_template
from generator.flows.checking import Apart, Result, check_workbook
from generator.plan.errors import FindingsError, OutputError, PdfError, os_reason
from generator.plan.model import Finding, Plan, Severity
from generator.versions.history import following
from generator.versions.snapshot import Snapshot

NO_PDF = "Inget skrevs; kör utan --pdf för att bara få Word-dokumentet."
CALENDAR = "kalenderfilen"  # the calendar file, as messages about clashing outputs name it


def _require_libreoffice(target: Path) -> None:
    """PdfError, before anything is written, when a PDF is asked for and cannot be made."""
    from generator.delivery.pdf import find_soffice, missing_message  # deferred: only runs that make a PDF

    if find_soffice() is None:
        raise PdfError(target, f"{missing_message()}. {NO_PDF}")


def prepare(
    workbook: Path,
    output: str | os.PathLike[str] | None,
    template: Path | None,
    pdf: bool,
    extra_findings: Callable[[Plan], Sequence[Finding]] = lambda plan: (),
    extra_outputs: Mapping[str, Path | None] | None = None,
    logo: Apart | None = None,
) -> tuple[Result, Targets]:
    """Everything a run checks before it renders: -o, the workbook, clashes with inputs, LibreOffice.

    extra_findings may repeat a warning as an error (send's Sändlista): the error replaces it.
    """
    targets = plan_targets(workbook, output, pdf)
    outputs = {"Word-filen": targets.docx, "PDF-filen": targets.pdf, **(extra_outputs or {})}
    check_targets({"arbetsboken": workbook, "mallen": template or default_template()}, outputs)
    checked = check_workbook(workbook, logo)
    extra = tuple(extra_findings(checked.plan))
    stronger = {(f.place, f.message) for f in extra}
    findings = tuple(f for f in checked.findings if (f.place, f.message) not in stronger) + extra
    if any(f.is_error for f in findings):
        raise FindingsError(workbook, findings)
    if checked.plan.logo and logo is None:
        check_targets({"logotypen": logo_path(checked.plan)}, outputs)
    if template is not None:  # before the font check opens it: the same message with --pdf as without
        findings += tuple(template_warnings(template))
    if targets.pdf is not None:
        _require_libreoffice(targets.pdf)
        # A template built from a profile has named its missing fonts among its warnings already.
        findings += tuple(f for f in pdf_font_findings(template or default_template()) if f not in findings)
    return Result(checked.plan, findings), targets


def versions(plan: Plan, targets: Targets, today: dt.date | None = None, compare_with: Path | None = None,
             ) -> tuple[Snapshot, tuple[Finding, ...]]:
    """This run's version of the plan, compared with compare_with or the document it replaces, and warnings."""
    source = compare_with or targets.docx
    snapshot, problems = following(plan, source, today or dt.date.today(), explicit=compare_with is not None)
    return snapshot, tuple(Finding(str(source), problem, Severity.WARNING) for problem in problems)


def _render_staged(result: Result, targets: Targets, template: Path | None, folder: Path,
                  today: dt.date | None = None, snapshot: Snapshot | None = None) -> Targets:
    """Render the document (and PDF) into folder, under the targets' names; nothing is put in place.

    Without a snapshot, the document is the next version of the one it replaces (see versions).
    """
    docx = folder / targets.docx.name
    snapshot = snapshot or versions(result.plan, targets, today)[0]
    with _named_as_asked(docx, targets.docx):
        render_document(result.plan, template or default_template(), docx, today, snapshot)
    if targets.pdf is None:
        return Targets(docx)
    from generator.delivery.pdf import convert_to_pdf  # deferred: only runs that make a PDF

    pdf = folder / targets.pdf.name
    try:
        with _named_as_asked(pdf, targets.pdf):
            return Targets(docx, convert_to_pdf(docx, pdf, scratch=folder))
    except PdfError as exc:
        raise PdfError(targets.pdf, f"{exc.message.rstrip('.')}. {NO_PDF}") from None


@contextlib.contextmanager
def _named_as_asked(staged: Path, target: Path) -> Iterator[None]:
    """A file that could not be made in the temporary folder, said as the file the user asked for.

    Staged where it goes (the web's own folder), it is said as it is.
    """
    try:
        yield
    except OutputError as exc:
        if exc.place != str(staged) or staged == target or not isinstance(exc.__cause__, OSError):
            raise
        raise OutputError(target, f"filen kunde inte göras färdig i den tillfälliga mappen {tempfile.gettempdir()} "
                                  f"({os_reason(exc.__cause__)}); den tidigare filen finns kvar") from None


def _staged_files(staged: Targets, targets: Targets) -> list[tuple[Path, Path]]:
    """(finished file, where it goes) pairs for files.output.commit."""
    pairs = [(staged.docx, targets.docx)]
    if staged.pdf is not None and targets.pdf is not None:
        pairs.append((staged.pdf, targets.pdf))
    return pairs


def produce(checked: Result, targets: Targets, template: Path | None = None, today: dt.date | None = None,
            compare_with: Path | None = None, calendar: Path | None = None) -> Result:
    """Make a checked plan's files: rendered in a temporary folder, then all put in place together.

    The document is the next version of compare_with, or else of the document it replaces: it
    carries the plan's data and a section on what changed (versions/). calendar: the .ics to
    write as well (delivery/ics.py), or None.
    """
    # Once the files are in place the run has succeeded: a temporary file that cannot be removed (a
    # LibreOffice still ending on Windows) is left to the system rather than failing it.
    with tempfile.TemporaryDirectory(prefix="aktivitetsplan-", ignore_cleanup_errors=True) as folder:
        result, files = stage(checked, targets, Path(folder), template, today, compare_with, calendar)
        commit(files)
    return result


def stage(checked: Result, targets: Targets, folder: Path, template: Path | None = None,
          today: dt.date | None = None, compare_with: Path | None = None, calendar: Path | None = None,
          ) -> tuple[Result, list[tuple[Path, Path]]]:
    """Make a checked plan's files in folder, as produce does, without putting them in place.

    Returns the Result as it will be once the (finished file, where it goes) pairs are put in
    place with files.output.commit; a batch commits them in its own process, one plan at a time.
    """
    snapshot, notes = versions(checked.plan, targets, today, compare_with)
    staged = _render_staged(checked, targets, template, folder, today, snapshot)
    events: list[tuple[Path, Path]] = []
    if calendar is not None:
        from generator.delivery.ics import stage_calendar  # deferred: only runs that write a calendar

        events = stage_calendar(checked.plan, calendar, folder, today=today)
    written = calendar if events else None
    result = Result(checked.plan, checked.findings + notes, targets.docx, targets.pdf, snapshot, written,
                    _events(checked.plan, today) if written else 0)
    return result, _staged_files(staged, targets) + events


def _events(plan: Plan, today: dt.date | None) -> int:
    from generator.delivery.ics import dated_activities  # deferred: only runs that write a calendar

    return len(dated_activities(plan, today)[0])


def _calendar_for(workbook: Path, ics: str | os.PathLike[str] | None, today: dt.date | None = None,
                 ) -> tuple[Path | None, Callable[[Plan], Sequence[Finding]]]:
    """Where --ics writes and the warnings it adds (activities left out); (None, no warnings) without --ics."""
    if ics is None:
        return None, lambda plan: ()
    from generator.delivery import ics as calendars  # deferred: only runs that write a calendar

    target = calendars.calendar_target(workbook, ics)
    return target, calendars.findings_for(target, today)


def generate(
    workbook: Path,
    output: str | os.PathLike[str] | None = None,
    template: Path | None = None,
    today: dt.date | None = None,
    pdf: bool = False,
    ics: str | os.PathLike[str] | None = None,
    compare_with: Path | None = None,
) -> Result:
    """Check a workbook and render its plan; nothing is written unless everything succeeds.

    output follows files.paths.plan_targets (a folder, no suffix, .docx or .pdf). Every check,
    the clash check against the run's inputs included, comes before the first write; the
    document (and with pdf the PDF, with ics the calendar) is finished in a temporary folder,
    then moved into place.
    """
    calendar, calendar_findings = _calendar_for(workbook, ics, today)
    checked, targets = prepare(workbook, output, template, pdf, extra_findings=calendar_findings,
                               extra_outputs={CALENDAR: calendar})
    return produce(checked, targets, template, today, compare_with, calendar)


def warm_up() -> None:
    """Load the libraries a plan needs and parse the default template: once, in a process that makes many."""
    import docxtpl  # noqa: F401  (deferred: a single run loads it when it renders)
    import openpyxl  # noqa: F401  (deferred: a single run loads what it reads with)

    open_template(default_template())

