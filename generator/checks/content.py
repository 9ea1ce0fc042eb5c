"""Checks of the plan's content: target groups and their reach, Tid, Ansvarig, follow-up and Plan options."""

from __future__ import annotations

import datetime as dt
import difflib

from generator.plan.analysis import uses_channel
from generator.plan.dates import (
    PlanYear,
    follow_up_date,
    has_ended,
    read_activity_time,
    read_plan_year,
    reference_day,
)
from generator.plan.model import Activity, Finding, Plan, Severity, TargetGroup
from generator.plan.schema import ACTIVITIES, PLAN, TARGET_GROUPS
from generator.plan.values import normalize_name, split_names

WARNING = Severity.WARNING
PRIMARY = frozenset({"primär", "primar", "1"})
PRIORITIES = PRIMARY | frozenset({"sekundär", "sekundar", "2", "3"})
SORT_ORDERS = {normalize_name(c): c for c in PLAN.column("Sortering").choices}


def content_findings(plan: Plan, today: dt.date | None = None) -> list[Finding]:
    """Warnings about what the plan says (never errors except a target group without a name)."""
    findings = _plan_options(plan, today)
    findings += _activity_cells(plan)
    findings += _times(plan, today)
    if plan.target_groups:
        findings += _target_groups(plan)
    return findings


def _activity_cells(plan: Plan) -> list[Finding]:
    """An activity without Tid or Ansvarig: one warning per cell (the column's name where it is missing).

    A cell reading already said something about (a formula error shown empty) is not warned again.
    """
    findings: list[Finding] = []
    noted = {f.place for f in plan.findings}
    for header, attr in (("Tid", "time"), ("Ansvarig", "responsible")):
        empty = [a for a in plan.activities
                 if a.activity and not getattr(a, attr) and getattr(a, attr).cell not in noted]
        if empty and not getattr(empty[0], attr).cell:  # no such column at all: say it once
            findings.append(Finding(ACTIVITIES.name, f"kolumnen {header} saknas; skriv {_what(header)} för "
                                                     "varje aktivitet", WARNING))
            continue
        findings += [Finding(getattr(a, attr).cell, f"{header} saknas; skriv {_what(header)}", WARNING)
                     for a in empty]
    return findings


def _what(header: str) -> str:
    return "när aktiviteten görs" if header == "Tid" else "vem som ser till att aktiviteten blir gjord"


def _times(plan: Plan, today: dt.date | None) -> list[Finding]:
    """Unreadable Tid cells, the year taken from Datum (once), and follow-up values missing after the end."""
    findings: list[Finding] = []
    assumed: Activity | None = None
    day = reference_day(plan, today)
    for activity in plan.activities:
        if not activity.time:
            continue
        reading = read_activity_time(activity, plan, today)
        text = _shorten(activity.time.text.strip())
        if reading.period is None:
            findings.append(Finding(activity.time.cell, f"Tid ”{text}” kan inte läsas som en period: "
                                    f"{reading.problem}. Texten visas i dokumentet som den står.", WARNING))
            continue
        if reading.period.year_assumed and assumed is None:
            assumed = activity
        if (activity.target_value and not activity.outcome and not activity.cancelled
                and has_ended(reading.period, day)):
            findings.append(Finding(
                activity.outcome.cell or activity.target_value.cell,
                f"perioden ”{text}” är slut men Utfall saknas "
                f"(Målvärde ”{_shorten(activity.target_value.text.strip())}”); skriv vad det blev", WARNING))
    if assumed is not None:
        year = read_plan_year(plan, today)
        findings.append(Finding(assumed.time.cell, f"Tid utan år räknas till {year.year}, {_year_source(plan, year)}",
                                WARNING))
    return findings


def _year_source(plan: Plan, year: PlanYear) -> str:
    """Where the plan's year came from, as the warning says it: Datum's date, a year in its text, or today."""
    written = _shorten(plan.date.text.strip())
    if year.source == "date":
        return f"planens år ({plan.date.cell})"
    if year.source == "text":
        return f"året i Datum ({plan.date.cell}: ”{written}”)"
    if written:
        return f"i år ({plan.date.cell}: Datum ”{written}” har inget år)"
    return "i år (Datum saknas)"


