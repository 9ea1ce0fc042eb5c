"""Write a new plan workbook ready to fill in: sheets, headers, drop-down, instructions."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import OutputError, OutputPathError
from generator.output import write_atomically
from generator.paths import check_targets
from generator.workbook import (
    ACTIVITY_COLUMNS,
    RECIPIENT_COLUMNS,
    SHEET_ACTIVITIES,
    SHEET_PLAN,
    SHEET_RECIPIENTS,
    SHEET_SECTIONS,
)

SHEET_INSTRUCTIONS = "Instruktioner"
HEADER_FILL = "1F4E79"
PREFORMATTED_ROWS = 200
GUIDE_CHARS_PER_LINE = 95

PLAN_ROWS = (
    ("Kommun", "Kommunens namn. Måste fyllas i."),
    ("Titel", "Dokumentets titel. Tom: ”Aktivitetsplan – <Kommun>”."),
    ("Datum", "Planens datum, t.ex. 2018-08-15. Tom: dagens datum."),
    ("Projekt", "Projektets namn, t.ex. Bokning och bidrag. Visas på titelsidan."),
    ("Slogan", "Visas i sidfoten på varje sida, t.ex. VI GÖR DET ENKLARE!"),
    ("Logotyp", "En PNG- eller JPEG-bild i arbetsbokens mapp (eller en mapp under den), t.ex. logotyp.png."),
)
SECTION_HEADINGS = (
    "Bakgrund",
    "Verksamhetsmål",
    "Syfte och övergripande mål med kommunikationen",
    "Målgrupper",
    "Gemensamt grafiskt manér och kommunikationsmaterial",
    "Kanaler",
    "Budskap",
)
ACTIVITY_WIDTHS = (55, 50, 18, 22, 18, 8)

INSTRUCTIONS = (
    ("Så använder du arbetsboken", [
        "Arbetsboken är er aktivitetsplan. Fyll i bladen Plan, Avsnitt och Aktiviteter och kör "
        "sedan kommandot aktivitetsplan generate. Då skapas ett färdigt Word-dokument som ni kan "
        "skicka till politiker, chefer och andra som behöver veta vad som händer.",
        "Kommunikationsplanen är ett levande dokument. Uppdatera arbetsboken när något ändras och "
        "skapa dokumentet på nytt – det tar bara ett ögonblick.",
    ]),
    ("Bladet Plan", [
        "Kolumn A har fältnamnen och kolumn B värdena. Kommun måste fyllas i; resten är frivilligt.",
        "Datum kan vara ett datum (2018-08-15) eller text. Lämnas det tomt används dagens datum.",
        "Logotyp är en sökväg till en bild (PNG eller JPEG) i samma mapp som arbetsboken eller under den.",
    ]),
    ("Bladet Avsnitt", [
        "En rad per avsnitt, i den ordning de ska stå i dokumentet. Rubrik blir en rubrik i "
        "dokumentet och i innehållsförteckningen.",
        "I Text gör en tom rad (Alt+Enter två gånger) ett nytt stycke. Rader som börjar med "
        "”- ”, ”• ” eller ”* ” blir punkter i en punktlista.",
        "Lägg inte för mycket tid på de inledande delarna – håll det kort och skriv bara det "
        "viktigaste. Det som ger resultat är aktiviteterna.",
    ]),
    ("Bakgrund", ["Fyll på med bakgrund och syfte med projektet, t.ex. varför kommunen inför "
                  "e-tjänsten Bokning och bidrag. Håll det kort."]),
    ("Verksamhetsmål", ["Lista de viktigaste verksamhetsmålen – hellre 3–5 mål än många."]),
    ("Syfte och övergripande mål med kommunikationen", [
        "Vad ska kommunikationen åstadkomma? Välj ut de viktigaste målen, gärna mätbara."]),
    ("Målgrupper", [
        "Skriv in de viktigaste målgrupperna – politiker, chefer, skolor, föreningar, invånare – "
        "och några rader om vad som är viktigt att tänka på för var och en. Ta "
        "målgruppsanalysen till hjälp och hänvisa till den för resten."]),
    ("Gemensamt grafiskt manér och kommunikationsmaterial", [
        "Bestäm hur det gemensamma materialet (illustrationer, presentationer, film) ska användas: "
        "tillsammans med er logotyp, rakt av, i vilka sammanhang. Skriv var materialet finns."]),
    ("Kanaler", ["Skriv vilka kanaler ni använder, kortfattat vem varje kanal når och vad ni "
                 "kommunicerar där."]),
    ("Budskap", ["Skriv några grundbudskap som kan användas till olika målgrupper, och ge dem en "
                 "lokal dimension: vad tycker er kommun är viktigast? Budskapen kompletteras "
                 "utifrån tillfället."]),
    ("Bladet Aktiviteter", [
        "En rad per aktivitet, i den ordning de ska stå i planen. Aktivitet måste fyllas i. "
        "Syfte och målgrupp, Tid, Kanal och Ansvarig är frivilliga.",
        "Välj aktiviteter utifrån målgruppsanalysen och era kanaler. Gå tillbaka till "
        "målgruppsanalysen och bocka av att varje målgrupp får sina budskap. En aktivitet kan ha "
        "flera budskap och nå flera målgrupper.",
        "När en aktivitet är gjord: välj Ja i kolumnen Klar. Den visas då med röd text i "
        "dokumentet. Det går också bra att färga hela raden röd i Excel, som i den gamla mallen.",
        "Egna kolumner (t.ex. Budget) går bra att lägga till. De syns inte i standardmallen men "
        "finns tillgängliga för en egen Word-mall.",
    ]),
    ("Bladet Sändlista (frivilligt)", [
        "Vilka som ska få planen med e-post: Namn, E-post och gärna Roll (t.ex. Nämnd, Rektorer). "
        "Kommandot aktivitetsplan send skapar planen och skickar den till alla på listan, med en "
        "sammanfattning och det som är planerat den kommande månaden.",
        "Kan du inte nå en e-postserver själv? Kör aktivitetsplan send --eml utkast.eml och öppna "
        "utkastet i Outlook eller Thunderbird – det är färdigt att skicka.",
    ]),
    ("Tänk även på", [
        "Känns det övermäktigt? Börja smått – bara genom att diskutera målgrupp och budskap och "
        "skriva ner en plan har ni kommit en bit på vägen.",
    ]),
)


@dataclass(frozen=True)
class StarterContent:
    """What a new workbook holds: empty by default, the example plan when filled in."""

    plan: dict[str, object] = field(default_factory=dict)
    sections: Sequence[tuple[str, str]] = tuple((h, "") for h in SECTION_HEADINGS)
    activities: Sequence[Sequence[object]] = ()
    red_rows: frozenset[int] = frozenset()
    recipients: Sequence[Sequence[object]] = ()


def write_starter(path: Path, content: StarterContent | None = None, force: bool = False) -> Path:
    """Write a plan workbook at path; OutputError if it exists and force is not given."""
    _check_new(path, ".xlsx", "arbetsboken", force)
    workbook = build_workbook(content or StarterContent())
    write_atomically(path, lambda temp: workbook.save(temp))
    return path


def write_template_copy(path: Path, force: bool = False) -> Path:
    """Write a copy of the installed default template at path, for the user to edit in Word."""
    from generator.render import default_template

    _check_new(path, ".docx", "mallen", force)
    source = default_template()
    check_targets({"standardmallen": source}, {"kopian": path})
    write_atomically(path, lambda temp: shutil.copyfile(source, temp))
    return path


def write_init(workbook: Path | None, template_copy: Path | None, force: bool = False) -> list[Path]:
    """init's files: the workbook and/or the template copy, all checked before either is written."""
    if workbook is not None:
        _check_new(workbook, ".xlsx", "arbetsboken", force)
    if template_copy is not None:
        _check_new(template_copy, ".docx", "mallen", force)
    check_targets({}, {"arbetsboken": workbook, "mallkopian": template_copy})
    written = []
    if template_copy is not None:
        written.append(write_template_copy(template_copy, force))
    if workbook is not None:
        written.append(write_starter(workbook, force=force))
    return written


