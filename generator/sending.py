"""The send flow, once for every face: check, validate recipients and settings, render, compose, send or draft."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

from generator import mail
from generator.errors import FindingsError, MailError
from generator.model import Finding, Plan, Severity
from generator.output import commit, refuse_locked
from generator.pipeline import Result, prepare, render_staged, staged_files

Mode = Literal["send", "dry-run", "draft"]
MODES: tuple[Mode, ...] = ("send", "dry-run", "draft")


@dataclass(frozen=True)
class Recipient:
    """One address to send to, as sent (domain in IDNA form), and where it was given."""

    address: str
    place: str


@dataclass(frozen=True)
class SendOutcome:
    """What send_plan did: the plan's result (files written, if any), to whom, the message, and the report."""

    result: Result
    recipients: tuple[str, ...]
    message: EmailMessage
    report: mail.SendReport | None = None
    draft: Path | None = None


def recipient_findings(plan: Plan, extra: Sequence[str] = (), only_extra: bool = False) -> list[Finding]:
    """Errors for every address send would use that is not a valid address."""
    from generator.checks import check_recipients

    findings = [] if only_extra else list(check_recipients(plan, Severity.ERROR))
    for address in extra:
        if mail.envelope_address(address) is None:
            findings.append(Finding("--to", f'"{address}" är ingen giltig e-postadress'))
    return findings


def recipients_for(plan: Plan, extra: Sequence[str] = (), only_extra: bool = False) -> list[Recipient]:
    """Sändlista's addresses and those given, each once regardless of case; FindingsError if any is invalid,
    MailError when there is no one."""
    findings = recipient_findings(plan, extra, only_extra)
    if findings:
        raise FindingsError(plan.source, findings)
    given = [] if only_extra else [(r.email.text, r.email.cell) for r in plan.recipients if r.email]
    given += [(address, "--to") for address in extra]
    unique: dict[str, Recipient] = {}
    for text, place in given:
        address = mail.envelope_address(text)
        if address is not None:
            unique.setdefault(address.casefold(), Recipient(address, place))
    if not unique:
        raise MailError(plan.source, 'det finns ingen att skicka till. Fyll i bladet "Sändlista" '
                                     "(Namn, E-post) eller ange mottagare med --to.")
    return list(unique.values())


def complete_settings(settings: mail.SmtpSettings | None) -> mail.SmtpSettings:
    """The settings, or MailError naming what is missing before anything is written or sent."""
    if settings is None or not settings.host.strip():
        raise MailError("send", "ingen e-postserver angiven. Ange --smtp-host eller miljövariabeln "
                                "AKTIVITETSPLAN_SMTP_HOST, eller skriv ett utkast med --eml.")
    if not settings.sender.strip():
        raise MailError("send", "ingen avsändare angiven. Ange --from eller miljövariabeln AKTIVITETSPLAN_SMTP_FROM.")
    if mail.envelope_address(settings.sender) is None:
        raise MailError("--from", f'"{settings.sender}" är ingen giltig e-postadress')
    if settings.user and settings.password is None:
        raise MailError("send", f"lösenord saknas för {settings.user}. Sätt miljövariabeln "
                                "AKTIVITETSPLAN_SMTP_PASSWORD eller kör kommandot i en terminal, så frågar det.")
    return settings


def send_plan(
    workbook: Path,
    *,
    mode: Mode,
    output: Path | str | None = None,
    template: Path | None = None,
    pdf: bool = False,
    to: Sequence[str] = (),
    to_only: bool = False,
    settings: mail.SmtpSettings | None = None,
    sender: str | None = None,
    draft_path: Path | None = None,
    today: dt.date | None = None,
    ics: str | os.PathLike[str] | None = None,
) -> SendOutcome:
    """Make the plan and mail it ("send"), write it as an .eml draft ("draft"), or only show it ("dry-run").

    Everything is checked before the first file is written: the workbook, every recipient, the
    settings (send), the outputs against the inputs, LibreOffice for pdf. The document is
    rendered in a temporary folder; a dry run writes nothing, a draft writes the document and the
    .eml, a send puts the document in place once the server has accepted the message.
    ics also writes the calendar (icsexport.calendar_target) and attaches it.
    """
    from generator import icsexport

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if mode == "send":
        settings = complete_settings(settings)
    if mode == "draft" and draft_path is None:
        raise MailError("--eml", "ange filen som utkastet ska skrivas till")
    today = today or dt.date.today()
    calendar = icsexport.calendar_target(workbook, ics)
    checked, targets = prepare(
        workbook, output, template, pdf,
        extra_findings=lambda plan: recipient_findings(plan, to, to_only) + icsexport.findings_for(calendar)(plan),
        extra_outputs={"utkastet": draft_path if mode == "draft" else None, icsexport.LABEL: calendar},
    )
    recipients = recipients_for(checked.plan, to, to_only)
    addresses = [r.address for r in recipients]
    from_address = sender or (settings.sender if settings else None)
    with tempfile.TemporaryDirectory(prefix="aktivitetsplan-") as folder:
        staged = render_staged(checked, targets, template, Path(folder), today)
        calendar_files = icsexport.stage_calendar(checked.plan, calendar, Path(folder))
        attachments = [p for p in (staged.docx, staged.pdf) if p is not None] + [f for f, _ in calendar_files]
        message = mail.compose(checked.plan, addresses, attachments, today, from_address, draft=mode == "draft")
        if mode == "dry-run":
            return SendOutcome(checked, tuple(addresses), message)
        files = staged_files(staged, targets) + calendar_files
        written = Result(checked.plan, checked.findings, targets.docx, targets.pdf)
        if mode == "draft":
            assert draft_path is not None
            staged_draft = mail.write_draft(message, Path(folder) / "utkast.eml")
            commit([*files, (staged_draft, draft_path)])
            return SendOutcome(written, tuple(addresses), message, draft=draft_path)
        assert settings is not None
        for _, target in files:
            refuse_locked(target)  # before sending: the mail and the files on disk stay the same
        report = mail.send(message, settings, addresses, {r.address: r.place for r in recipients})
        if not report.accepted:
            return SendOutcome(checked, tuple(addresses), message, report)
        commit(files)
        return SendOutcome(written, tuple(addresses), message, report)
