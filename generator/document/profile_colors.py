"""The kommun's accent colour: found in its table style, theme or headings, and given to the plan's tables."""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

# The default template's colours (tools/build_template.py): header rows, the timeline's planned periods.
PLAN_HEADER_FILL = "1F4E79"
PLAN_PLANNED_FILL = "2E75B6"
PLANNED_CELL_TAG = "{% cellbg cell.farg %}"
WHITE, BLACK = "FFFFFF", "000000"
# Accent colours of the themes Word and LibreOffice start from, and the heading colours of Word's own
# styles: a profile that has them has not named a colour of its own.
STOCK_COLOURS = frozenset({"4F81BD", "4472C4", "5B9BD5", "156082", "365F91", "2E74B5", "2F5496", "1F3763",
                           "0F4761", "1F497D", "18A303", "729FCF"})
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_HEX = re.compile(r"[0-9A-Fa-f]{6}")
_THEME_ALIASES = {"text1": "dk1", "background1": "lt1", "text2": "dk2", "background2": "lt2",
                  "dark1": "dk1", "light1": "lt1", "dark2": "dk2", "light2": "lt2", "hyperlink": "hlink",
                  "followedHyperlink": "folHlink"}


@dataclass(frozen=True)
class Accent:
    """The colour (RRGGBB) and where in the profile it was found, in Swedish."""

    colour: str
    source: str


def theme_colours(theme_blob: bytes | None) -> tuple[str, dict[str, str]]:
    """The theme's colour scheme: its name and its colours by name (accent1 → 1E5631)."""
    if not theme_blob:
        return "", {}
    try:
        root = parse_xml(theme_blob)
    except (ValueError, etree.XMLSyntaxError):
        return "", {}
    scheme = root.find(f".//{{{_A}}}clrScheme")
    if scheme is None:
        return "", {}
    colours = {}
    for child in scheme:
        if not isinstance(child.tag, str):
            continue
        value = next((c.get("val") if c.tag == f"{{{_A}}}srgbClr" else c.get("lastClr") for c in child), None)
        if value and _HEX.fullmatch(value):
            colours[child.tag.split("}")[-1]] = value.upper()
    return str(scheme.get("name") or ""), colours


def resolved(element: Any, theme: dict[str, str], value: str = "val", kind: str = "Color") -> str | None:
    """The RRGGBB a w:color or w:shd element gives, its theme colour (with shade or tint) resolved."""
    if element is None:
        return None
    theme_name = element.get(qn(f"w:theme{kind}"))
    if theme_name:
        base = theme.get(_THEME_ALIASES.get(theme_name, theme_name))
        if base:
            shade = element.get(qn("w:themeFillShade" if kind == "Fill" else "w:themeShade"))
            tint = element.get(qn("w:themeFillTint" if kind == "Fill" else "w:themeTint"))
            return _shaded(base, shade, tint)
    found = element.get(qn(f"w:{value}"))
    return found.upper() if found and _HEX.fullmatch(found) else None


def _shaded(base: str, shade: str | None, tint: str | None) -> str:
    red, green, blue = (int(base[i:i + 2], 16) for i in (0, 2, 4))
    if shade and len(shade) == 2 and _HEX.fullmatch(shade * 3):
        factor = int(shade, 16) / 255
        red, green, blue = (round(c * factor) for c in (red, green, blue))
    elif tint and len(tint) == 2 and _HEX.fullmatch(tint * 3):
        factor = int(tint, 16) / 255
        red, green, blue = (round(c * factor + 255 * (1 - factor)) for c in (red, green, blue))
    return f"{red:02X}{green:02X}{blue:02X}"


