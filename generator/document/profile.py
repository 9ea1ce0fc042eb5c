"""A plan template in the kommun's own look: the styles, theme, page, header and footer of its Word template.

The kommun's Word template (its graphic profile, .dotx or .docx) is read, never changed. The plan's
template keeps every placeholder, table and section it has; what it takes over is described in
docs/dokumentet-och-mallar.md (Kommunens grafiska profil). What could not be taken over is said at once
and kept in the template, so that check --template says it again later (profile_findings).
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn

from generator.document.docxml import TBL_PR_ORDER, put_in_order
from generator.document.fonts import _missing_font_finding, _theme_fonts_of, _used_fonts, font_available
from generator.document.profile_colors import WHITE, contrast, find_accent, like_red, recolour, theme_colours
from generator.document.profile_pages import (
    copy_part,
    fit_plan_lines,
    has_field,
    jinja_like,
    plan_footer_lines,
    reference,
    take_page,
    text_of,
)
from generator.document.profile_record import write_record
from generator.document.profile_styles import by_id, copy_style, style_names, styles_by_name, take_styles
from generator.document.render import _check_package, _package_parts
from generator.files.output import write_atomically
from generator.plan.errors import TemplateError
from generator.plan.model import Finding, Severity

PROFILE_SUFFIXES = (".dotx", ".docx")
MACRO_SUFFIXES = (".dotm", ".docm")
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
MACRO_TYPES = ("application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
               "application/vnd.ms-word.document.macroEnabled.main+xml")
# The table styles a new Word table gets by itself: a profile's table in them names no look of the kommun's.
WORD_DEFAULT_TABLE_STYLES = ("normal table", "table grid")
MACRO_MESSAGE = ("profilen är en Word-mall med makron (.dotm), som verktyget inte läser. Öppna den i Word och "
                 "spara den som Word-mall (.dotx) eller Word-dokument (.docx), och använd den filen")


@dataclass(frozen=True)
class ProfileResult:
    """What building a template from a profile did: what was taken over (Swedish lines), what was not and
    why (warnings, with the fonts this machine lacks), and the accent colour given to the plan's tables."""

    profile: str
    taken: tuple[str, ...]
    findings: tuple[Finding, ...]
    accent: str | None = None


def check_profile_name(path: Path) -> None:
    """TemplateError unless path is named as a Word template or document; a macro template is refused."""
    suffix = path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        raise TemplateError(path, MACRO_MESSAGE)
    if suffix not in PROFILE_SUFFIXES:
        raise TemplateError(path, "profilen ska vara kommunens Word-mall (.dotx) eller ett Word-dokument (.docx) "
                                  "i kommunens utseende")


def open_profile(path: Path) -> Any:
    """The profile as a python-docx Document; a .dotx is read as the .docx it is but for its content type.

    TemplateError, naming the profile, for a file that is missing, too large, no Word file or has macros.
    """
    not_word = ("profilen är ingen Word-fil i Office Open XML-format. Öppna den i Word och spara den som "
                "Word-mall (.dotx)")
    infos = _package_parts(path, "profilen", not_word)
    if "[Content_Types].xml" not in {i.filename for i in infos}:
        raise TemplateError(path, not_word)
    try:
        with zipfile.ZipFile(path) as package:
            types = package.read("[Content_Types].xml")
            if any(t.encode() in types for t in MACRO_TYPES):
                raise TemplateError(path, MACRO_MESSAGE)
            if DOCUMENT_TYPE.encode() not in types and TEMPLATE_TYPE.encode() not in types:
                raise TemplateError(path, not_word)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
                for info in infos:
                    data = package.read(info)
                    if info.filename == "[Content_Types].xml":
                        data = data.replace(TEMPLATE_TYPE.encode(), DOCUMENT_TYPE.encode())
                    copy.writestr(info, data)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        raise TemplateError(path, not_word) from None
    try:
        return Document(io.BytesIO(buffer.getvalue()))
    except Exception:  # python-docx raises many kinds for damaged packages
        raise TemplateError(path, "profilen är skadad och kan inte öppnas som Word-fil") from None


def _open_base(path: Path) -> Any:
    _check_package(path)
    try:
        return Document(str(path))
    except Exception:  # python-docx raises many kinds for damaged packages
        raise TemplateError(path, "mallen är skadad och kan inte öppnas som Word-dokument") from None


