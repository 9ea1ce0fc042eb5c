"""Read the plan workbook (sheets Plan, Avsnitt, Målgrupper, Aktiviteter, Sändlista) into the plan's dataclasses."""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.plan.model import EMPTY, Activity, Block, Finding, Plan, Recipient, Section, Severity, TargetGroup, Value
from generator.plan.schema import ACTIVITIES, PLAN, RECIPIENTS, SECTIONS, SHEETS, TARGET_GROUPS, Sheet
from generator.plan.values import meant_name, normalize_name, parse_done, parse_iso_date
from generator.workbook.grid import Row
from generator.workbook.locks import open_elsewhere
from generator.workbook.safety import MAX_ACTIVITIES, MAX_SECTIONS, _check_workbook_file
from generator.workbook.sheetreader import SheetReader
from generator.workbook.sheets import RawCell
from generator.workbook.xlsxbook import _open_workbook
from generator.workbook.xlsxparts import SheetLayout, _red_dxfs

SHEET_PLAN, SHEET_SECTIONS, SHEET_ACTIVITIES = PLAN.name, SECTIONS.name, ACTIVITIES.name
SHEET_RECIPIENTS, SHEET_TARGET_GROUPS = RECIPIENTS.name, TARGET_GROUPS.name
_DATE_FIELDS = ("date", "follow_up_date")  # Plan fields whose ISO text is read as a date
_BULLETS = ("- ", "• ", "* ")


