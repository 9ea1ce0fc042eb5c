"""aktivitetsplan import: Word plans written by people, and generated ones, come back as workbooks."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from conftest import EXAMPLE, ROOT, needs_libreoffice
from generator.cli import main
from generator.flows.generating import generate
from generator.importing import import_document, import_plan
from generator.plan.errors import DocumentError
from generator.plan.schema import ACTIVITIES as ACTIVITY_SHEET
from generator.workbook.reader import read_workbook
from generator.workbook.starter import SECTION_HEADINGS

sys.path.insert(0, str(ROOT / "tools"))
from build_example import ACTIVITIES
from build_import_fixtures import (
    NORRBY_ACTIVITIES,
    NORRBY_RED,
    SEED_RED_ROWS,
    STYLED_ACTIVITIES,
    STYLED_RED,
    resave_with_libreoffice,
)

FIXTURES = ROOT / "tests" / "fixtures" / "import"
BIN = Path(sys.executable).parent / "aktivitetsplan"


def fixture(name: str, resaved: bool) -> Path:
    return FIXTURES / (f"{name}-libreoffice.docx" if resaved else f"{name}.docx")


def activity_table(path: Path) -> list[list[str]]:
    """The activity table of a generated document, found by its header, as cell texts."""
    document = Document(str(path))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Aktivitet")
    return [[cell.text for cell in row.cells] for row in table.rows]


def red_rows(path: Path) -> list[int]:
    """Indexes (after the header) of the rows whose text is all red in a generated document."""
    document = Document(str(path))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Aktivitet")
    found = []
    for index, row in enumerate(table.rows[1:]):
        runs = [r for c in row.cells for p in c.paragraphs for r in p.runs if r.text.strip()]
        if runs and all(r.font.color.rgb is not None and str(r.font.color.rgb) in ("C00000", "FF0000")
                        for r in runs):
            found.append(index)
    return found


def done_rows(content) -> list[int]:  # type: ignore[no-untyped-def]
    """Indexes of the imported activities whose Klar is Ja."""
    return [i for i, row in enumerate(content.activities) if row[5] == "Ja"]


def headings(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.style.name == "Heading 1"]


# -- the seed, written by hand -------------------------------------------------------


@pytest.mark.parametrize("resaved", [False, True], ids=["python-docx", "libreoffice"])
def test_seed_written_by_hand_is_recognised(resaved):
    content, report = import_plan(fixture("handskriven-mittkoping", resaved))
    assert report.summary() == "7 avsnitt, 15 aktiviteter varav 3 klara"
    assert content.plan["Kommun"] == "Mittköping"
    assert content.plan["Titel"] == "Aktivitetsplan - Mittköping"
    assert content.plan["Datum"] == dt.date(2018, 8, 15)
    assert content.plan["Slogan"] == "VI GÖR DET ENKLARE!"
    assert "Projekt" not in content.plan
    assert [h for h, _ in content.sections] == list(SECTION_HEADINGS)
    assert all(text == "" for _, text in content.sections)  # only the template's guidance was there
    assert [row[:5] for row in content.activities] == [list(a[:5]) for a in ACTIVITIES]
    assert [i for i, row in enumerate(content.activities) if row[5] == "Ja"] == list(SEED_RED_ROWS)
    left_out = "\n".join(str(f) for f in report.left_out)
    for start in ("Fyll på med bakgrund", "Titta på målgruppsanalysen", "Du kan även titta",
                  "Lägg inte för mycket energi", "innehållsförteckningen", "Tänk även på"):
        assert start in left_out
    assert any(f.place.startswith("stycke ") for f in report.left_out)
    unsure = {f.place: f.message for f in report.unsure}
    assert "Namn" in unsure["tabell 1, rad 2, cell 5"]
    assert "Plan!Projekt" in unsure


@pytest.mark.parametrize("resaved", [False, True], ids=["python-docx", "libreoffice"])
def test_seed_comes_back_as_a_workbook_that_generates_the_same_plan(tmp_path, resaved):
    source = fixture("handskriven-mittkoping", resaved)
    workbook, _ = import_document(source, tmp_path / "mittkoping.xlsx")
    result = generate(workbook, tmp_path / "mittkoping.docx", today=dt.date(2019, 1, 1))
    assert result.errors == ()
    assert headings(result.output) == [*SECTION_HEADINGS, "Aktivitetsplan", "Tidslinje"]
    document = Document(str(source))
    seed_table = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert [row[:5] for row in activity_table(result.output)] == seed_table  # and Klar, the default table's last
    assert red_rows(result.output) == list(SEED_RED_ROWS)
    texts = [p.text for p in Document(str(result.output)).paragraphs]
    assert "Aktivitetsplan - Mittköping" in texts and "15 augusti 2018" in texts


def test_imported_workbook_has_the_init_format_and_klar_ja(tmp_path):
    target, report = import_document(fixture("delad-tabell", False), tmp_path / "norrby.xlsx")
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["Instruktioner", "Plan", "Avsnitt", "Målgrupper", "Aktiviteter", "Sändlista"]
    sheet = workbook["Aktiviteter"]
    assert [c.value for c in sheet[1]] == [*ACTIVITY_SHEET.headers, "Budget"]
    assert '"Ja,Nej"' in [v.formula1 for v in sheet.data_validations.dataValidation]
    klar = [sheet.cell(row=r, column=6).value for r in range(2, 2 + len(NORRBY_ACTIVITIES))]
    assert [i for i, v in enumerate(klar) if v == "Ja"] == list(NORRBY_RED)
    colours = [sheet.cell(row=r, column=c).font.color for r in range(2, 9) for c in range(1, 8)]
    assert not any(c is not None and str(c.rgb).endswith("FF0000") for c in colours)  # Klar = Ja, not red
    plan = read_workbook(target)
    assert [a.done for a in plan.activities] == [i in NORRBY_RED for i in range(len(NORRBY_ACTIVITIES))]
    assert report.done == len(NORRBY_RED)


# -- plans written by hand: split tables, bullets, styles -------------------------------


@pytest.mark.parametrize("resaved", [False, True], ids=["python-docx", "libreoffice"])
def test_split_activity_table_is_joined_and_other_table_is_not(resaved):
    content, report = import_plan(fixture("delad-tabell", resaved))
    assert content.plan["Kommun"] == "Norrby" and content.plan["Projekt"] == "Bokning och bidrag"
    assert content.plan["Datum"] == dt.date(2025, 1, 20)
    assert content.plan["Slogan"] == "Tillsammans gör vi det enklare"  # without "Sida 1"
    assert content.extra_columns == ("Budget",)
    expected = [[*a[:5], "Ja" if i in NORRBY_RED else "", a[5]] for i, a in enumerate(NORRBY_ACTIVITIES)]
    assert content.activities == expected  # merged Ansvarig copied down, line breaks kept
    sections = dict(content.sections)
    assert sections["Målgrupper"] == ("De viktigaste målgrupperna är:\n\n- Politiker i kultur- och fritidsnämnden\n"
                                      "- Föreningar\n- Invånare som bokar lokaler")
    assert "Karin Ek – Projektledare – 010-1" in sections["Kontaktpersoner"]
    unsure = {f.place: f.message for f in report.unsure}
    assert "delvis röd" in unsure["tabell 3, rad 1"] if not resaved else any(
        "delvis röd" in m for m in unsure.values())
    assert any("sammanslagen" in m for m in unsure.values())
    assert any("ingen aktivitetstabell" in m for m in unsure.values())


@pytest.mark.parametrize("resaved", [False, True], ids=["python-docx", "libreoffice"])
def test_top_heading_level_styles_and_repeated_header(resaved):
    content, report = import_plan(fixture("rubrikformat", resaved))
    assert content.plan["Titel"] == "Aktivitetsplan – Söderby"
    assert content.plan["Projekt"] == "Digital bokning" and content.plan["Datum"] == dt.date(2025, 3, 3)
    assert content.sections == [("Bakgrund", "Första raden\nandra raden i samma stycke."),
                                ("Budskap", "- Det blir enklare att boka.\n- Det går snabbare att få bidrag.")]
    assert [row[:5] for row in content.activities] == [list(a) for a in STYLED_ACTIVITIES]
    assert done_rows(content) == list(STYLED_RED)  # theme colour and paragraph style
    assert any("Aktiviteter" in f.message for f in report.left_out)  # the table's own heading


def _docx(path: Path, build) -> Path:  # type: ignore[no-untyped-def]
    document = Document()
    build(document)
    document.save(str(path))
    return path


def _table(document, rows):  # type: ignore[no-untyped-def]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    return table


def test_header_synonyms_placeholder_rows_and_partial_guidance(tmp_path):
    def build(document):  # type: ignore[no-untyped-def]
        document.add_heading("Bakgrund", 1)
        document.add_paragraph("Vi inför tjänsten i höst. Fyll på med bakgrund och syfte med projektet.")
        _table(document, [["AKTIVITET", "Syfte  &  Målgrupp", "Datum", "Kanaler", "Ansvarig person"],
                          ["Möte", "Chefer", "Maj", "Möte", "Anna"],
                          ["Namn", "", "XXX", "", "Namn"]])

    content, report = import_plan(_docx(tmp_path / "p.docx", build))
    assert content.activities == [["Möte", "Chefer", "Maj", "Möte", "Anna", ""]]
    assert content.sections == [("Bakgrund", "Vi inför tjänsten i höst.")]
    assert any(f.place == "tabell 1, rad 3" and "exempelrad" in f.message for f in report.left_out)
    assert any(f.place == "stycke 2" and "instruktionstext" in f.message for f in report.unsure)


def test_red_through_a_table_style_and_a_localised_heading_style(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    def build(document):  # type: ignore[no-untyped-def]
        style = document.styles.add_style("Klara", WD_STYLE_TYPE.TABLE)
        style.font.color.rgb = RGBColor(0xE0, 0x10, 0x10)
        document.add_heading("Budskap", 1)
        document.add_paragraph("Det blir enklare.")
        table = _table(document, [["Aktivitet", "Tid"], ["Gjord", "Maj"], ["Inte gjord", "Juni"]])
        table.style = style
        for cell in table.rows[2].cells:
            cell.paragraphs[0].runs[0].font.color.rgb = RGBColor(0, 0, 0)
        for cell in table.rows[0].cells:
            cell.paragraphs[0].runs[0].font.color.rgb = RGBColor(0, 0, 0)

    path = _docx(tmp_path / "p.docx", build)
    # Swedish Word names the style "Rubrik1"; its built-in name stays "heading 1".
    import zipfile
    localised = tmp_path / "sv.docx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(localised, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename in ("word/document.xml", "word/styles.xml"):
                data = data.replace(b'"Heading1"', b'"Rubrik1"')
            new.writestr(item, data)
    content, _ = import_plan(localised)
    assert [h for h, _ in content.sections] == ["Budskap"]
    assert [row[0] for row in content.activities] == ["Gjord", "Inte gjord"]
    assert done_rows(content) == [0]


def test_title_row_above_the_header_is_left_out(tmp_path):
    def build(document):  # type: ignore[no-untyped-def]
        document.add_heading("Kanaler", 1)
        document.add_paragraph("Webb och möten.")
        table = _table(document, [["Aktivitetsplan 2025", "", ""], ["Aktivitet", "Kanal", "Ansvarig"],
                                  ["Film", "Webb", "Bo"]])
        table.cell(0, 0).merge(table.cell(0, 2))

    content, report = import_plan(_docx(tmp_path / "p.docx", build))
    assert content.activities == [["Film", "", "", "Webb", "Bo", ""]]
    assert any(f.place == "tabell 1, rad 1" and "Aktivitetsplan 2025" in f.message for f in report.left_out)


@pytest.mark.parametrize("line", ["den 15 augusti 2018", "Onsdag 15 Augusti 2018", "2018-08-15"])
def test_kommun_from_the_properties_and_swedish_date_lines(tmp_path, line):
    def build(document):  # type: ignore[no-untyped-def]
        document.core_properties.title = "Aktivitetsplan – Ekby"
        document.add_paragraph("Vår plan för 2018")
        document.add_paragraph(line)
        document.add_heading("Bakgrund", 1)
        document.add_paragraph("Ekby bygger om.")

    content, report = import_plan(_docx(tmp_path / "p.docx", build))
    assert content.plan["Kommun"] == "Ekby"
    assert content.plan["Titel"] == "Vår plan för 2018"
    assert content.plan["Datum"] == dt.date(2018, 8, 15)
    assert content.sections == [("Bakgrund", "Ekby bygger om.")]
    assert report.summary() == "1 avsnitt, 0 aktiviteter varav 0 klara"


def test_grid_span_cells_keep_their_columns(tmp_path):
    def build(document):  # type: ignore[no-untyped-def]
        document.add_heading("Kanaler", 1)
        table = _table(document, [["Aktivitet", "Tid", "Kanal", "Ansvarig"],
                                  ["Film", "Maj", "Webb", "Bo"], ["Affisch", "", "", "Eva"]])
        table.cell(2, 1).merge(table.cell(2, 2)).text = "Juni och juli"

    content, _ = import_plan(_docx(tmp_path / "p.docx", build))
    assert content.activities == [["Film", "", "Maj", "Webb", "Bo", ""],
                                  ["Affisch", "", "Juni och juli", "", "Eva", ""]]


# -- round trip ----------------------------------------------------------------------


def _comparable(plan):  # type: ignore[no-untyped-def]
    from generator.template.context import plan_title

    return (
        plan_title(plan), plan.municipality.text, plan.project.text.strip(), plan.slogan.text.strip(),
        [(s.heading.text.strip(), s.blocks) for s in plan.sections],
        [(a.activity.text, a.purpose.text, a.time.text, a.channel.text, a.responsible.text, a.done)
         for a in plan.activities],
    )


def _carried(plan):  # type: ignore[no-untyped-def]
    """What the document's text does not show: target groups, the hidden activity columns and Plan fields."""
    return (
        [(g.name.text, g.priority.text, g.needs.text, g.message.text, g.channels.text, g.comment.text)
         for g in plan.target_groups],
        [(a.target_groups.text, a.indicator.text, a.target_value.text, a.outcome.text) for a in plan.activities],
        plan.sort_order.text, plan.follow_up_date.text,
    )


