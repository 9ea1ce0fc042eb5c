"""The corpus tests/fixtures/bad/: every broken or hostile file, through the installed CLI."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BAD = ROOT / "tests" / "fixtures" / "bad"
VALID = BAD / "valid-plan.xlsx"
PEAK_MEMORY_MB = 300

# file -> (exit status, a fragment of the message that says what and where)
CASES: dict[str, tuple[int, str]] = {
    "empty.xlsx": (1, "empty.xlsx: filen är tom"),
    "random-bytes.xlsx": (1, "random-bytes.xlsx: filen är ingen Excel-arbetsbok (.xlsx)"),
    "csv-renamed.xlsx": (1, "csv-renamed.xlsx: filen är ingen Excel-arbetsbok (.xlsx)"),
    "text-renamed.xlsx": (1, "text-renamed.xlsx: filen är ingen Excel-arbetsbok (.xlsx)"),
    "zip-not-workbook.xlsx": (1, "zip-not-workbook.xlsx: filen är en zip-fil"),
    "word-renamed.xlsx": (1, "word-renamed.xlsx: filen är ett Word-dokument"),
    "truncated.xlsx": (1, "truncated.xlsx: filen är skadad eller ofullständig"),
    "old-format.xls": (1, "old-format.xls: filen är i det gamla Excel-formatet (.xls)"),
    "encrypted.xlsx": (1, "encrypted.xlsx: arbetsboken är skyddad med lösenord"),
    "binary.xlsb": (1, "binary.xlsb: filen är en binär Excel-arbetsbok (.xlsb)"),
    "opendocument.ods": (1, "opendocument.ods: filen är ett OpenDocument-kalkylark (.ods)"),
    "macros.xlsm": (0, "2 aktiviteter, 1 klar"),
    "xxe-external-entity.xlsx": (1, "xxe-external-entity.xlsx: filen innehåller otillåten XML"),
    "billion-laughs.xlsx": (1, "billion-laughs.xlsx: filen innehåller otillåten XML"),
    "zip-bomb.xlsx": (1, "zip-bomb.xlsx: filen packas upp till mer än 200 MB"),
    "million-formatted-rows.xlsx": (0, "2 aktiviteter, 1 klar"),
    "huge-cells.xlsx": (0, "30 aktiviteter, 0 klara"),
    "special-characters.xlsx": (0, "6 aktiviteter, 0 klara"),
    "saved-by-libreoffice.xlsx": (0, "2 aktiviteter, 1 klar"),
    "valid-plan.xlsx": (0, "2 aktiviteter, 1 klar"),
    "missing-activity.xlsx": (1, "Aktiviteter!A3: Aktivitet saknas"),
    "formula-without-value.xlsx": (1, "Aktiviteter!A2: formeln har inget sparat värde"),
    "logo-not-image.xlsx": (1, "Plan!B4: logotypen är ingen PNG- eller JPEG-bild (logo-not-image.png)"),
    "logo-not-image.png": (1, "logo-not-image.png: filen är ingen Excel-arbetsbok (.xlsx)"),
    "template-unknown-variable.docx": (1, 'okänd variabel "budget_total" i taggen {{ budget_total }}'),
    "template-syntax-error.docx": (1, "syntaxfel i mallen"),
    "template-python-internals.docx": (1, 'inte är tillåtet ("__class__") i taggen {{ titel.__class__'),
    "template-reads-file.docx": (1, "mallen försöker läsa en annan fil (\"/etc/passwd\")"),
    "template-environment.docx": (1, "mallen försöker nå något som inte är tillåtet"),
    "template-not-docx.docx": (1, "template-not-docx.docx: mallen är inget Word-dokument (.docx)"),
    "template-huge-string.docx": (1, 'resultatet av * blir för stort (mer än 10 miljoner tecken) '
                                     'i taggen {{ "x" * 400000000 }}'),
    "template-huge-multiplication.docx": (1, "mallen stoppades i taggen {{ titel * 1000 * 1000 * 1000 }}: "
                                             "resultatet av * blir för stort"),
    "template-nested-loops.docx": (1, "looparna i varandra går 10 000 000 000 varv, högst 1 000 000 "
                                      "i taggen {% for i in range(100000) %}"),
    "template-nested-loops-output.docx": (1, "mallen gör för mycket arbete (mer än 1 000 000 varv i loopar och anrop)"),
    "template-lipsum.docx": (1, 'mallen använder en okänd variabel "lipsum" i taggen {{ lipsum(100000) }}'),
    "template-format-width.docx": (1, 'i taggen {{ "%0999999999d" % antal_aktiviteter }}: resultatet av % blir '
                                      "för stort"),
    "template-filter-width.docx": (1, "resultatet av filtret center blir för stort (mer än 10 miljoner tecken) "
                                      "i taggen {{ titel|center(999999999) }}"),
    "template-doubling-text.docx": (1, "i taggen {% set ns.s = ns.s ~ ns.s %}: texten som sätts ihop med ~ "
                                       "blir för stort"),
    "template-huge-output.docx": (1, "dokumentet får för mycket text (mer än 40 MB) "
                                     "i taggen {% for i in range(100000) %}"),
    "template-captured-output.docx": (1, "dokumentet får för mycket text (mer än 40 MB) i taggen {% set s %}"),
    "template-huge-document.docx": (1, "template-huge-document.docx: mallen har för mycket innehåll (mer än "
                                       "400 000 XML-element och attribut) och läses inte"),
    "template-many-elements.docx": (1, "dokumentet får för många delar (mer än 2 000 000 XML-element och attribut)"),
    # The default template as a person edits it (tools/build_bad_corpus.py edited_templates).
    "template-red-row-deleted.docx": (0, "2 aktiviteter, 1 klar"),
    "template-without-activity-table.docx": (0, "template-without-activity-table.docx: mallen visar inte "
                                                "aktiviteterna"),
    "template-without-title.docx": (0, "template-without-title.docx: mallen visar inte planens titel"),
    "template-endif-deleted.docx": (1, "syntaxfel i mallen: blocket {%p if projekt %} (stycket efter ”{{ titel }}”) "
                                       "avslutas aldrig: {%p endif %} saknas"),
    "template-endif-misspelt.docx": (1, "okänd tagg {%p endfi %} (stycket efter ”{{ projekt }}”): menade du "
                                        "{%p endif %}?"),
    "template-endfor-row-deleted.docx": (1, "blocket {%tr for rad in aktiviteter %} (tabellen ”Aktivitet | Syfte "
                                            "och målgrupp | Tid | …”, rad 2) avslutas aldrig: {%tr endfor %} saknas"),
    "template-saved-by-libreoffice.docx": (0, "2 aktiviteter, 1 klar"),
}


def cli_command() -> list[str]:
    """The installed console script, or the module when tests run from a bare checkout."""
    script = Path(sys.executable).parent / "aktivitetsplan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


# Runs the command and writes its peak memory (kB) to the file named first. A child started
# straight from pytest would report at least pytest's own peak: Linux carries the peak of the
# memory a vfork child shares with its parent over into the child at exec.
_MEASURE = """
import os, subprocess, sys
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(args: list[str], cwd: Path) -> tuple[int, str, float]:
    """Run the CLI; return exit status, all it printed, and its peak memory in MB."""
    out_path, err_path, peak_path = cwd / "stdout.txt", cwd / "stderr.txt", cwd / "peak.txt"
    with out_path.open("w") as out, err_path.open("w") as err:
        process = subprocess.run([sys.executable, "-c", _MEASURE, str(peak_path), *cli_command(), *args],
                                 stdout=out, stderr=err, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})
    printed = out_path.read_text() + err_path.read_text()
    peak_mb = int(peak_path.read_text()) / 1024
    for path in (out_path, err_path, peak_path):
        path.unlink()
    return process.returncode, printed, peak_mb


