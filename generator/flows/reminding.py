"""Reminders: each owner (Ansvarig) gets one letter with their activities starting soon and those overdue."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

from generator.delivery import mail
from generator.delivery.smtp import SmtpSettings, complete_settings, send
from generator.files.paths import check_targets
from generator.flows.checking import check_workbook
from generator.plan.addresses import EmailAddress, read_address
from generator.plan.dates import activity_period
from generator.plan.errors import FindingsError, MailError, OutputPathError
from generator.plan.model import Activity, Finding, Plan, Severity
from generator.plan.values import long_date, normalize_name, split_names
from generator.template.context import plan_title

Mode = Literal["send", "dry-run", "draft"]
DEFAULT_DAYS = 14


@dataclass(frozen=True)
class Due:
    """One activity an owner is reminded of: starting on start, or overdue since end."""

    activity: Activity
    start: dt.date | None
    end: dt.date | None
    overdue: bool

    @property
    def text(self) -> str:
        return " ".join(self.activity.activity.text.split())


@dataclass(frozen=True)
class Reminder:
    """One letter: to whom (address as sent), the name to greet, where the address came from, what is due."""

    address: str
    name: str
    place: str
    starting: tuple[Due, ...]
    overdue: tuple[Due, ...]
    message: EmailMessage


@dataclass(frozen=True)
class RemindOutcome:
    """What remind did: the letters, the warnings, and per address whether the server took it."""

    plan: Plan
    warnings: tuple[Finding, ...]
    reminders: tuple[Reminder, ...]
    sent: tuple[str, ...] = ()
    refused: dict[str, str] = field(default_factory=dict)
    drafts: tuple[Path, ...] = ()


@dataclass
class _Letter:
    address: str
    name: str
    place: str
    due: dict[int, Due] = field(default_factory=dict)


def due_activities(plan: Plan, today: dt.date, days: int = DEFAULT_DAYS) -> tuple[list[Due], list[Finding]]:
    """Activities not done (nor cancelled) that start within the coming days (today included) or have ended.

    Tid is read as everywhere (plan/dates.py): a missing year is the plan's year, else today's.
    An activity whose Tid cannot be read is a warning: no one is reminded of it.
    """
    horizon = today + dt.timedelta(days=days)
    due, findings = [], []
    for activity in plan.activities:
        if activity.done or activity.cancelled or not activity.time:
            continue
        period = activity_period(activity, plan, today)
        if period is None:
            findings.append(Finding(activity.time.cell, f"tiden ”{activity.time.text.strip()}” kan inte läsas som "
                                                        "datum, så ingen påminns om aktiviteten", Severity.WARNING))
            continue
        if period.end is not None and period.end < today:
            due.append(Due(activity, period.start, period.end, overdue=True))
        elif period.start is not None and today <= period.start <= horizon:
            due.append(Due(activity, period.start, period.end, overdue=False))
    return due, findings


def _directory(plan: Plan) -> tuple[dict[str, list[tuple[str, str, str]]], dict[str, str]]:
    """Sändlista by name (normalised) -> [(address, name, cell)], and name by address (casefolded).

    A first name finds its person too when only one person on the list has it ("Bo" finds
    "Bo Andersson"), unless someone's whole name is that word.
    """
    by_name: dict[str, list[tuple[str, str, str]]] = {}
    by_first: dict[str, list[tuple[str, str, str]]] = {}
    name_of: dict[str, str] = {}
    for recipient in plan.recipients:
        found = read_address(recipient.email.text)
        if found is None:
            continue
        found = found.with_name(recipient.name.text)
        address, name = found.address, found.name
        if name:
            entry = (address, name, recipient.email.cell)
            by_name.setdefault(normalize_name(name), []).append(entry)
            if len(name.split()) > 1:
                by_first.setdefault(normalize_name(name.split()[0]), []).append(entry)
            name_of.setdefault(address.casefold(), name)
    for first, entries in by_first.items():
        if len({address.casefold() for address, _, _ in entries}) == 1:
            by_name.setdefault(first, entries[:1])
    return by_name, name_of


def _addressed(owner: str, name_of: dict[str, str]) -> tuple[str, str] | None:
    """(address, name) when the owner is written as an e-mail address: "anna@x.se" or "Anna A <anna@x.se>"."""
    found = read_address(owner)
    if found is None:
        return None
    return found.address, found.name or name_of.get(found.address.casefold(), "")


def plan_reminders(plan: Plan, today: dt.date, days: int = DEFAULT_DAYS,
                   sender: str | None = None, draft: bool = False) -> tuple[list[Reminder], list[Finding]]:
    """One letter per owner with something due, and warnings for owners who cannot be reached.

    An owner is a name in Ansvarig (several separated by , ; or line breaks), matched to Sändlista's
    Namn regardless of case and spacing, or an e-mail address written in Ansvarig.
    """
    due, findings = due_activities(plan, today, days)
    by_name, name_of = _directory(plan)
    letters: dict[str, _Letter] = {}
    for item in due:
        cell = item.activity.responsible.cell or item.activity.activity.cell
        owners = split_names(item.activity.responsible.text)
        if not owners:
            findings.append(Finding(cell, f"”{item.text}” har ingen Ansvarig, så ingen påminns om den",
                                    Severity.WARNING))
        for owner in owners:
            addressed = _addressed(owner, name_of)
            matches = [(addressed[0], addressed[1], cell)] if addressed else by_name.get(normalize_name(owner), [])
            if not matches:
                findings.append(Finding(cell, f"”{owner}” finns inte med Namn och E-post i Sändlista, så ingen "
                                              f"påminnelse om ”{item.text}” skickas", Severity.WARNING))
            for address, name, place in matches:
                letter = letters.setdefault(address.casefold(), _Letter(address, name, place))
                letter.due.setdefault(item.activity.row, item)
    reminders = []
    for letter in letters.values():
        items = list(letter.due.values())
        starting = tuple(sorted((d for d in items if not d.overdue), key=lambda d: (d.start or today, d.text)))
        overdue = tuple(sorted((d for d in items if d.overdue), key=lambda d: (d.end or today, d.text)))
        message = mail.new_message(subject(plan), [str(EmailAddress(letter.name, letter.address))], sender, draft)
        message.set_content(body(plan, letter.name, starting, overdue, days, mail.signature(sender)))
        reminders.append(Reminder(letter.address, letter.name, letter.place, starting, overdue, message))
    return reminders, findings


def subject(plan: Plan) -> str:
    return mail.one_line(f"Påminnelse: dina aktiviteter i {plan_title(plan)}")


def _line(item: Due) -> str:
    when = item.activity.time.text.strip()
    if item.overdue:
        detail = f"skulle vara klar {long_date(item.end)}" if item.end else "tiden har gått ut"
    else:
        detail = f"börjar {long_date(item.start)}" if item.start else "börjar snart"
    extra = ", ".join(" ".join(v.text.split()) for v in (item.activity.channel,) if v)
    return f"- {item.text} – {detail} ({' '.join(when.split())}{', ' + extra if extra else ''})"


def _plan_name(plan: Plan) -> str:
    title = " ".join(plan_title(plan).split())
    municipality = " ".join(plan.municipality.text.split())
    return title if municipality.casefold() in title.casefold() else f"{title} ({municipality})"


def body(plan: Plan, name: str, starting: Sequence[Due], overdue: Sequence[Due], days: int, signed: str = "") -> str:
    """The letter in Swedish: greeting, what starts soon, what is overdue, how to mark done."""
    first = name.split()[0] if name.split() else ""
    lines = [f"Hej {first}!" if first else "Hej!", "",
             f"Det här är en påminnelse om dina aktiviteter i {_plan_name(plan)}.", ""]
    if starting:
        lines.append(f"Börjar inom {days} {'dag' if days == 1 else 'dagar'}:")
        lines += [_line(item) for item in starting]
        lines.append("")
    if overdue:
        lines.append("Försenade – tiden har gått ut men aktiviteten är inte markerad som klar:")
        lines += [_line(item) for item in overdue]
        lines.append("")
    lines += ["Är något redan gjort? Skriv Ja i kolumnen Klar i arbetsboken, så kommer det inte med nästa gång.",
              *mail.closing(signed)]
    return "\n".join(lines)


def _draft_name(reminder: Reminder) -> str:
    """The file name of an owner's draft: paminnelse-anna-andersson.eml (ASCII, from the name or address)."""
    source = reminder.name or reminder.address.split("@")[0]
    ascii_text = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")[:60] or "mottagare"
    return f"paminnelse-{slug}.eml"


