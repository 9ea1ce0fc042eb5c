"""Accessibility: axe finds nothing serious in any state; the whole way works from the keyboard alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document

from conftest import EXAMPLE, default_sheets, serious_violations, shot, upload


def test_axe_on_the_empty_page(web_server: Any, page: Any) -> None:
    page.goto(web_server.url + "/")
    assert serious_violations(page) == []
    page.locator("summary").click()  # the optional fields open
    assert serious_violations(page) == []


def test_axe_with_findings(web_server: Any, page: Any, make_workbook: Any) -> None:
    sheets = default_sheets()
    sheets["Aktiviteter"][2][0] = None
    sheets["Aktiviteter"][3][5] = "kanske"
    upload(page, web_server, make_workbook(sheets))
    assert page.locator(".fynd.fel li").count() == 1
    assert serious_violations(page) == []


def test_axe_with_a_result(web_server: Any, page: Any) -> None:
    upload(page, web_server, EXAMPLE)
    assert page.get_by_role("link", name="Ladda ner Word").is_visible()
    assert serious_violations(page) == []


def test_axe_on_a_missing_result(web_server: Any, page: Any) -> None:
    page.goto(web_server.url + "/resultat/" + "A" * 22)
    assert page.get_by_role("alert").is_visible()
    assert serious_violations(page) == []


def focus_ring(page: Any) -> str:
    return str(page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                             " return s.outlineStyle + ' ' + s.outlineWidth; }"))


def tab_to(page: Any, accessible_name: str, limit: int = 30) -> None:
    """Press Tab until the focused element has the name; each stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate("() => { const e = document.activeElement;"
                             " return (e.labels && e.labels.length ? e.labels[0].innerText : e.innerText) || ''; }")
        assert focus_ring(page) != "none 0px", f"no visible focus on {name!r}"
        if name.strip() == accessible_name:
            return
    raise AssertionError(f"{accessible_name!r} cannot be reached with Tab")


def test_keyboard_only_from_workbook_to_word_plan(web_server: Any, page: Any, tmp_path: Path) -> None:
    page.goto(web_server.url + "/")
    tab_to(page, "Arbetsbok (.xlsx)")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(EXAMPLE))
    tab_to(page, "Egen mall eller logotyp (frivilligt)")
    page.keyboard.press("Enter")  # opens the optional fields
    tab_to(page, "Egen Word-mall (.docx)")
    tab_to(page, "Kontrollera och skapa planen")
    shot(page, "4-tangentbord-fokus")
    page.keyboard.press("Enter")
    page.wait_for_selector("#resultat-rubrik")
    # The result's heading takes the focus, so a screen reader reads it out.
    page.wait_for_function("() => document.activeElement.id === 'resultat-rubrik'", timeout=10_000)
    tab_to(page, "Ladda ner Word")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    target = tmp_path / "plan.docx"
    download.value.save_as(str(target))
    assert any("Mittköping" in p.text for p in Document(str(target)).paragraphs)


def test_skip_link_is_first(web_server: Any, page: Any) -> None:
    page.goto(web_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.innerText") == "Hoppa till innehållet"
    assert page.locator(".hoppa").bounding_box()["x"] >= 0  # shown when focused
