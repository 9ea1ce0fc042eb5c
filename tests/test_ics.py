"""--ics: the plan as an iCalendar file, parsed back with icalendar and a second parser, against RFC 5545's rules."""

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
from icalendar import Calendar

from conftest import ACTIVITY_HEADER, default_sheets, write_workbook
from generator.cli import main
from generator.delivery.ics import calendar_bytes
from generator.workbook.reader import read_workbook

STAMP = dt.datetime(2019, 3, 1, 9, 30, tzinfo=dt.timezone.utc)
LONG = ("Presentation om projektet på nämndmöte för förvaltningschefer och kommunikatörer i Mittköpings "
        "kommun, med övningar för de nämnder som ännu inte har börjat – även för Älvdalens skolområde")


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """generate writes out/<name>.docx beside the working folder: keep that out of the checkout."""
    monkeypatch.chdir(tmp_path)


def plan_sheets(*rows):
    sheets = default_sheets()
    sheets["Aktiviteter"] = [ACTIVITY_HEADER, *rows]
    return sheets


ROWS = [
    ["Presentation på nämndmöte", "Ge politiker information", dt.date(2019, 3, 20), "Möte", "Anna", "Ja"],
    ["Nyhet på intranätet", "Alla medarbetare", "april 2019", "Intranät", "Bo", ""],
    ["Möte med föreningar", "Föreningar får veta", "v. 12–14", "Möte", "Anna; Bo", "nej"],
    ["Löpande inlägg", "Invånare", "Hösten 2019 – pågående", "Facebook", "Cecilia", ""],
    [LONG, "Förvaltningschefer", "2019-05-15", "Möte", "Anna", ""],
    ["Enkät", "Alla", "när budgeten är klar", "Webb", "Bo", ""],
    ["Blogg", "Alla", "pågående", "Webb", "Bo", ""],
]


def ics_of(tmp_path, rows, name="plan.xlsx", stamp=STAMP):
    plan = read_workbook(write_workbook(tmp_path / name, plan_sheets(*rows)))
    return calendar_bytes(plan, stamp)


