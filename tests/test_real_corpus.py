"""The corpus tests/fixtures/real/: workbooks saved by Excel and LibreOffice, through the installed CLI.

Each file has its expected outcome in tests/fixtures/real/expected.json (built with the workbooks by
tools/build_real_corpus.py): exit status of check and generate, the findings that must and must not be
printed, and the activities of the generated document with which are red.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import RGBColor
from docx.table import Table
from test_bad_inputs import cli_command

from conftest import ROOT
from generator.plan.schema import table_columns

REAL = ROOT / "tests" / "fixtures" / "real"
EXPECTED: dict[str, dict[str, Any]] = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))
DONE_RED = RGBColor(0xC0, 0x00, 0x00)  # the red of the default template's done row
DOCUMENT_COLUMNS = [c.header for c in table_columns()]  # the default template's table


def installed_command() -> tuple[list[str], dict[str, str]]:
    """The aktivitetsplan of the running interpreter's environment and the environment to run it in.

    The installed script runs the code installed in its venv (so another checkout's venv tests its own
    code); only the bare-checkout fallback (python -m generator) needs this checkout on PYTHONPATH.
    """
    command = cli_command()
    if command[0] == sys.executable:
        return command, {**os.environ, "PYTHONPATH": str(ROOT)}
    return command, dict(os.environ)


def run_both(source: Path, output: Path, cwd: Path) -> dict[str, tuple[int, str]]:
    """Run check and generate on a workbook side by side; each one's exit status and all it printed."""
    command, env = installed_command()
    runs = {"check": ["check", str(source)], "generate": ["generate", str(source), "-o", str(output)]}
    processes = {name: subprocess.Popen([*command, *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
                 for name, args in runs.items()}
    results = {}
    for name, process in processes.items():
        printed, _ = process.communicate(timeout=120)
        results[name] = (process.returncode, printed)
    return results


def plain(text: str) -> str:
    """Cell text with the no-break and narrow no-break spaces a number format may use read as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def activity_table(path: Path) -> Table:
    """The document's activity table, found by its header row."""
    for table in Document(str(path)).tables:
        if table.rows and [c.text.strip() for c in table.rows[0].cells] == DOCUMENT_COLUMNS:
            return table
    raise AssertionError(f"no table with the header {DOCUMENT_COLUMNS} in {path.name}")


def document_text(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def summary(activities: int, done: int) -> str:
    return (f"{activities} {'aktivitet' if activities == 1 else 'aktiviteter'}, "
            f"{done} {'klar' if done == 1 else 'klara'}")


def test_every_corpus_file_has_an_expectation():
    assert sorted(p.name for p in REAL.glob("*.xlsx") if not p.name.startswith("~$")) == sorted(EXPECTED)


def test_expectations_are_the_build_scripts():
    """expected.json is written by tools/build_real_corpus.py; a hand edit that the script would undo fails."""
    spec = importlib.util.spec_from_file_location("build_real_corpus", ROOT / "tools" / "build_real_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.expectations() == EXPECTED


def test_corpus_covers_both_programs():
    """Every case is there as Excel saves it, and the ones LibreOffice can save also as LibreOffice saves them."""
    assert sum(name.startswith("excel-") for name in EXPECTED) >= 15
    assert sum(name.startswith("libreoffice-") for name in EXPECTED) >= 15


@pytest.mark.slow  # the installed command in new processes
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_workbook(name: str, tmp_path: Path) -> None:
    expected = EXPECTED[name]
    source = REAL / name
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    output = tmp_path / "plan.docx"

    results = run_both(source, output, tmp_path)
    (check_status, check_printed), (generate_status, generate_printed) = results["check"], results["generate"]
    printed = {"check": check_printed, "generate": generate_printed}
    assert check_status == expected["check"], check_printed
    assert generate_status == expected["generate"], generate_printed
    for command, text in printed.items():
        assert "Traceback" not in text and "Oväntat fel" not in text, text
        lines = text.splitlines()
        for fragments in expected["findings"]:
            assert any(all(f in line for f in fragments) for line in lines), f"{command}: {fragments}\n{text}"
        for fragments in expected["absent"]:
            assert not any(all(f in line for f in fragments) for line in lines), f"{command}: {fragments}\n{text}"
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before

    if expected["generate"] != 0:
        assert not output.exists()
        return
    activities, done = expected["activities"], expected["done"]
    assert summary(len(activities), len(done)) in generate_printed
    assert summary(len(activities), len(done)) in check_printed

    table = activity_table(output)
    rows = [[plain(cell.text) for cell in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(activities), [r[0] for r in rows]
    for row, first_words in zip(rows, activities):
        assert row[0].startswith(first_words), (row[0], first_words)
    wrong = [(index, column, text, rows[index][DOCUMENT_COLUMNS.index(column)])
             for index, column, text in expected["cells"] if rows[index][DOCUMENT_COLUMNS.index(column)] != text]
    assert not wrong, "(activity, column, expected, in the document): " + repr(wrong)
    for row, first_words in zip(table.rows[1:], activities):
        runs = [r for cell in row.cells for p in cell.paragraphs for r in p.runs if r.text.strip()]
        assert runs, first_words
        colours = {r.font.color.rgb for r in runs}
        assert colours == ({DONE_RED} if first_words in done else {None}), (first_words, colours)
    text = document_text(output)
    for absent in expected["absent_text"]:
        assert absent not in text, absent
