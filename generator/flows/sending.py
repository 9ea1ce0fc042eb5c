"""The send flow both faces call: check, validate recipients and settings, render, compose, then send or draft."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

from generator.checks.core import check_recipients
from generator.delivery import mail
from generator.delivery.archive import archive_root, last_sent, store
from generator.delivery.smtp import SendReport, SmtpSettings, complete_settings, send
from generator.files.output import commit, refuse_locked
from generator.files.paths import Targets
from generator.flows.checking import Result
from generator.flows.generating import CALENDAR, _calendar_for, _render_staged, _staged_files, prepare, versions
from generator.plan.addresses import EmailAddress, read_address
from generator.plan.errors import FindingsError, MailError, PdfError, os_reason
from generator.plan.model import Finding, Plan, Severity
from generator.versions.changes import CHANGES_HEADING, compare
from generator.versions.history import next_snapshot, previous_version
from generator.versions.snapshot import Snapshot

Mode = Literal["send", "dry-run", "draft"]
MODES: tuple[Mode, ...] = ("send", "dry-run", "draft")


@dataclass(frozen=True)
class Recipient:
    """One address to send to, as sent (domain in IDNA form), the name it goes with, and where it was given."""

    address: str
    place: str
    name: str = ""

    @property
    def written(self) -> str:
        """As the letter's To: shows it: "Åsa Ödmark <asa@kommun.se>", or the bare address."""
        return str(EmailAddress(self.name, self.address))


@dataclass(frozen=True)
class Letter:
    """The e-mail for a plan: to whom, the message, and its plain text as the reader sees it."""

    recipients: tuple[str, ...]
    message: EmailMessage
    text: str
    places: Mapping[str, str]  # address -> where it was given (Sändlista!B4, --to), for messages about it


@dataclass(frozen=True)
class SendOutcome:
    """What send_plan did: the plan's result (files written, if any), to whom, the message, and the report."""

    result: Result
    recipients: tuple[str, ...]
    message: EmailMessage
    report: SendReport | None = None
    draft: Path | None = None
    news: str = ""               # what changed since the last send, at the top of the letter
    archive: Path | None = None  # the folder this send is kept in (delivery/archive.py)


def _recipient_findings(plan: Plan, only_extra: bool = False) -> list[Finding]:
    """Errors for Sändlista when send uses it: every address valid, the sheet readable (--to: _check_to)."""
    return [] if only_extra else list(check_recipients(plan, Severity.ERROR))


def _check_to(extra: Sequence[str]) -> None:
    """MailError naming --to, not the workbook, when an address given there is no valid address."""
    bad = [address for address in extra if read_address(address) is None]
    if bad:
        listed = ", ".join(f'"{address}"' for address in bad)
        what = "ingen giltig e-postadress" if len(bad) == 1 else "inga giltiga e-postadresser"
        raise MailError("--to", f"{listed} är {what}. Skriv adressen som namn@kommun.se eller "
                                "Namn <namn@kommun.se>.")


def _recipients_for(plan: Plan, extra: Sequence[str] = (), only_extra: bool = False) -> list[Recipient]:
    """Sändlista's addresses (with the names in Namn) and those given, each once regardless of case.

    MailError for a bad --to, FindingsError if Sändlista has a problem, MailError when there is no one.
    """
    _check_to(extra)
    findings = _recipient_findings(plan, only_extra)
    if findings:
        raise FindingsError(plan.source, findings)
    given = [] if only_extra else [(r.email.text, r.email.cell, r.name.text) for r in plan.recipients if r.email]
    given += [(address, "--to", "") for address in extra]
    unique: dict[str, Recipient] = {}
    for text, place, name in given:
        found = read_address(text)
        if found is not None:
            found = found.with_name(name)
            unique.setdefault(found.address.casefold(), Recipient(found.address, place, found.name))
    if not unique:
        raise MailError(plan.source, 'det finns ingen att skicka till. Fyll i bladet "Sändlista" '
                                     "(Namn, E-post) eller ange mottagare med --to.")
    return list(unique.values())


