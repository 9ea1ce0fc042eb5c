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
from generator.changes import CHANGES_HEADING
from generator.docxml import TBL_PR_ORDER, drop_styles_with_effects, field_runs, put_in_order, set_language, shade
from generator.properties import set_extended_properties

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "templates" / "aktivitetsplan.docx"

FONT = "Calibri"
BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
RED = RGBColor(0xC0, 0x00, 0x00)
HEADER_FILL = "1F4E79"
BORDER = "A6A6A6"
TEXT_WIDTH = Mm(170)
# Aktivitet | Syfte och målgrupp | Tid | Kanal | Ansvarig, in millimetres (sum 170).
COLUMNS = (("Aktivitet", 52), ("Syfte och målgrupp", 50), ("Tid", 22), ("Kanal", 25), ("Ansvarig", 21))
FIELDS = ("aktivitet", "syfte", "tid", "kanal", "ansvarig")


def build(output: Path = DEFAULT_OUTPUT) -> Path:
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _title_page(doc)
    _version_line(doc)
    _contents(doc)
    _changes(doc)
    _sections(doc)
    _activity_plan(doc)
    _header_footer(doc)
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
        ("{%p endfor %}", None),
    ):
        doc.add_paragraph(text, style=style)


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
            cell.width = Mm(COLUMNS[column][1])
            paragraph = cell.paragraphs[0]
            paragraph.style = doc.styles["Tabelltext"]
            if index == 0:
                paragraph.style = doc.styles["Tabellrubrik"]
                paragraph.add_run(COLUMNS[column][0])
                shade(cell._tc.get_or_add_tcPr(), HEADER_FILL)
            elif index in tags:
                if column == 0:
                    paragraph.add_run(tags[index])
            else:
                run = paragraph.add_run(f"{{{{ rad.{FIELDS[column]} }}}}")
                if index == 3:
                    run.font.color.rgb = RED
    for column, (_, width) in enumerate(COLUMNS):
        table.columns[column].width = Mm(width)
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    header_pr.append(OxmlElement("w:tblHeader"))
    for index in (3, 5):  # keep an activity's row on one page where it fits
        table.rows[index]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    legend = doc.add_paragraph()
    legend.paragraph_format.space_before = Pt(8)
    legend.add_run("Röd text").font.color.rgb = RED
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


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    print(f"Skrev {build(target)}")
