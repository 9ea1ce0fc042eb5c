"""The program's run freezes what its imports made out of the cycle collector's way; a test's invocation does not."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

from click.testing import CliRunner

from conftest import ROOT
from generator.cli import main

# Runs the program as installed, then says how many objects were frozen and whether collection is on.
_RUN = """
import gc, sys
from generator.cli import run
sys.argv = ["aktivitetsplan", *sys.argv[1:]]
try:
    run()
except SystemExit:
    pass
print("frozen", gc.get_freeze_count(), gc.isenabled(), gc.get_threshold())
"""


def _program(folder, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True, text=True, env=env,
                          cwd=folder, timeout=120)
    _, count, enabled, threshold = done.stdout.strip().splitlines()[-1].split(" ", 3)
    return int(count), enabled == "True", threshold, done


def test_generate_and_check_freeze_their_imports_and_collect_as_before_after(example_copy, tmp_path):
    before = str(gc.get_threshold())
    count, enabled, threshold, done = _program(tmp_path, "generate", str(example_copy), "-o", "plan.docx")
    assert (tmp_path / "plan.docx").exists(), done.stderr
    assert count > 10_000 and enabled and threshold == before
    count, enabled, threshold, done = _program(tmp_path, "check", str(example_copy))
    assert count > 10_000 and enabled and threshold == before, done.stderr


def test_a_test_invoking_the_group_keeps_the_collector_as_it_is(example_copy, tmp_path):
    frozen = gc.get_freeze_count()
    result = CliRunner().invoke(main, ["generate", str(example_copy), "-o", str(tmp_path / "plan.docx")])
    assert result.exit_code == 0, result.output
    assert gc.get_freeze_count() == frozen and gc.isenabled()
