"""Check and render a workbook that arrived without its folder (uploaded): the logo comes separately."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from generator.checks import check_plan, check_recipients
from generator.errors import FindingsError
from generator.model import EMPTY, Finding, Plan, Severity, Value
from generator.pipeline import Result

LOGO_NAME = "logotyp"


def _with_logo(plan: Plan, logo: Path | None) -> tuple[Plan, tuple[Finding, ...]]:
    """The plan pointing at the uploaded logo, or without one (and a warning) when none came."""
    if not plan.logo:
        return plan, ()
    if logo is None:
        warning = Finding(plan.logo.cell, f"logotypen ({plan.logo.text.strip()}) skickades inte med och "
                                          "utelämnas; välj bildfilen under Logotyp", Severity.WARNING)
        return dataclasses.replace(plan, logo=EMPTY), (warning,)
    if logo.parent.resolve() != Path(plan.base_dir).resolve():
        raise ValueError("the logo must lie in the workbook's folder")
    return dataclasses.replace(plan, logo=Value(logo.name, plan.logo.cell)), ()


def check_upload(workbook: Path, logo: Path | None = None) -> tuple[Result, tuple[Finding, ...]]:
    """The Result as generate would judge it, and the findings `check` shows (Sändlista's too).

    Raises WorkbookError when the file cannot be read at all.
    """
    from generator.workbook import read_workbook

    plan, logo_findings = _with_logo(read_workbook(workbook), logo)
    findings = check_plan(plan) + logo_findings
    return Result(plan, findings), findings + check_recipients(plan)


def render_checked(result: Result, output: Path, template: Path | None = None,
                   today: dt.date | None = None) -> Result:
    """Render a checked upload into output; FindingsError (nothing written) when it has errors."""
    from generator.render import DEFAULT_TEMPLATE, render_document

    if result.errors:
        raise FindingsError(result.plan.source, result.findings)
    render_document(result.plan, template or DEFAULT_TEMPLATE, output, today)
    return dataclasses.replace(result, output=output)


def generate_upload(workbook: Path, output: Path, template: Path | None = None, logo: Path | None = None,
                    today: dt.date | None = None) -> Result:
    """pipeline.generate for an uploaded workbook whose logo (if any) was uploaded beside it."""
    return render_checked(check_upload(workbook, logo)[0], output, template, today)
