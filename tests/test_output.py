"""Output safety: a temporary file renamed into place; an open or failed target keeps the earlier file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import ACTIVITY_HEADER, ROOT, default_sheets, write_workbook
from generator.cli import main
from generator.files.output import write_atomically
from generator.flows.generating import generate
from generator.plan.errors import OutputError


def reading_started(process: subprocess.Popen, workbook: Path, timeout: float = 30) -> None:
    """Wait until process has the workbook open (Linux /proc), or has ended; without /proc, not at all."""
    fds = Path(f"/proc/{process.pid}/fd")
    if not fds.exists():
        return
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if any(os.readlink(fd) == str(workbook) for fd in fds.iterdir()):
                return
        except OSError:  # a descriptor closed while it was looked at
            pass
        time.sleep(0.002)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("lock", ["~$plan.docx", "~$an.docx", ".~lock.plan.docx#"])
def test_open_in_word_keeps_the_earlier_file(make_workbook, tmp_path, lock):
    target = tmp_path / "plan.docx"
    target.write_bytes(b"earlier")
    (tmp_path / lock).write_bytes(b"owner")
    result = CliRunner().invoke(main, ["generate", str(make_workbook()), "-o", str(target)])
    assert result.exit_code == 1
    assert "plan.docx: dokumentet verkar vara öppet i " in result.stderr
    assert f"ta bort låsfilen {tmp_path / lock} och kör igen" in result.stderr
    assert target.read_bytes() == b"earlier"
    assert leftovers(tmp_path) == []


def test_failed_rename_keeps_the_earlier_file(make_workbook, tmp_path, monkeypatch):
    target = tmp_path / "plan.docx"
    target.write_bytes(b"earlier")

    def locked(source, destination):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError, match="troligen öppen i ett annat program"):
        generate(make_workbook(), target)
    assert target.read_bytes() == b"earlier"
    assert leftovers(tmp_path) == []


def test_interrupted_write_leaves_nothing_behind(tmp_path):
    target = tmp_path / "plan.docx"
    target.write_bytes(b"earlier")

    def half_written(temp):
        temp.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, half_written)
    assert target.read_bytes() == b"earlier"
    assert leftovers(tmp_path) == []


def test_target_that_cannot_be_replaced(tmp_path):
    (tmp_path / "plan.docx").mkdir()
    (tmp_path / "plan.docx" / "innehåll.txt").write_text("kvar")
    with pytest.raises(OutputError, match="filen kunde inte skrivas"):
        write_atomically(tmp_path / "plan.docx", lambda temp: temp.write_bytes(b"ny"))
    assert (tmp_path / "plan.docx" / "innehåll.txt").read_text() == "kvar"
    assert leftovers(tmp_path) == []


@pytest.mark.slow  # the installed command in new processes
def test_ctrl_c_on_a_real_process_leaves_no_temporary_files(tmp_path):
    rows = [ACTIVITY_HEADER] + [[f"Aktivitet {i} " * 8, "Syfte " * 10, "Maj", "Möte", "Eva", ""]
                                for i in range(6000)]
    workbook = write_workbook(tmp_path / "stor.xlsx", {**default_sheets(), "Aktiviteter": rows})
    target = tmp_path / "ut" / "stor.docx"
    target.parent.mkdir()
    target.write_bytes(b"earlier")
    command = [sys.executable, "-m", "generator", "generate", str(workbook), "-o", str(target)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    durations = []
    for _ in range(2):  # the faster of two runs: the first may pay for cold caches
        started = time.monotonic()
        subprocess.run(command, env=env, capture_output=True, check=True, timeout=120)
        durations.append(time.monotonic() - started)
    whole = min(durations)
    target.write_bytes(b"earlier")
    outcomes = set()
    for share in (0.3, 0.5, 0.7):  # interrupt while reading, rendering and writing
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        reading_started(process, workbook)  # past Python's own start-up, which a loaded machine may slow down
        time.sleep(max(0.0, started + whole * share - time.monotonic()))
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
        assert "Traceback" not in err
        assert leftovers(target.parent) == []
        if target.read_bytes() != b"earlier":
            Document(str(target))  # a complete document, never a half-written one
        outcomes.add(process.returncode)
    assert 130 in outcomes and outcomes <= {0, 130}
