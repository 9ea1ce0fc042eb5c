"""The sheets' one description (generator/plan/schema.py) and everything derived from it agree."""

from __future__ import annotations

import re

import pytest
from docx import Document
from openpyxl import load_workbook

from conftest import ACTIVITY_HEADER, ROOT, default_sheets, write_workbook
from generator.flows.generating import generate
from generator.importing import activities as importer
from generator.plan import model
from generator.plan.schema import (
    ACTIVITIES,
    PLAN,
    RECIPIENTS,
    SECTIONS,
    SHEETS,
    TARGET_GROUPS,
    Sheet,
    record_keys,
    table_columns,
    top_level,
)
from generator.template import environment as templating
from generator.template.context import build_context
from generator.workbook.reader import read_workbook
from generator.workbook.starter import StarterContent, build_workbook, column_lines

MODELS: dict[str, type] = {
    PLAN.name: model.Plan, SECTIONS.name: model.Section, TARGET_GROUPS.name: model.TargetGroup,
    ACTIVITIES.name: model.Activity, RECIPIENTS.name: model.Recipient,
}


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_every_schema_field_is_on_the_record_and_back(sheet: Sheet) -> None:
    fields = set(MODELS[sheet.name]._fields)  # type: ignore[attr-defined]
    described = {c.field for c in sheet.columns}
    assert described <= fields
    assert fields - described == set(sheet.derived_fields)


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_names_are_told_apart(sheet: Sheet) -> None:
    names = [name for column in sheet.columns for name in column.names]
    keys = [c.key for c in sheet.columns if c.key]
    assert len(set(map(str.casefold, names))) == len(names)
    assert len(set(keys)) == len(keys) and not set(keys) & set(sheet.derived_keys)
    assert all(len(c.header) <= 32 and len(c.help) <= 255 and c.help for c in sheet.columns)  # Excel's limits


def test_template_names_come_from_the_schema() -> None:
    from generator.template.context_plan import TEMPLATE_NAMES, TEMPLATE_RECORDS
    from generator.versions.changes import TEMPLATE_VARIABLES

    # the sheets', the computed parts' and the version's
    assert top_level() | TEMPLATE_NAMES | TEMPLATE_VARIABLES == templating.TOP_LEVEL
    for kind, keys in record_keys().items():
        assert templating.RECORD_KEYS[kind] == keys | TEMPLATE_RECORDS.get(kind, frozenset())
    assert {"kommun", "logotyp", "avsnitt", "aktiviteter", "malgrupper"} <= top_level()
    assert {"aktivitet", "malgrupp", "indikator", "malvarde", "utfall", "klar", "ovrigt", "rad"} \
        <= record_keys()["aktiviteter"]


def test_context_gives_every_activity_key(make_workbook) -> None:
    plan = read_workbook(make_workbook())
    context = build_context(plan)
    assert set(context["aktiviteter"][0]) == record_keys()["aktiviteter"]
    assert set(context) >= top_level() - {"malgrupper"}  # malgrupper: the document side's context


def test_conftest_header_and_importer_synonyms_are_derived() -> None:
    assert [c.header for c in ACTIVITIES.columns][:6] == ACTIVITY_HEADER
    for column in ACTIVITIES.columns:
        assert set(importer.COLUMN_SYNONYMS[column.header]) >= set(column.names) - {"Målgrupp"}
    # In a Word plan, a Målgrupp column is free text about the purpose: it goes where the table shows it.
    assert "Målgrupp" in importer.COLUMN_SYNONYMS["Syfte och målgrupp"]
    assert "Målgrupp" not in importer.COLUMN_SYNONYMS["Målgrupp"]
    assert importer.COLUMN_SYNONYMS["Ansvarig"][:3] == ("Ansvarig", "Ansvarig person", "Ansvariga")


def test_aliases_are_read_as_their_column(make_workbook) -> None:
    path = make_workbook(Aktiviteter=[
        ["Aktivitet", "Syfte & målgrupp", "Ansvarig person", "Kanaler", "Målgrupper"],
        ["Möte", "Ge info", "Anna", "Möte", "Politiker"],
    ])
    plan = read_workbook(path)
    activity = plan.activities[0]
    assert (activity.purpose.text, activity.responsible.text, activity.channel.text) == ("Ge info", "Anna", "Möte")
    assert activity.target_groups.text == "Politiker" and activity.target_groups.cell == "Aktiviteter!E2"
    assert not [f for f in plan.findings if "okänd kolumn" in f.message]


