"""Read the plan workbook (sheets Plan, Avsnitt, Aktiviteter) into the plan's dataclasses."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from generator.colors import is_red, theme_colors
from generator.errors import WorkbookError
from generator.model import EMPTY, Activity, Block, Finding, Plan, Recipient, Section, Severity, Value
from generator.safety import check_workbook_file
from generator.sheets import RawCell, SheetStyles, read_rows
from generator.values import normalize_name, parse_iso_date

SHEET_PLAN, SHEET_SECTIONS, SHEET_ACTIVITIES = "Plan", "Avsnitt", "Aktiviteter"
SHEET_RECIPIENTS = "Sändlista"
RECIPIENT_COLUMNS = {"Namn": "name", "E-post": "email", "Roll": "role"}

PLAN_FIELDS = {
    "kommun": "municipality",
    "titel": "title",
    "datum": "date",
    "projekt": "project",
    "slogan": "slogan",
    "logotyp": "logo",
}
SECTION_COLUMNS = ("Rubrik", "Text")
ACTIVITY_COLUMNS = {
    "Aktivitet": "activity",
    "Syfte och målgrupp": "purpose",
    "Tid": "time",
    "Kanal": "channel",
    "Ansvarig": "responsible",
    "Klar": "done_mark",
}
_BULLETS = ("- ", "• ", "* ")


def read_workbook(path: Path) -> Plan:
    """Read a workbook into a Plan whose findings hold what reading it noticed.

    Raises WorkbookError when the file cannot be read as a workbook at all.
    """
    check_workbook_file(path)
    # Imported here so that `--help` and `init` do not pay for it.
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds for damaged packages
            raise WorkbookError(path, _unreadable(exc)) from None
        try:
            return _Reader(workbook, path).plan()
        finally:
            workbook.close()


def _unreadable(exc: BaseException) -> str:
    from defusedxml import DefusedXmlException

    chain: BaseException | None = exc
    while chain is not None:
        if isinstance(chain, DefusedXmlException):
            return (
                "filen innehåller otillåten XML (DTD eller entiteter) och läses inte, "
                "eftersom den kan vara skadlig. Spara om den i Excel."
            )
        chain = chain.__cause__ or chain.__context__
    return (
        "filen kan inte läsas som en Excel-arbetsbok; den är skadad eller i fel format. "
        "Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx)."
    )


def split_blocks(text: str) -> tuple[Block, ...]:
    """Section text as paragraphs: a blank line separates, "- ", "• " or "* " starts a bullet."""
    blocks: list[Block] = []
    for chunk in _paragraphs(text):
        lines: list[str] = []
        for line in chunk.split("\n"):
            stripped = line.lstrip()
            marker = next((m for m in _BULLETS if stripped.startswith(m)), None)
            if marker is None:
                lines.append(line)
                continue
            if lines:
                blocks.append(Block("\n".join(lines)))
                lines = []
            blocks.append(Block(stripped[len(marker):], bullet=True))
        if lines:
            blocks.append(Block("\n".join(lines)))
    return tuple(blocks)


def _paragraphs(text: str) -> Iterator[str]:
    chunk: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            chunk.append(line)
        elif chunk:
            yield "\n".join(chunk)
            chunk = []
    if chunk:
        yield "\n".join(chunk)


class _Reader:
    """Reads one open workbook; collects findings as it goes."""

    def __init__(self, workbook: Any, path: Path) -> None:
        self.workbook = workbook
        self.path = path
        self.styles = SheetStyles(workbook)
        self.findings: list[Finding] = []
        self.sheets = {normalize_name(name): name for name in workbook.sheetnames}
        self._theme: tuple[str, ...] | None = None
        self._red_styles: dict[int, bool] = {}

    def note(self, place: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.findings.append(Finding(place, message, severity))

    def plan(self) -> Plan:
        fields, extra_fields = self._read_plan_sheet()
        sections = self._read_sections()
        activities, extra_columns = self._read_activities()
        recipients = self._read_recipients()
        return Plan(
            recipients=recipients,
            source=str(self.path),
            base_dir=str(self.path.parent),
            sections=sections,
            activities=activities,
            extra_fields=extra_fields,
            extra_columns=extra_columns,
            findings=tuple(self.findings),
            **fields,
        )

    # -- cells -----------------------------------------------------------------

    def _rows(self, key: str) -> Iterator[tuple[int, dict[int, RawCell]]]:
        """The non-empty rows of a sheet as {column: cell}; formula problems become findings."""
        title = self.sheets[key]
        worksheet = self.workbook[title]
        try:
            with worksheet._get_source() as source:
                for number, cells in read_rows(source, worksheet._shared_strings, self.styles):
                    by_column = {}
                    for cell in cells:
                        if cell.formula_without_value:
                            self.note(
                                self.place(title, cell.column, number),
                                "formeln har inget sparat värde. Öppna filen i Excel och "
                                "spara den igen, så räknas värdet ut.",
                            )
                        by_column[cell.column] = cell
                    if any(c.text.strip() for c in by_column.values()):
                        yield number, by_column
        except WorkbookError:
            raise
        except Exception as exc:  # damaged XML, CRC errors, forbidden entities
            raise WorkbookError(f"{self.path}: {title}", _unreadable(exc)) from None

    @staticmethod
    def place(sheet: str, column: int, row: int) -> str:
        return f"{sheet}!{get_column_letter(column)}{row}"

    def value(self, sheet: str, cells: dict[int, RawCell], column: int, row: int) -> Value:
        cell = cells.get(column)
        ref = self.place(sheet, column, row)
        if cell is None:
            return Value("", ref)
        return Value(cell.text, ref, cell.date)

    def _is_red(self, cell: RawCell) -> bool:
        cached = self._red_styles.get(cell.style_id)
        if cached is None:
            cached = self._red_styles[cell.style_id] = self._style_is_red(cell.style_id)
        return cached

    def _style_is_red(self, style_id: int) -> bool:
        if self._theme is None:
            self._theme = theme_colors(getattr(self.workbook, "loaded_theme", None))
        styles = self.styles.cell_styles
        if not style_id or style_id >= len(styles):
            return False
        style = styles[style_id]
        fonts, fills = self.workbook._fonts, self.workbook._fills
        font = fonts[style.fontId] if style.fontId < len(fonts) else None
        fill = fills[style.fillId] if style.fillId < len(fills) else None
        if font is not None and is_red(font.color, self._theme):
            return True
        return (
            fill is not None
            and getattr(fill, "patternType", None) == "solid"
            and is_red(getattr(fill, "fgColor", None), self._theme)
        )

    # -- sheets ----------------------------------------------------------------

    def _missing_sheet(self, name: str, hint: str) -> None:
        self.note(f"{self.path.name}", f'bladet "{name}" saknas. {hint}')

    def _read_plan_sheet(self) -> tuple[dict[str, Value], tuple[tuple[str, Value], ...]]:
        key = normalize_name(SHEET_PLAN)
        fields: dict[str, Value] = {}
        extra: list[tuple[str, Value]] = []
        if key not in self.sheets:
            self._missing_sheet(SHEET_PLAN, "Det ska ha fältnamn i kolumn A och värden i kolumn B.")
            return fields, ()
        title = self.sheets[key]
        for row, cells in self._rows(key):
            name_cell = cells.get(1)
            name = normalize_name(name_cell.text if name_cell else "")
            value = self.value(title, cells, 2, row)
            if name in ("fält", "fältnamn") or (not name and not value):
                continue
            if name_cell is None or not name:
                self.note(self.place(title, 1, row), "fältnamn saknas i kolumn A", Severity.WARNING)
                continue
            if cells.get(2) is not None and cells[2].date is None:
                date = parse_iso_date(value.text) if PLAN_FIELDS.get(name) == "date" else None
                if date is not None:
                    value = Value(value.text, value.cell, date)
            attr = PLAN_FIELDS.get(name)
            if attr is None:
                label = name_cell.text.strip()
                extra.append((label, value))
                self.note(
                    self.place(title, 1, row),
                    f'okänt fält "{label}"; det lämnas till mallen som plan_ovrigt',
                    Severity.WARNING,
                )
            elif attr in fields:
                self.note(self.place(title, 1, row), f'fältet "{name_cell.text.strip()}" finns redan '
                          f"på {fields[attr].cell}; den här raden används inte", Severity.WARNING)
            else:
                fields[attr] = value
        return fields, tuple(extra)

    def _header(
        self, key: str, required: str, known: tuple[str, ...]
    ) -> tuple[Iterator[tuple[int, dict[int, RawCell]]], dict[int, str], int] | None:
        """Find the header row: the first that holds the required column name."""
        rows = self._rows(key)
        title = self.sheets[key]
        wanted = normalize_name(required)
        for row, cells in rows:
            names = {col: normalize_name(cell.text) for col, cell in cells.items()}
            if wanted not in names.values():
                continue
            known_names = {normalize_name(k): k for k in known}
            header: dict[int, str] = {}
            seen: dict[str, int] = {}
            for col, name in sorted(names.items()):
                if not name:
                    continue
                label = known_names.get(name, cells[col].text.strip())
                if label in seen:
                    self.note(self.place(title, col, row),
                              f'kolumnen "{label}" finns redan i kolumn '
                              f"{get_column_letter(seen[label])}; den här används inte",
                              Severity.WARNING)
                    continue
                seen[label] = col
                header[col] = label
            return rows, header, row
        self.note(
            title,
            f'rubriken "{required}" saknas. Första raden i tabellen ska ha kolumnrubrikerna '
            + ", ".join(known) + ".",
        )
        return None

    def _read_sections(self) -> tuple[Section, ...]:
        key = normalize_name(SHEET_SECTIONS)
        if key not in self.sheets:
            self._missing_sheet(SHEET_SECTIONS, "Det ska ha kolumnerna Rubrik och Text.")
            return ()
        found = self._header(key, "Rubrik", SECTION_COLUMNS)
        if found is None:
            return ()
        rows, header, header_row = found
        title = self.sheets[key]
        columns = {label: col for col, label in header.items()}
        for col, label in header.items():
            if label not in SECTION_COLUMNS:
                self.note(self.place(title, col, header_row),
                          f'okänd kolumn "{label}"; den används inte', Severity.WARNING)
        if "Text" not in columns:
            self.note(self.place(title, max(header) + 1, header_row), 'kolumnen "Text" saknas')
        sections = []
        for row, cells in rows:
            heading = self.value(title, cells, columns["Rubrik"], row)
            text = self.value(title, cells, columns.get("Text", 0), row) if "Text" in columns else EMPTY
            sections.append(Section(heading, split_blocks(text.text), row))
        return tuple(sections)

    def _read_activities(self) -> tuple[tuple[Activity, ...], tuple[str, ...]]:
        key = normalize_name(SHEET_ACTIVITIES)
        if key not in self.sheets:
            self._missing_sheet(SHEET_ACTIVITIES, "Det ska ha kolumnerna " + ", ".join(ACTIVITY_COLUMNS) + ".")
            return (), ()
        found = self._header(key, "Aktivitet", tuple(ACTIVITY_COLUMNS))
        if found is None:
            return (), ()
        rows, header, header_row = found
        title = self.sheets[key]
        known = {col: ACTIVITY_COLUMNS[label] for col, label in header.items() if label in ACTIVITY_COLUMNS}
        extra = {col: label for col, label in header.items() if label not in ACTIVITY_COLUMNS}
        for col, label in extra.items():
            self.note(self.place(title, col, header_row),
                      f'okänd kolumn "{label}"; den lämnas till mallen som ovrigt["{label}"]',
                      Severity.WARNING)
        unnamed_warned = False
        activities = []
        for row, cells in rows:
            values = {attr: self.value(title, cells, col, row) for col, attr in known.items()}
            filled = [c for c in cells.values() if c.text.strip()]
            red = bool(filled) and all(self._is_red(c) for c in filled)
            if not unnamed_warned:
                stray = next((c for c in filled if c.column not in header), None)
                if stray is not None:
                    unnamed_warned = True
                    self.note(self.place(title, stray.column, row),
                              "värde i en kolumn utan rubrik; det används inte", Severity.WARNING)
            activities.append(Activity(
                row=row,
                marked_red=red,
                extra=tuple((label, self.value(title, cells, col, row)) for col, label in extra.items()),
                **values,
            ))
        return tuple(activities), tuple(extra.values())

    def _read_recipients(self) -> tuple[Recipient, ...]:
        """The optional sheet Sändlista: Namn, E-post and Roll."""
        key = normalize_name(SHEET_RECIPIENTS)
        if key not in self.sheets:
            return ()
        found = self._header(key, "E-post", tuple(RECIPIENT_COLUMNS))
        if found is None:
            return ()
        rows, header, _ = found
        title = self.sheets[key]
        known = {col: RECIPIENT_COLUMNS[label] for col, label in header.items() if label in RECIPIENT_COLUMNS}
        recipients = []
        for row, cells in rows:
            values = {attr: self.value(title, cells, col, row) for col, attr in known.items()}
            recipients.append(Recipient(row=row, **values))
        return tuple(recipients)
