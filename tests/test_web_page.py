"""The page in a real browser: choose a workbook, see findings, preview, download the Word plan."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl.styles import Font

from conftest import ACTIVITY_HEADER, EXAMPLE, default_sheets, shot, upload


def activity_table(document: Any) -> Any:
    """The table whose first row is the activity header."""
    for table in document.tables:
        if [c.text.strip() for c in table.rows[0].cells][:2] == ACTIVITY_HEADER[:2]:
            return table
    raise AssertionError("no activity table")


def test_empty_page_offers_the_workbook_and_the_starters(web_server: Any, page: Any) -> None:
    page.goto(web_server.url + "/")
    assert page.title() == "Aktivitetsplan"
    assert page.get_by_label("Arbetsbok (.xlsx)").is_visible()
    assert page.get_by_role("link", name="Ny arbetsbok").is_visible()
    assert page.get_by_role("link", name="Mall").is_visible()
    shot(page, "1-tom")


def test_upload_through_the_file_chooser_and_download_the_word_plan(web_server: Any, page: Any,
                                                                    tmp_path: Path) -> None:
    upload(page, web_server, EXAMPLE)
    assert page.locator(".sammanfattning").inner_text() == "15 aktiviteter, 3 klara."
    # The example names a logo that was not sent along: a warning with its place, no error.
    assert "Plan!B7" in page.locator(".fynd.varning").inner_text()
    assert page.locator(".fynd.fel").count() == 0
    shot(page, "3-resultat")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner Word").click()
    assert download.value.suggested_filename == "aktivitetsplan.docx"
    target = tmp_path / "plan.docx"
    download.value.save_as(str(target))
    table = activity_table(Document(str(target)))
    assert len(table.rows) == 16
    assert page.get_by_role("link", name="Ladda ner PDF").count() == 0  # this server has no LibreOffice


def test_outline_shows_sections_and_done_rows_red_and_marked(web_server: Any, page: Any,
                                                             make_workbook: Any) -> None:
    def red_second_row(workbook: Any) -> None:
        for cell in workbook["Aktiviteter"][3]:
            cell.font = Font(color="FF0000")

    upload(page, web_server, make_workbook(style=red_second_row))
    outline = page.locator(".oversikt")
    assert [h.inner_text() for h in outline.locator("h4").all()] == ["Bakgrund", "Målgrupper", "Budskap"]
    assert outline.get_by_text("Föreningar", exact=True).is_visible()
    rows = outline.locator("tbody tr")
    assert rows.count() == 3
    done = [r.get_attribute("class") == "klar" for r in rows.all()]
    assert done == [True, True, False]
    assert rows.nth(1).locator("td").nth(5).inner_text() == "Klar"  # as the document says it
    colour = rows.nth(1).locator("td").first.evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(176, 0, 32)"


def test_findings_for_a_broken_workbook(web_server: Any, page: Any, make_workbook: Any) -> None:
    sheets = default_sheets()
    sheets["Aktiviteter"][2][0] = None
    sheets["Aktiviteter"][3][5] = "kanske"
    upload(page, web_server, make_workbook(sheets))
    errors = page.locator(".fynd.fel li").all_inner_texts()
    warnings = page.locator(".fynd.varning li").all_inner_texts()
    assert errors == ["Bladet Aktiviteter, cell A3: Aktivitet saknas Aktiviteter!A3"]
    assert any(w.startswith("Bladet Aktiviteter, cell F4:") and "kanske" in w for w in warnings)
    assert page.get_by_role("heading", name="Fel att rätta (1)").is_visible()
    assert page.get_by_role("link", name="Ladda ner Word").count() == 0
    shot(page, "2-fel")


def test_own_template_and_logo_are_used(web_server: Any, page: Any, tmp_path: Path) -> None:
    from generator.files.resources import DEFAULT_TEMPLATE

    mall = tmp_path / "min mall.docx"
    shutil.copy(DEFAULT_TEMPLATE, mall)
    upload(page, web_server, EXAMPLE, mall=mall, logotyp=EXAMPLE.parent / "logotyp.png")
    assert page.locator(".fynd.fel").count() == 0  # the example's one warning: a Tid without a year
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner Word").click()
    target = tmp_path / "plan.docx"
    download.value.save_as(str(target))
    assert Document(str(target)).inline_shapes  # the logo is in


def test_broken_template_is_a_finding_naming_it(web_server: Any, page: Any) -> None:
    bad = Path(__file__).parent / "fixtures" / "bad" / "template-syntax-error.docx"
    upload(page, web_server, EXAMPLE, mall=bad)
    errors = page.locator(".fynd.fel li").all_inner_texts()
    assert errors and all(e.startswith("template-syntax-error.docx") for e in errors)


@pytest.mark.parametrize(("link", "name", "sheet"), [("Ny arbetsbok", "aktivitetsplan.xlsx", "Aktiviteter"),
                                                     ("Mall", "aktivitetsplan-mall.docx", None)])
def test_new_workbook_and_template_download(web_server: Any, page: Any, tmp_path: Path, link: str, name: str,
                                            sheet: str | None) -> None:
    page.goto(web_server.url + "/")
    with page.expect_download() as download:
        page.get_by_role("link", name=link, exact=True).click()
    assert download.value.suggested_filename == name
    target = tmp_path / name
    download.value.save_as(str(target))
    if sheet:
        from openpyxl import load_workbook

        assert sheet in load_workbook(target).sheetnames
    else:
        assert Document(str(target)).paragraphs


def test_page_works_without_javascript(chromium: Any, web_server: Any) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(web_server.url + "/")
        tab.locator("#arbetsbok").set_input_files(str(EXAMPLE))
        tab.get_by_role("button", name="Kontrollera och skapa planen").click()
        tab.wait_for_selector("#resultat-rubrik")
        assert tab.locator(".sammanfattning").inner_text() == "15 aktiviteter, 3 klara."
    finally:
        context.close()


def test_drag_and_drop_fills_the_chooser(web_server: Any, page: Any) -> None:
    page.goto(web_server.url + "/")
    data = list(EXAMPLE.read_bytes())
    handle = page.evaluate_handle(
        """bytes => { const dt = new DataTransfer();
           dt.items.add(new File([new Uint8Array(bytes)], 'släppt.xlsx')); return dt; }""", data)
    page.dispatch_event("#slappyta", "drop", {"dataTransfer": handle})
    assert "släppt.xlsx" in page.locator("#lage").inner_text()
    page.get_by_role("button", name="Kontrollera och skapa planen").click()
    page.wait_for_selector("#resultat-rubrik")
    assert page.get_by_role("heading", name="Resultat för släppt").is_visible()


def test_outline_of_a_done_row_keeps_its_texts(make_workbook: Any) -> None:
    from generator.flows.checking import check_workbook
    from generator.web.work import outline

    shown = outline(check_workbook(make_workbook()).plan)
    assert shown.columns[:6] == ("Aktivitet", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig", "Klar")
    done, not_done = shown.rows[0], shown.rows[1]
    assert done.done and done.cells[:6] == ("Presentation på nämndmöte", "Ge politiker information", "Våren 2019",
                                             "Möte", "Anna", "Klar")
    assert not not_done.done and not_done.cells[0] == "Nyhet på intranätet" and not_done.cells[5] == ""


def test_outline_says_which_columns_the_document_does_not_show(make_workbook: Any) -> None:
    from generator.flows.checking import check_workbook
    from generator.web.work import outline

    header = ["Aktivitet", "Syfte och målgrupp", "Tiid", "Kanal", "Ansvarig", "Klar"]
    plan = check_workbook(make_workbook(Aktiviteter=[header, ["Möte", "", "mars 2019", "Möte", "Eva", ""]])).plan
    assert outline(plan).columns[-1] == "Tiid (syns inte i Word-dokumentet)"
    assert outline(plan, own_template=True).columns[-1] == "Tiid"  # a template of one's own may show it
