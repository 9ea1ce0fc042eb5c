"""aktivitetsplan send: against a real SMTP server on loopback (aiosmtpd), and drafts."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import ssl
import threading
from pathlib import Path

import pytest
import trustme
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner

from conftest import Inbox, default_sheets, free_port, write_workbook
from generator.cli import main
from generator.delivery.mail import upcoming
from generator.workbook.reader import read_workbook

# A send that succeeds archives a PDF/A copy made by LibreOffice (flows/send.py): such tests are marked
# libreoffice, so they are in the slow tier.


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """send writes out/<name>.docx beside the working folder: keep that out of the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def server(smtp_server):
    return smtp_server


@pytest.fixture
def workbook(tmp_path):
    sheets = default_sheets()
    sheets["Sändlista"] = [["Namn", "E-post", "Roll"], ["Anna", "anna@testkoping.se", "Nämnd"],
                           ["Bo", "bo@testkoping.se", "Skolor"]]
    return write_workbook(tmp_path / "plan.xlsx", sheets)


def invoke(*args, env=None):
    return CliRunner().invoke(main, ["send", *args], env={"AKTIVITETSPLAN_SMTP_PASSWORD": None, **(env or {})})


@pytest.mark.libreoffice
def test_sends_plan_to_the_list_with_summary_and_attachment(server, workbook, tmp_path):
    controller, inbox = server()
    output = tmp_path / "ut" / "plan.docx"
    result = invoke(str(workbook), "-o", str(output), "--to", "eva@testkoping.se", "--smtp-host", "127.0.0.1",
                    "--smtp-port", str(controller.port), "--smtp-security", "none", "--from", "plan@testkoping.se")
    assert result.exit_code == 0, result.output
    assert "Skickat till anna@testkoping.se" in result.stdout
    [(sender, recipients, content)] = inbox.messages
    assert sender == "plan@testkoping.se"
    assert recipients == ["anna@testkoping.se", "bo@testkoping.se", "eva@testkoping.se"]
    message = email.message_from_bytes(content, policy=email.policy.default)
    assert message["Subject"] == f"Aktivitetsplan – Testköping, uppdaterad {_today()}"
    text = message.get_body(("plain",)).get_content()
    assert "Planen har 3 aktiviteter, varav 1 är klar." in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "plan.docx"
    assert attachment.get_content_type().endswith("wordprocessingml.document")
    assert attachment.get_content() == output.read_bytes()


@pytest.mark.libreoffice
def test_to_only_overrides_the_list(server, workbook):
    controller, inbox = server()
    result = invoke(str(workbook), "--to", "eva@testkoping.se", "--to-only", "--smtp-host", "127.0.0.1",
                    "--smtp-port", str(controller.port), "--smtp-security", "none", "--from", "plan@testkoping.se")
    assert result.exit_code == 0, result.output
    assert inbox.messages[0][1] == ["eva@testkoping.se"]


@pytest.fixture
def tls(tmp_path):
    """A self-signed certificate authority: the server's TLS context and the CA file for the client."""
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    cafile = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(cafile))
    return server_context, cafile


@pytest.mark.libreoffice
def test_starttls_with_self_signed_certificate_and_login(server, workbook, tls):
    server_context, cafile = tls
    logins = []

    def authenticator(smtp_server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password, session.ssl is not None))
        return AuthResult(success=auth_data.password == b"hemligt", handled=False)

    controller, inbox = server(tls_context=server_context, require_starttls=True, authenticator=authenticator,
                               auth_required=True)
    result = invoke(str(workbook), "--smtp-host", "127.0.0.1", "--smtp-port", str(controller.port),
                    "--smtp-user", "plan@testkoping.se", "--smtp-cafile", str(cafile),
                    env={"AKTIVITETSPLAN_SMTP_PASSWORD": "hemligt"})
    assert result.exit_code == 0, result.output
    assert logins == [(b"plan@testkoping.se", b"hemligt", True)]
    assert inbox.messages[0][1] == ["anna@testkoping.se", "bo@testkoping.se"]

    untrusted = invoke(str(workbook), "--smtp-host", "127.0.0.1", "--smtp-port", str(controller.port),
                       "--smtp-user", "plan@testkoping.se", env={"AKTIVITETSPLAN_SMTP_PASSWORD": "hemligt"})
    assert untrusted.exit_code == 1
    assert "säker anslutning (TLS) misslyckades" in untrusted.stderr
    assert len(inbox.messages) == 1


