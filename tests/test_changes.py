"""What changed between two versions: in the document, in the terminal (diff), matched robustly."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ACTIVITY_HEADER, default_sheets, many_activities
from generator.cli import main
from generator.versions.changes import ActivityChange, Changes, FieldChange, activity_key, compare
from generator.versions.changes import _short_date as short_date
from generator.versions.docxpart import read_snapshot
from generator.versions.snapshot import Snapshot, plan_data

HEADING = "Ändringar sedan förra versionen"
# Matched by its key despite case and spacing; the text that changed is still told.
MEETING = ("Möte med FÖRENINGAR (Aktivitet: ”Möte med föreningar” → ”Möte med FÖRENINGAR”; "
           "Ansvarig: ”Cia” → ”Eva”; Tid: ”Maj 2019” → ”Juni 2019”)")


def changed_sheets():
    """The default plan a while later: one activity done, one renamed, one moved in time, one new, one gone."""
    sheets = default_sheets()
    sheets["Aktiviteter"] = [
        ACTIVITY_HEADER,
        ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "Bo", "Ja"],
        ["Möte med  FÖRENINGAR", "Föreningar får veta", "Juni 2019", "Möte", "Eva", "nej"],
        ["Film om bokning", "Visa hur man bokar", "Hösten 2019", "Youtube", "Cia", ""],
    ]
    sheets["Avsnitt"] = [*sheets["Avsnitt"], ["Uppföljning", "Vi följer upp i december."]]
    return sheets


def generate(workbook, output, *more):
    result = CliRunner().invoke(main, ["generate", str(workbook), "-o", str(output), *more])
    assert result.exit_code == 0, result.output
    return result


def test_two_generations_show_what_changed_in_the_document(make_workbook, tmp_path):
    workbook = make_workbook()
    output = tmp_path / "plan.docx"
    generate(workbook, output)
    first = [p.text for p in Document(str(output)).paragraphs]
    assert HEADING not in first

    make_workbook(changed_sheets())
    generate(workbook, output)
    document = Document(str(output))
    texts = [p.text for p in document.paragraphs]
    at = texts.index(HEADING)
    assert document.paragraphs[at].style.name == "Heading 1"
    assert texts.index("Bakgrund") > at  # before the plan's own sections
    assert texts[at + 1] == (f"Jämfört med version 1 från {short_date(dt.date.today())}: "
                             "1 ny aktivitet, 1 borttagen, 1 klar, 1 ändrad, 1 ändring i planens text.")
    section = texts[at + 2: texts.index("Bakgrund")]
    assert section == [
        "Nya aktiviteter", "Film om bokning",
        "Klara sedan förra versionen", "Nyhet på intranätet",
        "Ändrade aktiviteter", MEETING,
        "Borttagna aktiviteter", "Presentation på nämndmöte",
        "Ändrat i planen", "Nytt avsnitt: Uppföljning",
    ]
    bullets = [p for p in document.paragraphs[at + 2: at + 2 + len(section)] if p.style.name == "List Bullet"]
    assert [p.text for p in bullets] == section[1::2]
    toc = [p.text for p in document.paragraphs if p.style.name == "TOC 1"]
    assert toc and toc[0].startswith(HEADING)


def test_jamfor_compares_with_an_older_document(make_workbook, tmp_path):
    workbook = make_workbook()
    output = tmp_path / "plan.docx"
    generate(workbook, output)
    shutil.copy(output, tmp_path / "v1.docx")
    make_workbook(changed_sheets())
    generate(workbook, output)
    make_workbook(default_sheets())  # back to the first version's plan
    result = generate(workbook, output)
    assert "Version 3" in result.stdout
    texts = [p.text for p in Document(str(output)).paragraphs]
    assert "Film om bokning" in texts  # removed since version 2
    result = generate(workbook, output, "--jamfor", str(tmp_path / "v1.docx"))
    assert "Version" not in result.stdout
    assert read_snapshot(output).version == 1  # the plan is as in version 1
    assert HEADING not in [p.text for p in Document(str(output)).paragraphs]


def test_a_long_list_of_changes_is_counted_after_fifty_in_the_document(make_workbook, tmp_path):
    workbook = make_workbook()
    output = tmp_path / "plan.docx"
    generate(workbook, output)
    sheets = default_sheets()
    sheets["Aktiviteter"] = [*sheets["Aktiviteter"], *many_activities(120)]
    make_workbook(sheets)
    generate(workbook, output)
    texts = [p.text for p in Document(str(output)).paragraphs]
    at = texts.index("Nya aktiviteter")
    assert texts[at - 1].endswith(": 120 nya aktiviteter.")
    listed = texts[at + 1: at + 52]
    assert listed[:2] == ["Möte med föreningar 1", "Nyhet på intranätet & i nyhetsbrevet 2"]
    assert listed[49] == "Informationsbrevsutskicksplanering till alla bidragssökande 50"
    assert listed[50] == "… och 70 till"


def test_the_terminal_lists_every_change_and_the_document_one_more_rather_than_one_counted():
    changes = Changes(1, "2026-12-01", added=tuple(f"Aktivitet {n}" for n in range(1, 52)))
    assert changes.groups()[0]["rader"][-1] == "Aktivitet 51"
    assert len(changes.groups(50)[0]["rader"]) == 51  # "… och 1 till" would say no less than the name
    many = Changes(1, "2026-12-01", added=tuple(f"Aktivitet {n}" for n in range(1, 53)))
    assert many.groups(50)[0]["rader"][-2:] == ["Aktivitet 50", "… och 2 till"]
    assert len(many.terminal().splitlines()) == 2 + 1 + 52
    thousands = Changes(1, "2026-12-01", added=tuple(f"Aktivitet {n}" for n in range(1_200)))
    assert thousands.counts() == "1 200 nya aktiviteter"  # as "… och 1 150 till" under it
    assert thousands.groups(50)[0]["rader"][-1] == "… och 1 150 till"


@pytest.mark.slow  # the installed command in new processes
def test_diff_prints_the_same_in_the_terminal(make_workbook, tmp_path):
    workbook = make_workbook()
    generate(workbook, tmp_path / "plan.docx")
    later = make_workbook(changed_sheets(), name="senare.xlsx")
    done = subprocess.run([str(Path(sys.executable).parent / "aktivitetsplan"), "diff", str(tmp_path / "plan.docx"),
                           str(later)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Ändringar från plan.docx till senare.xlsx: 1 ny aktivitet, 1 borttagen, 1 klar, 1 ändrad, "
        "1 ändring i planens text.",
        "", "Nya aktiviteter:", "  - Film om bokning",
        "", "Klara sedan förra versionen:", "  - Nyhet på intranätet",
        "", "Ändrade aktiviteter:",
        f"  - {MEETING}",
        "", "Borttagna aktiviteter:", "  - Presentation på nämndmöte",
        "", "Ändrat i planen:", "  - Nytt avsnitt: Uppföljning",
    ]
    same = CliRunner().invoke(main, ["diff", str(later), str(later)])
    assert same.exit_code == 0 and same.stdout == "Ändringar från senare.xlsx till senare.xlsx: inga ändringar.\n"


def snapshot(*activities: tuple[str, bool], version: int = 1) -> Snapshot:
    plan = {"fields": {}, "sections": [], "columns": [], "target_groups": [],
            "activities": [{"row": i + 2, "done": done, "done_mark": "Ja" if done else "",
                            "fields": {"Aktivitet": name} if name else {}}
                           for i, (name, done) in enumerate(activities)]}
    return Snapshot(plan, version, "2026-03-12", "2026-03-12")


def test_a_renamed_activity_is_matched_by_similarity():
    changes = compare(snapshot(("Nyhet på intranätet", False), ("Film", False)),
                      snapshot(("Nyhet på intranätet i april", True), ("Film", False)))
    assert changes.added == () and changes.removed == ()
    assert changes.done == ("Nyhet på intranätet i april",)
    [renamed] = changes.changed
    assert renamed.fields[0].text() == "Aktivitet: ”Nyhet på intranätet” → ”Nyhet på intranätet i april”"


def test_repeated_names_pair_in_order_and_undone_is_a_change():
    changes = compare(snapshot(("Möte", True), ("Möte", False)), snapshot(("Möte", False), ("Möte", False)))
    assert changes.done == () and changes.added == ()
    assert [c.text() for c in changes.changed] == ["Möte (Klar: ”Ja” → (tom))"]


def test_the_letters_line():
    changes = Changes(1, "2026-03-12", added=("A", "B"), done=("C", "D", "E"))
    assert changes.one_line().startswith("2 nya aktiviteter, 3 klara sedan 12 mars")
    assert changes.one_line().endswith(": A, B, C …")
    assert Changes.from_data(changes.to_data()) == changes
    damaged = {"added": [1, "x"], "changed": [{"activity": "y", "fields": [["a", "b"], ["Tid", "maj", "juni"]]}, 3]}
    assert Changes.from_data(damaged) == Changes(0, "", added=("x",), changed=(
        ActivityChange("y", (FieldChange("Tid", "maj", "juni"),)),))
    assert Changes(1, "2025-01-02", removed=("A",)).one_line() == "1 borttagen sedan 2 januari 2025: A"


names = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(names, st.booleans()), max_size=8))
def test_a_plan_compared_with_itself_has_no_changes(activities):
    assert not compare(snapshot(*activities), snapshot(*activities))


@settings(max_examples=60, deadline=None)
@given(st.lists(names, max_size=6, unique_by=activity_key), st.lists(names, max_size=6, unique_by=activity_key))
def test_every_activity_is_accounted_for_once(before, after):
    changes = compare(snapshot(*((n, False) for n in before)), snapshot(*((n, False) for n in after)))
    matched = len(after) - len(changes.added)
    assert matched == len(before) - len(changes.removed)
    assert len(changes.changed) <= matched


@given(names, st.text(alphabet="abcåäöABCÅÄÖ ", max_size=20))
def test_key_ignores_case_spacing_and_punctuation(name, letters):
    assert activity_key(name) == activity_key(f"  {name} !")
    assert activity_key(letters.upper()) == activity_key(f"{letters.lower()}.")


def test_snapshot_of_a_plan_reads_every_column(make_workbook):
    from generator.workbook.reader import read_workbook

    plan = read_workbook(make_workbook(Aktiviteter=[[*ACTIVITY_HEADER, "Budget", "Målgrupp"],
                                                    ["Film", "Visa", "Maj", "Webb", "Eva", "Ja", "10 000", "Unga"]]))
    [activity] = plan_data(plan)["activities"]
    assert activity["fields"] == {"Aktivitet": "Film", "Syfte och målgrupp": "Visa", "Tid": "Maj", "Kanal": "Webb",
                                  "Ansvarig": "Eva", "Målgrupp": "Unga", "Budget": "10 000"}
    assert activity["done"] is True


def test_import_leaves_the_changes_section_out(make_workbook, tmp_path):
    from generator.importing import import_document
    from generator.workbook.reader import read_workbook

    workbook = make_workbook()
    output = tmp_path / "plan.docx"
    generate(workbook, output)
    make_workbook(changed_sheets())
    generate(workbook, output)
    target, _ = import_document(output, tmp_path / "importerad.xlsx", False)
    headings = [s.heading.text for s in read_workbook(target).sections]
    assert headings == ["Bakgrund", "Målgrupper", "Budskap", "Uppföljning"]