def _draft_paths(reminders: Sequence[Reminder], folder: Path) -> list[Path]:
    """A distinct draft file per letter in folder (a number added when two names give the same file)."""
    paths: list[Path] = []
    taken: set[str] = set()
    for reminder in reminders:
        name, number = _draft_name(reminder), 2
        while name.casefold() in taken:
            name, number = _draft_name(reminder).replace(".eml", f"-{number}.eml"), number + 1
        taken.add(name.casefold())
        paths.append(folder / name)
    return paths


def remind(
    workbook: Path,
    *,
    mode: Mode,
    days: int = DEFAULT_DAYS,
    today: dt.date | None = None,
    settings: SmtpSettings | None = None,
    sender: str | None = None,
    draft_folder: Path | None = None,
) -> RemindOutcome:
    """Remind each owner: send the letters ("send"), write them as .eml drafts ("draft"), or only show them.

    Settings and the workbook are checked before anything is sent or written. The first letter
    that cannot be sent at all stops the run (MailError); a later one is reported as refused.
    """
    if mode == "send":
        settings = complete_settings(settings)
    if mode == "draft" and draft_folder is None:
        raise MailError("--eml", "ange mappen som utkasten ska skrivas till")
    checked = check_workbook(workbook)
    if checked.errors:
        raise FindingsError(workbook, checked.findings)
    plan = checked.plan
    from_address = sender or (settings.sender if settings else None)
    reminders, findings = plan_reminders(plan, today or dt.date.today(), days, from_address, draft=mode == "draft")
    warnings = (*checked.warnings, *findings)
    if mode == "dry-run":
        return RemindOutcome(plan, warnings, tuple(reminders))
    if mode == "draft":
        assert draft_folder is not None
        if draft_folder.exists() and not draft_folder.is_dir():
            raise OutputPathError(draft_folder, "är en fil, inte en mapp. Ange en mapp för utkasten med --eml.")
        paths = _draft_paths(reminders, draft_folder)
        check_targets({"arbetsboken": workbook}, [(f"utkastet till {r.address}", p) for r, p in zip(reminders, paths)])
        for reminder, path in zip(reminders, paths):
            path.parent.mkdir(parents=True, exist_ok=True)
            mail.write_draft(reminder.message, path)
        return RemindOutcome(plan, warnings, tuple(reminders), drafts=tuple(paths))
    assert settings is not None
    sent: list[str] = []
    refused: dict[str, str] = {}
    for reminder in reminders:
        try:
            report = send(reminder.message, settings, [reminder.address], {reminder.address: reminder.place})
        except MailError as error:
            if not sent and not refused:
                raise
            refused[reminder.address] = error.message
            continue
        sent += report.accepted
        refused.update(report.refused)
    return RemindOutcome(plan, warnings, tuple(reminders), tuple(sent), refused)
