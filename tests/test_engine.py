"""PlanTemplate, docxtpl with linear post-processing: the same documents as docxtpl's own render."""

from __future__ import annotations

import datetime as dt

from docx import Document
from docxtpl import DocxTemplate

from conftest import ACTIVITY_HEADER, default_sheets, write_workbook
from generator.context import build_context
from generator.engine import PlanTemplate
from generator.pipeline import check_workbook, generate
from generator.render import DEFAULT_TEMPLATE
from generator.templating import make_environment


def body(path):
    document = Document(str(path))
    paragraphs = [(p.text, p.style.name, tuple(str(r.font.color.rgb) for r in p.runs)) for p in document.paragraphs]
    tables = [[[(c.text, tuple(str(r.font.color.rgb) for p in c.paragraphs for r in p.runs)) for c in row.cells]
               for row in table.rows] for table in document.tables]
    return paragraphs, tables, document.sections[0].header.paragraphs[0].text


def test_same_document_as_docxtpls_own_render(tmp_path):
    sheets = default_sheets()
    sheets["Aktiviteter"] = [ACTIVITY_HEADER, ["Rad ett\nRad två", "a\tb", "Maj", "Möte", "Eva", "Ja"],
                             ["Enkel", "", "", "", "", ""]]
    sheets["Plan"] = [["Kommun", "Test\nköping"]]
    plan = check_workbook(write_workbook(tmp_path / "plan.xlsx", sheets)).plan
    context = build_context(plan, dt.date(2020, 1, 1))
    outputs = []
    for kind in (DocxTemplate, PlanTemplate):
        template = kind(DEFAULT_TEMPLATE)
        template.render(context, make_environment())
        path = tmp_path / f"{kind.__name__}.docx"
        template.save(str(path))
        outputs.append(body(path))
    assert outputs[0] == outputs[1]
    paragraphs, tables, header = outputs[1]
    assert ("Aktivitetsplan", "Heading 1", ()) in [(t, s, ()) for t, s, _ in paragraphs]
    assert tables[0][1][0][0] == "Rad ett\nRad två"
    assert header == "Aktivitetsplan – Test\nköping"


def test_column_loops_still_get_docxtpls_table_repair(tmp_path):
    """A template with {%tc %} columns takes docxtpl's own fix_tables and map_tree."""
    template = tmp_path / "kolumner.docx"
    document = Document()
    table = document.add_table(rows=2, cols=4)
    for row, (first, value) in enumerate((("Aktivitet", "{{ namn }}"),
                                          ("{{ aktiviteter[0].aktivitet }}", "{{ aktiviteter[0].ovrigt[namn] }}"))):
        cells = table.rows[row].cells
        cells[0].text = first
        cells[1].text = "{%tc for namn in extra_kolumner %}"
        cells[2].text = value
        cells[3].text = "{%tc endfor %}"
    document.save(str(template))
    rows = [[*ACTIVITY_HEADER, "Budget", "Plats"], ["Möte", "", "", "", "", "", "5000", "Rådhuset"]]
    workbook = write_workbook(tmp_path / "plan.xlsx", {**default_sheets(), "Aktiviteter": rows})
    generate(workbook, tmp_path / "ut.docx", template)
    result = Document(str(tmp_path / "ut.docx")).tables[0]
    assert [c.text for c in result.rows[0].cells] == ["Aktivitet", "Budget", "Plats"]
    assert [c.text for c in result.rows[1].cells] == ["Möte", "5000", "Rådhuset"]
    assert len(result._tbl.tblGrid.gridCol_lst) == 3
