"""Read a Word plan's title page (the Plan fields) and its headings with their text (the sections)."""

from __future__ import annotations

import datetime as dt
import re

from generator.importing import guidance
from generator.importing.blocks import Paragraph, Table, WordDocument
from generator.importing.report import Collected, quote, where
from generator.plan.numformat import MONTHS
from generator.plan.values import parse_iso_date
from generator.versions.changes import CHANGES_HEADING, VERSION_LINE
from generator.workbook.reader import _BULLETS as BULLET_MARKS  # typed bullets: the markers the sheet reads as bullets

# "15 augusti 2018", "den 15 augusti 2018", "onsdag 15 augusti 2018"
_DATE = re.compile(r"(?:\w+dag(?:en)?\s+)?(?:den\s+)?(\d{1,2})\s*(" + "|".join(MONTHS) + r")\s+(\d{4})",
                   re.IGNORECASE)
_TITLE_KOMMUN = re.compile(r"^\s*aktivitetsplan\s*[-–—:]\s*(.+?)\s*$", re.IGNORECASE)
# What is left of "Sida 1 av 3" in a footer once the page number fields are taken out.
_PAGE_NUMBER = re.compile(r"^\s*(sida)?\s*(av|/)?\s*$", re.IGNORECASE)
_TOC_LINE = re.compile(r"\t\s*\d+\s*$")
_MAX_BOLD_HEADING = 90


def _is_toc(paragraph: Paragraph) -> bool:
    """A contents entry or heading by its style; without a heading style also by its text ("Bakgrund\t3")."""
    if paragraph.toc:
        return True
    return paragraph.level is None and (guidance._same_heading(paragraph.text, guidance.TOC_HEADINGS)
                                        or bool(_TOC_LINE.search(paragraph.text)))


def _leave_out_toc(document: WordDocument, found: Collected) -> None:
    """List the table of contents, wherever it stands, once as left out."""
    numbers = [b.number for b in document.blocks if isinstance(b, Paragraph) and b.text.strip() and _is_toc(b)]
    if numbers:
        place = f"stycke {numbers[0]}" + (f"–{numbers[-1]}" if len(numbers) > 1 else "")
        found.leave_out(place, "innehållsförteckningen")


def _find_headings(document: WordDocument) -> list[Paragraph]:
    """Heading 1 (any language), else the top heading level used, else bold short lines."""
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph) and b.text.strip() and not _is_toc(b)]
    levels = [p.level for p in paragraphs if p.level is not None and not p.title]
    if levels:
        top = min(levels)
        return [p for p in paragraphs if p.level == top and not p.title]
    first_large = next((p for p in paragraphs if not p.title), None)
    bold = [p for p in paragraphs
            if p.bold and not p.title and not p.bullet and "\n" not in p.text.strip()
            and len(p.text.strip()) <= _MAX_BOLD_HEADING and not p.text.strip().endswith((".", ":", ","))
            and _parse_date(p.text) is None and not (p is first_large and p.size >= 20)]
    # Bold lines on a title page of its own (before the first page break) are no headings.
    first_break = next((b.number for b in document.blocks if isinstance(b, Paragraph) and b.page_break), None)
    if first_break is not None and any(p.number > first_break for p in bold):
        bold = [p for p in bold if p.number > first_break]
    return bold


def _parse_date(text: str) -> dt.date | None:
    match = _DATE.fullmatch(text.strip())
    if match:
        try:
            return dt.date(int(match.group(3)), MONTHS.index(match.group(2).lower()) + 1, int(match.group(1)))
        except ValueError:
            return None
    return parse_iso_date(text)


def _read_title_page(document: WordDocument, headings: list[Paragraph], activity: list[Table],
                    found: Collected) -> int:
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
        found.became(where(title), f"Titel {quote(title.text)}")
    elif document.properties.get("title") or document.headers:
        text = document.properties.get("title") or document.headers[0]
        plan["Titel"] = " ".join(text.split())
        found.became("dokumentegenskaperna" if document.properties.get("title") else "sidhuvudet",
                     f"Titel {quote(text)}")
    for place, source in (("titeln", str(plan.get("Titel", ""))),
                          ("dokumentegenskaperna", document.properties.get("title", ""))):
        match = _TITLE_KOMMUN.match(source)
        if match:
            plan["Kommun"] = match.group(1)
            found.became(place, f"Kommun {quote(match.group(1))}")
            break
    rest = [p for p in lines if p is not title]
    date = next((p for p in rest if _parse_date(p.text) is not None), None)
    if date is not None:
        plan["Datum"] = _parse_date(date.text)
        found.became(where(date), f"Datum {quote(date.text)}")
        rest.remove(date)
    slogan = _slogan(document)
    if slogan:
        plan["Slogan"] = slogan
        found.became("sidfoten", f"Slogan {quote(slogan)}")
        # The slogan repeated on the title page is no project line (a subtitle-styled line is).
        rest = [p for p in rest if p.subtitle or guidance.normalize(p.text) != guidance.normalize(slogan)]
    for line in [p for p in rest if VERSION_LINE.fullmatch(" ".join(p.text.split()))]:
        found.leave_out(where(line), f"versionsraden {quote(line.text)} (den skrivs på nytt när planen skapas)")
        rest.remove(line)
    if rest:
        project = next((p for p in rest if p.subtitle), rest[0])
        plan["Projekt"] = " ".join(project.text.split())
        found.became(where(project), f"Projekt {quote(project.text)}")
        for other in rest:
            if other is not project:
                found.doubt(where(other), f"raden {quote(other.text)} på titelsidan fick ingen plats i arbetsboken")
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


