"""Render a plan into a Word document through a docxtpl template, and check templates."""

from __future__ import annotations

import copy
import datetime as dt
import io
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import InlineImage
from jinja2.exceptions import TemplateError as JinjaError

from generator.checks.core import logo_path
from generator.checks.images import read_logo
from generator.document import docxml
from generator.document.accessibility import _make_accessible, logo_text
from generator.document.engine import PlanTemplate
from generator.document.layout import activity_table, fit_columns
from generator.document.measures import keep_word_widths, start_measuring, table_measures
from generator.document.mending import _mend_template
from generator.document.plan_tables import _drop_empty_last_section, fit_part_tables
from generator.document.profile_record import profile_findings
from generator.document.properties import _set_properties
from generator.document.rows import detached_rows
from generator.document.template_tags import _written_tags
from generator.document.toc import _fill_table_of_contents
from generator.files.output import write_atomically
from generator.files.resources import DEFAULT_TEMPLATE
from generator.plan.errors import ImageError, TemplateError, WorkbookError, os_reason
from generator.plan.model import Finding, Plan
from generator.template.context import build_context
from generator.template.environment import check_template_source, make_environment, template_error
from generator.template.sandbox import xml_nodes
from generator.template.showing import shown_findings
from generator.template.sizes import LimitError
from generator.versions.changes import template_context
from generator.versions.collector import collection_paused
from generator.versions.docxpart import apply_snapshot
from generator.versions.history import next_snapshot
from generator.versions.snapshot import Snapshot

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_TEMPLATE_UNPACKED = 100 * 1024 * 1024
# A Word document of a hundred pages holds some 50 000; parsed, each node takes about 150 bytes.
MAX_TEMPLATE_XML_NODES = 400_000
LOGO_BOX_MM = (60, 30)


def open_template(path: Path) -> Any:
    """Open a .docx template with docxtpl; TemplateError when it is no usable Word file.

    A server or a batch renders one template many times: each file version (path, time,
    size) is checked and parsed once, and every rendering gets its own deep copy of the
    parsed package, several times cheaper than unzipping and parsing it again.
    """
    key = _version(path)
    with _CACHE_LOCK:
        pristine = _PARSED.get(key) if key is not None else None
        if pristine is not None:
            _PARSED.move_to_end(key)  # type: ignore[arg-type]
    template = PlanTemplate(path)
    if pristine is not None:
        template.docx = copy.deepcopy(pristine)
        return template
    _check_package(path)
    try:
        template.init_docx()
    except Exception:  # python-docx raises many kinds for damaged packages
        raise TemplateError(path, "mallen är skadad och kan inte öppnas som Word-dokument") from None
    _mend_template(template.docx)  # what an edit in Word or Writer would lose: a deleted example row, breaks

    def body_source() -> str | None:  # the Jinja source docxtpl renders the body from
        try:
            return str(template.patch_xml(template.get_xml()))
        except Exception:  # a damaged template is reported where it is checked or rendered
            return None

    docxml._prepare_template(template.docx, body_source)  # tidied once here, not in each document
    if key is not None:
        pristine = copy.deepcopy(template.docx)
        with _CACHE_LOCK:
            _PARSED[key] = pristine
            while len(_PARSED) > MAX_PARSED_TEMPLATES:
                _PARSED.popitem(last=False)
    return template


# Parsed templates kept per process: the default and a user's own (a web upload is a new file each time).
MAX_PARSED_TEMPLATES = 2
_PARSED: OrderedDict[tuple[str, int, int], Any] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def _version(path: Path) -> tuple[str, int, int] | None:
    """What tells one version of a file from another: its real path, modification time and size."""
    try:
        stat = path.stat()
        return str(path.resolve()), stat.st_mtime_ns, stat.st_size
    except OSError:
        return None


def _check_package(path: Path) -> None:
    """TemplateError unless path is a .docx package within the size limits."""
    not_word = "mallen är inget Word-dokument (.docx)"
    if not any(i.filename == "word/document.xml" for i in _package_parts(path, "mallen", not_word)):
        raise TemplateError(path, not_word)