def find_accent(table_style: Any | None, theme_name: str, theme: dict[str, str],
                heading_rpr: Any | None) -> Accent | None:
    """The profile's accent colour: its table style's header row, its own theme's first accent, or the
    colour of its Rubrik 1 – the first of them that names a colour of the kommun's own."""
    if table_style is not None:
        for conditional in table_style.findall(qn("w:tblStylePr")):
            if conditional.get(qn("w:type")) == "firstRow":
                shading = conditional.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
                colour = resolved(shading, theme, "fill", "Fill")
                if colour and colour not in (WHITE, "AUTO"):
                    return Accent(colour, "tabellformatets rubrikrad")
    accent = theme.get("accent1")
    if accent and theme_name.casefold() != "office" and accent not in STOCK_COLOURS:
        return Accent(accent, f"temat {theme_name}" if theme_name else "temat")
    colour = resolved(heading_rpr.find(qn("w:color")) if heading_rpr is not None else None, theme)
    if colour and colour not in STOCK_COLOURS and _saturation(colour) > 0.15:
        return Accent(colour, "Rubrik 1")
    return None


def _luminance(colour: str) -> float:
    """WCAG's relative luminance of an RRGGBB colour."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _hls(colour: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*(int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)))


def _saturation(colour: str) -> float:
    return _hls(colour)[2]


def like_red(colour: str) -> bool:
    """Whether a colour is too like the red of done activities (or the orange of today) to mark planned time:
    the reds, from magenta to orange."""
    hue, lightness, saturation = _hls(colour)
    return saturation > 0.35 and 0.15 < lightness < 0.85 and (hue * 360 >= 300 or hue * 360 <= 45)


def colour_name(colour: str) -> str:
    """A Swedish name for a colour, for the timeline's legend: "Blå", "Mörkgrön", "Grå"."""
    hue, lightness, saturation = _hls(colour)
    degrees = hue * 360
    if saturation < 0.15 or lightness < 0.08:
        name = "svart" if lightness < 0.08 else "grå"
    else:
        bands = ((15, "röd"), (45, "orange"), (70, "gul"), (170, "grön"), (200, "turkos"), (260, "blå"),
                 (300, "lila"), (345, "rosa"), (361, "röd"))
        name = next(n for limit, n in bands if degrees < limit)
    if name != "svart" and lightness < 0.3:
        name = "mörk" + name
    elif name != "svart" and lightness > 0.75:
        name = "ljus" + name
    return name[0].upper() + name[1:]


def recolour(root: Any, accent: str, timeline: bool) -> int:
    """Give a part (the body, a header, a footer) the accent colour where the plan's blue was: header
    rows' fills and the cellbg tags that shade the timeline's header, and with timeline its planned
    periods and the legend that names their colour. Returns how many places changed."""
    changed = 0
    for shading in root.iter(qn("w:shd")):
        if (shading.get(qn("w:fill")) or "").upper() == PLAN_HEADER_FILL:
            shading.set(qn("w:fill"), accent)
            changed += 1
    for colour in root.iter(qn("w:color")):
        if (colour.get(qn("w:val")) or "").upper() == PLAN_HEADER_FILL:
            colour.set(qn("w:val"), accent)
            changed += 1
    for text in root.iter(qn("w:t")):
        value = text.text or ""
        if "cellbg" in value and PLAN_HEADER_FILL in value:
            text.text = value.replace(PLAN_HEADER_FILL, accent)
            changed += 1
        elif timeline and value.strip() == PLANNED_CELL_TAG:
            text.text = value.replace(PLANNED_CELL_TAG, f'{{% cellbg "{accent}" if cell.fylld and not linje.klar '
                                                        f"else cell.farg %}}")
            changed += 1
    if timeline:
        for run in root.iter(qn("w:r")):
            colour = run.find(f"{qn('w:rPr')}/{qn('w:color')}")
            text = run.find(qn("w:t"))
            if colour is not None and (colour.get(qn("w:val")) or "").upper() == PLAN_PLANNED_FILL \
                    and text is not None and (text.text or "").strip() == "Blå":
                colour.set(qn("w:val"), accent)
                text.text = colour_name(accent)
                changed += 1
    return changed
