"""aktivitetsplan paminn: one letter per owner, against a real SMTP server on loopback (aiosmtpd), and drafts."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ACTIVITY_HEADER, Inbox, default_sheets, write_workbook
from generator.cli import main

TODAY = "2019-03-15"
SUBJECT = "Påminnelse: dina aktiviteter i Aktivitetsplan – Testköping"


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def reminder_workbook(tmp_path, rows=None, recipients=None):
    sheets = default_sheets()
    sheets["Aktiviteter"] = [ACTIVITY_HEADER, *(rows if rows is not None else [
        ["Presentation på nämndmöte", "Politiker", "2019-03-20", "Möte", "Anna", "Ja"],       # done: never
        ["Nyhet på intranätet", "Alla", "2019-03-25", "Intranät", "Anna; Bo", ""],          # both, starting
        ["Affisch", "Invånare", "februari 2019", "Tryck", "bo andersson", ""],             # Bo, overdue
        ["Film", "Invånare", "maj 2019", "Webb", "Anna", ""],                              # too far ahead
        ["Enkät", "Alla", "vecka 12 2019", "Webb", "Kommunikatör", ""],                    # unmatched owner
        ["Blogg", "Alla", "snart", "Webb", "Anna", ""],                                    # unreadable Tid
        ["Pressmeddelande", "Media", "2019-03-29", "Press", "eva@testkoping.se", ""],       # address in Ansvarig
        ["Utställning", "Alla", "v. 9–10 2019", "Plats", "", ""],                          # overdue, no owner
    ])]
    sheets["Sändlista"] = recipients or [["Namn", "E-post", "Roll"], ["Anna", "anna@testkoping.se", "Nämnd"],
                                         ["Bo Andersson", "bo@testkoping.se", "Skolor"]]
    return write_workbook(tmp_path / "plan.xlsx", sheets)


def smtp_args(controller):
    return ["--smtp-host", "127.0.0.1", "--smtp-port", str(controller.port), "--smtp-security", "none",
            "--from", "plan@testkoping.se"]


def invoke(*args):
    return CliRunner().invoke(main, ["paminn", *args], env={"AKTIVITETSPLAN_SMTP_PASSWORD": None})


def letters(inbox):
    found = {}
    for _, recipients, content in inbox.messages:
        [address] = recipients
        message = email.message_from_bytes(content, policy=email.policy.default)
        found[address] = (message, message.get_body(("plain",)).get_content().replace("\r\n", "\n"))
    return found


def test_each_owner_gets_one_letter_with_their_activities(tmp_path, smtp_server):
    workbook = reminder_workbook(tmp_path)
    controller, inbox = smtp_server()
    result = invoke(str(workbook), "--datum", TODAY, *smtp_args(controller))
    assert result.exit_code == 0, result.output
    sent = letters(inbox)
    assert set(sent) == {"anna@testkoping.se", "bo@testkoping.se", "eva@testkoping.se"}
    assert len(inbox.messages) == 3  # one letter per owner
    for message, _ in sent.values():
        assert message["Subject"] == SUBJECT
        assert message["From"] == "plan@testkoping.se"
        assert not list(message.iter_attachments())

    anna = sent["anna@testkoping.se"][1]
    assert anna.startswith("Hej Anna!\n")
    assert "Börjar inom 14 dagar:\n- Nyhet på intranätet – börjar 25 mars 2019 (2019-03-25, Intranät)\n" in anna
    for absent in ("Presentation på nämndmöte", "Film", "Blogg", "Affisch", "Försenade"):
        assert absent not in anna

    bo = sent["bo@testkoping.se"][1]
    assert bo.startswith("Hej Bo!\n")
    assert "- Nyhet på intranätet – börjar 25 mars 2019" in bo
    assert ("Försenade – tiden har gått ut men aktiviteten är inte markerad som klar:\n"
            "- Affisch – skulle vara klar 28 februari 2019 (februari 2019, Tryck)\n") in bo

    eva = sent["eva@testkoping.se"][1]
    assert eva.startswith("Hej!\n") and "- Pressmeddelande – börjar 29 mars 2019" in eva

    assert "Skickat till anna@testkoping.se" in result.stdout
    assert "Aktiviteter!E6: ”Kommunikatör” finns inte med Namn och E-post i Sändlista" in result.stderr
    assert "Aktiviteter!C7: tiden ”snart” kan inte läsas" in result.stderr
    assert "Aktiviteter!E9: ”Utställning” har ingen Ansvarig" in result.stderr
    assert "Film" not in result.stderr  # not due: nothing to warn about


def test_the_window_of_days(tmp_path, smtp_server):
    rows = [["Idag", "", "2019-03-15", "", "Anna", ""], ["Sista dagen", "", "2019-03-22", "", "Anna", ""],
            ["Dagen efter", "", "2019-03-23", "", "Anna", ""], ["Igår", "", "2019-03-14", "", "Anna", ""],
            ["Pågår", "", "mars 2019", "", "Anna", ""], ["Länge sedan klar", "", "2018", "", "Anna", "x"]]
    workbook = reminder_workbook(tmp_path, rows)
    controller, inbox = smtp_server()
    result = invoke(str(workbook), "--datum", TODAY, "--dagar", "7", *smtp_args(controller))
    assert result.exit_code == 0, result.output
    [(_, text)] = letters(inbox).values()
    assert "Börjar inom 7 dagar:\n- Idag – börjar 15 mars 2019" in text
    assert "- Sista dagen – börjar 22 mars 2019" in text
    assert "- Igår – skulle vara klar 14 mars 2019" in text
    for absent in ("Dagen efter", "Pågår", "Länge sedan klar"):
        assert absent not in text


def test_dry_run_shows_the_letters_and_sends_nothing(tmp_path, smtp_server):
    workbook = reminder_workbook(tmp_path)
    controller, inbox = smtp_server()
    before = sorted(p.name for p in tmp_path.iterdir())
    result = invoke(str(workbook), "--datum", TODAY, "--dry-run", *smtp_args(controller))
    assert result.exit_code == 0, result.output
    assert inbox.messages == []
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert "Provkörning – inget skickas och inget skrivs." in result.stdout
    assert result.stdout.count(f"Ämne: {SUBJECT}") == 3
    assert "Till: bo@testkoping.se" in result.stdout and "- Affisch – skulle vara klar" in result.stdout


def test_eml_drafts_one_per_owner(tmp_path):
    workbook = reminder_workbook(tmp_path)
    result = invoke(str(workbook), "--datum", TODAY, "--eml", "utkast")
    assert result.exit_code == 0, result.output
    drafts = sorted((tmp_path / "utkast").iterdir())
    assert [p.name for p in drafts] == ["paminnelse-anna.eml", "paminnelse-bo-andersson.eml",
                                        "paminnelse-eva.eml"]
    message = email.message_from_bytes(drafts[1].read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert message["To"] == "Bo Andersson <bo@testkoping.se>" and message["Subject"] == SUBJECT
    assert "Affisch" in message.get_body(("plain",)).get_content()
    assert f"Skrev utkastet {Path('utkast') / 'paminnelse-anna.eml'} till anna@testkoping.se" in result.stdout


def test_first_name_finds_a_person_only_when_it_is_unambiguous(tmp_path):
    recipients = [["Namn", "E-post"], ["Bo Andersson", "bo@testkoping.se"], ["Bo Berg", "bo.berg@testkoping.se"],
                  ["Anna Ek", "anna@testkoping.se"]]
    rows = [["Nyhet", "", "2019-03-20", "", "Bo", ""], ["Film", "", "2019-03-20", "", "anna", ""]]
    result = invoke(str(reminder_workbook(tmp_path, rows, recipients)), "--datum", TODAY, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Till: anna@testkoping.se" in result.stdout and "Hej Anna!" in result.stdout
    assert "bo@testkoping.se" not in result.stdout and "bo.berg" not in result.stdout
    assert "Aktiviteter!E2: ”Bo” finns inte med Namn och E-post i Sändlista" in result.stderr


def test_a_refused_owner_is_reported_and_the_others_get_theirs(tmp_path, smtp_server):
    workbook = reminder_workbook(tmp_path)
    controller, inbox = smtp_server(Inbox(refuse={"bo@testkoping.se"}))
    result = invoke(str(workbook), "--datum", TODAY, *smtp_args(controller))
    assert result.exit_code == 1
    assert set(letters(inbox)) == {"anna@testkoping.se", "eva@testkoping.se"}
    assert "INTE skickat till bo@testkoping.se: 550" in result.stderr


def test_without_a_server_nothing_is_sent_and_the_message_says_what_to_do(tmp_path):
    result = invoke(str(reminder_workbook(tmp_path)), "--datum", TODAY)
    assert result.exit_code == 1
    assert "ingen e-postserver angiven" in result.stderr and "Traceback" not in result.output


def test_nobody_to_remind(tmp_path):
    rows = [["Film", "", "maj 2019", "", "Anna", ""]]
    result = invoke(str(reminder_workbook(tmp_path, rows)), "--datum", TODAY, "--dry-run")
    assert result.exit_code == 0
    assert "Ingen att påminna: inga aktiviteter börjar inom 14 dagar eller är försenade." in result.stdout


@pytest.mark.slow  # the installed command in new processes
def test_paminn_as_a_real_command(tmp_path):
    workbook = reminder_workbook(tmp_path)
    command = Path(sys.executable).parent / "aktivitetsplan"
    done = subprocess.run([str(command), "paminn", str(workbook), "--datum", TODAY, "--dry-run"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Ämne: Påminnelse: dina aktiviteter i") == 3


def test_without_datum_the_reference_day_is_today(tmp_path):
    soon = dt.date.today() + dt.timedelta(days=3)
    rows = [["Snart", "", soon.isoformat(), "", "Anna", ""], ["Om en månad", "", (soon + dt.timedelta(days=30))
                                                              .isoformat(), "", "Anna", ""]]
    result = invoke(str(reminder_workbook(tmp_path, rows)), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "- Snart – börjar" in result.stdout and "Om en månad" not in result.stdout


def plan_with_owner(owner: str):
    from generator.plan.model import Activity, Plan, Recipient, Value

    activity = Activity(2, Value("Film", "Aktiviteter!A2"), time=Value("2019-03-20", "Aktiviteter!C2"),
                        responsible=Value(owner, "Aktiviteter!E2"))
    recipients = (Recipient(2, Value("anna@testkoping.se", "Sändlista!B2"), Value("Anna Ek", "Sändlista!A2")),)
    return Plan("plan.xlsx", municipality=Value("Testköping"), date=Value("2019-03-15", date=dt.date(2019, 3, 15)),
                activities=(activity,), recipients=recipients)


@pytest.mark.parametrize(("owner", "address", "greeting"), [
    ("Eva Ek <eva@testkoping.se>", "eva@testkoping.se", "Hej Eva!"),
    ("Eva Ek (eva@testkoping.se)", "eva@testkoping.se", "Hej Eva!"),
    ("ANNA@testkoping.se", "ANNA@testkoping.se", "Hej Anna!"),
    ("  anna   EK ", "anna@testkoping.se", "Hej Anna!"),
    ("Anna", "anna@testkoping.se", "Hej Anna!"),
])
def test_owner_forms(owner, address, greeting):
    from generator.flows.reminding import plan_reminders

    [reminder], findings = plan_reminders(plan_with_owner(owner), dt.date(2019, 3, 15))
    assert findings == []
    assert reminder.address == address
    assert reminder.message.get_content().startswith(greeting + "\n")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_any_owner_text_gives_a_letter_to_a_valid_address_or_a_warning(owner):
    from generator.delivery.mail import envelope_address
    from generator.flows.reminding import plan_reminders

    reminders, findings = plan_reminders(plan_with_owner(owner), dt.date(2019, 3, 15))
    for reminder in reminders:
        assert envelope_address(reminder.address) == reminder.address
        assert "\n" not in reminder.message["To"] and "\n" not in reminder.message["Subject"]
    assert reminders or findings
    assert all(f.place == "Aktiviteter!E2" for f in findings)
