"""init --mall … --profil: the plan's template in the kommun's own look, built from its Word template."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from PIL import Image
from test_word_valid import audit, word_problems

from conftest import (
    ACTIVITY_HEADER,
    EXAMPLE,
    default_sheets,
    find_activity_table,
    needs_libreoffice,
    pdf_pages,
    resave_document_with_libreoffice,
    serious_violations,
    shot,
    upload,
    write_workbook,
)
from generator.cli import main
from generator.document.docxml import field_runs
from generator.document.fonts import font_available
from generator.document.render import check_template
from generator.flows.generating import generate
from generator.flows.initializing import build_profile_template

GREEN = "1E5631"
PLUM = "7A1F5C"
RED = "C00000"
KOMMUN = "Mittköpings kommun"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SWEDISH_IDS = {"Heading1": "Rubrik1", "Heading2": "Rubrik2", "Heading3": "Rubrik3", "Title": "Rubrik",
               "Subtitle": "Underrubrik"}


def _font(style: Any, family: str) -> None:
    """A style's font chosen in Word's font box: the family in place of the theme's font."""
    style.font.name = family
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for name in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(name), None)


def make_profile(folder: Path, name: str = "kommunens-mall.docx", margins: int = 20, footer_page: bool = False,
                 table_fill: str | None = None, numbered: bool = False, header_text: str = KOMMUN,
                 swedish_ids: bool = False, heading_colour: str = GREEN) -> Path:
    """A kommun's Word template as the issue describes it: headings in Georgia, dark green; body in Arial 11;
    A4 with 2 cm margins; a header with a logo image and the kommun's name."""
    folder.mkdir(parents=True, exist_ok=True)
    logo = folder / "kommunlogo.png"
    Image.new("RGB", (240, 80), (0x1E, 0x56, 0x31)).save(logo)
    document = Document()
    normal = document.styles["Normal"]
    _font(normal, "Arial")
    normal.font.size = Pt(11)
    for style_name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        style = document.styles[style_name]
        _font(style, "Georgia")
        style.font.color.rgb = RGBColor.from_string(heading_colour)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(margins)
    header = section.header.paragraphs[0]
    header.add_run().add_picture(str(logo), width=Mm(30))
    header.add_run(f"\t{header_text}")
    if footer_page:
        footer = section.footer.paragraphs[0]
        footer.add_run(f"{KOMMUN} · Storgatan 1 · Sida ")
        for run in field_runs("PAGE", "1"):
            footer._p.append(run)
    if numbered:
        numbering = document.styles["Heading 1"].element.get_or_add_pPr()
        numbering.append(parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'))
    if table_fill:
        style = document.styles.add_style("Kommunens tabell", WD_STYLE_TYPE.TABLE)
        style.element.append(parse_xml(
            f'<w:tblStylePr xmlns:w="{W}" w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{table_fill}"/></w:tcPr></w:tblStylePr>'))
        document.add_table(rows=2, cols=2).style = style
    document.add_paragraph("Rubrik i kommunens stil", style="Heading 1")
    document.add_paragraph("Brödtext i kommunens stil.")
    if swedish_ids:  # Swedish Word names the built-in styles' ids in Swedish
        for element in document.styles.element.iter(qn("w:style"), qn("w:basedOn"), qn("w:next"), qn("w:link")):
            key = qn("w:styleId") if element.tag == qn("w:style") else qn("w:val")
            element.set(key, SWEDISH_IDS.get(element.get(key), element.get(key)))
        for element in document.element.body.iter(qn("w:pStyle")):
            element.set(qn("w:val"), SWEDISH_IDS.get(element.get(qn("w:val")), element.get(qn("w:val"))))
    path = folder / name
    document.save(str(path))
    return path


def _rewrite(path: Path, target: Path, member: str, change: Any) -> Path:
    """A copy of a package at target with one part's bytes changed."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            content = source.read(info)
            copy.writestr(info, change(content) if info.filename == member else content)
    return target


def as_dotx(path: Path) -> Path:
    """The profile saved as a Word template (.dotx): the same package with the template's content type."""
    return _rewrite(path, path.with_suffix(".dotx"), "[Content_Types].xml",
                    lambda b: b.replace(b"document.main+xml", b"template.main+xml"))


def with_theme(path: Path, name: str, accent: str) -> Path:
    """The profile with a colour scheme of the kommun's own, its first accent colour given."""
    def change(content: bytes) -> bytes:
        content = content.replace(b'<a:clrScheme name="Office">', f'<a:clrScheme name="{name}">'.encode())
        return re.sub(rb"(<a:accent1>\s*<a:srgbClr val=\")[0-9A-F]{6}", rb"\g<1>" + accent.encode(), content)

    copy = path.with_name(path.stem + "-tema.docx")
    return _rewrite(path, copy, "word/theme/theme1.xml", change)


def init(template: Path, profile: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["init", "--mall", str(template), "--profil", str(profile), *extra])


def fills(table: Any) -> list[str]:
    return [s.get(qn("w:fill")) for s in table._tbl.iter(qn("w:shd"))]


def colour(style: Any) -> str:
    return str(style.font.color.rgb)


def timeline_table(document: Any) -> Any:
    return next(t for t in document.tables if [c.text for c in t.rows[0].cells[:2]] == ["Aktivitet", "Tid"])


def test_init_takes_the_profiles_fonts_colours_page_and_header(tmp_path: Path, example_copy: Path) -> None:
    profile = as_dotx(make_profile(tmp_path / "profil"))
    template = tmp_path / "egen-mall.docx"
    result = init(template, profile)
    assert result.exit_code == 0, result.output
    assert f"Skrev {template} i utseendet från kommunens-mall.dotx:" in result.stdout
    assert "Sidformat: A4 stående, marginaler 20/20/20/20 mm" in result.stdout
    assert "Sidhuvud: profilens med 1 bild, sedan planens titel" in result.stdout
    assert f"Accentfärg: #{GREEN} (från Rubrik 1) på tabellernas rubrikrader och tidslinjen" in result.stdout
    assert "Innehåll 1: finns inte i profilen" in result.stderr
    plan = tmp_path / "plan.docx"
    made = generate(example_copy, plan, template)
    assert made.errors == ()
    document = Document(str(plan))
    for name in ("Heading 1", "Heading 2", "Title"):
        assert document.styles[name].font.name == "Georgia"
        assert colour(document.styles[name]) == GREEN
    assert document.styles["Normal"].font.name == "Arial"
    assert document.styles["Normal"].font.size == Pt(11)
    assert document.styles["Tabelltext"].base_style.name == "Normal"  # the table text follows the body's font
    for section in document.sections:
        assert (round(section.left_margin.mm), round(section.right_margin.mm), round(section.top_margin.mm)) == \
            (20, 20, 20)
        assert sorted((round(section.page_width.mm), round(section.page_height.mm))) == [210, 297]
        header = section.header
        assert KOMMUN in [p.text.strip() for p in header.paragraphs]
        assert "Aktivitetsplan – Mittköping" in [p.text for p in header.paragraphs]
        assert any(rel.reltype == RT.IMAGE for rel in header.part.rels.values())
        footer_text = "".join(p.text for p in section.footer.paragraphs)
        assert "VI GÖR DET ENKLARE!" in footer_text and "Sida 1 av 1" in footer_text
    activities = find_activity_table(document)
    assert set(fills(activities)) == {GREEN}
    done = [row for row in activities.rows[1:] if row.cells[-1].text == "Klar"]
    assert len(done) == 3  # done activities keep their word, and their red
    red = RGBColor.from_string(RED)
    assert all(run.font.color.rgb == red for row in done for run in row.cells[0].paragraphs[0].runs)
    timeline = timeline_table(document)
    assert GREEN in fills(timeline) and RED in fills(timeline) and "2E75B6" not in fills(timeline)
    assert any("Mörkgrön = planerad tid" in p.text for p in document.paragraphs)
    checked = CliRunner().invoke(main, ["check", "--template", str(template)])
    assert checked.exit_code == 0, checked.output
    assert "Innehåll 1 (profilen kommunens-mall.dotx): finns inte i profilen" in checked.stderr
    if font_available("Georgia") is False:
        assert "Typsnittet Georgia finns inte på datorn" in checked.stderr
        assert "Typsnittet Georgia finns inte på datorn" in result.stderr


def test_swedish_word_ids_table_style_theme_footer_and_margins(tmp_path: Path, make_workbook: Any) -> None:
    profile = with_theme(make_profile(tmp_path / "profil", margins=25, footer_page=True, table_fill=PLUM,
                                      swedish_ids=True), "Mittköping", "2B5F8A")
    template = tmp_path / "mall.docx"
    made = build_profile_template(None, profile, template)
    assert made.accent == PLUM  # the table style's header row names it before the theme does
    assert any(line.startswith("Tabellformat: Kommunens tabell") for line in made.taken)
    assert "Sidfot: profilens, sedan sloganen" in made.taken
    plan = tmp_path / "plan.docx"
    assert generate(make_workbook(), plan, template).errors == ()
    document = Document(str(plan))
    assert document.styles["Heading 1"].font.name == "Georgia"  # found by name: the id was Rubrik1
    assert colour(document.styles["Heading 1"]) == GREEN
    activities = find_activity_table(document)
    assert activities.style.name == "Kommunens tabell"
    assert set(fills(activities)) == {PLUM}
    assert activities._tbl.tblPr.find(qn("w:tblBorders")) is None  # the style's borders, not the plan's grey
    width = sum(int(c.get(qn("w:w"))) for c in activities._tbl.iter(qn("w:gridCol")))
    assert abs(width - round((210 - 50) * 56.7)) < 20  # scaled to the new text width
    footer = document.sections[0].footer
    texts = [p.text for p in footer.paragraphs]
    assert texts[0].startswith(f"{KOMMUN} · Storgatan 1 · Sida ")
    assert "VI GÖR DET ENKLARE!" in texts
    assert not any("av" in t.split() for t in texts)  # the plan's "Sida X av Y" gave way to the profile's
    instructions = [t.text.strip() for t in footer.part.element.iter(qn("w:instrText"))]
    assert instructions.count("PAGE") == 1
    assert any(n[0] == "Sidfot" and "egna sidnummer" in n[1] for n in [(f.place, f.message) for f in made.findings])
    for path in (template, plan):  # Word opens both without repairing them
        assert audit(path) == [] and word_problems(path) == []


def test_theme_accent_and_colours_that_need_care(tmp_path: Path, make_workbook: Any) -> None:
    plain = make_profile(tmp_path / "profil", heading_colour="000000")
    themed = build_profile_template(None, with_theme(plain, "Mittköping", "2B5F8A"), tmp_path / "tema.docx")
    assert themed.accent == "2B5F8A" and any("(från temat Mittköping)" in line for line in themed.taken)
    assert build_profile_template(None, plain, tmp_path / "ingen.docx").accent is None  # Office's own blue
    gridded = Document(str(plain))
    gridded.add_table(rows=1, cols=2).style = gridded.styles["Table Grid"]  # what Word gives any new table
    gridded.save(str(tmp_path / "rutnat.docx"))
    taken = build_profile_template(None, tmp_path / "rutnat.docx", tmp_path / "rutnat-mall.docx").taken
    assert not [line for line in taken if line.startswith("Tabellformat")]

    yellow = build_profile_template(None, make_profile(tmp_path / "gul", heading_colour="E8B400"),
                                    tmp_path / "gul.docx")
    assert yellow.accent == "E8B400"
    assert any("med svart text på rubrikraderna" in line for line in yellow.taken)  # white would not stand out
    assert Document(str(tmp_path / "gul.docx")).styles["Tabellrubrik"].font.color.rgb == RGBColor(0, 0, 0)

    red = build_profile_template(None, make_profile(tmp_path / "rod", heading_colour="B5121B"), tmp_path / "rod.docx")
    assert red.accent == "B5121B"
    assert any(f.place == "Tidslinjen" and "liknar rött" in f.message for f in red.findings)
    plan = tmp_path / "plan.docx"
    assert generate(make_workbook(), plan, tmp_path / "rod.docx").errors == ()
    periods = [s.get(qn("w:fill")) for row in timeline_table(Document(str(plan))).rows[2:]
               for s in row._tr.iter(qn("w:shd"))]
    assert "2E75B6" in periods and "B5121B" not in periods  # planned time stays blue


def test_what_cannot_be_taken_over_is_said(tmp_path: Path) -> None:
    profile = make_profile(tmp_path / "profil", numbered=True, header_text="Dnr {{ dnr }}")
    template = tmp_path / "mall.docx"
    made = build_profile_template(None, profile, template)
    said = {f.place: f.message for f in made.findings}
    assert "numreringen tas inte över" in said["Rubrik 1"]
    assert "{{" in said["Sidhuvud"] and "planens behålls" in said["Sidhuvud"]
    assert "med typsnitt från Normal" in said["Innehåll 1"]
    findings = check_template(template)
    assert not [f for f in findings if f.is_error]
    assert "Sidhuvud (profilen kommunens-mall.docx)" in {f.place for f in findings}
    document = Document(str(template))
    assert [p.text for p in document.sections[0].header.paragraphs] == ["{{ titel }}"]  # the plan's own header
    again = build_profile_template(template, make_profile(tmp_path / "andra"), tmp_path / "igen.docx")
    assert "Sidhuvud" not in {f.place for f in again.findings}
    places = {f.place for f in check_template(tmp_path / "igen.docx")}
    assert "Sidhuvud (profilen kommunens-mall.docx)" not in places  # the newer profile's record replaced it


def test_macro_templates_and_other_files_are_refused_clearly(tmp_path: Path) -> None:
    profile = make_profile(tmp_path / "profil")
    macro = tmp_path / "kommunens-mall.dotm"
    shutil.copy(profile, macro)
    template = tmp_path / "egen-mall.docx"
    refused = init(template, macro)
    assert refused.exit_code == 1
    assert "profilen är en Word-mall med makron (.dotm)" in refused.stderr
    assert "spara den som Word-mall (.dotx) eller Word-dokument (.docx)" in refused.stderr
    assert not template.exists()
    macro_inside = _rewrite(profile, tmp_path / "makro.docx", "[Content_Types].xml",
                            lambda b: b.replace(b"vnd.openxmlformats-officedocument.wordprocessingml.document.main",
                                                b"vnd.ms-word.document.macroEnabled.main"))
    assert "makron" in init(template, macro_inside).stderr
    old = tmp_path / "gammal.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    assert "profilen ska vara kommunens Word-mall (.dotx)" in init(template, old).stderr
    fake = tmp_path / "trasig.dotx"
    fake.write_bytes(b"PK not really")
    assert "ingen Word-fil i Office Open XML-format" in init(template, fake).stderr
    alone = CliRunner().invoke(main, ["init", "--profil", str(profile)])
    assert alone.exit_code == 2 and "ange också --mall" in alone.stderr
    template.write_bytes(b"mitt arbete")
    kept = init(template, profile)
    assert kept.exit_code == 1 and template.read_bytes() == b"mitt arbete"
    assert init(template, profile, "--force").exit_code == 0
    assert not list(tmp_path.glob(".egen-mall.docx.*"))  # no temporary file left behind
    assert init(profile, profile, "--force").exit_code == 2  # never over the profile itself


@pytest.mark.slow
@needs_libreoffice
def test_profile_saved_by_libreoffice_gives_the_look_in_the_pdf(tmp_path: Path, example_copy: Path) -> None:
    profile = resave_document_with_libreoffice(make_profile(tmp_path / "profil"), tmp_path)
    template = tmp_path / "egen-mall.docx"
    result = init(template, profile)
    assert result.exit_code == 0, result.output
    plan = tmp_path / "plan.docx"
    generated = CliRunner().invoke(main, ["generate", str(example_copy), "--template", str(template),
                                          "-o", str(plan), "--pdf"])
    assert generated.exit_code == 0, generated.output
    said = [line for line in generated.stderr.splitlines() if line.startswith("  ")]
    assert len(said) == len(set(said)), generated.stderr  # the profile's and --pdf's font checks agree on one line
    if font_available("Georgia") is False:
        assert sum("Georgia" in line for line in said) == 1, generated.stderr
    document = Document(str(plan))
    assert document.styles["Heading 1"].font.name == "Georgia" and colour(document.styles["Heading 1"]) == GREEN
    assert document.styles["Normal"].font.name == "Arial"
    assert round(document.sections[0].left_margin.mm) == 20
    assert any(rel.reltype == RT.IMAGE for rel in document.sections[0].header.part.rels.values())
    pages = pdf_pages(plan.with_suffix(".pdf"))
    assert len(pages) > 5 and all(KOMMUN in page and "VI GÖR DET ENKLARE!" in page for page in pages)
    fonts = subprocess.run(["pdffonts", str(plan.with_suffix(".pdf"))], capture_output=True, text=True).stdout
    assert "LiberationSans" in fonts  # the body in Arial's metric twin, not the default template's Calibri
    assert audit(template) == [] and audit(plan) == [] and word_problems(plan) == []


def test_the_api_takes_a_profile_too(web_server: Any, tmp_path: Path) -> None:
    profile = as_dotx(make_profile(tmp_path / "profil"))
    sent = {"arbetsbok": ("plan.xlsx", EXAMPLE.read_bytes()), "profil": (profile.name, profile.read_bytes())}
    answer = httpx.post(web_server.url + "/api/generate", files=sent, timeout=120)
    assert answer.status_code == 200
    document = Document(io.BytesIO(answer.content))
    assert document.styles["Heading 1"].font.name == "Georgia"
    assert set(fills(find_activity_table(document))) == {GREEN}
    checked = httpx.post(web_server.url + "/api/check", files=sent, timeout=120).json()
    assert any(f["place"] == "Innehåll 1 (profilen kommunens-mall.dotx)" for f in checked["findings"])


@pytest.mark.slow
def test_the_web_page_takes_a_profile_and_offers_the_template(web_server: Any, page: Any, tmp_path: Path) -> None:
    profile = as_dotx(make_profile(tmp_path / "profil"))
    upload(page, web_server, EXAMPLE, profil=profile)
    warnings = page.locator(".fynd.varning").inner_text()
    assert "Innehåll 1 (profilen kommunens-mall.dotx)" in warnings
    assert page.locator(".fynd.fel").count() == 0
    assert serious_violations(page) == []
    shot(page, "profil-resultat")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner Word").click()
    plan = tmp_path / "plan.docx"
    download.value.save_as(str(plan))
    document = Document(str(plan))
    assert document.styles["Heading 1"].font.name == "Georgia"
    assert KOMMUN in [p.text.strip() for p in document.sections[0].header.paragraphs]
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner mallen i kommunens utseende").click()
    assert download.value.suggested_filename == "aktivitetsplan-mall.docx"
    template = tmp_path / "mall.docx"
    download.value.save_as(str(template))
    assert not [f for f in check_template(template) if f.is_error]
    workbook = write_workbook(tmp_path / "plan.xlsx", default_sheets())
    assert generate(workbook, tmp_path / "igen.docx", template).errors == ()
    assert [c.text for c in find_activity_table(Document(str(tmp_path / "igen.docx"))).rows[0].cells] == \
        ACTIVITY_HEADER


@pytest.mark.slow
def test_the_web_page_refuses_a_macro_template_by_name(web_server: Any, page: Any, tmp_path: Path) -> None:
    macro = tmp_path / "kommunens-mall.dotm"
    shutil.copy(make_profile(tmp_path / "profil"), macro)
    upload(page, web_server, EXAMPLE, profil=macro)
    errors = page.locator(".fynd.fel li").all_inner_texts()
    assert errors and errors[0].startswith("kommunens-mall.dotm") and "makron" in errors[0]
    assert page.get_by_role("link", name="Ladda ner Word").count() == 0
    assert serious_violations(page) == []