def test_every_corpus_file_has_a_case():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CASES)


@pytest.mark.slow  # the hostile corpus through the installed command in new processes
@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(name, tmp_path):
    expected_status, fragment = CASES[name]
    source = BAD / name
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    output = tmp_path / "ut" / "plan.docx"
    if name.startswith("template-"):
        args = ["generate", str(VALID), "--template", str(source), "-o", str(output)]
    else:
        args = ["generate", str(source), "-o", str(output)]
    status, printed, peak_mb = run_measured(args, tmp_path)
    assert status == expected_status, printed
    assert fragment in printed
    assert "Traceback" not in printed and "Error:" not in printed
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    assert peak_mb < PEAK_MEMORY_MB, f"{name}: {peak_mb:.0f} MB"
    written = sorted(p.name for p in output.parent.iterdir()) if output.parent.exists() else []
    assert written == (["plan.docx"] if expected_status == 0 else [])


MEMORY_LIMIT_MB = 500  # README, Säkerhet och gränser: any single input, hostile template included


@pytest.mark.slow  # 10 000 rows, the installed command in new processes
def test_largest_plan_renders_well_under_the_memory_limit(tmp_path):
    from conftest import ACTIVITY_HEADER, default_sheets, write_workbook

    sheets = default_sheets()
    sheets["Aktiviteter"] = [ACTIVITY_HEADER] + [
        [f"Aktivitet {i}: nyhet om bokning och bidrag på webben", "Föreningar och medborgare som söker bidrag",
         "Vecka 12", "Webb, intranät och sociala medier", "Kommunikatör", "Ja" if i % 4 == 0 else ""]
        for i in range(10_000)
    ]
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets)
    status, printed, peak_mb = run_measured(["generate", str(workbook), "-o", str(tmp_path / "plan.docx")], tmp_path)
    assert status == 0, printed
    assert "10 000 aktiviteter, 2 500 klara" in printed
    assert peak_mb < MEMORY_LIMIT_MB * 0.6, f"{peak_mb:.0f} MB"


