"""The check flow both faces call first: read a workbook and check it, every finding with its place."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from generator.checks.core import check_plan, check_recipients
from generator.plan.model import EMPTY, Finding, HasFindings, Plan, Severity, Value
from generator.versions.snapshot import Snapshot
from generator.workbook.reader import read_workbook


class _Run(NamedTuple):
    """What one run produced: the plan, its findings (warnings only on success) and the files."""

    plan: Plan
    findings: tuple[Finding, ...]
    output: Path | None = None
    pdf: Path | None = None
    version: Snapshot | None = None  # the version the document carries (versions/snapshot.py)
    calendar: Path | None = None     # the .ics written, when one was asked for and had events
    events: int = 0                  # the calendar's events: one per activity with a readable start


class Result(_Run, HasFindings):
    """What one run produced, with its errors and warnings apart (HasFindings)."""

    __slots__ = ()


class Apart(NamedTuple):
    """A logo that came apart from its workbook (an upload): the file beside it under another name, or None."""

    path: Path | None = None


def check_workbook(workbook: Path, logo: Apart | None = None) -> Result:
    """Read and check a workbook, Sändlista's addresses as warnings. WorkbookError when it cannot be read.

    logo: where the Plan's Logotyp is when it did not come in the workbook's folder (the web page);
    None reads it from the workbook's folder, as the command line does.
    """
    plan = read_workbook(workbook)
    notes: tuple[Finding, ...] = ()
    if logo is not None:
        plan, notes = _with_logo(plan, logo)
    return Result(plan, check_plan(plan) + notes + check_recipients(plan))


def _with_logo(plan: Plan, logo: Apart) -> tuple[Plan, tuple[Finding, ...]]:
    """The plan pointing at the logo that came apart, or without one (and a warning) when none came."""
    if not plan.logo:
        return plan, ()
    if logo.path is None:
        warning = Finding(plan.logo.cell, f"logotypen ({plan.logo.text.strip()}) skickades inte med och "
                                          "utelämnas; välj bildfilen under Logotyp", Severity.WARNING)
        return plan._replace(logo=EMPTY), (warning,)
    if logo.path.parent.resolve() != Path(plan.base_dir).resolve():
        raise ValueError("the logo must lie in the workbook's folder")
    return plan._replace(logo=Value(logo.path.name, plan.logo.cell)), ()
