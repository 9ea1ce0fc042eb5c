"""The web page and the HTTP API: a thin face over the library, as cli.py is for the terminal."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from generator.errors import PlanError
from generator.model import Finding
from generator.web import security
from generator.web.store import Entry, Store
from generator.web.uploads import Upload, UploadError, private_folder, receive
from generator.web.work import Checked, make_executor, process

HERE = Path(__file__).resolve().parent
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SWEEP_SECONDS = 30


@dataclass
class Settings:
    """How this server runs: the password (None on localhost), workers, where its private folder goes."""

    password: str | None = None
    local_only: bool = True
    workers: int = max(1, min(os.cpu_count() or 1, 4))
    pdf_workers: int = 2
    use_libreoffice: bool = True
    temp_parent: Path | None = None
    keep_seconds: float = 600


class Web:
    """The server's state: the private folder, the worker processes, the PDF pool and the results."""

    def __init__(self, settings: Settings, guard: security.Guard) -> None:
        from generator.pdf import find_soffice

        self.settings = settings
        self.guard = guard
        self.store = Store(settings.keep_seconds)
        self.root = private_folder(settings.temp_parent)
        self.executor = make_executor(settings.workers)
        self.has_libreoffice = settings.use_libreoffice and find_soffice() is not None
        self.pool: Any = None
        if self.has_libreoffice:
            from generator.pdfpool import PdfPool

            self.pool = PdfPool(settings.pdf_workers, self.root)
        self.smtp: Any = None
        self.smtp_error = ""
        try:
            from generator.uploaded import smtp_settings_from_environment

            self.smtp = smtp_settings_from_environment()
        except PlanError as error:
            self.smtp_error = error.message
        self.pages = Environment(loader=FileSystemLoader(HERE / "templates"),
                                 autoescape=select_autoescape(default=True), auto_reload=False)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        if self.pool is not None:
            self.pool.close()
        self.store.sweep(everything=True)
        shutil.rmtree(self.root, ignore_errors=True)

    # -- the one spot where the library's findings and upload problems become answers -----------------

    @staticmethod
    def findings_json(findings: tuple[Finding, ...], summary: str = "") -> dict[str, Any]:
        return {
            "fel": sum(1 for f in findings if f.is_error),
            "varningar": sum(1 for f in findings if not f.is_error),
            "sammanfattning": summary,
            "findings": [{"place": f.place, "message": f.message, "severity": f.severity.value} for f in findings],
        }

    def problem(self, status: int, findings: tuple[Finding, ...], summary: str = "") -> JSONResponse:
        return JSONResponse(self.findings_json(findings, summary), status_code=status)

    async def take_upload(self, request: Request, required: str = "arbetsbok") -> Upload:
        folder = private_folder(self.root, "upp-")
        try:
            upload = await receive(request.headers.get("content-type", ""), request.headers.get("content-length"),
                                   request.stream(), folder)
            if required not in upload.files:
                what = "en arbetsbok (.xlsx)" if required == "arbetsbok" else "ett Word-dokument (.docx)"
                raise UploadError(400, required, f"välj {what} att skicka i fältet {required}")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return upload

    async def process(self, upload: Upload, render: bool, for_page: bool = True) -> Checked:
        """Check (and render) in a worker process; a worker that died is replaced, and the work tried once more.

        for_page=False (the API) leaves out the outline and the plan, which only the page shows.
        """
        from concurrent.futures.process import BrokenProcessPool

        loop = asyncio.get_running_loop()
        args = (upload.folder, upload.files, upload.names, render, for_page)
        try:
            return await loop.run_in_executor(self.executor, process, *args)
        except BrokenProcessPool:
            broken, self.executor = self.executor, make_executor(self.settings.workers)
            broken.shutdown(wait=False, cancel_futures=True)
            return await loop.run_in_executor(self.executor, process, *args)

    # -- the page -------------------------------------------------------------------------------------

    def render(self, request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        cookies = dict(request.cookies)
        token, new = security.csrf_token(cookies)
        logged_in = self.guard.enabled and self.guard.valid_session(cookies.get(security.SESSION_COOKIE, ""))
        html = self.pages.get_template(name).render(
            csrf=token, logged_in=logged_in, password_set=self.guard.enabled,
            has_libreoffice=self.has_libreoffice, **values,
        )
        response = HTMLResponse(html, status_code=status)
        if new:
            response.set_cookie(security.CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    def csrf_ok(self, request: Request, sent: str | None) -> bool:
        return security.csrf_valid(dict(request.cookies), sent)

    def forbidden(self, request: Request) -> HTMLResponse:
        return self.render(request, "page.html", 403, notice="Formuläret hade gått ut. Ladda om sidan och "
                                                             "försök igen.")

    def entry_or_404(self, request: Request) -> Entry:
        entry = self.store.get(request.path_params["entry"])
        if entry is None:
            from starlette.exceptions import HTTPException

            raise HTTPException(404, "Resultatet finns inte längre. Välj arbetsboken igen.")
        return entry


def download_name(stem: str, suffix: str) -> str:
    """A safe file name for Content-Disposition from the workbook's name."""
    cleaned = re.sub(r"[^\w\- .()åäöÅÄÖ]+", "_", stem).strip(" ._")[:80]
    return (cleaned or "aktivitetsplan") + suffix


def attachment(filename: str) -> str:
    """Content-Disposition for a download: an ASCII name for old clients, the real one (RFC 6266) for the rest."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=utf-8''{quote(filename)}"


def _web(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


async def page(request: Request) -> Response:
    return _web(request).render(request, "page.html")


async def check_page(request: Request) -> Response:
    web = _web(request)
    try:
        upload = await web.take_upload(request)
    except UploadError as error:
        if not web.csrf_ok(request, error.fields.get(security.CSRF_FIELD)):
            return web.forbidden(request)
        folder = private_folder(web.root, "fel-")
        entry = web.store.add(folder, Checked("", (Finding(error.place, error.message),)))
        return RedirectResponse(f"/resultat/{entry.id}", status_code=303)
    if not web.csrf_ok(request, upload.fields.get(security.CSRF_FIELD)):
        shutil.rmtree(upload.folder, ignore_errors=True)
        return web.forbidden(request)
    try:
        checked = await web.process(upload, render=True)
    except BaseException:
        shutil.rmtree(upload.folder, ignore_errors=True)
        raise
    for path in upload.files.values():
        path.unlink(missing_ok=True)  # the uploaded files are not kept, only what was made of them
    if checked.document is not None and web.pool is not None:  # the PDF's fonts, as the CLI's --pdf warns
        from dataclasses import replace

        from generator.fonts import pdf_font_findings

        checked = replace(checked, findings=checked.findings + tuple(pdf_font_findings(checked.document)))
    entry = web.store.add(upload.folder, checked)
    if checked.document is not None and web.pool is not None:
        entry.pdf = web.pool.submit(checked.document, upload.folder / "plan.pdf", upload.folder / "sidor")
    return RedirectResponse(f"/resultat/{entry.id}", status_code=303)


async def result_page(request: Request) -> Response:
    web = _web(request)
    entry = web.entry_or_404(request)
    return web.render(request, "page.html", entry=entry, waiting=web.pool.waiting if web.pool else 0)


async def result_status(request: Request) -> Response:
    web = _web(request)
    entry = web.entry_or_404(request)
    state = entry.pdf_state()
    texts = {
        "ingen": "", "arbetar": "PDF:en och förhandsvisningen görs …",
        "väntar": "Väntar på LibreOffice – andra dokument görs just nu.",
        "klar": "PDF:en är klar.", "fel": "PDF:en kunde inte göras.",
    }
    return JSONResponse({"pdf": state, "text": texts[state], "waiting": web.pool.waiting if web.pool else 0})


async def download_word(request: Request) -> Response:
    entry = _web(request).entry_or_404(request)
    if entry.checked.document is None or not entry.checked.document.is_file():
        return Response("Inget Word-dokument skapades.", status_code=404)
    return FileResponse(entry.checked.document, media_type=DOCX_TYPE,
                        filename=download_name(entry.checked.stem, ".docx"))


async def download_pdf(request: Request) -> Response:
    entry = _web(request).entry_or_404(request)
    if entry.pdf_state() != "klar":
        return Response("PDF:en är inte klar.", status_code=409)
    return FileResponse(entry.pdf.result(), media_type="application/pdf",  # type: ignore[union-attr]
                        filename=download_name(entry.checked.stem, ".pdf"))


async def page_image(request: Request) -> Response:
    entry = _web(request).entry_or_404(request)
    pages = entry.pages if entry.pdf_state() == "klar" else []
    number: int = request.path_params["number"]
    if not 1 <= number <= len(pages):
        return Response("Sidan finns inte.", status_code=404)
    return FileResponse(pages[number - 1], media_type="image/png")


async def new_workbook(request: Request) -> Response:
    from generator.starter import StarterContent, build_workbook

    buffer = io.BytesIO()
    build_workbook(StarterContent()).save(buffer)
    return Response(buffer.getvalue(), media_type=XLSX_TYPE,
                    headers={"content-disposition": 'attachment; filename="aktivitetsplan.xlsx"'})


async def default_template(request: Request) -> Response:
    from generator.render import DEFAULT_TEMPLATE

    return FileResponse(DEFAULT_TEMPLATE, media_type=DOCX_TYPE, filename="aktivitetsplan-mall.docx")


async def login(request: Request) -> Response:
    web = _web(request)
    if not web.guard.enabled:
        return RedirectResponse("/", status_code=303)
    if request.method == "GET":
        return web.render(request, "login.html")
    form = await request.form(max_files=0, max_fields=4, max_part_size=4096)
    if not web.csrf_ok(request, str(form.get(security.CSRF_FIELD, ""))):
        return web.render(request, "login.html", 403, notice="Formuläret hade gått ut. Försök igen.")
    if not web.guard.check_password(str(form.get("losenord", ""))):
        await asyncio.sleep(1)  # slows down guessing
        return web.render(request, "login.html", 401, notice="Fel lösenord. Försök igen.")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(security.SESSION_COOKIE, web.guard.session(), max_age=security.SESSION_SECONDS,
                        httponly=True, samesite="strict", path="/")
    return response


async def logout(request: Request) -> Response:
    web = _web(request)
    form = await request.form(max_files=0, max_fields=4, max_part_size=4096)
    if not web.csrf_ok(request, str(form.get(security.CSRF_FIELD, ""))):
        return web.forbidden(request)
    response = RedirectResponse("/logga-in", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path="/")
    return response


# -- the API ----------------------------------------------------------------------------------------------


async def api_check(request: Request) -> Response:
    web = _web(request)
    try:
        upload = await web.take_upload(request)
    except UploadError as error:
        return web.problem(error.status, (Finding(error.place, error.message),))
    try:
        checked = await web.process(upload, render=False, for_page=False)
    finally:
        shutil.rmtree(upload.folder, ignore_errors=True)
    return web.problem(200, checked.findings, checked.summary)


async def api_generate(request: Request) -> Response:
    web = _web(request)
    want_pdf = request.query_params.get("format", "docx").lower() == "pdf"
    if want_pdf and web.pool is None:
        return web.problem(503, (Finding("format=pdf", "LibreOffice finns inte på servern, så ingen PDF kan "
                                                       "göras. Hämta Word-dokumentet i stället."),))
    try:
        upload = await web.take_upload(request)
    except UploadError as error:
        return web.problem(error.status, (Finding(error.place, error.message),))
    cleanup = BackgroundTask(shutil.rmtree, upload.folder, ignore_errors=True)
    try:
        checked = await web.process(upload, render=True, for_page=False)
        if checked.document is None:
            shutil.rmtree(upload.folder, ignore_errors=True)
            return web.problem(422, checked.findings, checked.summary)
        headers = {"x-aktivitetsplan-sammanfattning": quote(checked.summary, safe=" ,"),
                   "x-aktivitetsplan-varningar": str(len(checked.warnings))}
        if want_pdf:
            from generator.errors import PdfError

            try:
                pdf = await asyncio.wrap_future(web.pool.submit(checked.document, upload.folder / "plan.pdf"))
            except PdfError as error:
                shutil.rmtree(upload.folder, ignore_errors=True)
                return web.problem(503, (Finding("PDF", error.message),), checked.summary)
            return FileResponse(pdf, media_type="application/pdf", headers=headers, background=cleanup,
                                filename=download_name(checked.stem, ".pdf"))
        shutil.rmtree(upload.folder, ignore_errors=True)
        headers["content-disposition"] = attachment(download_name(checked.stem, ".docx"))
        return Response(checked.content, media_type=DOCX_TYPE, headers=headers)
    except BaseException:
        shutil.rmtree(upload.folder, ignore_errors=True)
        raise


async def _not_found(request: Request, exc: Exception) -> Response:
    detail = getattr(exc, "detail", "Sidan finns inte.")
    if request.url.path.startswith("/api/"):
        return JSONResponse({"meddelande": detail}, status_code=getattr(exc, "status_code", 404))
    return _web(request).render(request, "page.html", getattr(exc, "status_code", 404), notice=detail)


async def _server_error(request: Request, exc: Exception) -> Response:
    message = "Oväntat fel på servern. Försök igen; hjälper det inte, kontakta den som driver tjänsten."
    if request.url.path.startswith("/api/"):
        return JSONResponse({"meddelande": message}, status_code=500)
    return Response(message, status_code=500, media_type="text/plain; charset=utf-8")


def create_app(settings: Settings | None = None) -> Any:
    """The ASGI application: routes, the security middleware, and the server's state for its lifetime."""
    from generator.web.importing import IMPORT_ROUTES
    from generator.web.send import SEND_ROUTES

    settings = settings or Settings()
    guard = security.Guard(settings.password)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        web = Web(settings, guard)
        app.state.web = web

        async def sweep() -> None:
            while True:
                await asyncio.sleep(SWEEP_SECONDS)
                web.store.sweep()

        sweeper = asyncio.create_task(sweep())
        try:
            yield
        finally:
            sweeper.cancel()
            await asyncio.get_running_loop().run_in_executor(None, web.close)

    routes = [
        Route("/", page),
        Route("/kontrollera", check_page, methods=["POST"]),
        Route("/resultat/{entry}", result_page),
        Route("/resultat/{entry}/status", result_status),
        Route("/resultat/{entry}/word", download_word),
        Route("/resultat/{entry}/pdf", download_pdf),
        Route("/resultat/{entry}/sida/{number:int}", page_image),
        *SEND_ROUTES,
        *IMPORT_ROUTES,
        Route("/ny-arbetsbok", new_workbook),
        Route("/mall", default_template),
        Route("/logga-in", login, methods=["GET", "POST"]),
        Route("/logga-ut", logout, methods=["POST"]),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api/generate", api_generate, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={404: _not_found, 405: _not_found, 500: _server_error})
    return security.SecurityMiddleware(app, guard, settings.local_only)