def _package_parts(path: Path, what: str, not_word: str) -> list[zipfile.ZipInfo]:
    """The parts of the Word package at path, once its size, unpacked size and XML are within the limits.

    TemplateError otherwise, naming the file as what ("mallen", "profilen"); not_word is the message
    for a file that is no zip package at all.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise TemplateError(path, f"{what} finns inte") from None
    except OSError as exc:
        raise TemplateError(path, f"{what} kan inte läsas ({os_reason(exc)})") from None
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError(path, f"{what} är större än {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB")
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except PermissionError as exc:
        raise TemplateError(path, f"{what} kan inte läsas ({os_reason(exc)})") from None
    except (zipfile.BadZipFile, OSError, ValueError):  # a file too short to seek in gives an OSError
        raise TemplateError(path, not_word) from None
    if sum(i.file_size for i in infos) > MAX_TEMPLATE_UNPACKED:
        raise TemplateError(path, f"{what} packas upp till för mycket data och läses inte (zip-bomb?)")
    if _template_xml_nodes(path, infos) > MAX_TEMPLATE_XML_NODES:
        raise TemplateError(path, f"{what} har för mycket innehåll (mer än {MAX_TEMPLATE_XML_NODES:,} XML-element "
                                  "och attribut) och läses inte".replace(",", " "))
    return infos


def _template_xml_nodes(path: Path, infos: list[zipfile.ZipInfo]) -> int:
    """The XML nodes of the template's parts, counted before python-docx parses them (memory)."""
    total = 0
    try:
        with zipfile.ZipFile(path) as package:
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    total += xml_nodes(package.read(info))
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        raise TemplateError(path, "mallen är skadad och kan inte öppnas som Word-dokument") from None
    return total


def _template_source(template: Any) -> str:
    """The Jinja source docxtpl renders: body, headers, footers and core properties."""
    parts = [template.patch_xml(template.get_xml())]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _, part in template.get_headers_footers(uri):
            parts.append(template.patch_xml(template.xml_to_string(parse_xml(part.blob))))
    props = template.docx.core_properties
    parts.extend(getattr(props, name) or "" for name in ("author", "comments", "identifier",
                                                           "language", "subject", "title"))
    return "\n".join(parts)


def check_template(path: Path) -> list[Finding]:
    """Findings for a template against the variables it will receive, without rendering it; for a template
    built from a kommun's profile also what it could not take over (profile_record.profile_findings)."""
    return _checked(path, open_template(path))[1] + profile_findings(path)


def template_warnings(path: Path) -> list[Finding]:
    """The warnings of a template a run renders through; TemplateError, as rendering raises it, when it has errors.

    A run calls it before anything else opens the template (the PDF's font check), so that a missing
    or broken template gets the same message with --pdf as without.
    """
    findings = check_template(path)
    _refuse_errors(path, findings)
    return findings


def _refuse_errors(path: Path, findings: list[Finding]) -> None:
    errors = [f.message for f in findings if f.is_error]
    if errors:
        raise TemplateError(path, "; ".join(errors))


_CHECKED: OrderedDict[tuple[str, int, int], tuple[str, list[Finding]]] = OrderedDict()
MAX_CHECKED_TEMPLATES = 16


def _checked(path: Path, template: Any) -> tuple[str, list[Finding]]:
    """The template's Jinja source and its findings, worked out once per file version.

    Batch and watch runs render one template many times over in the same process.
    """
    key = _version(path)
    with _CACHE_LOCK:
        if key is not None and key in _CHECKED:
            return _CHECKED[key]
    try:
        source = _template_source(template)
    except Exception:
        raise TemplateError(path, "mallen är skadad och kan inte läsas") from None
    findings = check_template_source(path, source, tags=lambda: _written_tags(template.docx))
    if not any(f.is_error for f in findings):
        findings += shown_findings(path, template.patch_xml(template.get_xml()))
    checked = (source, findings)
    if key is not None:
        with _CACHE_LOCK:  # bounded: a server sees a new uploaded template file each time
            _CHECKED[key] = checked
            while len(_CHECKED) > MAX_CHECKED_TEMPLATES:
                _CHECKED.popitem(last=False)
    return checked


def render_document(plan: Plan, template_path: Path, output: Path, today: dt.date | None = None,
                    snapshot: Snapshot | None = None) -> None:
    """Render plan into output through template_path; the earlier output survives any failure.

    snapshot is this version of the plan (snapshot.next_snapshot), carried inside the document;
    without one the document is a first version.
    """
    with collection_paused():
        _render_document(plan, template_path, output, today, snapshot)


