"""What one upload asks for, done by the library in a worker process: check, render, outline."""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import sys
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.document.fonts import pdf_font_findings
from generator.document.render import check_template
from generator.files.paths import Targets
from generator.flows.checking import Apart, check_workbook
from generator.flows.generating import stage, warm_up
from generator.flows.initializing import build_profile_template
from generator.plan.errors import FindingsError, OutputError, PlanError, WordDocumentError, os_reason
from generator.plan.folding import fold_findings
from generator.plan.model import Finding, HasFindings, Plan
from generator.plan.places import in_cell_order
from generator.plan.schema import DONE_TEXT, table_columns
from generator.template.context import plan_title
from generator.web.wording import COMMANDS_ON_THE_PAGE

DOCUMENT_NAME = "dokument.docx"  # not any upload's stored name (uploads.FILE_FIELDS: plan.docx is an import's)
PROFILE_TEMPLATE_NAME = "mall-i-kommunens-utseende.docx"


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
    word_document: bool = False  # a Word document came instead of a workbook (the page points to import)
    template: Path | None = None  # the template built in the kommun's look, when a profile came along

    @property
    def shown_warnings(self) -> tuple[Finding, ...]:
        """The warnings as the page lists them: past a few of one kind, the rest as one line."""
        return fold_findings(self.warnings)


# How the page's preview heads a column of the workbook that the default template does not show.
NOT_IN_DOCUMENT = "{} (syns inte i Word-dokumentet)"


def outline(plan: Plan, own_template: bool = False) -> Outline:
    """Sections and the activity table of a plan, as plain text.

    The workbook's other columns come last; unless a template of one's own may show them, their
    headings say that the document does not (a misspelt "Tiid" is not mistaken for Tid).
    """
    shown = table_columns()
    extra = plan.extra_columns if own_template else tuple(NOT_IN_DOCUMENT.format(c) for c in plan.extra_columns)
    columns = tuple(c.header for c in shown) + extra
    rows = tuple(
        OutlineRow(
            (*((DONE_TEXT if a.done else "") if c.field == "done_mark" else getattr(a, c.field).text for c in shown),
             *(v.text for _, v in a.extra)),
            a.done,
        )
        for a in plan.activities
    )
    sections = tuple(
        OutlineSection(s.heading.text, tuple((b.text, b.bullet) for b in s.blocks)) for s in plan.sections
    )
    return Outline(plan_title(plan), sections, columns, rows)


def server_fault(error: BaseException) -> Finding:
    """The server's own disk failed it (full, a file gone): said without the server's paths.

    An OutputError is always that on the web: the page writes only in the server's own folders.
    """
    cause = error if isinstance(error, OSError) else error.__cause__
    reason = f" ({os_reason(cause)})" if isinstance(cause, OSError) else ""
    return Finding("servern", f"servern kunde inte göra klart{reason}; försök igen om en stund, och hjälper det inte, "
                              "kontakta den som driver tjänsten")


def _raw(error: PlanError) -> tuple[Finding, ...]:
    """The error as findings, still with the server's file names."""
    if isinstance(error, OutputError):
        return (server_fault(error),)
    return error.findings if isinstance(error, FindingsError) else (Finding(error.place, error.message),)


def _shown(error: PlanError, names: dict[str, str]) -> tuple[Finding, ...]:
    """The error's findings with the server's file names replaced by the uploaded ones."""
    return _renamed(_raw(error), names)


def _renamed(findings: tuple[Finding, ...], names: dict[str, str]) -> tuple[Finding, ...]:
    return tuple(Finding(_rename(f.place, names), _rename(f.message, names), f.severity) for f in findings)


def _rename(text: str, names: dict[str, str]) -> str:
    """text with each server path or stored name replaced by what the user knows it as, in one pass.

    One pass: an uploaded name that holds a stored one ("min-arbetsbok.xlsx") is not replaced again.
    A stored name stands alone ("arbetsbok.xlsx: …"), never as part of a longer name.
    """
    keys = sorted(names, key=len, reverse=True)
    pattern = "|".join(re.escape(key) if os.sep in key else rf"(?<![\w.-]){re.escape(key)}(?![\w-])" for key in keys)
    return re.sub(pattern, lambda found: names[found.group()], text) if keys else text


