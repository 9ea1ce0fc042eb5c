"""The HTTP API against a real server: POST /api/generate and /api/check."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from docx import Document

from conftest import ACTIVITY_HEADER, EXAMPLE, default_sheets, needs_libreoffice, pdf_pages, start_web_server

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def post(server: Any, path: str, workbook: Path, name: str | None = None, **files: Path) -> httpx.Response:
    sent = {"arbetsbok": (name or workbook.name, workbook.read_bytes())}
    sent.update({field: (path.name, path.read_bytes()) for field, path in files.items()})
    return httpx.post(server.url + path, files=sent, timeout=120)


def test_generate_answers_the_document(web_server: Any) -> None:
    answer = post(web_server, "/api/generate", EXAMPLE, name="Plan för Mittköping.xlsx")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == DOCX
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Plan%20f%C3%B6r%20Mittk%C3%B6ping.docx" in disposition
    document = Document(io.BytesIO(answer.content))
    header = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ACTIVITY_HEADER in header
    assert answer.headers["x-aktivitetsplan-sammanfattning"] == "15 aktiviteter, 3 klara"


def test_generate_sanitises_the_file_name(web_server: Any) -> None:
    answer = post(web_server, "/api/generate", EXAMPLE, name='..\\..\\"evil";\r\nx.xlsx')
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    name = re.search(r'filename="([^"]*)"', disposition)
    assert name is not None
    assert re.fullmatch(r"[\w\- .()]+\.docx", name.group(1))
    assert "/" not in name.group(1) and "\\" not in name.group(1) and not name.group(1).startswith(".")


def test_generate_with_errors_is_422_with_the_findings(web_server: Any, make_workbook: Any) -> None:
    sheets = default_sheets()
    sheets["Aktiviteter"][2][0] = None
    answer = post(web_server, "/api/generate", make_workbook(sheets))
    assert answer.status_code == 422
    body = answer.json()
    assert body["fel"] == 1
    assert {"place": "Aktiviteter!A3", "message": "Aktivitet saknas", "severity": "fel"} in body["findings"]


def test_check_answers_findings_with_200(web_server: Any, make_workbook: Any) -> None:
    sheets = default_sheets()
    sheets["Aktiviteter"][3][5] = "kanske"
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "inte-en-adress"]]
    answer = post(web_server, "/api/check", make_workbook(sheets))
    assert answer.status_code == 200
    body = answer.json()
    assert body["sammanfattning"] == "3 aktiviteter, 1 klar"
    assert (body["fel"], body["varningar"]) == (0, 2)  # Sändlista matters only when sending
    places = {(f["place"], f["severity"]) for f in body["findings"]}
    assert places == {("Aktiviteter!F4", "varning"), ("Sändlista!B2", "varning")}


def test_findings_about_the_whole_workbook_name_the_file_sent(web_server: Any, make_workbook: Any) -> None:
    sheets = default_sheets()
    sheets["Aktiviteter 2019"] = sheets.pop("Aktiviteter")  # the sheet renamed by hand
    for name in ("Plan för Mittköping.xlsx", "min-arbetsbok.xlsx"):  # the second holds the server's own name
        answer = post(web_server, "/api/check", make_workbook(sheets), name=name)
        places = {f["place"] for f in answer.json()["findings"]}
        assert name in places, places
        assert not any("arbetsbok.xlsx" in p and p != name for p in places)


def test_a_template_is_named_once_by_the_name_it_was_sent_with(web_server: Any, tmp_path: Path) -> None:
    broken = tmp_path / "Ny mall.docx"  # "mall.docx" is the server's own name for it
    broken.write_bytes(b"inte en Word-fil")
    answer = post(web_server, "/api/check", EXAMPLE, mall=broken)
    places = {f["place"] for f in answer.json()["findings"] if f["severity"] == "fel"}
    assert places == {"Ny mall.docx"}


def test_check_of_a_good_workbook(web_server: Any, make_workbook: Any) -> None:
    answer = post(web_server, "/api/check", make_workbook())
    assert answer.json() == {"fel": 0, "varningar": 0, "sammanfattning": "3 aktiviteter, 1 klar", "findings": []}


def test_missing_workbook_field_is_400(web_server: Any) -> None:
    answer = httpx.post(web_server.url + "/api/generate", files={"annat": ("a.txt", b"x")})
    assert answer.status_code == 400
    assert answer.json()["findings"][0]["place"] == "arbetsbok"
    answer = httpx.post(web_server.url + "/api/generate", content=b"x", headers={"content-type": "text/plain"})
    assert answer.status_code == 400


def test_too_large_workbook_is_413_while_streaming(web_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.workbook.safety import MAX_FILE_BYTES

    def body() -> Any:
        yield b"--grans\r\nContent-Disposition: form-data; name=\"arbetsbok\"; filename=\"stor.xlsx\"\r\n\r\nPK"
        chunk = b"\0" * (1024 * 1024)
        for _ in range(MAX_FILE_BYTES // len(chunk) + 2):
            yield chunk
        yield b"\r\n--grans--\r\n"

    answer = httpx.post(web_server.url + "/api/generate", content=body(), timeout=120,
                        headers={"content-type": "multipart/form-data; boundary=grans"})
    assert answer.status_code == 413
    finding = answer.json()["findings"][0]
    assert finding["place"] == "stor.xlsx"
    assert finding["message"] == "filen är större än 50 MB; högst 50 MB läses"
    assert list(web_server.root.iterdir()) == []  # nothing of it kept


@pytest.mark.parametrize("path", ["/api/generate", "/api/check", "/api/import"])
def test_get_is_not_allowed_on_the_api_and_says_so_in_swedish(web_server: Any, path: str) -> None:
    answer = httpx.get(web_server.url + path)
    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {"meddelande": "GET går inte här; använd POST."}


def test_unknown_format_is_400_not_a_word_file(web_server: Any) -> None:
    answer = httpx.post(web_server.url + "/api/generate?format=odt",
                        files={"arbetsbok": ("plan.xlsx", EXAMPLE.read_bytes())})
    assert answer.status_code == 400
    assert answer.json()["findings"] == [{"place": "format=odt", "severity": "fel", "message":
                                          "okänt format; välj format=docx (Word, som utan format) eller format=pdf"}]
    word = httpx.post(web_server.url + "/api/generate?format=DOCX", files={"arbetsbok": ("plan.xlsx",
                                                                                         EXAMPLE.read_bytes())})
    assert word.status_code == 200 and word.headers["content-type"] == DOCX


def test_api_names_keep_the_en_dash_with_an_ascii_fallback(web_server: Any) -> None:
    answer = post(web_server, "/api/generate", EXAMPLE, name="Åre kommun – plan.xlsx")
    disposition = answer.headers["content-disposition"]
    assert 'filename="Are kommun - plan.docx"' in disposition
    assert "filename*=utf-8''%C3%85re%20kommun%20%E2%80%93%20plan.docx" in disposition


@needs_libreoffice
def test_generate_pdf_and_two_at_once(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    server, stop = start_web_server(tmp_path, pdf_workers=2)
    try:
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda _: httpx.post(
                server.url + "/api/generate?format=pdf", timeout=300,
                files={"arbetsbok": ("aktivitetsplan.xlsx", EXAMPLE.read_bytes())}), range(2)))
        for index, answer in enumerate(answers):
            assert answer.status_code == 200, answer.text
            assert answer.headers["content-type"] == "application/pdf"
            assert 'filename="aktivitetsplan.pdf"' in answer.headers["content-disposition"]
            target = tmp_path / f"plan-{index}.pdf"
            target.write_bytes(answer.content)
            assert "Mittköping" in pdf_pages(target)[0]
    finally:
        stop()


def test_a_worker_that_dies_is_replaced(tmp_path: Path) -> None:
    import os
    import signal

    server, stop = start_web_server(tmp_path, use_libreoffice=False, workers=1)
    try:
        assert post(server, "/api/check", EXAMPLE).status_code == 200
        for pid in list(server.web.executor._processes):  # the worker processes, to kill one
            os.kill(pid, signal.SIGKILL)
        answer = post(server, "/api/generate", EXAMPLE)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == DOCX
    finally:
        stop()


def big_body(field: str, name: str, size: int, before: bytes = b"") -> Any:
    """A multipart body streamed in pieces: the file field is size bytes of zeros."""
    yield before
    yield (f'--grans\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n\r\n').encode()
    chunk = b"\0" * (1024 * 1024)
    for _ in range(size // len(chunk) + 1):
        yield chunk
    yield b"\r\n--grans--\r\n"


def test_too_large_template_gives_the_cli_message(web_server: Any) -> None:
    from generator.document.render import MAX_TEMPLATE_BYTES

    workbook = (b'--grans\r\nContent-Disposition: form-data; name="arbetsbok"; filename="plan.xlsx"\r\n\r\n'
                + EXAMPLE.read_bytes() + b"\r\n")
    answer = httpx.post(web_server.url + "/api/generate", timeout=120,
                        content=big_body("mall", "stor mall.docx", MAX_TEMPLATE_BYTES + 1, workbook),
                        headers={"content-type": "multipart/form-data; boundary=grans"})
    assert answer.status_code == 413
    assert answer.json()["findings"] == [{"place": "stor mall.docx", "message": "mallen är större än 20 MB",
                                          "severity": "fel"}]


def test_too_large_workbook_on_the_page_is_shown_as_a_finding(web_server: Any) -> None:
    from generator.workbook.safety import MAX_FILE_BYTES

    with httpx.Client(timeout=120) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get(web_server.url + "/").text)
        assert token is not None
        field = (f'--grans\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token.group(1)}\r\n').encode()
        answer = client.post(web_server.url + "/kontrollera", follow_redirects=True,
                             content=big_body("arbetsbok", "stor.xlsx", MAX_FILE_BYTES + 1, field),
                             headers={"content-type": "multipart/form-data; boundary=grans"})
    assert answer.status_code == 200
    assert '<span class="plats">stor.xlsx:</span> Filen är större än 50 MB; högst 50 MB läses' in answer.text


def test_pdf_without_libreoffice_is_503_with_a_message(web_server: Any) -> None:
    answer = httpx.post(web_server.url + "/api/generate?format=pdf",
                        files={"arbetsbok": ("plan.xlsx", EXAMPLE.read_bytes())})
    assert answer.status_code == 503
    assert "LibreOffice" in answer.json()["findings"][0]["message"]


def test_advice_to_run_a_command_is_the_command_in_the_api_and_a_link_on_the_page(web_server: Any,
                                                                                   tmp_path: Path) -> None:
    text = tmp_path / "plan.xlsx"  # a CSV file renamed, as people do
    text.write_text("Aktivitet;Tid\nMöte;mars 2019\n", encoding="utf-8")
    messages = [f["message"] for f in post(web_server, "/api/check", text).json()["findings"]]
    assert any("aktivitetsplan init gör en arbetsbok med dem" in m for m in messages), messages
    with httpx.Client(base_url=web_server.url, timeout=120) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
        assert token is not None
        page = client.post("/kontrollera", data={"csrf": token.group(1)},
                           files={"arbetsbok": (text.name, text.read_bytes())}, follow_redirects=True).text
    assert "länken Ny arbetsbok längre ned på sidan ger en arbetsbok med dem" in page
    assert "aktivitetsplan init" not in page


def test_an_uploaded_word_plan_beside_the_workbook_is_not_taken_for_the_document(web_server: Any,
                                                                                  tmp_path: Path) -> None:
    """The field plan (a Word plan to import) is stored as plan.docx: the document made is another file."""
    from generator.flows.generating import generate

    older = generate(EXAMPLE, tmp_path / "äldre.docx").output
    assert older is not None
    answer = post(web_server, "/api/generate", EXAMPLE, plan=older)
    assert answer.status_code == 200
    document = Document(io.BytesIO(answer.content))
    assert document.core_properties.revision == 1  # a first version, not one after the upload
