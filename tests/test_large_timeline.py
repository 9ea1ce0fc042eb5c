"""A plan with more dated activities than the timeline shows: its first ones, and a note saying how many more."""

from __future__ import annotations

import datetime as dt

from docx import Document

from conftest import ACTIVITY_HEADER
from generator.flows.generating import generate
from generator.plan.analysis import MAX_TIMELINE_ROWS

MORE = 37
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")


def _timeline_table(document):
    for table in document.tables:
        caption = table._tbl.find(".//{*}tblCaption")
        if caption is not None and caption.get(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "Tidslinje":
            return table
    raise AssertionError("no timeline")


def test_a_large_plan_shows_the_first_activities_and_says_how_many_more(make_workbook, tmp_path):
    count = MAX_TIMELINE_ROWS + MORE
    rows = [[f"Aktivitet {i:04d}", "Syfte", f"{MONTHS[i % 12]} 2019", "Möte", "Anna", ""] for i in range(count)]
    output = tmp_path / "plan.docx"
    generate(make_workbook(Aktiviteter=[ACTIVITY_HEADER, *rows]), output, today=dt.date(2019, 1, 10))

    document = Document(str(output))
    table = _timeline_table(document)
    shown = [row.cells[0].text for row in table.rows if row.cells[0].text.startswith("Aktivitet ")]
    assert len(shown) == MAX_TIMELINE_ROWS
    # In start order: all January activities first (Aktivitet 0000, 0012 …), each month's in the workbook's order.
    assert shown[:2] == ["Aktivitet 0000", "Aktivitet 0012"]
    # The timeline stays a readable size: one column a month, over the months of the activities it shows
    # (January to September: 137 activities, some 11 a month, the first 100 of them), not one a day.
    assert len(table.columns) == 2 + 9
    assert [cell.text for cell in table.rows[1].cells[2:]] == ["jan", "feb", "mar", "apr", "maj", "jun", "jul",
                                                               "aug", "sep"]
    notes = [p.text for p in document.paragraphs if "Tidslinjen visar" in p.text]
    assert len(notes) == 1 and notes[0].endswith(f"Tidslinjen visar de {MAX_TIMELINE_ROWS} aktiviteter som börjar "
                                                 f"först; {MORE} till står bara i aktivitetstabellen.")
    # Every activity is still in the activity table.
    activity_rows = [t for t in document.tables if t.rows[0].cells[0].text == "Aktivitet"]
    assert len(activity_rows[0].rows) == count + 1