def process(folder: Path, files: dict[str, Path], names: dict[str, str], render: bool = True,
            for_page: bool = True, pdf_fonts: bool = False) -> Checked:
    """Check the uploaded workbook (and template), and make the plan when it has no errors: the CLI's flows.

    Runs in a worker process; every PlanError comes back as findings naming the uploaded files.
    The page keeps nothing: the document is a first version, and the logo (if any) came apart.
    for_page: include the outline and the plan (the page shows them; the API answers without them).
    pdf_fonts: warn of the fonts the PDF would replace, as the CLI's --pdf does (the page makes a PDF).
    """
    shown = {str(path): names[key] for key, path in files.items()}
    shown[str(folder) + os.sep] = ""
    if for_page:  # renamed in the same pass: what to run, as the page offers it (an API client keeps the command)
        shown.update(COMMANDS_ON_THE_PAGE)
    for key, path in files.items():  # a message may name a file alone ("arbetsbok.xlsx: bladet … saknas")
        shown.setdefault(path.name, names[key])
    stem = Path(names["arbetsbok"]).stem
    try:
        return _process(folder, files, names, shown, stem, render, for_page, pdf_fonts)
    except OSError as error:  # the server's disk: full, or a file gone; its paths are not shown
        return Checked(stem, (server_fault(error),))


def _process(folder: Path, files: dict[str, Path], names: dict[str, str], shown: dict[str, str], stem: str,
             render: bool, for_page: bool, pdf_fonts: bool) -> Checked:
    try:
        result = check_workbook(files["arbetsbok"], Apart(files.get("logotyp")))
    except PlanError as error:
        return Checked(stem, _shown(error, shown), word_document=isinstance(error, WordDocumentError))
    findings = in_cell_order(_renamed(result.findings, shown))
    template = files.get("mall")
    built = None
    if "profil" in files:  # the kommun's look: the template (or the default) rebuilt in it, then used
        try:
            build_profile_template(template, files["profil"], folder / PROFILE_TEMPLATE_NAME, names["profil"])
        except PlanError as error:
            return Checked(stem, findings + _shown(error, shown), result.plan.summary())
        template = built = folder / PROFILE_TEMPLATE_NAME
    if template is not None:
        try:
            template_findings = tuple(check_template(template))
        except PlanError as error:
            template_findings = _raw(error)
        findings += _renamed(template_findings, shown)  # renamed once: a name may hold a stored one
    shown_plan = result.plan if for_page else None
    shown_outline = outline(result.plan, "mall" in files) if for_page else None
    checked = Checked(stem, findings, result.plan.summary(), shown_outline, plan=shown_plan, template=built)
    if not render or checked.errors:
        return checked
    document = folder / DOCUMENT_NAME
    try:
        # Staged in the request's own folder, under a name no upload has: it stays there, nothing to move.
        stage(result, Targets(document), folder, template)
    except PlanError as error:
        return Checked(stem, findings + _shown(error, shown), checked.summary, checked.outline, plan=shown_plan,
                       template=built)
    if pdf_fonts:  # the rendered document's fonts; a profile's template has named its own already
        said = {f.message for f in findings}
        findings += tuple(f for f in pdf_font_findings(document) if f.message not in said)
    content = b"" if for_page else document.read_bytes()  # answered as it is: no file reading in the server
    return Checked(stem, findings, checked.summary, checked.outline, document, shown_plan, content, template=built)


def _warm_up() -> None:
    """Load what making a plan needs once per worker, then keep it out of the collector's way."""
    warm_up()
    # What the imports and the template built lives as long as the worker: frozen out of the
    # collector's way, so that its collections walk only a plan's own objects, and less often
    # (a plan makes some 10^5 container objects; refcounting frees nearly all of them).
    gc.collect()
    gc.freeze()


def _make_executor(workers: int) -> Executor:
    """Worker processes, one per core by default, kept for the server's life (no process per request)."""
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["generator.web.work", "generator.flows.generating", "docxtpl", "openpyxl"])
    else:
        context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_warm_up)
    return executor