def _read_body(document: WordDocument, start: int, headings: list[Paragraph], activity: list[Table],
              found: Collected) -> None:
    """Sections from the headings on; guidance, the TOC and the legend left out and listed."""
    heading_ids = set(map(id, headings))
    activity_ids = set(map(id, activity))
    current: tuple[Paragraph, list[str], bool] | None = None  # heading, chunks, holds the activity table
    sections: list[tuple[Paragraph, list[str], bool]] = []
    bullets: list[str] = []
    demoted: dict[int, list[Paragraph]] = {}  # a section's lower headings (Rubrik 2), kept as its paragraphs

    def flush_bullets() -> None:
        if bullets and current is not None:
            current[1].append("\n".join(bullets))
        bullets.clear()

    def generated() -> bool:
        return current is not None and guidance._same_heading(current[0].text, guidance.GENERATED_HEADINGS)

    for block in document.blocks[start:]:
        if isinstance(block, Table) and id(block) not in activity_ids and (generated() or tuple(
                c.text.strip() for c in block.rows[0][:3]) == guidance.GROUP_TABLE_HEADER):
            found.leave_out(f"tabell {block.number}", "en tabell som verktyget gör av arbetsbokens uppgifter")
            continue
        if (isinstance(block, Paragraph) and generated() and id(block) not in heading_ids
                and guidance.normalize(block.text).startswith(
                    tuple(guidance.normalize(t) for t in guidance.GENERATED_TEXTS))):
            continue
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
                            + quote(current[0].text))
            continue
        text = block.text.strip()
        if id(block) in heading_ids:
            flush_bullets()
            current = (block, [], False)
            sections.append(current)
            continue
        if not text:
            continue
        place = where(block)
        if _is_toc(block):
            continue  # listed once, by _leave_out_toc
        if guidance.normalize(text).startswith(guidance.normalize(guidance.LEGEND_START)) and "betyder" in text:
            found.leave_out(place, f"dokumentets förklaring av röd text {quote(text, 40)}")
            continue
        kept, removed = guidance._split_guidance(text)
        if removed and not kept:
            found.leave_out(place, f"mallens instruktionstext {quote(text)}")
            continue
        if removed:
            found.doubt(place, f"mallens instruktionstext togs bort ur stycket; kvar blev {quote(kept)}")
            text = kept
        if current is None:
            found.doubt(place, f"texten {quote(text)} står före första rubriken och följer inte med")
            continue
        if block.level is not None and not block.title:
            demoted.setdefault(id(current[0]), []).append(block)
        marker = next((m for m in BULLET_MARKS if text.startswith(m)), None)
        if block.bullet or marker is not None:
            bullets.append("- " + (text[len(marker):].strip() if marker else text))
        else:
            flush_bullets()
            current[1].append(text)
    flush_bullets()
    for heading, chunks, holds_table in sections:
        title = " ".join(heading.text.split())
        if guidance._same_heading(title, CHANGES_HEADING):
            found.leave_out(where(heading), f"avsnittet {quote(title)} (det skrivs på nytt när planen skapas)")
            continue
        if not chunks and (holds_table or guidance._same_heading(title, guidance.GUIDANCE_HEADINGS)
                           or guidance._same_heading(title, guidance.GENERATED_HEADINGS)
                           or (activity and guidance._same_heading(title, guidance.ACTIVITY_HEADING))):
            found.leave_out(where(heading), f"rubriken {quote(title)} (under den fanns bara mallens text "
                                             "eller aktivitetstabellen)")
            continue
        if holds_table and guidance._same_heading(title, guidance.ACTIVITY_HEADING):
            found.doubt(where(heading), "texten under rubriken Aktivitetsplan blev ett eget avsnitt; dokumentet "
                                         "får då rubriken två gånger")
        found.sections.append((title, chunks))
        found.became(where(heading), f"avsnittet {quote(title)}" + ("" if chunks else " (utan text)"))
        for sub in demoted.get(id(heading), []):
            found.doubt(where(sub), f"underrubriken {quote(sub.text)} (rubriknivå {sub.level}) blev ett vanligt "
                                    f"stycke i avsnittet {quote(title)}: arbetsboken har en rubriknivå. Gör den "
                                    "till ett eget avsnitt på bladet Avsnitt om den ska vara en rubrik")
