"""The result of an upload: its page, the PDF's state, the downloads, and the pages of the PDF as images."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from generator.delivery.pdfpool import render_page
from generator.flows.sending import letter_recipients
from generator.plan.errors import FindingsError, PlanError
from generator.web.names import DOCX_TYPE, download_headers
from generator.web.send import _sending_offered
from generator.web.state import _web_of
from generator.web.store import Entry
from generator.web.wording import pdf_text

NO_RECIPIENTS = ("Vill du skicka planen med e-post? Fyll i bladet Sändlista i arbetsboken (namn och e-post) "
                 "och välj den igen.")
BAD_RECIPIENTS = ("Planen kan skickas med e-post när adresserna på bladet Sändlista är rättade (se varningarna "
                  "ovan).")


@dataclass(frozen=True)
class Mail:
    """What the result page offers for e-mail: sending (the server can), the draft (it cannot), or why neither."""

    offered: bool = False
    draft: bool = False
    recipients: tuple[str, ...] = ()
    missing: str = ""


def _mail_for(request: Request, entry: Entry) -> Mail:
    plan = entry.checked.plan
    if plan is None or entry.checked.document is None:
        return Mail()
    try:
        recipients = letter_recipients(plan)
    except PlanError as error:
        return Mail(missing=BAD_RECIPIENTS if isinstance(error, FindingsError) else NO_RECIPIENTS)
    offered, _ = _sending_offered(request)
    return Mail(offered=offered, draft=not offered, recipients=recipients)


def _status_text(request: Request, entry: Entry) -> str:
    web = _web_of(request)
    error = entry.pdf_error()
    return pdf_text(entry.pdf_state(), web.pool.waiting if web.pool else 0, error.message if error else "",
                    pages=bool(entry.pages))


async def result_page(request: Request) -> Response:
    web = _web_of(request)
    entry = web.entry_or_404(request)
    text = _status_text(request, entry) if entry.pdf_state() != "klar" else ""  # nothing new to announce
    return web.render(request, "page.html", entry=entry, pdf_text=text, mail=_mail_for(request, entry))


async def result_status(request: Request) -> Response:
    """The PDF's state for the page's script; once it is done, the parts of the page that change with it."""
    web = _web_of(request)
    entry = web.entry_or_404(request)
    state = entry.pdf_state()
    answer = {"pdf": state, "text": _status_text(request, entry)}
    if state in ("klar", "fel"):
        parts = web.pages.get_template("delar.html").module
        mail = _mail_for(request, entry)
        answer["delar"] = str(parts.pdf_button(entry)) + str(parts.page_images(entry)) + (  # type: ignore[attr-defined]
            str(parts.draft_hint(entry, mail)) if mail.draft else "")  # type: ignore[attr-defined]
    return JSONResponse(answer)


async def download_word(request: Request) -> Response:
    entry = _web_of(request).entry_or_404(request)
    if entry.checked.document is None or not entry.checked.document.is_file():
        return Response("Inget Word-dokument skapades.", status_code=404)
    return FileResponse(entry.checked.document, media_type=DOCX_TYPE,
                        headers=download_headers(entry.checked.stem, ".docx"))


async def download_template(request: Request) -> Response:
    entry = _web_of(request).entry_or_404(request)
    if entry.checked.template is None or not entry.checked.template.is_file():
        return Response("Ingen mall gjordes.", status_code=404)
    return FileResponse(entry.checked.template, media_type=DOCX_TYPE,
                        headers=download_headers(f"{entry.checked.stem}-mall", ".docx"))


async def download_pdf(request: Request) -> Response:
    entry = _web_of(request).entry_or_404(request)
    if entry.pdf_state() != "klar":
        return Response("PDF:en är inte klar.", status_code=409)
    return FileResponse(entry.pdf.result(), media_type="application/pdf",  # type: ignore[union-attr]
                        headers=download_headers(entry.checked.stem, ".pdf"))


async def page_image(request: Request) -> Response:
    """A page's small image (made with the PDF), as the result page shows it."""
    entry = _web_of(request).entry_or_404(request)
    pages = entry.pages if entry.pdf_state() == "klar" else []
    number: int = request.path_params["number"]
    if not 1 <= number <= len(pages):
        return Response("Sidan finns inte.", status_code=404)
    return FileResponse(pages[number - 1], media_type="image/png")


def _page_number(request: Request, entry: Entry) -> int | None:
    """The page asked for, when the PDF is done and has it."""
    number: int = request.path_params["number"]
    if entry.pdf_state() != "klar" or not entry.pages or not 1 <= number <= entry.page_total():
        return None
    return number


async def large_page_image(request: Request) -> Response:
    """A page as a large image, made the first time someone opens it."""
    entry = _web_of(request).entry_or_404(request)
    number = _page_number(request, entry)
    if number is None:
        return Response("Sidan finns inte.", status_code=404)
    target = entry.folder / "stora" / f"sida-{number}.png"
    pdf = entry.pdf.result()  # type: ignore[union-attr]  # _page_number: the PDF is done
    made = await asyncio.get_running_loop().run_in_executor(None, render_page, pdf, number, target)
    if made is None:
        return Response("Sidan kunde inte visas.", status_code=404)
    return FileResponse(made, media_type="image/png")


async def page_view(request: Request) -> Response:
    """One page of the PDF, large, with the pages before and after it."""
    web = _web_of(request)
    entry = web.entry_or_404(request)
    number = _page_number(request, entry)
    if number is None:
        return web.render(request, "page.html", 404, notice="Sidan finns inte. Gå tillbaka till resultatet.")
    return web.render(request, "sida.html", entry=entry, number=number, total=entry.page_total())


RESULT_ROUTES = [
    Route("/resultat/{entry}", result_page),
    Route("/resultat/{entry}/status", result_status),
    Route("/resultat/{entry}/word", download_word),
    Route("/resultat/{entry}/pdf", download_pdf),
    Route("/resultat/{entry}/mall", download_template),
    Route("/resultat/{entry}/sida/{number:int}", page_image),
    Route("/resultat/{entry}/sida/{number:int}/stor", large_page_image),
    Route("/resultat/{entry}/sidor/{number:int}", page_view),
]