def test_example_plan_round_trip(tmp_path, example_copy):
    first = generate(example_copy, tmp_path / "forsta.docx")
    workbook, report = import_document(first.output, tmp_path / "tillbaka.xlsx")
    assert report.summary() == "7 avsnitt, 15 aktiviteter varav 3 klara"
    again = read_workbook(workbook)
    assert _comparable(again) == _comparable(first.plan)
    assert again.date.date == dt.date(2018, 8, 15)
    # The target groups and the columns the activity table does not show come from the plan data
    # the document carries: the example has them all, so the parts made from them come back too.
    assert first.plan.target_groups and any(a.indicator for a in first.plan.activities)
    assert _carried(again) == _carried(first.plan)
    groups = f"{len(first.plan.target_groups)} målgrupper"
    assert any(f.place == "Målgrupper" and groups in f.message for f in report.mapped), report.mapped
    second = generate(workbook, tmp_path / "andra.docx")
    assert headings(second.output) == headings(first.output)
    assert activity_table(second.output) == activity_table(first.output)
    assert red_rows(second.output) == red_rows(first.output)
    assert [f.message for f in second.findings] == [f.message for f in first.findings]


def test_activity_renamed_in_word_keeps_its_text_and_loses_only_its_hidden_columns(tmp_path, example_copy):
    first = generate(example_copy, tmp_path / "forsta.docx")
    document = Document(str(first.output))
    old = first.plan.activities[0].activity.text
    cell = next(c for t in document.tables for r in t.rows for c in r.cells if c.text == old)
    cell.paragraphs[0].runs[0].text = "Ny rubrik skriven i Word"
    for run in cell.paragraphs[0].runs[1:]:
        run.text = ""
    document.save(str(tmp_path / "andrad.docx"))
    workbook, report = import_document(tmp_path / "andrad.docx", tmp_path / "tillbaka.xlsx")
    again = read_workbook(workbook)
    assert again.activities[0].activity.text == "Ny rubrik skriven i Word"
    assert again.activities[0].indicator.text == ""
    assert _carried(again)[1][1:] == _carried(first.plan)[1][1:]
    assert any("1 aktiviteter fanns inte i planens data" in f.message for f in report.unsure), report.unsure