def letter_recipients(plan: Plan) -> tuple[str, ...]:
    """Whom a letter for the plan goes to (Sändlista's addresses, each once), as letter finds them.

    FindingsError for an address that is not valid, MailError when there is no one: what letter raises.
    """
    return tuple(r.address for r in _recipients_for(plan))


def letter(plan: Plan, attachments: Sequence[Path], *, to: Sequence[str] = (), to_only: bool = False,
           today: dt.date | None = None, sender: str | None = None, draft: bool = False, news: str = "",
           names: Mapping[str, str] | None = None) -> Letter:
    """The letter for a plan already made: to Sändlista (and to), its files attached.

    names: the attachments' names as the reader should see them, by file name (the web page
    keeps files under its own names). FindingsError/MailError when there is no one to send to.
    """
    today = today or dt.date.today()
    recipients = _recipients_for(plan, to, to_only)
    addresses = tuple(r.address for r in recipients)
    message = mail.compose(plan, [r.written for r in recipients], attachments, today, sender, draft=draft, news=news)
    for part in message.iter_attachments():
        shown = (names or {}).get(part.get_filename() or "")
        if shown:
            part.set_param("filename", shown, header="content-disposition")
    text = mail.body(plan, today, any(p.suffix == ".pdf" for p in attachments),
                     any(p.suffix == ".ics" for p in attachments), news, mail.signature(sender))
    return Letter(addresses, message, text, {r.address: r.place for r in recipients})


def post(composed: Letter, settings: SmtpSettings | None) -> SendReport:
    """Send a letter with the server's settings; MailError when they are incomplete or nothing could be sent."""
    return send(composed.message, complete_settings(settings), composed.recipients, composed.places)


def send_made(plan: Plan, attachments: Sequence[Path], settings: SmtpSettings | None,
              names: Mapping[str, str] | None = None, today: dt.date | None = None) -> tuple[Letter, SendReport]:
    """Mail a plan already made to Sändlista (the web page keeps the files it made, not the workbook).

    Nothing is written or archived: the page keeps nothing. MailError when the settings are incomplete.
    """
    settings = complete_settings(settings)
    composed = letter(plan, attachments, today=today, sender=settings.sender, names=names)
    return composed, post(composed, settings)


