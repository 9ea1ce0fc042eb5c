"""The fonts a document uses and whether this machine has them, as fontconfig finds them (fontconfig.py)."""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from generator.document.fontconfig import fc_match, fc_matches
from generator.plan.model import Finding, Severity

# Fonts LibreOffice may use in place of a font with the very same character widths.
METRIC_COMPATIBLE = {
    "calibri": ("Carlito",),
    "cambria": ("Caladea",),
    "arial": ("Liberation Sans", "Arimo"),
    "helvetica": ("Liberation Sans", "Arimo"),
    "times new roman": ("Liberation Serif", "Tinos"),
    "courier new": ("Liberation Mono", "Cousine"),
}
# What to install for each: (Debian/Ubuntu package, Fedora package).
PACKAGES = {
    "calibri": ("fonts-crosextra-carlito", "google-carlito-fonts"),
    "cambria": ("fonts-crosextra-caladea", "google-crosextra-caladea-fonts"),
    "arial": ("fonts-liberation2", "liberation-sans-fonts"),
    "helvetica": ("fonts-liberation2", "liberation-sans-fonts"),
    "times new roman": ("fonts-liberation2", "liberation-serif-fonts"),
    "courier new": ("fonts-liberation2", "liberation-mono-fonts"),
}
_HALF_POINTS = re.compile(r"[0-9]{1,4}")  # a font size in half points, as Word writes it
_THEME_FONTS = {"majorHAnsi": "major", "majorAscii": "major", "minorHAnsi": "minor", "minorAscii": "minor"}
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def font_available(family: str) -> bool | None:
    """Whether family, or a font with its metrics, is installed; None when fontconfig cannot tell."""
    found = fc_match(family)
    if found is None:
        return None
    wanted = {family.casefold(), *(name.casefold() for name in METRIC_COMPATIBLE.get(family.casefold(), ()))}
    return found[0].casefold() in wanted


def _missing_font_finding(family: str, place: str) -> Finding:
    """A warning naming what to install for family."""
    compatible = METRIC_COMPATIBLE.get(family.casefold())
    packages = PACKAGES.get(family.casefold())
    also = f" (och inte {compatible[0]}, som har samma mått)" if compatible else ""
    if packages:
        advice = (f'Installera "apt-get install {packages[0]}" (Debian/Ubuntu) eller "dnf install {packages[1]}" '
                  f"(Fedora), eller installera {family}.")
    else:
        advice = f"Installera typsnittet {family}."
    return Finding(place, f"Typsnittet {family} finns inte på datorn{also}, så LibreOffice använder ett annat i "
                          f"PDF:en: texten ser annorlunda ut och tar mer plats. {advice}", Severity.WARNING)


def pdf_font_findings(docx: Path, place: str = "PDF") -> list[Finding]:
    """Warnings for the fonts docx (a template or document) uses that LibreOffice would have to replace here."""
    try:
        families = document_fonts(docx)
    except (OSError, zipfile.BadZipFile, ValueError):
        return []  # the template's own problems are reported where it is opened
    fc_matches(families)  # asked side by side: font_available then finds each answer known
    return [_missing_font_finding(family, place) for family in families if font_available(family) is False]


def document_fonts(docx: Path) -> list[str]:
    """The Latin font families the text of docx is set in: defaults, the styles in use, direct formatting."""
    document = Document(str(docx))
    return _used_fonts(document)


def _used_fonts(document: Any) -> list[str]:
    """_used_fonts of an open python-docx document: each paragraph style's font (through basedOn and
    the defaults), character and table styles' own fonts, and fonts set directly on text."""
    theme = _theme_fonts(document)
    styles = _styles_by_id(document.styles.element)
    parts = [document.part.element]
    for section in document.sections:
        for hf in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                   section.even_page_header, section.even_page_footer):
            if not hf.is_linked_to_previous:
                parts.append(hf.part.element)
    paragraph_styles = {s.get(qn("w:styleId")) for s in styles.values()
                        if s.get(qn("w:default")) in ("1", "true", "on") and s.get(qn("w:type")) == "paragraph"}
    other_styles: set[str] = set()
    rfonts = []
    for root in parts:
        paragraph_styles.update(e.get(qn("w:val")) for e in root.iter(qn("w:pStyle")))
        for tag in ("w:rStyle", "w:tblStyle"):
            other_styles.update(e.get(qn("w:val")) for e in root.iter(qn(tag)))
        rfonts.extend(root.iter(qn("w:rFonts")))
    font = _style_fonts(document)
    families = [font(style_id)[0] for style_id in sorted(paragraph_styles, key=str)]
    for style_id in sorted(other_styles, key=str):
        rfonts.extend(r for s in _based_on_chain(styles, style_id) for r in styles[s].iter(qn("w:rFonts")))
    for element in rfonts:
        families.extend(_latin_fonts(element, theme))
    return list(dict.fromkeys(f for f in families if f))


