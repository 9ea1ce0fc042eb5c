"""The activity rows rendered apart from the document tree (document/rows.py) make the very same document."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import RGBColor
from lxml import etree

from conftest import (
    ACTIVITY_HEADER,
    LOOP_HEADER,
    LOOP_ROW,
    canonical_document,
    default_body_source,
    find_activity_table,
    many_activities,
)
from generator.document import body, engine
from generator.document.rows import ITERATION, LOOP_END, LOOP_START, DetachedRows, mark_activity_loop
from generator.flows.generating import generate
from generator.plan.errors import WorkbookError

TODAY = dt.date(2019, 3, 20)
RED = RGBColor(0xC0, 0x00, 0x00)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def plan_with(make_workbook: Any, count: int) -> Path:
    return make_workbook(Aktiviteter=[ACTIVITY_HEADER, *many_activities(count)])


def without_detaching(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render as before rows were kept apart: the activity loop is left unmarked."""
    monkeypatch.setattr(engine, "mark_activity_loop", lambda source: source)
    engine._body_source.cache_clear()
    engine._loop_cells.cache_clear()


@pytest.fixture
def detached(monkeypatch: pytest.MonkeyPatch) -> list[DetachedRows]:
    """The DetachedRows whose cell widths were set in this test (the rows that were really kept apart)."""
    seen: list[DetachedRows] = []
    original = DetachedRows.set_cell_widths

    def spy(self: DetachedRows, widths: Any) -> None:
        seen.append(self)
        original(self, widths)

    monkeypatch.setattr(DetachedRows, "set_cell_widths", spy)
    yield seen
    engine._body_source.cache_clear()
    engine._loop_cells.cache_clear()


def test_a_long_plan_is_the_same_document_with_its_rows_kept_apart(make_workbook, tmp_path, monkeypatch, detached):
    workbook = plan_with(make_workbook, 300)
    generate(workbook, tmp_path / "apart.docx", today=TODAY)
    assert [len(rows) for rows in detached] == [299]  # all but the first activity's row
    without_detaching(monkeypatch)
    generate(workbook, tmp_path / "whole.docx", today=TODAY)
    assert len(detached) == 1
    assert canonical_document(tmp_path / "apart.docx") == canonical_document(tmp_path / "whole.docx")


