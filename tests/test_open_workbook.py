"""A workbook open in Excel or LibreOffice: each flow reading it says so, by whom, and that unsaved edits are out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, default_sheets, needs_calc, needs_libreoffice, write_workbook
from generator.cli import main
from generator.delivery.pdf import find_soffice
from generator.flows.checking import check_workbook
from generator.flows.reminding import remind
from generator.workbook.locks import open_elsewhere

sys.path.insert(0, str(ROOT / "tools"))
from build_real_corpus import excel_owner_file, libreoffice_lock_file  # the lock files as the programs write them

UNSAVED = "så ändringar som inte är sparade kommer inte med"


@pytest.fixture
def workbook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sheets = default_sheets()
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna@testkoping.se"]]
    return write_workbook(tmp_path / "plan.xlsx", sheets)


def lock_warnings(findings):
    return [str(f) for f in findings if "är öppen i" in f.message]


@pytest.mark.parametrize("user", ["Anna Andersson", "Åsa Öberg", "Jānis Bērziņš"])
def test_excel_owner_file_names_who_has_it_open(workbook, user):
    (workbook.parent / f"~${workbook.name}").write_bytes(excel_owner_file(user))
    assert lock_warnings(check_workbook(workbook).findings) == [
        f"plan.xlsx: arbetsboken är öppen i Excel hos {user}, {UNSAVED}. Spara den i Excel och kör igen. "
        "(Är den inte öppen är låsfilen ~$plan.xlsx kvar sedan programmet stängdes oväntat och kan tas bort.)"]


def test_libreoffice_lock_file_names_who_has_it_open(workbook):
    (workbook.parent / f".~lock.{workbook.name}#").write_bytes(libreoffice_lock_file("Lind, Åsa"))
    [warning] = lock_warnings(check_workbook(workbook).findings)
    assert warning.startswith("plan.xlsx: arbetsboken är öppen i LibreOffice hos Lind, Åsa på datorn KOMMUN-PC12, "
                              f"{UNSAVED}. Spara den i LibreOffice och kör igen.")


def test_libreoffice_without_a_name_gives_the_login(workbook):
    (workbook.parent / f".~lock.{workbook.name}#").write_bytes(libreoffice_lock_file("", login="asa.lind"))
    assert "hos asa.lind på datorn KOMMUN-PC12," in lock_warnings(check_workbook(workbook).findings)[0]


@pytest.mark.parametrize("content", [b"", b"\xff" * 3, b"\x00" * 165])
def test_a_lock_file_that_cannot_be_read_still_says_open(workbook, content):
    (workbook.parent / f"~${workbook.name}").write_bytes(content)
    [warning] = lock_warnings(check_workbook(workbook).findings)
    assert warning.startswith(f"plan.xlsx: arbetsboken är öppen i Excel, {UNSAVED}.")


def test_no_lock_file_says_nothing(workbook):
    (workbook.parent / "~$annan.xlsx").write_bytes(excel_owner_file("Bo"))
    assert open_elsewhere(workbook) == ()
    assert lock_warnings(check_workbook(workbook).findings) == []


def test_check_and_generate_warn_and_still_work(workbook):
    (workbook.parent / f"~${workbook.name}").write_bytes(excel_owner_file("Anna Andersson"))
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(workbook)])
    generated = runner.invoke(main, ["generate", str(workbook), "-o", "ut/plan.docx"])
    for result in (checked, generated):
        assert result.exit_code == 0, result.output
        assert f"plan.xlsx: arbetsboken är öppen i Excel hos Anna Andersson, {UNSAVED}" in result.output
    assert (workbook.parent / "ut" / "plan.docx").exists()


def test_many_workbooks_each_say_it_for_their_own(workbook, tmp_path):
    other = write_workbook(tmp_path / "annan.xlsx", default_sheets())
    (tmp_path / f".~lock.{other.name}#").write_bytes(libreoffice_lock_file("Bo Ek"))
    result = CliRunner().invoke(main, ["generate", str(tmp_path), "-o", "ut", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "2 av 2 planer skapades." in result.output  # the lock file is no workbook of its own
    assert result.output.count("är öppen i") == 1
    assert f"annan.xlsx: arbetsboken är öppen i LibreOffice hos Bo Ek på datorn KOMMUN-PC12, {UNSAVED}" in result.output


def test_paminn_warns_too(workbook):
    (workbook.parent / f"~${workbook.name}").write_bytes(excel_owner_file("Anna Andersson"))
    outcome = remind(workbook, mode="dry-run")
    assert len(lock_warnings(outcome.warnings)) == 1


def test_send_warns_too(workbook):
    (workbook.parent / f"~${workbook.name}").write_bytes(excel_owner_file("Anna Andersson"))
    result = CliRunner().invoke(main, ["send", str(workbook), "--eml", "utkast.eml", "--from", "plan@testkoping.se"],
                                env={"AKTIVITETSPLAN_SMTP_PASSWORD": None})
    assert result.exit_code == 0, result.output
    assert f"arbetsboken är öppen i Excel hos Anna Andersson, {UNSAVED}" in result.output


PROFILE_NAME = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.UserProfile/Data"><prop oor:name="givenname" oor:op="fuse"><value>Åsa</value></prop>
</item>
<item oor:path="/org.openoffice.UserProfile/Data"><prop oor:name="sn" oor:op="fuse"><value>Lind</value></prop></item>
</oor:items>
"""


@pytest.mark.slow
@needs_libreoffice
@needs_calc
def test_a_workbook_open_in_libreoffice_calc(workbook, tmp_path):
    """Calc itself opens the workbook and writes its lock file; check reads the name Calc wrote there."""
    profile = tmp_path / "lo-profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_NAME, encoding="utf-8")
    calc = subprocess.Popen([str(find_soffice()), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                             "--norestore", str(workbook)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    lock = tmp_path / f".~lock.{workbook.name}#"
    try:
        deadline = time.monotonic() + 90
        while not lock.exists() and time.monotonic() < deadline and calc.poll() is None:
            time.sleep(0.2)
        assert lock.exists(), "LibreOffice did not open the workbook"
        while "Åsa Lind" not in lock.read_text(encoding="utf-8", errors="replace") and time.monotonic() < deadline:
            time.sleep(0.1)  # the line is written right after the file is made
        [warning] = lock_warnings(check_workbook(workbook).findings)
        assert warning.startswith("plan.xlsx: arbetsboken är öppen i LibreOffice hos Åsa Lind på datorn ")
        assert f", {UNSAVED}." in warning  # the computer LibreOffice names, as a document's lock says it
    finally:
        os.killpg(calc.pid, signal.SIGTERM)
        try:
            calc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(calc.pid, signal.SIGKILL)
            calc.wait()


def test_the_lock_file_is_only_read_a_little(workbook):
    (workbook.parent / f"~${workbook.name}").write_bytes(excel_owner_file("Anna") + b"x" * 10_000_000)
    assert "hos Anna," in lock_warnings(check_workbook(workbook).findings)[0]
    assert Path(workbook).read_bytes()[:2] == b"PK"  # the workbook itself is untouched
