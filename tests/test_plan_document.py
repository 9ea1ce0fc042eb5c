"""Target groups, coverage, timeline and follow-up in the generated document, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from test_analysis import ACTIVITIES, GROUPS

from conftest import living_plan, needs_libreoffice, pdf_pages
from generator.delivery.pdf import convert_to_pdf
from generator.document.render import DEFAULT_TEMPLATE, check_template, render_document
from generator.plan.model import Value

TODAY = dt.date(2026, 11, 27)
SECTIONS = (("Bakgrund", "Om projektet."), ("Målgrupper", "Våra viktigaste målgrupper."), ("Budskap", "Enkelt."))


def render(tmp_path: Path, plan, template: Path = DEFAULT_TEMPLATE, name: str = "plan.docx") -> Path:
    output = tmp_path / name
    render_document(plan, template, output, TODAY)
    return output


def full_plan(**fields):
    fields.setdefault("sections", SECTIONS)
    fields.setdefault("date", dt.date(2019, 1, 15))
    fields.setdefault("follow_up_date", dt.date(2019, 6, 30))
    fields.setdefault("municipality", "Testköping")
    return living_plan(ACTIVITIES, GROUPS, **fields)


def body_items(document):
    """Paragraphs (text, style) and tables ("<tabell: first header cell>") in body order."""
    items = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = next(p for p in document.paragraphs if p._p is element)
            items.append((paragraph.text, paragraph.style.name))
        elif element.tag == qn("w:tbl"):
            table = next(t for t in document.tables if t._tbl is element)
            items.append((f"<tabell: {table.rows[0].cells[0].text}|{table.rows[0].cells[1].text}>", ""))
    return items


def table_with_header(document, *header):
    found = [t for t in document.tables if tuple(c.text for c in t.rows[0].cells[:len(header)]) == header]
    assert len(found) == 1, [[c.text for c in t.rows[0].cells] for t in document.tables]
    return found[0]


def rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def fill(cell) -> str:
    shd = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
    return shd.get(qn("w:fill")) if shd is not None else ""


def headings(document, level=1):
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    return Document(str(render(tmp_path_factory.mktemp("plan"), full_plan())))


def test_target_groups_table_follows_the_text_of_the_section_malgrupper(document):
    items = body_items(document)
    start = items.index(("Målgrupper", "Heading 1"))
    assert items[start + 1] == ("Våra viktigaste målgrupper.", "Normal")
    assert items[start + 2][0] == "<tabell: Målgrupp|Prioritet>"
    assert items[start + 4] == ("Budskap", "Heading 1")
    assert headings(document).count("Målgrupper") == 1
    table = table_with_header(document, "Målgrupp", "Prioritet", "Behöver veta")
    assert [r[:2] for r in rows(table)[1:]] == [["Politiker", "Primär"], ["Chefer", "Sekundär"], ["Föreningar", "2"]]
    assert rows(table)[1][4] == "Möte, E-post"


def test_without_a_section_malgrupper_the_table_gets_its_own_heading_after_the_sections(tmp_path):
    document = Document(str(render(tmp_path, full_plan(sections=(("Bakgrund", "Om projektet."),)))))
    assert headings(document)[:3] == ["Bakgrund", "Målgrupper", "Målgrupper och kanaler"]
    items = body_items(document)
    start = items.index(("Målgrupper", "Heading 1"))
    assert items[start + 1][0] == "<tabell: Målgrupp|Prioritet>"


def test_coverage_table(document):
    table = table_with_header(document, "Målgrupp", "Möte")
    assert rows(table) == [
        ["Målgrupp", "Möte", "E-post", "Intranät", "Webb", "(ingen kanal)", "Sociala medier"],
        ["Politiker", "1 (1)", "1", "–", "–", "1 (1)", "–"],
        ["Chefer", "–", "1", "1", "–", "–", "–"],
        ["Föreningar", "1", "1", "–", "–", "–", "–"],
        ["Invånare", "1", "1", "–", "–", "–", "–"],
        ["(ingen målgrupp angiven)", "–", "–", "–", "1", "–", "–"],
    ]
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    # The channels share the rest of the width, each as wide as its longest word needs and then alike
    # (test_living_plan::test_coverage_columns_keep_their_longest_word_whole).
    assert len(grid) == 7 and grid[0] == 2550 and sum(grid) == 9638


def test_timeline_table_shades_periods_marks_open_ends_and_done_rows(document):
    table = table_with_header(document, "Aktivitet", "Tid", "2019")
    years, labels = rows(table)[:2]
    assert years == ["Aktivitet", "Tid"] + ["2019"] * 7   # one cell spanning the year's columns
    assert len(table.rows[0]._tr.findall(qn("w:tc"))) == 3
    assert labels[2:] == ["jan", "feb", "mar", "apr", "maj", "jun", "jul"]
    for header_row in table.rows[:2]:
        assert header_row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert fill(table.rows[1].cells[7]) == "C55A11"   # the reference day's month (June)
    assert fill(table.rows[1].cells[6]) == "1F4E79"
    body = table.rows[2:]
    names = [row.cells[0].text for row in body]
    assert names == ["PM", "Nämndmöte (klar)", "Utbildning (klar)", "Föreningsmöte", "Intranätsgrupp"]
    marks = {row.cells[0].text: "".join("#" if fill(c) in ("2E75B6", "C00000") else "." for c in row.cells[2:])
             for row in body}
    assert marks == {"PM": "###....", "Nämndmöte (klar)": "..#....", "Utbildning (klar)": "...#...",
                     "Föreningsmöte": "....###", "Intranätsgrupp": "......#"}
    assert fill(body[1].cells[4]) == "C00000" and fill(body[0].cells[2]) == "2E75B6"
    assert fill(body[0].cells[7]) == "FBE4D5"   # today's column, not shaded by the period
    assert [c.text for c in body[3].cells[2:]] == ["", "", "", "", "", "", "▶"]   # runs on past July
    done_runs = [r for p in body[1].cells[0].paragraphs for r in p.runs if r.text.strip()]
    assert done_runs and all(str(r.font.color.rgb) == "C00000" for r in done_runs)
    plain_runs = [r for p in body[0].cells[0].paragraphs for r in p.runs if r.text.strip()]
    assert plain_runs and all(r.font.color.rgb is None for r in plain_runs)


def test_short_timeline_stays_on_the_portrait_page_and_wide_one_gets_a_landscape_section(document, tmp_path):
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT]
    wide = living_plan([{"activity": "Lång", "time": "jan 2018 – jun 2019", "indicator": "Antal"}],
                       sections=SECTIONS)
    wide_document = Document(str(render(tmp_path, wide)))
    assert [s.orientation for s in wide_document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE,
                                                               WD_ORIENT.PORTRAIT]
    landscape = wide_document.sections[1]
    assert landscape.page_width > landscape.page_height
    assert landscape.header.paragraphs[0].text == wide_document.sections[0].header.paragraphs[0].text
    table = table_with_header(wide_document, "Aktivitet", "Tid", "2018")
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    text_width = landscape.page_width - landscape.left_margin - landscape.right_margin
    assert len(grid) == 20 and abs(sum(grid) * 635 - text_width) < 20 * 635   # twips -> EMU
    assert rows(table)[0][2:] == ["2018"] * 12 + ["2019"] * 6
    items = body_items(wide_document)
    assert items.index(("Aktivitetsplan", "Heading 1")) < items.index(("Tidslinje", "Heading 1")) < items.index(
        ("Uppföljning", "Heading 1"))


def test_a_landscape_timeline_at_the_end_leaves_no_blank_portrait_page(tmp_path):
    wide = living_plan([{"activity": "Lång", "time": "jan 2018 – jun 2019"}], sections=SECTIONS)
    document = Document(str(render(tmp_path, wide)))
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert document.sections[1].footer.paragraphs[0].text == document.sections[0].footer.paragraphs[0].text


def test_follow_up_section(document):
    items = body_items(document)
    start = items.index(("Uppföljning", "Heading 1"))
    assert items[start + 1][0] == "Läget den 30 juni 2019: 2 av 6 aktiviteter klara (33\u00a0%)."
    assert headings(document, 2) == ["Per målgrupp", "Försenade aktiviteter", "Indikatorer"]
    assert rows(table_with_header(document, "Målgrupp", "Klara"))[1:] == [
        ["Politiker", "2 av 3 aktiviteter klara (67\u00a0%)"], ["Chefer", "0 av 2 aktiviteter klara (0\u00a0%)"],
        ["Föreningar", "0 av 1 aktivitet klar (0\u00a0%)"], ["Invånare", "0 av 1 aktivitet klar (0\u00a0%)"]]
    assert rows(table_with_header(document, "Aktivitet", "Tid", "Ansvarig"))[1:] == [["PM", "Q1 2019", ""]]
    assert rows(table_with_header(document, "Aktivitet", "Indikator"))[1:] == [
        ["Nämndmöte", "Antal nämnder", "3", "3"], ["Intranätsgrupp", "Medlemmar", "50", ""]]


def test_every_part_is_in_the_table_of_contents(document):
    entries = [p.text.split("\t")[0] for p in document.paragraphs if p.style.name == "TOC 1"]
    assert entries == ["Bakgrund", "Målgrupper", "Budskap", "Målgrupper och kanaler", "Aktivitetsplan", "Tidslinje",
                       "Uppföljning"]
    level2 = [p.text.split("\t")[0] for p in document.paragraphs if p.style.name == "TOC 2"]
    assert level2 == ["Per målgrupp", "Försenade aktiviteter", "Indikatorer"]


def test_parts_without_data_are_left_out_entirely(tmp_path):
    plan = living_plan([{"activity": "Möte", "time": "snart", "channel": "Möte"}], sections=SECTIONS)
    document = Document(str(render(tmp_path, plan)))
    assert headings(document) == ["Bakgrund", "Målgrupper", "Budskap", "Aktivitetsplan"]
    assert [t.rows[0].cells[0].text for t in document.tables] == ["Aktivitet"]
    assert len(document.sections) == 1
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Tidslinje" not in text and "Uppföljning" not in text and "{" not in text


def test_sort_order_tid_sorts_the_activity_table(tmp_path):
    def order(**fields):
        document = Document(str(render(tmp_path, full_plan(**fields))))
        return [r[0] for r in rows(table_with_header(document, "Aktivitet", "Syfte och målgrupp"))[1:]]
    assert order() == ["Nämndmöte", "PM", "Föreningsmöte", "Intranätsgrupp", "Webb", "Utbildning"]
    assert order(sort_order="Tid") == ["PM", "Nämndmöte", "Utbildning", "Föreningsmöte", "Intranätsgrupp", "Webb"]


def test_a_custom_template_reaches_the_documented_variables(tmp_path):
    template = Document()
    for text in ("{%p for mg in malgrupper %}", "Grupp {{ mg.namn }} ({{ mg.prioritet }})", "{%p endfor %}",
                 "Kanaler: {{ tackning.kanaler|join(', ') }}",
                 "Tid: {{ tidslinje.kolumner|length }} {{ tidslinje.steg }}er, {{ tidslinje.rader|length }} rader",
                 "{{ uppfoljning.klara }} den {{ uppfoljning.referensdag_iso }}",
                 "{%p for sen in uppfoljning.forsenade %}", "Sen: {{ sen.aktivitet }}", "{%p endfor %}"):
        template.add_paragraph(text)
    template.save(str(tmp_path / "mall.docx"))
    assert [f for f in check_template(tmp_path / "mall.docx") if f.is_error] == []  # warnings: no title …
    texts = [p.text for p in Document(str(render(tmp_path, full_plan(), tmp_path / "mall.docx"))).paragraphs]
    assert texts == ["Grupp Politiker (Primär)", "Grupp Chefer (Sekundär)", "Grupp Föreningar (2)",
                     "Kanaler: Möte, E-post, Intranät, Webb, (ingen kanal), Sociala medier",
                     "Tid: 7 månader, 5 rader", "2 av 6 aktiviteter klara (33\u00a0%) den 2019-06-30", "Sen: PM"]


def test_follow_up_without_a_date_uses_today(tmp_path):
    plan = full_plan(follow_up_date=Value(""))
    document = Document(str(render(tmp_path, plan)))
    assert "Uppföljning" in headings(document)
    assert any(p.text.startswith("Läget den 27 november 2026:") for p in document.paragraphs)


@needs_libreoffice
def test_landscape_timeline_prints_legibly(tmp_path):
    activities = [{"activity": f"Aktivitet nummer {i}", "time": f"{month} 2018 – {end}",
                   "done_mark": "Ja" if i % 3 == 0 else ""}
                  for i, (month, end) in enumerate([("jan", "mars 2018"), ("april", "pågående"), ("juni", "maj 2019"),
                                                    ("aug", "okt 2018"), ("okt", "feb 2019")], start=1)]
    plan = living_plan(activities, sections=SECTIONS, follow_up_date=dt.date(2019, 5, 15))
    pdf = convert_to_pdf(render(tmp_path, plan), tmp_path / "plan.pdf")
    pages = pdf_pages(pdf)
    page = next(i for i, text in enumerate(pages) if "Tidslinje" in text and "Aktivitet nummer 1" in text)
    info = subprocess.run(["pdfinfo", "-f", str(page + 1), "-l", str(page + 1), str(pdf)], check=True,
                          capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith(f"Page{page + 1:>5} size:"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split("x"))
    assert width > height   # landscape
    text = pages[page]
    for label in ("jan", "feb", "dec", "2018", "2019", "Aktivitet nummer 5", "Aktivitet nummer 3 (klar)"):
        assert label in text
    # Every month label sits on one line: none was squeezed into pieces.
    header = next(line for line in text.splitlines() if "jan" in line and "feb" in line)
    assert all(m in header for m in ("mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov"))


def test_readme_documents_every_variable_of_the_living_plan():
    from generator.template.context_plan import TEMPLATE_NAMES, TEMPLATE_RECORDS

    readme = (Path(__file__).resolve().parent.parent / "docs" / "dokumentet-och-mallar.md").read_text(encoding="utf-8")
    for name in TEMPLATE_NAMES:
        assert f"| `{name}` |" in readme, name
    for keys in TEMPLATE_RECORDS.values():
        for key in keys:
            assert f"`{key}`" in readme or f".{key}`" in readme, key


def test_import_leaves_out_the_parts_made_from_the_workbooks_data(tmp_path):
    from generator.importing import import_document
    from generator.workbook.reader import read_workbook

    workbook, report = import_document(render(tmp_path, full_plan()), tmp_path / "tillbaka.xlsx")
    plan = read_workbook(workbook)
    assert [s.heading.text for s in plan.sections] == ["Bakgrund", "Målgrupper", "Budskap"]
    assert [b.text for b in plan.sections[1].blocks] == ["Våra viktigaste målgrupper."]
    assert [a.activity.text for a in plan.activities][:2] == ["Nämndmöte", "PM"]
    assert "en tabell som verktyget gör av arbetsbokens uppgifter" in "\n".join(str(f) for f in report.left_out)