def _plan_options(plan: Plan, today: dt.date | None) -> list[Finding]:
    findings: list[Finding] = []
    written = plan.date.text.strip()
    if written and read_plan_year(plan, today).source == "today":  # neither a date nor a year in it
        findings.append(Finding(plan.date.cell, f"Datum ”{_shorten(written)}” kan inte läsas som ett datum "
                                "med år; skriv t.ex. 2019-03-15. Dokumentet visar texten som den står, och Tid utan år "
                                "räknas till i år.",
                                WARNING))
    order = plan.sort_order.text.strip()
    if order and normalize_name(order) not in SORT_ORDERS:
        findings.append(Finding(plan.sort_order.cell, f"Sortering ”{_shorten(order)}” förstås inte; skriv "
                                + " eller ".join(SORT_ORDERS.values()) + ". Tabellen står i arbetsbokens ordning.",
                                WARNING))
    follow_up = plan.follow_up_date.text.strip()
    if follow_up and follow_up_date(plan) is None:
        findings.append(Finding(plan.follow_up_date.cell, f"Uppföljningsdatum ”{_shorten(follow_up)}” är inget "
                                "datum; skriv t.ex. 2019-06-30. Uppföljningen räknas till dagens datum.", WARNING))
    return findings


def _target_groups(plan: Plan) -> list[Finding]:
    findings: list[Finding] = []
    groups: dict[str, TargetGroup] = {}
    for group in plan.target_groups:
        name = normalize_name(group.name.text)
        if not name:
            findings.append(Finding(group.name.cell, "Målgrupp saknas"))
        elif name in groups:
            findings.append(Finding(group.name.cell, f"målgruppen {group.name.text.strip()} finns redan på "
                                    f"{groups[name].name.cell}; raderna räknas som en", WARNING))
        else:
            groups[name] = group
        priority = group.priority.text.strip()
        if priority and normalize_name(priority) not in PRIORITIES:
            findings.append(Finding(group.priority.cell, f"Prioritet ”{_shorten(priority)}” förstås inte; skriv "
                                    "Primär, Sekundär eller 1–3", WARNING))
    reached: dict[str, list[Activity]] = {name: [] for name in groups}
    for activity in plan.activities:
        for name in split_names(activity.target_groups.text):
            key = normalize_name(name)
            if key in reached:
                reached[key].append(activity)
            else:
                findings.append(Finding(activity.target_groups.cell, _unknown_group(name, groups), WARNING))
    for key, group in groups.items():
        name = group.name.text.strip()
        if not reached[key]:
            if not plan.activities and any(f.is_error for f in plan.findings):
                continue  # the activities could not be read at all (the sheet is missing): that error is enough
            findings.append(Finding(group.name.cell, f"ingen aktivitet når målgruppen {name}; skriv den i "
                                    "kolumnen Målgrupp på bladet Aktiviteter", WARNING))
        elif normalize_name(group.priority.text) in PRIMARY:
            missing = [c for c in split_names(group.channels.text)
                       if not any(uses_channel(a, c) for a in reached[key])]
            if missing:
                noun = "kanalen" if len(missing) == 1 else "kanalerna"
                findings.append(Finding(group.channels.cell, f"den primära målgruppen {name} har ingen aktivitet "
                                        f"i {noun} {_join(missing)}", WARNING))
    return findings


def _unknown_group(name: str, groups: dict[str, TargetGroup]) -> str:
    """The warning for a name not on Målgrupper, with the closest name when one is close."""
    message = f"målgruppen ”{_shorten(name)}” finns inte på bladet {TARGET_GROUPS.name}"
    close = difflib.get_close_matches(normalize_name(name), list(groups), n=1, cutoff=0.6) if len(name) <= 100 else []
    if close:
        message += f" – menade du {groups[close[0]].name.text.strip()}?"
    return message


def _shorten(text: str, limit: int = 60) -> str:
    """A cell's text as quoted in a message: its first line, at most limit characters."""
    line = text.split("\n", 1)[0]
    return line if len(line) <= limit and "\n" not in text else line[:limit].rstrip() + "…"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