def apply_profile(base: Path, profile: Path, target: Path, shown: str | None = None) -> ProfileResult:
    """Write at target the plan template base with the look of the kommun's template profile.

    shown: the profile's name as the user knows it (the web page's upload), else its file name.
    The files read are never changed; a failure leaves an earlier target as it was.
    """
    check_profile_name(Path(shown) if shown else profile)
    theirs = open_profile(profile)
    mine = _open_base(base)
    name = shown or profile.name
    taken: list[str] = []
    notes: list[tuple[str, str]] = []
    styles = take_styles(mine.styles.element, theirs.styles.element)
    if styles.taken:
        taken.append(f"Formatmallar: {style_names(styles.taken)} (typsnitt, storlek, färg och avstånd)")
    notes += styles.notes
    theme_blob = _take_theme(mine, theirs, taken)
    table_style = _take_table_style(mine, theirs, taken)
    profile_section = next(theirs.element.body.iter(qn("w:sectPr")), None)
    if profile_section is not None:
        headers = {kind: _source(theirs, profile_section, kind) for kind in ("header", "footer")}
        page = take_page(mine.element.body, profile_section, headers["header"] is not None,
                         headers["footer"] is not None)
        taken += [f"Sidformat: {line}" for line in page.taken]
        notes += page.notes
        for kind, source in headers.items():
            if source is not None:
                _take_header_footer(mine, source, kind, taken, notes)
        plan_styles = styles_by_name(mine.styles.element)
        for rel in mine.part.rels.values():
            if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER):
                kind = "header" if rel.reltype == RT.HEADER else "footer"
                fit_plan_lines(rel.target_part.element, plan_styles.get(kind), page.text_width)
        for which, what in (("first", "första sidan"), ("even", "jämna sidor")):
            if any(reference(profile_section, kind, which) for kind in ("header", "footer")):
                notes.append(("Sidhuvud och sidfot", f"profilens särskilda sidhuvud och sidfot för {what} tas inte "
                                                     "över; planen har samma på alla sidor"))
    else:
        notes.append(("Sidformat", "profilen har inget sidformat; planens behålls"))
    theme_name, theme = theme_colours(theme_blob)
    heading = styles.flattened.get("heading 1", (None, None))[1]
    accent = find_accent(table_style, theme_name, theme, heading)
    if accent is not None:
        _give_accent(mine, accent.colour, taken, notes, accent.source)
    findings = tuple(Finding(place, message, Severity.WARNING) for place, message in notes)
    findings += tuple(_missing_font_finding(family, "PDF") for family in _used_fonts(mine)
                      if font_available(family) is False)
    write_record(mine, name, taken, notes)
    write_atomically(target, lambda temp: mine.save(str(temp)))
    return ProfileResult(name, tuple(taken), findings, accent.colour if accent else None)


def _take_theme(mine: Any, theirs: Any, taken: list[str]) -> bytes | None:
    """The profile's theme (its fonts and colours) in place of the plan's; its XML, or None without one."""
    source = next((rel.target_part for rel in theirs.part.rels.values()
                   if not rel.is_external and rel.reltype == RT.THEME), None)
    if source is None:
        return None
    for rid, rel in list(mine.part.rels.items()):
        if rel.reltype == RT.THEME:
            del mine.part.rels[rid]
    mine.part.relate_to(Part(PackURI("/word/theme/theme1.xml"), source.content_type, source.blob,
                             mine.part.package), RT.THEME)
    fonts = ", ".join(dict.fromkeys(family for _, family in _theme_fonts_of(source.blob)))
    taken.append(f"Temat: temats typsnitt ({fonts}) och färger" if fonts else "Temat: temats typsnitt och färger")
    return bytes(source.blob)


def _take_table_style(mine: Any, theirs: Any, taken: list[str]) -> Any | None:
    """The profile's own table style (its sample table's, else its first custom table style) on the plan's
    tables, in place of their grey borders; the profile's style element (its header row names an accent
    colour), or None when the profile has none but Word's defaults."""
    profile_styles = by_id(theirs.styles.element)
    used = [t.get(qn("w:val")) for t in theirs.element.body.iter(qn("w:tblStyle"))]
    candidates = [profile_styles[s] for s in used if s in profile_styles]
    candidates += [s for s in profile_styles.values() if s.get(qn("w:customStyle")) in ("1", "true", "on")]
    style = next((s for s in candidates if s.get(qn("w:type")) == "table" and _style_name(s).casefold()
                  not in WORD_DEFAULT_TABLE_STYLES), None)
    if style is None:
        return None
    style_id = copy_style(mine.styles.element, theirs.styles.element, style)
    sample = next(theirs.element.body.iter(qn("w:tblLook")), None)
    for table in mine.element.body.iter(qn("w:tbl")):
        properties = table.find(qn("w:tblPr"))
        if properties is None:
            continue
        put_in_order(properties, "tblStyle", TBL_PR_ORDER).set(qn("w:val"), style_id)
        for borders in properties.findall(qn("w:tblBorders")):
            properties.remove(borders)
        look = put_in_order(properties, "tblLook", TBL_PR_ORDER)
        look.attrib.clear()
        if sample is not None:
            look.attrib.update(sample.attrib)
        else:
            for key, value in (("firstRow", "1"), ("lastRow", "0"), ("firstColumn", "0"), ("lastColumn", "0"),
                               ("noHBand", "0"), ("noVBand", "1")):
                look.set(qn(f"w:{key}"), value)
    taken.append(f"Tabellformat: {_style_name(style) or style_id}, på planens tabeller")
    return copy.deepcopy(style)


