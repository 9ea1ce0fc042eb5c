"""The library's entry points: check a workbook, generate its document, name outputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.checks import load_plan
from generator.errors import FindingsError, MailError, PdfError
from generator.model import Finding, Plan

DEFAULT_OUTPUT_DIR = Path("out")


@dataclass(frozen=True)
class Result:
    """What one run produced: the plan, its findings (warnings only on success) and the file."""

    plan: Plan
    findings: tuple[Finding, ...]
    output: Path | None = None
    pdf: Path | None = None

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_error)


def default_output(workbook: Path, suffix: str = ".docx") -> Path:
    """out/<workbook name>.docx."""
    return DEFAULT_OUTPUT_DIR / (workbook.stem + suffix)


def check_workbook(workbook: Path) -> Result:
    """Read and check a workbook. Raises WorkbookError when it cannot be read at all."""
    plan, findings = load_plan(workbook)
    return Result(plan, findings)


def generate(
    workbook: Path,
    output: Path | None = None,
    template: Path | None = None,
    today: dt.date | None = None,
    pdf: bool = False,
) -> Result:
    """Check a workbook and render its plan; FindingsError (nothing written) on errors.

    With pdf, a PDF made by LibreOffice is written beside the document too.
    """
    from generator.render import DEFAULT_TEMPLATE, render_document

    checked = check_workbook(workbook)
    if checked.errors:
        raise FindingsError(workbook, checked.findings)
    target = output or default_output(workbook)
    if target.is_dir():  # -o names a folder: the document goes into it under the workbook's name
        target = target / f"{workbook.stem}.docx"
    render_document(checked.plan, template or DEFAULT_TEMPLATE, target, today)
    pdf_path = None
    if pdf:
        from generator.pdf import convert_to_pdf

        try:
            pdf_path = convert_to_pdf(target, target.with_suffix(".pdf"))
        except PdfError as exc:
            raise PdfError(exc.place, f"{exc.message} Word-dokumentet skrevs: {target}") from None
    return Result(checked.plan, checked.findings, target, pdf_path)


def mail_recipients(plan: Plan, extra: Sequence[str] = (), only_extra: bool = False) -> list[str]:
    """The addresses to send to: Sändlista's and those given, checked; FindingsError if any is invalid."""
    from generator.checks import check_recipients, valid_address

    findings = [] if only_extra else list(check_recipients(plan))
    addresses = [] if only_extra else [r.email.text.strip() for r in plan.recipients if r.email]
    for address in extra:
        if valid_address(address.strip()) is None:
            findings.append(Finding("--to", f'"{address}" är ingen giltig e-postadress'))
        addresses.append(address.strip())
    if findings:
        raise FindingsError(plan.source, findings)
    unique = list(dict.fromkeys(addresses))
    if not unique:
        raise MailError(plan.source, 'det finns ingen att skicka till. Fyll i bladet "Sändlista" '
                                     "(Namn, E-post) eller ange mottagare med --to.")
    return unique
