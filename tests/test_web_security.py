"""Safety of the served page: headers, CSRF, host names, the password wall, nothing kept."""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from conftest import EXAMPLE, serious_violations, shot, start_web_server
from generator.web.work import DOCUMENT_NAME

PASSWORD = "hemligt-lösen-42"


def csrf_of(client: httpx.Client, url: str) -> str:
    page = client.get(url)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_security_headers_on_every_answer(web_server: Any) -> None:
    for path in ("/", "/static/style.css", "/finns-inte"):
        headers = httpx.get(web_server.url + path).headers
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    api = httpx.post(web_server.url + "/api/check", files={"arbetsbok": ("a.xlsx", EXAMPLE.read_bytes())})
    assert api.headers["x-content-type-options"] == "nosniff"


def test_no_inline_script_or_style_in_the_page(web_server: Any) -> None:
    html = httpx.get(web_server.url + "/").text
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<[^>]+\son[a-z]+=", html)


def test_form_without_csrf_token_is_rejected(web_server: Any) -> None:
    with httpx.Client() as client:
        client.get(web_server.url + "/")  # has the cookie, not the token
        answer = client.post(web_server.url + "/kontrollera",
                             files={"arbetsbok": ("a.xlsx", EXAMPLE.read_bytes())})
        assert answer.status_code == 403
        wrong = client.post(web_server.url + "/kontrollera", data={"csrf": "x" * 43},
                            files={"arbetsbok": ("a.xlsx", EXAMPLE.read_bytes())})
        assert wrong.status_code == 403
        token = csrf_of(client, web_server.url + "/")
        right = client.post(web_server.url + "/kontrollera", data={"csrf": token},
                            files={"arbetsbok": ("a.xlsx", EXAMPLE.read_bytes())})
        assert right.status_code == 303 and right.headers["location"].startswith("/resultat/")
    # Another site's form posts without our cookie: rejected too.
    foreign = httpx.post(web_server.url + "/kontrollera", data={"csrf": token},
                         files={"arbetsbok": ("a.xlsx", EXAMPLE.read_bytes())})
    assert foreign.status_code == 403