@needs_libreoffice
@pytest.mark.libreoffice
def test_example_plan_round_trip_through_libreoffice(tmp_path, example_copy):
    first = generate(example_copy, tmp_path / "forsta.docx")
    resaved = tmp_path / "sparad.docx"
    assert resave_with_libreoffice(first.output, resaved)
    workbook, _ = import_document(resaved, tmp_path / "tillbaka.xlsx")
    again = read_workbook(workbook)
    assert _comparable(again) == _comparable(first.plan)
    assert _carried(again) == _carried(first.plan)  # LibreOffice keeps the plan data (versions/docxpart.py)


# -- files that are no Word plan ------------------------------------------------------


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def _bad_file(tmp_path: Path, name: str) -> tuple[Path, str]:
    """One file that is no Word plan, and words its message must hold."""
    if name == "brev":
        letter = tmp_path / "brev.docx"
        document = Document()
        document.add_paragraph("Hej! Här kommer protokollet från mötet.")
        document.save(str(letter))
        return letter, "ingen aktivitetsplan"
    if name == "dtd":
        return _zip(tmp_path / "dtd.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml":
                                            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'}), "DTD"
    if name == "bomb":
        return _zip(tmp_path / "bomb.docx", {"word/document.xml": b"\0" * (101 * 1024 * 1024)}), "zip-bomb"
    if name == "odt":
        return _zip(tmp_path / "plan.odt", {"mimetype": b"application/vnd.oasis.opendocument.text",
                                            "content.xml": b"<x/>"}), "OpenDocument"
    if name == "zip":
        return _zip(tmp_path / "arkiv.docx", {"a.txt": b"hej"}), "zip-fil"
    if name == "xlsx":
        return EXAMPLE, "Excel-arbetsbok"
    contents = {"tom": (b"", "tom"), "slump": (bytes(range(256)) * 4, "inget Word-dokument"),
                "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, "gamla Word-formatet"),
                "rtf": (b"{\\rtf1\\ansi Aktivitetsplan}", "RTF"),
                "krypterad": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
                              "lösenord")}
    data, words = contents[name]
    path = tmp_path / f"{name}.docx"
    path.write_bytes(data)
    return path, words


