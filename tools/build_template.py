"""Rebuild templates/aktivitetsplan.docx from code, so every change to it is a reviewable diff.

Run: python tools/build_template.py [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.document.docxml import (
    TBL_PR_ORDER,
    drop_styles_with_effects,
    field_runs,
    put_in_order,
    set_language,
    shade,
)
from generator.document.properties import set_extended_properties
from generator.plan.schema import table_cell, table_columns
from generator.versions.changes import CHANGES_HEADING

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "templates" / "aktivitetsplan.docx"

FONT = "Calibri"
BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
RED = RGBColor(0xC0, 0x00, 0x00)
HEADER_FILL = "1F4E79"
BORDER = "A6A6A6"
TEXT_WIDTH = Mm(170)
# The activity table's columns, widths in millimetres (sum 170), from the schema.
COLUMNS = table_columns()


def build(output: Path = DEFAULT_OUTPUT) -> Path:
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _contents_level_two(doc)
    _title_page(doc)
    _version_line(doc)
    _contents(doc)
    _changes(doc)
    _sections(doc)
    _target_groups(doc)
    _coverage(doc)
    _activity_plan(doc)
    _timeline(doc)
    _follow_up(doc)
    _header_footer(doc)
    _section_breaks(doc)
    _trim(doc)
    _settings(doc)
    set_extended_properties(doc.part.package, company="", application="aktivitetsplan")
    props = doc.core_properties
    props.title = "Aktivitetsplan"
    props.subject = "Kommunikationsplan"
    props.author = "aktivitetsplan"
    props.language = "sv-SE"
    props.comments = "Mall för aktivitetsplan. Variablerna beskrivs i README.md."
    output.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(output))
    return output


def _trim(doc) -> None:
    """Drop what python-docx's default template carries that this template does not need:
    its thumbnail (a picture of another document), the Word 2010 stylesWithEffects copy,
    and some hundred table styles (Word still offers its built-in ones)."""
    drop_styles_with_effects(doc.part)
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rid]
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in ("TableNormal", "TableGrid"):
            styles.remove(style)


def _settings(doc) -> None:
    """python-docx's settings name a zoom without the percentage the schema requires."""
    zoom = doc.settings.element.find(qn("w:zoom"))
    if zoom is not None:
        zoom.set(qn("w:percent"), "100")


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.header_distance = section.footer_distance = Mm(10)


def _styles(doc) -> None:
    styles = doc.styles
    set_language(styles.element)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15

    def tune(name, size, bold=False, color=None, before=0, after=6, italic=False):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = italic
        style.font.color.rgb = color
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            rfonts.attrib.pop(qn(attr), None)
        return style

    title = tune("Title", 30, bold=True, color=BLUE, before=120, after=12)
    _remove_border(title)
    tune("Subtitle", 16, color=GREY, after=6, italic=False)
    h1 = tune("Heading 1", 16, bold=True, color=BLUE, before=18, after=6)
    h1.paragraph_format.keep_with_next = True
    tune("Heading 2", 13, bold=True, color=BLUE, before=12, after=4)
    tune("TOC Heading", 16, bold=True, color=BLUE, before=0, after=12)
    tune("List Bullet", 11, after=3)
    toc1 = styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    toc1.base_style = styles["Normal"]
    toc1.paragraph_format.space_after = Pt(4)
    toc1.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    for name in ("Header", "Footer"):
        style = tune(name, 9, color=GREY, after=0)
        for tabs in style.element.get_or_add_pPr().findall(qn("w:tabs")):
            tabs.getparent().remove(tabs)
    table_text = styles.add_style("Tabelltext", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    table_text.font.size = Pt(9.5)
    table_text.paragraph_format.space_after = Pt(2)
    table_text.paragraph_format.line_spacing = 1.0
    table_head = styles.add_style("Tabellrubrik", WD_STYLE_TYPE.PARAGRAPH)
    table_head.base_style = table_text
    table_head.font.bold = True
    table_head.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _remove_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _title_page(doc) -> None:
    p = doc.add_paragraph("{%p if logotyp %}")
    logo = doc.add_paragraph("{{ logotyp }}")
    logo.alignment = WD_ALIGN_PARAGRAPH.LEFT
    doc.add_paragraph("{%p endif %}")
    del p
    doc.add_paragraph(style="Title").add_run("{{ titel }}")
    doc.add_paragraph("{%p if projekt %}")
    doc.add_paragraph("{{ projekt }}", style="Subtitle")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{ datum }}", style="Subtitle")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(doc) -> None:
    doc.add_paragraph("Innehåll", style="TOC Heading")
    start = doc.add_paragraph(style="TOC 1")
    runs = field_runs('TOC \\o "1-2" \\h \\z \\u', "Innehållsförteckningen fylls i när planen skapas.")
    for run in runs[:-1]:
        start._p.append(run)
    end = doc.add_paragraph()
    end._p.append(runs[-1])
    end.add_run().add_break(WD_BREAK.PAGE)


