"""Compare two versions of a plan: new, removed, changed and newly done activities, in Swedish."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, NamedTuple

from generator.plan.model import Plan
from generator.plan.values import format_count, long_date
from generator.versions.snapshot import Snapshot, _written_version, version_text

# Activities whose Aktivitet texts differ are taken for the same activity, renamed, when they are
# at least this similar (difflib's ratio) and nothing closer claims either of them.
SIMILAR = 0.75
SHOWN_IN_LINE = 3
# The document lists at most this many lines under each heading of its changes section, then says how
# many more there are: 9 000 new activities are a count, not nine pages of names.
SHOWN_IN_DOCUMENT = 50
# Similarity is tried between at most this many (removed, new) pairs, e.g. 140 × 140; beyond that a
# renamed activity counts as removed and new (difflib is quadratic in the text, and pairs multiply).
MAX_SIMILARITY_PAIRS = 20_000
CHANGES_HEADING = "Ändringar sedan förra versionen"  # the default template's heading of the section
# The default template's title page line, "Version 3, senast ändrad 12 mars 2026" (import leaves it out).
VERSION_LINE = re.compile(r"Version .+, senast ändrad \d{1,2} [a-zåäö]+ \d{4}")
# The template variables this module adds; template.environment.TOP_LEVEL takes them in.
TEMPLATE_VARIABLES = frozenset({"andringar", "version", "senast_andrad"})


class FieldChange(NamedTuple):
    """One field of an activity or of the plan: its name, the old text and the new."""

    name: str
    old: str
    new: str

    def text(self) -> str:
        return f"{self.name}: {_shown(self.old)} → {_shown(self.new)}"


class ActivityChange(NamedTuple):
    """An activity found in both versions, with the fields that differ."""

    activity: str
    fields: tuple[FieldChange, ...]

    def text(self) -> str:
        return f"{self.activity} ({'; '.join(f.text() for f in self.fields)})"


class Changes(NamedTuple):
    """What differs between an earlier version and this one."""

    since_version: int
    since: str  # ISO date the earlier version was made
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    done: tuple[str, ...] = ()
    changed: tuple[ActivityChange, ...] = ()
    plan: tuple[str, ...] = ()  # the plan's fields and sections, one Swedish line each

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.done or self.changed or self.plan)

    def since_text(self) -> str:

        try:
            return _short_date(dt.date.fromisoformat(self.since))
        except ValueError:
            return ""

    def to_data(self) -> dict[str, Any]:
        return {"since_version": self.since_version, "since": self.since, "added": list(self.added),
                "removed": list(self.removed), "done": list(self.done), "plan": list(self.plan),
                "changed": [{"activity": c.activity, "fields": [[f.name, f.old, f.new] for f in c.fields]}
                            for c in self.changed]}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Changes:
        """Changes kept in a snapshot; parts of the wrong shape are left out."""
        def texts(key: str) -> tuple[str, ...]:
            value = data.get(key)
            return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

        changed = []
        for item in data.get("changed") or []:
            if not isinstance(item, dict) or not isinstance(item.get("activity"), str):
                continue
            fields = tuple(FieldChange(*f) for f in item.get("fields") or []
                           if isinstance(f, list) and len(f) == 3 and all(isinstance(v, str) for v in f))
            changed.append(ActivityChange(item["activity"], fields))
        version = data.get("since_version")
        since = data.get("since")
        return cls(version if isinstance(version, int) else 0, since if isinstance(since, str) else "",
                   texts("added"), texts("removed"), texts("done"), tuple(changed), texts("plan"))

    # --- Swedish summaries -------------------------------------------------------------------------------------

    def counts(self) -> str:
        """"2 nya aktiviteter, 1 borttagen, 3 klara, 1 ändrad" – or "inga ändringar"."""
        parts = []
        if self.added:
            parts.append(_count(len(self.added), "ny aktivitet", "nya aktiviteter"))
        if self.removed:
            parts.append(_count(len(self.removed), "borttagen", "borttagna"))
        if self.done:
            parts.append(_count(len(self.done), "klar", "klara"))
        if self.changed:
            parts.append(_count(len(self.changed), "ändrad", "ändrade"))
        if self.plan:
            parts.append(_count(len(self.plan), "ändring i planens text", "ändringar i planens text"))
        return ", ".join(parts) if parts else "inga ändringar"

    def one_line(self) -> str:
        """The letter's line: "2 nya aktiviteter, 3 klara sedan 12 mars: Webbsida, Film, …"."""
        since = self.since_text()
        line = self.counts() + (f" sedan {since}" if since else "")
        names = [*self.added, *self.done, *(c.activity for c in self.changed), *self.removed]
        if names:
            shown = ", ".join(_short(n) for n in names[:SHOWN_IN_LINE])
            line += f": {shown}" + (" …" if len(names) > SHOWN_IN_LINE else "")
        return line

    def groups(self, shown: int | None = None) -> list[dict[str, Any]]:
        """The changes grouped under Swedish headings, each line a plain text (document and terminal).

        With shown, a heading lists that many lines and then "… och 8 950 till".
        """
        groups = []
        headed: tuple[tuple[str, Sequence[str | ActivityChange]], ...] = (
            ("Nya aktiviteter", self.added), ("Klara sedan förra versionen", self.done),
            ("Ändrade aktiviteter", self.changed), ("Borttagna aktiviteter", self.removed),
            ("Ändrat i planen", self.plan))
        for title, items in headed:
            if not items:
                continue
            more = len(items) - shown if shown is not None and len(items) > shown + 1 else 0
            lines = [item if isinstance(item, str) else item.text() for item in items[:len(items) - more]]
            groups.append({"rubrik": title, "rader": lines + ([f"… och {format_count(more)} till"] if more else [])})
        return groups

    def terminal(self, head: str = "") -> str:
        """The comparison as the diff command prints it, under head (by default the earlier version)."""
        since = self.since_text()
        head = head or f"Ändringar sedan version {self.since_version}" + (f" ({since})" if since else "")
        if not self:
            return f"{head}: inga ändringar."
        lines = [f"{head}: {self.counts()}."]
        for group in self.groups():
            lines += ["", f"{group['rubrik']}:"] + [f"  - {line}" for line in group["rader"]]
        return "\n".join(lines)

    def context(self) -> dict[str, Any]:
        """The template variable andringar (docs/dokumentet-och-mallar.md documents it)."""
        return {
            "sedan": self.since_text(), "sedan_version": self.since_version, "sammanfattning": self.counts(),
            "grupper": self.groups(SHOWN_IN_DOCUMENT), "nya": list(self.added), "borttagna": list(self.removed),
            "klara": list(self.done), "plan": list(self.plan),
            "andrade": [{"aktivitet": c.activity, "text": c.text(),
                         "falt": [{"namn": f.name, "fore": f.old, "efter": f.new} for f in c.fields]}
                        for c in self.changed],
        }


