"""Turn a Word plan (.docx) into the tool's own workbook: the library's entry points for import."""

from __future__ import annotations

from pathlib import Path

from generator.importing.activities import _read_activities, find_activity_table
from generator.importing.carried import _add_carried
from generator.importing.docxread import _read_document
from generator.importing.report import Collected, ImportReport
from generator.importing.sections import _find_headings, _leave_out_toc, _read_body, _read_title_page
from generator.plan.errors import DocumentError, OutputError
from generator.plan.schema import ACTIVITIES
from generator.plan.values import parse_done
from generator.workbook.starter import CORE_ACTIVITY_COLUMNS, StarterContent, write_starter


def import_plan(path: Path) -> tuple[StarterContent, ImportReport]:
    """Read a Word plan into the workbook content; DocumentError when it holds no recognisable plan."""
    document = _read_document(path)
    found = Collected()
    activity = find_activity_table(document)
    activity_tables = list(activity.tables) if activity is not None else []
    headings = _find_headings(document)
    if not headings and not activity_tables:
        raise DocumentError(path, "dokumentet innehåller ingen aktivitetsplan som går att känna igen: inga "
                                  "rubriker och ingen tabell med kolumnerna " + ", ".join(CORE_ACTIVITY_COLUMNS) + ".")
    _leave_out_toc(document, found)
    body_start = _read_title_page(document, headings, activity_tables, found)
    _read_body(document, body_start, headings, activity_tables, found)
    if activity is not None:
        _read_activities(activity, found)
    else:
        found.doubt(path.name, "ingen aktivitetstabell hittades (en tabell med kolumnerna Aktivitet, Syfte och "
                               "målgrupp, Tid, Kanal, Ansvarig); bladet Aktiviteter är tomt")
    _add_carried(path, found)
    content = StarterContent(
        plan=found.plan,
        sections=[(heading, "\n\n".join(chunks)) for heading, chunks in found.sections],
        activities=found.activities,
        activity_columns=found.columns,
        extra_columns=tuple(found.extra_columns),
        target_groups=found.target_groups,
    )
    klar = found.columns.index(ACTIVITIES.column("Klar").header)
    done = sum(1 for row in found.activities if parse_done(row[klar]) is True)
    report = ImportReport(str(path), len(found.sections), len(found.activities), done,
                          tuple(found.mapped), tuple(found.left_out), tuple(found.unsure))
    return content, report


def default_output(document: Path) -> Path:
    """The workbook beside the document: plan.docx → plan.xlsx."""
    return document.with_suffix(".xlsx")


def import_document(document: Path, output: Path | None = None, force: bool = False) -> tuple[Path, ImportReport]:
    """Import a Word plan and write its workbook (never over the document, nor over a file without force)."""
    target = output or default_output(document)
    if target.is_dir():
        target = target / f"{document.stem}.xlsx"
    try:
        same = target.exists() and target.resolve() == document.resolve()
    except OSError:
        same = False
    if same or target == document:
        raise OutputError(target, "arbetsboken kan inte skrivas över Word-dokumentet som läses. "
                                  "Välj ett annat namn med -o.")
    content, report = import_plan(document)
    write_imported(content, target, force)
    return target, report


def write_imported(content: StarterContent, target: Path, force: bool = False) -> Path:
    """Write imported content as a workbook in the format `init` writes."""
    return write_starter(target, content, force=force)
