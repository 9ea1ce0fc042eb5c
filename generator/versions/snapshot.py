"""A plan's data as a JSON snapshot: what a document carries so a later run can tell what changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from generator import __version__
from generator.plan.model import Activity, Plan, Value
from generator.plan.values import normalize_name
from generator.versions.collector import collection_paused

FORMAT = 1
MAX_SNAPSHOT_BYTES = 32 * 1024 * 1024  # 10 000 ordinary activities make about 3 MB
MAX_ITEMS = 20_000

# The names a snapshot and a change summary use for the plan's fields and the activities' columns:
# the workbook's own headings, so a change reads "Tid: april → maj".
PLAN_FIELD_NAMES = (("municipality", "Kommun"), ("title", "Titel"), ("date", "Datum"), ("project", "Projekt"),
                    ("slogan", "Slogan"), ("logo", "Logotyp"), ("sort_order", "Sortering"),
                    ("follow_up_date", "Uppföljningsdatum"))
ACTIVITY_FIELD_NAMES = (("activity", "Aktivitet"), ("purpose", "Syfte och målgrupp"), ("time", "Tid"),
                        ("channel", "Kanal"), ("responsible", "Ansvarig"), ("target_groups", "Målgrupp"),
                        ("indicator", "Indikator"), ("target_value", "Målvärde"), ("outcome", "Utfall"))
TARGET_GROUP_FIELD_NAMES = (("name", "Målgrupp"), ("priority", "Prioritet"), ("needs", "Behöver veta"),
                            ("message", "Budskap"), ("channels", "Kanaler"), ("comment", "Kommentar"))


class SnapshotError(ValueError):
    """A snapshot that cannot be used: damaged, too large, or of a newer format (message in Swedish)."""


class Snapshot(NamedTuple):
    """One version of a plan: its number, the day it last changed, the day it was made, and its data.

    changes holds the change records (changes.py) this version showed, so a run that changes
    nothing shows them again rather than an empty list.
    """

    plan: dict[str, Any]
    version: int = 1
    changed: str = ""
    made: str = ""
    changes: dict[str, Any] | None = None
    plan_text: str = ""  # plan_json(plan), when already made

    def __repr__(self) -> str:  # without the plan's data and its JSON: a long plan's are megabytes
        return f"Snapshot(version={self.version}, changed={self.changed!r}, made={self.made!r})"

    def json_parts(self) -> tuple[str, str, str]:
        """The snapshot as JSON, keys sorted, in three parts: joined, the same text as one json.dumps of it
        all; the plan's part (plan_text) in the middle, made once and not copied."""
        before = _dumps({"changed": self.changed, "changes": self.changes, "format": FORMAT, "made": self.made})
        after = _dumps({"program": f"aktivitetsplan {__version__}", "version": self.version})
        return f'{before[:-1]},"plan":', self.plan_text or plan_json(self.plan), f",{after[1:]}"

    def head_json(self, plan_text: str) -> str:
        """All but the plan, with the digest of its JSON (plan_text, as json_parts gives it): what a later run
        needs when its plan is this one (SnapshotHead)."""
        return _dumps({"changed": self.changed, "changes": self.changes, "digest": digest(plan_text),
                       "format": FORMAT, "made": self.made, "version": self.version})

    @property
    def changed_date(self) -> dt.date | None:
        return _date(self.changed)

    @property
    def made_date(self) -> dt.date | None:
        return _date(self.made)


def _dumps(data: Any) -> str:
    # ASCII only: every character, also those XML cannot hold (U+FFFE, lone surrogates), as \uXXXX
    return json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def plan_json(plan: dict[str, Any]) -> str:
    """A plan's data as the JSON a snapshot carries."""
    return _dumps(plan)


def digest(text: str) -> str:
    """The digest of a plan's JSON (plan_json): the same plan data, the same digest."""
    return hashlib.sha256(text.encode("ascii")).hexdigest()


