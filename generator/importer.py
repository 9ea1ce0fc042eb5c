"""Turn a Word plan (.docx) into the tool's own workbook: title page, sections, activity table."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator import guidance
from generator.changes import CHANGES_HEADING, VERSION_LINE
from generator.docxread import Cell, Paragraph, Table, WordDocument, read_document
from generator.errors import DocumentError, OutputError
from generator.model import Finding, Severity
from generator.starter import StarterContent, write_starter
from generator.values import MONTHS, parse_done, parse_iso_date
from generator.workbook import ACTIVITY_COLUMNS

# Header names that mean an activity column, compared after guidance.normalize ("&" and "/" read as "och").
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Aktivitet": ("Aktivitet", "Aktiviteter", "Åtgärd", "Vad"),
    "Syfte och målgrupp": ("Syfte och målgrupp", "Syfte/målgrupp", "Syfte, målgrupp", "Syfte", "Målgrupp",
                           "Syfte och målgrupper", "Målgrupp och syfte"),
    "Tid": ("Tid", "När", "Datum", "Tidpunkt", "Period", "Tidsplan"),
    "Kanal": ("Kanal", "Kanaler"),
    "Ansvarig": ("Ansvarig", "Ansvarig person", "Ansvariga", "Vem", "Ansvar"),
    "Klar": ("Klar", "Klart", "Status", "Gjord", "Färdig"),
}
_DATE = re.compile(r"(?:\w+dag(?:en)?\s+(?:den\s+)?)?(\d{1,2})\s*(" + "|".join(MONTHS) + r")\s+(\d{4})",
                   re.IGNORECASE)
_TITLE_KOMMUN = re.compile(r"^\s*aktivitetsplan\s*[-–—:]\s*(.+?)\s*$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\s*(sida\s*)?\d+(\s*(av|/)\s*\d+)?\s*$", re.IGNORECASE)
_TOC_LINE = re.compile(r"\t\s*\d+\s*$")
_BULLET_MARKS = ("- ", "• ", "* ", "– ", "· ", "▪ ", "o ")
_MAX_BOLD_HEADING = 90


def _column_key(text: str) -> str:
    return guidance.normalize(re.sub(r"[&/+,]", " och ", text))


_COLUMN_LOOKUP = {_column_key(name): column for column, names in COLUMN_SYNONYMS.items() for name in names}


@dataclass(frozen=True)
class ImportReport:
    """What import made of a document: counts, what became what, what was left out and what is unsure."""

    source: str
    sections: int = 0
    activities: int = 0
    done: int = 0
    mapped: tuple[Finding, ...] = ()
    left_out: tuple[Finding, ...] = ()
    unsure: tuple[Finding, ...] = ()

    def summary(self) -> str:
        """E.g. "7 avsnitt, 15 aktiviteter varav 3 klara"."""
        noun = "aktivitet" if self.activities == 1 else "aktiviteter"
        done = "klar" if self.done == 1 else "klara"
        return f"{self.sections} avsnitt, {self.activities} {noun} varav {self.done} {done}"

    def lines(self) -> list[str]:
        """The whole report as Swedish lines for a person to read."""
        lines = [f"{self.source}: {self.summary()}."]
        for title, group in (("Blev", self.mapped), ("Lämnades utanför", self.left_out),
                             ("Osäkert – kontrollera i arbetsboken", self.unsure)):
            if group:
                lines.append(f"{title}:")
                lines.extend(f"  {finding}" for finding in group)
        return lines


@dataclass
class _Found:
    plan: dict[str, object] = field(default_factory=dict)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    activities: list[list[str]] = field(default_factory=list)
    red_rows: set[int] = field(default_factory=set)
    extra_columns: list[str] = field(default_factory=list)
    mapped: list[Finding] = field(default_factory=list)
    left_out: list[Finding] = field(default_factory=list)
    unsure: list[Finding] = field(default_factory=list)

    def became(self, place: str, message: str) -> None:
        self.mapped.append(Finding(place, message, Severity.WARNING))

    def leave_out(self, place: str, message: str) -> None:
        self.left_out.append(Finding(place, message, Severity.WARNING))

    def doubt(self, place: str, message: str) -> None:
        self.unsure.append(Finding(place, message, Severity.WARNING))


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"”{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _where(paragraph: Paragraph) -> str:
    return f"stycke {paragraph.number}"


def import_plan(path: Path) -> tuple[StarterContent, ImportReport]:
    """Read a Word plan into the workbook content; DocumentError when it holds no recognisable plan."""
    document = read_document(path)
    found = _Found()
    activity_tables, header = _activity_tables(document, found)
    headings = _headings(document)
    if not headings and not activity_tables:
        raise DocumentError(path, "dokumentet innehåller ingen aktivitetsplan som går att känna igen: inga "
                                  "rubriker och ingen tabell med kolumnerna " + ", ".join(ACTIVITY_COLUMNS) + ".")
    _leave_out_toc(document, found)
    body_start = _title_page(document, headings, activity_tables, found)
    _body(document, body_start, headings, activity_tables, found)
    if activity_tables:
        _activities(activity_tables, header, found)
    else:
        found.doubt(path.name, "ingen aktivitetstabell hittades (en tabell med kolumnerna Aktivitet, Syfte och "
                               "målgrupp, Tid, Kanal, Ansvarig); bladet Aktiviteter är tomt")
    content = StarterContent(
        plan=found.plan,
        sections=[(heading, "\n\n".join(chunks)) for heading, chunks in found.sections],
        activities=found.activities,
        red_rows=frozenset(found.red_rows),
        extra_columns=tuple(found.extra_columns),
    )
    done = sum(1 for i, row in enumerate(found.activities) if i in found.red_rows or parse_done(row[5]) is True)
    report = ImportReport(str(path), len(found.sections), len(found.activities), done,
                          tuple(found.mapped), tuple(found.left_out), tuple(found.unsure))
    return content, report


def default_output(document: Path) -> Path:
    """The workbook beside the document: plan.docx → plan.xlsx."""
    return document.with_suffix(".xlsx")


def import_document(document: Path, output: Path | None = None, force: bool = False) -> tuple[Path, ImportReport]:
    """Import a Word plan and write its workbook (never over the document, nor over a file without force)."""
    target = output or default_output(document)
    if target.is_dir():
        target = target / f"{document.stem}.xlsx"
    try:
        same = target.exists() and target.resolve() == document.resolve()
    except OSError:
        same = False
    if same or target == document:
        raise OutputError(target, "arbetsboken kan inte skrivas över Word-dokumentet som läses. "
                                  "Välj ett annat namn med -o.")
    content, report = import_plan(document)
    write_imported(content, target, force)
    return target, report


def write_imported(content: StarterContent, target: Path, force: bool = False) -> Path:
    """Write imported content as a workbook in the format `init` writes."""
    return write_starter(target, content, force=force)


# -- the activity table -------------------------------------------------------------


def _header_mapping(row: Sequence[Cell]) -> dict[int, str]:
    """Column index → activity column name for the cells of a header row that name one."""
    mapping: dict[int, str] = {}
    for index, cell in enumerate(row):
        column = _COLUMN_LOOKUP.get(_column_key(cell.text))
        if column is not None and column not in mapping.values():
            mapping[index] = column
    return mapping


def _score(mapping: dict[int, str]) -> int:
    names = set(mapping.values())
    return len(names) if ("Aktivitet" in names and len(names) >= 2) or len(names) >= 3 else 0


def _activity_tables(document: WordDocument, found: _Found) -> tuple[list[Table], dict[int, str]]:
    """The activity table (the best-matching header row) and the tables that continue it."""
    blocks = document.blocks
    best: tuple[int, int] | None = None
    for index, block in enumerate(blocks):
        if isinstance(block, Table) and block.rows:
            score = _score(_header_mapping(block.rows[0]))
            if score and (best is None or score > best[0]):
                best = (score, index)
    if best is None:
        return [], {}
    first = blocks[best[1]]
    assert isinstance(first, Table)
    header = _header_mapping(first.rows[0])
    joined = [first]
    between: list[Paragraph] = []
    for block in blocks[best[1] + 1:]:
        if isinstance(block, Paragraph):
            between.append(block)
            continue
        repeated = bool(block.rows) and _header_mapping(block.rows[0]) == header
        only_breaks = all(not p.text.strip() for p in between)
        if block.columns != first.columns or not (repeated or only_breaks):
            break
        joined.append(block)
        between = []
    return joined, header


def _activities(tables: list[Table], header: dict[int, str], found: _Found) -> None:
    first = tables[0]
    names = [header.get(i) for i in range(first.columns)]
    extra: dict[int, str] = {}
    for index, cell in enumerate(first.rows[0]):
        if names[index] is None and (cell.text.strip() or any(
                len(r) > index and r[index].text.strip() for t in tables for r in t.rows[1:])):
            label = " ".join(cell.text.split()) or f"Kolumn {index + 1}"
            extra[index] = label
            found.doubt(f"tabell {first.number}, rad 1, cell {index + 1}",
                        f"kolumnen {_quote(label)} är ingen av aktivitetskolumnerna; den blev en egen kolumn")
    found.extra_columns.extend(extra.values())
    found.became(f"tabell {first.number}", "aktivitetstabellen; kolumner: " + ", ".join(
        f"{_quote(first.rows[0][i].text)} → {name}" for i, name in header.items()))
    for table in tables[1:]:
        found.became(f"tabell {table.number}", f"fortsättningen på aktivitetstabellen (tabell {first.number})")
    for table in tables:
        for row_index, row in enumerate(table.rows, start=1):
            if _header_mapping(row) == header:  # the header, also repeated where the table goes on
                continue
            _activity_row(table, row_index, row, header, extra, found)


def _activity_row(table: Table, number: int, row: Sequence[Cell], header: dict[int, str],
                  extra: dict[int, str], found: _Found) -> None:
    place = f"tabell {table.number}, rad {number}"
    filled = [(i, c) for i, c in enumerate(row) if c.text.strip() and (i in header or i in extra)]
    if not filled:
        return
    if all(guidance.is_placeholder(c.text) for _, c in filled):
        found.leave_out(place, "en exempelrad ur mallen (" + ", ".join(_quote(c.text) for _, c in filled) + ")")
        return
    values = {name: row[i].text.strip() for i, name in header.items()}
    own = [c for _, c in filled if c.merged != "vmerge"] or [c for _, c in filled]
    red = all(c.red for c in own)
    if not red and any(c.any_red for c in own):
        found.doubt(place, "raden är delvis röd; den räknades som inte klar")
    mark = values.get("Klar", "")
    if red or parse_done(mark) is True:
        if mark and parse_done(mark) is not True:
            found.doubt(place, f"raden är röd men Klar säger {_quote(mark)}; den räknades som klar")
        mark = "Ja"
        found.red_rows.add(len(found.activities))
    elif mark and parse_done(mark) is None:
        found.doubt(place, f"Klar säger {_quote(mark)}; det förstås inte som ja eller nej och fördes över som det står")
    if not values.get("Aktivitet"):
        found.doubt(place, "aktiviteten saknas i raden; fyll i den i arbetsboken")
    for i, cell in filled:
        where = f"{place}, cell {i + 1}"
        if cell.merged == "vmerge":
            found.doubt(where, f"sammanslagen cell; texten {_quote(cell.text)} fördes till varje rad den täcker")
        if guidance.is_placeholder(cell.text):
            found.doubt(where, f"{_quote(cell.text)} ser ut som mallens platshållare; det behölls")
        elif "XXX" in cell.text:
            found.doubt(where, "texten innehåller platshållaren XXX; den behölls")
    columns = [values.get(name, "") for name in ACTIVITY_COLUMNS if name != "Klar"]
    found.activities.append([*columns, mark, *(row[i].text.strip() for i in extra)])


# -- title page, headings and sections -------------------------------------------------


def _is_toc(paragraph: Paragraph) -> bool:
    return paragraph.toc or guidance.same_heading(paragraph.text, guidance.TOC_HEADINGS) or bool(
        _TOC_LINE.search(paragraph.text))


def _leave_out_toc(document: WordDocument, found: _Found) -> None:
    numbers = [b.number for b in document.blocks if isinstance(b, Paragraph) and b.text.strip() and _is_toc(b)]
    if numbers:
        where = f"stycke {numbers[0]}" + (f"–{numbers[-1]}" if len(numbers) > 1 else "")
        found.leave_out(where, "innehållsförteckningen")


def _headings(document: WordDocument) -> list[Paragraph]:
    """Heading 1 (any language), else the top heading level used, else bold short lines."""
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph) and b.text.strip() and not _is_toc(b)]
    levels = [p.level for p in paragraphs if p.level is not None and not p.title]
    if levels:
        top = min(levels)
        return [p for p in paragraphs if p.level == top and not p.title]
    first_large = next((p for p in paragraphs if not p.title), None)
    return [p for p in paragraphs
            if p.bold and not p.title and not p.bullet and "\n" not in p.text.strip()
            and len(p.text.strip()) <= _MAX_BOLD_HEADING and not p.text.strip().endswith((".", ":", ","))
            and _parse_date(p.text) is None and not (p is first_large and p.size >= 20)]


def _parse_date(text: str) -> dt.date | None:
    match = _DATE.fullmatch(text.strip())
    if match:
        try:
            return dt.date(int(match.group(3)), MONTHS.index(match.group(2).lower()) + 1, int(match.group(1)))
        except ValueError:
            return None
    return parse_iso_date(text)


def _title_page(document: WordDocument, headings: list[Paragraph], activity: list[Table],
                found: _Found) -> int:
    """Fill Titel, Kommun, Datum, Projekt, Slogan; return the index of the first body block."""
    blocks = document.blocks
    stop = len(blocks)
    if headings:
        stop = min(stop, blocks.index(headings[0]))
    if activity:
        stop = min(stop, blocks.index(activity[0]))
    lines = [b for b in blocks[:stop] if isinstance(b, Paragraph) and b.text.strip() and not _is_toc(b)]
    title = next((p for p in lines if p.title), None)
    if title is None:
        title = max(lines, key=lambda p: p.size, default=None) if any(p.size >= 16 for p in lines) else (
            lines[0] if lines else None)
    plan: dict[str, object] = found.plan
    if title is not None:
        plan["Titel"] = " ".join(title.text.split())
        found.became(_where(title), f"Titel {_quote(title.text)}")
    elif document.properties.get("title") or document.headers:
        text = document.properties.get("title") or document.headers[0]
        plan["Titel"] = " ".join(text.split())
        found.became("dokumentegenskaperna" if document.properties.get("title") else "sidhuvudet",
                     f"Titel {_quote(text)}")
    for source in (str(plan.get("Titel", "")), document.properties.get("title", "")):
        match = _TITLE_KOMMUN.match(source)
        if match:
            plan["Kommun"] = match.group(1)
            found.became("titeln", f"Kommun {_quote(match.group(1))}")
            break
    rest = [p for p in lines if p is not title]
    date = next((p for p in rest if _parse_date(p.text) is not None), None)
    if date is not None:
        plan["Datum"] = _parse_date(date.text)
        found.became(_where(date), f"Datum {_quote(date.text)}")
        rest.remove(date)
    slogan = _slogan(document)
    if slogan:
        plan["Slogan"] = slogan
        found.became("sidfoten", f"Slogan {_quote(slogan)}")
        rest = [p for p in rest if guidance.normalize(p.text) != guidance.normalize(slogan)]
    for line in [p for p in rest if VERSION_LINE.fullmatch(" ".join(p.text.split()))]:
        found.leave_out(_where(line), f"versionsraden {_quote(line.text)} (den skrivs på nytt när planen skapas)")
        rest.remove(line)
    if rest:
        project = next((p for p in rest if p.subtitle), rest[0])
        plan["Projekt"] = " ".join(project.text.split())
        found.became(_where(project), f"Projekt {_quote(project.text)}")
        for other in rest:
            if other is not project:
                found.doubt(_where(other), f"raden {_quote(other.text)} på titelsidan fick ingen plats i arbetsboken")
    if any(b.image for b in blocks[:stop] if isinstance(b, Paragraph)):
        found.doubt("titelsidan", "logotypen följer inte med; spara bilden bredvid arbetsboken och skriv "
                                  "filnamnet i Logotyp på bladet Plan")
    for name in ("Kommun", "Titel", "Datum", "Projekt", "Slogan"):
        if name not in plan:
            found.doubt(f"Plan!{name}", "hittades inte i dokumentet och lämnades tomt")
    return stop


def _slogan(document: WordDocument) -> str:
    for text in document.footers:
        pieces = [" ".join(p.split()) for p in re.split(r"[\t\n]", text)]
        kept = [p for p in pieces if p and not _PAGE_NUMBER.match(p)]
        if kept:
            return " ".join(kept)
    return ""


def _body(document: WordDocument, start: int, headings: list[Paragraph], activity: list[Table],
          found: _Found) -> None:
    """Sections from the headings on; guidance, the TOC and the legend left out and listed."""
    heading_ids = set(map(id, headings))
    activity_ids = set(map(id, activity))
    current: tuple[Paragraph, list[str], bool] | None = None  # heading, chunks, holds the activity table
    sections: list[tuple[Paragraph, list[str], bool]] = []
    bullets: list[str] = []

    def flush_bullets() -> None:
        if bullets and current is not None:
            current[1].append("\n".join(bullets))
        bullets.clear()

    for block in document.blocks[start:]:
        if isinstance(block, Table):
            if id(block) in activity_ids:
                flush_bullets()
                if current is not None:
                    current = (current[0], current[1], True)
                    sections[-1] = current
                continue
            text = "\n".join(" – ".join(c.text for c in row if c.text.strip() and not c.merged) for row in block.rows)
            if current is not None and text.strip():
                flush_bullets()
                current[1].append(text.strip())
                found.doubt(f"tabell {block.number}", "är ingen aktivitetstabell; raderna lades som text i avsnittet "
                            + _quote(current[0].text))
            continue
        text = block.text.strip()
        if id(block) in heading_ids:
            flush_bullets()
            current = (block, [], False)
            sections.append(current)
            continue
        if not text:
            continue
        where = _where(block)
        if _is_toc(block):
            continue  # listed once, by _leave_out_toc
        if guidance.normalize(text).startswith(guidance.normalize(guidance.LEGEND_START)):
            found.leave_out(where, f"dokumentets förklaring av röd text {_quote(text, 40)}")
            continue
        kept, removed = guidance.split_guidance(text)
        if removed and not kept:
            found.leave_out(where, f"mallens instruktionstext {_quote(text)}")
            continue
        if removed:
            found.doubt(where, f"mallens instruktionstext togs bort ur stycket; kvar blev {_quote(kept)}")
            text = kept
        if current is None:
            found.doubt(where, f"texten {_quote(text)} står före första rubriken och följer inte med")
            continue
        marker = next((m for m in _BULLET_MARKS if text.startswith(m)), None)
        if block.bullet or marker is not None:
            bullets.append("- " + (text[len(marker):].strip() if marker else text))
        else:
            flush_bullets()
            current[1].append(text)
    flush_bullets()
    for heading, chunks, holds_table in sections:
        title = " ".join(heading.text.split())
        if guidance.same_heading(title, CHANGES_HEADING):
            found.leave_out(_where(heading), f"avsnittet {_quote(title)} (det skrivs på nytt när planen skapas)")
            continue
        if not chunks and (holds_table or guidance.same_heading(title, guidance.GUIDANCE_HEADINGS)
                           or (activity and guidance.same_heading(title, guidance.ACTIVITY_HEADING))):
            found.leave_out(_where(heading), f"rubriken {_quote(title)} (under den fanns bara mallens text "
                                             "eller aktivitetstabellen)")
            continue
        if holds_table and guidance.same_heading(title, guidance.ACTIVITY_HEADING):
            found.doubt(_where(heading), "texten under rubriken Aktivitetsplan blev ett eget avsnitt; dokumentet "
                                         "får då rubriken två gånger")
        found.sections.append((title, chunks))
        found.became(_where(heading), f"avsnittet {_quote(title)}" + ("" if chunks else " (utan text)"))
