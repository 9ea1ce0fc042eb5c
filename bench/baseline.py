"""The naive baseline the benchmark compares with: docxtpl as most of its users write it.

openpyxl's full (not read-only) load, a RichText in every table cell (red for a done
row), and docxtpl's own render with autoescape. Run: python bench/baseline.py WORKBOOK OUTPUT TEMPLATE
"""

from __future__ import annotations

import sys

from docxtpl import DocxTemplate, RichText
from openpyxl import load_workbook

YES = {"ja", "j", "x", "1", "sant", "true", "klar", "gjord", "färdig"}
FIELDS = ("aktivitet", "syfte", "tid", "kanal", "ansvarig")


def main(workbook_path: str, output: str, template: str) -> None:
    workbook = load_workbook(workbook_path, data_only=True)
    plan = {str(row[0].value).strip().lower(): row[1].value for row in workbook["Plan"].iter_rows(min_row=1)}
    sections = []
    for heading, text in workbook["Avsnitt"].iter_rows(min_row=2, values_only=True):
        if heading:
            paragraphs = [p for p in str(text or "").split("\n\n") if p.strip()]
            sections.append({"rubrik": heading, "stycken": [{"text": p, "punkt": False} for p in paragraphs]})
    rows = []
    for values in workbook["Aktiviteter"].iter_rows(min_row=2, values_only=True):
        if not values or values[0] is None:
            continue
        done = str(values[5] or "").strip().lower() in YES
        cells = {
            field: RichText(str(value) if value is not None else "", color="C00000" if done else None)
            for field, value in zip(FIELDS, values[:5])
        }
        rows.append(cells)
    context = {
        "kommun": plan.get("kommun"), "titel": plan.get("titel") or f"Aktivitetsplan – {plan.get('kommun')}",
        "datum": str(plan.get("datum") or ""), "projekt": plan.get("projekt") or "", "slogan": plan.get("slogan") or "",
        "logotyp": "", "avsnitt": sections, "aktiviteter": rows,
        "sammanfattning": f"{len(rows)} aktiviteter",
    }
    document = DocxTemplate(template)
    document.render(context, autoescape=True)
    document.save(output)


if __name__ == "__main__":
    main(*sys.argv[1:4])
