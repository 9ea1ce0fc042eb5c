"""Sändlista as people keep it: "Namn <adress>", the usual header names, problems that block only send."""

from __future__ import annotations

import email
import email.policy

import pytest
from click.testing import CliRunner

from conftest import default_sheets, write_workbook
from generator.cli import main
from generator.delivery.mail import envelope_address
from generator.plan.addresses import read_address

ASA = "Åsa Ödmark <asa.odmark@kommun.se>"


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """send writes out/<name>.docx beside the working folder: keep that out of the checkout."""
    monkeypatch.chdir(tmp_path)


def plan_with(tmp_path, recipients, name="plan.xlsx"):
    sheets = default_sheets()
    sheets["Sändlista"] = recipients
    return write_workbook(tmp_path / name, sheets)


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env={"AKTIVITETSPLAN_SMTP_PASSWORD": None, **(env or {})})


def send_to(controller, workbook, *extra):
    return run("send", str(workbook), "--smtp-host", "127.0.0.1", "--smtp-port", str(controller.port),
               "--smtp-security", "none", "--from", "Kommunikation <plan@kommun.se>", *extra)


@pytest.mark.parametrize(("written", "name", "address"), [
    (ASA, "Åsa Ödmark", "asa.odmark@kommun.se"),
    ('"Ödmark, Åsa" <asa.odmark@kommun.se>', "Ödmark, Åsa", "asa.odmark@kommun.se"),
    ("asa.odmark@kommun.se (Åsa Ödmark)", "Åsa Ödmark", "asa.odmark@kommun.se"),
    ("Åsa Ödmark (asa.odmark@kommun.se)", "Åsa Ödmark", "asa.odmark@kommun.se"),
    ("  mailto:asa.odmark@kommun.se ", "", "asa.odmark@kommun.se"),
    ("<asa@bücher.se>", "", "asa@xn--bcher-kva.se"),
])
def test_one_rule_reads_an_address_as_people_write_it(written, name, address):
    found = read_address(written)
    assert found is not None and (found.name, found.address) == (name, address)
    assert envelope_address(written) == address  # the same rule for sending


@pytest.mark.parametrize("written", ["Åsa Ödmark asa@kommun.se", "asa@kommun.se, bo@kommun.se", "asa(at)kommun.se",
                                     "Åsa <asa@>", "<>", ""])
def test_what_is_no_single_address_is_refused(written):
    assert read_address(written) is None


def test_name_and_address_in_one_cell_are_accepted_by_check_send_and_paminn_alike(tmp_path, smtp_server):
    workbook = plan_with(tmp_path, [["Namn", "E-post"], ["", ASA], ["Bo Ek", "bo.ek@kommun.se"]])
    checked = run("check", str(workbook))
    assert checked.exit_code == 0, checked.output
    assert "Sändlista" not in checked.stderr
    controller, inbox = smtp_server()
    sent = send_to(controller, workbook)
    assert sent.exit_code == 0, sent.output
    [(sender, recipients, content)] = inbox.messages
    assert sender == "plan@kommun.se"
    assert recipients == ["asa.odmark@kommun.se", "bo.ek@kommun.se"]
    raw_to = next(line for line in content.decode("ascii").splitlines() if line.startswith("To:"))
    assert "=?utf-8?" in raw_to  # the names travel RFC 2047-encoded
    message = email.message_from_bytes(content, policy=email.policy.default)
    assert message["To"] == "Åsa Ödmark <asa.odmark@kommun.se>, Bo Ek <bo.ek@kommun.se>"
    assert message["From"] == "Kommunikation <plan@kommun.se>"
    # paminn reaches the owner written in Ansvarig as "Namn <adress>", and by the name in the cell.
    sheets = default_sheets()
    sheets["Sändlista"] = [["Namn", "E-post"], ["", ASA]]
    sheets["Aktiviteter"][2][2] = "2019-03-20"  # Nyhet på intranätet, not done, due in five days
    sheets["Aktiviteter"][2][4] = "Åsa Ödmark"
    reminded = run("paminn", str(write_workbook(tmp_path / "paminn.xlsx", sheets)), "--datum", "2019-03-15",
                   "--dry-run")
    assert reminded.exit_code == 0, reminded.output
    assert "asa.odmark@kommun.se" in reminded.stdout and "Hej Åsa!" in reminded.stdout