def _latin_fonts(rfonts: Any, theme: dict[str, str]) -> Iterable[str]:
    """The fonts Latin text takes from one w:rFonts: w:ascii/w:hAnsi, else their theme font."""
    for name in ("ascii", "hAnsi"):
        family = rfonts.get(qn(f"w:{name}"))
        theme_name = rfonts.get(qn(f"w:{name}Theme"))
        if theme_name:
            family = theme.get(_THEME_FONTS.get(theme_name, ""), family)
        if family:
            yield family.strip()


def _styles_by_id(styles_element: Any) -> dict[str, Any]:
    return {s.get(qn("w:styleId")): s for s in styles_element.iter(qn("w:style"))}


def _based_on_chain(styles: dict[str, Any], style_id: str | None) -> list[str]:
    chain: list[str] = []
    while style_id and style_id not in chain and style_id in styles:
        chain.append(style_id)
        based = styles[style_id].find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    return chain


def _theme_fonts(document: Any) -> dict[str, str]:
    """The theme's major and minor Latin fonts, {"major": …, "minor": …}."""

    for rel in document.part.rels.values():
        if rel.reltype.endswith("/theme") and not rel.is_external:
            return dict(_theme_fonts_of(rel.target_part.blob))
    return {}


@functools.lru_cache(maxsize=8)
def _theme_fonts_of(blob: bytes) -> tuple[tuple[str, str], ...]:
    """The (kind, typeface) pairs of a theme part's XML; the same template's theme comes back each time."""
    try:
        root = parse_xml(blob)  # python-docx's parser: no entities
    except (ValueError, etree.XMLSyntaxError):
        return ()
    fonts = []
    for kind in ("major", "minor"):
        latin = root.find(f".//{{{_A}}}{kind}Font/{{{_A}}}latin")
        if latin is not None and latin.get("typeface"):
            fonts.append((kind, str(latin.get("typeface"))))
    return tuple(fonts)


def _style_font(document: Any, style_id: str) -> tuple[str | None, float | None, bool]:
    """(family, size in points, bold) a paragraph style gives its text, through basedOn and the defaults."""
    return _style_fonts(document)(style_id)


_STYLE, _R_PR, _R_FONTS, _SZ, _B, _VAL = (qn(f"w:{name}") for name in ("style", "rPr", "rFonts", "sz", "b", "val"))
_DEFAULT_R_PR = f"{qn('w:rPrDefault')}/{_R_PR}"


def _style_fonts(document: Any) -> Callable[[str], tuple[str | None, float | None, bool]]:
    """_style_font for one document, with its styles and theme looked up once."""
    theme = _theme_fonts(document)
    styles = _styles_by_id(document.styles.element)
    defaults = document.styles.element.find(qn("w:docDefaults"))

    def font(style_id: str) -> tuple[str | None, float | None, bool]:
        family: str | None = None
        size: float | None = None
        bold: bool | None = None
        elements = [styles[s] for s in _based_on_chain(styles, style_id)]
        if defaults is not None:
            elements.append(defaults)
        for element in elements:
            rpr = element.find(_R_PR if element.tag == _STYLE else _DEFAULT_R_PR)
            if rpr is None:
                continue
            rfonts = rpr.find(_R_FONTS)
            if family is None and rfonts is not None:
                family = next(iter(_latin_fonts(rfonts, theme)), None)
            sz = rpr.find(_SZ)
            if size is None and sz is not None and _HALF_POINTS.fullmatch(sz.get(_VAL) or ""):
                size = int(sz.get(_VAL)) / 2
            b = rpr.find(_B)
            if bold is None and b is not None:
                bold = b.get(_VAL, "true") not in ("0", "false", "off")
        return family, size, bool(bold)

    return font
