"""A run loads only what it needs: a plain generate never imports the web, mail, PDF, calendar or import code."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLE, ROOT

# Modules a plain `aktivitetsplan generate data/aktivitetsplan.xlsx` has no use for.
NOT_FOR_GENERATE = (
    "starlette", "uvicorn", "anyio", "python_multipart", "httpx",  # the web page
    "smtplib", "email.message", "email.mime", "ssl",  # mail
    "icalendar", "hypothesis", "multiprocessing", "concurrent.futures",  # calendar, tests, batches
    "email_validator", "idna",  # plain addresses are read without them (plan/addresses.py)
    "generator.web", "generator.delivery", "generator.importing",
    "generator.flows.batch", "generator.flows.sending", "generator.flows.reminding",
    "generator.flows.watching", "generator.flows.initializing", "generator.workbook.starter",
)

# Runs the command as the installed script does, in this process, then names the modules it loaded.
_RUN = """
import json, runpy, sys
sys.argv = ["aktivitetsplan", *sys.argv[1:]]
try:
    runpy.run_module("generator", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    code = exit.code
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _loaded(folder, *args: str) -> tuple[int, set[str]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True, text=True, env=env,
                          cwd=folder, timeout=120)
    assert done.stdout.strip(), done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


def _unwanted(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == name or m.startswith(name + ".") for name in NOT_FOR_GENERATE))


@pytest.fixture
def project(tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "data" / "aktivitetsplan.xlsx")
    shutil.copy(EXAMPLE.parent / "logotyp.png", tmp_path / "data" / "logotyp.png")
    return tmp_path


def test_generate_loads_no_web_mail_pdf_calendar_or_import_code(project):
    code, modules = _loaded(project, "generate", "data/aktivitetsplan.xlsx", "-o", "out/plan.docx")
    assert code == 0
    assert (project / "out" / "plan.docx").exists()
    assert "generator.flows.generating" in modules  # the run did load what it needed
    assert _unwanted(modules) == []


def test_check_loads_no_rendering_either(project):
    code, modules = _loaded(project, "check", "data/aktivitetsplan.xlsx")
    assert code == 0
    assert _unwanted(modules) == []
    assert not {"docxtpl", "jinja2", "generator.document", "generator.template"} & modules


def test_a_package_gives_its_names_on_first_use():
    code = ("import sys, generator.flows as f; before = 'generator.flows.batch' in sys.modules; f.generate_many; "
            "print(before, 'generator.flows.batch' in sys.modules, f.batch.__name__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.split() == ["False", "True", "generator.flows.batch"], done.stderr
