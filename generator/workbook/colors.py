"""Tell whether an Excel font or fill colour is red, including theme and indexed colours with tints."""

from __future__ import annotations

import colorsys
import functools
from collections.abc import Sequence

from defusedxml import ElementTree
from openpyxl.styles.colors import COLOR_INDEX

_DRAWING_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# Excel's theme colour index order differs from the order in theme1.xml.
_THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3",
                "accent4", "accent5", "accent6", "hlink", "folHlink")
_HYPERLINK_THEME = (10, 11)

# Red as a user would call it, by hue, saturation and lightness (documented in docs/arbetsboken.md).
RED_HUE_DEGREES = 20.0  # hue strictly within ±20° of 0° (993300, Excel's "brun", is 20°: not red)
RED_MIN_SATURATION = 0.5  # HSV saturation: pale pinks and greys are below
RED_LIGHTNESS = (0.2, 0.8)  # HLS lightness: near-black below, near-white pink above


@functools.lru_cache(maxsize=16)  # nearly every workbook carries one of a few themes
def _theme_colors(theme_xml: bytes | None) -> tuple[str, ...]:
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


def _hls(rgb: str) -> tuple[float, float, float, float] | None:
    """(hue in degrees, HLS lightness, HLS saturation, HSV saturation) of an RGB hex."""
    rgb = rgb[-6:]
    try:
        r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    high = max(r, g, b)
    value_saturation = (high - min(r, g, b)) / high if high else 0.0
    return hue * 360, lightness, saturation, value_saturation


def is_red_rgb(rgb: str) -> bool:
    """Clearly red: hue near 0°, saturated, neither near-black nor pale pink."""
    found = _hls(rgb)
    if found is None:
        return False
    hue, lightness, _, saturation = found
    distance = min(hue, 360 - hue)
    low, high = RED_LIGHTNESS
    return distance < RED_HUE_DEGREES and saturation >= RED_MIN_SATURATION and low <= lightness <= high


def _is_blue_rgb(rgb: str) -> bool:
    """Blue as hyperlinks are shown (0563C1, 0000FF)."""
    found = _hls(rgb)
    return found is not None and 190 <= found[0] <= 250 and found[3] >= 0.5


def color_rgb(
    theme: Sequence[str], *, rgb: str | None = None, indexed: int | None = None,
    theme_index: int | None = None, tint: float = 0.0,
) -> str | None:
    """The RGB hex of a colour given as Excel stores it (rgb, indexed or theme, with tint), or None."""
    base: str | None = None
    if rgb:
        base = rgb[-6:].upper()
    elif indexed is not None and 0 <= indexed < len(COLOR_INDEX):
        base = COLOR_INDEX[indexed][-6:].upper()
    elif theme_index is not None and 0 <= theme_index < len(theme):
        base = theme[theme_index]
    if base is None:
        return None
    return _apply_tint(base, tint)


def _resolve_color(color: object, theme: Sequence[str]) -> str | None:
    """The RGB hex of an openpyxl Color (rgb, indexed or theme with tint), or None."""
    if color is None:
        return None
    kind = getattr(color, "type", None)
    value = getattr(color, "value", None)
    tint = float(getattr(color, "tint", 0.0) or 0.0)
    if kind == "rgb" and isinstance(value, str):
        return color_rgb(theme, rgb=value, tint=tint)
    if kind == "indexed" and isinstance(value, int):
        return color_rgb(theme, indexed=value, tint=tint)
    if kind == "theme" and isinstance(value, int):
        return color_rgb(theme, theme_index=value, tint=tint)
    return None


def _apply_tint(rgb: str, tint: float) -> str:
    """Lighten (tint > 0) or darken (tint < 0) a colour as Excel does, in HLS space."""
    if not tint:
        return rgb
    try:
        r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return rgb
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, min(max(lum, 0.0), 1.0), s)
    return "".join(f"{round(c * 255):02X}" for c in (r, g, b))


def is_red(color: object, theme: Sequence[str]) -> bool:
    """True when an openpyxl Color resolves to red."""
    rgb = _resolve_color(color, theme)
    return rgb is not None and is_red_rgb(rgb)


def gradient_is_red(colors: Sequence[object], theme: Sequence[str]) -> bool:
    """A gradient fill that reads as red: a red stop, the others red or white (Excel's second colour is white)."""
    seen_red = False
    for color in colors:
        rgb = _resolve_color(color, theme)
        if rgb is None:
            return False
        if is_red_rgb(rgb):
            seen_red = True
            continue
        found = _hls(rgb)
        if found is None or found[1] < RED_LIGHTNESS[1]:
            return False
    return seen_red


def _is_hyperlink_color(color: object, theme: Sequence[str]) -> bool:
    """True for the colours Excel gives hyperlinks: the theme's link colours or a clear blue."""
    if getattr(color, "type", None) == "theme" and getattr(color, "value", None) in _HYPERLINK_THEME:
        return True
    rgb = _resolve_color(color, theme)
    return rgb is not None and _is_blue_rgb(rgb)