def test_failed_login_sends_nothing(server, workbook, tls):
    server_context, cafile = tls
    controller, inbox = server(authenticator=lambda *a: AuthResult(success=False, handled=False), auth_required=True,
                               tls_context=server_context, require_starttls=True)
    result = invoke(str(workbook), "--smtp-host", "127.0.0.1", "--smtp-port", str(controller.port),
                    "--smtp-cafile", str(cafile), "--smtp-user", "plan@testkoping.se",
                    env={"AKTIVITETSPLAN_SMTP_PASSWORD": "fel"})
    assert result.exit_code == 1
    assert "inloggningen misslyckades för plan@testkoping.se (535" in result.stderr
    assert "Skickat" not in result.output
    assert inbox.messages == []


@pytest.mark.libreoffice
def test_rejected_recipient_is_reported_and_the_others_sent(server, workbook):
    controller, inbox = server(Inbox(refuse={"bo@testkoping.se"}))
    result = invoke(str(workbook), "--smtp-host", "127.0.0.1", "--smtp-port", str(controller.port),
                    "--smtp-security", "none", "--from", "plan@testkoping.se")
    assert result.exit_code == 1
    assert "Skickat till anna@testkoping.se" in result.stdout
    assert "Skickat till bo@testkoping.se" not in result.stdout
    assert "INTE skickat till bo@testkoping.se: 550 5.1.1 Mottagaren finns inte" in result.stderr
    assert inbox.messages[0][1] == ["anna@testkoping.se"]