def events(data: bytes):
    calendar = Calendar.from_ical(data)
    return calendar, {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_one_all_day_event_per_dated_activity(tmp_path):
    calendar, found = events(ics_of(tmp_path, ROWS))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"].startswith("-//aktivitetsplan//")
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Aktivitetsplan – Testköping – Bokning och bidrag"
    # "när budgeten är klar" cannot be read, "pågående" alone has no start: no event for them
    assert set(found) == {"Presentation på nämndmöte", "Nyhet på intranätet", "Möte med föreningar",
                          "Löpande inlägg", " ".join(LONG.split())}
    days = {name: (e.decoded("DTSTART"), e.decoded("DTEND")) for name, e in found.items()}
    assert days["Presentation på nämndmöte"] == (dt.date(2019, 3, 20), dt.date(2019, 3, 21))
    assert days["Nyhet på intranätet"] == (dt.date(2019, 4, 1), dt.date(2019, 5, 1))
    assert days["Möte med föreningar"] == (dt.date(2019, 3, 18), dt.date(2019, 4, 8))  # year from Datum
    assert days["Löpande inlägg"] == (dt.date(2019, 8, 1), dt.date(2019, 8, 2))  # open end: the start day
    for event in found.values():
        assert type(event.decoded("DTSTART")) is dt.date and type(event.decoded("DTEND")) is dt.date
        assert event.decoded("DTSTAMP") == STAMP
        assert event["STATUS"] == "CONFIRMED"
        assert event["TRANSP"] == "TRANSPARENT"
    assert found["Presentation på nämndmöte"]["CATEGORIES"].cats == ["Klar"]
    assert found["Nyhet på intranätet"]["CATEGORIES"].cats == ["Planerad"]
    description = str(found["Möte med föreningar"]["DESCRIPTION"])
    assert description.splitlines() == ["Syfte: Föreningar får veta", "Kanal: Möte", "Ansvarig: Anna; Bo",
                                        "Tid: v. 12–14", "Status: Planerad"]
    assert "Pågående" in str(found["Löpande inlägg"]["DESCRIPTION"])


def test_rfc5545_rules_outlook_and_thunderbird_are_strict_about(tmp_path):
    data = ics_of(tmp_path, ROWS)
    assert data.count(b"\n") == data.count(b"\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    physical = data.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75  # octets, not characters
    for line in physical:
        line.decode("utf-8")  # folding never splits a character's bytes
    assert sum(line.startswith(b"DTSTART;VALUE=DATE:") for line in physical) == 5
    assert sum(line.startswith(b"DTEND;VALUE=DATE:") for line in physical) == 5
    assert sum(line.startswith(b"DTSTAMP:") and line.endswith(b"Z") for line in physical) == 5
    assert not any(line.startswith(b"DURATION") for line in physical)
    unfolded = data.replace(b"\r\n ", b"")
    summary = "SUMMARY:" + " ".join(LONG.split()).replace(",", "\\,")  # TEXT escapes its commas
    assert summary.encode() in unfolded.split(b"\r\n")
    assert len(summary.encode()) > 150 and summary.encode() not in physical  # it was folded
    uids = [line for line in unfolded.split(b"\r\n") if line.startswith(b"UID:")]
    assert len(uids) == len(set(uids)) == 5


def test_a_second_independent_parser_reads_it(tmp_path):
    from ical.calendar_stream import IcsCalendarStream

    calendar = IcsCalendarStream.calendar_from_ics(ics_of(tmp_path, ROWS).decode("utf-8"))
    by_name = {e.summary: e for e in calendar.events}
    assert len(by_name) == 5
    meeting = by_name["Möte med föreningar"]
    assert (meeting.dtstart, meeting.dtend) == (dt.date(2019, 3, 18), dt.date(2019, 4, 8))
    assert meeting.categories == ["Planerad"]
    assert by_name[" ".join(LONG.split())].summary == " ".join(LONG.split())


def test_uids_stay_the_same_across_versions(tmp_path):
    first = {str(e["SUMMARY"]): e for e in Calendar.from_ical(ics_of(tmp_path, ROWS, "v1.xlsx")).walk("VEVENT")}
    edited = [list(row) for row in ROWS]
    edited[1][2] = "maj 2019"  # moved
    edited[1][5] = "Ja"  # and done
    edited[2][0] = "  möte MED  föreningar "  # case and spacing do not matter
    edited.insert(0, ["Ny aktivitet först", "", "juni 2019", "", "", ""])
    edited[4][0] = "Presentation på nämndmöte i april"  # renamed: a new event
    later = STAMP + dt.timedelta(days=30)
    second = {str(e["SUMMARY"]): e for e in
              Calendar.from_ical(ics_of(tmp_path, edited, "v2.xlsx", later)).walk("VEVENT")}
    assert second["Nyhet på intranätet"]["UID"] == first["Nyhet på intranätet"]["UID"]
    assert second["Nyhet på intranätet"].decoded("DTSTART") == dt.date(2019, 5, 1)
    assert second["Nyhet på intranätet"]["CATEGORIES"].cats == ["Klar"]
    assert second["möte MED föreningar"]["UID"] == first["Möte med föreningar"]["UID"]
    assert second["Presentation på nämndmöte i april"]["UID"] not in {e["UID"] for e in first.values()}
    assert second["Ny aktivitet först"]["UID"] not in {e["UID"] for e in first.values()}
    # a later export is a newer version of each event, so importing it again updates
    assert second["Nyhet på intranätet"]["SEQUENCE"] > first["Nyhet på intranätet"]["SEQUENCE"]


def test_same_activity_twice_and_other_kommun_get_their_own_uids(tmp_path):
    rows = [["Nyhetsbrev", "", "mars 2019", "", "", ""], ["Nyhetsbrev", "", "maj 2019", "", "", ""]]
    twice = [str(e["UID"]) for e in Calendar.from_ical(ics_of(tmp_path, rows)).walk("VEVENT")]
    assert len(set(twice)) == 2 and twice[1] == twice[0].replace("@", "-2@")
    sheets = plan_sheets(*rows)
    sheets["Plan"][1] = ["Kommun", "Annanstad"]
    other = calendar_bytes(read_workbook(write_workbook(tmp_path / "annan.xlsx", sheets)), STAMP)
    assert not {str(e["UID"]) for e in Calendar.from_ical(other).walk("VEVENT")} & set(twice)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=300))
def test_any_activity_text_survives_folding(tmp_path_factory, text):
    from generator.plan.model import Activity, Plan, Value

    activity = Activity(2, Value(text), time=Value("2019-03-01", date=dt.date(2019, 3, 1)))
    plan = Plan("x.xlsx", municipality=Value("Testköping"), date=Value("2019"), activities=(activity,))
    data = calendar_bytes(plan, STAMP)
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == " ".join(text.split())


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_generate_writes_the_calendar_beside_the_document(tmp_path):
    workbook = write_workbook(tmp_path / "plan.xlsx", plan_sheets(*ROWS))
    result = invoke("generate", str(workbook), "--ics", "kalender/plan")
    assert result.exit_code == 0, result.output
    target = tmp_path / "kalender" / "plan.ics"
    assert f"Skrev {Path('kalender/plan.ics')} (5 av 7 aktiviteter i kalendern)" in result.stdout
    assert (tmp_path / "out" / "plan.docx").exists()
    assert len(Calendar.from_ical(target.read_bytes()).walk("VEVENT")) == 5
    assert "Aktiviteter!C7: ”Enkät” kommer inte med i kalendern" in result.stderr
    assert "Aktiviteter!C8: ”Blogg” kommer inte med i kalendern" in result.stderr


