"""The command line through CliRunner, and once as a real process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ACTIVITY_HEADER, EXAMPLE, ROOT
from generator.cli import main


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A working folder laid out like the project: data/ with the example, no out/ yet."""
    (tmp_path / "data").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "data" / "aktivitetsplan.xlsx")
    shutil.copy(EXAMPLE.parent / "logotyp.png", tmp_path / "data" / "logotyp.png")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_generate_without_arguments_uses_the_example(runner, project):
    result = runner.invoke(main, ["generate"])
    assert result.exit_code == 0, result.output
    assert (project / "out" / "aktivitetsplan.docx").exists()
    assert result.stdout.splitlines() == ["Skrev out/aktivitetsplan.docx", "15 aktiviteter, 3 klara"]


def test_generate_other_workbook_goes_to_out_by_name(runner, project, make_workbook):
    workbook = make_workbook(name="ovrigt/testplan.xlsx")
    result = runner.invoke(main, ["generate", str(workbook)])
    assert result.exit_code == 0, result.output
    assert (project / "out" / "testplan.docx").exists()
    assert "3 aktiviteter, 1 klar" in result.stdout


def test_generate_with_output_option(runner, project, tmp_path):
    target = tmp_path / "annan" / "plan.docx"
    result = runner.invoke(main, ["generate", "data/aktivitetsplan.xlsx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.exists()


def test_output_option_naming_a_folder(runner, project, tmp_path):
    folder = tmp_path / "dokument"
    folder.mkdir()
    result = runner.invoke(main, ["generate", "data/aktivitetsplan.xlsx", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "aktivitetsplan.docx").exists()


def test_generate_errors_are_swedish_located_and_exit_1(runner, project, make_workbook):
    workbook = make_workbook(Aktiviteter=[ACTIVITY_HEADER, ["", "syfte", "", "", "", ""]])
    out = project / "out" / "plan.docx"
    out.parent.mkdir()
    out.write_bytes(b"earlier")
    result = runner.invoke(main, ["generate", str(workbook)])
    assert result.exit_code == 1
    assert "Aktiviteter!A2: Aktivitet saknas" in result.stderr
    assert f"Fel i {workbook}:" in result.stderr
    assert "Traceback" not in result.output
    assert out.read_bytes() == b"earlier"


def test_missing_workbook(runner, project):
    result = runner.invoke(main, ["generate", "finns-inte.xlsx"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "finns-inte.xlsx: filen finns inte"


def test_check_lists_findings_and_sets_exit_code(runner, project, make_workbook):
    ok = runner.invoke(main, ["check"])
    assert ok.exit_code == 0
    assert "data/aktivitetsplan.xlsx: inga fel, 1 varning. 15 aktiviteter, 3 klara." in ok.stdout
    workbook = make_workbook(Aktiviteter=[ACTIVITY_HEADER, ["", "a", "", "", "", "kanske"]])
    bad = runner.invoke(main, ["check", str(workbook)])
    assert bad.exit_code == 1
    errors, warnings = bad.stderr.split("Varningar i")
    assert "Aktiviteter!A2: Aktivitet saknas" in errors
    assert "Aktiviteter!F2" in warnings
    assert not list((project).glob("out/*"))


def test_usage_errors_keep_exit_2_in_swedish(runner, project):
    result = runner.invoke(main, ["generate", "--okand"])
    assert result.exit_code == 2
    assert "Okänd flagga '--okand'" in result.stderr
    assert "Användning:" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["serve", "--port", "abc"], "Ogiltigt värde för '--port': 'abc' är inte ett giltigt heltal."),
    (["serve", "--port", "0"], "Ogiltigt värde för '--port': 0 går inte: det ska vara från 1 till 65535."),
    (["generate", "-j", "0"], "Ogiltigt värde för '--jobs' / '-j': 0 går inte: det ska vara minst 1."),
])
def test_numbers_out_of_range_are_said_in_swedish(runner, args, message):
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "integer" not in result.stderr


@pytest.mark.parametrize("args", [["--help"], *([command, "--help"] for command in main.commands)])
def test_help_is_swedish(runner, args):
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    for english in ("Usage:", "Options:", "Show this message", "[OPTIONS]", "COMMAND", " PATH", " FILE", " TEXT",
                    " INTEGER", " DIRECTORY", "x>=", "<=x"):
        assert english not in result.stdout
    assert not re.search(r"\w\.\.\.$", result.stdout, re.MULTILINE)  # no command's line cut short
    assert "Användning:" in result.stdout


def test_unexpected_error_is_a_message_not_a_traceback(runner, project, monkeypatch):
    import generator.flows.generating

    def broken(*args, **kwargs):
        raise RuntimeError("trasig")

    monkeypatch.setattr(generator.flows.generating, "prepare", broken)
    result = runner.invoke(main, ["generate"])
    assert result.exit_code == 1
    assert "Oväntat fel: RuntimeError: trasig" in result.stderr
    assert "Traceback" not in result.stderr


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.slow  # the installed command in new processes
def test_real_process_console_script_and_module(project):
    script = Path(sys.executable).parent / "aktivitetsplan"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "generator"]
    done = subprocess.run([*command, "generate"], capture_output=True, text=True, env=_env(), timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "Skrev out/aktivitetsplan.docx"
    module = subprocess.run([sys.executable, "-m", "generator", "check"], capture_output=True,
                            text=True, env=_env(), timeout=120)
    assert module.returncode == 0, module.stderr
    assert "inga fel" in module.stdout


def test_help_path_keeps_heavy_libraries_unloaded():
    code = ("import sys; from generator.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('openpyxl', 'docx', 'docxtpl', 'jinja2', 'lxml') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_findings_are_listed_in_the_workbooks_cell_order(runner, make_workbook):
    """Row by row, then column, as the web page lists them: not grouped by the check that found them."""
    workbook = make_workbook(Aktiviteter=[
        ACTIVITY_HEADER,
        ["Presentation", "Ge politiker information", "snart", "Möte", "", "Ja"],
        ["Nyhet", "Alla medarbetare", "någon gång", "Intranät", "", ""],
    ])
    result = runner.invoke(main, ["check", str(workbook)])
    assert result.exit_code == 0, result.output
    places = [line.split(":")[0].strip() for line in result.stderr.splitlines() if line.startswith("  ")]
    assert places == ["Aktiviteter!C2", "Aktiviteter!E2", "Aktiviteter!C3", "Aktiviteter!E3"]