class SnapshotHead(NamedTuple):
    """A snapshot without its plan: enough to follow it when this run's plan has the same digest."""

    version: int
    changed: str
    made: str
    changes: dict[str, Any] | None
    digest: str


def parse_head(raw: str) -> SnapshotHead | None:
    """The head a document carries beside its snapshot (Snapshot.head_json); None when it cannot be used."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    version, found, changes = data.get("version"), data.get("digest"), data.get("changes")
    if (not isinstance(data.get("format"), int) or data["format"] > FORMAT or not isinstance(version, int)
            or isinstance(version, bool) or version < 1 or not isinstance(found, str) or not found):
        return None
    return SnapshotHead(version, _str(data.get("changed")), _str(data.get("made")),
                        changes if isinstance(changes, dict) else None, found)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _text(value: Value) -> str:
    """A value's text as the snapshot keeps it: one line with single spaces, or, over lines, stripped."""
    text = value.text
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # already so: the plan's own string, not a copy of it
    return " ".join(text.split()) if "\n" not in text else text.strip()


def _activity_data(activity: Activity) -> dict[str, Any]:
    fields = {}
    for attr, name in ACTIVITY_FIELD_NAMES:  # _text, inlined: 10 000 activities have 90 000 of these
        text = getattr(activity, attr).text
        if not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
            text = " ".join(text.split()) if "\n" not in text else text.strip()
        fields[name] = text
    if activity.extra:
        fields.update((name, _text(value)) for name, value in activity.extra)
    return {"row": activity.row, "done": activity.done, "done_mark": _text(activity.done_mark),
            "fields": {k: v for k, v in fields.items() if v}}


def plan_data(plan: Plan) -> dict[str, Any]:
    """Everything the workbook says that a reader of the document sees, as plain JSON values."""
    fields = {name: _text(getattr(plan, attr)) for attr, name in PLAN_FIELD_NAMES}
    fields.update((name, _text(value)) for name, value in plan.extra_fields)
    return {
        "fields": {k: v for k, v in fields.items() if v},
        "sections": [{"heading": _text(s.heading), "text": "\n\n".join(b.text for b in s.blocks)}
                     for s in plan.sections],
        "columns": list(plan.extra_columns),
        "activities": [_activity_data(a) for a in plan.activities],
        "target_groups": [{name: _text(getattr(g, attr)) for attr, name in TARGET_GROUP_FIELD_NAMES}
                          for g in plan.target_groups],
    }


def text_size(plan: Plan) -> int:
    """How many characters of text the plan holds, counted without copying any of it."""
    values = [*(getattr(plan, attr) for attr, _ in PLAN_FIELD_NAMES), *(v for _, v in plan.extra_fields)]
    values += [s.heading for s in plan.sections]
    values += [v for a in plan.activities for v in (*(getattr(a, attr) for attr, _ in ACTIVITY_FIELD_NAMES),
                                                    a.done_mark, *(v for _, v in a.extra))]
    values += [getattr(g, attr) for g in plan.target_groups for attr, _ in TARGET_GROUP_FIELD_NAMES]
    blocks = sum(len(b.text) for s in plan.sections for b in s.blocks)
    return blocks + sum(len(v.text) for v in values)


