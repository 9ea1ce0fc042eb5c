"""The server's state for its lifetime: its settings, private folder, workers, PDF pool and results."""

from __future__ import annotations

import asyncio
import os
import shutil
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse

from generator.delivery.pdf import find_soffice
from generator.delivery.pdfpool import PdfPool
from generator.delivery.smtp import SmtpSettings, smtp_settings
from generator.plan.errors import PlanError
from generator.plan.folding import fold_findings
from generator.plan.model import Finding
from generator.web import security
from generator.web.store import Entry, Store
from generator.web.uploads import Upload, UploadError, _private_folder, receive, refused
from generator.web.wording import FILTERS, TESTS
from generator.web.work import Checked, _make_executor, process

HERE = Path(__file__).resolve().parent


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
        self.settings = settings
        self.guard = guard
        self.store = Store(settings.keep_seconds)
        self.root = _private_folder(settings.temp_parent)
        self.executor = _make_executor(settings.workers)
        self.has_libreoffice = settings.use_libreoffice and find_soffice() is not None
        self.pool = PdfPool(settings.pdf_workers, self.root) if self.has_libreoffice else None
        self.smtp: SmtpSettings | None = None
        self.smtp_error = ""
        try:
            self.smtp = smtp_settings()  # the environment, by the rule the command line's send uses
        except PlanError as error:
            self.smtp_error = error.message
        self.pages = Environment(loader=FileSystemLoader(HERE / "templates"),
                                 autoescape=select_autoescape(default=True), auto_reload=False)
        self.pages.filters.update(FILTERS)  # how the page says places and messages (web/wording.py)
        self.pages.tests.update(TESTS)

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
            "findings": [{"place": f.place, "message": f.message, "severity": f.severity.value}
                         for f in fold_findings(findings)],
        }

    def problem(self, status: int, findings: tuple[Finding, ...], summary: str = "") -> JSONResponse:
        return JSONResponse(self.findings_json(findings, summary), status_code=status)

    async def take_upload(self, request: Request, required: str = "arbetsbok") -> Upload:
        try:
            folder = _private_folder(self.root, "upp-")
        except OSError as error:  # the server's disk: full, or its folder gone
            raise refused(error) from None
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

    async def process(self, upload: Upload, render: bool, for_page: bool = True, pdf_fonts: bool = False) -> Checked:
        """Check (and render) in a worker process; a worker that died is replaced, and the work tried once more.

        for_page=False (the API) leaves out the outline and the plan, which only the page shows.
        """
        loop = asyncio.get_running_loop()
        args = (upload.folder, upload.files, upload.names, render, for_page, pdf_fonts)
        try:
            return await loop.run_in_executor(self.executor, process, *args)
        except BrokenProcessPool:
            broken, self.executor = self.executor, _make_executor(self.settings.workers)
            broken.shutdown(wait=False, cancel_futures=True)
            return await loop.run_in_executor(self.executor, process, *args)

    # -- the page -------------------------------------------------------------------------------------

    def render(self, request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        cookies = dict(request.cookies)
        token, new = security._csrf_token(cookies)
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
        return security._csrf_valid(dict(request.cookies), sent)

    def forbidden(self, request: Request) -> HTMLResponse:
        return self.render(request, "page.html", 403, notice="Formuläret hade gått ut. Ladda om sidan och "
                                                             "försök igen.")

    def entry_or_404(self, request: Request) -> Entry:
        entry = self.store.get(request.path_params["entry"])
        if entry is None:
            raise HTTPException(404, "Resultatet finns inte längre. Välj arbetsboken igen.")
        return entry


def _web_of(request: Request) -> Web:
    """The server's state, from any request."""
    web: Web = request.app.state.web
    return web
