"""data/aktivitetsplan.xlsx holds the seed's Mittköping plan."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import EXAMPLE, ROOT
from generator.checks.core import load_plan

sys.path.insert(0, str(ROOT / "tools"))
from build_example import ACTIVITIES, SECTIONS, example_activities

SEED = ROOT.parent / "shared" / "seeds" / "aktivitetsplan-mittkoping.txt"


def test_example_has_the_fifteen_activities_in_order():
    plan, findings = load_plan(EXAMPLE)
    # The one warning is meant: the seed's "Höst - pågående" has no year.
    assert [str(f) for f in findings] == ["Aktiviteter!C5: Tid utan år räknas till 2018, planens år (Plan!B4)"]
    assert plan.municipality.text == "Mittköping"
    assert len(plan.activities) == 15
    assert [a.time.text for a in plan.activities] == [a[2] for a in ACTIVITIES]  # the seed's Tid, word for word
    for activity, expected in zip(plan.activities, example_activities(), strict=True):
        got = (activity.activity.text, activity.purpose.text, activity.time.text,
               activity.channel.text, activity.responsible.text)
        assert got == tuple(expected[:5])
    assert [s.heading.text for s in plan.sections] == [h for h, _ in SECTIONS]
    assert 0 < plan.done_count < 15


def _words(text: str) -> str:
    return re.sub(r"<[^>]+>|\s+", " ", text).replace("VI GÖR DET ENKLARE!", " ")


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is not beside this checkout")
def test_activities_are_word_for_word_the_seed():
    """Every field's words stand in the seed in order (rows split over pages interleave)."""
    seed = _words(SEED.read_text(encoding="utf-8")).split()
    for activity in ACTIVITIES:
        for field in activity[:4]:
            words = str(field).split()
            starts = [i for i in range(len(seed)) if seed[i:i + len(words[:2])] == words[:2]]
            assert any(_in_order(words, seed[i:i + 3 * len(words) + 20]) for i in starts), field[:60]


def _in_order(words: list[str], window: list[str]) -> bool:
    position = 0
    for word in words:
        try:
            position = window.index(word, position) + 1
        except ValueError:
            return False
    return True
