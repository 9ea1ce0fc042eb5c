"""PDF and page images through the LibreOffice pool: a busy pool says the page waits, then both get theirs."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx

from conftest import EXAMPLE, needs_libreoffice, pdf_pages, shot, start_web_server


def post_page(client: httpx.Client, url: str) -> str:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get(url + "/").text)
    assert token is not None
    answer = client.post(url + "/kontrollera", data={"csrf": token.group(1)},
                         files={"arbetsbok": ("aktivitetsplan.xlsx", EXAMPLE.read_bytes())})
    assert answer.status_code == 303
    return str(answer.headers["location"])


@needs_libreoffice
def test_busy_pool_makes_the_page_wait_and_both_get_their_pdf(tmp_path: Path, page: Any) -> None:
    server, stop = start_web_server(tmp_path, pdf_workers=1)
    try:
        with httpx.Client(timeout=120) as client:
            first = post_page(client, server.url)
            second = post_page(client, server.url)
            assert client.get(server.url + second + "/status").json()["pdf"] == "väntar"
        page.goto(server.url + second)
        assert "väntar på LibreOffice" in page.locator("#pdf-lage").inner_text()
        shot(page, "5-pdf-vantar")
        # The page asks for the state by itself and shows the PDF when it is there.
        page.get_by_role("link", name="Ladda ner PDF").wait_for(timeout=240_000)
        images = page.locator("ol.sidor img")
        assert images.count() >= 2
        assert images.first.get_attribute("alt") == f"Sida 1 av {images.count()}"
        assert images.first.evaluate("img => img.complete && img.naturalWidth > 0")
        shot(page, "6-forhandsvisning-sidor")
        with page.expect_download() as download:
            page.get_by_role("link", name="Ladda ner PDF").click()
        target = tmp_path / "plan.pdf"
        download.value.save_as(str(target))
        assert "Mittköping" in pdf_pages(target)[0]
        deadline = time.monotonic() + 240
        state = ""
        while time.monotonic() < deadline and state != "klar":
            state = httpx.get(server.url + first + "/status").json()["pdf"]
            time.sleep(0.5)
        assert state == "klar"
    finally:
        stop()
