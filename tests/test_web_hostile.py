"""The hostile-file corpus through the API and the page: the CLI's Swedish messages, and the server goes on."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from test_bad_inputs import CASES

from conftest import EXAMPLE
from generator.web.wording import COMMANDS_ON_THE_PAGE

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
BIG = {"million-formatted-rows.xlsx", "template-nested-loops-output.docx"}  # seconds each: the slow tier


def corpus(paths: list[Path]) -> list[Any]:
    return [pytest.param(p, marks=pytest.mark.slow) if p.name in BIG else p for p in paths]


WORKBOOKS = corpus(sorted(p for p in BAD.iterdir() if not p.name.startswith("template-") and p.suffix != ".png"))
# The corpus's templates that are refused (test_bad_inputs.CASES); the others are edited but usable.
TEMPLATES = corpus(sorted(p for p in BAD.glob("template-*.docx") if CASES[p.name][0] != 0))
USABLE_TEMPLATES = corpus(sorted(p for p in BAD.glob("template-*.docx") if CASES[p.name][0] == 0))


def cli_output(*args: str) -> str:
    """The CLI's output in this process (CliRunner); the corpus through the installed CLI is test_bad_inputs."""
    import gc
    import warnings

    from generator.cli import main

    with warnings.catch_warnings():
        # openpyxl leaves a damaged package's file to the garbage collector; not what this test is about
        warnings.simplefilter("ignore", ResourceWarning)
        result = CliRunner().invoke(main, list(args))
        gc.collect()
    return result.output + (result.stderr if result.stderr_bytes is not None else "")


def on_the_page(message: str) -> str:
    """A message as the page shows it: with a capital, and advice to run a command said as the page's links."""
    for command, link in COMMANDS_ON_THE_PAGE.items():
        message = message.replace(command, link)
    return message[:1].upper() + message[1:]


@pytest.fixture(scope="module")
def http(web_server: Any) -> Any:
    """One client for the API calls: each new httpx client loads the CA bundle again (50 ms), unused on http://."""
    with httpx.Client(base_url=web_server.url, timeout=120) as client:
        yield client


def sent_files(workbook: Path) -> dict[str, tuple[str, bytes]]:
    files = {"arbetsbok": (workbook.name, workbook.read_bytes())}
    logo = workbook.with_suffix(".png")
    if logo.exists():  # a workbook naming a logo beside it: the logo goes along, as on disk
        files["logotyp"] = (logo.name, logo.read_bytes())
    return files


def page_findings(server: Any, files: dict[str, tuple[str, bytes]]) -> list[str]:
    with httpx.Client(timeout=120) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get(server.url + "/").text)
        assert token is not None
        answer = client.post(server.url + "/kontrollera", data={"csrf": token.group(1)}, files=files,
                             follow_redirects=True)
        assert answer.status_code == 200
        items = re.findall(r'<li><span class="plats">(.*?):</span> (.*?)(?:\s*<span class="kortform"[^>]*>.*?</span>)?'
                           r'</li>', answer.text, re.S)
    import html

    return [html.unescape(message) for _, message in items]


@pytest.mark.parametrize("workbook", WORKBOOKS, ids=lambda p: p.name)
def test_bad_workbook_gives_the_cli_messages(web_server: Any, http: Any, workbook: Path) -> None:
    answer = http.post("/api/check", files=sent_files(workbook))
    assert answer.status_code == 200
    body = answer.json()
    cli = cli_output("check", str(workbook))
    errors = [f for f in body["findings"] if f["severity"] == "fel"]
    for finding in body["findings"]:
        assert finding["message"] in cli, finding
        assert str(BAD) not in finding["place"] + finding["message"]  # no server path shown
    verdict = re.search(r": (inga|\d+) fel, (\d+) varning(?:ar)?\.", cli)
    if verdict is None:  # the file could not be read at all: one message
        assert len(errors) == 1
    else:
        assert len(errors) == (0 if verdict[1] == "inga" else int(verdict[1]))
        assert body["varningar"] == int(verdict[2])
    on_page = page_findings(web_server, sent_files(workbook))
    assert sorted(on_page) == sorted(on_the_page(f["message"]) for f in body["findings"])
    generated = http.post("/api/generate", files=sent_files(workbook))
    if errors:
        assert generated.status_code == 422
        assert generated.json()["findings"] == body["findings"]
    else:
        assert generated.status_code == 200
    assert http.get("/").status_code == 200  # still serving


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_bad_template_gives_the_cli_messages(http: Any, template: Path, tmp_path: Path) -> None:
    files = {"arbetsbok": (EXAMPLE.name, EXAMPLE.read_bytes()), "mall": (template.name, template.read_bytes()),
             "logotyp": ("logotyp.png", (EXAMPLE.parent / "logotyp.png").read_bytes())}
    answer = http.post("/api/generate", files=files)
    assert answer.status_code == 422
    # The example's one warning (a Tid without a year) is the workbook's; every error is the template's.
    findings = [f for f in answer.json()["findings"] if f["severity"] == "fel"]
    assert findings and all(f["place"].startswith(template.name) for f in findings)
    # generate, not check --template: some templates only fail when they are filled in (sandbox budgets)
    cli = cli_output("generate", str(EXAMPLE), "--template", str(template), "-o", str(tmp_path / "plan.docx"))
    for finding in findings:
        assert finding["message"] in cli, finding
    assert http.get("/").status_code == 200


@pytest.mark.parametrize("template", USABLE_TEMPLATES, ids=lambda p: p.name)
def test_an_edited_but_usable_template_makes_the_plan_with_the_cli_warnings(http: Any, template: Path,
                                                                          tmp_path: Path) -> None:
    files = {"arbetsbok": (EXAMPLE.name, EXAMPLE.read_bytes()), "mall": (template.name, template.read_bytes()),
             "logotyp": ("logotyp.png", (EXAMPLE.parent / "logotyp.png").read_bytes())}
    checked = http.post("/api/check", files=files)
    assert checked.status_code == 200, checked.text
    cli = cli_output("generate", str(EXAMPLE), "--template", str(template), "-o", str(tmp_path / "plan.docx"))
    for finding in checked.json()["findings"]:
        assert finding["severity"] == "varning" and finding["message"] in cli, finding
    answer = http.post("/api/generate", files=files)
    assert answer.status_code == 200
