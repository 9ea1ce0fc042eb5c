"""The plan data a document carries is what checking it, as a snapshot read back is checked, keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.versions.snapshot import _checked_plan, _kept_data, plan_data
from generator.workbook.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = [ROOT / "data" / "aktivitetsplan.xlsx", *sorted((ROOT / "tests" / "fixtures" / "real").glob("*.xlsx"))]


@pytest.mark.parametrize("workbook", WORKBOOKS[:6], ids=lambda p: p.stem)
def test_kept_data_is_the_checked_plan_data(workbook):
    plan = read_workbook(workbook)
    kept = _kept_data(plan)
    assert kept == _checked_plan(plan_data(plan))
