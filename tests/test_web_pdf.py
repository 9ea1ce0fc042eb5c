"""PDF and page images through the LibreOffice pool: the page waits calmly, updates in place, pages open large."""

from __future__ import annotations

import email
import re
import threading
import time
from email import policy
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import EXAMPLE, needs_libreoffice, pdf_pages, serious_violations, shot, start_web_server

SHOWN_PAGES = 2  # the small images stop here in this test, as they stop at 30 for a 202-page plan


def post_page(client: httpx.Client, url: str) -> str:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get(url + "/").text)
    assert token is not None
    answer = client.post(url + "/kontrollera", data={"csrf": token.group(1)},
                         files={"arbetsbok": ("aktivitetsplan.xlsx", EXAMPLE.read_bytes())})
    assert answer.status_code == 303
    return str(answer.headers["location"])


def pdf_state(url: str) -> str:
    return str(httpx.get(url + "/status").json()["pdf"])


@needs_libreoffice
def test_busy_pool_the_page_updates_in_place_and_both_get_their_pdf(tmp_path: Path, page: Any, phone: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.delivery import pdfpool

    monkeypatch.setattr(pdfpool, "MAX_PAGES", SHOWN_PAGES)
    server, stop = start_web_server(tmp_path, pdf_workers=1)
    try:
        with httpx.Client(timeout=120) as client:
            first = post_page(client, server.url)
            second = post_page(client, server.url)
        assert pdf_state(server.url + second) == "väntar"
        # The e-mail draft asked for now waits for the PDF: what it holds does not depend on when.
        drafts: list[bytes] = []
        asked = threading.Thread(target=lambda: drafts.append(
            httpx.get(server.url + second + "/utkast", timeout=300).content))
        asked.start()

        page.goto(server.url + second)
        status = page.locator("#pdf-lage")
        assert status.get_attribute("role") == "status"  # said politely to a screen reader, where the buttons are
        assert re.fullmatch(r"PDF: väntar på LibreOffice – andra dokument görs just nu \(1 i kö\)\.",
                            status.inner_text())
        assert page.get_by_text(re.compile("LibreOffice|PDF:en och sidbilderna")).count() == 1  # one status
        assert page.locator("#lage").inner_text() == ""  # the upload box says nothing of it
        hint = page.locator("#utkast-hjalp").inner_text()
        assert "bifogad som Word-dokument och PDF" in hint and "när PDF:en är klar" in hint
        assert serious_violations(page) == []
        shot(page, "5-pdf-vantar-dator")

        # A reader has the focus on Word and has scrolled to the table while the PDF is made.
        page.evaluate("window.sammaSida = true")
        page.get_by_role("link", name="Ladda ner Word").focus()
        page.locator(".tabellram").scroll_into_view_if_needed()
        scrolled = page.evaluate("window.scrollY")
        assert scrolled > 300
        page.get_by_role("link", name="Ladda ner PDF").wait_for(timeout=240_000)
        assert page.evaluate("window.sammaSida === true")  # no reload
        assert page.evaluate("document.activeElement.innerText") == "Ladda ner Word"
        assert abs(page.evaluate("window.scrollY") - scrolled) < 4
        assert status.inner_text() == "PDF:en är klar. Sidorna finns som bilder under förhandsvisningen."
        assert page.locator(".oversikt table").is_visible()  # the readable preview stays
        assert "när PDF:en är klar" not in page.locator("#utkast-hjalp").inner_text()

        total = len(pdf_pages(download_pdf(page, tmp_path)))
        assert total > SHOWN_PAGES
        images = page.locator("#sidbilder img")
        assert images.count() == SHOWN_PAGES
        assert images.first.get_attribute("alt") == f"Sida 1 av {total}, visa stor"
        assert f"de första {SHOWN_PAGES} av {total} sidorna" in page.locator("#sidbilder").inner_text()
        page.locator("#sidbilder").scroll_into_view_if_needed()
        page.wait_for_function("() => [...document.querySelectorAll('#sidbilder img')]"
                               ".every(img => img.complete && img.naturalWidth > 0)")
        assert serious_violations(page) == []
        shot(page, "6-pdf-och-sidbilder-dator")

        # A page opens large, and the pages go on past the small images.
        images.first.click()
        page.get_by_role("heading", name=f"Sida 1 av {total}").wait_for()
        large = page.locator("img.storsida")
        page.wait_for_function("() => document.querySelector('img.storsida').naturalWidth > 0")
        assert large.evaluate("img => img.naturalWidth") >= 1200  # sharp when zoomed
        assert serious_violations(page) == []
        shot(page, "7-sida-stor-dator")
        page.get_by_role("link", name="Sida 2 →").first.click()
        page.get_by_role("heading", name=f"Sida 2 av {total}").wait_for()
        assert httpx.get(server.url + second + f"/sidor/{total}").status_code == 200
        assert httpx.get(server.url + second + f"/sida/{total}/stor").headers["content-type"] == "image/png"
        assert httpx.get(server.url + second + f"/sidor/{total + 1}").status_code == 404
        page.get_by_role("link", name="Tillbaka till resultatet").first.click()
        page.get_by_role("heading", name="Sidorna i PDF:en").wait_for()

        # On a phone: the result, and a page that fits the screen and can be zoomed.
        phone.goto(server.url + second)
        assert phone.get_by_role("link", name="Ladda ner PDF").is_visible()
        phone.locator("#sidbilder").scroll_into_view_if_needed()
        phone.wait_for_function("() => [...document.querySelectorAll('#sidbilder img')]"
                                ".every(img => img.complete && img.naturalWidth > 0)")
        shot(phone, "6-pdf-och-sidbilder-mobil")
        phone.goto(server.url + second + "/sidor/1")
        phone.wait_for_function("() => document.querySelector('img.storsida').naturalWidth > 0")
        viewport = phone.evaluate("document.querySelector('meta[name=viewport]').content")
        assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport  # pinch zoom works
        box = phone.locator("img.storsida").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        shot(phone, "7-sida-stor-mobil")

        asked.join(timeout=300)
        draft = email.message_from_bytes(drafts[0], policy=policy.default)
        assert sorted(a.get_filename() for a in draft.iter_attachments()) == ["aktivitetsplan.docx",
                                                                              "aktivitetsplan.pdf"]
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and pdf_state(server.url + first) != "klar":
            time.sleep(0.5)
        assert pdf_state(server.url + first) == "klar"
    finally:
        stop()


def download_pdf(page: Any, folder: Path) -> Path:
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner PDF").click()
    assert download.value.suggested_filename == "aktivitetsplan.pdf"
    target = folder / "plan.pdf"
    download.value.save_as(str(target))
    assert "Mittköping" in pdf_pages(target)[0]
    return target


@needs_libreoffice
def test_while_the_pdf_is_made_on_a_phone(tmp_path: Path, phone: Any) -> None:
    server, stop = start_web_server(tmp_path, pdf_workers=1)
    try:
        with httpx.Client(timeout=120) as client:
            post_page(client, server.url)
            waiting = post_page(client, server.url)
        phone.goto(server.url + waiting)
        assert "väntar på LibreOffice" in phone.locator("#pdf-lage").inner_text()
        shot(phone, "5-pdf-vantar-mobil")
        phone.get_by_role("link", name="Ladda ner PDF").wait_for(timeout=240_000)
    finally:
        stop()
