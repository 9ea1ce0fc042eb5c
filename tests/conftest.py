"""Shared fixtures: small workbooks built in tmp_path, and readers for generated documents."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from lxml import etree
from openpyxl import Workbook

from generator.workbook.starter import CORE_ACTIVITY_COLUMNS

# What runs keep between processes (generator/files/cache.py) goes to a folder of this session's own, not the
# developer's cache: a result an earlier run kept must not stand in for the work a test is about.
_CACHE = tempfile.mkdtemp(prefix="aktivitetsplan-testcache-")
os.environ["AKTIVITETSPLAN_CACHE"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "aktivitetsplan.xlsx"
ACTIVITY_HEADER = list(CORE_ACTIVITY_COLUMNS)  # Aktivitet, Syfte och målgrupp, Tid, Kanal, Ansvarig, Klar

Sheets = dict[str, list[list[Any]]]


def _has_libreoffice() -> bool:
    from generator.delivery.pdf import find_soffice

    return find_soffice() is not None and shutil.which("pdftotext") is not None


# CI sets AKTIVITETSPLAN_REQUIRE_LIBREOFFICE=1: there a missing LibreOffice fails instead of skipping.
needs_libreoffice = pytest.mark.skipif(
    not _has_libreoffice() and not os.environ.get("AKTIVITETSPLAN_REQUIRE_LIBREOFFICE"),
    reason="LibreOffice (soffice) eller pdftotext (poppler-utils) finns inte",
)


def _has_calc() -> bool:
    from generator.delivery.pdf import find_soffice

    soffice = find_soffice()
    return soffice is not None and (Path(soffice).resolve().parent / "libsclo.so").exists()


# Re-saving a workbook in LibreOffice needs its spreadsheet part (Debian: libreoffice-calc-nogui).
needs_calc = pytest.mark.skipif(
    not _has_calc() and not os.environ.get("AKTIVITETSPLAN_REQUIRE_LIBREOFFICE"),
    reason="LibreOffice Calc (libreoffice-calc) finns inte",
)


# -- the two tiers: `pytest -m "not slow"` is the quick loop, `pytest` runs everything ------------------------

LIBREOFFICE_SKIPS = (needs_libreoffice.mark, needs_calc.mark)
BROWSER_FIXTURES = {"chromium", "page"}  # Debian's Chromium through Playwright


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """-n auto: one worker more than cores, as many tests wait on LibreOffice or Chromium in their own processes.

    Measured on two cores: the whole suite in 297 s with three workers, 335 s with two, 306 s with four.
    """
    return (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1) + 1


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark slow every test that starts LibreOffice or Chromium, so no test file has to remember to.

    A test skipped without LibreOffice (needs_libreoffice, needs_calc) starts it, so it is marked
    libreoffice too. Other slow tests (big inputs, the installed command in a new process) are
    marked where they are defined.
    """
    for item in items:
        libreoffice = item.get_closest_marker("libreoffice") is not None or any(
            mark in LIBREOFFICE_SKIPS for mark in item.iter_markers("skipif"))
        if libreoffice and item.get_closest_marker("libreoffice") is None:
            item.add_marker(pytest.mark.libreoffice)
        if libreoffice or BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def resave_with_libreoffice(source: Path, folder: Path) -> Path:
    """Open and save a workbook in LibreOffice Calc, as a Calc user would (formulas get cached values)."""
    from generator.delivery.pdf import find_soffice

    out = folder / "libreoffice"
    subprocess.run([str(find_soffice()), f"-env:UserInstallation={(folder / 'lo-profil').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "xlsx:Calc Office Open XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    return out / source.name


def resave_document_with_libreoffice(source: Path, folder: Path) -> Path:
    """Open and save a Word file in LibreOffice Writer as Word 2007-365 (.docx), as a Writer user would."""
    from generator.delivery.pdf import find_soffice

    out = folder / "writer"
    subprocess.run([str(find_soffice()), f"-env:UserInstallation={(folder / 'lo-profil').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    return out / (source.stem + ".docx")


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, laid out as on the page (pdftotext -layout)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def default_sheets() -> Sheets:
    """A small valid plan: three sections, three activities, one of them done."""
    return {
        "Plan": [
            ["Fält", "Värde"],
            ["Kommun", "Testköping"],
            ["Datum", dt.date(2019, 3, 15)],
            ["Projekt", "Bokning och bidrag"],
            ["Slogan", "VI GÖR DET ENKLARE!"],
        ],
        "Avsnitt": [
            ["Rubrik", "Text"],
            ["Bakgrund", "Första stycket.\n\nAndra stycket\nmed radbrytning."],
            ["Målgrupper", "Inledning\n- Politiker\n- Föreningar"],
            ["Budskap", "• Enklare att boka\n* Enklare att söka bidrag"],
        ],
        "Aktiviteter": [
            ACTIVITY_HEADER,
            ["Presentation på nämndmöte", "Ge politiker information", "Våren 2019", "Möte", "Anna", "Ja"],
            ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "Bo", ""],
            ["Möte med föreningar", "Föreningar får veta", "Maj 2019", "Möte", "Cia", "nej"],
        ],
    }


def write_workbook(path: Path, sheets: Sheets, style: Callable[[Workbook], None] | None = None) -> Path:
    """Write sheets (name -> rows) as an .xlsx at path; style may format cells first."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if style is not None:
        style(workbook)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """Build a workbook in tmp_path: make_workbook(sheets=None, name=..., style=None, **sheet_overrides)."""

    def make(sheets: Sheets | None = None, name: str = "plan.xlsx",
             style: Callable[[Workbook], None] | None = None, **overrides: list[list[Any]]) -> Path:
        content = sheets if sheets is not None else default_sheets()
        content = {**content, **overrides}
        return write_workbook(tmp_path / name, content, style)

    return make


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """The example workbook and its logo, copied into tmp_path."""
    target = tmp_path / "aktivitetsplan.xlsx"
    shutil.copy(EXAMPLE, target)
    shutil.copy(EXAMPLE.parent / "logotyp.png", tmp_path / "logotyp.png")
    return target


def body_texts(path: Path) -> list[str]:
    """The texts of the document's top-level paragraphs, in order."""
    return [p.text for p in Document(str(path)).paragraphs]


def find_activity_table(document: Any) -> Any:
    """The document's activity table, found by its header (other tables may come before it)."""
    return next(t for t in document.tables
                if t.rows and [c.text for c in t.rows[0].cells[:2]] == ["Aktivitet", "Syfte och målgrupp"])


def table_rows(path: Path) -> list[list[str]]:
    """The activity table as lists of cell texts (header row first)."""
    document = Document(str(path))
    return [[cell.text for cell in row.cells] for row in find_activity_table(document).rows]


def to_shared_strings(source: Path, target: Path) -> Path:
    """Rewrite an openpyxl workbook (inline strings) the way Excel saves it: a shared string table."""
    import re
    import zipfile
    from xml.sax.saxutils import escape

    strings: list[str] = []
    index: dict[str, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        import html

        text = html.unescape(match.group(2).decode("utf-8"))
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return match.group(1) + b' t="s"><v>%d</v></c>' % index[text]

    inline = re.compile(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>', re.S)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = inline.sub(shared, data).replace(b' t="inlineStr"></c>', b"></c>")
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                                    b"</Types>")
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            new.writestr(item, data)
        table = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
        new.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                     f'openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
                     f'uniqueCount="{len(strings)}">{table}</sst>')
    return target


# -- the web page: a real uvicorn server on loopback, and Debian's Chromium through Playwright ------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class WebServer:
    """A running `serve` app: its address, its private folder, the app's state."""

    def __init__(self, url: str, app: Any) -> None:
        self.url = url
        self.app = app

    @property
    def web(self) -> Any:
        return self.app.state.web

    @property
    def root(self) -> Path:
        return Path(self.web.root)


def start_web_server(folder: Path, host: str = "127.0.0.1", **settings: Any) -> tuple[WebServer, Callable[[], None]]:
    """Start uvicorn with the serve app on a free port in a thread; returns the server and its stop."""
    import socket
    import threading
    import time

    import uvicorn

    from generator.web.app import create_app
    from generator.web.state import Settings

    with socket.socket() as sock:
        sock.bind((host, 0))
        port = sock.getsockname()[1]
    wrapped = create_app(Settings(temp_parent=folder, **settings))
    server = uvicorn.Server(uvicorn.Config(wrapped, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=60)

    return WebServer(f"http://{host}:{port}", wrapped.app), stop


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A server without LibreOffice (the HTML outline), shared by a test module."""
    server, stop = start_web_server(tmp_path_factory.mktemp("web"), use_libreoffice=False)
    yield server
    stop()


@pytest.fixture(scope="session")
def chromium() -> Any:
    """Debian's Chromium driven by Playwright (its own browser download cannot work here)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.skip("chromium finns inte (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Any:
    """A fresh browser page (own cookies) that accepts downloads."""
    context = chromium.new_context(accept_downloads=True, locale="sv-SE")
    tab = context.new_page()
    # A listener from the start turns Playwright's file chooser interception on before any key or
    # click: turned on only inside expect_file_chooser, it could come after a Space key's dialog.
    tab.on("filechooser", lambda chooser: None)
    yield tab
    context.close()


# A phone as Playwright's device descriptors have it (an iPhone 12/13/14 sized screen), touch and all.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(chromium: Any) -> Any:
    """A fresh browser page on a phone-sized screen (own cookies) that accepts downloads."""
    context = chromium.new_context(accept_downloads=True, locale="sv-SE", **PHONE)
    tab = context.new_page()
    tab.on("filechooser", lambda chooser: None)  # as page does
    yield tab
    context.close()


SHOTS = ROOT / "out" / "web-skarmbilder"


def shot(page: Any, name: str) -> None:
    """Keep a screenshot of the state for a person to look at (out/ is not committed)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def upload(page: Any, server: Any, workbook: Path, **extra: Path) -> None:
    """Choose the workbook (and optional files by field id) on the page and wait for the result."""
    page.goto(server.url + "/")
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Arbetsbok (.xlsx)").click()
    chooser.value.set_files(str(workbook))
    if extra:
        page.locator("summary").click()  # opens the optional fields
    for field_id, path in extra.items():
        page.locator(f"#{field_id}").set_input_files(str(path))
    page.get_by_role("button", name="Kontrollera och skapa planen").click()
    page.wait_for_selector("#resultat-rubrik")


def living_plan(activities: list[dict[str, Any]], groups: list[dict[str, Any]] | None = None, **fields: Any) -> Any:
    """A Plan built directly, without a workbook: activities and target groups as dicts of field -> text.

    A field may be given as text or as a Value; "date" and "follow_up_date" may be dt.date.
    """
    from generator.plan.model import Activity, Block, Plan, Section, TargetGroup, Value

    def value(item: Any) -> Value:
        if isinstance(item, Value):
            return item
        if isinstance(item, dt.date):
            return Value(item.isoformat(), date=item)
        return Value(str(item))

    built = tuple(Activity(row=i + 2, **{k: v if k == "marked_red" else value(v) for k, v in a.items()})
                  for i, a in enumerate(activities))
    target_groups = tuple(TargetGroup(row=i + 2, **{k: value(v) for k, v in g.items()})
                          for i, g in enumerate(groups or []))
    sections = tuple(Section(Value(heading), (Block(text),)) for heading, text in fields.pop("sections", ()))
    plain = {k: value(v) if k not in ("source",) else v for k, v in fields.items()}
    return Plan(source=plain.pop("source", "plan.xlsx"), activities=built, target_groups=target_groups,
                sections=sections, **plain)


SERIOUS = {"serious", "critical"}


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]
            if v["impact"] in SERIOUS]


# -- e-mail: a real SMTP server on loopback (aiosmtpd) -------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives and can refuse some recipients."""

    def __init__(self, refuse: Any = ()) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse = set(refuse)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mottagaren finns inte"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Mottaget"


@pytest.fixture
def smtp_server() -> Any:
    """start(inbox=None, **controller options) -> (controller, inbox): aiosmtpd servers stopped after the test."""
    from aiosmtpd.controller import Controller

    started = []

    def start(inbox: Inbox | None = None, **options: Any) -> tuple[Any, Inbox]:
        inbox = inbox or Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
        controller.start()
        started.append(controller)
        return controller, inbox

    yield start
    for controller in started:
        controller.stop()


# -- long plans: activities as people write them, documents compared part by part, loop sources ------------

def many_activities(count: int) -> list[list[Any]]:
    """Rows as people write them: line breaks, long words, signs that XML escapes, every third one done."""
    texts = ["Möte med föreningar", "Nyhet på intranätet & i nyhetsbrevet", "Utskick <till> skolor",
             "Presentation\npå nämndmöte", "Informationsbrevsutskicksplanering till alla bidragssökande"]
    return [[f"{texts[i % len(texts)]} {i + 1}", f"Syfte {i + 1}: alla \"målgrupper\" ska veta", f"Vecka {i % 52 + 1}",
             ["Möte", "Intranät", "Webb\nFacebook", "E-post"][i % 4], ["Anna", "Bo", "Cia"][i % 3],
             "Ja" if i % 3 == 0 else ""] for i in range(count)]


def canonical_document(path: Path) -> bytes:
    """word/document.xml canonicalized (C14N), with the bookmark and drawing ids as they are."""
    with zipfile.ZipFile(path) as package:
        return etree.tostring(etree.fromstring(package.read("word/document.xml")), method="c14n")


def default_body_source() -> str:
    """The default template's body as the engine hands it to Jinja, before the activity loop is marked."""
    from generator.document import engine
    from generator.document.render import DEFAULT_TEMPLATE, open_template

    template = open_template(DEFAULT_TEMPLATE)
    return engine._PARAGRAPH.sub(r"\n<w:p\1", engine._patched(template.get_xml()))


LOOP_ROW = '<w:tr><w:tc><w:p><w:r><w:t>{{ rad.aktivitet }}</w:t></w:r></w:p></w:tc>' \
      '<w:tc><w:p><w:r><w:t>{{ rad.ansvarig }}</w:t></w:r></w:p></w:tc></w:tr>'
LOOP_HEADER = '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Aktivitet</w:t></w:r></w:p></w:tc></w:tr>'