def _count(n: int, one: str, many: str) -> str:
    return f"{format_count(n)} {one if n == 1 else many}"


def _short_date(day: Any) -> str:
    """12 mars, or 12 mars 2025 for another year than this one."""

    text = long_date(day)
    return text.rsplit(" ", 1)[0] if day.year == dt.date.today().year else text


def _shown(text: str) -> str:
    return f"”{_short(text, 60)}”" if text else "(tom)"


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def activity_key(text: str) -> str:
    """The key activities are matched by: Aktivitet without case, accents' forms, punctuation or spacing."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


_NOT_WORD = re.compile(r"[^\w]+")


def _pairs(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Indexes of matched (old, new) activities, then the unmatched old and new ones.

    First by equal keys, in order where a key repeats; then the remaining ones by similarity.
    """
    def key(item: dict[str, Any]) -> str:
        return activity_key(item["fields"].get("Aktivitet", ""))

    waiting: dict[str, list[int]] = {}
    for index, item in enumerate(old):
        waiting.setdefault(key(item), []).append(index)
    pairs: list[tuple[int, int]] = []
    lone_new: list[int] = []
    for index, item in enumerate(new):
        queue = waiting.get(key(item))
        if queue:
            pairs.append((queue.pop(0), index))
        else:
            lone_new.append(index)
    lone_old = sorted(i for queue in waiting.values() for i in queue)
    if lone_old and lone_new and len(lone_old) * len(lone_new) <= MAX_SIMILARITY_PAIRS:
        scored = []
        for i in lone_old:
            for j in lone_new:
                matcher = difflib.SequenceMatcher(None, key(old[i]), key(new[j]), autojunk=False)
                if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR:
                    ratio = matcher.ratio()
                    if ratio >= SIMILAR:
                        scored.append((-ratio, i, j))
        for _, i, j in sorted(scored):
            if i in lone_old and j in lone_new:
                pairs.append((i, j))
                lone_old.remove(i)
                lone_new.remove(j)
    return sorted(pairs, key=lambda p: p[1]), lone_old, lone_new


