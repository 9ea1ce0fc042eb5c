"""The default template edited the way a person edits it in Word: example rows, the activity table or the title deleted.

Every activity still reaches the document (done ones marked the way the template's remaining row can
show), and what the template cannot show at all is said plainly by check --template and generate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.shared import RGBColor

from conftest import ACTIVITY_HEADER, find_activity_table
from generator.cli import main
from generator.document.render import DEFAULT_TEMPLATE, check_template
from generator.flows.generating import generate

RED = RGBColor(0xC0, 0x00, 0x00)


def activity_rows(template: Any) -> list[Any]:
    """The rows of the template's activity table (found by its header), as python-docx rows."""
    return list(find_activity_table(template).rows)


def row_texts(row: Any) -> list[str]:
    return [cell.text for cell in row.cells]


def example_row(template: Any, done: bool) -> Any:
    """The red (done) or black example row of the activity table, found by what it holds."""
    return next(row for row in activity_rows(template)
                if row.cells[0].text == "{{ rad.aktivitet }}" and (row.cells[-1].text == "Klar") == done)


def tag_row(template: Any, tag: str, table: Any = None) -> Any:
    rows = table.rows if table is not None else activity_rows(template)
    return next(row for row in rows if row.cells[0].text == tag)


def delete(row: Any) -> None:
    row._tr.getparent().remove(row._tr)


def edited(tmp_path: Path, change: Any, name: str = "mall.docx") -> Path:
    template = Document(str(DEFAULT_TEMPLATE))
    change(template)
    path = tmp_path / name
    template.save(str(path))
    return path


def run_colours(row: Any) -> set[Any]:
    return {run.font.color.rgb for cell in row.cells for p in cell.paragraphs for run in p.runs if run.text.strip()}


def rendered_activities(document_path: Path) -> dict[str, tuple[list[str], set[Any]]]:
    """Each activity of the document's table (by its first cell): its cells and the colours of its text."""
    table = find_activity_table(Document(str(document_path)))
    return {row.cells[0].text: (row_texts(row), run_colours(row)) for row in table.rows[1:]}


def workbook_with_done_and_not(make_workbook: Any) -> Path:
    return make_workbook(Aktiviteter=[
        ACTIVITY_HEADER,
        ["Nämndmöte", "Politiker", "Mars 2019", "Möte", "Anna", "Ja"],
        ["Intranätsnyhet", "Medarbetare", "April 2019", "Intranät", "Bo", ""],
        ["Föreningsträff", "Föreningar", "Maj 2019", "Möte", "Cia", ""],
        ["Pressmeddelande", "Medier", "Juni 2019", "Press", "Dan", "Ja"],
    ])


@pytest.mark.parametrize("deleted", ["red", "black"])
def test_a_deleted_example_row_loses_no_activity(make_workbook, tmp_path, deleted):
    """The README's two example rows: delete either one, and every activity still appears."""
    template = edited(tmp_path, lambda t: delete(example_row(t, done=deleted == "red")))
    result = generate(workbook_with_done_and_not(make_workbook), tmp_path / "plan.docx", template)
    assert result.plan.summary() == "4 aktiviteter, 2 klara"
    activities = rendered_activities(tmp_path / "plan.docx")
    assert list(activities) == ["Nämndmöte", "Intranätsnyhet", "Föreningsträff", "Pressmeddelande"]
    for name in ("Nämndmöte", "Pressmeddelande"):
        cells, colours = activities[name]
        assert cells[-1] == "Klar" and colours == {RED}, name
    for name in ("Intranätsnyhet", "Föreningsträff"):
        cells, colours = activities[name]
        assert cells[-1] == "" and colours == {None}, name
    assert check_template(template) == []


def test_the_black_row_and_its_else_deleted_keeps_the_activities_that_are_not_done(make_workbook, tmp_path):
    def change(template: Any) -> None:
        delete(example_row(template, done=False))
        delete(tag_row(template, "{%tr else %}"))

    template = edited(tmp_path, change)
    generate(workbook_with_done_and_not(make_workbook), tmp_path / "plan.docx", template)
    activities = rendered_activities(tmp_path / "plan.docx")
    assert len(activities) == 4
    assert activities["Intranätsnyhet"] == (["Intranätsnyhet", "Medarbetare", "April 2019", "Intranät", "Bo", ""],
                                            {None})


def own_table_template(tmp_path: Path, rows: list[str | None], header: tuple[str, ...]) -> Path:
    """A template made in Word from scratch: a table with header and rows (None: a row of activity fields)."""
    document = Document()
    document.add_paragraph("{{ titel }}")
    document.add_paragraph("{%p for avs in avsnitt %}")
    document.add_paragraph("{{ avs.rubrik }}")
    document.add_paragraph("{%p endfor %}")
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    fields = {"Aktivitet": "{{ rad.aktivitet }}", "Ansvarig": "{{ rad.ansvarig }}", "Klar": ""}
    for row, tag in zip(table.rows[1:], rows):
        if tag is None:
            for cell, column in zip(row.cells, header):
                cell.text = fields[column]
        else:
            row.cells[0].text = tag
    path = tmp_path / "egen.docx"
    document.save(str(path))
    return path


