"""The sheet Målgrupper: read like the other sheets, and check's warnings about reach, names and channels."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ACTIVITY_HEADER, default_sheets, write_workbook
from generator.checks.core import check_plan
from generator.cli import main
from generator.plan.analysis import channel_matches
from generator.plan.model import Severity
from generator.workbook.reader import read_workbook

GROUP_HEADER = ["Målgrupp", "Prioritet", "Behöver veta", "Budskap", "Kanaler", "Kommentar"]
ACTIVITY = [*ACTIVITY_HEADER, "Målgrupp"]


def _plan(tmp_path, groups, activities, **extra):
    sheets = {**default_sheets(), "Målgrupper": [GROUP_HEADER, *groups], "Aktiviteter": [ACTIVITY, *activities]}
    sheets.update(extra)
    return read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))


def _messages(plan, prefix="Målgrupper"):
    return {f.place: f.message for f in check_plan(plan) if prefix in f.place or "målgrupp" in f.message}


def test_target_groups_are_read_with_their_cells(tmp_path):
    plan = _plan(tmp_path, [
        ["Politiker", "Primär", "Varför vi deltar", "Vi gör det enklare", "Möte; E-post", "Nämnderna"],
        ["Föreningar", 2, "Vad tjänsten gör", "", "Webb", ""],
    ], [["Möte", "", "Mars 2019", "Möte", "Anna", "", "Politiker"]])
    first, second = plan.target_groups
    assert (first.name.text, first.priority.text, first.needs.text, first.message.text, first.channels.text,
            first.comment.text) == ("Politiker", "Primär", "Varför vi deltar", "Vi gör det enklare", "Möte; E-post",
                                    "Nämnderna")
    assert first.name.cell == "Målgrupper!A2" and second.priority.text == "2" and second.row == 3
    assert plan.activities[0].target_groups.cell == "Aktiviteter!G2"


def test_hidden_rows_titles_and_aliases_as_on_other_sheets(tmp_path):
    def hide(workbook):
        workbook["Målgrupper"].row_dimensions[4].hidden = True

    sheets = {**default_sheets(), "Målgrupper": [
        ["Målgruppsanalys"],
        ["Målgrupp", "Vad behöver de veta", "Kanal", "Anteckning"],
        ["Politiker", "Varför", "Möte", "x"],
        ["Dold", "", "", ""],
    ]}
    plan = read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets, hide))
    assert [g.name.text for g in plan.target_groups] == ["Politiker"]
    assert plan.target_groups[0].needs.text == "Varför" and plan.target_groups[0].channels.text == "Möte"
    places = {f.place: f.message for f in plan.findings}
    assert places["Målgrupper!A4"] == "dold rad, tas inte med"
    assert places["Målgrupper!D2"].startswith('okänd kolumn "Anteckning"')


def test_unknown_name_suggests_the_closest(tmp_path):
    plan = _plan(tmp_path, [["Föreningar", "", "", "", "", ""], ["Politiker", "", "", "", "", ""]], [
        ["Möte", "", "Mars 2019", "Möte", "Anna", "", "föreningar; Förening"],
        ["Brev", "", "Mars 2019", "Post", "Bo", "", "Politiker, Astronauter"],
    ])
    findings = [f for f in check_plan(plan) if f.place in ("Aktiviteter!G2", "Aktiviteter!G3")]
    assert [(f.place, f.message, f.severity) for f in findings] == [
        ("Aktiviteter!G2", "målgruppen ”Förening” finns inte på bladet Målgrupper – menade du Föreningar?",
         Severity.WARNING),
        ("Aktiviteter!G3", "målgruppen ”Astronauter” finns inte på bladet Målgrupper", Severity.WARNING),
    ]


def test_unreached_group_and_primary_channels_without_activity(tmp_path):
    plan = _plan(tmp_path, [
        ["Politiker", "Primär", "", "", "Möte; E-post", ""],          # E-post has no activity for Politiker
        ["Föreningar", "1", "", "", "Möte, Mittköping.se", ""],       # both reached
        ["Invånare", "Sekundär", "", "", "Webb", ""],                  # reached by no activity
        ["Chefer", "Sekundär", "", "", "Intranät", ""],                # secondary: channels not checked
    ], [
        ["Nämndmöte", "", "Mars 2019", "Möte med ppt", "Anna", "", "Politiker"],
        ["Föreningsträff", "", "April 2019", "Möte och e-post", "Bo", "", "Föreningar"],
        ["Webbnyhet", "", "April 2019", "Mittköping.se", "Bo", "", "Föreningar; Chefer"],
        ["Mejl till chefer", "", "Maj 2019", "E-post", "Bo", "", "Chefer"],
    ])
    messages = _messages(plan)
    assert messages == {
        "Målgrupper!E2": "den primära målgruppen Politiker har ingen aktivitet i kanalen E-post",
        "Målgrupper!A4": "ingen aktivitet når målgruppen Invånare; skriv den i kolumnen Målgrupp på bladet "
                         "Aktiviteter",
    }


def test_priority_duplicates_and_missing_name(tmp_path):
    plan = _plan(tmp_path, [
        ["Politiker", "Hög", "", "", "", ""],
        ["politiker ", "", "", "", "", ""],
        ["", "Primär", "Något", "", "", ""],
    ], [["Möte", "", "Mars 2019", "Möte", "Anna", "", "Politiker"]])
    findings = {f.place: f for f in check_plan(plan)}
    assert findings["Målgrupper!B2"].message == "Prioritet ”Hög” förstås inte; skriv Primär, Sekundär eller 1–3"
    assert findings["Målgrupper!A3"].message.startswith("målgruppen politiker finns redan på Målgrupper!A2")
    assert findings["Målgrupper!A4"].message == "Målgrupp saknas" and findings["Målgrupper!A4"].is_error


def test_no_group_checks_without_target_groups(tmp_path):
    """An empty Målgrupper sheet (as init writes it) or none at all: names in Målgrupp are not checked."""
    plan = _plan(tmp_path, [], [["Möte", "", "Mars 2019", "Möte", "Anna", "", "Vem som helst"]])
    assert not [f for f in check_plan(plan) if "målgrupp" in f.message.lower()]


def test_check_cli_names_the_cells(tmp_path):
    sheets = {**default_sheets(), "Målgrupper": [GROUP_HEADER, ["Föreningar", "Primär", "", "", "Webb", ""]],
              "Aktiviteter": [ACTIVITY, ["Möte", "", "Mars 2019", "Möte", "Anna", "", "Förening"]]}
    path = write_workbook(tmp_path / "plan.xlsx", sheets)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "Aktiviteter!G2: målgruppen ”Förening” finns inte på bladet Målgrupper – menade du Föreningar?" \
        in result.output
    assert "Målgrupper!A2: ingen aktivitet når målgruppen Föreningar" in result.output


def test_channel_matching_rules():
    assert channel_matches("E-post", "Möte och e-post")
    assert channel_matches("e-post", "PM/E-post")
    assert channel_matches("Möte", "Möte/workshops")
    assert channel_matches("Mittköping.se", "Mittköping.se")
    assert channel_matches("Möte med chefer", "Möte")
    assert not channel_matches("Möte", "Möten")
    assert not channel_matches("Webb", "Webbinarium")
    assert not channel_matches("", "Möte")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_any_channel_text_matches_itself_or_has_no_words(text):
    assert channel_matches(text, text) or not any(ch.isalnum() for ch in text)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=40))
def test_any_malgrupp_text_gives_one_located_warning_per_unknown_name(text):
    from generator.checks.content import content_findings
    from generator.plan.model import Activity, Plan, TargetGroup, Value
    from generator.plan.values import normalize_name, split_names

    plan = Plan(source="plan.xlsx", date=Value("2019-03-15", "Plan!B3"),
                target_groups=(TargetGroup(2, Value("Föreningar", "Målgrupper!A2")),),
                activities=(Activity(2, Value("Möte", "Aktiviteter!A2"), time=Value("Mars 2019", "Aktiviteter!C2"),
                                     responsible=Value("Anna", "Aktiviteter!E2"),
                                     target_groups=Value(text, "Aktiviteter!G2")),))
    findings = content_findings(plan)
    unknown = [n for n in split_names(text) if normalize_name(n) != "föreningar"]
    assert len([f for f in findings if f.place == "Aktiviteter!G2"]) == len(unknown)
    assert all(not f.is_error for f in findings)
