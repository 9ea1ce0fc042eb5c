"""The result page as a communicator meets it: names and words, Back, buttons, one load (issue 20)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import EXAMPLE, default_sheets, serious_violations, shot, upload

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"


def test_download_keeps_the_en_dash_and_swedish_letters(web_server: Any, page: Any, tmp_path: Path) -> None:
    workbook = tmp_path / "Åre kommun – plan.xlsx"
    shutil.copy(EXAMPLE, workbook)
    upload(page, web_server, workbook)
    assert page.get_by_role("heading", name="Resultat för Åre kommun – plan").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner Word").click()
    assert download.value.suggested_filename == "Åre kommun – plan.docx"
    # Clients that only read filename= get a plain ASCII name, not question marks.
    disposition = httpx.get(page.url.split("#")[0] + "/word").headers["content-disposition"]
    assert 'filename="Are kommun - plan.docx"' in disposition
    assert "filename*=utf-8''%C3%85re%20kommun%20%E2%80%93%20plan.docx" in disposition


def test_places_in_words_with_the_short_form_beside_and_messages_with_a_capital(web_server: Any, page: Any,
                                                                                make_workbook: Any) -> None:
    sheets = default_sheets()
    sheets["Aktiviteter"][3][5] = "kanske"
    sheets["Aktiviteter"][2][2] = "Sommaren"
    upload(page, web_server, make_workbook(sheets))
    first = page.locator(".fynd.varning li").first
    assert first.locator(".plats").inner_text() == "Bladet Aktiviteter, cell C3:"
    assert first.locator(".kortform").inner_text() == "Aktiviteter!C3"  # to paste into Excel's Gå till
    messages = page.locator(".fynd li").evaluate_all(
        "items => items.map(li => li.childNodes[1].textContent.trim())")
    assert messages and all(m[0].isupper() or m[0] == '"' for m in messages), messages
    assert page.locator(".fynd .plats").evaluate_all(
        "spans => spans.map(s => getComputedStyle(s).fontFamily)")[0].find("mono") == -1  # read, not code


def test_warnings_come_in_cell_order(web_server: Any, page: Any) -> None:
    # The example: the logo (Plan!B7) is noted after the checks of Aktiviteter; the page lists the sheets in order.
    upload(page, web_server, EXAMPLE)
    places = page.locator(".fynd.varning .kortform").all_inner_texts()
    assert places == ["Plan!B7", "Aktiviteter!C5"]


def test_in_cell_order_sorts_by_sheet_row_and_column() -> None:
    from generator.plan import Finding, in_cell_order

    findings = [Finding("Aktiviteter!C5", "c5"), Finding("Plan!B7", "b7"), Finding("mall.docx", "mall"),
                Finding("Aktiviteter!B12", "b12"), Finding("Aktiviteter!AA2", "aa2"), Finding("Eget!A1", "eget"),
                Finding("Aktiviteter!A5", "a5")]
    assert [f.message for f in in_cell_order(findings)] == ["mall", "b7", "aa2", "a5", "c5", "b12", "eget"]


@pytest.mark.parametrize(("place", "said"), [("Aktiviteter!A5", "Bladet Aktiviteter, cell A5"),
                                              ("Aktiviteter!F4:F9", "Bladet Aktiviteter, cellerna F4–F9"),
                                              ("Plan!Titel", "Bladet Plan, Titel"),
                                              ("plan.xlsx", "plan.xlsx"), ("format=pdf", "format=pdf")])
def test_place_in_words(place: str, said: str) -> None:
    from generator.web.wording import place_in_words

    assert place_in_words(place) == said


def test_a_word_file_as_workbook_points_to_the_import(web_server: Any, page: Any, phone: Any) -> None:
    for tab, name in ((page, "dator"), (phone, "mobil")):
        upload(tab, web_server, BAD / "word-renamed.xlsx")
        error = tab.locator(".fynd.fel li").inner_text()
        assert error.startswith("word-renamed.xlsx: Filen är ett Word-dokument")
        assert "spara den som Excel-arbetsbok" not in error  # no advice to open a Word file in Excel
        assert serious_violations(tab) == []
        shot(tab, f"2-word-fil-{name}")
    page.get_by_role("link", name="Gör en arbetsbok av en plan i Word").click()
    page.wait_for_url("**/importera", timeout=30_000)  # the new page, loaded
    assert page.get_by_role("heading", name="Gör en arbetsbok av en plan i Word").is_visible()
    assert page.get_by_label("Plan i Word (.docx)").is_visible()
    assert serious_violations(page) == []


def test_errors_show_no_preview_of_a_document_never_made(web_server: Any, page: Any, phone: Any,
                                                        make_workbook: Any) -> None:
    sheets = default_sheets()
    sheets["Aktiviteter"][2][0] = None
    workbook = make_workbook(sheets)
    for tab, name in ((page, "dator"), (phone, "mobil")):
        upload(tab, web_server, workbook)
        assert tab.get_by_role("heading", name="Fel att rätta (1)").is_visible()
        assert tab.get_by_role("heading", name="Förhandsvisning").count() == 0
        assert tab.locator(".oversikt").count() == 0
        shot(tab, f"2-fel-{name}")


@pytest.mark.parametrize("screen", ["dator", "mobil"])
def test_back_leaves_no_file_chosen(web_server: Any, page: Any, phone: Any, make_workbook: Any,
                                    screen: str) -> None:
    page = page if screen == "dator" else phone
    other = make_workbook(name="annan.xlsx")
    upload(page, web_server, EXAMPLE)
    first = page.url
    page.locator("#arbetsbok").set_input_files(str(other))
    page.get_by_role("button", name="Kontrollera och skapa planen").click()
    page.wait_for_url(lambda url: url != first)
    page.get_by_role("heading", name="Resultat för annan").wait_for()
    page.go_back()
    page.get_by_role("heading", name="Resultat för aktivitetsplan").wait_for()
    chosen = "() => [...document.querySelectorAll('input[type=file]')].map(i => i.files.length)"
    assert page.evaluate(chosen) == [0] * 5  # the workbook, template, profile, logo and Word plan boxes
    assert page.locator("#skicka-fil").is_enabled()
    shot(page, f"8-efter-tillbaka-{screen}")
    page.go_back()
    page.get_by_role("heading", name="Gör aktivitetsplanen i Word").wait_for()
    assert page.evaluate(chosen) == [0] * 5
    assert page.locator("#lage").inner_text() == ""
    assert page.locator("#framsteg").is_hidden()


def test_a_file_chosen_while_the_page_loads_stays_chosen(web_server: Any, page: Any) -> None:
    """Only a page brought back by Back starts empty: on a page still loading, a chosen workbook is kept."""
    held: list[Any] = []

    def hold(route: Any) -> None:  # the stylesheet waits, and with it the page's script and its load event
        held.append(route)

    page.route("**/static/style.css", hold)
    page.goto(web_server.url + "/", wait_until="commit")
    page.locator("#arbetsbok").set_input_files(str(EXAMPLE))
    for _ in range(1500):  # the stylesheet's request reaches the handler as Playwright hears of it
        if held:
            break
        page.wait_for_timeout(20)
    assert page.evaluate("document.readyState") != "complete"  # still loading: chosen before the load event
    held[0].continue_()
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.evaluate("document.getElementById('arbetsbok').files.length") == 1
    page.get_by_role("button", name="Kontrollera och skapa planen").click()
    page.get_by_role("heading", name="Resultat för aktivitetsplan").wait_for()


def test_the_result_page_is_loaded_once(web_server: Any, page: Any) -> None:
    loads: list[str] = []
    page.on("request", lambda request: loads.append(request.url) if "/resultat/" in request.url
            and request.resource_type in ("document", "xhr", "fetch") else None)
    upload(page, web_server, EXAMPLE)
    assert [url.split("#")[0] for url in loads] == [page.url.split("#")[0]]  # the script may add #resultat-rubrik
    # The form without the page's script still gets the redirect.
    answer = httpx.get(web_server.url + "/")
    assert answer.status_code == 200


def test_download_buttons_work_with_space(web_server: Any, page: Any) -> None:
    upload(page, web_server, EXAMPLE)
    page.get_by_role("link", name="Ladda ner Word").focus()
    with page.expect_download() as download:
        page.keyboard.press("Space")
    assert download.value.suggested_filename == "aktivitetsplan.docx"
    assert page.evaluate("window.scrollY") < 2000  # Space did not scroll the page instead


def test_the_footer_keeps_its_distance(web_server: Any, page: Any, phone: Any) -> None:
    for tab in (page, phone):
        for path in ("/", "/importera"):
            tab.goto(web_server.url + path)
            gap = tab.evaluate("""() => {
                const last = document.querySelector('main').lastElementChild.getBoundingClientRect();
                const foot = document.querySelector('footer').getBoundingClientRect();
                return foot.top - last.bottom; }""")
            assert gap >= 24, (path, gap)
            shot(tab, f"1-{'tom' if path == '/' else 'importera'}-{'mobil' if tab is phone else 'dator'}")