def fake_server(behaviour):
    """A TCP server on loopback that misbehaves: greets then hangs up, or never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def serve():
        listener.settimeout(10)
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            if behaviour == "drop":
                connection.sendall(b"220 test ESMTP\r\n")
                connection.recv(1024)
                connection.close()
            else:
                stop.wait(10)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener, stop, thread


@pytest.mark.parametrize(("behaviour", "message"), [
    ("drop", "e-postservern stängde anslutningen; inget skickades"),
    ("silent", "e-postservern svarade inte inom 1 sekunder; inget skickades"),
])
def test_server_that_drops_or_hangs(workbook, behaviour, message):
    listener, stop, thread = fake_server(behaviour)
    port = listener.getsockname()[1]
    try:
        result = invoke(str(workbook), "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-security",
                        "none", "--from", "plan@testkoping.se", "--smtp-timeout", "1")
    finally:
        stop.set()
        thread.join(5)
        listener.close()
    assert result.exit_code == 1
    assert f"127.0.0.1:{port}: {message}" in result.stderr
    assert "Skickat" not in result.output


def test_connection_refused(workbook):
    port = free_port()
    result = invoke(str(workbook), "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-security", "none",
                    "--from", "plan@testkoping.se")
    assert result.exit_code == 1
    assert "anslutningen nekades" in result.stderr


def test_dry_run_prints_what_would_be_sent(workbook):
    result = invoke(str(workbook), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Till: anna@testkoping.se, bo@testkoping.se" in result.stdout
    assert f"Ämne: Aktivitetsplan – Testköping, uppdaterad {_today()}" in result.stdout
    assert "Bilaga: plan.docx" in result.stdout


def test_eml_draft_opens_ready_to_send(workbook, tmp_path):
    draft = tmp_path / "utkast.eml"
    result = invoke(str(workbook), "--eml", str(draft), "--to", "eva@testkoping.se")
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert message["To"] == "Anna <anna@testkoping.se>, Bo <bo@testkoping.se>, eva@testkoping.se"
    assert [a.get_filename() for a in message.iter_attachments()] == ["plan.docx"]


def test_the_letter_is_signed_with_the_senders_name(workbook, tmp_path):
    draft = tmp_path / "utkast.eml"
    result = invoke(str(workbook), "--eml", str(draft), "--from", "Åsa Ödmark <asa@testkoping.se>")
    assert result.exit_code == 0, result.output
    text = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default).get_body(("plain",)).get_content()
    assert text.rstrip().endswith("Vänliga hälsningar\nÅsa Ödmark")
    unsigned = invoke(str(workbook), "--dry-run", "--from", "asa@testkoping.se")  # an address alone: no name
    lines = unsigned.stdout.splitlines()
    after = lines.index("Vänliga hälsningar") + 1
    assert lines[after:after + 1] in ([], [""])


def test_invalid_address_is_a_located_finding(tmp_path):
    sheets = default_sheets()
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna@testkoping.se"], ["Bo", "bo@"]]
    result = invoke(str(write_workbook(tmp_path / "plan.xlsx", sheets)), "--dry-run")
    assert result.exit_code == 1
    assert 'Sändlista!B3: "bo@" är ingen giltig e-postadress' in result.stderr


def test_nobody_to_send_to_and_missing_settings(workbook, tmp_path):
    empty = write_workbook(tmp_path / "tom.xlsx", default_sheets())
    result = invoke(str(empty), "--dry-run")
    assert result.exit_code == 1
    assert "det finns ingen att skicka till" in result.stderr
    no_host = invoke(str(workbook), env={"AKTIVITETSPLAN_SMTP_HOST": None})
    assert no_host.exit_code == 1
    assert "ingen e-postserver angiven" in no_host.stderr
    no_password = invoke(str(workbook), "--smtp-host", "127.0.0.1", "--smtp-user", "plan@testkoping.se")
    assert no_password.exit_code == 1
    assert "AKTIVITETSPLAN_SMTP_PASSWORD" in no_password.stderr


def test_no_login_over_an_unencrypted_connection(server, workbook):
    controller, inbox = server()
    result = invoke(str(workbook), "--smtp-host", "127.0.0.1", "--smtp-port", str(controller.port),
                    "--smtp-security", "none", "--smtp-user", "plan@testkoping.se",
                    env={"AKTIVITETSPLAN_SMTP_PASSWORD": "hemligt"})
    assert result.exit_code == 1
    assert "lösenordet skulle skickas okrypterat" in result.stderr
    assert inbox.messages == []


def test_password_is_never_an_argument(workbook):
    result = invoke(str(workbook), "--smtp-password", "hemligt")
    assert result.exit_code == 2


def test_upcoming_activities_of_the_coming_month(tmp_path):
    sheets = default_sheets()
    sheets["Aktiviteter"] = [
        ["Aktivitet", "Tid", "Klar"],
        ["I mars", "Mars 2019", ""],
        ["I april", "april", ""],
        ["Klar i mars", "mars 2019", "ja"],
        ["Ett annat år", "Mars 2020", ""],
        ["Datum", dt.datetime(2019, 3, 20), ""],
        ["Hösten", "Höst 2019", ""],
    ]
    plan = read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    names = [a.activity.text for a in upcoming(plan, dt.date(2019, 3, 10))]
    assert names == ["I mars", "I april", "Datum"]


def _today() -> str:
    from generator.plan.values import long_date

    return long_date(dt.date.today())


# --- robustness: IDN, SMTPUTF8, headers, duplicates, nothing written before everything is valid --------------------

def smtp_args(controller):
    return ["--smtp-host", "127.0.0.1", "--smtp-port", str(controller.port), "--smtp-security", "none",
            "--from", "plan@testkoping.se"]


def folder_bytes(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def list_workbook(tmp_path, *rows, municipality="Testköping"):
    sheets = default_sheets()
    sheets["Plan"] = [["Kommun", municipality]]
    sheets["Sändlista"] = [["Namn", "E-post"], *rows]
    return write_workbook(tmp_path / "plan.xlsx", sheets)


@pytest.mark.libreoffice
def test_idn_domain_goes_out_in_idna_form(server, tmp_path):
    controller, inbox = server()
    workbook = list_workbook(tmp_path, ["Anna", "anna@höör.se"])
    result = invoke(str(workbook), *smtp_args(controller))
    assert result.exit_code == 0, result.output
    [(_, recipients, content)] = inbox.messages
    assert recipients == ["anna@xn--hr-fkaa.se"]
    message = email.message_from_bytes(content, policy=email.policy.default)
    assert message["To"] == "Anna <anna@xn--hr-fkaa.se>"
    draft = tmp_path / "utkast.eml"
    assert invoke(str(workbook), "--eml", str(draft)).exit_code == 0
    assert b"To: Anna <anna@xn--hr-fkaa.se>" in draft.read_bytes()


@pytest.mark.libreoffice
def test_non_ascii_local_part_needs_smtputf8(server, tmp_path):
    workbook = list_workbook(tmp_path, ["Anna", "anna@testkoping.se"], ["Björn", "björn@höör.se"])
    plain, plain_inbox = server(enable_SMTPUTF8=False)
    before = folder_bytes(tmp_path)
    refused = invoke(str(workbook), *smtp_args(plain))
    assert refused.exit_code == 1
    assert "Sändlista!B3: e-postservern" in refused.stderr
    assert "SMTPUTF8 saknas" in refused.stderr
    assert plain_inbox.messages == []
    assert folder_bytes(tmp_path) == before  # nothing sent, nothing written

    wide, wide_inbox = server(enable_SMTPUTF8=True)
    sent = invoke(str(workbook), *smtp_args(wide))
    assert sent.exit_code == 0, sent.output
    [(_, recipients, _)] = wide_inbox.messages
    assert recipients == ["anna@testkoping.se", "björn@xn--hr-fkaa.se"]
    draft = tmp_path / "utkast.eml"
    assert invoke(str(workbook), "--eml", str(draft)).exit_code == 0
    opened = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    assert opened["To"] == "Anna <anna@testkoping.se>, Björn <björn@xn--hr-fkaa.se>"


@pytest.mark.libreoffice
def test_line_breaks_never_reach_a_header(server, tmp_path):
    controller, inbox = server()
    workbook = list_workbook(tmp_path, ["Anna", "anna@testkoping.se"], municipality="Test\nköping\r\n kommun")
    result = invoke(str(workbook), *smtp_args(controller))
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(inbox.messages[0][2], policy=email.policy.default)
    assert message["Subject"] == f"Aktivitetsplan – Test köping kommun, uppdaterad {_today()}"


@pytest.mark.libreoffice
def test_the_same_address_in_any_case_gets_one_copy(server, tmp_path):
    controller, inbox = server()
    workbook = list_workbook(tmp_path, ["Anna", "Anna@Testkoping.se"], ["Anna igen", "anna@testkoping.se"])
    result = invoke(str(workbook), "--to", "ANNA@TESTKOPING.SE", *smtp_args(controller))
    assert result.exit_code == 0, result.output
    assert inbox.messages[0][1] == ["Anna@testkoping.se"]


def test_broken_list_is_a_warning_for_generate_and_check_an_error_for_send(tmp_path, server):
    workbook = list_workbook(tmp_path, ["Anna", "anna@testkoping.se"], ["Bo", "bo@"])
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(workbook)])
    assert checked.exit_code == 0, checked.output
    assert 'Varningar i' in checked.stderr and 'Sändlista!B3: "bo@" är ingen giltig e-postadress' in checked.stderr
    generated = runner.invoke(main, ["generate", str(workbook)])
    assert generated.exit_code == 0, generated.output
    assert 'Sändlista!B3: "bo@"' in generated.stderr
    earlier = tmp_path / "out" / "plan.docx"
    earlier.write_bytes(b"tidigare plan")
    before = folder_bytes(tmp_path)
    controller, inbox = server()
    sent = invoke(str(workbook), *smtp_args(controller))
    assert sent.exit_code == 1
    assert 'Fel i' in sent.stderr and 'Sändlista!B3: "bo@" är ingen giltig e-postadress' in sent.stderr
    assert "inget dokument skrevs" in sent.stderr
    assert folder_bytes(tmp_path) == before  # out/plan.docx byte for byte as it was
    assert inbox.messages == []


@pytest.mark.parametrize("missing", ["host", "sender", "password"])
def test_incomplete_settings_write_nothing(workbook, tmp_path, missing):
    args = {"host": ["--from", "plan@testkoping.se"],
            "sender": ["--smtp-host", "127.0.0.1"],
            "password": ["--smtp-host", "127.0.0.1", "--smtp-user", "plan@testkoping.se"]}[missing]
    before = folder_bytes(tmp_path)
    result = invoke(str(workbook), *args, env={"AKTIVITETSPLAN_SMTP_HOST": None, "AKTIVITETSPLAN_SMTP_FROM": None})
    assert result.exit_code == 1
    assert {"host": "ingen e-postserver angiven", "sender": "ingen avsändare angiven",
            "password": "lösenord saknas för plan@testkoping.se"}[missing] in result.stderr
    assert folder_bytes(tmp_path) == before


def test_dry_run_writes_nothing_at_all(workbook, tmp_path):
    before = folder_bytes(tmp_path)
    result = invoke(str(workbook), "--dry-run", "-o", str(tmp_path / "ut" / "plan.docx"))
    assert result.exit_code == 0, result.output
    assert "Bilaga: plan.docx (" in result.stdout
    assert folder_bytes(tmp_path) == before
    assert not (tmp_path / "ut").exists() and not (tmp_path / "out").exists()


def test_unreachable_server_leaves_the_earlier_document(workbook, tmp_path):
    earlier = tmp_path / "out" / "plan.docx"
    earlier.parent.mkdir()
    earlier.write_bytes(b"tidigare plan")
    result = invoke(str(workbook), "--smtp-host", "127.0.0.1", "--smtp-port", str(free_port()), "--smtp-security",
                    "none", "--from", "plan@testkoping.se")
    assert result.exit_code == 1
    assert earlier.read_bytes() == b"tidigare plan"


def test_draft_onto_an_input_is_refused(workbook, tmp_path):
    before = folder_bytes(tmp_path)
    result = invoke(str(workbook), "--eml", str(workbook))
    assert result.exit_code == 2
    assert "utkastet skulle skriva över arbetsboken" in result.stderr
    assert folder_bytes(tmp_path) == before


# --- the library's send flow, as the web page calls it -------------------------------------------------------------

@pytest.mark.libreoffice
def test_send_plan_modes(workbook, tmp_path, server):
    from generator.delivery.smtp import SmtpSettings
    from generator.flows.sending import send_plan
    from generator.plan.errors import MailError, OutputPathError

    before = folder_bytes(tmp_path)
    dry = send_plan(workbook, mode="dry-run", today=dt.date(2019, 3, 10))
    assert dry.report is None and dry.draft is None and dry.result.output is None
    assert dry.recipients == ("anna@testkoping.se", "bo@testkoping.se")
    assert [a.get_filename() for a in dry.message.iter_attachments()] == ["plan.docx"]
    assert folder_bytes(tmp_path) == before

    with pytest.raises(MailError, match="ingen e-postserver angiven"):
        send_plan(workbook, mode="send")
    with pytest.raises(OutputPathError):
        send_plan(workbook, mode="draft", draft_path=tmp_path / "out" / "plan.docx")
    assert folder_bytes(tmp_path) == before

    draft = send_plan(workbook, mode="draft", draft_path=tmp_path / "utkast.eml")
    assert draft.draft == tmp_path / "utkast.eml" and draft.result.output == Path("out") / "plan.docx"
    assert draft.draft.is_file() and draft.result.output.is_file()

    controller, inbox = server()
    settings = SmtpSettings(host="127.0.0.1", port=controller.port, security="none", sender="plan@testkoping.se")
    sent = send_plan(workbook, mode="send", settings=settings, to=["eva@testkoping.se"], to_only=True)
    assert sent.report is not None and sent.report.accepted == ("eva@testkoping.se",)
    assert inbox.messages[0][0] == "plan@testkoping.se"