def _render_document(plan: Plan, template_path: Path, output: Path, today: dt.date | None,
                     snapshot: Snapshot | None) -> None:
    snapshot = snapshot or next_snapshot(plan, None, today or dt.date.today())
    template = open_template(template_path)
    source = ""
    if template_path != DEFAULT_TEMPLATE:
        # Static checks first for a template from elsewhere: they name the tag for what
        # rendering would only fail on. The default template passes them (tested).
        source, problems = _checked(template_path, template)
        _refuse_errors(template_path, problems)
    table = activity_table(template.docx)
    if table is not None:  # fontconfig answers while the document is rendered; finish_document collects it
        start_measuring(template.docx, table)
    context = build_context(plan, today)
    context.update(template_context(snapshot))
    logo = None
    if plan.logo:
        context["logotyp"] = _logo(template, plan)
        logo = context["logotyp"].image_descriptor.getvalue()
    env = make_environment()
    try:
        template.render(context, env)
    except LimitError as exc:
        if exc.volume and template_path == DEFAULT_TEMPLATE:  # the plan's content is what is too much
            raise WorkbookError(plan.source, f"{exc.message}: planen är för stor för ett dokument. Dela upp "
                                             "aktiviteterna på flera arbetsböcker eller korta texterna.") from None
        raise _located(template_path, template, exc, source) from None
    except JinjaError as exc:
        raise _located(template_path, template, exc, source) from None
    except Exception as exc:  # docxtpl's own XML handling of a broken template
        raise TemplateError(template_path, f"mallen kunde inte fyllas i ({type(exc).__name__}: {exc})") from None
    del context  # a long plan's context is as big as the plan: let it go before the document is finished
    document = template.docx
    finish_document(document, plan, logo)

    apply_snapshot(document, snapshot)
    write_atomically(output, lambda temp: template.save(str(temp)))


def _located(template_path: Path, template: Any, exc: JinjaError, source: str) -> TemplateError:
    """A rendering error as a TemplateError naming the tag (template_error)."""
    lines = list(getattr(exc, "docx_context", None) or [])
    pristine = open_template(template_path)
    source = source or _checked(template_path, pristine)[0]
    return template_error(template_path, exc, lines, source, tags=lambda: _written_tags(pristine.docx))


def finish_document(document: Any, plan: Plan, logo: bytes | None = None) -> None:
    """Fill the table of contents, fit the table, set Swedish and the properties, tidy up for Word.

    logo: the logo's image bytes, whose pictures get alternative text (accessibility).
    """
    # The body's tables, found once (each search of a long plan's body takes a walk over all of it): none of
    # the steps below adds one, and those the table of contents takes out with its field are left out after it.
    tables = list(document.element.body.iter(qn("w:tbl")))
    detached = detached_rows(document)  # the activity rows rendering kept out of the tree (rows.py)
    _make_accessible(document, logo, logo_text(plan), tables)  # first: headings it lowers go into the contents
    _fill_table_of_contents(document)
    tables = [table for table in tables if document.element in table.iterancestors()]
    fit_part_tables(document, tables)
    _drop_empty_last_section(document)
    table = activity_table(document, tables)
    if table is not None:
        fit_columns(table, *table_measures(document, table), detached=detached)
    docxml.set_language(document.styles.element)
    docxml.drop_styles_with_effects(document.part)
    docxml._forget_proofing(document.settings.element)
    docxml._normalize_parts(document, docxml.prepared(document), tables)
    _set_properties(document, plan)
    keep_word_widths()  # the words measured for the tables, for the next process to find


def _logo(template: Any, plan: Plan) -> Any:
    """The logo as docxtpl's InlineImage, made of the very bytes that were verified.

    check_plan has reported a bad logo on its Plan cell already; a file changed since
    is reported the same way here, never as the template's fault.
    """
    try:
        logo = read_logo(logo_path(plan))
    except ImageError as exc:
        raise ImageError(plan.logo.cell or exc.place, f"{exc.message} ({plan.logo.text.strip()})") from None
    box_w, box_h = LOGO_BOX_MM
    scale = min(box_w / logo.width, box_h / logo.height)
    return InlineImage(template, io.BytesIO(logo.data), width=Mm(logo.width * scale),
                       height=Mm(logo.height * scale))
