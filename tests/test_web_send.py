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
        page.get_by_role("link", name="Skicka planen med e-post …").click()
        assert page.get_by_role("button", name=re.compile("Skicka till")).count() == 0
        assert page.get_by_text("kräver att tjänsten har lösenord").is_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Ladda ner utkast (.eml)").click()
        assert download.value.suggested_filename == "Plan Testköping.eml"
        target = tmp_path / "utkast.eml"
        download.value.save_as(str(target))
        message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
        assert message["X-Unsent"] == "1"
        assert message["To"] == "anna@testkoping.se, bo@testkoping.se"
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


def test_without_smtp_settings_only_the_draft(web_server: Any, page: Any, mailing_workbook: Path) -> None:
    upload(page, web_server, mailing_workbook)
    page.get_by_role("link", name="Skicka planen med e-post …").click()
    assert page.get_by_text("Servern har inga e-postinställningar").is_visible()
    assert page.get_by_role("link", name="Ladda ner utkast (.eml)").is_visible()


def test_bad_recipient_is_shown_before_anything_is_sent(web_server: Any, page: Any, make_workbook: Any) -> None:
    sheets = default_sheets()
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna(at)testkoping"]]
    upload(page, web_server, make_workbook(sheets))
    page.get_by_role("link", name="Skicka planen med e-post …").click()
    problems = page.locator(".fynd.fel li").all_inner_texts()
    assert problems == ['Sändlista!B2 "anna(at)testkoping" är ingen giltig e-postadress']
    assert page.get_by_role("link", name="Ladda ner utkast (.eml)").count() == 0
