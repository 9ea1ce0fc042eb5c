"""The template variables of the living plan: malgrupper, tackning, tidslinje and uppfoljning."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.plan.analysis import (
    Timeline,
    coverage,
    follow_up,
    has_follow_up,
    sorted_activities,
    timeline,
)
from generator.plan.dates import reference_day
from generator.plan.model import Plan
from generator.plan.values import long_date, normalize_name

# The names this module adds to the template context, and the keys of their records
# (docs/dokumentet-och-mallar.md documents them).
TEMPLATE_NAMES = frozenset({"malgrupper", "malgrupper_i_avsnitt", "tackning", "tidslinje", "uppfoljning"})
TEMPLATE_RECORDS = {
    "avsnitt": frozenset({"tabell"}),
    "malgrupper": frozenset({"namn", "prioritet", "behover_veta", "budskap", "kanaler", "kommentar", "rad"}),
}
SECTION_FOR_GROUPS = "målgrupper"   # the Avsnitt whose Rubrik this is carries the target-group table
SHORT_NAME = 70                     # characters of an activity shown in the timeline
PLANNED_FILL = "2E75B6"
DONE_FILL = "C00000"
TODAY_FILL = "FBE4D5"
NO_FILL = "auto"
OPEN_MARK = "▶"


def _plan_context(plan: Plan, today: dt.date, context: dict[str, Any]) -> dict[str, Any]:
    """The living plan's variables, and aktiviteter/avsnitt as they become with them (sort order, tables)."""
    groups = [
        {
            "namn": g.name.text.strip(),
            "prioritet": g.priority.text.strip(),
            "behover_veta": g.needs.text.strip(),
            "budskap": g.message.text.strip(),
            "kanaler": g.channels.text.strip(),
            "kommentar": g.comment.text.strip(),
            "rad": g.row,
        }
        for g in plan.target_groups if g.name
    ]
    sections = [dict(s) for s in context["avsnitt"]]
    carrier = next((s for s in sections if normalize_name(s["rubrik"]) == SECTION_FOR_GROUPS), None)
    for section in sections:
        section["tabell"] = "malgrupper" if section is carrier and groups else ""
    by_row = {a["rad"]: a for a in context["aktiviteter"]}
    return {
        "avsnitt": sections,
        "aktiviteter": [by_row[a.row] for a in sorted_activities(plan, today)],
        "malgrupper": groups,
        "malgrupper_i_avsnitt": bool(groups and carrier is not None),
        "tackning": _coverage(plan),
        "tidslinje": _timeline(timeline(plan, today)),
        "uppfoljning": _follow_up(plan, today) if has_follow_up(plan) else {},
    }


def _coverage(plan: Plan) -> dict[str, Any]:
    table = coverage(plan)
    if table is None:
        return {}
    return {
        "kanaler": list(table.channels),
        "rader": [
            {"malgrupp": group, "celler": [table.cell(g, c) for c in range(len(table.channels))]}
            for g, group in enumerate(table.groups)
        ],
    }


def _timeline(line: Timeline | None) -> dict[str, Any]:
    if line is None:
        return {}
    rows = []
    for row in line.rows:
        last = max((i for i, on in enumerate(row.shaded) if on), default=-1)
        shaded = DONE_FILL if row.activity.done else PLANNED_FILL  # done is worked out from the mark each time
        cells = []
        for index, (column, on) in enumerate(zip(line.columns, row.shaded, strict=True)):
            open_here = row.open_end and index == last
            fill = shaded if on else TODAY_FILL if column.today else NO_FILL
            cells.append({"fylld": on, "oppen": open_here, "idag": column.today, "farg": fill,
                          "tecken": OPEN_MARK if open_here else ""})
        text = row.activity.activity.text.strip()
        rows.append({
            "aktivitet": text,
            "kort": _shorten(text),
            "tid": row.activity.time.text.strip() or (row.period.start.isoformat() if row.period.start else ""),
            "klar": row.activity.done,
            "pagar": row.open_end,
            "rad": row.activity.row,
            "celler": cells,
        })
    return {
        "kolumner": [{"etikett": c.label, "ar": c.year, "idag": c.today} for c in line.columns],
        "ar": _years(line),
        "rader": rows,
        "steg": {1: "månad", 3: "kvartal", 12: "år"}[line.step],
        "liggande": line.landscape,
        "utelamnade": line.left_out,
        "idag_syns": any(c.today for c in line.columns),
    }


def _years(line: Timeline) -> list[dict[str, Any]]:
    """The years over the columns, for a header row: each with how many columns it spans."""
    years: list[dict[str, Any]] = []
    for column in line.columns:
        year = str(column.start.year)
        if years and years[-1]["ar"] == year:
            years[-1]["kolumner"] += 1
        else:
            years.append({"ar": year, "kolumner": 1})
    if line.step == 12:   # one column per year: the labels are the years
        return [{"ar": "År", "kolumner": len(line.columns)}]
    return years


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SHORT_NAME:
        return text
    cut = text[:SHORT_NAME].rsplit(" ", 1)[0] or text[:SHORT_NAME]
    return cut.rstrip(",.;:– -") + "…"


def _follow_up(plan: Plan, today: dt.date) -> dict[str, Any]:
    figures = follow_up(plan, today)
    day = reference_day(plan, today)
    return {
        "referensdag": long_date(day),
        "referensdag_iso": day.isoformat(),
        "klara": figures.overall.text(),
        "antal": figures.overall.total,
        "antal_klara": figures.overall.done,
        "procent": figures.overall.percent,
        "malgrupper": [
            {"namn": s.label, "text": s.text(), "antal": s.total, "antal_klara": s.done, "procent": s.percent}
            for s in figures.groups
        ],
        "forsenade": [
            {"aktivitet": a.activity.text.strip(), "tid": a.time.text.strip(), "ansvarig": a.responsible.text.strip(),
             "rad": a.row}
            for a in figures.overdue
        ],
        "indikatorer": [
            {"aktivitet": a.activity.text.strip(), "indikator": a.indicator.text.strip(),
             "malvarde": a.target_value.text.strip(), "utfall": a.outcome.text.strip(), "klar": a.done,
             "rad": a.row}
            for a in figures.indicators
        ],
    }