def test_an_own_table_without_a_klar_column_marks_done_activities_after_their_name(make_workbook, tmp_path):
    template = own_table_template(tmp_path, ["{%tr for rad in aktiviteter %}", "{%tr if rad.klar %}", "{%tr else %}",
                                             None, "{%tr endif %}", "{%tr endfor %}"], ("Aktivitet", "Ansvarig"))
    generate(workbook_with_done_and_not(make_workbook), tmp_path / "plan.docx", template)
    table = next(t for t in Document(str(tmp_path / "plan.docx")).tables if t.rows[0].cells[0].text == "Aktivitet")
    rows = {row.cells[0].text: run_colours(row) for row in table.rows[1:]}
    assert rows == {"Nämndmöte (klar)": {RED}, "Intranätsnyhet": {None}, "Föreningsträff": {None},
                    "Pressmeddelande (klar)": {RED}}


def test_an_empty_branch_beside_other_rows_of_the_loop_is_left_as_written(make_workbook, tmp_path):
    """A row shown for every activity and one more only for those not done: the empty branch is meant."""
    template = own_table_template(tmp_path, ["{%tr for rad in aktiviteter %}", None, "{%tr if rad.klar %}",
                                             "{%tr else %}", None, "{%tr endif %}", "{%tr endfor %}"],
                                  ("Aktivitet", "Ansvarig", "Klar"))
    generate(workbook_with_done_and_not(make_workbook), tmp_path / "plan.docx", template)
    table = next(t for t in Document(str(tmp_path / "plan.docx")).tables if t.rows[0].cells[0].text == "Aktivitet")
    assert [row.cells[0].text for row in table.rows[1:]] == [
        "Nämndmöte", "Intranätsnyhet", "Intranätsnyhet", "Föreningsträff", "Föreningsträff", "Pressmeddelande"]


def test_the_timelines_done_row_deleted_keeps_done_activities_in_the_timeline(make_workbook, tmp_path):
    def change(template: Any) -> None:
        timeline = next(t for t in template.tables if "{%tr for linje in tidslinje.rader %}"
                        in [row.cells[0].text for row in t.rows])
        delete(next(row for row in timeline.rows if row.cells[0].text == "{{ linje.kort }} (klar)"))

    template = edited(tmp_path, change)
    generate(workbook_with_done_and_not(make_workbook), tmp_path / "plan.docx", template)
    document = Document(str(tmp_path / "plan.docx"))
    timeline = next(t for t in document.tables if t.rows[0].cells[0].text == "Aktivitet"
                    and t.rows[0].cells[1].text == "Tid")
    names = {row.cells[0].text: run_colours(row) - {RGBColor(0xFF, 0xFF, 0xFF)} for row in timeline.rows[2:]}
    assert names == {"Nämndmöte (klar)": {RED}, "Intranätsnyhet": {None}, "Föreningsträff": {None},
                     "Pressmeddelande (klar)": {RED}}


def delete_between(template: Any, first: str, after_last: str) -> None:
    """Delete the paragraphs and tables from the paragraph reading first to the one before after_last."""
    start = next(p for p in template.paragraphs if p.text == first)._p
    end = next(p for p in template.paragraphs if p.text == after_last)._p
    while start is not end:
        following = start.getnext()
        start.getparent().remove(start)
        start = following


def check_output(template: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--template", str(template)])
    return result.exit_code, result.output + result.stderr


@pytest.mark.parametrize(("change", "warning"), [
    (lambda t: find_activity_table(t)._tbl.getparent().remove(find_activity_table(t)._tbl),
     "mallen visar inte aktiviteterna: den har ingen aktivitetstabell med {%tr for rad in aktiviteter %}"),
    (lambda t: [delete(example_row(t, done)) for done in (True, False)],
     "mallen visar inte aktiviteterna"),
    (lambda t: next(p for p in t.paragraphs if p.text == "{{ titel }}")._p.getparent().remove(
        next(p for p in t.paragraphs if p.text == "{{ titel }}")._p),
     "mallen visar inte planens titel: {{ titel }} står inte i dokumentets text"),
    (lambda t: [delete(tag_row(t, tag)) for tag in ("{%tr if rad.klar %}", "{%tr else %}", "{%tr endif %}")]
     + [delete(example_row(t, done=True))],
     "mallens aktivitetstabell visar inte vilka aktiviteter som är klara: {%tr if rad.klar %} saknas"),
    (lambda t: delete_between(t, "{%p for avs in avsnitt %}", "{%p if malgrupper and not malgrupper_i_avsnitt %}"),
     "mallen visar inte avsnitten på bladet Avsnitt: {%p for avs in avsnitt %} saknas"),
], ids=["activity-table", "both-example-rows", "title", "done-rows", "sections"])
def test_what_the_template_cannot_show_is_said_by_check_and_generate(make_workbook, tmp_path, change, warning):
    template = edited(tmp_path, change)
    status, printed = check_output(template)
    assert status == 0, printed
    assert f"Varningar i {template}:" in printed and warning in printed, printed
    assert "mallen ser bra ut" not in printed
    result = CliRunner().invoke(main, ["generate", str(make_workbook()), "--template", str(template),
                                       "-o", str(tmp_path / "plan.docx")])
    assert result.exit_code == 0, result.output
    assert f"{template}: {warning}" in result.stderr
    assert (tmp_path / "plan.docx").exists()


def test_the_default_template_and_its_intact_copy_are_said_to_look_fine(tmp_path):
    status, printed = check_output(edited(tmp_path, lambda t: None))
    assert status == 0 and "mallen ser bra ut" in printed, printed
