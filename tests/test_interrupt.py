"""Ctrl+C: a batch stops at once, what is on disk is what was printed, the plans cut off are named; no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ACTIVITY_HEADER, ROOT, default_sheets, needs_libreoffice, write_workbook
from generator.cli import main

PLANS = 30


def kommun_folder(folder: Path, count: int = PLANS, activities: int = 250) -> list[Path]:
    """A folder of workbooks as a county's kommuner keep them, each plan big enough to take a while."""
    rows = [ACTIVITY_HEADER] + [[f"Aktivitet {i} " * 6, "Syfte och målgrupp " * 4, "Maj 2019", "Möte", "Eva", ""]
                                for i in range(activities)]
    made = []
    for index in range(count):
        sheets = default_sheets()
        sheets["Plan"] = [["Kommun", f"Kommun {index:02}"], ["Datum", "2019-03-15"]]
        sheets["Aktiviteter"] = rows
        made.append(write_workbook(folder / f"kommun-{index:02}.xlsx", sheets))
    return made


def read_until(stream: int, marker: bytes, limit: float = 120) -> bytes:
    """What a process wrote on a pipe, read until marker shows (or the pipe closes)."""
    seen, ends = b"", time.monotonic() + limit
    while marker not in seen and time.monotonic() < ends:
        chunk = os.read(stream, 65536)
        if not chunk:
            break
        seen += chunk
    return seen


def ok_targets(stdout: str) -> set[str]:
    """The files the OK lines say were written: "OK <arbetsbok> → <docx> (…)"."""
    return {Path(line.split(" → ", 1)[1].rsplit(" (", 1)[0]).name
            for line in stdout.splitlines() if line.startswith("OK ")}


