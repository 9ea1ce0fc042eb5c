"""Import through the page and the API: a Word plan in, the tool's workbook out, the same as the CLI's."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
from openpyxl import load_workbook

from conftest import EXAMPLE, serious_violations, shot
from generator.flows.checking import check_workbook

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
SEED_PLAN = FIXTURES / "handskriven-mittkoping.docx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def post_plan(server: Any, document: Path, name: str | None = None) -> httpx.Response:
    files = {"plan": (name or document.name, document.read_bytes())}
    return httpx.post(server.url + "/api/import", files=files, timeout=120)


def activity_names(workbook: Path) -> list[str]:
    book = load_workbook(workbook, read_only=True)
    try:
        rows = book["Aktiviteter"].iter_rows(min_row=2, values_only=True)
        return [row[0] for row in rows if row and row[0]]
    finally:
        book.close()


def test_api_answers_the_workbook(web_server: Any, tmp_path: Path) -> None:
    answer = post_plan(web_server, SEED_PLAN, name="Gammal plan.docx")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == XLSX
    assert "Gammal%20plan.xlsx" in answer.headers["content-disposition"]
    assert unquote(answer.headers["x-aktivitetsplan-sammanfattning"]) == "7 avsnitt, 15 aktiviteter varav 3 klara"
    workbook = tmp_path / "plan.xlsx"
    workbook.write_bytes(answer.content)
    assert len(activity_names(workbook)) == 15
    result = check_workbook(workbook)
    assert not result.errors
    assert result.plan.summary() == "15 aktiviteter, 3 klara"


def test_api_gives_the_same_workbook_content_as_the_library(web_server: Any, tmp_path: Path) -> None:
    from generator.importing.importer import import_document

    answer = post_plan(web_server, SEED_PLAN)
    by_web = tmp_path / "webb.xlsx"
    by_web.write_bytes(answer.content)
    by_library, _ = import_document(SEED_PLAN, tmp_path / "bibliotek.xlsx")
    assert activity_names(by_web) == activity_names(by_library)


def test_a_file_that_is_no_plan_is_422_naming_the_upload(web_server: Any, tmp_path: Path) -> None:
    not_word = tmp_path / "anteckningar.docx"
    not_word.write_bytes(b"bara text, inget Word-dokument")
    answer = post_plan(web_server, not_word)
    assert answer.status_code == 422
    finding = answer.json()["findings"][0]
    assert finding["severity"] == "fel"
    assert finding["place"] == "anteckningar.docx"
    assert str(web_server.root) not in finding["place"] + finding["message"]


def test_missing_plan_field_is_400(web_server: Any) -> None:
    answer = httpx.post(web_server.url + "/api/import", files={"arbetsbok": ("a.xlsx", b"x")}, timeout=60)
    assert answer.status_code == 400
    assert answer.json()["findings"][0]["place"] == "plan"


def test_nothing_is_kept_after_an_api_import(web_server: Any, tmp_path: Path) -> None:
    before = set(web_server.root.iterdir())  # page results of other tests, kept for their minutes
    broken = tmp_path / "trasig.docx"
    broken.write_bytes(b"PK\x03\x04 inte hela")
    assert post_plan(web_server, SEED_PLAN).status_code == 200
    assert post_plan(web_server, broken).status_code == 422
    deadline = time.monotonic() + 10  # the workbook is deleted once it has been sent
    while set(web_server.root.iterdir()) != before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert set(web_server.root.iterdir()) == before


def test_page_import_through_the_file_chooser(web_server: Any, page: Any, tmp_path: Path) -> None:
    page.goto(web_server.url + "/")
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Har ni redan planen i Word? Gör en arbetsbok av den (.docx)").click()
    chooser.value.set_files(str(SEED_PLAN))
    page.get_by_role("button", name="Gör en arbetsbok", exact=True).click()
    page.wait_for_selector("#import-rubrik")
    assert page.locator(".sammanfattning").inner_text() == "7 avsnitt, 15 aktiviteter varav 3 klara."
    assert page.get_by_role("heading", name="Lämnades utanför", exact=False).is_visible()
    shot(page, "7-import")
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner arbetsboken").click()
    assert download.value.suggested_filename == "handskriven-mittkoping.xlsx"
    target = tmp_path / "import.xlsx"
    download.value.save_as(str(target))
    assert check_workbook(target).plan.summary() == "15 aktiviteter, 3 klara"


def test_page_import_of_a_broken_file_shows_the_message(web_server: Any, page: Any, tmp_path: Path) -> None:
    broken = tmp_path / "trasig.docx"
    broken.write_bytes(b"PK\x03\x04 inte hela")
    page.goto(web_server.url + "/")
    page.locator("#plan").set_input_files(str(broken))
    page.get_by_role("button", name="Gör en arbetsbok", exact=True).click()
    page.wait_for_selector("#import-rubrik")
    message = page.locator(".fynd.fel").inner_text()
    assert "trasig.docx" in message
    assert serious_violations(page) == []


def test_page_import_needs_the_form_token(web_server: Any) -> None:
    answer = httpx.post(web_server.url + "/importera", files={"plan": ("p.docx", SEED_PLAN.read_bytes())},
                        timeout=60)
    assert answer.status_code == 403
    assert not [p for p in web_server.root.rglob("*.docx")]


def test_workbook_bytes_open_in_openpyxl(web_server: Any) -> None:
    answer = post_plan(web_server, SEED_PLAN)
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    assert {"Plan", "Avsnitt", "Aktiviteter", "Instruktioner"} <= set(book.sheetnames)
    book.close()


def test_a_workbook_sent_to_import_is_pointed_to_its_place(web_server: Any) -> None:
    """The API names the command with the file as it was sent; the page says where on the page it goes."""
    answer = httpx.post(web_server.url + "/api/import", files={"plan": ("Vår plan.xlsx", EXAMPLE.read_bytes())},
                        timeout=60)
    message = answer.json()["findings"][0]["message"]
    assert message.endswith("En arbetsbok används direkt: aktivitetsplan generate Vår plan.xlsx")
    with httpx.Client(base_url=web_server.url, timeout=60) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
        assert token is not None
        page = client.post("/importera", data={"csrf": token.group(1)},
                           files={"plan": ("Vår plan.xlsx", EXAMPLE.read_bytes())}, follow_redirects=True).text
    assert "En arbetsbok används direkt: välj den under Arbetsbok på första sidan" in page
    assert "aktivitetsplan generate" not in page