def _style_name(style: Any) -> str:
    name = style.find(qn("w:name"))
    return str(name.get(qn("w:val")) or "") if name is not None else ""


def _source(theirs: Any, section: Any, kind: str) -> Any | None:
    rid = reference(section, kind)
    rel = theirs.part.rels.get(rid) if rid else None
    return rel.target_part if rel is not None and not rel.is_external else None


def _take_header_footer(mine: Any, source: Any, kind: str, taken: list[str], notes: list[tuple[str, str]]) -> None:
    """The profile's header or footer on every page of the plan, the plan's own lines after it.

    The header keeps the plan's title unless the profile's shows the document's title (a TITLE field);
    the footer keeps the slogan, and the page numbers unless the profile's footer has its own.
    """
    label = "Sidhuvud" if kind == "header" else "Sidfot"
    profile_root = source.element
    if jinja_like(profile_root):
        notes.append((label, "profilens text innehåller {{, {% eller {#, som mallen skulle läsa som en tagg; "
                             "planens behålls. Ta bort tecknen i profilen och gör mallen igen"))
        return
    sections = list(mine.element.body.iter(qn("w:sectPr")))
    old = reference(sections[-1], kind) if sections else None
    old_rel = mine.part.rels.get(old) if old else None
    lines: list[Any] = []
    kept = ""
    if old_rel is not None:
        plan_root = old_rel.target_part.element
        if kind == "header":
            if not has_field(profile_root, "TITLE"):
                lines = [p for p in plan_root.findall(qn("w:p")) if text_of(p).strip()]
                kept = ", sedan planens titel" if lines else ""
        else:
            own_numbers = has_field(profile_root, "PAGE")
            lines = plan_footer_lines(plan_root, keep_page_numbers=not own_numbers)
            kept = ", sedan sloganen" + ("" if own_numbers else " och sidnumren")
            if own_numbers:
                notes.append((label, "profilens sidfot har egna sidnummer; planens ”Sida X av Y” tas bort"))
    images: list[str] = []
    new = copy_part(source, kind, mine.part, lines, images)
    for section in sections:
        for element in [*section.findall(qn(f"w:{kind}Reference")), *section.findall(qn("w:titlePg"))]:
            section.remove(element)
        reference_element = section.makeelement(qn(f"w:{kind}Reference"), {qn("w:type"): "default", qn("r:id"): new})
        section.insert(0 if kind == "header" else len(section.findall(qn("w:headerReference"))), reference_element)
    referenced = {e.get(qn("r:id")) for s in sections for e in s if e.tag.endswith("Reference")}
    for rid, rel in list(mine.part.rels.items()):
        if rel.reltype == (RT.HEADER if kind == "header" else RT.FOOTER) and rid not in referenced:
            del mine.part.rels[rid]
    pictures = f" med {len(images)} bild{'er' if len(images) != 1 else ''}" if images else ""
    what = "Sidhuvud" if kind == "header" else "Sidfot"
    taken.append(f"{what}: profilens{pictures}{kept}")


def _give_accent(mine: Any, accent: str, taken: list[str], notes: list[tuple[str, str]], source: str) -> None:
    """The accent colour on the header rows of the plan's tables and the timeline; the header rows' text
    turns black where white would not stand out from it (WCAG's 4.5:1)."""
    timeline = not like_red(accent)
    if not timeline:
        notes.append(("Tidslinjen", f"accentfärgen #{accent} liknar rött, som betyder klar; tidslinjen behåller "
                                    "blått för planerad tid"))
    recolour(mine.element.body, accent, timeline)
    for rel in mine.part.rels.values():
        if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER):
            recolour(rel.target_part.element, accent, False)
    where = "tabellernas rubrikrader" + (" och tidslinjen" if timeline else "")
    if contrast(WHITE, accent) < 4.5:
        head = styles_by_name(mine.styles.element).get("tabellrubrik")
        colour = head.find(f"{qn('w:rPr')}/{qn('w:color')}") if head is not None else None
        if colour is not None:
            colour.set(qn("w:val"), "000000")
            where += ", med svart text på rubrikraderna"
    taken.append(f"Accentfärg: #{accent} (från {source}) på {where}")