def read_workbook(path: Path) -> Plan:
    """Read a workbook into a Plan whose findings hold what reading it noticed.

    Raises WorkbookError when the file cannot be read as a workbook at all.
    """
    _check_workbook_file(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = _open_workbook(path)
        try:
            return _Reader(workbook, path).plan()
        finally:
            workbook.close()


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


class _Reader(SheetReader):
    """Reads one open workbook's sheets into a Plan; collects findings as it goes."""

    read_sheets = (SHEET_PLAN, SHEET_SECTIONS, SHEET_TARGET_GROUPS, SHEET_ACTIVITIES, SHEET_RECIPIENTS)
    hidden_needed: set[str]  # hidden sheets the plan needs: said as errors, not warned of again

    def __init__(self, workbook: Any, path: Path) -> None:
        super().__init__(workbook, path)
        self.hidden_needed = set()

    def plan(self) -> Plan:
        for message in open_elsewhere(self.path):
            self.note(self.path.name, message, Severity.WARNING)
        fields, extra_fields = self._read_plan_sheet()
        sections = self._read_sections()
        target_groups = self._read_target_groups()
        activities, extra_columns = self._read_activities()
        recipients = self._read_recipients()
        self.note_hidden(self.hidden_needed)
        return Plan(
            recipients=recipients,
            target_groups=target_groups,
            source=str(self.path),
            base_dir=str(self.path.parent),
            sections=sections,
            activities=activities,
            extra_fields=extra_fields,
            extra_columns=extra_columns,
            findings=tuple(self.findings),
            **fields,  # Plan's Value fields, by name
        )

    # -- sheets ----------------------------------------------------------------

    def _missing_sheet(self, name: str, hint: str) -> None:
        """The error for a sheet the plan needs: hidden, or named otherwise (the closest unused name), or missing."""
        key = normalize_name(name)
        if key in self.hidden:  # said once, as the error it is (not also as note_hidden's warning)
            self.hidden_needed.add(key)
            self.note(self.path.name, f"bladet {self.hidden[key]} är dolt, och planen behöver det; visa det i Excel "
                                      "(Format > Dölj och visa) eller LibreOffice (Blad > Visa blad)")
            return
        ours = {normalize_name(sheet.name) for sheet in SHEETS}
        unused = {k: title for k, title in self.sheets.items() if k not in ours}
        meant = difflib.get_close_matches(key, list(unused), n=1, cutoff=0.6)
        if meant:
            self.note(self.path.name, f'bladet "{name}" saknas – menade du bladet "{unused[meant[0]]}"? Byt namn på '
                                      f"det till {name}. {hint}")
            return
        self.note(f"{self.path.name}", f'bladet "{name}" saknas. {hint}')

    @staticmethod
    def _columns_hint(sheet: Sheet) -> str:
        names = sheet.headers
        return "Det ska ha kolumnerna " + ", ".join(names[:-1]) + f" och {names[-1]}."

    def _table(self, sheet: Sheet) -> tuple[str, Iterator[Row], dict[int, str], int] | None:
        """The sheet's title, its data rows, its header (column → label) and header row; None without one."""
        key = normalize_name(sheet.name)
        if key not in self.sheets:
            if sheet.required:
                self._missing_sheet(sheet.name, self._columns_hint(sheet))
            return None
        found = self._header(key, sheet.first_required.header, sheet.known_names())
        if found is None:
            return None
        rows, header, header_row = found
        return self.sheets[key], rows, header, header_row

    def _unknown_columns(self, title: str, header: dict[int, str], header_row: int, sheet: Sheet,
                         what: str = "den används inte") -> dict[int, str]:
        fields = sheet.fields()
        unknown = {col: label for col, label in header.items() if label not in fields}
        missing = [h for h in sheet.headers if h not in header.values()]
        for col, label in unknown.items():
            aside = self.set_aside.get((title, col))
            name = meant_name(label, missing)
            if aside:
                said = f'kolumnen "{label}" läses inte som {aside[0]}, eftersom kolumnen {aside[0]} finns ({aside[1]})'
            elif name is not None:  # a misspelt header: the column it was meant to be is read as empty
                self.note(self.place(title, col, header_row), f'okänd kolumn "{label}" – menade du {name}? Rätta '
                          f"rubriken; så länge den är fel läses kolumnen {name} som tom", Severity.WARNING)
                continue
            else:
                said = f'okänd kolumn "{label}"'
            self.note(self.place(title, col, header_row), f"{said}; " + what.replace("{}", label), Severity.WARNING)
        return unknown

    def _read_plan_sheet(self) -> tuple[dict[str, Value], tuple[tuple[str, Value], ...]]:
        key = normalize_name(SHEET_PLAN)
        known = PLAN.known_names()
        plan_fields = PLAN.fields()
        fields: dict[str, Value] = {}
        extra: list[tuple[str, Value]] = []
        if key not in self.sheets:
            self._missing_sheet(SHEET_PLAN, "Det ska ha fältnamn i kolumn A och värden i kolumn B.")
            return fields, ()
        title = self.sheets[key]
        unknown: list[tuple[int, str]] = []  # (row, name) of fields the plan does not know, said once all are read
        for row_data in self._shown(title, self._rows(key), 1):
            row, cells = row_data.number, row_data.cells
            name_cell = cells.get(1)
            name = normalize_name(name_cell.text if name_cell else "")
            value = self.value(title, cells, 2, row)
            if name in ("fält", "fältnamn") or (not name and not value):
                continue
            if name_cell is None or not name:
                self.note(self.place(title, 1, row), "fältnamn saknas i kolumn A", Severity.WARNING)
                continue
            attr = plan_fields[known[name]] if name in known else None
            if cells.get(2) is not None and cells[2].date is None:
                date = parse_iso_date(value.text) if attr in _DATE_FIELDS else None
                if date is not None:
                    value = Value(value.text, value.cell, date)
            if attr is None:
                label = name_cell.text.strip()
                extra.append((label, value))
                unknown.append((row, label))
            elif attr in fields:
                self.note(self.place(title, 1, row), f'fältet "{name_cell.text.strip()}" finns redan '
                          f"på {fields[attr].cell}; den här raden används inte", Severity.WARNING)
            else:
                fields[attr] = value
        self._unknown_fields(title, unknown, {name for name, attr in plan_fields.items() if attr not in fields})
        return fields, tuple(extra)

    def _unknown_fields(self, title: str, unknown: list[tuple[int, str]], missing: set[str]) -> None:
        """A warning for each field name of the Plan sheet the plan does not know; a misspelt one is named."""
        for row, label in unknown:
            meant = meant_name(label, missing)
            if meant is not None:
                message = (f'okänt fält "{label}" – menade du {meant}? Rätta namnet i kolumn A; så länge det är fel '
                           f"saknas {meant} i planen")
            else:
                message = (f'okänt fält "{label}"; standardmallen visar det inte, men en egen mall kan göra det '
                           "(plan_ovrigt)")
            self.note(self.place(title, 1, row), message, Severity.WARNING)

    def _read_sections(self) -> tuple[Section, ...]:
        found = self._table(SECTIONS)
        if found is None:
            return ()
        title, rows, header, header_row = found
        self._unknown_columns(title, header, header_row, SECTIONS)
        columns = {label: col for col, label in header.items()}
        text_header = SECTIONS.column("Text").header
        if text_header not in columns:
            self.note(self.place(title, max(header) + 1, header_row), f'kolumnen "{text_header}" saknas')
        sections = []
        count = 0
        for row_data in rows:
            count += 1
            if count > MAX_SECTIONS:
                continue
            row, cells = row_data.number, row_data.cells
            heading = self.value(title, cells, columns[SECTIONS.first_required.header], row)
            text = self.value(title, cells, columns[text_header], row) if text_header in columns else EMPTY
            if heading.text.strip() and text_header in columns and not text.text.strip():
                self.note(heading.cell, f"avsnittet {heading.text.strip()} har ingen text, så rubriken står ensam "
                          f"i dokumentet; skriv texten i kolumnen {text_header} eller ta bort raden", Severity.WARNING)
            sections.append(Section(heading, split_blocks(text.text), row))
        if count > MAX_SECTIONS:
            self._too_many(title, count, MAX_SECTIONS, "avsnitt")
        return tuple(sections)

    def _read_target_groups(self) -> tuple[TargetGroup, ...]:
        """The optional sheet Målgrupper: one target group per row."""
        found = self._table(TARGET_GROUPS)
        if found is None:
            return ()
        title, rows, header, header_row = found
        self._unknown_columns(title, header, header_row, TARGET_GROUPS)
        fields = TARGET_GROUPS.fields()
        columns = self.columns(title, {col: fields[label] for col, label in header.items() if label in fields})
        groups = []
        count = 0
        for row_data in rows:
            count += 1
            if count > MAX_SECTIONS:
                continue
            values = self.values(columns, row_data.cells, row_data.number)
            groups.append(TargetGroup(row=row_data.number, **values))
        if count > MAX_SECTIONS:
            self._too_many(title, count, MAX_SECTIONS, "målgrupper")
        return tuple(groups)

    def _read_activities(self) -> tuple[tuple[Activity, ...], tuple[str, ...]]:
        found = self._table(ACTIVITIES)
        if found is None:
            return (), ()
        title, rows, header, header_row = found
        layout = self.layout(normalize_name(ACTIVITIES.name))
        fields = ACTIVITIES.fields()
        known = {col: fields[label] for col, label in header.items() if label in fields}
        self._note_red_conditional(title, layout, next((c for c, attr in known.items() if attr == "done_mark"), 0))
        extra = self._unknown_columns(title, header, header_row, ACTIVITIES,
                                      'den lämnas till mallen som ovrigt["{}"]')
        columns = self.columns(title, known)
        extra_columns = self.columns(title, extra)
        unnamed_warned = False
        activities = []
        count = 0
        for row_data in rows:
            count += 1
            if count > MAX_ACTIVITIES:
                continue  # counted for the message, not built: memory stays flat
            row, cells = row_data.number, row_data.cells
            values = self.values(columns, cells, row)
            red = self._red_row(title, row, cells, values.get("done_mark", EMPTY), layout)
            if not unnamed_warned and not cells.keys() <= header.keys():  # a cell outside the named columns
                stray = next((c for c in cells.values() if c.column not in header and c.text.strip() and not c.spread
                              and (title, c.column) not in self.repeated_columns), None)
                if stray is not None:
                    unnamed_warned = True
                    self.note(self.place(title, stray.column, row),
                              "värde i en kolumn utan rubrik; det används inte", Severity.WARNING)
            activities.append(Activity(
                row=row,
                marked_red=red,
                extra=tuple(self.values(extra_columns, cells, row).items()) if extra_columns else (),
                **values,
            ))
        if count > MAX_ACTIVITIES:
            self._too_many(title, count, MAX_ACTIVITIES, "aktiviteter")
        return tuple(activities), tuple(extra.values())

    def _red_row(self, title: str, row: int, cells: dict[int, RawCell], done: Value, layout: SheetLayout) -> bool:
        """Whether a row is marked done by red; a partly red row, or a red row whose Klar says no, is warned."""
        colours = self.red.colours(cells.values(), row, layout.hyperlinks)
        if not colours.red:  # nearly every row: neither red nor partly red
            return False
        if colours.is_partly_red and parse_done(done.text) is not True:  # Klar says done: nothing to say
            red = ", ".join(self.place(title, c.column, row).split("!")[1] for c in colours.red)
            others = ", ".join(self.place(title, c.column, row).split("!")[1] for c in colours.others)
            self.note(self.place(title, colours.red[0].column, row),
                      f"raden är bara delvis röd (röda: {red}; inte röda: {others}); bara en helt röd rad "
                      "räknas som klar. Skriv Ja i Klar om aktiviteten är klar.", Severity.WARNING)
        if colours.is_red and done.text.strip() and parse_done(done.text) is False:
            self.note(done.cell, f'raden är röd men Klar säger "{done.text.strip()}"; den räknas som klar. '
                      "Ta bort den röda färgen om aktiviteten inte är klar.", Severity.WARNING)
        return colours.is_red

    def _note_red_conditional(self, title: str, layout: SheetLayout, done_column: int) -> None:
        """Warn of red conditional formatting, unless it only reads Klar: then Klar says the same, and is read."""
        red = _red_dxfs(self.book_styles.dxfs, self.red.is_red_color) if layout.conditional else frozenset()
        places = [rule.sqref for rule in layout.conditional
                  if rule.dxf_id in red and not (done_column and rule.columns == {done_column})]
        places += layout.red_inline_conditional
        if places:
            self.note(f"{title}!{places[0].split()[0]}" if places[0] else title,
                      "villkorsstyrd formatering färgar celler röda här, men den läses inte: en rad som "
                      "bara blir röd av den räknas inte som klar. Skriv Ja i Klar för klara aktiviteter.",
                      Severity.WARNING)

    def _read_recipients(self) -> tuple[Recipient, ...]:
        """The optional sheet Sändlista: Namn, E-post and Roll.

        What is wrong with it is a warning: only send needs it, and send repeats each as an
        error (checks.core.check_recipients).
        """
        noted = len(self.findings)
        try:
            return self._recipients()
        finally:
            self.findings[noted:] = [Finding(f.place, f.message, Severity.WARNING) for f in self.findings[noted:]]

    def _recipients(self) -> tuple[Recipient, ...]:
        found = self._table(RECIPIENTS)
        if found is None:
            return ()
        title, rows, header, _ = found
        fields = RECIPIENTS.fields()
        columns = self.columns(title, {col: fields[label] for col, label in header.items() if label in fields})
        recipients = []
        for row_data in rows:
            values = self.values(columns, row_data.cells, row_data.number)
            recipients.append(Recipient(row=row_data.number, **values))
        return tuple(recipients)