def same_plan(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether two plans' data say the same: what the plan says, not how it was written down.

    Rows may move, and an activity is done or not however it was marked (red, Ja, Klar), without the plan
    changing. Both are of the shape plan_data and _checked_plan give (row, done, done_mark and fields for
    each activity); compared in place, without a copy of either.
    """
    if before.keys() - {"activities"} != after.keys() - {"activities"} or any(
            before[k] != after[k] for k in before if k != "activities"):
        return False
    first, second = before.get("activities", []), after.get("activities", [])
    return len(first) == len(second) and all(
        a["fields"] == b["fields"] and a["done"] == b["done"] for a, b in zip(first, second, strict=True))


def parse_snapshot(raw: bytes | str) -> Snapshot:
    """The snapshot in raw JSON; SnapshotError when it is too large, damaged or of a newer format."""
    with collection_paused():  # a long plan's data is some 100 000 new objects at once, none of them garbage
        return _parse_snapshot(raw)


def _parse_snapshot(raw: bytes | str) -> Snapshot:
    if len(raw) > MAX_SNAPSHOT_BYTES:
        raise SnapshotError(f"planens data i dokumentet är större än {MAX_SNAPSHOT_BYTES // (1024 * 1024)} MB")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise SnapshotError("planens data i dokumentet är skadade") from None
    if not isinstance(data, dict) or not isinstance(data.get("format"), int):
        raise SnapshotError("planens data i dokumentet är skadade")
    if data["format"] > FORMAT:
        raise SnapshotError(f"dokumentet gjordes med en nyare version av aktivitetsplan ({data.get('program', '?')})")
    plan = data.get("plan")
    version = data.get("version")
    if not isinstance(plan, dict) or not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SnapshotError("planens data i dokumentet är skadade")
    plan = _checked_plan(plan)
    changes = data.get("changes")
    return Snapshot(plan, version, _str(data.get("changed")), _str(data.get("made")),
                    changes if isinstance(changes, dict) else None)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _checked_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan data with every part of the expected shape, strings where strings belong."""
    def strings(value: object) -> dict[str, str]:
        if not isinstance(value, dict):
            return {}
        return {str(k): v for k, v in value.items() if isinstance(v, str)}

    def records(value: object) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            return []
        if len(value) > MAX_ITEMS:
            raise SnapshotError("planens data i dokumentet har orimligt många rader")
        return [item for item in value if isinstance(item, dict)]

    activities = [{"row": a["row"] if isinstance(a.get("row"), int) else 0, "done": a.get("done") is True,
                   "done_mark": _str(a.get("done_mark")), "fields": strings(a.get("fields"))}
                  for a in records(plan.get("activities"))]
    return {
        "fields": strings(plan.get("fields")),
        "sections": [{"heading": _str(s.get("heading")), "text": _str(s.get("text"))}
                     for s in records(plan.get("sections"))],
        "columns": [c for c in plan.get("columns") or [] if isinstance(c, str)]
        if isinstance(plan.get("columns"), list) else [],
        "activities": activities,
        "target_groups": [strings(g) for g in records(plan.get("target_groups"))],
    }


def _kept_data(plan: Plan) -> dict[str, Any] | None:
    """The plan's data as a document carries it; None when it is too big to keep and compare."""
    if text_size(plan) > MAX_SNAPSHOT_BYTES:  # no copy of gigabytes of shared strings
        return None
    if max(len(plan.activities), len(plan.sections), len(plan.target_groups)) > MAX_ITEMS:
        raise SnapshotError("planens data i dokumentet har orimligt många rader")  # as _checked_plan would
    # Already of the shape _checked_plan gives (the model's types are the ones it keeps): not copied again.
    return plan_data(plan)


def _snapshot_of_plan(plan: Plan, today: dt.date | None = None) -> Snapshot:
    """A snapshot of a plan read from a workbook, for comparing it with a document (diff)."""
    day = (today or dt.date.today()).isoformat()
    return Snapshot(_checked_plan(plan_data(plan)), 1, day, day)


VERSION_FIELD = "Version"


def _written_version(fields: Iterable[tuple[str, str]]) -> str:
    """The Plan field Version's text (its name in any case and spacing), or ""."""
    wanted = normalize_name(VERSION_FIELD)
    return next((text.strip() for name, text in fields if normalize_name(name) == wanted and text.strip()), "")


def version_text(snapshot: Snapshot) -> str:
    """The version as shown: the Plan field Version when the workbook has one, else the number."""
    return _written_version(snapshot.plan.get("fields", {}).items()) or str(snapshot.version)
