"""send: the change summary at the top of the letter, and the archive of every send (real aiosmtpd server)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from docx import Document
from test_mail import Inbox, free_port, smtp_args
from test_pdfa import EXPECTED, archive_grade

from conftest import ACTIVITY_HEADER, default_sheets, needs_libreoffice, write_workbook
from generator.cli import main
from generator.delivery.archive import last_sent, new_folder, sends
from generator.delivery.pdf import find_soffice
from generator.versions.docxpart import read_snapshot

CHANGES_HEADING = "Ändringar sedan förra versionen"
# A real send archives a PDF/A copy made by LibreOffice (flows/send.py): such tests are marked libreoffice.


@pytest.fixture
def smtp():
    inbox = Inbox(refuse={"nobody@testkoping.se"})
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def sheets_with_list(*extra_rows):
    sheets = default_sheets()
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna@testkoping.se"], *extra_rows]
    return sheets


def send(workbook, output, controller, *more):
    result = CliRunner().invoke(main, ["send", str(workbook), "-o", str(output), *smtp_args(controller), *more],
                                env={"AKTIVITETSPLAN_SMTP_PASSWORD": None})
    assert result.exit_code == 0, result.output
    return result


def letter(content: bytes) -> tuple[email.message.EmailMessage, list[str]]:
    message = email.message_from_bytes(content, policy=email.policy.default)
    return message, message.get_body(("plain",)).get_content().splitlines()


@pytest.mark.libreoffice
def test_second_send_tells_what_changed_and_both_sends_are_archived(smtp, tmp_path):
    controller, inbox = smtp
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets_with_list())
    output = tmp_path / "ut" / "plan.docx"
    first = send(workbook, output, controller)
    assert "Sedan förra utskicket" not in first.stdout
    _, lines = letter(inbox.messages[0][2])
    assert lines[:3] == ["Hej!", "", lines[2]] and lines[2].startswith("Här kommer den uppdaterade")
    assert CHANGES_HEADING not in [p.text for p in Document(str(output)).paragraphs]

    sheets = sheets_with_list()
    owner = sheets["Aktiviteter"][3][4]  # as in the first version
    sheets["Aktiviteter"] = [
        ACTIVITY_HEADER,
        ["Presentation på nämndmöte", "Ge politiker information", "Våren 2019", "Möte", "Anna", "Ja"],
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "Bo", "Ja"],  # now done
        ["Möte med föreningar", "Föreningar får veta", "Juni 2019", "Möte", owner, "nej"],  # Tid changed
        ["Film om bokning", "Visa hur man bokar", "Hösten 2019", "Youtube", "Cia", ""],  # new
    ]
    write_workbook(workbook, sheets)
    second = send(workbook, output, controller)
    message, lines = letter(inbox.messages[1][2])
    news = lines[2]
    assert news.startswith("1 ny aktivitet, 1 klar, 1 ändrad sedan ")
    assert ": Film om bokning, Nyhet på intranätet, Möte med föreningar." in news
    assert lines[3] == f"Mer om ändringarna står i avsnittet ”{CHANGES_HEADING}” i planen."
    assert f"Sedan förra utskicket: {news}\n" in second.stdout

    folders = sends(tmp_path / "ut" / "skickat")
    assert len(folders) == 2
    archived_pdf = ["plan.pdf"] if find_soffice() is not None else []  # a PDF/A for the archive
    for folder in folders:
        assert sorted(p.name for p in folder.iterdir()) == ["brev.eml", "mottagare.json", "plan.docx", *archived_pdf]
    archived = folders[1]
    assert f"Arkiverat i {archived}" in second.stdout
    [attachment] = list(message.iter_attachments())
    assert (archived / "plan.docx").read_bytes() == attachment.get_content() == output.read_bytes()
    kept, kept_lines = letter((archived / "brev.eml").read_bytes())
    assert kept["Subject"] == message["Subject"] and kept_lines == lines
    recipients = json.loads((archived / "mottagare.json").read_text(encoding="utf-8"))
    assert recipients["mottagare"] == ["anna@testkoping.se"] and recipients["inte_skickat"] == {}

    texts = [p.text for p in Document(str(archived / "plan.docx")).paragraphs]
    at = texts.index(CHANGES_HEADING)
    assert texts[at + 1].startswith("Jämfört med version 1 från ")
    assert "Film om bokning" in texts and "Möte med föreningar (Tid: ”Maj 2019” → ”Juni 2019”)" in texts
    snapshot, notes = last_sent(tmp_path / "ut" / "skickat")
    assert notes == () and snapshot is not None and snapshot.version == 2


@pytest.mark.libreoffice
def test_unchanged_plan_sent_again_says_so_and_keeps_its_version(smtp, tmp_path):
    controller, inbox = smtp
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets_with_list())
    output = tmp_path / "ut" / "plan.docx"
    send(workbook, output, controller)
    send(workbook, output, controller)
    _, lines = letter(inbox.messages[1][2])
    assert lines[2].startswith("Inga ändringar sedan ") and lines[3] == ""
    versions = [read_snapshot(folder / "plan.docx").version for folder in sends(tmp_path / "ut" / "skickat")]
    assert versions == [1, 1]


@pytest.mark.libreoffice
def test_refused_recipients_are_recorded(smtp, tmp_path):
    controller, _ = smtp
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets_with_list(["Ingen", "nobody@testkoping.se"]))
    result = CliRunner().invoke(main, ["send", str(workbook), "-o", str(tmp_path / "ut" / "plan.docx"),
                                       *smtp_args(controller)], env={"AKTIVITETSPLAN_SMTP_PASSWORD": None})
    assert result.exit_code == 1
    [folder] = sends(tmp_path / "ut" / "skickat")
    recipients = json.loads((folder / "mottagare.json").read_text(encoding="utf-8"))
    assert recipients["mottagare"] == ["anna@testkoping.se"]
    assert list(recipients["inte_skickat"]) == ["nobody@testkoping.se"]


def test_dry_run_and_draft_archive_nothing(tmp_path):
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets_with_list())
    output = tmp_path / "ut" / "plan.docx"
    for extra in (["--dry-run"], ["--eml", str(tmp_path / "utkast.eml")]):
        result = CliRunner().invoke(main, ["send", str(workbook), "-o", str(output), *extra])
        assert result.exit_code == 0, result.output
    assert not (tmp_path / "ut" / "skickat").exists()


def test_sends_in_the_same_second_get_folders_of_their_own(tmp_path):
    now = dt.datetime(2026, 3, 12, 9, 30, 5)
    made = [new_folder(tmp_path, now) for _ in range(11)]
    assert [p.name for p in made[:3]] == ["2026-03-12-093005", "2026-03-12-093005-2", "2026-03-12-093005-3"]
    assert sends(tmp_path) == made  # oldest first, -10 after -9
    later = new_folder(tmp_path, now + dt.timedelta(seconds=1))
    assert sends(tmp_path)[-1] == later


@needs_libreoffice
def test_archived_pdf_is_pdfa(smtp, tmp_path):
    controller, inbox = smtp
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets_with_list())
    send(workbook, tmp_path / "ut" / "plan.docx", controller, "--pdf")
    [folder] = sends(tmp_path / "ut" / "skickat")
    assert sorted(p.name for p in folder.iterdir()) == ["brev.eml", "mottagare.json", "plan.docx", "plan.pdf"]
    message, _ = letter(inbox.messages[0][2])
    attached = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert attached["plan.pdf"] == (folder / "plan.pdf").read_bytes()
    found = archive_grade(folder / "plan.pdf")
    assert {key: found[key] for key in EXPECTED} == EXPECTED


@needs_libreoffice
def test_a_send_without_pdf_is_archived_as_pdfa_too(smtp, tmp_path):
    controller, inbox = smtp
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets_with_list())
    send(workbook, tmp_path / "ut" / "plan.docx", controller)
    [folder] = sends(tmp_path / "ut" / "skickat")
    message, _ = letter(inbox.messages[0][2])
    assert [part.get_filename() for part in message.iter_attachments()] == ["plan.docx"]  # sent: Word only
    found = archive_grade(folder / "plan.pdf")
    assert {key: found[key] for key in EXPECTED} == EXPECTED
