"""The web page and the HTTP API: a thin face over the library, as generator/cli is for the terminal."""

from __future__ import annotations

import asyncio
import contextlib
import io
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from generator.files.resources import DEFAULT_TEMPLATE
from generator.plan.errors import PdfError
from generator.plan.model import Finding
from generator.web import security
from generator.web.importing import IMPORT_ROUTES
from generator.web.names import DOCX_TYPE, XLSX_TYPE, download_headers
from generator.web.result import RESULT_ROUTES
from generator.web.send import SEND_ROUTES
from generator.web.state import Settings, Web, _web_of
from generator.web.uploads import UploadError, _private_folder
from generator.web.work import Checked
from generator.workbook.starter import StarterContent, build_workbook

HERE = Path(__file__).resolve().parent
SWEEP_SECONDS = 30


FORMATS = ("docx", "pdf")


async def page(request: Request) -> Response:
    return _web_of(request).render(request, "page.html")


def _to_result(request: Request, entry_id: str) -> Response:
    """Where the result is: a redirect for the form, its address for the page's script (one load, not two)."""
    address = f"/resultat/{entry_id}"
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"resultat": address})
    return RedirectResponse(address, status_code=303)


async def check_page(request: Request) -> Response:
    web = _web_of(request)
    try:
        upload = await web.take_upload(request)
    except UploadError as error:
        if not web.csrf_ok(request, error.fields.get(security.CSRF_FIELD)):
            return web.forbidden(request)
        folder = _private_folder(web.root, "fel-")
        entry = web.store.add(folder, Checked("", (Finding(error.place, error.message),)))
        return _to_result(request, entry.id)
    if not web.csrf_ok(request, upload.fields.get(security.CSRF_FIELD)):
        shutil.rmtree(upload.folder, ignore_errors=True)
        return web.forbidden(request)
    try:
        checked = await web.process(upload, render=True, pdf_fonts=web.pool is not None)
    except BaseException:
        shutil.rmtree(upload.folder, ignore_errors=True)
        raise
    for path in upload.files.values():
        path.unlink(missing_ok=True)  # the uploaded files are not kept, only what was made of them
    entry = web.store.add(upload.folder, checked)
    if checked.document is not None and web.pool is not None:
        entry.pdf = web.pool.submit(checked.document, upload.folder / "plan.pdf", upload.folder / "sidor")
    return _to_result(request, entry.id)


async def new_workbook(request: Request) -> Response:
    buffer = io.BytesIO()
    build_workbook(StarterContent()).save(buffer)
    return Response(buffer.getvalue(), media_type=XLSX_TYPE,
                    headers={"content-disposition": 'attachment; filename="aktivitetsplan.xlsx"'})


async def default_template(request: Request) -> Response:
    return FileResponse(DEFAULT_TEMPLATE, media_type=DOCX_TYPE, filename="aktivitetsplan-mall.docx")


async def login(request: Request) -> Response:
    web = _web_of(request)
    if not web.guard.enabled:
        return RedirectResponse("/", status_code=303)
    if request.method == "GET":
        return web.render(request, "login.html")
    form = await request.form(max_files=0, max_fields=4, max_part_size=4096)
    if not web.csrf_ok(request, str(form.get(security.CSRF_FIELD, ""))):
        return web.render(request, "login.html", 403, notice="Formuläret hade gått ut. Försök igen.")
    wait = web.guard.client_wait(request.scope)
    if wait:  # too many wrong passwords from this computer: not even the right one is tried for now
        refused = web.render(request, "login.html", 429, notice=security.too_many_tries(wait), wrong=True)
        refused.headers["retry-after"] = str(wait)
        return refused
    if not web.guard.check_password(str(form.get("losenord", ""))):
        web.guard.wrong_password(request.scope)
        await asyncio.sleep(1)  # slows down guessing
        return web.render(request, "login.html", 401, notice="Fel lösenord. Försök igen.", wrong=True)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(security.SESSION_COOKIE, web.guard.session(), max_age=security.SESSION_SECONDS,
                        httponly=True, samesite="strict", path="/")
    return response


async def logout(request: Request) -> Response:
    web = _web_of(request)
    form = await request.form(max_files=0, max_fields=4, max_part_size=4096)
    if not web.csrf_ok(request, str(form.get(security.CSRF_FIELD, ""))):
        return web.forbidden(request)
    response = RedirectResponse("/logga-in", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path="/")
    return response


# -- the API ----------------------------------------------------------------------------------------------


async def api_check(request: Request) -> Response:
    web = _web_of(request)
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
    web = _web_of(request)
    wanted = request.query_params.get("format", "docx").lower()
    if wanted not in FORMATS:
        return web.problem(400, (Finding(f"format={wanted[:40]}", "okänt format; välj format=docx (Word, som utan "
                                                             "format) eller format=pdf"),))
    want_pdf = wanted == "pdf"
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
        if want_pdf and web.pool is not None:
            try:
                pdf = await asyncio.wrap_future(web.pool.submit(checked.document, upload.folder / "plan.pdf"))
            except PdfError as error:
                shutil.rmtree(upload.folder, ignore_errors=True)
                return web.problem(503, (Finding("PDF", error.message),), checked.summary)
            return FileResponse(pdf, media_type="application/pdf", background=cleanup,
                                headers=headers | download_headers(checked.stem, ".pdf"))
        shutil.rmtree(upload.folder, ignore_errors=True)
        headers |= download_headers(checked.stem, ".docx")
        return Response(checked.content, media_type=DOCX_TYPE, headers=headers)
    except BaseException:
        shutil.rmtree(upload.folder, ignore_errors=True)
        raise


async def _http_error(request: Request, exc: Exception) -> Response:
    status: int = getattr(exc, "status_code", 404)
    headers: dict[str, str] = dict(getattr(exc, "headers", None) or {})
    detail = getattr(exc, "detail", "Sidan finns inte.")
    if status == 405:
        allowed = headers.get("Allow", "")
        detail = f"{request.method} går inte här; använd {allowed.replace(', ', ' eller ')}." if allowed else \
            f"{request.method} går inte här."
    elif status == 404 and detail == "Not Found":
        detail = "Sidan finns inte."
    elif status == 400:  # Starlette's form parser, in English ("Too many fields…"); the page's forms never do it
        detail = "Formuläret kunde inte läsas: det har fler eller större fält än sidan skickar. Ladda om sidan och " \
            "försök igen."
    if request.url.path.startswith("/api/"):
        return JSONResponse({"meddelande": detail}, status_code=status, headers=headers)
    response = _web_of(request).render(request, "page.html", status, notice=detail)
    response.headers.update(headers)
    return response


async def _server_error(request: Request, exc: Exception) -> Response:
    message = "Oväntat fel på servern. Försök igen; hjälper det inte, kontakta den som driver tjänsten."
    if request.url.path.startswith("/api/"):
        return JSONResponse({"meddelande": message}, status_code=500)
    return Response(message, status_code=500, media_type="text/plain; charset=utf-8")


def create_app(settings: Settings | None = None) -> Any:
    """The ASGI application: routes, the security middleware, and the server's state for its lifetime."""
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
        *RESULT_ROUTES,
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
                    exception_handlers={400: _http_error, 404: _http_error, 405: _http_error, 500: _server_error})
    return security.SecurityMiddleware(app, guard, settings.local_only)