@pytest.mark.slow
@pytest.mark.parametrize(("whom", "jobs"), [("terminal", "2"), ("parent", "2"), ("terminal", "1")])
def test_ctrl_c_in_a_batch_stops_at_once_and_leaves_only_what_was_printed(tmp_path, whom, jobs):
    """Ctrl+C in a terminal reaches the whole process group; kill -INT only the command itself."""
    workbooks = kommun_folder(tmp_path / "kommuner")
    out = tmp_path / "ut"
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary)}
    process = subprocess.Popen([sys.executable, "-m", "generator", "generate", str(tmp_path / "kommuner"),
                                "-o", str(out), "-j", jobs],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    assert process.stdout is not None
    first = read_until(process.stdout.fileno(), b"OK ")
    assert b"OK " in first, "no plan was made"
    sent = time.monotonic()
    if whom == "terminal":
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    rest, err_bytes = process.communicate(timeout=60)
    stopped = time.monotonic() - sent
    stdout, err = (first + rest).decode(), err_bytes.decode()

    assert process.returncode == 130
    assert "Traceback" not in err and "Exception ignored" not in err
    assert stopped < 3, f"{stopped:.1f} s to stop"  # the whole batch took far longer before
    written = {p.name for p in out.iterdir()}
    assert written == ok_targets(stdout)  # what is on disk is what was printed, no more, no less
    assert 0 < len(written) < PLANS
    cut_off = {line.split("AVBRUTEN ", 1)[1] for line in err.splitlines() if "AVBRUTEN " in line}
    made = {str(w) for w in workbooks if f"{w.stem}.docx" in written}
    assert cut_off == {str(w) for w in workbooks} - made  # every plan not made is named
    assert f"{len(written)} av {PLANS} planer skapades" in err
    assert err.rstrip().endswith("Avbrutet.")
    assert list(temporary.iterdir()) == []  # nothing staged is left behind
    leftover = subprocess.run(["pgrep", "-f", "-s", str(process.pid), "generator"], capture_output=True, text=True)
    assert leftover.stdout == ""  # no worker lives on


@pytest.mark.slow
@pytest.mark.libreoffice
@needs_libreoffice
def test_ctrl_c_in_a_batch_with_pdf_ends_libreoffice_too(tmp_path):
    kommun_folder(tmp_path / "kommuner", count=4, activities=40)
    out = tmp_path / "ut"
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary)}
    process = subprocess.Popen([sys.executable, "-m", "generator", "generate", str(tmp_path / "kommuner"),
                                "-o", str(out), "-j", "2", "--pdf"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    ends = time.monotonic() + 60
    while time.monotonic() < ends and not subprocess.run(["pgrep", "-f", str(temporary)],
                                                         capture_output=True).stdout:
        time.sleep(0.05)  # until LibreOffice runs (its profile lies in TMPDIR)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err.decode()
    ends = time.monotonic() + 30  # LibreOffice may take a moment to go on a loaded machine
    while subprocess.run(["pgrep", "-f", str(temporary)], capture_output=True).stdout and time.monotonic() < ends:
        time.sleep(0.1)
    assert subprocess.run(["pgrep", "-f", str(temporary)], capture_output=True, text=True).stdout == ""
    assert list(temporary.iterdir()) == []
    assert not out.exists() or {p.suffix for p in out.iterdir()} <= {".docx", ".pdf"}


SLOW_TO_REMOVE = """#!{python}
import os, pathlib, sys, time
profile = pathlib.Path(os.environ["TMPDIR"]) / "profil-stor"
profile.mkdir()
for index in range(40000):  # a profile big enough that removing it outlasts the batch's grace
    (profile / str(index)).touch()
(pathlib.Path({ready!r}) / str(os.getpid())).touch()
time.sleep(600)
"""


@pytest.mark.slow
def test_ctrl_c_leaves_nothing_when_a_worker_is_ended_before_it_cleans_up(tmp_path):
    kommun_folder(tmp_path / "kommuner", count=2, activities=5)
    temporary, ready = tmp_path / "tmp", tmp_path / "klar"
    temporary.mkdir()
    ready.mkdir()
    soffice = tmp_path / "soffice"
    soffice.write_text(SLOW_TO_REMOVE.format(python=sys.executable, ready=str(ready)))
    soffice.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary), "AKTIVITETSPLAN_SOFFICE": str(soffice)}
    process = subprocess.Popen([sys.executable, "-m", "generator", "generate", str(tmp_path / "kommuner"),
                                "-o", str(tmp_path / "ut"), "-j", "2", "--pdf"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    ends = time.monotonic() + 120
    while time.monotonic() < ends and not any(ready.iterdir()):
        time.sleep(0.05)  # until a stand-in LibreOffice has made its profile
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err.decode()
    assert list(temporary.iterdir()) == []  # the worker was ended mid-cleanup; the batch removed the rest
    assert subprocess.run(["pgrep", "-f", str(soffice)], capture_output=True, text=True).stdout == ""


class _SignalOnCollect:
    """An object whose finalizer is running when Ctrl+C comes: Python swallows what a finalizer raises."""

    def __del__(self) -> None:
        signal.raise_signal(signal.SIGINT)


def test_ctrl_c_landing_in_a_finalizer_still_stops_the_run_quietly(make_workbook, tmp_path, monkeypatch):
    """The signal that lands while a ZipFile (or anything) is finalized stops the run, with no traceback."""
    import generator.flows.generating as generating

    render = generating.render_document

    def render_after_a_finalizer(*args, **kwargs):
        _SignalOnCollect()  # collected at once: the signal arrives inside its __del__
        time.sleep(0.2)
        return render(*args, **kwargs)

    monkeypatch.setattr(generating, "render_document", render_after_a_finalizer)
    target = tmp_path / "plan.docx"
    target.write_bytes(b"earlier")
    before = signal.getsignal(signal.SIGINT)  # Python's own, or SIG_IGN when started in the background
    result = CliRunner().invoke(main, ["generate", str(make_workbook()), "-o", str(target)])
    assert result.exit_code == 130, result.output
    assert result.stderr.strip().endswith("Avbrutet.")
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr
    assert target.read_bytes() == b"earlier"
    assert signal.getsignal(signal.SIGINT) is before  # the command's handler is gone again


def test_a_half_written_zip_after_ctrl_c_is_closed_quietly(make_workbook, tmp_path, monkeypatch):
    """Ctrl+C while a library writes a zip leaves it half-open; its finalizer's error is no news to the user."""
    import generator.flows.generating as generating

    def interrupted_while_zipping(plan, template, docx, *args, **kwargs):
        archive = zipfile.ZipFile(docx, "w")
        archive.open("word/document.xml", "w").write(b"<half")  # a writing handle left open
        raise KeyboardInterrupt

    monkeypatch.setattr(generating, "render_document", interrupted_while_zipping)
    result = CliRunner().invoke(main, ["generate", str(make_workbook()), "-o", str(tmp_path / "plan.docx")])
    assert result.exit_code == 130
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "plan.docx").exists()