def test_the_calendar_never_lands_on_an_input_or_another_output(tmp_path):
    workbook = write_workbook(tmp_path / "plan.xlsx", plan_sheets(*ROWS))
    before = workbook.read_bytes()
    (tmp_path / "länk.ics").symlink_to(workbook)
    onto_workbook = invoke("generate", str(workbook), "--ics", "länk.ics")
    assert onto_workbook.exit_code == 2 and "kalenderfilen skulle skriva över arbetsboken" in onto_workbook.output
    sheets = plan_sheets(*ROWS)
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna@testkoping.se"]]
    listed = write_workbook(tmp_path / "lista.xlsx", sheets)
    onto_draft = invoke("send", str(listed), "--eml", "brev.ics", "--ics", "brev.ics")
    assert onto_draft.exit_code == 2 and "skulle bli samma fil" in onto_draft.output
    wrong = invoke("generate", str(workbook), "--ics", "plan.xlsx")
    assert wrong.exit_code == 2 and "ska sluta på .ics" in wrong.output
    many = invoke("generate", str(workbook), str(workbook), "--ics", "a.ics")
    assert many.exit_code == 2 and "--ics" in many.output
    assert workbook.read_bytes() == before
    assert not (tmp_path / "out").exists()
    folder = invoke("generate", str(workbook), "--ics", "kal/")
    assert folder.exit_code == 0 and (tmp_path / "kal" / "plan.ics").exists()


@pytest.mark.slow  # the installed command in new processes
def test_generate_with_ics_as_a_real_command(tmp_path):
    workbook = write_workbook(tmp_path / "plan.xlsx", plan_sheets(*ROWS))
    command = Path(sys.executable).parent / "aktivitetsplan"
    done = subprocess.run([str(command), "generate", str(workbook), "--ics", "plan.ics"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Skrev plan.ics (5 av 7 aktiviteter i kalendern)" in done.stdout
    assert Calendar.from_ical((tmp_path / "plan.ics").read_bytes())["METHOD"] == "PUBLISH"


@pytest.mark.libreoffice  # a real send archives a PDF/A copy made by LibreOffice
def test_send_attaches_the_calendar_as_text_calendar(tmp_path, smtp_server):
    sheets = plan_sheets(*ROWS)
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna@testkoping.se"]]
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets)
    controller, inbox = smtp_server()
    result = invoke("send", str(workbook), "--ics", "plan.ics", "--smtp-host", "127.0.0.1", "--smtp-port",
                    str(controller.port), "--smtp-security", "none", "--from", "plan@testkoping.se")
    assert result.exit_code == 0, result.output
    [(_, _, content)] = inbox.messages
    message = email.message_from_bytes(content, policy=email.policy.default)
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attachments) == {"plan.docx", "plan.ics"}
    calendar_part = attachments["plan.ics"]
    assert calendar_part.get_content_type() == "text/calendar"
    assert calendar_part.get_param("method") == "PUBLISH"
    assert calendar_part.get_content().encode("utf-8") == (tmp_path / "plan.ics").read_bytes()
    assert "kalender (.ics)" in message.get_body(("plain",)).get_content()


def test_send_dry_run_lists_the_calendar_and_writes_nothing(tmp_path):
    sheets = plan_sheets(*ROWS)
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna@testkoping.se"]]
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets)
    result = invoke("send", str(workbook), "--ics", "plan.ics", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Bilaga: plan.ics" in result.stdout
    assert not (tmp_path / "plan.ics").exists()


def test_a_plan_without_any_dated_activity_writes_no_calendar(tmp_path):
    workbook = write_workbook(tmp_path / "plan.xlsx", plan_sheets(["Blogg", "", "pågående", "", "", ""]))
    result = invoke("generate", str(workbook), "--ics", "plan.ics")
    assert result.exit_code == 0, result.output
    assert "--ics: ingen aktivitet har en tid som kan läsas, så kalenderfilen skrevs inte" in result.stderr
    assert not (tmp_path / "plan.ics").exists() and "plan.ics" not in result.stdout
