"""The version a run makes: the one it follows, the next number, and the plan in any file compared with another."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from generator.checks.core import load_plan
from generator.plan.errors import DocumentError
from generator.plan.model import Plan
from generator.versions.changes import Changes, compare
from generator.versions.collector import collection_paused
from generator.versions.docxpart import read_head, read_snapshot
from generator.versions.snapshot import (
    Snapshot,
    SnapshotError,
    _kept_data,
    _snapshot_of_plan,
    digest,
    plan_json,
    same_plan,
)


def next_snapshot(plan: Plan, previous: Snapshot | None, today: dt.date, latest: Snapshot | None = None,
                  ) -> Snapshot:
    """This run's snapshot: the previous version number when nothing changed, else one more.

    Changes are counted from previous. latest is a version made since previous (send compares with
    the version last sent, while generate may have made newer ones): the number goes on from it, and
    when the plan is as in latest, latest's number and day are kept. A Plan field "Version" is shown
    as the user wrote it (version_text); the number here counts the versions either way.
    """
    with collection_paused():  # copies of a long plan's data: many new objects, no garbage
        return _next_snapshot(_kept_data(plan), previous, today, latest)


def _next_snapshot(data: dict[str, Any] | None, previous: Snapshot | None, today: dt.date, latest: Snapshot | None,
                   text: str = "") -> Snapshot:
    """next_snapshot for the plan's kept data (_kept_data), and its JSON (plan_json) when already made."""
    made = today.isoformat()
    if data is None:  # too big to compare: carried without its data
        return Snapshot({}, 1, made, made, None)
    text = text or plan_json(data)  # made once, here: the document carries it (docxpart)
    if previous is None:
        return Snapshot(data, 1, made, made, None, text)
    if same_plan(previous.plan, data):
        return Snapshot(data, previous.version, previous.changed or made, made, previous.changes, text)
    number, changed = previous.version + 1, made
    if latest is not None and latest.version > previous.version:
        same = same_plan(latest.plan, data)
        number = latest.version if same else latest.version + 1
        changed = (latest.changed or made) if same else made
    changes = compare(previous, Snapshot(data, number, changed, made))
    return Snapshot(data, number, changed, made, changes.to_data(), text)


def following(plan: Plan, document: Path, today: dt.date, explicit: bool = False,
              ) -> tuple[Snapshot, tuple[str, ...]]:
    """This run's snapshot, following the version document holds (previous_version), and the warnings.

    When the document's plan data is this plan's, as its digest shows, the version is followed from the
    snapshot's head alone: a long plan's data is not read back only to be found the same.
    """
    with collection_paused():  # as next_snapshot
        data = _kept_data(plan)
        text = plan_json(data) if data is not None else ""
        head = read_head(document) if data is not None else None
        if head is not None and head.digest == digest(text):
            made = today.isoformat()
            return Snapshot(data or {}, head.version, head.changed or made, made, head.changes, text), ()
        previous, problems = previous_version(document, explicit)
        return _next_snapshot(data, previous, today, None, text), problems


def previous_version(document: Path, explicit: bool = False) -> tuple[Snapshot | None, tuple[str, ...]]:
    """The snapshot of the version a run compares with, and Swedish warnings when there is none to use.

    A document that is not there is a first version (no warning unless it was named with --jamfor);
    one without plan data, or damaged, or from a newer program, is compared with nothing.
    """
    if not explicit and not document.exists():
        return None, ()
    try:
        found = read_snapshot(document)
    except SnapshotError as exc:
        return None, (f"{exc}; ingen jämförelse med förra versionen görs",)
    if found is None:
        return None, ("dokumentet saknar planens data (det gjordes inte med aktivitetsplan, eller med en äldre "
                      "version); ingen jämförelse med förra versionen görs",)
    return found, ()


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def _version_of_file(path: Path) -> Snapshot:
    """The plan in a document (its snapshot) or in a workbook (read now); PlanError when there is none."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        plan, _ = load_plan(path)
        return _snapshot_of_plan(plan)
    try:
        found = read_snapshot(path)
    except SnapshotError as exc:
        raise DocumentError(path, str(exc)) from None
    if found is None:
        raise DocumentError(path, "dokumentet saknar planens data; bara dokument gjorda med aktivitetsplan "
                                  "(från och med den här versionen) och arbetsböcker kan jämföras")
    return found


def compare_files(before: Path, after: Path) -> Changes:
    """What changed from the plan in before to the plan in after (each a .docx made by this tool, or a workbook)."""
    return compare(_version_of_file(before), _version_of_file(after))
