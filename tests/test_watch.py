"""generate --watch: a real process, real saves of the workbook, until Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest
from docx import Document

from conftest import ACTIVITY_HEADER, ROOT, default_sheets, find_activity_table, write_workbook


def start(args, cwd):
    process = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True)
    reader.start()
    process.reader = reader
    return process, lines


def wait_for(lines, fragment, timeout=60.0):
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if fragment in line:
            return line
    raise AssertionError(f"{fragment!r} not printed; got {seen}")


def save(path, activities):
    sheets = default_sheets()
    rows = [a if isinstance(a, list) else [a, "", "", "", "", ""] for a in activities]
    sheets["Aktiviteter"] = [ACTIVITY_HEADER, *rows]
    temp = path.with_name("ny-" + path.name)
    write_workbook(temp, sheets)
    os.replace(temp, path)  # as Excel saves: the new file replaces the old one


@pytest.mark.slow  # the installed command in new processes
def test_watch_regenerates_on_every_save_and_waits_out_half_saved_files(tmp_path):
    workbook = tmp_path / "plan.xlsx"
    output = tmp_path / "plan.docx"
    save(workbook, ["Första"])
    process, lines = start(["generate", str(workbook), "-o", str(output), "--watch"], tmp_path)
    try:
        wait_for(lines, "Skrev")
        assert find_activity_table(Document(str(output))).rows[1].cells[0].text == "Första"

        time.sleep(1.1)  # a later modification time than the first save
        save(workbook, ["Första", "Andra"])
        wait_for(lines, "Skrev")
        assert [r.cells[0].text for r in find_activity_table(Document(str(output))).rows[1:]] == ["Första", "Andra"]
        assert wait_for(lines, "Version 2").startswith("Version 2. ")  # a new version says so, as generate does

        good = workbook.read_bytes()
        workbook.write_bytes(good[: len(good) // 2])  # half-saved
        wait_for(lines, "Väntar på nästa sparning")
        assert len(find_activity_table(Document(str(output))).rows) == 3  # the earlier document is kept

        save(workbook, [[None, "syfte utan aktivitet", "", "", "", ""]])
        wait_for(lines, "Aktiviteter!A2: Aktivitet saknas")

        save(workbook, ["Tredje"])
        wait_for(lines, "Skrev")
        assert find_activity_table(Document(str(output))).rows[1].cells[0].text == "Tredje"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        process.reader.join(timeout=10)  # the pipe ends with the process
        process.stdout.close()
    assert process.returncode == 0
    assert "Bevakningen avslutad." in "".join(lines.queue)
