"""Fonts in the PDF: the template's fonts found with fontconfig, a warning when missing, words kept whole."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from conftest import default_sheets, needs_libreoffice, write_workbook
from generator.document import fontconfig, fonts, measures
from generator.document.layout import CELL_PADDING, MIN_COLUMN, WORD_CHAR_TWIPS, fit_columns
from generator.files import cache
from generator.files.resources import default_template

needs_fontconfig = pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig (fc-match) finns inte")
WITHOUT_CARLITO = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont>
    <pattern><patelt name="family"><string>Carlito</string></patelt></pattern>
    <pattern><patelt name="family"><string>Calibri</string></patelt></pattern>
  </rejectfont></selectfont>
</fontconfig>
"""
# Words that broke in the middle ("Septemb|er", "pågåend|e") when LibreOffice set the table in a wider font.
HARD_ROWS = [
    ["Informationspunkt på ledningsgruppsmöte", "Alla chefer får grundläggande information",
     "September 2018 – pågående", "Möte", "Pilotkommuns-representant", "Ja"],
    ["Nyhet på intranätet", "Medarbetarna", "Höst 2018 – pågående", "Intranät/Nyhetsbrev", "Kommunikatören", ""],
    ["Kontakta leverantörerna", "Integration med passagesystemet", "Januari 2019", "E-post/telefon",
     "Projektledaren", ""],
    ["Workshop med verksamheten", "Förbereda mottagandet", "Prel. Mars 2019", "Möte/workshops",
     "Verksamhetschefen", ""],
]


