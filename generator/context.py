"""Turn a plan into the context a Word template is rendered with (names documented in README)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.model import Plan, Value
from generator.values import long_date


def display_date(plan: Plan, today: dt.date) -> tuple[str, str]:
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
    date_text, date_iso = display_date(plan, today)
    activities = [
        {
            "aktivitet": a.activity.text,
            "syfte": a.purpose.text,
            "tid": a.time.text,
            "kanal": a.channel.text,
            "ansvarig": a.responsible.text,
            "klar": a.done,
            "klar_text": a.done_mark.text,
            "ovrigt": {name: value.text for name, value in a.extra},
            "rad": a.row,
        }
        for a in plan.activities
    ]
    done = sum(1 for a in activities if a["klar"])
    return {
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
        "plan_ovrigt": {name: _text(value) for name, value in plan.extra_fields},
        "genererad": long_date(today),
    }

def _text(value: Value) -> str:
    return value.text.strip()
