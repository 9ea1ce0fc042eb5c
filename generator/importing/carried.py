"""What a document this tool made carries besides its text: target groups and the columns its tables leave out."""

from __future__ import annotations

from collections import defaultdict, deque
from pathlib import Path
from typing import Any

from generator.importing import guidance
from generator.importing.report import Collected, quote
from generator.plan.schema import ACTIVITIES, PLAN, TARGET_GROUPS, table_columns
from generator.plan.values import parse_iso_date
from generator.versions.docxpart import read_snapshot
from generator.versions.snapshot import SnapshotError

# The activity columns the default template's table does not show: only the plan data knows them.
HIDDEN_ACTIVITY_COLUMNS = tuple(c.header for c in ACTIVITIES.columns if c not in table_columns())
# Plan fields the title page does not show. Logotyp is left out: the picture file is not beside the new workbook.
HIDDEN_PLAN_FIELDS = ("Sortering", "Uppföljningsdatum")
# Plan fields the title page shows: its text counts, the data fills in what it does not show.
SHOWN_PLAN_FIELDS = ("Kommun", "Titel", "Datum", "Projekt", "Slogan")
_ACTIVITY = ACTIVITIES.first_required.header


def _add_carried(path: Path, found: Collected) -> None:
    """Fill in, from the plan data a generated document carries, what its text does not show.

    The text stays what counts for everything it shows (the user may have edited the document);
    the target groups, the hidden activity columns and the hidden Plan fields come from the data,
    each activity matched by its Aktivitet text. A document without such data is left as read.
    """
    try:
        snapshot = read_snapshot(path)
    except SnapshotError as error:
        found.doubt(path.name, f"planens data i dokumentet kunde inte läsas ({error}); målgrupper och kolumner som "
                               "dokumentet inte visar kom inte med")
        return
    if snapshot is None or not snapshot.plan:
        return
    plan = snapshot.plan
    _add_plan_fields(plan["fields"], found)
    _add_target_groups(plan["target_groups"], found)
    _add_activity_columns(plan["activities"], found)


def _add_plan_fields(fields: dict[str, str], found: Collected) -> None:
    """The Plan fields the text did not give, from the data: hidden ones, and shown ones the title page lacks.

    A custom Titel hides Kommun ("Aktivitetsplan – Strömstad" is the title that names it; the
    data's Kommun wins over one guessed from a title), and a title page edited in Word may have
    lost a line: the data still knows them.
    """
    for name in HIDDEN_PLAN_FIELDS:
        PLAN.column(name)  # a renamed field fails here, in the tests, not silently
        if fields.get(name) and not found.plan.get(name):
            found.plan[name] = fields[name]
            found.became(f"Plan!{name}", f"{name} lästes ur planens data som dokumentet bär")
    for name in SHOWN_PLAN_FIELDS:
        PLAN.column(name)
        value = fields.get(name, "").strip()
        guessed = name == "Kommun" and found.plan.get(name) != value  # read out of the title, not shown itself
        if value and (not found.plan.get(name) or guessed):
            found.mapped[:] = [f for f in found.mapped if not f.message.startswith(f"{name} ")]
            found.plan[name] = (parse_iso_date(value) or value) if name == "Datum" else value
            found.unsure[:] = [f for f in found.unsure if f.place != f"Plan!{name}"]
            found.became(f"Plan!{name}", f"{name} {quote(value)} lästes ur planens data som dokumentet bär "
                                         "(titelsidan visar det inte)")


def _add_target_groups(groups: list[dict[str, str]], found: Collected) -> None:
    rows = [[group.get(header, "") for header in TARGET_GROUPS.headers] for group in groups]
    rows = [row for row in rows if any(row)]
    if rows and not found.target_groups:
        found.target_groups = rows
        found.became(TARGET_GROUPS.name, f"{len(rows)} målgrupper lästes ur planens data som dokumentet bär")


def _add_activity_columns(activities: list[dict[str, Any]], found: Collected) -> None:
    """The hidden columns of each activity row, from the data's activity with the same Aktivitet text."""
    if not found.activities or _ACTIVITY not in found.columns:
        return
    carried: defaultdict[str, deque[dict[str, str]]] = defaultdict(deque)
    for activity in activities:
        fields = activity["fields"]
        carried[guidance.normalize(fields.get(_ACTIVITY, ""))].append(fields)
    wanted = [h for h in HIDDEN_ACTIVITY_COLUMNS if any(h in a["fields"] for a in activities)]
    if not wanted:
        return
    for header in wanted:
        if header not in found.columns:
            found.columns = (*found.columns, header)
            for row in found.activities:  # known columns come before the extra ones (Collected.columns)
                row.insert(len(found.columns) - 1, "")
    where = {header: found.columns.index(header) for header in wanted}
    activity_index = found.columns.index(_ACTIVITY)
    filled = unmatched = 0
    for row in found.activities:
        same = carried.get(guidance.normalize(row[activity_index]))
        if not same:
            unmatched += 1
            continue
        fields = same.popleft()
        for header, index in where.items():
            if fields.get(header) and not row[index].strip():
                row[index] = fields[header]
        filled += 1
    columns = ", ".join(wanted)
    if filled:
        found.became(ACTIVITIES.name, f"{columns} för {filled} aktiviteter lästes ur planens data som dokumentet bär")
    if unmatched:
        found.doubt(ACTIVITIES.name, f"{unmatched} aktiviteter fanns inte i planens data (texten ändrad i Word?); "
                                     f"deras {columns} är tomma")
