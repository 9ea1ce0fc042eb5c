"""The library's entry points: check a workbook, generate its document, name outputs."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.checks import load_plan, logo_path
from generator.errors import FindingsError, PdfError
from generator.model import Finding, HasFindings, Plan
from generator.output import commit
from generator.paths import DEFAULT_OUTPUT_DIR, Targets, check_targets, plan_targets  # noqa: F401 (re-exported)
from generator.snapshot import Snapshot


@dataclass(frozen=True)
class Result(HasFindings):
    """What one run produced: the plan, its findings (warnings only on success) and the file."""

    plan: Plan
    findings: tuple[Finding, ...]
    output: Path | None = None
    pdf: Path | None = None
    version: Snapshot | None = None  # the version the document carries (snapshot.py)


def check_workbook(workbook: Path) -> Result:
    """Read and check a workbook, Sändlista's addresses as warnings. Raises WorkbookError when it cannot be read."""
    from generator.checks import check_recipients

    plan, findings = load_plan(workbook)
    return Result(plan, findings + check_recipients(plan))


def run_inputs(workbook: Path, template: Path | None) -> dict[str, Path | None]:
    """The files a run reads before the workbook is open, named for messages: no output may land on them."""
    from generator.render import default_template

    return {"arbetsboken": workbook, "mallen": template or default_template()}


def output_labels(targets: Targets) -> dict[str, Path | None]:
    return {"Word-filen": targets.docx, "PDF-filen": targets.pdf}


def require_libreoffice(target: Path) -> None:
    """PdfError, before anything is written, when --pdf cannot be honoured."""
    from generator.pdf import find_soffice, missing_message

    if find_soffice() is None:
        raise PdfError(target, f"{missing_message()}. Inget skrevs; kör utan --pdf för att bara få Word-dokumentet.")


def prepare(
    workbook: Path,
    output: str | os.PathLike[str] | None,
    template: Path | None,
    pdf: bool,
    extra_findings: Callable[[Plan], Sequence[Finding]] = lambda plan: (),
    extra_outputs: Mapping[str, Path | None] | None = None,
) -> tuple[Result, Targets]:
    """Everything a run checks before it renders: -o, the workbook, clashes with inputs, LibreOffice.

    extra_findings may repeat a warning as an error (send's Sändlista): the error replaces it.
    """
    targets = plan_targets(workbook, output, pdf)
    outputs = {**output_labels(targets), **(extra_outputs or {})}
    check_targets(run_inputs(workbook, template), outputs)
    checked = check_workbook(workbook)
    extra = tuple(extra_findings(checked.plan))
    stronger = {(f.place, f.message) for f in extra}
    findings = tuple(f for f in checked.findings if (f.place, f.message) not in stronger) + extra
    if any(f.is_error for f in findings):
        raise FindingsError(workbook, findings)
    if checked.plan.logo:
        check_targets({"logotypen": logo_path(checked.plan)}, outputs)
    if targets.pdf is not None:
        require_libreoffice(targets.pdf)
        from generator.fonts import pdf_font_findings
        from generator.render import default_template

        findings += tuple(pdf_font_findings(template or default_template()))
    return Result(checked.plan, findings), targets


def versions(plan: Plan, targets: Targets, today: dt.date | None = None, compare_with: Path | None = None,
             ) -> tuple[Snapshot, tuple[Finding, ...]]:
    """This run's version of the plan, compared with compare_with or the document it replaces, and warnings."""
    from generator.docxparts import previous_version
    from generator.model import Severity
    from generator.snapshot import next_snapshot

    source = compare_with or targets.docx
    previous, problems = previous_version(source, explicit=compare_with is not None)
    findings = tuple(Finding(str(source), problem, Severity.WARNING) for problem in problems)
    return next_snapshot(plan, previous, today or dt.date.today()), findings


def render_staged(result: Result, targets: Targets, template: Path | None, folder: Path,
                  today: dt.date | None = None, snapshot: Snapshot | None = None) -> Targets:
    """Render the document (and PDF) into folder, under the targets' names; nothing is put in place.

    Without a snapshot, the document is the next version of the one it replaces (see versions).
    """
    from generator.render import DEFAULT_TEMPLATE, render_document

    docx = folder / targets.docx.name
    snapshot = snapshot or versions(result.plan, targets, today)[0]
    render_document(result.plan, template or DEFAULT_TEMPLATE, docx, today, snapshot)
    if targets.pdf is None:
        return Targets(docx)
    from generator.pdf import convert_to_pdf

    try:
        return Targets(docx, convert_to_pdf(docx, folder / targets.pdf.name))
    except PdfError as exc:
        raise PdfError(targets.pdf, f"{exc.message.rstrip('.')}. Inget skrevs; kör utan --pdf för att bara få "
                                    "Word-dokumentet.") from None


def staged_files(staged: Targets, targets: Targets) -> list[tuple[Path, Path]]:
    """(finished file, where it goes) pairs for output.commit."""
    pairs = [(staged.docx, targets.docx)]
    if staged.pdf is not None and targets.pdf is not None:
        pairs.append((staged.pdf, targets.pdf))
    return pairs


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

    The document is the next version of compare_with, or else of the document it replaces:
    it carries the plan's data and a section on what changed (snapshot.py, changes.py).

    output follows paths.plan_targets (a folder, no suffix, .docx or .pdf). Every check,
    the clash check against the run's inputs included, comes before the first write; the
    document (and with pdf the PDF) is finished in a temporary folder, then moved into place.
    ics writes the calendar too (icsexport.calendar_target: a file, or a folder).
    """
    from generator import icsexport

    calendar = icsexport.calendar_target(workbook, ics)
    checked, targets = prepare(workbook, output, template, pdf, extra_findings=icsexport.findings_for(calendar),
                               extra_outputs={icsexport.LABEL: calendar})
    snapshot, notes = versions(checked.plan, targets, today, compare_with)
    with tempfile.TemporaryDirectory(prefix="aktivitetsplan-") as folder:
        staged = render_staged(checked, targets, template, Path(folder), today, snapshot)
        commit(staged_files(staged, targets) + icsexport.stage_calendar(checked.plan, calendar, Path(folder)))
    return Result(checked.plan, checked.findings + notes, targets.docx, targets.pdf, snapshot)


def mail_recipients(plan: Plan, extra: Sequence[str] = (), only_extra: bool = False) -> list[str]:
    """The addresses to send to: Sändlista's and those given, checked; FindingsError if any is invalid."""
    from generator.sending import recipients_for

    return [r.address for r in recipients_for(plan, extra, only_extra)]
