"""Check a plan read from a workbook: every finding with its place, errors apart from warnings."""

from __future__ import annotations

from pathlib import Path

from generator.checks.content import content_findings
from generator.checks.images import _image_size
from generator.plan.addresses import read_address
from generator.plan.errors import ImageError
from generator.plan.model import Finding, Plan, Severity
from generator.plan.values import normalize_name, parse_done
from generator.workbook.reader import SHEET_ACTIVITIES, SHEET_PLAN, SHEET_RECIPIENTS, read_workbook


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
                f'"{activity.done_mark.text.strip()}" förstås inte som klar eller inte klar; skriv Ja (eller Klar) '
                "när aktiviteten är klar, annars lämna cellen tom. Raden räknas som inte klar.",
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
                _image_size(path)
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
    """Findings for the sheet Sändlista: every address must be a valid e-mail address (plan.addresses).

    Warnings for check and generate; send asks for errors, since it would mail no one there: then
    what reading the sheet found (its header, say) is repeated as an error too.
    """
    findings = []
    if severity is Severity.ERROR:
        findings += [Finding(f.place, f.message, severity) for f in plan.findings if _on_recipients(f.place)]
    for recipient in plan.recipients:
        address = recipient.email.text.strip()
        if not address:
            findings.append(Finding(recipient.email.cell, "E-post saknas", severity))
        elif read_address(address) is None:
            findings.append(Finding(recipient.email.cell, f'"{address}" är ingen giltig e-postadress', severity))
    return tuple(findings)


def _on_recipients(place: str) -> bool:
    """Whether a finding's place is on the sheet Sändlista ("Sändlista!B3", "Sändlista")."""
    return normalize_name(place.split("!", 1)[0]) == normalize_name(SHEET_RECIPIENTS)
