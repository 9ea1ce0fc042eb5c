"""The documented limits on what is read: at most 10 000 activities and 500 sections, said with the limit."""

from __future__ import annotations

import pytest

from conftest import ACTIVITY_HEADER
from generator.workbook.reader import read_workbook
from generator.workbook.safety import MAX_ACTIVITIES, MAX_SECTIONS


def test_limits_are_the_documented_ones():
    assert (MAX_ACTIVITIES, MAX_SECTIONS) == (10_000, 500)


@pytest.mark.slow  # 10 000 rows
def test_too_many_activities_is_an_error_with_the_limit(make_workbook):
    rows = [ACTIVITY_HEADER, *([f"A{i}"] for i in range(MAX_ACTIVITIES + 2))]
    plan = read_workbook(make_workbook(Aktiviteter=rows))
    assert len(plan.activities) == MAX_ACTIVITIES
    assert [str(f) for f in plan.findings if f.is_error] == [
        "Aktiviteter: planen har 10 002 aktiviteter; högst 10 000 tas med"]


@pytest.mark.slow  # 10 000 rows
def test_exactly_the_limit_is_fine(make_workbook):
    rows = [ACTIVITY_HEADER, *([f"A{i}"] for i in range(MAX_ACTIVITIES))]
    plan = read_workbook(make_workbook(Aktiviteter=rows))
    assert len(plan.activities) == MAX_ACTIVITIES
    assert not [f for f in plan.findings if f.is_error]


def test_too_many_sections_is_an_error_with_the_limit(make_workbook):
    rows = [["Rubrik", "Text"], *([f"R{i}", "text"] for i in range(MAX_SECTIONS + 1))]
    plan = read_workbook(make_workbook(Avsnitt=rows))
    assert len(plan.sections) == MAX_SECTIONS
    assert [str(f) for f in plan.findings if f.is_error] == ["Avsnitt: planen har 501 avsnitt; högst 500 tas med"]


@pytest.mark.slow  # 10 000 rows
def test_hidden_rows_do_not_count(make_workbook):
    rows = [ACTIVITY_HEADER, *([f"A{i}"] for i in range(MAX_ACTIVITIES + 1))]

    def style(workbook):
        workbook["Aktiviteter"].row_dimensions[5].hidden = True
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    assert len(plan.activities) == MAX_ACTIVITIES
    assert not [f for f in plan.findings if f.is_error]
