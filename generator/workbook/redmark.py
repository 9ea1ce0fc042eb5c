"""Rows marked done by colouring them red: which cells are red, which are links, which are neither."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from generator.workbook.colors import _is_hyperlink_color, _theme_colors, gradient_is_red, is_red
from generator.workbook.sheets import RawCell

if TYPE_CHECKING:
    from generator.workbook.xlsxbook import BookStyles


class RowColours(NamedTuple):
    """The filled cells of one row sorted by colour."""

    red: tuple[RawCell, ...]
    others: tuple[RawCell, ...]

    @property
    def is_red(self) -> bool:
        """Red when at least one cell is red and every other filled cell is red or a link."""
        return bool(self.red) and not self.others

    @property
    def is_partly_red(self) -> bool:
        return bool(self.red) and bool(self.others)


_NOT_RED = RowColours((), ())


class RedMarker:
    """Tells red cells from the workbook's cell styles (font or solid fill) and rich text."""

    def __init__(self, styles: BookStyles, theme_xml: bytes | None) -> None:
        self.styles = styles
        self.theme: tuple[str, ...] = _theme_colors(theme_xml)
        self._red: dict[int, bool] = {}
        self._link: dict[int, bool] = {}

    def is_red_color(self, color: object) -> bool:
        return is_red(color, self.theme)

    def _style(self, style_id: int) -> tuple[Any, Any]:
        styles = self.styles.cell_styles
        if not style_id or style_id >= len(styles):
            return None, None
        style = styles[style_id]
        fonts, fills = self.styles.fonts, self.styles.fills
        font = fonts[style.font_id] if style.font_id < len(fonts) else None
        fill = fills[style.fill_id] if style.fill_id < len(fills) else None
        return font, fill

    def style_is_red(self, style_id: int) -> bool:
        cached = self._red.get(style_id)
        if cached is None:
            font, fill = self._style(style_id)
            cached = (font is not None and is_red(font.color, self.theme)) or (
                fill is not None and self._fill_is_red(fill))
            self._red[style_id] = cached
        return cached

    def _fill_is_red(self, fill: Any) -> bool:
        """A solid red fill, or a gradient of red (and white)."""
        if getattr(fill, "patternType", None) == "solid":
            return is_red(getattr(fill, "fgColor", None), self.theme)
        stops = getattr(fill, "stop", None) or ()
        return bool(stops) and gradient_is_red([getattr(stop, "color", None) for stop in stops], self.theme)

    def style_is_link(self, style_id: int) -> bool:
        """Hyperlink look: underlined text in the theme's link colour or a clear blue."""
        cached = self._link.get(style_id)
        if cached is None:
            font, _ = self._style(style_id)
            cached = (
                font is not None
                and getattr(font, "u", None) not in (None, "none")
                and _is_hyperlink_color(font.color, self.theme)
            )
            self._link[style_id] = cached
        return cached

    def is_red_cell(self, cell: RawCell) -> bool:
        return cell.red_text or self.style_is_red(cell.style_id)

    def colours(self, cells: Iterable[RawCell], row: int, links: frozenset[tuple[int, int]]) -> RowColours:
        """Sort a row's filled cells: red, links (left out) and the others.

        A cell a merge spread its value into is left out too: its colour is the merged cell's,
        which belongs to the cell the merge starts in (Ansvarig merged over a red and a plain row).
        """
        red_styles = self._red
        cells = tuple(cell for cell in cells if not cell.spread)
        for cell in cells:  # is any filled cell red? Asked of the style first: cheap, and nearly always no
            known = red_styles.get(cell.style_id)
            if known is None:
                known = self.style_is_red(cell.style_id)
            if (known or cell.red_text) and cell.text.strip():
                break
        else:
            return _NOT_RED  # the common case, kept cheap
        red, others = [], []
        for cell in cells:
            if not cell.text.strip():
                continue
            if self.is_red_cell(cell):
                red.append(cell)
            elif (cell.column, row) in links or self.style_is_link(cell.style_id):
                continue
            else:
                others.append(cell)
        return RowColours(tuple(red), tuple(others))