BAD_FILES = ("tom", "slump", "doc", "krypterad", "rtf", "odt", "zip", "xlsx", "bomb", "dtd", "brev")


@pytest.mark.parametrize("name", BAD_FILES)
def test_files_that_are_no_word_plan_give_a_clear_message(tmp_path, name):
    path, words = _bad_file(tmp_path, name)
    with pytest.raises(DocumentError) as caught:
        import_plan(path)
    assert words in str(caught.value)
    assert str(path) in str(caught.value)


@pytest.mark.slow  # the installed command in new processes
@pytest.mark.parametrize("name", ["slump", "odt", "brev"])
def test_cli_exit_1_without_traceback_and_writes_nothing(tmp_path, name):
    path, words = _bad_file(tmp_path, name)
    done = subprocess.run([str(BIN), "import", str(path), "-o", str(tmp_path / "ut.xlsx")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert words in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "ut.xlsx").exists()


# -- the command ----------------------------------------------------------------------


@pytest.mark.slow  # the installed command in new processes
def test_cli_writes_beside_the_document_and_prints_the_summary(tmp_path):
    source = tmp_path / "Plan Mittköping.docx"
    source.write_bytes(fixture("handskriven-mittkoping", False).read_bytes())
    done = subprocess.run([str(BIN), "import", str(source)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    target = tmp_path / "Plan Mittköping.xlsx"
    assert "7 avsnitt, 15 aktiviteter varav 3 klara" in done.stdout
    assert "tabell 1, rad 2, cell 5" in done.stdout and "stycke " in done.stdout
    assert f"Skrev {target}" in done.stdout
    assert read_workbook(target).municipality.text == "Mittköping"


def test_cli_never_overwrites_without_force_nor_the_document(tmp_path):
    source = tmp_path / "plan.docx"
    source.write_bytes(fixture("rubrikformat", False).read_bytes())
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"mitt arbete")
    runner = CliRunner()
    refused = runner.invoke(main, ["import", str(source)])
    assert refused.exit_code == 1 and "--force" in refused.output
    assert target.read_bytes() == b"mitt arbete"
    forced = runner.invoke(main, ["import", str(source), "--force"])
    assert forced.exit_code == 0, forced.output
    assert read_workbook(target).municipality.text == "Söderby"
    onto_input = runner.invoke(main, ["import", str(source), "-o", str(source), "--force"])
    assert onto_input.exit_code == 1 and "Word-dokumentet" in onto_input.output
    assert source.read_bytes() == fixture("rubrikformat", False).read_bytes()
    folder = tmp_path / "ut"
    folder.mkdir()
    into_folder = runner.invoke(main, ["import", str(source), "-o", str(folder)])
    assert into_folder.exit_code == 0, into_folder.output
    assert (folder / "plan.xlsx").is_file()
