"""Tell whether an Excel font or fill colour is red, including theme colours with tints."""

from __future__ import annotations

import colorsys
from collections.abc import Sequence

from defusedxml import ElementTree
from openpyxl.styles.colors import COLOR_INDEX

_DRAWING_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# Excel's theme colour index order differs from the order in theme1.xml.
_THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3",
                "accent4", "accent5", "accent6", "hlink", "folHlink")


def theme_colors(theme_xml: bytes | None) -> tuple[str, ...]:
    """The RGB hex of each theme colour, in the order Excel's theme indexes use."""
    if not theme_xml:
        return ()
    try:
        root = ElementTree.fromstring(theme_xml)
    except Exception:  # a damaged theme only means no theme colours
        return ()
    scheme = root.find(f".//{_DRAWING_NS}clrScheme")
    if scheme is None:
        return ()
    found: dict[str, str] = {}
    for entry in scheme:
        name = entry.tag.removeprefix(_DRAWING_NS)
        for child in entry:
            value = child.get("lastClr") or child.get("val") or ""
            if len(value) == 6:
                found[name] = value.upper()
    return tuple(found.get(name, "000000") for name in _THEME_ORDER)


def is_red_rgb(rgb: str) -> bool:
    """Red as a user would call it: a strong red channel, little green and blue."""
    rgb = rgb[-6:]
    try:
        r, g, b = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return r >= 0xB0 and g <= 0x60 and b <= 0x60


def resolve_color(color: object, theme: Sequence[str]) -> str | None:
    """The RGB hex of an openpyxl Color (rgb, indexed or theme with tint), or None."""
    if color is None:
        return None
    kind = getattr(color, "type", None)
    value = getattr(color, "value", None)
    if kind == "rgb" and isinstance(value, str):
        return value[-6:].upper()
    if kind == "indexed" and isinstance(value, int) and 0 <= value < len(COLOR_INDEX):
        return COLOR_INDEX[value][-6:].upper()
    if kind == "theme" and isinstance(value, int) and 0 <= value < len(theme):
        return _apply_tint(theme[value], float(getattr(color, "tint", 0.0) or 0.0))
    return None


def _apply_tint(rgb: str, tint: float) -> str:
    """Lighten (tint > 0) or darken (tint < 0) a colour as Excel does, in HLS space."""
    if not tint:
        return rgb
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, lum, s)
    return "".join(f"{round(c * 255):02X}" for c in (r, g, b))


def is_red(color: object, theme: Sequence[str]) -> bool:
    """True when an openpyxl Color resolves to red."""
    rgb = resolve_color(color, theme)
    return rgb is not None and is_red_rgb(rgb)
