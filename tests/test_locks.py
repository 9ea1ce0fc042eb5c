"""An output open in Word or LibreOffice, or locked by one that crashed: who holds it, since when, how to go on."""

from __future__ import annotations

import getpass
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, default_sheets, needs_libreoffice, write_workbook
from generator.cli import main
from generator.files.output import lock_owner

ASA = "Åsa Ödmark"


def office_owner_file(name: str, word: bool = True) -> bytes:
    """An owner file as Word (162 bytes) or Excel (165 bytes) writes it (~$plan.docx, ~$plan.xlsx).

    A length byte and the name in the Windows code page; then, from byte 54 (Word, after zeros) or
    55 (Excel, after spaces), a two-byte length and the name in UTF-16; spaces to the end.
    """
    data = bytes([len(name)]) + name.encode("cp1252")
    at = 54 if word else 55
    data += (b"\0" if word else b" ") * (at - len(data))
    data += len(name).to_bytes(2, "little") + name.encode("utf-16-le")
    size = 162 if word else 165
    while len(data) < size:
        data += b" \0"
    return data[:size]


def libreoffice_lock_file(name: str, login: str, computer: str) -> bytes:
    """.~lock.plan.docx# as LibreOffice writes it: name, login, computer, time, profile; a comma escaped."""
    escaped = name.replace(",", "\\,")
    profile = f"file:///C:/Users/{login}/AppData/Roaming/LibreOffice/4"
    return f"{escaped},{login},{computer},07.12.2026 14:05,{profile};".encode()


def generate(workbook: Path, target: Path):
    return CliRunner().invoke(main, ["generate", str(workbook), "-o", str(target)])


@pytest.fixture
def earlier(tmp_path):
    target = tmp_path / "ut" / "Aktivitetsplan Strömstad.docx"
    target.parent.mkdir()
    target.write_bytes(b"earlier")
    return target


@pytest.fixture
def workbook(tmp_path):
    return write_workbook(tmp_path / "plan.xlsx", default_sheets())


def test_word_has_it_open_and_the_message_names_who(workbook, earlier):
    lock = earlier.parent / "~$tivitetsplan Strömstad.docx"  # Word drops two letters of a long name
    lock.write_bytes(office_owner_file(ASA))
    result = generate(workbook, earlier)
    assert result.exit_code == 1
    message = result.stderr
    assert f"{earlier}: dokumentet är öppet i Word hos Åsa Ödmark sedan " in message
    assert "Be Åsa Ödmark stänga det" in message and "den tidigare filen finns kvar" in message
    assert f"Har ingen dokumentet öppet (om Word har kraschat): ta bort låsfilen {lock} och kör igen." in message
    assert earlier.read_bytes() == b"earlier" and lock.exists()


def test_a_lock_left_days_ago_still_blocks_and_says_how_to_go_on(workbook, earlier):
    lock = earlier.parent / "~$tivitetsplan Strömstad.docx"
    lock.write_bytes(office_owner_file(ASA))
    ten_days_ago = time.time() - 10 * 86400
    os.utime(lock, (ten_days_ago, ten_days_ago))
    result = generate(workbook, earlier)
    assert result.exit_code == 1
    assert ("Låsfilen är 10 dagar gammal och blev troligen kvar när Word stängdes oväntat. "
            f"Har ingen dokumentet öppet: ta bort låsfilen {lock} och kör igen.") in result.stderr
    assert lock.exists()  # the user's files are never removed for them
    lock.unlink()  # as the message says
    again = generate(workbook, earlier)
    assert again.exit_code == 0, again.output
    assert earlier.read_bytes() != b"earlier"


def test_libreoffice_has_it_open_on_another_computer(workbook, earlier):
    lock = earlier.parent / f".~lock.{earlier.name}#"
    lock.write_bytes(libreoffice_lock_file("Ödmark, Åsa", "asaodm", "KOMMUN-PC12"))
    result = generate(workbook, earlier)
    assert result.exit_code == 1
    assert "dokumentet är öppet i LibreOffice hos Ödmark, Åsa på datorn KOMMUN-PC12 sedan " in result.stderr
    assert "Be Ödmark, Åsa stänga det" in result.stderr
    assert f"ta bort låsfilen {lock} och kör igen" in result.stderr


@pytest.mark.parametrize(("lock", "content", "owner"), [
    ("~$plan.docx", office_owner_file(ASA), ASA),
    ("~$plan.xlsx", office_owner_file("Bo Ek", word=False), "Bo Ek"),  # Excel's, for an open workbook
    ("~$plan.docx", office_owner_file("x" * 52), "x" * 52),
    (".~lock.plan.docx#", libreoffice_lock_file("", "bo", "LAPTOP-7"), "bo på datorn LAPTOP-7"),  # no user data
    (".~lock.plan.docx#", b"", None),
    ("~$plan.docx", b"", None),
    ("~$plan.docx", b"\x00" * 162, None),
    ("~$plan.docx", bytes(range(256)), None),
])
def test_lock_owner_reads_what_the_programs_write(tmp_path, lock, content, owner):
    (tmp_path / lock).write_bytes(content)
    assert lock_owner(tmp_path / lock) == owner


def test_a_lock_naming_no_one_still_says_how_to_go_on(workbook, earlier):
    lock = earlier.parent / "~$tivitetsplan Strömstad.docx"
    lock.write_bytes(b"")
    result = generate(workbook, earlier)
    assert result.exit_code == 1
    assert "dokumentet verkar vara öppet i Word sedan " in result.stderr
    assert f"ta bort låsfilen {lock} och kör igen" in result.stderr


def test_in_a_batch_only_the_locked_plan_fails(tmp_path):
    folder = tmp_path / "kommuner"
    for name in ("norr", "syd"):
        write_workbook(folder / f"{name}.xlsx", default_sheets())
    out = tmp_path / "ut"
    out.mkdir()
    (out / "~$norr.docx").write_bytes(office_owner_file(ASA))
    result = CliRunner().invoke(main, ["generate", str(folder), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1
    assert f"MISSLYCKADES {out / 'norr.docx'}: dokumentet är öppet i Word hos Åsa Ödmark" in result.stderr
    assert f"OK {folder / 'syd.xlsx'} → {out / 'syd.docx'}" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["syd.docx", "~$norr.docx"]


@pytest.mark.slow
@needs_libreoffice
def test_a_libreoffice_that_crashed_leaves_a_lock_the_message_explains(workbook, earlier, tmp_path):
    """LibreOffice opens the document, then dies (kill -9): its lock file stays, naming this login and computer."""
    from generator.delivery.pdf import find_soffice

    soffice = subprocess.Popen([str(find_soffice()), f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                                "--headless", "--norestore", str(earlier)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               cwd=ROOT)
    lock = earlier.parent / f".~lock.{earlier.name}#"
    try:
        ends = time.monotonic() + 120
        while not lock.exists() and time.monotonic() < ends:
            time.sleep(0.2)
    finally:
        os.killpg(soffice.pid, signal.SIGKILL)  # a crash: no chance to remove its lock
        soffice.wait()
    assert lock.exists()
    result = generate(workbook, earlier)
    assert result.exit_code == 1
    assert f"dokumentet är öppet i LibreOffice hos {getpass.getuser()} på datorn " in result.stderr
    assert socket.gethostname().split(".")[0] in result.stderr
    assert f"ta bort låsfilen {lock} och kör igen" in result.stderr
    lock.unlink()
    assert generate(workbook, earlier).exit_code == 0
