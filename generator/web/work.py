"""What one upload asks for, done by the library in a worker process: check, render, outline."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import FindingsError, PlanError
from generator.model import Finding, HasFindings, Plan

DOCUMENT_NAME = "plan.docx"


@dataclass(frozen=True)
class OutlineSection:
    heading: str
    blocks: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class OutlineRow:
    cells: tuple[str, ...]
    done: bool


@dataclass(frozen=True)
class Outline:
    """The document in brief for the page, when no page images can be made."""

    title: str
    sections: tuple[OutlineSection, ...]
    columns: tuple[str, ...]
    rows: tuple[OutlineRow, ...]


@dataclass(frozen=True)
class Checked(HasFindings):
    """What the page and the API show for one upload; document is set when the plan was rendered."""

    stem: str
    findings: tuple[Finding, ...]
    summary: str = ""
    outline: Outline | None = None
    document: Path | None = None
    plan: Plan | None = field(default=None, repr=False)
    content: bytes = field(default=b"", repr=False)  # the document's bytes, for the API (not for_page)


def outline(plan: Plan) -> Outline:
    """Sections and the activity table of a plan, as plain text."""
    from generator.context import plan_title
    from generator.schema import table_columns

    shown = table_columns()
    columns = tuple(c.header for c in shown) + plan.extra_columns
    rows = tuple(
        OutlineRow(
            (*(("Ja" if a.done else "") if c.field == "done_mark" else getattr(a, c.field).text for c in shown),
             *(v.text for _, v in a.extra)),
            a.done,
        )
        for a in plan.activities
    )
    sections = tuple(
        OutlineSection(s.heading.text, tuple((b.text, b.bullet) for b in s.blocks)) for s in plan.sections
    )
    return Outline(plan_title(plan), sections, columns, rows)


def _shown(error: PlanError, names: dict[str, str]) -> tuple[Finding, ...]:
    """The error's findings with the server's file names replaced by the uploaded ones."""
    findings = error.findings if isinstance(error, FindingsError) else (Finding(error.place, error.message),)
    return _renamed(findings, names)


def _renamed(findings: tuple[Finding, ...], names: dict[str, str]) -> tuple[Finding, ...]:
    return tuple(Finding(_rename(f.place, names), _rename(f.message, names), f.severity) for f in findings)


def _rename(text: str, names: dict[str, str]) -> str:
    for path, name in names.items():
        text = text.replace(path, name)
    return text


def process(folder: Path, files: dict[str, Path], names: dict[str, str], render: bool = True,
            for_page: bool = True) -> Checked:
    """Check the uploaded workbook (and template), and render the plan when it has no errors.

    Runs in a worker process; every PlanError comes back as findings naming the uploaded files.
    for_page: include the outline and the plan (the page shows them; the API answers without them).
    """
    from generator.render import check_template
    from generator.uploaded import check_upload, render_checked

    shown = {str(path): names[key] for key, path in files.items()}
    shown[str(folder) + os.sep] = ""
    if "logotyp" in files:  # the workbook's logo cell is read as the file sent along
        shown[files["logotyp"].name] = names["logotyp"]
    workbook = files["arbetsbok"]
    stem = Path(names["arbetsbok"]).stem
    try:
        result, findings = check_upload(workbook, files.get("logotyp"))
    except PlanError as error:
        return Checked(stem, _shown(error, shown))
    findings = _renamed(findings, shown)
    template = files.get("mall")
    if template is not None:
        try:
            template_findings = tuple(check_template(template))
        except PlanError as error:
            template_findings = _shown(error, shown)
        findings += _renamed(template_findings, shown)
    shown_plan = result.plan if for_page else None
    checked = Checked(stem, findings, result.plan.summary(), outline(result.plan) if for_page else None,
                      plan=shown_plan)
    if not render or checked.errors:
        return checked
    try:
        render_checked(result, folder / DOCUMENT_NAME, template)
    except PlanError as error:
        return Checked(stem, findings + _shown(error, shown), checked.summary, checked.outline, plan=shown_plan)
    document = folder / DOCUMENT_NAME
    content = b"" if for_page else document.read_bytes()  # answered as it is: no file reading in the server
    return Checked(stem, findings, checked.summary, checked.outline, document, shown_plan, content)


def _warm_up() -> None:
    """Import the heavy libraries and read the default template once per worker."""
    import docxtpl  # noqa: F401
    import openpyxl  # noqa: F401

    import generator.uploaded  # noqa: F401
    from generator.render import DEFAULT_TEMPLATE, open_template

    open_template(DEFAULT_TEMPLATE)
    # What the imports and the template built lives as long as the worker: frozen out of the
    # collector's way, so that its collections walk only a plan's own objects, and less often
    # (a plan makes some 10^5 container objects; refcounting frees nearly all of them).
    gc.collect()
    gc.freeze()
    # gc.set_threshold(10_000, 10, 10)


def make_executor(workers: int) -> Executor:
    """Worker processes, one per core by default, kept for the server's life (no process per request)."""
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["generator.web.work", "generator.uploaded", "docxtpl", "openpyxl"])
    else:
        context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_warm_up)
    return executor
