"""Excel Tables (ListObjects): the table's header row is the header, its totals row is no activity."""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from conftest import ACTIVITY_HEADER, needs_calc, needs_libreoffice, resave_with_libreoffice, to_shared_strings
from generator.workbook.reader import read_workbook

ROWS = [
    ["Aktivitetsplan 2019"],
    ["Aktivitet", "Tid", "Ansvarig", "Klar"],
    ["Möte", "Maj", "Anna", "Ja"],
    ["Nyhet", "Juni", "Bo", ""],
    ["Antal", None, None, 1],
]


def add_table(ref, header_rows=1, totals_rows=0, names=("Aktivitet", "Tid", "Ansvarig", "Klar"), red_totals=False):
    def style(workbook):
        sheet = workbook["Aktiviteter"]
        table = Table(displayName="Plan2019", ref=ref, headerRowCount=header_rows,
                      tableStyleInfo=TableStyleInfo(name="TableStyleMedium2", showRowStripes=True))
        table.tableColumns = [TableColumn(id=i + 1, name=name) for i, name in enumerate(names)]
        if totals_rows:
            table.totalsRowCount = totals_rows
        sheet.add_table(table)
        if red_totals:
            for cell in sheet[5]:
                cell.font = Font(color="FF0000", bold=True)
    return style


def test_totals_row_is_not_an_activity(make_workbook, tmp_path):
    source = make_workbook(Aktiviteter=ROWS, style=add_table("A2:D5", totals_rows=1, red_totals=True))
    for path in (source, to_shared_strings(source, tmp_path / "delade.xlsx")):
        plan = read_workbook(path)
        assert [a.activity.text for a in plan.activities] == ["Möte", "Nyhet"]
        assert plan.done_count == 1
        assert not [f for f in plan.findings if f.is_error]


def test_table_header_row_is_the_header_even_below_a_busier_row(make_workbook):
    rows = [["Aktivitet", "Tid", "Ansvarig", "Klar", "Kanal"], *ROWS[1:4]]
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=add_table("A2:D4")))
    assert [a.activity.text for a in plan.activities] == ["Möte", "Nyhet"]
    assert plan.activities[0].activity.cell == "Aktiviteter!A3"


def test_table_without_header_row_takes_names_from_table_columns(make_workbook):
    rows = [["Att göra i vår"], ["Möte", "Maj", "Anna", "Ja"], ["Nyhet", "Juni", "Bo", ""]]
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=add_table("A2:D3", header_rows=0)))
    assert [(a.activity.text, a.time.text, a.done) for a in plan.activities] == [
        ("Möte", "Maj", True), ("Nyhet", "Juni", False)]


def test_table_to_the_right_and_rows_below_it(make_workbook):
    rows = [[None, *r] for r in [ACTIVITY_HEADER, ["Möte", "", "Maj"], ["Nyhet", "", "Juni"], ["Efter tabellen"]]]

    def style(workbook):
        sheet = workbook["Aktiviteter"]
        table = Table(displayName="T1", ref="B1:G3")
        table.tableColumns = [TableColumn(id=i + 1, name=n) for i, n in enumerate(ACTIVITY_HEADER)]
        sheet.add_table(table)
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    assert [a.activity.text for a in plan.activities] == ["Möte", "Nyhet", "Efter tabellen"]
    assert plan.activities[1].time.cell == "Aktiviteter!D3"


def test_other_table_on_the_sheet_does_not_take_over(make_workbook):
    rows = [ACTIVITY_HEADER, ["Möte"], ["Nyhet"], [], [None, None, None, None, None, None, None, "Kanal", "Kostnad"],
            [None, None, None, None, None, None, None, "Möte", 0]]

    def style(workbook):
        table = Table(displayName="Kostnader", ref="H5:I6")
        table.tableColumns = [TableColumn(id=1, name="Kanal"), TableColumn(id=2, name="Kostnad")]
        workbook["Aktiviteter"].add_table(table)
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    # The header row with the most known names wins over a table with one known name.
    assert [a.activity.text for a in plan.activities][:2] == ["Möte", "Nyhet"]


@needs_libreoffice
@needs_calc
def test_table_as_libreoffice_saves_it(make_workbook, tmp_path):
    source = make_workbook(Aktiviteter=ROWS, style=add_table("A2:D5", totals_rows=1, red_totals=True))
    plan = read_workbook(resave_with_libreoffice(source, tmp_path))
    assert [a.activity.text for a in plan.activities] == ["Möte", "Nyhet"]
    assert plan.done_count == 1
