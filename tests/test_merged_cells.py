"""Merged cells: the merged value counts for every row and column the merge spans."""

from __future__ import annotations

from conftest import ACTIVITY_HEADER, needs_calc, needs_libreoffice, resave_with_libreoffice, to_shared_strings
from generator.checks.core import load_plan
from generator.workbook.reader import read_workbook


def merge(*ranges, sheet="Aktiviteter"):
    def style(workbook):
        for ref in ranges:
            workbook[sheet].merge_cells(ref)
    return style


def test_owner_merged_over_three_rows_owns_three_activities(make_workbook, tmp_path):
    rows = [ACTIVITY_HEADER, ["Möte", "", "", "", "Anna", ""], ["Nyhet"], ["Film"], ["Enkät", "", "", "", "Bo"]]
    source = make_workbook(Aktiviteter=rows, style=merge("E2:E4"))
    for path in (source, to_shared_strings(source, tmp_path / "delade.xlsx")):
        plan = read_workbook(path)
        assert [(a.activity.text, a.responsible.text) for a in plan.activities] == [
            ("Möte", "Anna"), ("Nyhet", "Anna"), ("Film", "Anna"), ("Enkät", "Bo")]
        assert plan.activities[1].responsible.cell == "Aktiviteter!E3"


def test_merged_activity_cell_is_not_missing(make_workbook):
    rows = [ACTIVITY_HEADER, ["Kampanj", "Unga", "Mars"], [None, "Äldre", "April"]]
    plan, findings = load_plan(make_workbook(Aktiviteter=rows, style=merge("A2:A3")))
    assert [(a.activity.text, a.purpose.text) for a in plan.activities] == [
        ("Kampanj", "Unga"), ("Kampanj", "Äldre")]
    assert not any("Aktivitet saknas" in f.message for f in findings)


def test_merge_across_columns_fills_each_column(make_workbook):
    rows = [ACTIVITY_HEADER, ["Möte", "Politiker och tjänstemän", None, "Möte"]]
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=merge("B2:C2")))
    assert (plan.activities[0].purpose.text, plan.activities[0].time.text) == (
        "Politiker och tjänstemän", "Politiker och tjänstemän")


def test_row_whose_only_values_come_from_a_merge_above_is_not_a_new_activity(make_workbook):
    rows = [ACTIVITY_HEADER, ["Stor mässa", "Alla", "Maj"], [None, None, None, None, None, None]]

    def style(workbook):
        workbook["Aktiviteter"].merge_cells("A2:A3")
        workbook["Aktiviteter"]["F3"].value = None
        workbook["Aktiviteter"].row_dimensions[3].height = 30
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    assert [a.activity.text for a in plan.activities] == ["Stor mässa"]


def test_merged_header_names_only_its_first_column(make_workbook):
    rows = [["Aktivitet", None, "Tid", "Klar"], ["Möte", "Anteckning", "Maj", "Ja"]]
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=merge("A1:B1")))
    activity = plan.activities[0]
    assert (activity.activity.text, activity.time.text, activity.done) == ("Möte", "Maj", True)
    assert not any("finns redan" in f.message for f in plan.findings)


def test_merged_plan_value_and_section_text(make_workbook):
    def style(workbook):
        workbook["Plan"].merge_cells("B2:D2")
        workbook["Avsnitt"].merge_cells("B2:B3")
    plan = read_workbook(make_workbook(style=style))
    assert plan.municipality.text == "Testköping"
    assert [s.heading.text for s in plan.sections] == ["Bakgrund", "Målgrupper", "Budskap"]
    assert plan.sections[1].blocks[0].text == "Första stycket."


def test_merged_cell_in_a_hidden_row_still_spreads_to_shown_rows(make_workbook):
    rows = [ACTIVITY_HEADER, ["Möte", "", "", "", "Anna"], ["Nyhet"]]

    def style(workbook):
        workbook["Aktiviteter"].merge_cells("E2:E3")
        workbook["Aktiviteter"].row_dimensions[2].hidden = True
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    assert [(a.activity.text, a.responsible.text) for a in plan.activities] == [("Nyhet", "Anna")]


@needs_libreoffice
@needs_calc
def test_merged_cells_as_libreoffice_saves_them(make_workbook, tmp_path):
    rows = [["Vad", None, "När och hur"], ACTIVITY_HEADER, ["Möte", "", "", "", "Anna", ""], ["Nyhet"], ["Film"],
            [None, "Alla", "Juni"]]
    source = make_workbook(Aktiviteter=rows, style=merge("A1:B1", "C1:F1", "E3:E5", "A5:A6"))
    plan, findings = load_plan(resave_with_libreoffice(source, tmp_path))
    assert [(a.activity.text, a.responsible.text, a.time.text) for a in plan.activities] == [
        ("Möte", "Anna", ""), ("Nyhet", "Anna", ""), ("Film", "Anna", ""), ("Film", "", "Juni")]
    assert not [f for f in findings if f.is_error]


def test_merge_reaching_past_the_table_is_no_stray_value(make_workbook):
    rows = [ACTIVITY_HEADER, ["Möte", "", "", "", "", "Ja"]]
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=merge("F2:H2")))
    assert plan.activities[0].done
    assert plan.findings == ()


def test_a_merge_from_a_red_row_does_not_colour_the_row_below(make_workbook):
    from openpyxl.styles import Font

    rows = [ACTIVITY_HEADER, ["Möte", "Politiker", "Mars 2019", "Möte", "Anna", ""],
            ["Nyhet", "Alla", "April 2019", "Webb", None, ""], ["Film", "Unga", "Maj 2019", "Bio", None, ""]]

    def style(workbook):
        sheet = workbook["Aktiviteter"]
        for cell in sheet[2][:5]:  # the first activity coloured red by hand, as done
            cell.font = Font(color="FF0000")
        for cell in sheet[4][:5]:  # the third too: the merged Ansvarig above it is not red, and needs not be
            if cell.column != 5:
                cell.font = Font(color="FF0000")
        sheet.merge_cells("E2:E4")
    plan, findings = load_plan(make_workbook(Aktiviteter=rows, style=style))
    assert [(a.activity.text, a.responsible.text, a.done) for a in plan.activities] == [
        ("Möte", "Anna", True), ("Nyhet", "Anna", False), ("Film", "Anna", True)]
    assert not [f for f in findings if "delvis röd" in f.message]
