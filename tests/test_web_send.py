"""Skicka on the page: the letter and recipients first, then a real send (aiosmtpd on loopback) or a draft."""

from __future__ import annotations

import email
import io
import re
from email import policy
from pathlib import Path
from typing import Any

import httpx
import pytest
from docx import Document

from conftest import Inbox, default_sheets, serious_violations, shot, start_web_server, upload

PASSWORD = "skicka-lösen"


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch, smtp_server: Any) -> Inbox:
    """A real SMTP server on loopback (conftest's smtp_server), and the server's SMTP settings pointing at it."""
    controller, box = smtp_server()
    for name, value in {"HOST": "127.0.0.1", "PORT": str(controller.port), "SECURITY": "none",
                        "FROM": "plan@testkoping.se"}.items():
        monkeypatch.setenv(f"AKTIVITETSPLAN_SMTP_{name}", value)
    for name in ("USER", "PASSWORD", "CAFILE"):
        monkeypatch.delenv(f"AKTIVITETSPLAN_SMTP_{name}", raising=False)
    return box


@pytest.fixture
def mailing_workbook(make_workbook: Any) -> Path:
    sheets = default_sheets()
    sheets["Sändlista"] = [["Namn", "E-post", "Roll"], ["Anna", "anna@testkoping.se", "Nämnd"],
                           ["Bo", "bo@testkoping.se", "Skolor"]]
    return Path(make_workbook(sheets, name="Plan Testköping.xlsx"))


def login(page: Any, server: Any) -> None:
    page.goto(server.url + "/logga-in")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_selector("#arbetsbok")


def test_logged_in_user_sees_the_letter_then_sends(tmp_path: Path, page: Any, inbox: Inbox,
                                                   mailing_workbook: Path) -> None:
    server, stop = start_web_server(tmp_path, use_libreoffice=False, password=PASSWORD)
    try:
        login(page, server)
        upload(page, server, mailing_workbook)
        page.get_by_role("link", name="Skicka planen med e-post …").click()
        page.wait_for_url("**/skicka", timeout=30_000)  # the letter's page, loaded
        assert page.locator(".mottagare li").all_inner_texts() == ["anna@testkoping.se", "bo@testkoping.se"]
        assert "Aktivitetsplan – Testköping" in page.locator(".brevhuvud").inner_text()
        assert page.locator("pre.brev").inner_text().startswith("Hej!")
        assert "Plan Testköping.docx" in page.locator(".brevhuvud").inner_text()
        assert inbox.messages == []  # nothing goes before the user says so
        assert serious_violations(page) == []
        shot(page, "7-skicka")
        page.get_by_role("button", name="Skicka till 2 mottagare").click()
        page.get_by_role("heading", name="Skickat").wait_for()
        assert page.get_by_text("Skickat till bo@testkoping.se").is_visible()
        assert serious_violations(page) == []
        assert len(inbox.messages) == 1
        sender, recipients, content = inbox.messages[0]
        assert sender == "plan@testkoping.se"
        assert sorted(recipients) == ["anna@testkoping.se", "bo@testkoping.se"]
        message = email.message_from_bytes(content, policy=policy.default)
        attachment = next(message.iter_attachments())
        assert attachment.get_filename() == "Plan Testköping.docx"
        assert Document(io.BytesIO(attachment.get_content())).tables
    finally:
        stop()


def test_without_password_sending_is_not_offered_but_the_draft_is(tmp_path: Path, page: Any, inbox: Inbox,
                                                                   mailing_workbook: Path) -> None:
    (tmp_path / "server").mkdir()
    server, stop = start_web_server(tmp_path / "server", use_libreoffice=False)  # SMTP set, no password
    try:
        upload(page, server, mailing_workbook)
        # What works is offered on the result page itself, and said in plain words.
        assert page.get_by_role("link", name="Skicka planen med e-post …").count() == 0
        hint = page.locator("#utkast-hjalp").inner_text()
        assert "2 mottagare på bladet Sändlista" in hint and "bifogad som Word-dokument." in hint
        with page.expect_download() as download:
            page.get_by_role("link", name="Ladda ner e-postutkast").click()
        assert download.value.suggested_filename == "Plan Testköping.eml"
        target = tmp_path / "utkast.eml"
        download.value.save_as(str(target))
        message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
        assert message["X-Unsent"] == "1"
        assert message["To"] == "Anna <anna@testkoping.se>, Bo <bo@testkoping.se>"
        # The letter's own page (by its address) says why it is not sent from here.
        page.goto(page.url.split("#")[0] + "/skicka")
        assert page.get_by_role("button", name=re.compile("Skicka till")).count() == 0
        assert page.get_by_text("skickar e-post bara åt den som har loggat in").is_visible()
        # A hand-made POST cannot send either.
        url = page.url
        with httpx.Client() as client:
            token = re.search(r'name="csrf" value="([^"]+)"', client.get(server.url + "/").text)
            assert token is not None
            answer = client.post(url, data={"csrf": token.group(1)})
        assert answer.status_code == 403
        assert inbox.messages == []
    finally:
        stop()


@pytest.mark.parametrize("screen", ["dator", "mobil"])
def test_without_smtp_settings_only_the_draft(web_server: Any, page: Any, phone: Any, mailing_workbook: Path,
                                              screen: str) -> None:
    tab = page if screen == "dator" else phone
    upload(tab, web_server, mailing_workbook)
    assert tab.get_by_role("link", name="Skicka planen med e-post …").count() == 0
    draft = tab.get_by_role("link", name="Ladda ner e-postutkast")
    assert draft.is_visible()
    assert draft.get_attribute("aria-describedby") == "utkast-hjalp"
    assert "Outlook" in tab.locator("#utkast-hjalp").inner_text()
    assert "e-postinställningar" not in tab.locator("main").inner_text()
    assert serious_violations(tab) == []
    shot(tab, f"9-utan-e-post-resultat-{screen}")
    tab.goto(tab.url.split("#")[0] + "/skicka")
    assert tab.get_by_text("Den här tjänsten skickar inte e-post själv").is_visible()
    assert "e-postinställningar" not in tab.locator("main").inner_text()
    assert tab.get_by_role("link", name="Ladda ner e-postutkast").is_visible()
    assert serious_violations(tab) == []
    shot(tab, f"9-utan-e-post-brevet-{screen}")


def test_bad_recipient_is_shown_before_anything_is_sent(web_server: Any, page: Any, make_workbook: Any) -> None:
    sheets = default_sheets()
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna(at)testkoping"]]
    upload(page, web_server, make_workbook(sheets))
    assert page.get_by_role("link", name="Ladda ner e-postutkast").count() == 0
    assert page.get_by_text("när adresserna på bladet Sändlista är rättade").is_visible()
    page.goto(page.url.split("#")[0] + "/skicka")
    problems = page.locator(".fynd.fel li").all_inner_texts()
    assert problems == ['Bladet Sändlista, cell B2: "anna(at)testkoping" är ingen giltig e-postadress Sändlista!B2']
    assert page.get_by_role("link", name="Ladda ner e-postutkast").count() == 0


def test_without_a_sendlista_the_page_says_how_to_get_one(web_server: Any, page: Any, make_workbook: Any) -> None:
    upload(page, web_server, make_workbook())
    assert page.get_by_role("link", name="Ladda ner e-postutkast").count() == 0
    assert page.get_by_role("link", name="Skicka planen med e-post …").count() == 0
    assert page.get_by_text("Fyll i bladet Sändlista").is_visible()
