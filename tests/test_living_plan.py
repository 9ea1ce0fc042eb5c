"""End to end: a workbook with target groups, periods and indicators becomes coverage, a timeline and follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import ACTIVITY_HEADER
from generator.cli import main

COLUMNS = [*ACTIVITY_HEADER, "Målgrupp", "Indikator", "Målvärde", "Utfall"]


def living_sheets() -> dict[str, list[list[object]]]:
    return {
        "Plan": [["Kommun", "Testköping"], ["Datum", dt.date(2019, 1, 10)],
                 ["Uppföljningsdatum", dt.date(2019, 6, 30)]],
        "Avsnitt": [["Rubrik", "Text"], ["Bakgrund", "Text."], ["Målgrupper", "Våra målgrupper."]],
        "Målgrupper": [
            ["Målgrupp", "Prioritet", "Behöver veta", "Budskap", "Kanaler"],
            ["Politiker", "Primär", "Vad det kostar", "Enklare", "Möte"],
            ["Föreningar", "Primär", "Hur man bokar", "Boka själv", "E-post; Webb"],
            ["Invånare", "Sekundär", "Att tjänsten finns", "Dygnet runt", "Webb"],
        ],
        "Aktiviteter": [
            COLUMNS,
            ["Möte med nämnden", "Info", "mars 2019", "Möte", "Anna", "Ja", "Politiker", "Antal möten", "2", "2"],
            ["Utskick till föreningar", "Info", "april 2019", "E-post", "Bo", "", "Föreningar", "Öppnade", "50 %",
             ""],
            ["Nyhet på webben", "Info", "Hösten 2019 – pågående", "Webb", "Cia", "", "Föreningar, Invånare", "",
             "", ""],
        ],
    }


@pytest.fixture
def generated(make_workbook, tmp_path):
    workbook = make_workbook(living_sheets())
    output = tmp_path / "plan.docx"
    result = CliRunner().invoke(main, ["generate", str(workbook), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return Document(str(output)), result.output


def table_with_header(document, first: list[str]):
    return next(t for t in document.tables if [c.text for c in t.rows[0].cells][:len(first)] == first)


def test_check_names_the_missing_outcome_with_its_cell(generated):
    _, printed = generated
    assert "Aktiviteter!J3: perioden ”april 2019” är slut men Utfall saknas" in printed


def test_coverage_counts_activities_per_group_and_channel(generated):
    document, _ = generated
    table = table_with_header(document, ["Målgrupp", "Möte", "E-post", "Webb"])
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows == [
        ["Politiker", "1 (1)", "–", "–"],
        ["Föreningar", "–", "1", "1"],
        ["Invånare", "–", "–", "1"],
    ]


def test_target_group_table_sits_in_the_section_malgrupper(generated):
    document, _ = generated
    table = table_with_header(document, ["Målgrupp", "Prioritet", "Behöver veta"])
    assert [row.cells[0].text for row in table.rows[1:]] == ["Politiker", "Föreningar", "Invånare"]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Bakgrund", "Målgrupper", "Målgrupper och kanaler", "Aktivitetsplan", "Tidslinje",
                        "Uppföljning"]


def test_timeline_has_a_row_per_dated_activity_in_start_order(generated):
    document, _ = generated
    table = table_with_header(document, ["Aktivitet", "Tid"])
    names = [row.cells[0].text for row in table.rows if row.cells[1].text and row.cells[0].text != "Aktivitet"]
    assert [n.split(" (")[0] for n in names] == ["Möte med nämnden", "Utskick till föreningar", "Nyhet på webben"]


def test_follow_up_gives_the_figures_overdue_and_indicators(generated):
    document, _ = generated
    texts = [p.text for p in document.paragraphs]
    assert "Läget den 30 juni 2019: 1 av 3 aktiviteter klara (33\u00a0%)." in texts
    overdue = table_with_header(document, ["Aktivitet", "Tid", "Ansvarig"])
    assert [[c.text for c in row.cells] for row in overdue.rows[1:]] == [["Utskick till föreningar", "april 2019",
                                                                          "Bo"]]
    indicators = table_with_header(document, ["Aktivitet", "Indikator", "Målvärde", "Utfall"])
    assert [[c.text for c in row.cells][1:] for row in indicators.rows[1:]] == [
        ["Antal möten", "2", "2"], ["Öppnade", "50 %", ""]]


def test_coverage_columns_keep_their_longest_word_whole(make_workbook, tmp_path):
    from docx.oxml.ns import qn

    from generator.document.measures import table_measures
    from generator.document.plan_tables import NARROW_MARGIN

    sheets = living_sheets()
    channels = ["Möte", "E-post", "Workshops", "Mittköping.se", "Dialog", "Intranät", "Telefon", "PM"]
    sheets["Aktiviteter"] += [[f"Aktivitet {i}", "", "maj 2019", channel, "Eva", "", "Invånare", "", "", ""]
                              for i, channel in enumerate(channels)]
    workbook = make_workbook(sheets)
    output = tmp_path / "plan.docx"
    assert CliRunner().invoke(main, ["generate", str(workbook), "-o", str(output)]).exit_code == 0
    document = Document(str(output))
    table = table_with_header(document, ["Målgrupp", "Möte"])
    header, measure = [c.text for c in table.rows[0].cells], table_measures(document, table._tbl)[1]
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    assert header[1:] == ["Möte", "E-post", "Webb", "Workshops", "Mittköping.se", "Dialog", "Intranät", "Telefon", "PM"]
    if measure is not None:  # Carlito (or Calibri) is installed: each heading fits in one line of its column
        for name, width in zip(header[1:], widths[1:], strict=True):
            assert measure(name) + 2 * NARROW_MARGIN <= width, (name, width)
    assert widths[header.index("Mittköping.se")] > widths[header.index("PM")]
    assert sum(widths) == 9638  # the page's text width, as before
