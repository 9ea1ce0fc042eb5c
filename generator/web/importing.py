"""Bring an existing plan in through the page and the API: a Word plan in, the tool's workbook out."""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from generator.importing.importer import import_plan, write_imported
from generator.plan.errors import OutputError, PlanError
from generator.plan.model import Finding
from generator.web import security
from generator.web.names import download_headers
from generator.web.state import _web_of
from generator.web.uploads import UploadError
from generator.web.wording import USE_THE_WORKBOOK
from generator.web.work import Checked, server_fault

WORKBOOK_NAME = "arbetsbok.xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Imported:
    """What import made of an uploaded Word plan: the report's parts, or the reason it could not be read."""

    stem: str
    summary: str = ""
    mapped: tuple[Finding, ...] = ()
    left_out: tuple[Finding, ...] = ()
    unsure: tuple[Finding, ...] = ()
    problem: Finding | None = None
    workbook: Path | None = None


def convert(folder: Path, document: Path, shown_name: str, for_page: bool = True) -> Imported:
    """Import the uploaded document into folder/arbetsbok.xlsx; runs in a worker process.

    Every message names the uploaded file by the name it had, never the server's path; on the page,
    advice to run a command is said as what to do on the page.
    """
    stem = Path(shown_name).stem
    command = f"aktivitetsplan generate {document.name}"  # a workbook sent in: it is used as it is
    instead = USE_THE_WORKBOOK if for_page else f"aktivitetsplan generate {shown_name}"

    def shown(finding: Finding) -> Finding:
        return Finding(finding.place.replace(str(document), shown_name),
                       finding.message.replace(str(document), shown_name).replace(command, instead),
                       finding.severity)

    try:
        content, report = import_plan(document)
        target = write_imported(content, folder / WORKBOOK_NAME)
    except (OutputError, OSError) as error:  # the server's own disk: said without its paths
        return Imported(stem, problem=server_fault(error))
    except PlanError as error:
        return Imported(stem, problem=shown(Finding(error.place, error.message)))
    return Imported(stem, report.summary(), tuple(map(shown, report.mapped)), tuple(map(shown, report.left_out)),
                    tuple(map(shown, report.unsure)), workbook=target)


async def _imported(request: Request) -> tuple[Any, Any, Imported] | Response:
    """Take the upload (field plan) and import it in a worker; an upload problem as the page or API answers it."""
    web = _web_of(request)
    api = request.url.path.startswith("/api/")
    try:
        upload = await web.take_upload(request, required="plan")
    except UploadError as error:
        if api:
            return web.problem(error.status, (Finding(error.place, error.message),))
        if not web.csrf_ok(request, error.fields.get(security.CSRF_FIELD)):
            return web.forbidden(request)
        return web.render(request, "import.html", error.status,
                          imported=Imported("", problem=Finding(error.place, error.message)))
    if not api and not web.csrf_ok(request, upload.fields.get(security.CSRF_FIELD)):
        shutil.rmtree(upload.folder, ignore_errors=True)
        return web.forbidden(request)
    loop = asyncio.get_running_loop()
    try:
        imported = await loop.run_in_executor(web.executor, convert, upload.folder, upload.files["plan"],
                                              upload.names["plan"], not api)
    except BaseException:
        shutil.rmtree(upload.folder, ignore_errors=True)
        raise
    upload.files["plan"].unlink(missing_ok=True)  # the uploaded document is not kept, only the workbook
    return web, upload, imported


async def import_form(request: Request) -> Response:
    """The page of its own for a plan in Word (the first page has the same form at its foot)."""
    return _web_of(request).render(request, "import.html")


async def import_page(request: Request) -> Response:
    outcome = await _imported(request)
    if isinstance(outcome, Response):
        return outcome
    web, upload, imported = outcome
    if imported.workbook is None:
        shutil.rmtree(upload.folder, ignore_errors=True)
        return web.render(request, "import.html", 422, imported=imported)
    entry = web.store.add(upload.folder, Checked(imported.stem, imported.unsure, imported.summary))
    entry.imported = imported
    return RedirectResponse(f"/importera/{entry.id}", status_code=303)


async def import_result(request: Request) -> Response:
    web = _web_of(request)
    entry = web.entry_or_404(request)
    if entry.imported is None:
        return web.render(request, "page.html", 404, notice="Resultatet finns inte längre. Välj dokumentet igen.")
    return web.render(request, "import.html", entry=entry, imported=entry.imported)


async def import_download(request: Request) -> Response:
    entry = _web_of(request).entry_or_404(request)
    if entry.imported is None or entry.imported.workbook is None or not entry.imported.workbook.is_file():
        return Response("Ingen arbetsbok skapades.", status_code=404)
    return FileResponse(entry.imported.workbook, media_type=XLSX_TYPE,
                        headers=download_headers(entry.imported.stem, ".xlsx"))


async def api_import(request: Request) -> Response:
    outcome = await _imported(request)
    if isinstance(outcome, Response):
        return outcome
    web, upload, imported = outcome
    if imported.workbook is None:
        shutil.rmtree(upload.folder, ignore_errors=True)
        assert imported.problem is not None
        return web.problem(422, (imported.problem,))
    headers = {"x-aktivitetsplan-sammanfattning": quote(imported.summary, safe=" ,"),
               "x-aktivitetsplan-osakert": str(len(imported.unsure))}
    return FileResponse(imported.workbook, media_type=XLSX_TYPE,
                        headers=headers | download_headers(imported.stem, ".xlsx"),
                        background=BackgroundTask(shutil.rmtree, upload.folder, ignore_errors=True))


IMPORT_ROUTES = [
    Route("/importera", import_form),
    Route("/importera", import_page, methods=["POST"]),
    Route("/importera/{entry}", import_result),
    Route("/importera/{entry}/arbetsbok", import_download),
    Route("/api/import", api_import, methods=["POST"]),
]
