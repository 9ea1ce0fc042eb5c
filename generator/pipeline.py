"""The library's entry points: check a workbook, generate its document, name outputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.checks import load_plan
from generator.errors import FindingsError
from generator.model import Finding, Plan

DEFAULT_WORKBOOK = Path("data") / "aktivitetsplan.xlsx"
DEFAULT_OUTPUT_DIR = Path("out")


@dataclass(frozen=True)
class Result:
    """What one run produced: the plan, its findings (warnings only on success) and the file."""

    plan: Plan
    findings: tuple[Finding, ...]
    output: Path | None = None

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_error)


def default_output(workbook: Path, suffix: str = ".docx") -> Path:
    """out/<workbook name>.docx."""
    return DEFAULT_OUTPUT_DIR / (workbook.stem + suffix)


def check_workbook(workbook: Path) -> Result:
    """Read and check a workbook. Raises WorkbookError when it cannot be read at all."""
    plan, findings = load_plan(workbook)
    return Result(plan, findings)


def generate(
    workbook: Path,
    output: Path | None = None,
    template: Path | None = None,
    today: dt.date | None = None,
) -> Result:
    """Check a workbook and render its plan; FindingsError (nothing written) on errors."""
    from generator.render import DEFAULT_TEMPLATE, render_document

    checked = check_workbook(workbook)
    if checked.errors:
        raise FindingsError(workbook, checked.findings)
    target = output or default_output(workbook)
    render_document(checked.plan, template or DEFAULT_TEMPLATE, target, today)
    return Result(checked.plan, checked.findings, target)
