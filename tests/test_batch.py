"""Many plans at once: several workbooks or a folder, in parallel, each success or error reported."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import ACTIVITY_HEADER, default_sheets, needs_libreoffice, write_workbook
from generator.cli import main
from generator.files.paths import find_workbooks
from generator.flows.batch import generate_many, outputs_for


def make_folder(tmp_path, count=4, broken=()):
    folder = tmp_path / "kommuner"
    for index in range(count):
        sheets = default_sheets()
        sheets["Plan"] = [["Kommun", f"Kommun {index}"]]
        if index in broken:
            sheets["Aktiviteter"] = [ACTIVITY_HEADER, [None, "syfte", "", "", "", ""]]
        write_workbook(folder / f"kommun-{index}.xlsx", sheets)
    return folder


def test_folder_is_expanded_and_lock_files_skipped(tmp_path):
    folder = make_folder(tmp_path, 2)
    shutil.copy(folder / "kommun-0.xlsx", folder / "~$kommun-0.xlsx")
    (folder / "anteckningar.txt").write_text("inte en arbetsbok")
    assert [p.name for p in find_workbooks([folder])] == ["kommun-0.xlsx", "kommun-1.xlsx"]


def test_batch_generates_every_plan_in_parallel_and_reports_errors(tmp_path):
    folder = make_folder(tmp_path, 5, broken=(2,))
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["generate", str(folder), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [f"kommun-{i}.docx" for i in (0, 1, 3, 4)]
    assert "Aktiviteter!A2: Aktivitet saknas" in result.stderr
    assert f"MISSLYCKADES {folder / 'kommun-2.xlsx'}" in result.stderr
    assert result.stdout.count("OK ") == 4
    assert "4 av 5 planer skapades." in result.stdout
    titles = {Document(str(p)).core_properties.title for p in out.iterdir()}
    assert titles == {f"Aktivitetsplan – Kommun {i}" for i in (0, 1, 3, 4)}


def test_several_named_workbooks_all_succeed(tmp_path):
    folder = make_folder(tmp_path, 3)
    out = tmp_path / "ut"
    files = [str(p) for p in sorted(folder.iterdir())]
    result = CliRunner().invoke(main, ["generate", *files, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(out.iterdir())) == 3
    assert "\r" not in result.output  # no progress bar when not on a terminal


def test_same_names_in_different_folders_do_not_overwrite_each_other(tmp_path):
    first = write_workbook(tmp_path / "norr" / "plan.xlsx", default_sheets())
    second = write_workbook(tmp_path / "syd" / "plan.xlsx", default_sheets())
    assert [p.name for p in outputs_for([first, second], tmp_path / "ut")] == ["norr-plan.docx", "syd-plan.docx"]


def test_generate_many_one_by_one_gives_the_same(tmp_path):
    folder = make_folder(tmp_path, 3, broken=(0,))
    outcomes = list(generate_many(find_workbooks([folder]), tmp_path / "ut", workers=1))
    assert [o.error is not None for o in outcomes] == [True, False, False]
    assert outcomes[1].summary == "3 aktiviteter, 1 klar"


@pytest.mark.slow  # the installed command in new processes
def test_progress_bar_on_a_terminal(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    from conftest import ROOT

    folder = make_folder(tmp_path, 3)
    leader, follower = pty.openpty()
    process = subprocess.run([sys.executable, "-m", "generator", "generate", str(folder), "-o", str(tmp_path / "ut")],
                             stdout=subprocess.PIPE, stderr=follower, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             timeout=120, check=False)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.returncode == 0
    assert "Skapar planer" in shown.decode("utf-8", "replace")
    assert "Skapar planer" not in process.stdout.decode()


@pytest.mark.libreoffice
@needs_libreoffice
def test_batch_with_pdf_on_all_cores(tmp_path):
    folder = make_folder(tmp_path, 2)
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["generate", str(folder), "-o", str(out), "-j", "2", "--pdf"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["kommun-0.docx", "kommun-0.pdf", "kommun-1.docx", "kommun-1.pdf"]
    assert "och kommun-0.pdf" in result.stdout


def test_same_name_different_type_or_case_in_one_folder_gets_distinct_documents(tmp_path):
    folder = tmp_path / "kommuner"
    for name, municipality in (("plan.xlsx", "Ett"), ("plan.xlsm", "Två"), ("Plan.xlsx", "Tre")):
        sheets = default_sheets()
        sheets["Plan"] = [["Kommun", municipality]]
        write_workbook(folder / name, sheets)
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["generate", str(folder), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert len({name.casefold() for name in written}) == 3
    titles = {Document(str(p)).core_properties.title for p in out.iterdir()}
    assert titles == {f"Aktivitetsplan – {m}" for m in ("Ett", "Två", "Tre")}
    reported = [line.split(" → ")[1].split(" (")[0] for line in result.stdout.splitlines() if line.startswith("OK ")]
    assert sorted(reported) == sorted(str(out / name) for name in written)  # never OK twice for one file


def test_the_same_workbook_named_twice_is_made_once(tmp_path):
    workbook = write_workbook(tmp_path / "plan.xlsx", default_sheets())
    (tmp_path / "lank.xlsx").symlink_to(workbook)
    result = CliRunner().invoke(main, ["generate", str(workbook), str(tmp_path / "lank.xlsx"),
                                       str(tmp_path / "." / "plan.xlsx"), "-o", str(tmp_path / "ut")])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("OK ") == 1
    assert [p.name for p in (tmp_path / "ut").iterdir()] == ["plan.docx"]


def test_batch_output_on_an_input_stops_before_anything_is_written(tmp_path):
    first = write_workbook(tmp_path / "a.xlsx", default_sheets())
    second = write_workbook(tmp_path / "b.docx", default_sheets())  # a workbook saved under a Word name
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = CliRunner().invoke(main, ["generate", str(first), str(second), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "Word-filen skulle skriva över arbetsboken" in result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_batch_output_must_be_a_folder(tmp_path):
    folder = make_folder(tmp_path, 2)
    result = CliRunner().invoke(main, ["generate", str(folder), "-o", str(tmp_path / "plan.docx")])
    assert result.exit_code == 2
    assert "ska -o vara en mapp" in result.stderr
    assert not (tmp_path / "plan.docx").exists()