@pytest.mark.slow  # a document at the node cap, the installed command in new processes
def test_largest_document_the_template_limits_allow_stays_under_the_memory_limit(tmp_path):
    """Just under the body's node cap, made of the smallest elements there are (line breaks)."""
    from docx import Document

    template = tmp_path / "mall.docx"
    document = Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("{% for i in range(antal_aktiviteter * 17000) %}")
    run = paragraph.add_run()
    for _ in range(50):
        run.add_break()
    paragraph.add_run("{% endfor %}")
    document.save(str(template))
    output = tmp_path / "plan.docx"
    status, printed, peak_mb = run_measured(["generate", str(VALID), "--template", str(template), "-o", str(output)],
                                            tmp_path)
    assert status == 0, printed
    assert len(Document(str(output)).paragraphs[0].runs) > 34_000
    assert peak_mb < MEMORY_LIMIT_MB, f"{peak_mb:.0f} MB"


def text_heavy_workbook(folder: Path, cell_text: str) -> Path:
    """3 000 activities whose five text cells share one string each (Excel's shared strings)."""
    build = (
        "import sys; from pathlib import Path; from conftest import *\n"
        "sheets = default_sheets()\n"
        "sheets['Aktiviteter'] = [ACTIVITY_HEADER] + [[sys.argv[3] + str(i)] * 5 + [''] for i in range(3000)]\n"
        "to_shared_strings(write_workbook(Path(sys.argv[1]), sheets), Path(sys.argv[2]))\n"
    )
    workbook = folder / "plan.xlsx"
    # Built in another process, so that this one stays small while the test runs.
    subprocess.run([sys.executable, "-c", build, str(folder / "stor.xlsx"), str(workbook), cell_text], check=True,
                   cwd=ROOT / "tests")
    return workbook


@pytest.mark.slow
def test_largest_text_document_the_limits_allow_stays_under_the_memory_limit(tmp_path):
    workbook = text_heavy_workbook(tmp_path, "ord " * 600)  # about 36 MB of text, just under the limit
    output = tmp_path / "plan.docx"
    status, printed, peak_mb = run_measured(["generate", str(workbook), "-o", str(output)], tmp_path)
    assert status == 0, printed
    assert peak_mb < MEMORY_LIMIT_MB, f"{peak_mb:.0f} MB"


@pytest.mark.slow
def test_a_plan_too_big_for_one_document_is_the_workbooks_fault_not_the_templates(tmp_path):
    """Excel's shared strings let a small file hold gigabytes of text: the document stops at its limit."""
    workbook = text_heavy_workbook(tmp_path, "ord " * 8000)
    output = tmp_path / "plan.docx"
    status, printed, peak_mb = run_measured(["generate", str(workbook), "-o", str(output)], tmp_path)
    assert status == 1, printed
    assert f"{workbook}: dokumentet får för mycket text (mer än 40 MB): planen är för stor för ett dokument" in printed
    assert "mallen" not in printed
    assert peak_mb < PEAK_MEMORY_MB, f"{peak_mb:.0f} MB"
    assert not output.exists()
