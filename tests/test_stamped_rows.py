"""A plain activity loop is written without Jinja per cell (document/stamping.py): the same document and limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from docx import Document

from conftest import (
    ACTIVITY_HEADER,
    LOOP_HEADER,
    LOOP_ROW,
    canonical_document,
    default_body_source,
    many_activities,
)
from generator.document import engine, render
from generator.document.body import unmark
from generator.document.rows import LOOP_END, LOOP_START, STAMP, mark_activity_loop
from generator.document.stamping import stamped
from generator.flows.generating import generate
from generator.plan.errors import PlanError
from generator.template import sandbox
from generator.template.sandbox import xml_nodes

TODAY = dt.date(2019, 3, 20)


@pytest.fixture
def stamps(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The Stamps that wrote rows in this test."""
    written: list[Any] = []
    original = engine._stamped

    def spy(source: str) -> Any:
        found = original(source)
        if found[1] is not None:
            written.append(found[1])
        return found

    monkeypatch.setattr(engine, "_stamped", spy)
    return written


def test_the_default_templates_rows_are_stamped_into_the_same_document(make_workbook, tmp_path, monkeypatch, stamps):
    workbook = make_workbook(Aktiviteter=[ACTIVITY_HEADER, *many_activities(120)])
    generate(workbook, tmp_path / "stamped.docx", today=TODAY)
    assert stamps
    monkeypatch.setattr(engine, "_stamped", lambda source: (source, None))
    generate(workbook, tmp_path / "jinja.docx", today=TODAY)
    assert canonical_document(tmp_path / "stamped.docx") == canonical_document(tmp_path / "jinja.docx")


def test_a_stamped_plan_keeps_the_templates_work_limit(make_workbook, monkeypatch, stamps):
    # Each activity is a round of the loop and six printed values: 200 activities take some 1 400 steps.
    monkeypatch.setattr(sandbox, "MAX_STEPS", 1000)
    with pytest.raises(PlanError, match="för mycket arbete"):
        generate(make_workbook(Aktiviteter=[ACTIVITY_HEADER, *many_activities(200)]), today=TODAY)
    assert stamps


def test_a_stamped_plan_keeps_the_output_limit(make_workbook, monkeypatch, stamps):
    original = render.make_environment

    def small() -> Any:
        environment = original()
        environment.budget.max_output = 300_000  # 400 activities print some 500 kB
        return environment

    monkeypatch.setattr(render, "make_environment", small)
    with pytest.raises(PlanError, match="för mycket text"):
        generate(make_workbook(Aktiviteter=[ACTIVITY_HEADER, *many_activities(400)]), today=TODAY)
    assert stamps


def marked(source: str) -> str:
    return mark_activity_loop(source)


def test_the_default_loop_becomes_two_rows_chosen_by_klar():
    source, stamp = stamped(marked(default_body_source()), unmark, xml_nodes)
    assert stamp is not None and STAMP in source and LOOP_START not in source and LOOP_END not in source
    assert [condition for condition, _ in stamp.branches] == [("klar", True), None]
    assert [row.fields for _, row in stamp.branches] == [("aktivitet", "syfte", "tid", "kanal", "ansvarig")] * 2


@pytest.mark.parametrize("body", [
    "{% if rad.klar %}" + LOOP_ROW + "{% endif %}",                               # no row for activities not done
    "{% if not rad.klar %}" + LOOP_ROW + "{% else %}" + LOOP_ROW + "{% endif %}",
    LOOP_ROW,
])
def test_plain_loops_are_stamped(body):
    source = marked(LOOP_HEADER + "{% for rad in aktiviteter %}" + body + "{% endfor %}</w:tbl>")
    assert stamped(source, unmark, xml_nodes)[1] is not None


@pytest.mark.parametrize("body", [
    LOOP_ROW.replace("{{ rad.ansvarig }}", "{{ rad.ansvarig|upper }}"),          # a filter
    LOOP_ROW.replace("{{ rad.ansvarig }}", "{{ loop.index }}"),                  # the loop's own variable
    "{% if rad.klar and rad.tid %}" + LOOP_ROW + "{% endif %}",                  # a condition of two
    "{% if rad.klar %}" + LOOP_ROW + "{% else %}" + LOOP_ROW + "{% elif rad.tid %}" + LOOP_ROW + "{% endif %}",
    "{% if rad.klar %}" + LOOP_ROW + "{% endif %}" + LOOP_ROW,                        # a row after the if
    "{%- if rad.klar %}" + LOOP_ROW + "{% endif %}",                             # whitespace control
])
def test_loops_that_need_jinja_are_left_to_it(body):
    source = marked(LOOP_HEADER + "{% for rad in aktiviteter %}" + body + "{% endfor %}</w:tbl>")
    assert stamped(source, unmark, xml_nodes)[1] is None


@pytest.mark.parametrize("around", [
    ("{% for x in avsnitt %}", "{% endfor %}"),                               # the loop would run again
    ("{% with aktiviteter = avsnitt %}", "{% endwith %}"),                    # another list by the name
])
def test_a_loop_inside_other_blocks_is_left_to_jinja(around):
    source = marked(LOOP_HEADER + around[0] + "{% for rad in aktiviteter %}" + LOOP_ROW + "{% endfor %}" + around[1]
                    + "</w:tbl>")
    assert stamped(source, unmark, xml_nodes)[1] is None


def test_a_loop_inside_an_if_is_stamped_and_written_only_when_the_if_holds(make_workbook, tmp_path, stamps):
    template = tmp_path / "mall.docx"
    document = Document()
    document.add_paragraph("{{ titel }}")
    table = document.add_table(rows=5, cols=2)
    for cell, text in zip(table.rows[0].cells, ("Aktivitet", "Ansvarig"), strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr if antal_aktiviteter > 2 %}"
    table.rows[2].cells[0].text = "{%tr for rad in aktiviteter %}"
    table.rows[3].cells[0].text = "{{ rad.aktivitet }}"
    table.rows[3].cells[1].text = "{{ rad.ansvarig }}"
    table.rows[4].cells[0].text = "{%tr endfor %}"
    row = table.add_row()
    row.cells[0].text = "{%tr endif %}"
    document.save(str(template))
    generate(make_workbook(Aktiviteter=[ACTIVITY_HEADER, *many_activities(5)]), tmp_path / "plan.docx", template,
             today=TODAY)
    assert stamps
    rows = find_activity_table_by_first_cell(Document(str(tmp_path / "plan.docx")))
    assert [r.cells[0].text for r in rows[1:]] == [a[0] for a in many_activities(5)]
    short = make_workbook(Aktiviteter=[ACTIVITY_HEADER, *many_activities(2)], name="kort.xlsx")
    generate(short, tmp_path / "kort.docx", template, today=TODAY)
    assert len(find_activity_table_by_first_cell(Document(str(tmp_path / "kort.docx")))) == 1


def find_activity_table_by_first_cell(document: Any) -> list[Any]:
    """The rows of the table whose first cell reads Aktivitet (this template's has no Syfte column)."""
    return list(next(t for t in document.tables if t.rows[0].cells[0].text == "Aktivitet").rows)
