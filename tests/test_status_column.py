"""A Status column ("Klar", "Pågår") read as Klar: done, not done or cancelled, and no contradictory warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill

from conftest import default_sheets, needs_calc, needs_libreoffice, resave_with_libreoffice, write_workbook
from generator.checks.core import check_plan
from generator.cli import main
from generator.flows.reminding import due_activities
from generator.importing import import_document
from generator.plan.values import is_cancelled, parse_done
from generator.workbook.reader import read_workbook

STATUS_HEADER = ["Aktivitet", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig", "Status"]
# A kommun's own plan: a Status column, finished rows painted red by conditional formatting.
STATUS_ROWS = [
    STATUS_HEADER,
    ["Presentation på nämndmöte", "Politiker", "januari 2019", "Möte", "Anna", "Klar"],
    ["Nyhet på intranätet", "Alla medarbetare", "februari 2019", "Intranät", "Anna", "Pågår"],
    ["Mässa på torget", "Invånare", "februari 2019", "Mässa", "Anna", "Avbruten"],
    ["Film om bokning", "Föreningar", "maj 2019", "Webb", "Anna", "Ej påbörjad"],
    ["Affisch", "Invånare", "januari 2019", "Tryck", "Anna", "Gjord"],
]
RED_FILL = PatternFill(bgColor="FFFF0000")


def status_workbook(tmp_path, rule=None, rows=STATUS_ROWS, name="plan.xlsx"):
    """The plan with a Status column; rule(sheet) adds conditional formatting as the user did."""
    sheets = {**default_sheets(), "Aktiviteter": rows,
              "Sändlista": [["Namn", "E-post"], ["Anna", "anna@testkoping.se"]]}

    def style(workbook):
        if rule is not None:
            rule(workbook["Aktiviteter"])
    return write_workbook(tmp_path / name, sheets, style)


def whole_row_red_on_klar(sheet):
    """Home > Conditional formatting > New rule > formula =$F2="Klar", red fill, applied to A2:F41."""
    sheet.conditional_formatting.add("A2:F41", FormulaRule(formula=['$F2="Klar"'], fill=RED_FILL))


def messages(findings):
    return [str(f) for f in findings]


@pytest.mark.parametrize(("text", "done", "cancelled"), [
    ("Klar", True, False), ("klart", True, False), ("Gjord", True, False), ("Färdig", True, False),
    ("Avslutad", True, False), ("Genomförd", True, False),
    ("Pågår", False, False), ("Ej påbörjad", False, False), ("Inte  påbörjad", False, False),
    ("Planerad", False, False), ("Försenad", False, False),
    ("Avbruten", False, True), ("Inställd", False, True), ("Ej aktuell", False, True),
])
def test_status_words_have_one_meaning(text, done, cancelled):
    assert parse_done(text) is done
    assert is_cancelled(text) is cancelled


def test_status_column_marks_done_with_no_unknown_column(tmp_path):
    plan = read_workbook(status_workbook(tmp_path, whole_row_red_on_klar))
    assert [a.done for a in plan.activities] == [True, False, False, False, True]
    assert [a.cancelled for a in plan.activities] == [False, False, True, False, False]
    assert plan.extra_columns == ()
    findings = messages(check_plan(plan))
    assert not [f for f in findings if "okänd kolumn" in f or "förstås inte" in f or "villkorsstyrd" in f], findings


def test_check_says_nothing_about_the_status_column(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    workbook = status_workbook(tmp_path, whole_row_red_on_klar)
    result = CliRunner().invoke(main, ["check", str(workbook)])
    assert result.exit_code == 0, result.output
    assert "Status" not in result.output and "villkorsstyrd" not in result.output
    assert "5 aktiviteter, 2 klara" in result.output


def test_paminn_leaves_out_finished_and_cancelled_work(tmp_path):
    plan = read_workbook(status_workbook(tmp_path, whole_row_red_on_klar))
    due, _ = due_activities(plan, dt.date(2019, 3, 15))
    assert [d.activity.activity.text for d in due] == ["Nyhet på intranätet"]  # Pågår, and its month is over


def test_paminn_reminds_only_of_unfinished_work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    workbook = status_workbook(tmp_path, whole_row_red_on_klar)
    result = CliRunner().invoke(main, ["paminn", str(workbook), "--datum", "2019-03-15", "--dry-run"],
                                env={"AKTIVITETSPLAN_SMTP_PASSWORD": None})
    assert result.exit_code == 0, result.output
    assert "Nyhet på intranätet" in result.stdout
    for finished in ("Presentation på nämndmöte", "Affisch", "Mässa på torget"):
        assert finished not in result.stdout


def test_a_rule_on_the_status_cells_only_is_not_warned(tmp_path):
    def rule(sheet):
        sheet.conditional_formatting.add("F2:F41", CellIsRule(operator="equal", formula=['"Klar"'], fill=RED_FILL))
    assert read_workbook(status_workbook(tmp_path, rule)).findings == ()


def test_red_formatting_that_reads_another_column_is_still_warned(tmp_path):
    """Red for late, not for done: the rule reads Tid as well, so red from it is not Klar."""
    def rule(sheet):
        sheet.conditional_formatting.add(
            "A2:F41", FormulaRule(formula=['AND($F2<>"Klar",$C2<TODAY())'], font=Font(color="FFC00000")))
    assert [f.place for f in read_workbook(status_workbook(tmp_path, rule)).findings] == ["Aktiviteter!A2:F41"]


def test_partly_red_row_that_klar_marks_done_is_not_warned(tmp_path):
    rows = [STATUS_ROWS[0], ["Möte", "Politiker", "maj 2019", "Möte", "Anna", "Klar"],
            ["Nyhet", "Alla", "maj 2019", "Intranät", "Bo", ""]]

    def paint(sheet):
        for row in (2, 3):
            for column in "AB":
                sheet[f"{column}{row}"].font = Font(color="FFFF0000")
    plan = read_workbook(status_workbook(tmp_path, paint, rows))
    assert [a.done for a in plan.activities] == [True, False]
    assert [f.place for f in plan.findings] == ["Aktiviteter!A3"]  # only the row Klar does not mark


@pytest.mark.parametrize("status_first", [False, True])
def test_beside_a_klar_column_status_is_a_column_of_its_own(tmp_path, status_first):
    """Klar by its own name is read; a Status beside it (often a formula on Klar) goes to the template as before."""
    header = [*STATUS_HEADER[:5], "Klar", "Status"]
    row = ["Möte", "Politiker", "maj 2019", "Möte", "Anna", "Ja", "Pågår"]
    if status_first:
        header, row = [header[6], *header[:6]], [row[6], *row[:6]]
    plan = read_workbook(status_workbook(tmp_path, rows=[header, row]))
    [activity] = plan.activities
    assert activity.done and dict(activity.extra)["Status"].text == "Pågår"
    klar, status = ("G", "A") if status_first else ("F", "G")
    assert messages(plan.findings) == [f'Aktiviteter!{status}1: kolumnen "Status" läses inte som Klar, eftersom '
                                       f'kolumnen Klar finns ({klar}); den lämnas till mallen som ovrigt["Status"]']


def test_two_klar_columns_read_the_first(tmp_path):
    rows = [[*STATUS_HEADER[:5], "Klar", "Klar"], ["Möte", "Politiker", "maj 2019", "Möte", "Anna", "", "Ja"]]
    plan = read_workbook(status_workbook(tmp_path, rows=rows))
    assert messages(plan.findings) == ['Aktiviteter!G1: kolumnen "Klar" finns redan i kolumn F; den här används inte']
    assert not plan.activities[0].done


@pytest.mark.slow
@needs_libreoffice
@needs_calc
def test_status_column_with_conditional_formatting_as_calc_saves_it(tmp_path):
    saved = resave_with_libreoffice(status_workbook(tmp_path, whole_row_red_on_klar), tmp_path)
    plan = read_workbook(saved)
    assert [a.done for a in plan.activities] == [True, False, False, False, True]
    assert [a.cancelled for a in plan.activities] == [False, False, True, False, False]
    assert messages(check_plan(plan)) == [], "a Status column with its red rule needs no warning"


def test_a_word_plan_with_a_status_column_imports_as_the_reader_reads_it(tmp_path):
    """import and the reader share the schema's names and the one done rule: Status is Klar in both."""
    document = Document()
    document.add_heading("Aktivitetsplan – Testköping", 0)
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["Aktivitet", "Tid", "Ansvarig", "Status"]):
        cell.text = text
    for row in (["Presentation", "januari 2019", "Anna", "Klar"], ["Nyhet", "februari 2019", "Bo", "Pågår"],
                ["Mässa", "mars 2019", "Cia", "Avbruten"]):
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    source = tmp_path / "plan.docx"
    document.save(str(source))
    target, _ = import_document(source, tmp_path / "plan.xlsx", False)
    plan = read_workbook(target)
    assert [(a.activity.text, a.done, a.cancelled) for a in plan.activities] == [
        ("Presentation", True, False), ("Nyhet", False, False), ("Mässa", False, True)]
    assert not [f for f in check_plan(plan) if "Klar" in f.message]
