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
from generator.paths import Targets
from generator.pipeline import Result, prepare, render_staged, staged_files, versions
from generator.snapshot import Snapshot

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
    news: str = ""               # what changed since the last send, at the top of the letter
    archive: Path | None = None  # the folder this send is kept in (archive.py)


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
    snapshot, sent_before, notes = _versions(checked, targets, today)
    news = letter_news(sent_before, snapshot)
    checked = Result(checked.plan, checked.findings + notes, version=snapshot)
    with tempfile.TemporaryDirectory(prefix="aktivitetsplan-") as folder:
        staged = render_staged(checked, targets, template, Path(folder), today, snapshot)
        calendar_files = icsexport.stage_calendar(checked.plan, calendar, Path(folder))
        attachments = [p for p in (staged.docx, staged.pdf) if p is not None] + [f for f, _ in calendar_files]
        message = mail.compose(checked.plan, addresses, attachments, today, from_address, draft=mode == "draft",
                               news=_in_letter(news, snapshot))
        if mode == "dry-run":
            return SendOutcome(checked, tuple(addresses), message, news=news)
        files = staged_files(staged, targets) + calendar_files
        written = Result(checked.plan, checked.findings, targets.docx, targets.pdf, snapshot)
        if mode == "draft":
            assert draft_path is not None
            staged_draft = mail.write_draft(message, Path(folder) / "utkast.eml")
            commit([*files, (staged_draft, draft_path)])
            return SendOutcome(written, tuple(addresses), message, draft=draft_path, news=news)
        assert settings is not None
        for _, target in files:
            refuse_locked(target)  # before sending: the mail and the files on disk stay the same
        report = mail.send(message, settings, addresses, {r.address: r.place for r in recipients})
        if not report.accepted:
            return SendOutcome(checked, tuple(addresses), message, report, news=news)
        commit(files)
        kept, problem = _archive(targets, attachments, message, report)
        return SendOutcome(Result(written.plan, written.findings + problem, written.output, written.pdf, snapshot),
                           tuple(addresses), message, report, news=news, archive=kept)


def _versions(checked: Result, targets: Targets, today: dt.date) -> tuple[Snapshot, Snapshot | None,
                                                                          tuple[Finding, ...]]:
    """This send's version, the version last sent (None before the first send) and warnings.

    The document compares with the version last sent when there is one, else with the one it replaces.
    """
    from generator.archive import archive_root, last_sent
    from generator.docxparts import previous_version
    from generator.snapshot import next_snapshot

    root = archive_root(targets.docx)
    sent_before, problems = last_sent(root)
    notes = tuple(Finding(str(root), p, Severity.WARNING) for p in problems)
    if sent_before is None:
        snapshot, more = versions(checked.plan, targets, today)
        return snapshot, None, notes + more
    replaced, _ = previous_version(targets.docx)
    return next_snapshot(checked.plan, sent_before, today, replaced), sent_before, notes


def letter_news(sent_before: Snapshot | None, snapshot: Snapshot) -> str:
    """The letter's first line: what changed since the last send ("" for a first send)."""
    from generator.changes import compare

    if sent_before is None or not snapshot.plan:
        return ""
    line = compare(sent_before, snapshot).one_line()
    return line[0].upper() + line[1:] + ("" if line.endswith("…") else ".")


def _in_letter(news: str, snapshot: Snapshot) -> str:
    """The news as the letter puts it, with where to read more when the document tells the changes."""
    from generator.changes import CHANGES_HEADING

    if news and snapshot.changes:
        return f"{news}\nAllt står i avsnittet ”{CHANGES_HEADING}” i planen."
    return news


def _archive(targets: Targets, files: list[Path], message: EmailMessage, report: mail.SendReport,
             ) -> tuple[Path | None, tuple[Finding, ...]]:
    """Keep what was sent; a disk that refuses is a warning, since the mail has gone already."""
    from generator.archive import archive_root, store

    root = archive_root(targets.docx)
    try:
        kept = store(root, files, message, report.accepted, report.refused)
    except OSError as exc:
        return None, (Finding(str(root), f"planen skickades men kunde inte arkiveras ({exc.strerror or exc})",
                              Severity.WARNING),)
    return kept, _archive_pdf(kept, targets)


def _archive_pdf(kept: Path, targets: Targets) -> tuple[Finding, ...]:
    """Every send is archived as PDF/A too: made from the archived document when none was sent."""
    from generator.errors import PdfError
    from generator.pdf import convert_to_pdf

    if targets.pdf is not None:
        return ()  # the PDF/A that was sent is in the archive already
    document = kept / targets.docx.name
    try:
        convert_to_pdf(document, document.with_suffix(".pdf"))
    except PdfError as exc:
        return (Finding(str(kept), f"planen skickades och arkiverades, men utan PDF/A: {exc.message}",
                        Severity.WARNING),)
    return ()
