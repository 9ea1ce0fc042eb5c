"""Skicka: the letter and its recipients first, then send with the server's SMTP settings or take a draft."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from generator.flows.sending import letter, send_made
from generator.plan.errors import FindingsError, PlanError
from generator.plan.model import Finding
from generator.web import security
from generator.web.names import _download_name, download_headers
from generator.web.state import _web_of
from generator.web.store import Entry


async def _attachments(entry: Entry) -> tuple[list[Path], dict[str, str]]:
    """The Word document, and the PDF when the server makes one: waited for, so a letter never depends on when."""
    if entry.pdf is not None and not entry.pdf.done():
        with contextlib.suppress(Exception):  # a PDF that failed (pdf_state says fel): the letter goes without it
            await asyncio.wrap_future(entry.pdf)
    files = [entry.checked.document] if entry.checked.document else []
    if entry.pdf_state() == "klar":
        files.append(entry.pdf.result())  # type: ignore[union-attr]
    names = {p.name: _download_name(entry.checked.stem, p.suffix) for p in files if p is not None}
    return [p for p in files if p is not None], names


def _problems(error: PlanError) -> tuple[Finding, ...]:
    if isinstance(error, FindingsError):
        return error.findings
    place = "Sändlista" if error.place.endswith(".xlsx") else error.place
    return (Finding(place, error.message),)


def _sending_offered(request: Request) -> tuple[bool, str]:
    """Sending needs the server's SMTP settings and a logged-in user (the password wall)."""
    web = _web_of(request)
    draft = "Ladda ner e-postutkastet och skicka det från ditt e-postprogram."
    if web.smtp_error:
        return False, f"Den här tjänsten kan inte skicka e-post just nu ({web.smtp_error}). Säg till den som " \
                      f"driver tjänsten. {draft}"
    if web.smtp is None:
        return False, f"Den här tjänsten skickar inte e-post själv. {draft}"
    if not web.guard.enabled or not web.guard.valid_session(request.cookies.get(security.SESSION_COOKIE, "")):
        return False, f"Den här tjänsten skickar e-post bara åt den som har loggat in med lösenord. {draft}"
    return True, ""


async def preview(request: Request) -> Response:
    web = _web_of(request)
    entry = web.entry_or_404(request)
    if entry.checked.plan is None or entry.checked.document is None:
        return web.render(request, "page.html", 404, notice="Det finns ingen färdig plan att skicka.")
    files, names = await _attachments(entry)
    offered, why = _sending_offered(request)
    try:
        composed = letter(entry.checked.plan, files, names=names)
    except PlanError as error:
        return web.render(request, "send.html", entry=entry, problems=_problems(error), offered=False, why="")
    return web.render(request, "send.html", entry=entry, letter=composed, attachments=sorted(names.values()),
                      offered=offered, why=why)


async def send(request: Request) -> Response:
    web = _web_of(request)
    entry = web.entry_or_404(request)
    form = await request.form(max_files=0, max_fields=4, max_part_size=4096)
    if not web.csrf_ok(request, str(form.get(security.CSRF_FIELD, ""))):
        return web.forbidden(request)
    offered, why = _sending_offered(request)
    if not offered or entry.checked.plan is None:
        return web.render(request, "send.html", 403, entry=entry, offered=False, why=why)
    plan = entry.checked.plan
    files, names = await _attachments(entry)
    loop = asyncio.get_running_loop()
    try:
        composed, report = await loop.run_in_executor(None, lambda: send_made(plan, files, web.smtp, names))
    except PlanError as error:
        return web.render(request, "send.html", 502, entry=entry, problems=_problems(error), offered=False, why="")
    entry.sent = report.accepted
    return web.render(request, "send.html", entry=entry, letter=composed, report=report, offered=False, why="",
                      attachments=sorted(names.values()))


async def draft(request: Request) -> Response:
    web = _web_of(request)
    entry = web.entry_or_404(request)
    if entry.checked.plan is None or entry.checked.document is None:
        return Response("Det finns ingen färdig plan.", status_code=404)
    files, names = await _attachments(entry)
    try:
        composed = letter(entry.checked.plan, files, draft=True, names=names)
    except PlanError as error:
        return web.render(request, "send.html", 422, entry=entry, problems=_problems(error), offered=False, why="")
    return Response(bytes(composed.message), media_type="message/rfc822",
                    headers=download_headers(entry.checked.stem, ".eml"))


SEND_ROUTES = [
    Route("/resultat/{entry}/skicka", preview),
    Route("/resultat/{entry}/skicka", send, methods=["POST"]),
    Route("/resultat/{entry}/utkast", draft),
]