def _check_new(path: Path, suffix: str, what: str, force: bool) -> None:
    if path.suffix.lower() != suffix:
        raise OutputPathError(path, f"{what} måste sluta på {suffix}")
    if path.is_dir():
        raise OutputPathError(path, "det finns en mapp med det namnet. Välj ett annat namn.")
    if os.path.lexists(path) and not force:
        raise OutputError(path, "filen finns redan. Välj ett annat namn eller använd --force för att skriva över.")


def build_workbook(content: StarterContent):  # type: ignore[no-untyped-def]
    """The openpyxl Workbook for content (not yet saved)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")

    def header(ws, names, widths) -> None:  # type: ignore[no-untyped-def]
        ws.append(list(names))
        for index, width in enumerate(widths, start=1):
            cell = ws.cell(row=1, column=index)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(vertical="center")
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"

    def wrap_rows(ws, columns: int, rows: int) -> None:  # type: ignore[no-untyped-def]
        for row in ws.iter_rows(min_row=2, max_row=rows + 1, max_col=columns):
            for cell in row:
                cell.alignment = wrap

    workbook = Workbook()
    guide = workbook.create_sheet(SHEET_INSTRUCTIONS, 0)
    workbook.remove(workbook.worksheets[1])
    guide.column_dimensions["A"].width = 110
    guide.sheet_properties.pageSetUpPr.fitToPage = True  # printed: one page wide
    guide.page_setup.fitToWidth, guide.page_setup.fitToHeight = 1, 0
    guide.append(["Aktivitetsplan – instruktioner"])
    guide["A1"].font = Font(bold=True, size=16, color=HEADER_FILL)
    for title, paragraphs in INSTRUCTIONS:
        guide.append([])
        guide.append([title])
        guide.cell(row=guide.max_row, column=1).font = Font(bold=True, size=12, color=HEADER_FILL)
        for text in paragraphs:
            guide.append([text])
            guide.cell(row=guide.max_row, column=1).alignment = wrap
            # Row heights are not worked out by every program on opening: give each its lines.
            guide.row_dimensions[guide.max_row].height = 15 * (len(text) // GUIDE_CHARS_PER_LINE + 1) + 3

    plan = workbook.create_sheet(SHEET_PLAN)
    header(plan, ("Fält", "Värde", "Förklaring"), (14, 50, 80))
    for name, explanation in PLAN_ROWS:
        plan.append([name, content.plan.get(name), explanation])
        row = plan.max_row
        plan.cell(row=row, column=1).font = Font(bold=True)
        plan.cell(row=row, column=3).font = Font(italic=True, color="595959")
        plan.cell(row=row, column=2).alignment = Alignment(horizontal="left")
        if isinstance(content.plan.get(name), dt.date):
            plan.cell(row=row, column=2).number_format = "yyyy-mm-dd"

    sections = workbook.create_sheet(SHEET_SECTIONS)
    header(sections, ("Rubrik", "Text"), (40, 110))
    for heading, text in content.sections:
        sections.append([heading, text or None])
    wrap_rows(sections, 2, max(PREFORMATTED_ROWS // 4, len(content.sections)))

    activities = workbook.create_sheet(SHEET_ACTIVITIES)
    header(activities, tuple(ACTIVITY_COLUMNS), ACTIVITY_WIDTHS)
    red = Font(color="FF0000")
    for index, values in enumerate(content.activities):
        activities.append([v if v != "" else None for v in values])
        if index in content.red_rows:
            for cell in activities[activities.max_row]:
                cell.font = red
    rows = max(PREFORMATTED_ROWS, len(content.activities))
    wrap_rows(activities, len(ACTIVITY_COLUMNS), rows)
    klar = get_column_letter(len(ACTIVITY_COLUMNS))
    validation = DataValidation(
        type="list", formula1='"Ja,Nej"', allow_blank=True, showErrorMessage=False,
        promptTitle="Klar", prompt="Välj Ja när aktiviteten är gjord/färdig.",
    )
    validation.showInputMessage = True
    validation.add(f"{klar}2:{klar}{rows + 1}")
    activities.add_data_validation(validation)
    activities.auto_filter.ref = f"A1:{klar}1"

    mailing = workbook.create_sheet(SHEET_RECIPIENTS)
    header(mailing, tuple(RECIPIENT_COLUMNS), (30, 40, 30))
    for values in content.recipients:
        mailing.append(list(values))
    workbook.active = 0
    return workbook
