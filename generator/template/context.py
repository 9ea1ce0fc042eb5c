"""Turn a plan into the context a Word template is rendered with (names documented in docs/dokumentet-och-mallar.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from generator.plan.model import Plan, Value
from generator.plan.schema import ACTIVITIES, record
from generator.plan.values import long_date, normalize_name
from generator.template.context_plan import _plan_context
from generator.versions.changes import first_version_context


class Fields(dict[str, str]):
    """Named values (rad.ovrigt, plan_ovrigt) found by name whatever its case and spacing.

    rad.ovrigt["Budget"], rad.ovrigt["budget"] and rad.ovrigt[" BUDGET "] are the same
    value; iterating gives the names as the workbook spells them. Where two names are
    the same once normalised, the first one is found.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(pairs)
        self._names: dict[str, str] = {}
        for name in self:
            self._names.setdefault(normalize_name(name), name)

    def _name(self, key: object) -> object:
        if dict.__contains__(self, key) or not isinstance(key, str):
            return key
        return self._names.get(normalize_name(key), key)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(self._name(key))  # type: ignore[index]

    def __contains__(self, key: object) -> bool:
        return super().__contains__(self._name(key))

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(self._name(key), default)  # type: ignore[call-overload]


def _display_date(plan: Plan, today: dt.date) -> tuple[str, str]:
    """The plan's date in Swedish long form and as ISO text; the day of generation by default."""
    if plan.date.date is not None:
        return long_date(plan.date.date), plan.date.date.isoformat()
    if plan.date.text.strip():
        return plan.date.text.strip(), ""
    return long_date(today), today.isoformat()

def plan_title(plan: Plan) -> str:
    """Titel, or "Aktivitetsplan – <Kommun>" when it is empty."""
    return plan.title.text.strip() or f"Aktivitetsplan – {plan.municipality.text.strip()}"

def build_context(plan: Plan, today: dt.date | None = None) -> dict[str, Any]:
    """The template context: plain dicts, lists, strings, numbers and booleans."""
    today = today or dt.date.today()
    date_text, date_iso = _display_date(plan, today)
    activities = [
        {
            **record(a, ACTIVITIES),
            "klar": a.done,
            "ovrigt": Fields((name, value.text) for name, value in a.extra),
            "rad": a.row,
        }
        for a in plan.activities
    ]
    done = sum(1 for a in activities if a["klar"])
    context = {
        "kommun": plan.municipality.text.strip(),
        "titel": plan_title(plan),
        "datum": date_text,
        "datum_iso": date_iso,
        "projekt": plan.project.text.strip(),
        "slogan": plan.slogan.text.strip(),
        "logotyp": "",
        "avsnitt": [
            {
                "rubrik": s.heading.text.strip(),
                "text": "\n\n".join(b.text for b in s.blocks),
                "stycken": [{"text": b.text, "punkt": b.bullet} for b in s.blocks],
            }
            for s in plan.sections
        ],
        "aktiviteter": activities,
        "antal_aktiviteter": len(activities),
        "antal_klara": done,
        "sammanfattning": plan.summary(),
        "extra_kolumner": list(plan.extra_columns),
        "plan_ovrigt": Fields((name, _text(value)) for name, value in plan.extra_fields),
        "genererad": long_date(today),
        **first_version_context(plan, today),  # render_document puts in the real version (changes.py)
    }
    context.update(_plan_context(plan, today, context))
    return context

def _text(value: Value) -> str:
    return value.text.strip()
