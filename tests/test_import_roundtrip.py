"""Round trip: any plan the tool can write comes back from its own document as the same plan."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import write_workbook
from generator.flows.generating import generate
from generator.importing import import_document
from generator.importing.guidance import is_placeholder
from generator.template.context import plan_title
from generator.workbook.reader import read_workbook

# Free text as people type it: Swedish letters, digits, punctuation, XML's special characters and braces.
_FIRST = "abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789"
_REST = _FIRST + ".,:;!?&<>\"'()/%{}–-é"
words = st.builds(lambda first, rest: first + rest, st.sampled_from(_FIRST),
                  st.text(alphabet=_REST, max_size=8))
line = st.lists(words, min_size=1, max_size=6).map(" ".join)
lines = st.lists(line, min_size=1, max_size=3).map("\n".join)  # a single line break stays inside
heading = line


@st.composite
def section_text(draw) -> str:  # type: ignore[no-untyped-def]
    """Section text as typed in the sheet: paragraphs split by blank lines, bullets as "- " lines."""
    chunks = []
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            chunks.append("\n".join("- " + b for b in draw(st.lists(line, min_size=1, max_size=3))))
        else:
            chunks.append(draw(lines))
    return "\n\n".join(chunks)


@st.composite
def activity(draw) -> list[object]:  # type: ignore[no-untyped-def]
    optional = st.one_of(st.just(""), lines)
    return [draw(lines), draw(optional), draw(st.one_of(st.just(""), line)), draw(optional),
            draw(st.one_of(st.just(""), line)), draw(st.sampled_from(["Ja", ""]))]


plans = st.fixed_dictionaries({
    "kommun": line,
    "projekt": st.one_of(st.just(""), line),
    "slogan": st.one_of(st.just(""), line),
    "datum": st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31))),
    "sections": st.lists(st.tuples(heading, section_text()), min_size=1, max_size=5),
    "activities": st.lists(activity(), min_size=0, max_size=6),
})


def _comparable(plan):  # type: ignore[no-untyped-def]
    return (
        plan_title(plan), plan.municipality.text.strip(), plan.project.text.strip(), plan.slogan.text.strip(),
        [(s.heading.text.strip(), s.blocks) for s in plan.sections],
        [(a.activity.text, a.purpose.text, a.time.text, a.channel.text, a.responsible.text, a.done)
         for a in plan.activities],
    )


def _plan(**changes: object) -> dict[str, object]:
    return {"kommun": "a", "projekt": "", "slogan": "", "datum": None, "sections": [("a", "")],
            "activities": [], **changes}


@pytest.mark.slow  # generates and imports 25+ plans
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans)
@example(_plan(sections=[("a", "o a")]))  # found by hypothesis: "o " was once read as a typed bullet
@example(_plan(slogan="2"))  # found by hypothesis: a slogan of digits was once taken for the page number
@example(_plan(sections=[("Innehåll", "a")], activities=[["Aktivitet", "", "", "", "", "Ja"]]))
def test_generate_import_generate_keeps_the_plan(plan):
    # A row holding nothing but a placeholder of the old template ("Namn", "XXX") is left out by design.
    assume(not any(is_placeholder(str(a[0])) and not any(a[1:5]) for a in plan["activities"]))
    rows = [["Fält", "Värde"], ["Kommun", plan["kommun"]], ["Projekt", plan["projekt"]],
            ["Slogan", plan["slogan"]]]
    if plan["datum"] is not None:
        rows.append(["Datum", plan["datum"]])
    sheets = {
        "Plan": rows,
        "Avsnitt": [["Rubrik", "Text"], *[list(s) for s in plan["sections"]]],
        "Aktiviteter": [["Aktivitet", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig", "Klar"],
                        *plan["activities"]],
    }
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        source = write_workbook(folder / "plan.xlsx", sheets)
        first = generate(source, folder / "plan.docx", today=dt.date(2020, 5, 4))
        workbook, _ = import_document(first.output, folder / "tillbaka.xlsx")
        again = read_workbook(workbook)
        assert _comparable(again) == _comparable(first.plan)
        assert again.date.date == (plan["datum"] or dt.date(2020, 5, 4))
        second = generate(workbook, folder / "igen.docx", today=dt.date(2020, 5, 4))
        assert _comparable(second.plan) == _comparable(first.plan)
