"""Rebuild tests/fixtures/import/: Word plans written the way people write them, for `aktivitetsplan import`.

Run: python tools/build_import_fixtures.py   (the *-libreoffice.docx copies need soffice on PATH)

- handskriven-mittkoping.docx: the seed "Aktivitetsplan - Mittköping" with its own text, its guidance
  paragraphs and its 15 activities, 3 of them coloured red by hand; no styles at all: headings are bold
  lines, the contents typed with tabs, red is a direct run colour.
- delad-tabell.docx: a plan of its own with typed and styled bullets, a second table that is not the
  activity table, and the activity table split across a page into two tables (no repeated header), with
  header variants, an extra column, merged cells, line breaks and red through a character style.
- rubrikformat.docx: Title and Heading 2 styles only (the top level used is 2), the activity table split
  with a repeated header row, red through a theme colour and through a paragraph style.
- the same three re-saved by LibreOffice: *-libreoffice.docx.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from build_example import ACTIVITIES  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "import"
RED = RGBColor(0xFF, 0x00, 0x00)
SEED_RED_ROWS = (0, 1, 3)  # the seed's done activities, as in data/aktivitetsplan.xlsx

# The seed's sections with its guidance text, word for word.
SEED_SECTIONS = (
    ("Bakgrund", "Fyll på med bakgrund och syfte med projektet. Håll det kort och skriv endast det viktigaste."),
    ("Verksamhetsmål", "Lista de viktigaste verksamhetsmålen. Lägg inte in för många mål utan skriv endast in de "
                       "viktigaste målen – exempelvis 3-5 mål."),
    ("Syfte och övergripande mål med kommunikationen",
     "Lista syfte och mål med kommunikationen. Skriv inte för många mål utan välj ut de viktigaste och gärna "
     "mätbara mål."),
    ("Målgrupper",
     "Skriv in de viktigaste målgrupperna – ta målgruppsanalysen till hjälp. För att det inte ska bli för "
     "omfattande välj endast de viktigaste målgrupperna och hänvisa sedan till målgruppsanalysen. Skriv även några "
     "rader om varje målgrupp – vad är viktigt att tänka på kring just denna målgrupp."),
    ("Gemensamt grafiskt manér och kommunikationsmaterial",
     "Det finns ett grafiskt manér i form av illustrationer för Bokning och bidrag samt power points och "
     "film/webbsändningar. Dessa får ni gärna använda men det är viktigt att ni bestämmer hur de används. "
     "Tillsammans med er logotyp? Användas rakt av? I vilka sammanhang? Sätt några regler och tillgängliggör det "
     "material man får använda. Materialet hittas i samarbetsrummet och kan laddas ner."),
    ("Kanaler",
     "Skriv ner de kanaler ni kommer att använda till er kommunikation samt (väldigt kortfattat) till vem kanalen "
     "riktar sig till och vad ni kommer att kommunicera i kanalen. Ta hjälp av målgruppsanalysen men skriv endast "
     "in det viktigaste."),
    ("Budskap",
     "Skriv ner några grundbudskap som kan användas till olika målgrupper. Plocka utifrån power point om Bokning "
     "och Bidrag, sammanfattning kommande BoB-tjänst och PM till förvaltningsledning som ni hittar i "
     "samarbetsrummet. Men lägg till en lokal dimension. Vad tycker er kommun är viktigast? Tänk på att "
     "budskapen behöver kompletteras utifrån användningstillfället."),
)
SEED_ACTIVITY_GUIDANCE = (
    "Titta på målgruppsanalysen och välj ut aktiviteter som matchar dina målgrupper. Välj kanaler som du vet är "
    "riktade till din målgrupp. För att säkerställa att dina målgrupper har fått rätt information kan du gå "
    "tillbaka till målgruppsanalysen och bocka av att budskap till de olika målgrupperna inryms i dina "
    "kommunikationsaktiviteter. Tänk på att en aktivitet kan ha flera budskap och nå fler målgrupper.",
    "Du kan även titta på aktivitetsplanen för ”Mittköping” för att få inspiration. Men det är viktigt att du "
    "väljer aktiviteter utifrån dina kanaler och målgrupper. Markera aktiviteten med röd färg när den är "
    "gjord/färdig. Glöm inte heller, en kommunikationsplan är ett levande dokument. Det betyder att du måste hålla "
    "den uppdaterad!",
)
SEED_THINK = ("Lägg inte för mycket energi och tid på kommunikationsplanens inledande delar. Det viktigaste (det som "
              "kommer ge resultat) är aktiviteterna. Känns det övermäktigt? Börja smått – bara genom att diskutera "
              "målgrupp och budskap och skriva ner en plan så har ni kommit en bit på vägen.")
SEED_HEADER = ("Aktivitet", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig")

# delad-tabell.docx: (activity, purpose, time, channel, responsible, budget), done rows, merged responsible.
NORRBY_ACTIVITIES = (
    ("Presentation för kultur- och fritidsnämnden", "Politikerna vet vad tjänsten ger", "Februari 2025",
     "Möte", "Karin Ek", "0 kr"),
    ("Nyhet på intranätet\nmed länk till mer information", "Alla medarbetare", "Mars 2025", "Intranät",
     "Karin Ek", ""),
    ("Brev till föreningarna", "Föreningar vet hur de bokar", "April 2025", "E-post", "Lars Berg", "2 000 kr"),
    ("Film om hur man bokar", "Invånare och föreningar", "Maj 2025", "Norrby.se, sociala medier", "Lars Berg",
     "15 000 kr"),
    ("Utbildning för handläggare", "Handläggarna kan tjänsten", "Juni 2025", "Workshop", "Sara Lind", ""),
    ("Pressmeddelande när tjänsten öppnar", "Media och invånare", "Augusti 2025", "Press", "Sara Lind", ""),
    ("Uppföljning med föreningarna", "Vi vet vad som fungerar", "Hösten 2025", "Enkät", "Karin Ek", "500 kr"),
)
NORRBY_RED = (0, 2)
NORRBY_PARTLY_RED = 4  # only the first cell red: not done, and reported as unsure
NORRBY_FIRST_PART = 4  # rows in the first table; the rest go into the second one

# rubrikformat.docx
STYLED_ACTIVITIES = (
    ("Informera ledningsgruppen", "Chefer", "Vecka 12", "Möte", "Projektledaren"),
    ("Skriv en artikel till personaltidningen", "Medarbetare", "April", "Tidning", "Kommunikatören"),
    ("Uppdatera webbsidan", "Invånare", "Maj", "Webb", "Webbredaktören"),
    ("Träffa föreningsrådet", "Föreningar", "Juni", "Möte", "Projektledaren"),
)
STYLED_RED = (1, 2)  # row 1 through a theme colour, row 2 through a paragraph style


def _bold_line(document, text: str, size: float = 14) -> None:
    run = document.add_paragraph().add_run(text)
    run.bold = True
    run.font.size = Pt(size)


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _fill_row(row, values, colour: RGBColor | None = None, bold: bool = False, style: str | None = None) -> None:
    for cell, value in zip(row.cells, values):
        paragraphs = str(value).split("\n\n")
        for index, text in enumerate(paragraphs):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            lines = text.split("\n")
            for number, line in enumerate(lines):
                run = paragraph.add_run(line)
                if number < len(lines) - 1:
                    run.add_break()
                run.bold = bold or None
                if colour is not None:
                    run.font.color.rgb = colour
                if style is not None:
                    run.style = style


def _footer(document, slogan: str, page_number: bool = False) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run(slogan).bold = True
    if page_number:
        paragraph.add_run("\tSida ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)


def build_handwritten(path: Path) -> None:
    """The seed as a person types it in Word without styles."""
    document = Document()
    _bold_line(document, "Aktivitetsplan - Mittköping", 28)
    document.add_paragraph().add_run("15 augusti 2018").font.size = Pt(14)
    _page_break(document)
    _bold_line(document, "Innehåll")
    for number, (heading, _) in enumerate(SEED_SECTIONS):
        document.add_paragraph(f"{heading}\t{3 + number // 6}")
    document.add_paragraph("Aktivitetsplan\t4")
    _page_break(document)
    for heading, text in SEED_SECTIONS:
        _bold_line(document, heading)
        document.add_paragraph(text)
    _page_break(document)
    _bold_line(document, "Aktivitetsplan")
    for text in SEED_ACTIVITY_GUIDANCE:
        document.add_paragraph(text)
    _bold_line(document, "Tänk även på", 12)
    document.add_paragraph(SEED_THINK)
    table = document.add_table(rows=1 + len(ACTIVITIES), cols=len(SEED_HEADER))
    table.style = document.styles["Table Grid"]
    _fill_row(table.rows[0], SEED_HEADER, bold=True)
    for index, activity in enumerate(ACTIVITIES):
        values = list(activity[:5])
        values[0] = values[0].replace("\n", "\n\n")  # the last activity: two paragraphs in one cell
        _fill_row(table.rows[index + 1], values, RED if index in SEED_RED_ROWS else None)
    _footer(document, "VI GÖR DET ENKLARE!")
    document.save(str(path))


def build_split_table(path: Path) -> None:
    """A plan of its own: typed bullets, a contacts table, the activity table split over a page."""
    document = Document()
    done = document.styles.add_style("Klar", WD_STYLE_TYPE.CHARACTER)
    done.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    _bold_line(document, "Aktivitetsplan – Norrby", 26)
    document.add_paragraph("Bokning och bidrag")
    document.add_paragraph("2025-01-20")
    _page_break(document)
    _bold_line(document, "Bakgrund")
    document.add_paragraph("Norrby inför e-tjänsten Bokning och bidrag under 2025.")
    document.add_paragraph("Planen uppdateras varje månad.")
    _bold_line(document, "Målgrupper")
    document.add_paragraph("De viktigaste målgrupperna är:")
    document.add_paragraph("• Politiker i kultur- och fritidsnämnden")
    document.add_paragraph("- Föreningar")
    document.add_paragraph("Invånare som bokar lokaler", style="List Bullet")
    _bold_line(document, "Kontaktpersoner")
    contacts = document.add_table(rows=3, cols=3)
    contacts.style = document.styles["Table Grid"]
    for row, values in zip(contacts.rows, (("Namn", "Roll", "Telefon"), ("Karin Ek", "Projektledare", "010-1"),
                                           ("Lars Berg", "Kommunikatör", "010-2"))):
        _fill_row(row, values)
    _bold_line(document, "Aktivitetsplan")
    header = ("Aktivitet", "Syfte & målgrupp", "När", "Kanal", "Ansvarig person", "Budget")
    first = document.add_table(rows=1 + NORRBY_FIRST_PART, cols=len(header))
    rest = NORRBY_ACTIVITIES[NORRBY_FIRST_PART:]
    _fill_row(first.rows[0], header, bold=True)
    _fill_activity_rows(first, 1, NORRBY_ACTIVITIES[:NORRBY_FIRST_PART], 0)
    _page_break(document)
    second = document.add_table(rows=len(rest), cols=len(header))
    _fill_activity_rows(second, 0, rest, NORRBY_FIRST_PART)
    for table in (first, second):
        table.style = document.styles["Table Grid"]
    # "Ansvarig person" of the first two activities is one vertically merged cell.
    first.cell(1, 4).merge(first.cell(2, 4))
    first.cell(1, 4).paragraphs[-1]._p.getparent().remove(first.cell(1, 4).paragraphs[-1]._p)
    _footer(document, "Tillsammans gör vi det enklare", page_number=True)
    document.save(str(path))


def _fill_activity_rows(table, offset: int, rows, start: int) -> None:
    for index, values in enumerate(rows):
        number = start + index
        row = table.rows[offset + index]
        if number in NORRBY_RED:
            _fill_row(row, values, style="Klar")
        elif number == NORRBY_PARTLY_RED:
            _fill_row(row, values)
            row.cells[0].paragraphs[0].runs[0].font.color.rgb = RED
        else:
            _fill_row(row, values)


def build_styled(path: Path) -> None:
    """Title and Heading 2 styles only; the activity table split with its header repeated."""
    document = Document()
    red_paragraph = document.styles.add_style("Klar rad", WD_STYLE_TYPE.PARAGRAPH)
    red_paragraph.font.color.rgb = RED
    document.add_paragraph("Aktivitetsplan – Söderby", style="Title")
    document.add_paragraph("Digital bokning", style="Subtitle")
    document.add_paragraph("3 mars 2025", style="Subtitle")
    _page_break(document)
    document.add_paragraph("Bakgrund", style="Heading 2")
    paragraph = document.add_paragraph("Första raden")
    paragraph.add_run().add_break()
    paragraph.add_run("andra raden i samma stycke.")
    document.add_paragraph("Budskap", style="Heading 2")
    document.add_paragraph("Det blir enklare att boka.", style="List Bullet")
    document.add_paragraph("Det går snabbare att få bidrag.", style="List Bullet")
    document.add_paragraph("Aktiviteter", style="Heading 2")
    header = ("Aktivitet", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig")
    for part in (STYLED_ACTIVITIES[:2], STYLED_ACTIVITIES[2:]):
        table = document.add_table(rows=1 + len(part), cols=len(header))
        table.style = document.styles["Table Grid"]
        _fill_row(table.rows[0], header, bold=True)
        for offset, values in enumerate(part, start=1):
            number = STYLED_ACTIVITIES.index(values)
            row = table.rows[offset]
            _fill_row(row, values)
            if number == STYLED_RED[0]:
                for cell in row.cells:
                    for run in cell.paragraphs[0].runs:
                        color = run._r.get_or_add_rPr().get_or_add_color()
                        color.set(qn("w:val"), "C0504D")
                        color.set(qn("w:themeColor"), "accent2")
            elif number == STYLED_RED[1]:
                for cell in row.cells:
                    cell.paragraphs[0].style = red_paragraph
        if part is STYLED_ACTIVITIES[:2]:
            _page_break(document)
    _footer(document, "Söderby – nära dig")
    document.save(str(path))


def resave_with_libreoffice(source: Path, target: Path) -> bool:
    """Open and save source in LibreOffice (a private profile), as target; False without soffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return False
    with tempfile.TemporaryDirectory() as temp:
        profile = Path(temp) / "profile"
        out = Path(temp) / "out"
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                        "docx:MS Word 2007 XML", "--outdir", str(out), str(source)],
                       check=True, capture_output=True, timeout=180)
        shutil.move(str(out / source.name), target)
    return True


def main() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    builders = {"handskriven-mittkoping.docx": build_handwritten, "delad-tabell.docx": build_split_table,
                "rubrikformat.docx": build_styled}
    for name, build in builders.items():
        path = FIXTURES / name
        build(path)
        print(f"Skrev {path}")
        copy = path.with_name(path.stem + "-libreoffice.docx")
        if resave_with_libreoffice(path, copy):
            print(f"Skrev {copy}")
        else:
            print(f"soffice saknas: {copy.name} skrevs inte", file=sys.stderr)


if __name__ == "__main__":
    main()