def _version_line(doc) -> None:
    """"Version 3, senast ändrad 12 mars 2026" on the title page, before its page break."""
    page_break = doc.paragraphs[-1]
    line = page_break.insert_paragraph_before("{%p if version %}")
    del line
    version = page_break.insert_paragraph_before(style="Normal")
    version.paragraph_format.space_before = Pt(12)
    run = version.add_run("Version {{ version }}{% if senast_andrad %}, senast ändrad {{ senast_andrad }}{% endif %}")
    run.font.color.rgb = GREY
    page_break.insert_paragraph_before("{%p endif %}")


def _changes(doc) -> None:
    """The section "Ändringar sedan förra versionen", only when there is a version to compare with."""
    doc.add_paragraph("{%p if andringar %}")
    doc.add_paragraph(CHANGES_HEADING, style="Heading 1")
    doc.add_paragraph("Jämfört med version {{ andringar.sedan_version }}{% if andringar.sedan %} "
                      "från {{ andringar.sedan }}{% endif %}: {{ andringar.sammanfattning }}.", style="Normal")
    doc.add_paragraph("{%p for grupp in andringar.grupper %}")
    label = doc.add_paragraph(style="Normal")
    label.paragraph_format.space_before = Pt(6)
    label.paragraph_format.space_after = Pt(2)
    label.paragraph_format.keep_with_next = True
    label.add_run("{{ grupp.rubrik }}").bold = True
    doc.add_paragraph("{%p for rad in grupp.rader %}")
    doc.add_paragraph("{{ rad }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def _sections(doc) -> None:
    for text, style in (
        ("{%p for avs in avsnitt %}", None),
        ("{{ avs.rubrik }}", "Heading 1"),
        ("{%p for stycke in avs.stycken %}", None),
        ("{%p if stycke.punkt %}", None),
        ("{{ stycke.text }}", "List Bullet"),
        ("{%p else %}", None),
        ("{{ stycke.text }}", "Normal"),
        ("{%p endif %}", None),
        ("{%p endfor %}", None),
    ):
        doc.add_paragraph(text, style=style)
    _group_table_in_section(doc)
    doc.add_paragraph("{%p endfor %}")


def _activity_plan(doc) -> None:
    heading = doc.add_paragraph("Aktivitetsplan", style="Heading 1")
    heading.paragraph_format.page_break_before = True
    table = doc.add_table(rows=8, cols=len(COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_borders(table)
    tags = {1: "{%tr for rad in aktiviteter %}", 2: "{%tr if rad.klar %}", 4: "{%tr else %}",
            6: "{%tr endif %}", 7: "{%tr endfor %}"}
    for index, row in enumerate(table.rows):
        for column, cell in enumerate(row.cells):
            cell.width = Mm(COLUMNS[column].table_width)
            paragraph = cell.paragraphs[0]
            paragraph.style = doc.styles["Tabelltext"]
            if index == 0:
                paragraph.style = doc.styles["Tabellrubrik"]
                paragraph.add_run(COLUMNS[column].header)
                shade(cell._tc.get_or_add_tcPr(), HEADER_FILL)
            elif index in tags:
                if column == 0:
                    paragraph.add_run(tags[index])
            else:
                text = table_cell(COLUMNS[column], done=index == 3)
                if text:
                    run = paragraph.add_run(text)
                    if index == 3:
                        run.font.color.rgb = RED
    for column, spec in enumerate(COLUMNS):
        table.columns[column].width = Mm(spec.table_width)
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    header_pr.append(OxmlElement("w:tblHeader"))
    for index in (3, 5):  # keep an activity's row on one page where it fits
        table.rows[index]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    _legend(doc, table)


def _legend(doc, table) -> None:
    """Under the table: what marks a done activity, in words too when a Klar column says it (WCAG 1.4.1)."""
    legend = doc.add_paragraph()
    legend.paragraph_format.space_before = Pt(8)
    legend.add_run("Röd text").font.color.rgb = RED
    last = table.rows[0].cells[-1].text.strip()
    if last.casefold() == "klar":
        legend.add_run(f" och {last} i sista kolumnen")
    legend.add_run(" betyder att aktiviteten är gjord/färdig. ")
    legend.add_run("{{ sammanfattning }}.")


def _table_borders(table) -> None:
    """Grey single borders and cell margins; table.autofit = False has made the layout fixed."""
    tbl_pr = table._tbl.tblPr
    borders = put_in_order(tbl_pr, "tblBorders", TBL_PR_ORDER)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), BORDER)
        borders.append(element)
    margins = put_in_order(tbl_pr, "tblCellMar", TBL_PR_ORDER)
    for edge, width in (("top", 57), ("left", 85), ("bottom", 57), ("right", 85)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(width))
        element.set(qn("w:type"), "dxa")
        margins.append(element)


def _header_footer(doc) -> None:
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run("{{ titel }}")
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    slogan = footer.add_run("{{ slogan }}")
    slogan.bold = True
    slogan.font.color.rgb = BLUE
    footer.add_run("\tSida ")
    for run in field_runs("PAGE", "1"):
        footer._p.append(run)
    footer.add_run(" av ")
    for run in field_runs("NUMPAGES", "1"):
        footer._p.append(run)


# -- the living plan: target groups, coverage, timeline, follow-up (variables of generator/template/context_plan.py) --

GROUP_COLUMNS = (("Målgrupp", 30, "namn"), ("Prioritet", 18, "prioritet"), ("Behöver veta", 42, "behover_veta"),
                 ("Budskap", 42, "budskap"), ("Kanaler", 38, "kanaler"))
TIMELINE_FILL = "2E75B6"
TODAY_HEADER_FILL = "C55A11"


def _caption(table, caption: str, description: str) -> None:
    """A table's title and description: read aloud by screen readers, and how finish_document finds it."""
    tbl_pr = table._tbl.tblPr
    put_in_order(tbl_pr, "tblCaption", TBL_PR_ORDER).set(qn("w:val"), caption)
    put_in_order(tbl_pr, "tblDescription", TBL_PR_ORDER).set(qn("w:val"), description)


def _loop_table(doc, columns, loop: str, caption: str, description: str):
    """A header row and one row per record: columns are (header, width in mm, template text)."""
    table = doc.add_table(rows=4, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_borders(table)
    _caption(table, caption, description)
    for index, row in enumerate(table.rows):
        for column, cell in enumerate(row.cells):
            header, width, text = columns[column]
            cell.width = Mm(width)
            paragraph = cell.paragraphs[0]
            paragraph.style = doc.styles["Tabelltext"]
            if index == 0:
                paragraph.style = doc.styles["Tabellrubrik"]
                paragraph.add_run(header)
                shade(cell._tc.get_or_add_tcPr(), HEADER_FILL)
            elif index == 1 and column == 0:
                paragraph.add_run(f"{{%tr for {loop} %}}")
            elif index == 2:
                paragraph.add_run(text)
            elif index == 3 and column == 0:
                paragraph.add_run("{%tr endfor %}")
    for column, (_, width, _) in enumerate(columns):
        table.columns[column].width = Mm(width)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    table.rows[2]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return table


def _contents_level_two(doc) -> None:
    """The table of contents' second level (the follow-up's Heading 2 parts), indented under the first."""
    toc2 = doc.styles.add_style("TOC 2", WD_STYLE_TYPE.PARAGRAPH)
    toc2.base_style = doc.styles["TOC 1"]
    toc2.paragraph_format.left_indent = Mm(5)
    toc2.paragraph_format.space_after = Pt(2)


def _group_table(doc, loop: str) -> None:
    _loop_table(doc, [(h, w, f"{{{{ mg.{f} }}}}") for h, w, f in GROUP_COLUMNS], loop, "Målgrupper",
                "Målgrupperna med prioritet, vad de behöver veta, budskap och kanaler.")
    doc.add_paragraph()


def _group_table_in_section(doc) -> None:
    """The section whose Rubrik is "Målgrupper" carries the target-group table after its text."""
    doc.add_paragraph('{%p if avs.tabell == "malgrupper" %}')
    _group_table(doc, "mg in malgrupper")
    doc.add_paragraph("{%p endif %}")


def _target_groups(doc) -> None:
    """With no section "Målgrupper", the target groups get their own heading after the sections."""
    doc.add_paragraph("{%p if malgrupper and not malgrupper_i_avsnitt %}")
    doc.add_paragraph("Målgrupper", style="Heading 1")
    _group_table(doc, "mg in malgrupper")
    doc.add_paragraph("{%p endif %}")


def _coverage(doc) -> None:
    doc.add_paragraph("{%p if tackning %}")
    doc.add_paragraph("Målgrupper och kanaler", style="Heading 1")
    doc.add_paragraph("Antal aktiviteter som når varje målgrupp i varje kanal. Klara aktiviteter inom parentes, "
                      "– betyder att ingen aktivitet når målgruppen i den kanalen.")
    table = doc.add_table(rows=3, cols=4)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_borders(table)
    _caption(table, "Målgrupper och kanaler", "Antal aktiviteter per målgrupp och kanal, klara inom parentes.")
    texts = (("Målgrupp", "{%tc for kanal in tackning.kanaler %}", "{{ kanal }}", "{%tc endfor %}"),
             ("{%tr for tack in tackning.rader %}", "", "", ""),
             ("{{ tack.malgrupp }}", "{%tc for antal in tack.celler %}", "{{ antal }}", "{%tc endfor %}"))
    widths = (45, 5, 115, 5)
    for index, row in enumerate(table.rows):
        for column, cell in enumerate(row.cells):
            cell.width = Mm(widths[column])
            paragraph = cell.paragraphs[0]
            paragraph.style = doc.styles["Tabellrubrik" if index == 0 else "Tabelltext"]
            if texts[index][column]:
                paragraph.add_run(texts[index][column])
            if index == 0:
                shade(cell._tc.get_or_add_tcPr(), HEADER_FILL)
            elif index == 2 and column == 2:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.add_row().cells[0].paragraphs[0].add_run("{%tr endfor %}")
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    doc.add_paragraph()
    doc.add_paragraph("{%p endif %}")


def _timeline(doc) -> None:
    """One narrow column per month (quarter, year), shaded where an activity runs; landscape when wide."""
    doc.add_paragraph("{%p if tidslinje %}")
    doc.add_paragraph("{%p if tidslinje.liggande %}")
    doc.add_paragraph()  # ends the portrait section: _section_breaks gives it its sectPr
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("Tidslinje", style="Heading 1")
    table = doc.add_table(rows=9, cols=5)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_borders(table)
    _caption(table, "Tidslinje", "Aktiviteterna över planens tid, en kolumn per period; fylld där aktiviteten pågår.")
    tags = {2: "{%tr for linje in tidslinje.rader %}", 3: "{%tr if linje.klar %}", 5: "{%tr else %}",
            7: "{%tr endif %}", 8: "{%tr endfor %}"}
    loops = {0: "{%tc for ar in tidslinje.ar %}", 1: "{%tc for kol in tidslinje.kolumner %}",
             4: "{%tc for cell in linje.celler %}", 6: "{%tc for cell in linje.celler %}"}
    widths = (55, 20, 3, 92, 3)
    for index, row in enumerate(table.rows):
        for column, cell in enumerate(row.cells):
            cell.width = Mm(widths[column])
            paragraph = cell.paragraphs[0]
            paragraph.style = doc.styles["Tabellrubrik" if index < 2 else "Tabelltext"]
            if index in tags:
                if column == 0:
                    paragraph.add_run(tags[index])
                continue
            if column == 2:
                paragraph.add_run(loops[index])
            elif column == 4:
                paragraph.add_run("{%tc endfor %}")
            elif index < 2:
                _timeline_header_cell(cell, paragraph, index, column)
            else:
                _timeline_cell(paragraph, column, red=index == 4)
    for column, width in enumerate(widths):
        table.columns[column].width = Mm(width)
    for index in (0, 1):
        table.rows[index]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for index in (4, 6):
        table.rows[index]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    legend = doc.add_paragraph()
    legend.paragraph_format.space_before = Pt(8)
    legend.add_run("Blå").font.color.rgb = RGBColor(0x2E, 0x75, 0xB6)
    legend.add_run(" = planerad tid, ")
    legend.add_run("röd").font.color.rgb = RED
    legend.add_run(" = klar, ▶ = pågår vidare (löpande).")
    legend.add_run("{%r if tidslinje.idag_syns %} Orange rubrik = perioden då planens läge gäller "
                   "({{ uppfoljning.referensdag if uppfoljning else genererad }}).{%r endif %}")
    legend.add_run("{%r if tidslinje.utelamnade %} Tidslinjen visar de {{ tidslinje.rader|length }} aktiviteter "
                   "som börjar först; {{ tidslinje.utelamnade }} till står bara i aktivitetstabellen.{%r endif %}")
    doc.add_paragraph("{%p if tidslinje.liggande %}")
    doc.add_paragraph()  # ends the landscape section: _section_breaks gives it its sectPr
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endif %}")


def _timeline_header_cell(cell, paragraph, row: int, column: int) -> None:
    """Two header rows: Aktivitet and Tid over both, the years (spanning their columns) over the periods."""
    tc_pr = cell._tc.get_or_add_tcPr()
    if column < 2:
        shade(tc_pr, HEADER_FILL)
        merge = tc_pr.get_or_add_vMerge()  # in schema order
        if row == 0:
            merge.set(qn("w:val"), "restart")
            paragraph.add_run(("Aktivitet", "Tid")[column])
        return
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if row == 0:
        shade(tc_pr, HEADER_FILL)
        paragraph.add_run("{% colspan ar.kolumner %}")
        paragraph.add_run("{{ ar.ar }}").font.size = Pt(8)
    else:
        paragraph.add_run(f'{{% cellbg "{TODAY_HEADER_FILL}" if kol.idag else "{HEADER_FILL}" %}}')
        paragraph.add_run("{{ kol.etikett }}").font.size = Pt(7.5)


def _timeline_cell(paragraph, column: int, red: bool) -> None:
    """An activity's row: its short name and Tid (red and marked when done), then one cell per period."""
    if column == 0:
        run = paragraph.add_run("{{ linje.kort }}")
        if red:
            run.font.color.rgb = RED
            paragraph.add_run(" (klar)").font.color.rgb = RED
    elif column == 1:
        run = paragraph.add_run("{{ linje.tid }}")
        run.font.size = Pt(8)
        if red:
            run.font.color.rgb = RED
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("{% cellbg cell.farg %}")
        mark = paragraph.add_run("{{ cell.tecken }}")
        mark.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        mark.font.size = Pt(7.5)


def _follow_up(doc) -> None:
    doc.add_paragraph("{%p if uppfoljning %}")
    doc.add_paragraph("Uppföljning", style="Heading 1")
    doc.add_paragraph("Läget den {{ uppfoljning.referensdag }}: {{ uppfoljning.klara }}.")
    doc.add_paragraph("{%p if uppfoljning.malgrupper %}")
    doc.add_paragraph("Per målgrupp", style="Heading 2")
    _loop_table(doc, (("Målgrupp", 60, "{{ grupp.namn }}"), ("Klara", 110, "{{ grupp.text }}")),
                "grupp in uppfoljning.malgrupper", "Uppföljning per målgrupp",
                "Hur många av aktiviteterna för varje målgrupp som är klara.")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if uppfoljning.forsenade %}")
    doc.add_paragraph("Försenade aktiviteter", style="Heading 2")
    doc.add_paragraph("Aktiviteter vars tid har gått ut utan att de är klara.")
    _loop_table(doc, (("Aktivitet", 100, "{{ sen.aktivitet }}"), ("Tid", 35, "{{ sen.tid }}"),
                      ("Ansvarig", 35, "{{ sen.ansvarig }}")),
                "sen in uppfoljning.forsenade", "Försenade aktiviteter",
                "Aktiviteter vars tid har gått ut utan att de är klara.")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if uppfoljning.indikatorer %}")
    doc.add_paragraph("Indikatorer", style="Heading 2")
    _loop_table(doc, (("Aktivitet", 64, "{{ ind.aktivitet }}"), ("Indikator", 46, "{{ ind.indikator }}"),
                      ("Målvärde", 30, "{{ ind.malvarde }}"), ("Utfall", 30, "{{ ind.utfall }}")),
                "ind in uppfoljning.indikatorer", "Indikatorer",
                "Aktiviteternas indikatorer med målvärde och utfall.")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endif %}")


def _section_breaks(doc) -> None:
    """Give the timeline's two section breaks (the paragraph after each "if tidslinje.liggande") their
    sectPr: the one before ends a portrait section, the one after the landscape section; both with the
    document's header and footer. Run after _header_footer, which works on the first section."""
    from copy import deepcopy

    body = doc.element.body
    final = body.find(qn("w:sectPr"))
    before, after = [p._p.getnext() for p in doc.paragraphs if p.text == "{%p if tidslinje.liggande %}"]
    before.get_or_add_pPr().append(deepcopy(final))
    landscape = deepcopy(final)
    size = landscape.find(qn("w:pgSz"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    size.set(qn("w:w"), height)
    size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")
    after.get_or_add_pPr().append(landscape)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    print(f"Skrev {build(target)}")
