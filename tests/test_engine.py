"""PlanTemplate, docxtpl with linear post-processing: the same documents as docxtpl's own render."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from docx import Document
from docxtpl import DocxTemplate
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from conftest import ACTIVITY_HEADER, default_sheets, write_workbook
from generator.document.engine import MAX_PROPERTIES_BYTES, PlanTemplate
from generator.files.resources import DEFAULT_TEMPLATE
from generator.flows.checking import check_workbook
from generator.flows.generating import generate
from generator.template.context import build_context
from generator.template.environment import make_environment, make_text_environment
from generator.template.escaping import finalize_escaped, finalize_text
from generator.template.sizes import LimitError


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


@given(st.one_of(st.text(alphabet=st.sampled_from("ab{}\n\t&<>\"'_ %å")), st.integers(), st.none(),
                 st.builds(Markup, st.text(alphabet="a<>{}\n&"))))
def test_printed_values_are_escaped_as_escape_of_finalize_escaped_them(value):
    printed = finalize_escaped(value)
    assert str(printed) == str(escape(finalize_text(value)))
    assert isinstance(printed, Markup) or not any(c in printed for c in "<>{}\n")  # what body.collect reads apart


@pytest.mark.parametrize("key", ["tid", "items", "keys", "get", "__class__", "__len__", "saknas", "_privat"])
def test_a_record_field_reads_as_jinjas_sandbox_reads_it(key):
    environment = make_environment()
    record = {"tid": "Maj", "items": "egen", "get": 1, "__len__": 2, "_privat": 3}
    ours, jinjas = environment.getattr(record, key), ImmutableSandboxedEnvironment.getattr(environment, record, key)
    assert type(ours) is type(jinjas)
    assert repr(ours) == repr(jinjas) if not isinstance(ours, Undefined) else ours._undefined_name == key


@pytest.mark.parametrize("text", ["Enkel rad", "rad\n", "rad\r\nnästa", "tom {", "{{ kommun }} plan", "", "a\n\n"])
def test_document_properties_render_as_docxtpls_own(tmp_path, text):
    path = tmp_path / "mall.docx"
    document = Document()
    document.core_properties.title = text
    document.core_properties.comments = "Från {{ kommun }}"
    document.save(str(path))
    context = {"kommun": "Testköping"}
    ours, docxtpls = PlanTemplate(path), DocxTemplate(path)
    ours.init_docx()
    docxtpls.init_docx()
    ours.render_properties(context)
    docxtpls.render_properties(context, make_text_environment(MAX_PROPERTIES_BYTES))
    names = ("title", "comments", "subject", "author", "language", "identifier")
    assert [getattr(ours.docx.core_properties, n) for n in names] == \
        [getattr(docxtpls.docx.core_properties, n) for n in names]
    assert ours.docx.core_properties.comments == "Från Testköping"


def test_a_long_plain_property_is_counted_against_the_properties_budget(tmp_path):
    """Word allows long properties where python-docx does not: text without tags still counts."""
    made, path = tmp_path / "gjord.docx", tmp_path / "mall.docx"
    document = Document()
    document.core_properties.comments = "MARKÖR"
    document.save(str(made))
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = data.replace("MARKÖR".encode(), b"x" * 100_001)
            out.writestr(info.filename, data)
    template = PlanTemplate(path)
    template.init_docx()
    with pytest.raises(LimitError, match=r"dokumentet får för mycket text \(mer än 100 kB\)"):
        template.render_properties({})
