"""Write a new plan workbook ready to fill in: sheets, headers, drop-down, instructions."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from generator.files.output import write_atomically
from generator.plan.errors import OutputError, OutputPathError
from generator.plan.schema import ACTIVITIES, PLAN, RECIPIENTS, SECTIONS, TARGET_GROUPS, Column, Sheet, table_columns

SHEET_INSTRUCTIONS = "Instruktioner"
HEADER_FILL = "1F4E79"
PREFORMATTED_ROWS = 200
GUIDE_CHARS_PER_LINE = 95

SECTION_HEADINGS = (
    "Bakgrund",
    "Verksamhetsmål",
    "Syfte och övergripande mål med kommunikationen",
    "Målgrupper",
    "Gemensamt grafiskt manér och kommunikationsmaterial",
    "Kanaler",
    "Budskap",
)
EXTRA_WIDTH = 20
# The columns an imported or example row gives by position: the default template's table columns.
CORE_ACTIVITY_COLUMNS = tuple(c.header for c in table_columns())

# (title, paragraphs, the sheet whose columns follow as a list, or None)
INSTRUCTIONS: tuple[tuple[str, list[str], Sheet | None], ...] = (
    ("Så använder du arbetsboken", [
        "Arbetsboken är er aktivitetsplan. Fyll i bladen Plan, Avsnitt och Aktiviteter och kör "
        "sedan kommandot aktivitetsplan generate. Då skapas ett färdigt Word-dokument som ni kan "
        "skicka till politiker, chefer och andra som behöver veta vad som händer.",
        "Kommunikationsplanen är ett levande dokument. Uppdatera arbetsboken när något ändras och "
        "skapa dokumentet på nytt – det tar bara ett ögonblick.",
    ], None),
    ("Bladet Plan", [
        "Kolumn A har fältnamnen och kolumn B värdena. Kommun måste fyllas i; resten är frivilligt.",
        "Datum kan vara ett datum (2018-08-15) eller text. Lämnas det tomt används dagens datum.",
        "Logotyp är en sökväg till en bild (PNG eller JPEG) i samma mapp som arbetsboken eller under den.",
        "Sortering: skriv Tid om aktivitetstabellen ska ordnas efter när aktiviteterna börjar. "
        "Uppföljningsdatum är dagen uppföljningen räknas till; tomt betyder dagens datum.",
    ], PLAN),
    ("Bladet Avsnitt", [
        "En rad per avsnitt, i den ordning de ska stå i dokumentet. Rubrik blir en rubrik i "
        "dokumentet och i innehållsförteckningen.",
        "I Text gör en tom rad (Alt+Enter två gånger) ett nytt stycke. Rader som börjar med "
        "”- ”, ”• ” eller ”* ” blir punkter i en punktlista.",
        "Lägg inte för mycket tid på de inledande delarna – håll det kort och skriv bara det "
        "viktigaste. Det som ger resultat är aktiviteterna.",
    ], SECTIONS),
    ("Bakgrund", ["Fyll på med bakgrund och syfte med projektet, t.ex. varför kommunen inför "
                  "e-tjänsten Bokning och bidrag. Håll det kort."], None),
    ("Verksamhetsmål", ["Lista de viktigaste verksamhetsmålen – hellre 3–5 mål än många."], None),
    ("Syfte och övergripande mål med kommunikationen", [
        "Vad ska kommunikationen åstadkomma? Välj ut de viktigaste målen, gärna mätbara."], None),
    ("Målgrupper", [
        "Skriv in de viktigaste målgrupperna – politiker, chefer, skolor, föreningar, invånare – "
        "och några rader om vad som är viktigt att tänka på för var och en. Ta "
        "målgruppsanalysen till hjälp och hänvisa till den för resten."], None),
    ("Gemensamt grafiskt manér och kommunikationsmaterial", [
        "Bestäm hur det gemensamma materialet (illustrationer, presentationer, film) ska användas: "
        "tillsammans med er logotyp, rakt av, i vilka sammanhang. Skriv var materialet finns."], None),
    ("Kanaler", ["Skriv vilka kanaler ni använder, kortfattat vem varje kanal når och vad ni "
                 "kommunicerar där."], None),
    ("Budskap", ["Skriv några grundbudskap som kan användas till olika målgrupper, och ge dem en "
                 "lokal dimension: vad tycker er kommun är viktigast? Budskapen kompletteras "
                 "utifrån tillfället."], None),
    ("Bladet Målgrupper (frivilligt)", [
        "En rad per målgrupp: vem ni vill nå, hur viktig gruppen är, vad den behöver veta, känna "
        "eller göra, budskapet till den och kanalerna som når den. Målgrupperna blir en tabell i "
        "dokumentet, under avsnittet Målgrupper.",
        "Skriv sedan målgruppernas namn i kolumnen Målgrupp på bladet Aktiviteter. Då kan "
        "aktivitetsplan check säga vilka målgrupper ingen aktivitet når, och vilka kanaler till en "
        "primär målgrupp som saknar aktiviteter. Lämna bladet tomt om ni inte vill använda det.",
    ], TARGET_GROUPS),
    ("Bladet Aktiviteter", [
        "En rad per aktivitet, i den ordning de ska stå i planen. Bara Aktivitet måste fyllas i; "
        "fyll gärna i Tid och Ansvarig också – check påminner om dem.",
        "Välj aktiviteter utifrån målgruppsanalysen och era kanaler. Gå tillbaka till "
        "målgruppsanalysen och bocka av att varje målgrupp får sina budskap. En aktivitet kan ha "
        "flera budskap och nå flera målgrupper.",
        "När en aktivitet är gjord: välj Ja i kolumnen Klar. Den visas då med röd text i "
        "dokumentet. Det går också bra att färga hela raden röd i Excel, som i den gamla mallen.",
        "Tid skrivs som man brukar: mars 2019, Okt 2018, Våren 2019, Hösten 2018 – pågående, "
        "Q3 2019, v. 12–14 2019, 2019-03-15 eller löpande. En tid utan år räknas till planens år.",
        "Uppföljning: skriv i Indikator hur ni ser att aktiviteten gav resultat, i Målvärde vad ni "
        "vill nå och i Utfall vad det blev. Dokumentet får då ett avsnitt Uppföljning.",
        "Egna kolumner (t.ex. Budget) går bra att lägga till. De syns inte i standardmallen men "
        "finns tillgängliga för en egen Word-mall.",
    ], ACTIVITIES),
    ("Bladet Sändlista (frivilligt)", [
        "Vilka som ska få planen med e-post: Namn, E-post och gärna Roll (t.ex. Nämnd, Rektorer). "
        "Kommandot aktivitetsplan send skapar planen och skickar den till alla på listan, med en "
        "sammanfattning och det som är planerat den kommande månaden.",
        "Kan du inte nå en e-postserver själv? Kör aktivitetsplan send --eml utkast.eml och öppna "
        "utkastet i Outlook eller Thunderbird – det är färdigt att skicka.",
    ], RECIPIENTS),
    ("Tänk även på", [
        "Känns det övermäktigt? Börja smått – bara genom att diskutera målgrupp och budskap och "
        "skriva ner en plan har ni kommit en bit på vägen.",
    ], None),
)


@dataclass(frozen=True)
class StarterContent:
    """What a new workbook holds: empty by default, the example plan when filled in."""

    plan: dict[str, object] = field(default_factory=dict)
    sections: Sequence[tuple[str, str]] = tuple((h, "") for h in SECTION_HEADINGS)
    # Each activity row's values are for activity_columns, then extra_columns, in that order.
    activities: Sequence[Sequence[object]] = ()
    activity_columns: Sequence[str] = CORE_ACTIVITY_COLUMNS
    red_rows: frozenset[int] = frozenset()
    recipients: Sequence[Sequence[object]] = ()  # Namn, E-post, Roll
    extra_columns: Sequence[str] = ()  # activity columns after the known ones, e.g. from an imported plan
    target_groups: Sequence[Sequence[object]] = ()  # in the order of the sheet Målgrupper's columns


def write_starter(path: Path, content: StarterContent | None = None, force: bool = False) -> Path:
    """Write a plan workbook at path; OutputError if it exists and force is not given."""
    check_new(path, ".xlsx", "arbetsboken", force)
    workbook = build_workbook(content or StarterContent())
    write_atomically(path, lambda temp: workbook.save(temp))
    return path


def check_new(path: Path, suffix: str, what: str, force: bool) -> None:
    """OutputPathError unless path ends in suffix and is no folder; OutputError if it exists without force."""
    if path.suffix.lower() != suffix:
        raise OutputPathError(path, f"{what} måste sluta på {suffix}")
    if path.is_dir():
        raise OutputPathError(path, "det finns en mapp med det namnet. Välj ett annat namn.")
    if os.path.lexists(path) and not force:
        raise OutputError(path, "filen finns redan. Välj ett annat namn eller använd --force för att skriva över.")


def build_workbook(content: StarterContent):  # type: ignore[no-untyped-def]
    """The openpyxl Workbook for content (not yet saved)."""
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

    def prompts(ws, sheet: Sheet, rows: int) -> None:  # type: ignore[no-untyped-def]
        """Each column's help as the input message of its cells, and its drop-down where it has one."""
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            validation = _validation(DataValidation, column)
            validation.add(f"{letter}2:{letter}{rows + 1}")
            ws.add_data_validation(validation)

    def table(ws, sheet: Sheet, rows_of_values, extra: Sequence[str] = ()) -> int:  # type: ignore[no-untyped-def]
        header(ws, (*sheet.headers, *extra), (*(c.width for c in sheet.columns), *(EXTRA_WIDTH,) * len(extra)))
        for values in rows_of_values:
            ws.append([v if v != "" else None for v in values])
        return len(sheet.columns) + len(extra)

    workbook = Workbook()
    guide = workbook.create_sheet(SHEET_INSTRUCTIONS, 0)
    workbook.remove(workbook.worksheets[1])
    guide.column_dimensions["A"].width = 110
    guide.sheet_properties.pageSetUpPr.fitToPage = True  # printed: one page wide
    guide.page_setup.fitToWidth, guide.page_setup.fitToHeight = 1, 0
    guide.append(["Aktivitetsplan – instruktioner"])
    guide["A1"].font = Font(bold=True, size=16, color=HEADER_FILL)
    for title, paragraphs, sheet in INSTRUCTIONS:
        guide.append([])
        guide.append([title])
        guide.cell(row=guide.max_row, column=1).font = Font(bold=True, size=12, color=HEADER_FILL)
        for text in [*paragraphs, *(column_lines(sheet) if sheet is not None else ())]:
            guide.append([text])
            guide.cell(row=guide.max_row, column=1).alignment = wrap
            # Row heights are not worked out by every program on opening: give each its lines.
            guide.row_dimensions[guide.max_row].height = 15 * (len(text) // GUIDE_CHARS_PER_LINE + 1) + 3

    plan = workbook.create_sheet(PLAN.name)
    header(plan, ("Fält", "Värde", "Förklaring"), (18, 50, 80))
    for column in PLAN.columns:
        plan.append([column.header, content.plan.get(column.header),
                     ("Måste fyllas i. " if column.required else "") + column.help])
        row = plan.max_row
        plan.cell(row=row, column=1).font = Font(bold=True)
        plan.cell(row=row, column=3).font = Font(italic=True, color="595959")
        plan.cell(row=row, column=2).alignment = Alignment(horizontal="left")
        if isinstance(content.plan.get(column.header), dt.date):
            plan.cell(row=row, column=2).number_format = "yyyy-mm-dd"
        if column.choices:
            validation = _validation(DataValidation, column)
            validation.add(f"B{row}")
            plan.add_data_validation(validation)

    sections = workbook.create_sheet(SECTIONS.name)
    table(sections, SECTIONS, [(heading, text) for heading, text in content.sections])
    wrap_rows(sections, len(SECTIONS.columns), max(PREFORMATTED_ROWS // 4, len(content.sections)))

    groups = workbook.create_sheet(TARGET_GROUPS.name)
    table(groups, TARGET_GROUPS, content.target_groups)
    group_rows = max(PREFORMATTED_ROWS // 4, len(content.target_groups))
    wrap_rows(groups, len(TARGET_GROUPS.columns), group_rows)
    prompts(groups, TARGET_GROUPS, group_rows)

    activities = workbook.create_sheet(ACTIVITIES.name)
    width = table(activities, ACTIVITIES, (_activity_row(content, values) for values in content.activities),
                  content.extra_columns)
    red = Font(color="FF0000")
    for index in content.red_rows:
        for cell in activities[index + 2]:
            cell.font = red
    rows = max(PREFORMATTED_ROWS, len(content.activities))
    wrap_rows(activities, width, rows)
    prompts(activities, ACTIVITIES, rows)
    activities.auto_filter.ref = f"A1:{get_column_letter(width)}1"

    mailing = workbook.create_sheet(RECIPIENTS.name)
    table(mailing, RECIPIENTS, content.recipients)
    workbook.active = 0
    return workbook


def column_lines(sheet: Sheet) -> list[str]:
    """Instruktioner's lines about a sheet's columns (or the Plan's fields), from the schema."""
    what = "Fälten" if sheet is PLAN else "Kolumnerna"
    lines = [f"{what} på bladet {sheet.name}:"]
    for column in sheet.columns:
        must = " (måste fyllas i)" if column.required else ""
        lines.append(f"• {column.header}{must}: {column.help}")
    return lines


def _activity_row(content: StarterContent, values: Sequence[object]) -> list[object]:
    """An activity row in the sheet's column order: values given for content.activity_columns, then extras."""
    given = dict(zip(content.activity_columns, values, strict=False))
    extras = list(values[len(content.activity_columns):])
    return [given.get(header, "") for header in ACTIVITIES.headers] + extras


def _validation(kind, column: Column):  # type: ignore[no-untyped-def]
    """The input message (Excel: at most 32 characters of title, 255 of text) and drop-down of a column."""
    options = {"type": "list", "formula1": '"' + ",".join(column.choices) + '"'} if column.choices else {}
    validation = kind(allow_blank=True, showErrorMessage=False, promptTitle=column.header[:32],
                      prompt=column.help[:255], **options)
    validation.showInputMessage = True
    return validation