@pytest.mark.parametrize("header", ["E-postadress", "Epost", "Mejl", "E-mail", "Mailadress"])
def test_the_usual_names_of_the_e_mail_column_are_read(tmp_path, smtp_server, header):
    workbook = plan_with(tmp_path, [["Mottagare", header, "Funktion"], ["Anna Berg", "anna@kommun.se", "Nämnd"]])
    generated = run("generate", str(workbook), "-o", str(tmp_path / "plan.docx"))
    assert generated.exit_code == 0, generated.output
    assert "Sändlista" not in generated.stderr
    controller, inbox = smtp_server()
    sent = send_to(controller, workbook)
    assert sent.exit_code == 0, sent.output
    message = email.message_from_bytes(inbox.messages[0][2], policy=email.policy.default)
    assert message["To"] == "Anna Berg <anna@kommun.se>"


def test_a_sandlista_without_an_e_mail_column_warns_outside_send_and_blocks_send(tmp_path, smtp_server):
    workbook = plan_with(tmp_path, [["Namn", "Telefon"], ["Anna Berg", "070-123 45 67"]])
    target = tmp_path / "plan.docx"
    generated = run("generate", str(workbook), "-o", str(target))
    assert generated.exit_code == 0, generated.output
    assert target.exists()
    assert f"Varningar i {workbook}:" in generated.stderr
    assert 'Sändlista: rubriken "E-post" saknas' in generated.stderr
    checked = run("check", str(workbook))
    assert checked.exit_code == 0 and "inga fel, 1 varning." in checked.stdout
    controller, inbox = smtp_server()
    sent = send_to(controller, workbook)
    assert sent.exit_code == 1
    assert f"Fel i {workbook}:" in sent.stderr
    assert 'Sändlista: rubriken "E-post" saknas' in sent.stderr
    assert inbox.messages == []


def test_a_bad_address_in_sandlista_is_a_warning_for_generate_and_an_error_for_send(tmp_path, smtp_server):
    workbook = plan_with(tmp_path, [["Namn", "E-post"], ["Bo", "bo(at)kommun"]])
    generated = run("generate", str(workbook), "-o", str(tmp_path / "plan.docx"))
    assert generated.exit_code == 0
    assert 'Sändlista!B2: "bo(at)kommun" är ingen giltig e-postadress' in generated.stderr
    controller, inbox = smtp_server()
    assert send_to(controller, workbook).exit_code == 1
    assert inbox.messages == []


def test_a_bad_to_is_named_as_to_and_not_as_a_cell_of_the_workbook(tmp_path, smtp_server):
    workbook = plan_with(tmp_path, [["Namn", "E-post"], ["Anna", "anna@kommun.se"]])
    controller, inbox = smtp_server()
    result = send_to(controller, workbook, "--to", "eva(at)kommun.se", "--to", ASA)
    assert result.exit_code == 1
    assert result.stderr.strip() == ('--to: "eva(at)kommun.se" är ingen giltig e-postadress. Skriv adressen som '
                                     "namn@kommun.se eller Namn <namn@kommun.se>.")
    assert str(workbook) not in result.stderr
    assert inbox.messages == []
    good = send_to(controller, workbook, "--to", ASA)
    assert good.exit_code == 0, good.output
    message = email.message_from_bytes(inbox.messages[0][2], policy=email.policy.default)
    assert message["To"] == f"Anna <anna@kommun.se>, {ASA}"


def test_a_draft_carries_the_names_too(tmp_path):
    workbook = plan_with(tmp_path, [["Namn", "E-post"], ["Åsa Ödmark", "asa.odmark@kommun.se"]])
    draft = tmp_path / "utkast.eml"
    result = run("send", str(workbook), "--eml", str(draft))
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    assert message["To"] == ASA
