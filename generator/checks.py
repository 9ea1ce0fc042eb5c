"""Check a plan read from a workbook: every finding with its place, errors apart from warnings."""

from __future__ import annotations

import functools
from pathlib import Path

from generator.checks_content import content_findings
from generator.errors import ImageError
from generator.model import Finding, Plan, Severity
from generator.values import parse_done
from generator.workbook import SHEET_ACTIVITIES, SHEET_PLAN, read_workbook


def check_plan(plan: Plan) -> tuple[Finding, ...]:
    """All findings for a plan: those from reading it and those about its content."""
    findings = list(plan.findings)
    if not plan.municipality:
        where = plan.municipality.cell or SHEET_PLAN
        findings.append(Finding(where, "Kommun saknas; skriv kommunens namn på raden Kommun i kolumn B"))
    for section in plan.sections:
        if not section.heading:
            findings.append(Finding(section.heading.cell, "Rubrik saknas"))
    for activity in plan.activities:
        if not activity.activity:
            findings.append(Finding(activity.activity.cell, "Aktivitet saknas"))
        if parse_done(activity.done_mark.text) is None:
            findings.append(Finding(
                activity.done_mark.cell,
                f'"{activity.done_mark.text.strip()}" i Klar förstås inte; skriv Ja när aktiviteten '
                "är klar, annars lämna cellen tom. Raden räknas som inte klar.",
                Severity.WARNING,
            ))
    findings += content_findings(plan)
    if not plan.activities and not any(f.place.startswith(SHEET_ACTIVITIES) for f in findings):
        findings.append(Finding(SHEET_ACTIVITIES, "inga aktiviteter", Severity.WARNING))
    if plan.logo:
        path = logo_path(plan)
        folder = Path(plan.base_dir).resolve()
        if not path.resolve().is_relative_to(folder):
            # A workbook from someone else must not pull in pictures from elsewhere on this computer.
            findings.append(Finding(plan.logo.cell, "logotypen ska ligga i arbetsbokens mapp eller en mapp under "
                                                    f"den ({plan.logo.text.strip()})"))
        else:
            try:
                from generator.images import image_size

                image_size(path)
            except ImageError as exc:
                findings.append(Finding(plan.logo.cell, f"{exc.message} ({plan.logo.text.strip()})"))
    return tuple(findings)


def logo_path(plan: Plan) -> Path:
    """The logo file, relative to the workbook's folder."""
    return Path(plan.base_dir) / plan.logo.text.strip()


def load_plan(path: Path) -> tuple[Plan, tuple[Finding, ...]]:
    """Read a workbook and check it. Raises WorkbookError when it cannot be read at all."""
    plan = read_workbook(path)
    return plan, check_plan(plan)


def check_recipients(plan: Plan, severity: Severity = Severity.WARNING) -> tuple[Finding, ...]:
    """Findings for the sheet Sändlista: every address must be a valid e-mail address.

    Warnings for check and generate; send asks for errors, since it would mail no one there.
    """
    findings = []
    for recipient in plan.recipients:
        address = recipient.email.text.strip()
        if not address:
            findings.append(Finding(recipient.email.cell, "E-post saknas", severity))
        elif valid_address(address) is None:
            findings.append(Finding(recipient.email.cell, f'"{address}" är ingen giltig e-postadress', severity))
    return tuple(findings)


def valid_address(address: str) -> str | None:
    """The normalized form of a valid e-mail address, or None."""
    if len(address) > _MEMO_ADDRESS_CHARS:
        return _validated(address)
    return _remembered_address(address)


_MEMO_ADDRESS_CHARS = 320  # a recipient list is checked again with every plan: short addresses are remembered


@functools.lru_cache(maxsize=1024)
def _remembered_address(address: str) -> str | None:
    return _validated(address)


def _validated(address: str) -> str | None:
    from email_validator import EmailNotValidError, validate_email

    try:
        return str(validate_email(address, check_deliverability=False).normalized)
    except EmailNotValidError:
        return None