@pytest.fixture
def without_carlito(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A fontconfig that knows neither Calibri nor Carlito, for this process and the programs it starts."""
    config = tmp_path / "fonts.conf"
    config.write_text(WITHOUT_CARLITO, encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


def test_default_template_uses_calibri_only():
    assert fonts.document_fonts(default_template()) == ["Calibri"]


def test_theme_fonts_and_direct_fonts_are_found(tmp_path):
    doc = Document()  # python-docx's own template: text in the theme's minor font
    theme = fonts._theme_fonts(doc)
    doc.add_paragraph("Brödtext")
    doc.add_paragraph().add_run("Kod").font.name = "Courier New"
    doc.save(str(tmp_path / "mall.docx"))
    assert fonts.document_fonts(tmp_path / "mall.docx") == [theme["minor"], "Courier New"]


@needs_fontconfig
def test_calibri_counts_as_present_with_carlito():
    if fontconfig.fc_match("Carlito") is None or fontconfig.fc_match("Carlito")[0] != "Carlito":
        pytest.skip("Carlito (fonts-crosextra-carlito) finns inte")
    assert fonts.font_available("Calibri") is True
    assert fonts.pdf_font_findings(default_template()) == []


@needs_fontconfig
def test_missing_calibri_warns_with_the_package_to_install(without_carlito):
    assert fonts.font_available("Calibri") is False
    [finding] = fonts.pdf_font_findings(default_template())
    assert not finding.is_error
    assert finding.place == "PDF"
    assert "Typsnittet Calibri finns inte" in finding.message
    assert '"apt-get install fonts-crosextra-carlito"' in finding.message
    assert '"dnf install google-carlito-fonts"' in finding.message


def test_no_warning_when_fontconfig_cannot_tell(monkeypatch):
    monkeypatch.setattr(fontconfig.shutil, "which", lambda name: None)
    fontconfig.forget_fontconfig_answers()
    try:
        assert fonts.font_available("Calibri") is None
        assert fonts.pdf_font_findings(default_template()) == []
    finally:
        fontconfig.forget_fontconfig_answers()


def one_table(words: list[str], width_mm: int = 100) -> tuple[object, object]:
    """A document with a fixed-layout table: a header row and one row holding words, one per column."""
    doc = Document()
    table = doc.add_table(rows=2, cols=len(words))
    table.autofit = False
    for column, word in enumerate(words):
        table.rows[0].cells[column].text = f"K{column}"
        table.rows[1].cells[column].text = word
        table.columns[column].width = Mm(width_mm // len(words))
    return doc, table._tbl


@needs_fontconfig
def test_columns_get_room_for_their_widest_word_in_real_metrics():
    measure = measures.word_measure("Carlito", 9.5)
    if measure is None:
        pytest.skip("Carlito kan inte mätas")
    _, table = one_table(["Pilotkommunsrepresentant", "a", "b", "September"])
    widths = fit_columns(table, measure, measure)
    assert widths is not None and sum(widths) == sum(int(g.get(qn("w:w"))) for g in table.iter(qn("w:gridCol")))
    assert widths[0] >= measure("Pilotkommunsrepresentant") + CELL_PADDING
    assert widths[3] >= measure("September") + CELL_PADDING
    assert min(widths) >= MIN_COLUMN


def test_columns_without_metrics_use_the_estimate():
    _, table = one_table(["Pilotkommunsrepresentant", "a", "b"], width_mm=150)
    widths = fit_columns(table)
    assert widths is not None and widths[0] >= len("Pilotkommunsrepresentant") * WORD_CHAR_TWIPS + CELL_PADDING


def test_when_the_words_cannot_fit_the_widest_give_way_and_short_ones_stay_whole():
    long = "Kommunikationsansvarigsamordnare"
    _, table = one_table([long, long, "Möte", "Ja"], width_mm=60)
    total = sum(int(g.get(qn("w:w"))) for g in table.iter(qn("w:gridCol")))
    widths = fit_columns(table)
    assert widths is not None and sum(widths) == total
    assert widths[0] == widths[1] < len(long) * WORD_CHAR_TWIPS + CELL_PADDING
    for column, word in ((2, "Möte"), (3, "Ja")):
        assert widths[column] >= max(MIN_COLUMN, len(word) * WORD_CHAR_TWIPS + CELL_PADDING)


def pdf_words(pdf: Path) -> set[str]:
    """Every word pdftotext finds in the PDF, as positioned boxes (-bbox), cut after - and / like the source."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    import html as html_module

    words = [html_module.unescape(w) for w in re.findall(r"<word [^>]*>([^<]*)</word>", html)]
    return set(pieces(" ".join(words)))


def pieces(text: str) -> list[str]:
    return text.replace("-", "- ").replace("/", "/ ").split()


@needs_libreoffice
@needs_fontconfig
def test_no_word_of_the_activity_table_breaks_in_the_pdf_without_calibri(tmp_path, without_carlito):
    sheets = default_sheets()
    sheets["Aktiviteter"] = sheets["Aktiviteter"][:1] + HARD_ROWS
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets)
    done = subprocess.run([str(Path(sys.executable).parent / "aktivitetsplan"), "generate", str(workbook), "-o",
                           str(tmp_path / "plan.pdf")], capture_output=True, text=True, env=without_carlito,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "PDF: Typsnittet Calibri finns inte" in done.stderr
    assert "fonts-crosextra-carlito" in done.stderr
    found = pdf_words(tmp_path / "plan.pdf")
    wanted = {piece for row in HARD_ROWS for cell in row[:5] for piece in pieces(cell)}
    assert wanted - found == set()
    assert {"September", "pågående", "Pilotkommuns-", "representant"} <= found


@needs_libreoffice
@needs_fontconfig
def test_web_page_warns_about_the_pdfs_fonts(tmp_path, without_carlito):
    import httpx
    from test_web_pdf import post_page

    from conftest import start_web_server

    server, stop = start_web_server(tmp_path, pdf_workers=1)
    try:
        with httpx.Client(timeout=120) as client:
            result = client.get(server.url + post_page(client, server.url)).text
    finally:
        stop()
    assert "Typsnittet Calibri finns inte" in result
    assert "fonts-crosextra-carlito" in result


@needs_fontconfig
def test_remembered_word_widths_belong_to_their_font_size_and_weight():
    regular, bold, larger = (measures.word_measure("Carlito", 9.5), measures.word_measure("Carlito", 9.5, bold=True),
                             measures.word_measure("Carlito", 14))
    if regular is None or bold is None or larger is None:
        pytest.skip("Carlito kan inte mätas")
    word = "Kommunikationsplan"
    widths = [measure(word) for measure in (regular, bold, larger)]
    assert [measure(word) for measure in (regular, bold, larger)] == widths  # asked again: remembered
    assert len(set(widths)) == 3
    from PIL import ImageFont

    found = fontconfig.fc_match("Carlito:bold")
    assert found is not None
    assert widths[1] == ImageFont.truetype(found[1], 190).getlength(word)


def carlito_copy(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of Carlito's file in folder, with a cache folder of its own and no widths yet in this process."""
    from generator.files import cache

    found = fontconfig.fc_match("Carlito")
    if found is None or not found[1].endswith(".ttf"):
        pytest.skip("Carlito kan inte mätas")
    font = folder / "Carlito.ttf"
    shutil.copy(found[1], font)
    monkeypatch.setenv(cache.CACHE_ENV, str(folder / "cache"))
    monkeypatch.setattr(measures, "_WIDTHS", {})
    return font


@needs_fontconfig
def test_word_widths_are_kept_for_the_next_process_while_the_font_file_is_the_same(tmp_path, monkeypatch):
    font = carlito_copy(tmp_path, monkeypatch)
    words = ["Bokning", "och", "bidrag", "Kommunikationsplan"]
    first = measures._widths(str(font), 190)
    assert first is not None
    widths = [first(word) for word in words]
    measures.keep_word_widths()

    monkeypatch.setattr(measures, "_WIDTHS", {})  # as a new process finds it
    truetype = measures._truetype
    monkeypatch.setattr(measures, "_truetype", lambda *args: pytest.fail("measured again"))
    again = measures._widths(str(font), 190)
    assert again is not None and [again(word) for word in words] == widths
    assert measures._widths(str(font), 190) is again

    os.utime(font, ns=(time.time_ns(), time.time_ns() + 10**9))  # the same name, another file
    monkeypatch.setattr(measures, "_WIDTHS", {})
    asked = []
    monkeypatch.setattr(measures, "_truetype", lambda *args: asked.append(args) or truetype(*args))
    changed = measures._widths(str(font), 190)
    assert changed is not None and changed("Bokning") == widths[0] and asked


def test_kept_word_widths_that_are_damaged_are_not_used(tmp_path, monkeypatch):
    from generator.files import cache

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    source = "/fonts/X.ttf\x001\x002\x00190"
    for payload in (b"[1, 2]", b'{"ord": "bred"}', b'{"ord": true}', b"{", b'{"ord": NaN}', b'{"ord": Infinity}',
                    b'{"ord": 1e400}', b'{"ord": -3.0}', b'{"ord": ' + b"9" * 400 + b"}", b"[" * 200_000,
                    b'{"ord": 12.5}'):
        cache.store(measures._widths_salt(), measures.WIDTHS_KIND, source, payload)
        kept = measures._kept_widths(source)
        assert kept == ({"ord": 12.5} if payload == b'{"ord": 12.5}' else None), payload[:40]


@needs_fontconfig
def test_a_font_that_went_bad_after_its_widths_were_kept_is_estimated(tmp_path, monkeypatch):
    font = carlito_copy(tmp_path, monkeypatch)
    measure = measures._widths(str(font), 190)
    assert measure is not None
    long_word = "https://www.mittkoping.se/" + "x" * 80
    known = measure("Bokning"), measure(long_word)
    measures.keep_word_widths()
    status = font.stat()
    font.write_bytes(b"\0" * status.st_size)  # the same size and time, but no font
    os.utime(font, ns=(status.st_atime_ns, status.st_mtime_ns))
    monkeypatch.setattr(measures, "_WIDTHS", {})
    measures._truetype.cache_clear()
    again = measures._widths(str(font), 190)
    assert again is not None and again("Bokning") == known[0]
    assert again("Aktivitet") == len("Aktivitet") * 95  # half an em a letter
    assert long_word not in again.known  # measured, not kept


def test_theme_fonts_follow_the_theme_of_each_document(tmp_path):
    first = Document()
    theme = next(rel.target_part for rel in first.part.rels.values() if rel.reltype.endswith("/theme"))
    assert fonts._theme_fonts(first)["minor"] != "Verdana"
    theme._blob = re.sub(rb'(<a:minorFont>\s*<a:latin typeface=")[^"]*', rb"\1Verdana", theme.blob)
    assert fonts._theme_fonts(first)["minor"] == "Verdana"
    assert fonts._theme_fonts(Document())["minor"] != "Verdana"


def test_fonts_are_asked_about_side_by_side(tmp_path, monkeypatch):
    """Each fc-match of a document's fonts waits for the other to start: only asked side by side do both answer."""
    program = tmp_path / "fc-match"
    program.write_text(f"""#!/bin/sh
pattern="$4"
echo "$pattern" >> {tmp_path}/started
for _ in $(seq 100); do
  [ "$(wc -l < {tmp_path}/started)" -ge 2 ] && {{ printf '%s\\n/fonts/%s.ttf' "$pattern" "$pattern"; exit 0; }}
  sleep 0.1
done
exit 1
""", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(fontconfig.shutil, "which", lambda name: str(program) if name == "fc-match" else None)
    fontconfig.forget_fontconfig_answers()
    try:
        assert fontconfig.fc_matches(["Carlito", "Carlito:bold", "Carlito"]) == [
            ("Carlito", "/fonts/Carlito.ttf"), ("Carlito:bold", "/fonts/Carlito:bold.ttf"),
            ("Carlito", "/fonts/Carlito.ttf")]
        assert (tmp_path / "started").read_text(encoding="utf-8").split() in (
            ["Carlito", "Carlito:bold"], ["Carlito:bold", "Carlito"])  # each asked once
        assert fontconfig.fc_match("Carlito:bold") == ("Carlito:bold", "/fonts/Carlito:bold.ttf")  # remembered
        assert len((tmp_path / "started").read_text(encoding="utf-8").split()) == 2
    finally:
        fontconfig.forget_fontconfig_answers()


def test_a_failing_fc_match_is_no_answer(tmp_path, monkeypatch):
    program = tmp_path / "fc-match"
    program.write_text("#!/bin/sh\necho 'trasig' >&2\nexit 1\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(fontconfig.shutil, "which", lambda name: str(program) if name == "fc-match" else None)
    fontconfig.forget_fontconfig_answers()
    try:
        assert fontconfig.fc_matches(["Carlito", "Calibri"]) == [None, None]
        assert fonts.font_available("Calibri") is None
    finally:
        fontconfig.forget_fontconfig_answers()


@needs_fontconfig
def test_the_tables_fonts_are_asked_about_while_the_document_is_rendered(example_copy, tmp_path, monkeypatch):
    """Rendering starts fontconfig on the activity table's fonts; fitting its columns takes fontconfig's answers."""
    import generator.document.render as render
    from generator.flows.generating import generate

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))  # no answers kept by an earlier test
    started = []
    start = fontconfig._start_fc_match
    monkeypatch.setattr(fontconfig, "_start_fc_match", lambda program, pattern: started.append(pattern) or start(
        program, pattern))
    monkeypatch.setattr(render, "_PARSED", type(render._PARSED)())  # the template not yet opened in this process
    seen = []
    finish = render.finish_document
    monkeypatch.setattr(render, "finish_document", lambda *args: seen.append(list(started)) or finish(*args))
    fontconfig.forget_fontconfig_answers()
    try:
        render.open_template(default_template())
        assert started == []  # opening alone asks nothing (check opens templates it never renders)
        generate(example_copy, example_copy.with_suffix(".docx"))
        assert seen == [["Calibri", "Calibri:bold"]]  # asked before the document was finished, and once
        assert started == ["Calibri", "Calibri:bold"]
        assert fontconfig._FC_RUNNING == {}
        for pattern in started:
            done = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", pattern], capture_output=True, text=True,
                                  check=True)
            family, file = done.stdout.splitlines()
            answer = (family.split(",")[0].strip(), file)
            assert fontconfig._FC_ANSWERS[(pattern, fontconfig._fontconfig_key())] == answer
    finally:
        fontconfig.forget_fontconfig_answers()


def fake_fc_match(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An fc-match that answers every pattern with itself and /fonts/<pattern>.ttf, found in place of the real one."""
    program = folder / "fc-match"
    program.write_text('#!/bin/sh\nprintf \'%s\\n/fonts/%s.ttf\' "$4" "$4"\n', encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(fontconfig.shutil, "which", lambda name: str(program) if name == "fc-match" else None)
    fontconfig.forget_fontconfig_answers()
    return program


def _exited(pid: int) -> bool:
    """Whether a child has ended and waits to be collected (a zombie)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"


def test_an_answer_collected_after_its_time_is_still_the_answer(tmp_path, monkeypatch):
    """fc-match answered in time; the run only came for it later (a template opened long before it rendered)."""
    fake_fc_match(tmp_path, monkeypatch)
    monkeypatch.setattr(fontconfig, "FC_TIMEOUT", 0)
    try:
        fontconfig.start_fc_matches(["Carlito"])
        [asked] = fontconfig._FC_RUNNING.values()
        while not _exited(asked.process.pid):
            time.sleep(0.01)
        assert fontconfig.fc_matches(["Carlito"]) == [("Carlito", "/fonts/Carlito.ttf")]
    finally:
        fontconfig.forget_fontconfig_answers()


def test_a_forked_process_asks_for_itself(tmp_path, monkeypatch):
    """A question the parent started is the parent's to collect: a forked child (a batch's worker) asks anew."""
    import multiprocessing

    fake_fc_match(tmp_path, monkeypatch)
    try:
        fontconfig.start_fc_matches(["Carlito", "Carlito:bold"])
        with multiprocessing.get_context("fork").Pool(2) as pool:
            answers = pool.map(fontconfig.fc_matches, [["Carlito", "Carlito:bold"]] * 4)
        expected = [("Carlito", "/fonts/Carlito.ttf"), ("Carlito:bold", "/fonts/Carlito:bold.ttf")]
        assert answers == [expected] * 4
        assert fontconfig.fc_matches(["Carlito", "Carlito:bold"]) == expected  # and the parent collects its own
        assert fontconfig._FC_RUNNING == {}
    finally:
        fontconfig.forget_fontconfig_answers()


def test_a_full_store_of_answers_still_answers(tmp_path, monkeypatch):
    fake_fc_match(tmp_path, monkeypatch)
    key = fontconfig._fontconfig_key()
    try:
        fontconfig._FC_ANSWERS.update(((f"F{n}", key), (f"F{n}", f"/f{n}.ttf"))
                                      for n in range(fontconfig._MAX_FC_ANSWERS))
        assert fontconfig.fc_matches(["F0", "Carlito"]) == [("F0", "/f0.ttf"), ("Carlito", "/fonts/Carlito.ttf")]
    finally:
        fontconfig.forget_fontconfig_answers()


def test_many_fonts_are_asked_a_few_at_a_time(tmp_path, monkeypatch):
    fake_fc_match(tmp_path, monkeypatch)
    running = []
    start = fontconfig._start
    monkeypatch.setattr(fontconfig, "_start",
                        lambda patterns, key, state: running.append(len(patterns)) or start(patterns, key, state))
    try:
        patterns = [f"Typsnitt {n}" for n in range(20)]
        assert fontconfig.fc_matches(patterns) == [(p, f"/fonts/{p}.ttf") for p in patterns]
        assert running == [8, 8, 4]
    finally:
        fontconfig.forget_fontconfig_answers()


@pytest.fixture
def asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A system fc-match that notes each pattern it is asked about (in the file given) and answers with a font
    file it makes in tmp_path; its answers are kept in a cache folder of the test's own."""
    folder = tmp_path
    program = folder / "fc-match"
    program.write_text(f'#!/bin/sh\necho "$4" >> {folder}/asked\ntouch "{folder}/$4.ttf"\n'
                       f'printf \'%s\\n{folder}/%s.ttf\' "$4" "$4"\n', encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(fontconfig.shutil, "which", lambda name: str(program) if name == "fc-match" else None)
    monkeypatch.setattr(fontconfig, "_SYSTEM_PROGRAMS", (f"{os.path.realpath(folder)}/",))  # as if the system's
    monkeypatch.setenv(cache.CACHE_ENV, str(folder / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(folder / "data"))  # where this user installs fonts
    fontconfig.forget_fontconfig_answers()
    yield folder / "asked"
    fontconfig.forget_fontconfig_answers()


def test_fontconfigs_answers_are_kept_for_the_next_process_until_a_font_is_installed(tmp_path, asked):
    answer = [("Carlito", f"{tmp_path}/Carlito.ttf")]
    assert fontconfig.fc_matches(["Carlito"], kept=True) == answer
    fontconfig.forget_fontconfig_answers()  # as a new process: nothing remembered in memory
    fontconfig.start_fc_matches(["Carlito"], kept=True)
    assert fontconfig._FC_RUNNING == {}  # known from disk: no fc-match started
    assert fontconfig.fc_matches(["Carlito"], kept=True) == answer
    assert asked.read_text(encoding="utf-8").split() == ["Carlito"]

    (tmp_path / "data" / "fonts").mkdir(parents=True)
    (tmp_path / "data" / "fonts" / "Nytt.ttf").write_bytes(b"")  # a font installed: fontconfig may pick it
    fontconfig.forget_fontconfig_answers()
    assert fontconfig.fc_matches(["Carlito"], kept=True) == answer
    assert asked.read_text(encoding="utf-8").split() == ["Carlito", "Carlito"]

    (tmp_path / "Carlito.ttf").unlink()  # the font file it named is gone
    fontconfig.forget_fontconfig_answers()
    assert fontconfig.fc_matches(["Carlito"], kept=True) == answer
    assert asked.read_text(encoding="utf-8").split() == ["Carlito"] * 3


def test_whether_a_font_is_installed_is_always_asked_in_the_process(tmp_path, asked):
    """The PDF's font warnings never take an answer an earlier process kept; measuring does."""
    fontconfig.fc_matches(["Calibri"], kept=True)
    fontconfig.forget_fontconfig_answers()
    assert fonts.font_available("Calibri") is True
    assert asked.read_text(encoding="utf-8").split() == ["Calibri", "Calibri"]  # asked again, not taken from disk
    assert fontconfig.fc_match("Calibri", kept=True) == ("Calibri", f"{tmp_path}/Calibri.ttf")
    assert len(asked.read_text(encoding="utf-8").split()) == 2


def test_an_answer_is_kept_under_the_state_fontconfig_was_in_when_asked(tmp_path, asked):
    """A font installed while fc-match ran: the answer is kept for the folders as they were, so the next process
    asks again."""
    fontconfig.start_fc_matches(["Carlito"], kept=True)
    (tmp_path / "data" / "fonts").mkdir(parents=True)
    (tmp_path / "data" / "fonts" / "Carlito.ttf").write_bytes(b"")
    fontconfig.fc_matches(["Carlito"], kept=True)
    fontconfig.forget_fontconfig_answers()
    fontconfig.fc_matches(["Carlito"], kept=True)
    assert asked.read_text(encoding="utf-8").split() == ["Carlito", "Carlito"]


def test_fontconfigs_state_sees_every_configuration_file_past_a_broken_link(tmp_path, monkeypatch, asked):
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    (config / "fontconfig" / "conf.d" / "under").mkdir(parents=True)
    (config / "fontconfig" / "conf.d" / "00-borta.conf").symlink_to(tmp_path / "finns-inte.conf")
    mine = config / "fontconfig" / "conf.d" / "99-min.conf"
    mine.write_text("<fontconfig/>", encoding="utf-8")
    key = fontconfig._fontconfig_key()
    before = fontconfig._fontconfig_state(key)
    os.utime(mine, ns=(0, 0))  # an edit, as its time shows it
    assert before is not None and fontconfig._fontconfig_state(key) not in (None, before)
    (config / "fontconfig" / "conf.d" / "under" / "ny.conf").write_text("<fontconfig/>", encoding="utf-8")
    assert fontconfig._fontconfig_state(key) not in (None, before)


def test_fontconfigs_answers_are_not_kept_when_the_environment_points_it_elsewhere(tmp_path, monkeypatch, asked):
    monkeypatch.setenv("FONTCONFIG_FILE", str(tmp_path / "fonts.conf"))
    for _ in range(2):
        fontconfig.forget_fontconfig_answers()
        assert fontconfig.fc_matches(["Carlito"], kept=True) == [("Carlito", f"{tmp_path}/Carlito.ttf")]
    assert asked.read_text(encoding="utf-8").split() == ["Carlito", "Carlito"]
    assert not (tmp_path / "cache").exists()


def test_answers_of_an_fc_match_outside_the_system_are_not_kept(tmp_path, monkeypatch, asked):
    monkeypatch.setattr(fontconfig, "_SYSTEM_PROGRAMS", ("/usr/bin/", "/bin/"))  # a Homebrew or conda one
    for _ in range(2):
        fontconfig.forget_fontconfig_answers()
        fontconfig.fc_matches(["Carlito"], kept=True)
    assert asked.read_text(encoding="utf-8").split() == ["Carlito", "Carlito"]


def test_damaged_kept_answers_are_asked_again(tmp_path, asked):
    fontconfig.fc_matches(["Carlito"], kept=True)
    kept = list((tmp_path / "cache").rglob("*.code"))
    assert kept
    for path in kept:
        path.write_bytes(path.read_bytes()[:-3])
    fontconfig.forget_fontconfig_answers()
    assert fontconfig.fc_matches(["Carlito"], kept=True) == [("Carlito", f"{tmp_path}/Carlito.ttf")]
    assert asked.read_text(encoding="utf-8").split() == ["Carlito", "Carlito"]


def test_a_running_question_is_collected_even_when_an_answer_is_on_disk(tmp_path, asked):
    fontconfig.fc_matches(["A"], kept=True)  # kept on disk
    fontconfig.forget_fontconfig_answers()
    fontconfig.start_fc_matches(["A"])  # asked in this process, not from disk
    assert fontconfig.fc_matches(["A", "B"], kept=True) == [("A", f"{tmp_path}/A.ttf"), ("B", f"{tmp_path}/B.ttf")]
    assert fontconfig._FC_RUNNING == {}


def test_a_question_started_for_the_pdf_is_collected_by_a_measure_that_knows_the_answer(tmp_path, asked):
    fontconfig.fc_matches(["A"], kept=True)
    fontconfig.forget_fontconfig_answers()
    fontconfig.fc_matches(["A"], kept=True)  # known from disk in this process now
    fontconfig.start_fc_matches(["A"])  # whether a font is installed: asked anew
    assert fontconfig.fc_matches(["A"], kept=True) == [("A", f"{tmp_path}/A.ttf")]
    assert fontconfig._FC_RUNNING == {}


def test_a_font_file_name_that_is_not_utf8_is_an_answer(tmp_path, monkeypatch):
    program = tmp_path / "fc-match"
    program.write_bytes(b"#!/bin/sh\nprintf 'Caf\\351\\n/fonts/Caf\\351.ttf'\n")
    program.chmod(0o755)
    monkeypatch.setattr(fontconfig.shutil, "which", lambda name: str(program) if name == "fc-match" else None)
    fontconfig.forget_fontconfig_answers()
    try:
        answers = fontconfig.fc_matches(["X1", "X2", "X3"])
        assert [os.fsencode(file) for _, file in answers] == [b"/fonts/Caf\xe9.ttf"] * 3
        assert fonts.font_available("Calibri") is False
        assert fontconfig._FC_RUNNING == {}
    finally:
        fontconfig.forget_fontconfig_answers()


def test_questions_nobody_comes_for_are_collected_before_more_are_asked(tmp_path, asked):
    """A template refused after its fonts were asked about, again and again, as a web worker sees it."""
    for round_ in range(6):
        fontconfig.start_fc_matches([f"Typsnitt {round_}-{n}" for n in range(8)], kept=True)
        assert len(fontconfig._FC_RUNNING) <= fontconfig._MAX_RUNNING
    assert fontconfig.fc_match("Typsnitt 0-0") == ("Typsnitt 0-0", f"{tmp_path}/Typsnitt 0-0.ttf")  # collected
    fontconfig.fc_matches([f"Typsnitt {round_}-{n}" for round_ in (4, 5) for n in range(8)], kept=True)  # the last
    assert fontconfig._FC_RUNNING == {}
    assert len(asked.read_text(encoding="utf-8").splitlines()) == 48  # each asked once


def test_a_new_fontconfig_program_changes_the_state(tmp_path, asked):
    key = fontconfig._fontconfig_key()
    before = fontconfig._fontconfig_state(key)
    os.utime(tmp_path / "fc-match", ns=(0, 0))  # fontconfig upgraded
    assert before is not None and fontconfig._fontconfig_state(key) not in (None, before)