def compare(before: Snapshot, after: Snapshot) -> Changes:
    """What changed from before to after; activities matched by activity_key, then by similarity."""
    old, new = before.plan.get("activities", []), after.plan.get("activities", [])
    pairs, lone_old, lone_new = _pairs(old, new)

    def name(item: dict[str, Any]) -> str:
        return item["fields"].get("Aktivitet", "") or f"(rad {item.get('row', '?')})"

    done, changed = [], []
    for i, j in pairs:
        a, b = old[i], new[j]
        if b["done"] and not a["done"]:
            done.append(name(b))
        fields = [FieldChange(k, a["fields"].get(k, ""), b["fields"].get(k, ""))
                  for k in _names(a["fields"], b["fields"]) if a["fields"].get(k, "") != b["fields"].get(k, "")]
        if a["done"] and not b["done"]:
            fields.append(FieldChange("Klar", a.get("done_mark") or "ja", b.get("done_mark") or ""))
        if fields:
            changed.append(ActivityChange(name(b), tuple(fields)))
    return Changes(
        since_version=before.version, since=before.made,
        added=tuple(name(new[j]) for j in lone_new), removed=tuple(name(old[i]) for i in lone_old),
        done=tuple(done), changed=tuple(changed), plan=tuple(_plan_lines(before.plan, after.plan)),
    )


def _names(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return list(dict.fromkeys([*a, *b]))


def _plan_lines(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    lines = []
    old_fields, new_fields = before.get("fields", {}), after.get("fields", {})
    for key in _names(old_fields, new_fields):
        if old_fields.get(key, "") != new_fields.get(key, ""):
            lines.append(FieldChange(key, old_fields.get(key, ""), new_fields.get(key, "")).text())
    old_sections = {s["heading"]: s["text"] for s in before.get("sections", [])}
    new_sections = {s["heading"]: s["text"] for s in after.get("sections", [])}
    for heading in _names(old_sections, new_sections):
        if heading not in old_sections:
            lines.append(f"Nytt avsnitt: {heading}")
        elif heading not in new_sections:
            lines.append(f"Borttaget avsnitt: {heading}")
        elif old_sections[heading] != new_sections[heading]:
            lines.append(f"Avsnittet {heading} har ny text")
    old_groups = [g.get("Målgrupp", "") for g in before.get("target_groups", [])]
    new_groups = [g.get("Målgrupp", "") for g in after.get("target_groups", [])]
    lines += [f"Ny målgrupp: {g}" for g in new_groups if g and g not in old_groups]
    lines += [f"Borttagen målgrupp: {g}" for g in old_groups if g and g not in new_groups]
    old_by_name = {g.get("Målgrupp", ""): g for g in before.get("target_groups", [])}
    lines += [f"Målgruppen {g.get('Målgrupp')} har ändrats" for g in after.get("target_groups", [])
              if g.get("Målgrupp", "") in old_by_name and old_by_name[g.get("Målgrupp", "")] != g]
    return lines


def template_context(snapshot: Snapshot) -> dict[str, Any]:
    """The variables andringar, version and senast_andrad (docs/dokumentet-och-mallar.md documents them).

    andringar is empty for a first version, so the template leaves its section out.
    """
    changes = Changes.from_data(snapshot.changes) if snapshot.changes else None
    changed = snapshot.changed_date
    return {
        "andringar": changes.context() if changes else "",
        "version": version_text(snapshot),
        "senast_andrad": long_date(changed) if changed else "",
    }


def first_version_context(plan: Plan, today: dt.date) -> dict[str, Any]:
    """template_context for a plan rendered with no earlier version: version 1, no changes."""
    version = _written_version((name, value.text) for name, value in plan.extra_fields)
    return {"andringar": "", "version": version or "1", "senast_andrad": long_date(today)}