def test_init_workbook_is_the_schema(tmp_path) -> None:
    path = tmp_path / "ny.xlsx"
    build_workbook(StarterContent()).save(path)
    workbook = load_workbook(path)
    assert workbook.sheetnames[1:] == [s.name for s in SHEETS]
    for sheet in SHEETS[1:]:
        ws = workbook[sheet.name]
        assert [c.value for c in ws[1]] == list(sheet.headers)
        for index, column in enumerate(sheet.columns):
            letter = ws.cell(row=1, column=index + 1).column_letter
            assert ws.column_dimensions[letter].width == column.width
    assert [r[0].value for r in workbook["Plan"].iter_rows(min_row=2)] == list(PLAN.headers)
    prompts = {v.promptTitle: v for v in workbook["Aktiviteter"].data_validations.dataValidation}
    assert set(prompts) == set(ACTIVITIES.headers)
    assert prompts["Tid"].prompt == ACTIVITIES.column("Tid").help
    assert prompts["Klar"].formula1 == '"Ja,Nej"' and "F2" in prompts["Klar"].sqref
    groups = {v.promptTitle: v for v in workbook["Målgrupper"].data_validations.dataValidation}
    assert groups["Prioritet"].type == "list" and groups["Prioritet"].formula1 == '"Primär,Sekundär"'
    plan_lists = [v.formula1 for v in workbook["Plan"].data_validations.dataValidation]
    assert plan_lists == ['"Arbetsbok,Tid"']
    guide = [str(c.value) for c in workbook["Instruktioner"]["A"] if c.value]
    for sheet in SHEETS:
        lines = column_lines(sheet)
        start = guide.index(lines[0])
        assert guide[start:start + len(lines)] == lines
    assert "• Målgrupp (måste fyllas i): " + TARGET_GROUPS.column("Målgrupp").help in guide


def test_default_template_table_is_the_schema(make_workbook, tmp_path) -> None:
    """Header, widths and the Klar column (text, not only colour) of the activity table come from the schema."""
    output = tmp_path / "plan.docx"
    generate(make_workbook(), output)
    document = Document(str(output))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Aktivitet")
    assert [c.text for c in table.rows[0].cells] == [c.header for c in table_columns()]
    assert sum(c.table_width for c in table_columns()) == 170
    klar = [row.cells[-1].text for row in table.rows[1:]]
    assert klar == ["Klar", "", ""]  # default_sheets: the first activity is done
    template = Document(str(ROOT / "templates" / "aktivitetsplan.docx"))
    grid = next(t for t in template.tables if t.rows[0].cells[0].text == "Aktivitet")
    widths = [round(c.width.mm) for c in grid.columns]
    assert widths == [c.table_width for c in table_columns()]


# -- README's tables ------------------------------------------------------------------------------------------

def _readme_table(sheet: Sheet) -> list[list[str]]:
    text = (ROOT / "docs" / "arbetsboken.md").read_text(encoding="utf-8")
    start = text.index(f"\n**{sheet.name}**")
    rows: list[list[str]] = []
    for line in text[start:].splitlines()[1:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    return rows[2:]  # no header, no |---|


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_readme_tables_agree_with_the_schema(sheet: Sheet) -> None:
    rows = _readme_table(sheet)
    described = [[c.header, "ja" if c.required else "", f"`{c.key}`" if c.key else "–", "; ".join(c.aliases),
                  c.help] for c in sheet.columns]
    assert rows == described


def test_readme_table_reader_sees_a_change() -> None:
    """The README test reads the table that follows the sheet's bold name, row by row."""
    rows = _readme_table(ACTIVITIES)
    assert rows[0][0] == "Aktivitet" and len(rows) == len(ACTIVITIES.columns)
    assert re.fullmatch(r"`\w+`", rows[0][2])


def test_old_six_column_workbooks_still_read(tmp_path) -> None:
    sheets = default_sheets()
    plan = read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    assert plan.activities[0].activity.text == "Presentation på nämndmöte" and plan.activities[0].time.text
    assert not plan.target_groups and not any("Målgrupp" in f.message for f in plan.findings)