def send_plan(
    workbook: Path,
    *,
    mode: Mode,
    output: Path | str | None = None,
    template: Path | None = None,
    pdf: bool = False,
    to: Sequence[str] = (),
    to_only: bool = False,
    settings: SmtpSettings | None = None,
    sender: str | None = None,
    draft_path: Path | None = None,
    today: dt.date | None = None,
    ics: str | os.PathLike[str] | None = None,
) -> SendOutcome:
    """Make the plan and mail it ("send"), write it as an .eml draft ("draft"), or only show it ("dry-run").

    Everything is checked before the first file is written: the workbook, every recipient, the
    settings (send), the outputs against the inputs, LibreOffice for pdf. The document is
    rendered in a temporary folder; a dry run writes nothing, a draft writes the document and the
    .eml, a send puts the document in place once the server has accepted the message, and keeps
    what it sent in the archive. ics also writes the calendar and attaches it.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if mode == "send":
        settings = complete_settings(settings)
    if mode == "draft" and draft_path is None:
        raise MailError("--eml", "ange filen som utkastet ska skrivas till")
    _check_to(to)
    today = today or dt.date.today()
    calendar, calendar_findings = _calendar_for(workbook, ics, today)
    checked, targets = prepare(
        workbook, output, template, pdf,
        extra_findings=lambda plan: [*_recipient_findings(plan, to_only), *calendar_findings(plan)],
        extra_outputs={"utkastet": draft_path if mode == "draft" else None, CALENDAR: calendar},
    )
    snapshot, sent_before, notes = _versions(checked, targets, today)
    news = _letter_news(sent_before, snapshot)
    checked = Result(checked.plan, checked.findings + notes, version=snapshot)
    with tempfile.TemporaryDirectory(prefix="aktivitetsplan-") as folder:
        staged = _render_staged(checked, targets, template, Path(folder), today, snapshot)
        calendar_files: list[tuple[Path, Path]] = []
        if calendar is not None:
            from generator.delivery.ics import stage_calendar  # deferred: only sends with a calendar

            calendar_files = stage_calendar(checked.plan, calendar, Path(folder), today=today)
        attachments = [p for p in (staged.docx, staged.pdf) if p is not None] + [f for f, _ in calendar_files]
        composed = letter(checked.plan, attachments, to=to, to_only=to_only, today=today,
                          sender=sender or (settings.sender if settings else None), draft=mode == "draft",
                          news=_in_letter(news, snapshot))
        if mode == "dry-run":
            return SendOutcome(checked, composed.recipients, composed.message, news=news)
        files = _staged_files(staged, targets) + calendar_files
        written = Result(checked.plan, checked.findings, targets.docx, targets.pdf, snapshot,
                         calendar if calendar_files else None)
        if mode == "draft":
            assert draft_path is not None
            staged_draft = mail.write_draft(composed.message, Path(folder) / "utkast.eml")
            commit([*files, (staged_draft, draft_path)])
            return SendOutcome(written, composed.recipients, composed.message, draft=draft_path, news=news)
        for _, target in files:
            refuse_locked(target)  # before sending: the mail and the files on disk stay the same
        report = post(composed, settings)
        if not report.accepted:
            return SendOutcome(checked, composed.recipients, composed.message, report, news=news)
        commit(files)
        kept, problem = _archive(targets, attachments, composed.message, report)
        return SendOutcome(Result(written.plan, written.findings + problem, written.output, written.pdf, snapshot,
                                  written.calendar), composed.recipients, composed.message, report, news=news,
                           archive=kept)


def _versions(checked: Result, targets: Targets, today: dt.date) -> tuple[Snapshot, Snapshot | None,
                                                                          tuple[Finding, ...]]:
    """This send's version, the version last sent (None before the first send) and warnings.

    The document compares with the version last sent when there is one, else with the one it replaces.
    """
    root = archive_root(targets.docx)
    sent_before, problems = last_sent(root)
    notes = tuple(Finding(str(root), p, Severity.WARNING) for p in problems)
    if sent_before is None:
        snapshot, more = versions(checked.plan, targets, today)
        return snapshot, None, notes + more
    replaced, _ = previous_version(targets.docx)
    return next_snapshot(checked.plan, sent_before, today, replaced), sent_before, notes


def _letter_news(sent_before: Snapshot | None, snapshot: Snapshot) -> str:
    """The letter's first line: what changed since the last send ("" for a first send)."""
    if sent_before is None or not snapshot.plan:
        return ""
    line = compare(sent_before, snapshot).one_line()
    return line[0].upper() + line[1:] + ("" if line.endswith("…") else ".")


def _in_letter(news: str, snapshot: Snapshot) -> str:
    """The news as the letter puts it, with where to read more when the document tells the changes."""
    if news and snapshot.changes:
        return f"{news}\nMer om ändringarna står i avsnittet ”{CHANGES_HEADING}” i planen."
    return news


def _archive(targets: Targets, files: list[Path], message: EmailMessage, report: SendReport,
             ) -> tuple[Path | None, tuple[Finding, ...]]:
    """Keep what was sent; a disk that refuses is a warning, since the mail has gone already."""
    root = archive_root(targets.docx)
    try:
        kept = store(root, files, message, report.accepted, report.refused)
    except OSError as exc:
        return None, (Finding(str(root), f"planen skickades men kunde inte arkiveras ({os_reason(exc)})",
                              Severity.WARNING),)
    return kept, _archive_pdf(kept, targets)


def _archive_pdf(kept: Path, targets: Targets) -> tuple[Finding, ...]:
    """Every send is archived as PDF/A too: made from the archived document when none was sent."""
    from generator.delivery.pdf import convert_to_pdf  # deferred: LibreOffice's wrapper, only after a send

    if targets.pdf is not None:
        return ()  # the PDF/A that was sent is in the archive already
    document = kept / targets.docx.name
    try:
        convert_to_pdf(document, document.with_suffix(".pdf"))
    except PdfError as exc:
        return (Finding(str(kept), f"planen skickades och arkiverades, men utan PDF/A: {exc.message}",
                        Severity.WARNING),)
    return ()