def test_foreign_host_name_is_refused_on_a_local_server(web_server: Any) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 gets nothing."""
    answer = httpx.get(web_server.url + "/", headers={"host": "evil.example"})
    assert answer.status_code == 421
    assert answer.text == f"Fel värdnamn: öppna sidan på {web_server.url}/."  # the address with its port
    assert httpx.get(web_server.url + "/", headers={"host": "localhost:1234"}).status_code == 200


def test_result_ids_are_never_paths(web_server: Any) -> None:
    for probe in ("/resultat/..%2F..%2Fetc%2Fpasswd/word", "/resultat/../../etc/passwd",
                  "/resultat/" + "A" * 22 + "/word", "/resultat/x/sida/1"):
        assert httpx.get(web_server.url + probe).status_code == 404


def test_private_folder_is_0700_and_empty_after_api_requests(web_server: Any, make_workbook: Any) -> None:
    assert web_server.root.stat().st_mode & 0o777 == 0o700
    before = set(web_server.root.iterdir())  # page results of other tests, kept for their minutes
    broken = make_workbook(name="trasig.xlsx", Aktiviteter=[["Aktivitet"], [None]])
    for path in ("/api/generate", "/api/check"):
        for workbook in (EXAMPLE, broken):
            httpx.post(web_server.url + path, files={"arbetsbok": (workbook.name, workbook.read_bytes())})
    deadline = time.monotonic() + 10  # the document is deleted once it has been sent
    while set(web_server.root.iterdir()) != before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert set(web_server.root.iterdir()) == before


def test_page_results_are_deleted_after_their_time(tmp_path: Path) -> None:
    server, stop = start_web_server(tmp_path, use_libreoffice=False, keep_seconds=0.5)
    try:
        with httpx.Client() as client:
            token = csrf_of(client, server.url + "/")
            answer = client.post(server.url + "/kontrollera", data={"csrf": token},
                                 files={"arbetsbok": ("a.xlsx", EXAMPLE.read_bytes())})
            location = answer.headers["location"]
            kept = list(server.root.iterdir())
            assert len(kept) == 1 and [p.name for p in kept[0].iterdir()] == [DOCUMENT_NAME]  # upload gone
            time.sleep(0.6)
            assert client.get(server.url + location).status_code == 404
            server.web.store.sweep()
            assert list(server.root.iterdir()) == []
    finally:
        stop()


def test_password_wall_on_another_address(tmp_path: Path, page: Any) -> None:
    """Bound to 127.0.0.2 (still this machine): every request needs the password."""
    server, stop = start_web_server(tmp_path, host="127.0.0.2", use_libreoffice=False, password=PASSWORD,
                                    local_only=False)
    try:
        files = {"arbetsbok": ("a.xlsx", EXAMPLE.read_bytes())}
        refused = httpx.post(server.url + "/api/check", files=files)
        assert refused.status_code == 401 and "Basic" in refused.headers["www-authenticate"]
        assert httpx.post(server.url + "/api/check", files=files,
                          headers={"authorization": "Bearer fel"}).status_code == 401
        bearer = httpx.post(server.url + "/api/check", files=files,
                            headers={"authorization": f"Bearer {PASSWORD}".encode()})
        assert bearer.status_code == 200
        basic = "Basic " + base64.b64encode(f"x:{PASSWORD}".encode()).decode()
        assert httpx.post(server.url + "/api/check", files=files, headers={"authorization": basic}).status_code == 200
        assert httpx.get(server.url + "/", follow_redirects=False).headers["location"] == "/logga-in"
        assert httpx.get(server.url + "/ny-arbetsbok", follow_redirects=False).status_code == 303

        page.goto(server.url + "/")
        assert page.get_by_role("heading", name="Logga in").is_visible()
        assert serious_violations(page) == []
        page.get_by_label("Lösenord").fill("fel")
        page.get_by_role("button", name="Logga in").click()
        expect(page.get_by_text("Fel lösenord")).to_be_visible(timeout=30_000)  # the form's answer is a new page
        assert serious_violations(page) == []
        shot(page, "0-logga-in")
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_selector("#arbetsbok")
        page.locator("#arbetsbok").set_input_files(str(EXAMPLE))
        page.get_by_role("button", name="Kontrollera och skapa planen").click()
        page.wait_for_selector("#resultat-rubrik")
        page.get_by_role("button", name="Logga ut").click()
        expect(page.get_by_role("heading", name="Logga in")).to_be_visible(timeout=30_000)
    finally:
        stop()


def test_hostile_file_name_is_shown_as_text(web_server: Any) -> None:
    name = '<img src=x onerror=alert(1)>"\'.xlsx'
    with httpx.Client() as client:
        token = csrf_of(client, web_server.url + "/")
        answer = client.post(web_server.url + "/kontrollera", data={"csrf": token}, follow_redirects=True,
                             files={"arbetsbok": (name, b"inte en arbetsbok")})
    assert answer.status_code == 200
    assert "<img src=x" not in answer.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in answer.text


def test_broken_form_without_token_is_rejected_too(web_server: Any) -> None:
    before = set(web_server.root.iterdir())
    answer = httpx.post(web_server.url + "/kontrollera", content=b"--x\r\nnot a form",
                        headers={"content-type": "multipart/form-data; boundary=grans"})
    assert answer.status_code == 403
    assert set(web_server.root.iterdir()) == before  # no result kept for it


def test_wrong_passwords_are_slowed_down_per_client(tmp_path: Path, page: Any) -> None:
    """Ten wrong tries from one computer, then 429 with Retry-After, even for the right password; others go on."""
    from generator.web.security import MAX_WRONG

    server, stop = start_web_server(tmp_path, host="127.0.0.2", use_libreoffice=False, password=PASSWORD,
                                    local_only=False)
    try:
        files = {"arbetsbok": ("a.xlsx", EXAMPLE.read_bytes())}
        guesser = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.3"))
        for _ in range(MAX_WRONG):
            assert guesser.post(server.url + "/api/check", files=files,
                                headers={"authorization": "Bearer gissning"}).status_code == 401
        refused = guesser.post(server.url + "/api/check", files=files,
                               headers={"authorization": f"Bearer {PASSWORD}".encode()})
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
        assert refused.json()["meddelande"].startswith("För många fel lösenord från den här datorn. Vänta 15 minuter")
        # The login form on the same computer waits too, with the field ready for the next try.
        token = csrf_of(guesser, server.url + "/logga-in")
        form = guesser.post(server.url + "/logga-in", data={"csrf": token, "losenord": PASSWORD})
        assert form.status_code == 429 and "retry-after" in form.headers
        guesser.close()
        # Another computer is not held up by it.
        other = httpx.post(server.url + "/api/check", files=files,
                           headers={"authorization": f"Bearer {PASSWORD}".encode()})
        assert other.status_code == 200

        page.goto(server.url + "/logga-in")
        page.get_by_label("Lösenord").fill("fel")
        page.get_by_role("button", name="Logga in").click()
        page.get_by_text("Fel lösenord").wait_for()
        # The browser applies autofocus after the page is shown, not when its text is there.
        page.wait_for_function("() => document.activeElement.id === 'losenord'", timeout=10_000)  # type again
        assert page.get_by_label("Lösenord").get_attribute("aria-invalid") == "true"
        assert serious_violations(page) == []
    finally:
        stop()


def test_a_form_with_too_many_fields_is_answered_in_swedish(web_server: Any) -> None:
    """Starlette's form limits speak English; the page answers in Swedish, as for every other status."""
    client = httpx.Client()
    token = csrf_of(client, web_server.url + "/")
    fields = {"csrf": token, **{f"falt{index}": "x" for index in range(5)}}
    answer = client.post(web_server.url + "/logga-ut", data=fields)
    client.close()
    assert answer.status_code == 400
    assert "Formuläret kunde inte läsas" in answer.text
    assert "Too many fields" not in answer.text
