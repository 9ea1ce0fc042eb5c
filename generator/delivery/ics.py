"""The plan as an iCalendar file (RFC 5545): one all-day event per dated activity, stable across versions."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.files.paths import is_folder_spec
from generator.plan.dates import activity_period
from generator.plan.errors import OutputPathError
from generator.plan.model import Activity, Finding, Plan, Severity
from generator.plan.values import normalize_name
from generator.template.context import plan_title

ICS = ".ics"
PRODID = f"-//aktivitetsplan//aktivitetsplan {__version__}//SV"
UID_DOMAIN = "aktivitetsplan"
DONE, PLANNED = "Klar", "Planerad"
# SEQUENCE counts minutes since this moment: it grows with every export, so a calendar that
# already holds an event takes the newer version as an update (RFC 5545 3.8.7.4).
_SEQUENCE_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Dated:
    """An activity with the days it takes: start and end inclusive; open_end when Tid says "pågående"."""

    activity: Activity
    start: dt.date
    end: dt.date
    open_end: bool = False


def dated_activities(plan: Plan, today: dt.date | None = None) -> tuple[list[Dated], list[Activity]]:
    """The activities with a start day, and those without one (empty or unreadable Tid, or only "pågående").

    A Tid without a year is in the plan's year, as everywhere (plan/dates.py; today's year when
    Datum has none). An open end ("hösten 2018 – pågående") is dated on its start day only.
    """
    dated, undated = [], []
    for activity in plan.activities:
        period = activity_period(activity, plan, today)
        if period is None or period.start is None:
            undated.append(activity)
            continue
        dated.append(Dated(activity, period.start, period.end or period.start, period.open_end))
    return dated, undated


def _undated_findings(plan: Plan, today: dt.date | None = None) -> list[Finding]:
    """A warning for each activity that has text in Tid but does not get an event, and for a calendar without any."""
    dated, undated = dated_activities(plan, today)
    findings = [Finding(a.time.cell or f"Aktiviteter!rad {a.row}",
                        f"”{' '.join(a.activity.text.split())}” kommer inte med i kalendern: tiden "
                        f"”{a.time.text.strip()}” har inget startdatum som kan läsas", Severity.WARNING)
                for a in undated if a.time]
    if not dated:
        findings.append(Finding("--ics", "ingen aktivitet har en tid som kan läsas, så kalenderfilen skrevs inte "
                                         "(en kalender utan händelser är ingen giltig .ics-fil)", Severity.WARNING))
    return findings


def _event_uids(plan: Plan, activities: Sequence[Activity]) -> list[str]:
    """A UID for each activity that stays the same between versions of the plan.

    It is made of the kommun, the project and the activity's text, compared without regard to
    case and spacing: a calendar that imports the file again updates its events. Renaming the
    activity makes a new event. Activities with the same text are told apart by their order.
    """
    seen: Counter[str] = Counter()
    uids = []
    for activity in activities:
        key = "\x1f".join(normalize_name(v.text) for v in (plan.municipality, plan.project, activity.activity))
        seen[key] += 1
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        suffix = "" if seen[key] == 1 else f"-{seen[key]}"
        uids.append(f"{digest}{suffix}@{UID_DOMAIN}")
    return uids


def _calendar_name(plan: Plan) -> str:
    project = " ".join(plan.project.text.split())
    title = " ".join(plan_title(plan).split())
    return f"{title} – {project}" if project and project.casefold() not in title.casefold() else title


def _description(item: Dated) -> str:
    activity = item.activity
    lines = [f"{label}: {' '.join(value.text.split())}" for label, value in (
        ("Syfte", activity.purpose), ("Kanal", activity.channel), ("Ansvarig", activity.responsible),
        ("Tid", activity.time)) if value]
    if item.open_end:
        lines.append("Pågående, utan slutdatum: händelsen visar startdagen.")
    lines.append(f"Status: {DONE if activity.done else PLANNED}")
    return "\n".join(lines)


def calendar_bytes(plan: Plan, stamp: dt.datetime | None = None, today: dt.date | None = None) -> bytes:
    """The iCalendar file: METHOD:PUBLISH, one all-day VEVENT per dated activity, CRLF and folded lines."""
    from icalendar import Calendar, Event  # deferred: loaded only by a run that writes a calendar

    stamp = (stamp or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _calendar_name(plan)
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    dated, _ = dated_activities(plan, today)
    sequence = int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60)
    for item, uid in zip(dated, _event_uids(plan, [d.activity for d in dated])):
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", max(sequence, 0))
        event.add("dtstart", item.start)
        event.add("dtend", item.end + dt.timedelta(days=1))  # DTEND of a date is the day after (exclusive)
        event.add("summary", " ".join(item.activity.activity.text.split()))
        event.add("description", _description(item))
        event.add("categories", [DONE if item.activity.done else PLANNED])
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")  # a plan's activity does not make anyone busy
        event.add("x-microsoft-cdo-alldayevent", "TRUE")
        event.add("x-microsoft-cdo-busystatus", "FREE")
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_target(workbook: Path, ics: str | os.PathLike[str] | None) -> Path | None:
    """Where --ics writes: a folder gives <folder>/<name>.ics, no suffix gets .ics; another suffix is refused."""
    if ics is None or os.fspath(ics) == "":
        return None
    if is_folder_spec(ics):
        return Path(ics) / f"{workbook.stem}{ICS}"
    path = Path(ics)
    if path.suffix.lower() == ICS:
        return path
    if path.suffix == "":
        return path.with_name(path.name + ICS)
    raise OutputPathError(path, f'"{path.suffix}" går inte att använda för kalendern. Kalenderfilen ska sluta på .ics.')


def stage_calendar(plan: Plan, target: Path | None, folder: Path,
                   stamp: dt.datetime | None = None, today: dt.date | None = None) -> list[tuple[Path, Path]]:
    """Write the calendar into folder; the (finished file, target) pair for output.commit, or none.

    RFC 5545 wants at least one event: a plan without a dated activity writes no calendar.
    """
    if target is None or not dated_activities(plan, today)[0]:
        return []
    staged = folder / (target.stem + ICS)
    staged.write_bytes(calendar_bytes(plan, stamp, today))
    return [(staged, target)]


def findings_for(target: Path | None, today: dt.date | None = None) -> Callable[[Plan], list[Finding]]:
    """The extra findings of a run that writes the calendar (generate.prepare's extra_findings)."""
    return (lambda plan: _undated_findings(plan, today)) if target is not None else lambda plan: []