def test_the_rows_read_back_in_order_red_when_done_with_the_grids_widths(make_workbook, tmp_path, detached):
    generate(plan_with(make_workbook, 60), tmp_path / "plan.docx", today=TODAY)
    assert detached
    document = Document(str(tmp_path / "plan.docx"))
    table = find_activity_table(document)
    rows = table.rows[1:]
    expected = many_activities(60)
    assert [row.cells[0].text for row in rows] == [row[0] for row in expected]
    assert [row.cells[3].text for row in rows] == [row[3] for row in expected]
    for row, source in zip(rows, expected, strict=True):
        colours = {run.font.color.rgb for cell in row.cells for p in cell.paragraphs for run in p.runs if run.text}
        assert colours == ({RED} if source[5] == "Ja" else {None}), source[0]
    grid = [column.get(f"{W}w") for column in table._tbl.find(f"{W}tblGrid")]
    for row in table._tbl.findall(f"{W}tr"):
        assert [tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w") for tc in row.findall(f"{W}tc")] == grid
    description = table._tbl.find(f"{W}tblPr/{W}tblDescription").get(f"{W}val")
    assert description.startswith("Tabell med 60 rader")
    with zipfile.ZipFile(tmp_path / "plan.docx") as package:
        assert b"<?aktivitetsplan" not in package.read("word/document.xml")


def test_a_short_plan_keeps_no_rows_apart(make_workbook, tmp_path, detached):
    generate(make_workbook(Aktiviteter=[ACTIVITY_HEADER, *many_activities(1)]), tmp_path / "plan.docx", today=TODAY)
    assert detached == []
    assert [row.cells[0].text for row in find_activity_table(Document(str(tmp_path / "plan.docx"))).rows[1:]] == [
        many_activities(1)[0][0]]


def test_rows_kept_apart_count_towards_the_size_limit(make_workbook, monkeypatch):
    # The body without its activity rows is some 100 kB; 400 rows are about 600 kB more.
    monkeypatch.setattr(body, "MAX_BODY_BYTES", 400_000)
    with pytest.raises(WorkbookError, match="planen är för stor"):
        generate(plan_with(make_workbook, 400), today=TODAY)


@pytest.mark.slow
def test_a_very_long_plan_has_the_same_activity_table_and_contents(make_workbook, tmp_path, monkeypatch, detached):
    """Beyond 4 000 rows the page estimate reads a sample: only the contents' page numbers may differ a little."""
    workbook = plan_with(make_workbook, 5000)
    generate(workbook, tmp_path / "apart.docx", today=TODAY)
    assert [len(rows) for rows in detached] == [4999]
    without_detaching(monkeypatch)
    generate(workbook, tmp_path / "whole.docx", today=TODAY)
    apart, whole = (Document(str(tmp_path / name)) for name in ("apart.docx", "whole.docx"))
    assert (etree.tostring(find_activity_table(apart)._tbl, method="c14n")
            == etree.tostring(find_activity_table(whole)._tbl, method="c14n"))
    entries = [contents(document) for document in (apart, whole)]
    assert [text for text, _ in entries[0]] == [text for text, _ in entries[1]]
    for (_, page), (_, expected) in zip(*entries, strict=True):
        assert abs(page - expected) <= max(2, expected // 50)


def contents(document: Any) -> list[tuple[str, int]]:
    """The table of contents' entries: each heading's text and its estimated page (the PAGEREF's cached result)."""
    found = []
    for paragraph in document.paragraphs:
        if re.fullmatch(r"toc \d", paragraph.style.name.lower()):
            texts = [t.text or "" for t in paragraph._p.iter(f"{W}t")]
            found.append(("".join(texts[:-1]).strip(), int(texts[-1])))
    return found


# -- which loops are kept apart -------------------------------------------------------------------------------

def test_the_default_templates_activity_loop_is_marked():
    marked = mark_activity_loop(default_body_source())
    assert [marked.count(marker) for marker in (LOOP_START, ITERATION, LOOP_END)] == [1, 1, 1]
    assert re.search(r"</w:tr><\?aktivitetsplan-loop\?>\{% for rad in aktiviteter %\}<\?aktivitetsplan-rad\?>",
                     marked)


@pytest.mark.parametrize("source", [
    # a row that holds a statement (its cells may vary)
    LOOP_HEADER + "{% for rad in aktiviteter %}"
    + LOOP_ROW.replace("{{ rad.ansvarig }}", "{% if rad.klar %}x{% endif %}") + "{% endfor %}</w:tbl>",
    # rows of different cell counts
    LOOP_HEADER + "{% for rad in aktiviteter %}{% if rad.klar %}" + LOOP_ROW + "{% else %}"
    + LOOP_ROW.replace('<w:tc><w:p><w:r><w:t>{{ rad.ansvarig }}</w:t></w:r></w:p></w:tc>', "")
    + "{% endif %}{% endfor %}</w:tbl>",
    # merged cells
    LOOP_HEADER + "{% for rad in aktiviteter %}"
    + LOOP_ROW.replace("<w:tc>", '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>') + "{% endfor %}</w:tbl>",
    # a loop of paragraphs, not rows
    '<w:p><w:r><w:t>Aktiviteter</w:t></w:r></w:p>{% for rad in aktiviteter %}<w:p><w:r><w:t>{{ rad.aktivitet }}'
    '</w:t></w:r></w:p>{% endfor %}',
    # in a raw block the loop is only text
    "{% raw %}" + LOOP_HEADER + "{% for rad in aktiviteter %}" + LOOP_ROW + "{% endfor %}</w:tbl>{% endraw %}",
    # the logo in a row
    LOOP_HEADER + "{% for rad in aktiviteter %}" + LOOP_ROW.replace("{{ rad.ansvarig }}", "{{ logotyp }}")
    + "{% endfor %}</w:tbl>",
])
def test_a_loop_whose_rows_are_not_plain_is_left_as_it_is(source):
    assert mark_activity_loop(source) == source


def test_a_plain_loop_of_two_kinds_of_rows_is_marked():
    source = LOOP_HEADER + "{% for rad in aktiviteter %}{% if rad.klar %}" + LOOP_ROW + "{% else %}" + LOOP_ROW \
        + "{% endif %}{% endfor %}</w:tbl>"
    assert mark_activity_loop(source) != source


def test_rounds_that_write_no_row_leave_no_marker(make_workbook, tmp_path):
    """Only the first activity's round writes a row: nothing is kept apart, nothing is left over."""
    document = Document()
    document.add_paragraph("{{ titel }}")
    table = document.add_table(rows=6, cols=2)
    for cell, text in zip(table.rows[0].cells, ("Aktivitet", "Ansvarig"), strict=True):
        cell.text = text
    for row, text in zip(table.rows[1:], ("{%tr for rad in aktiviteter %}", '{%tr if rad.ansvarig == "Anna" %}', None,
                                           "{%tr endif %}", "{%tr endfor %}"), strict=True):
        if text is None:
            row.cells[0].text, row.cells[1].text = "{{ rad.aktivitet }}", "{{ rad.ansvarig }}"
        else:
            row.cells[0].text = text
    document.save(str(tmp_path / "mall.docx"))
    rows = many_activities(3)  # Anna, Bo, Cia
    generate(make_workbook(Aktiviteter=[ACTIVITY_HEADER, *rows]), tmp_path / "plan.docx", tmp_path / "mall.docx",
             today=TODAY)
    written = next(t for t in Document(str(tmp_path / "plan.docx")).tables if t.rows[0].cells[0].text == "Aktivitet")
    assert [row.cells[0].text for row in written.rows[1:]] == [rows[0][0]]
    with zipfile.ZipFile(tmp_path / "plan.docx") as package:
        assert b"<?aktivitetsplan" not in package.read("word/document.xml")
