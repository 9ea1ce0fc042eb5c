"""Word widths in the fonts a table's rows are set in: measured with Pillow, remembered between runs."""

from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Callable
from typing import Any

import PIL
from docx.oxml.ns import qn
from PIL import ImageFont

from generator.document.fontconfig import fc_match, fc_matches, start_fc_matches
from generator.document.fonts import _style_fonts
from generator.files.cache import load, store

MAX_MEASURED_WORDS = 20_000  # word widths remembered per font and size in a process
WIDTHS_KIND = "ordbredder"  # what files.cache keeps them as
MAX_KEPT_WORDS = 5_000  # per font and size on disk: some 100 KB
MAX_KEPT_WORD = 60  # letters: a longer "word" (a web address, a pasted string) is measured but not kept


@functools.lru_cache(maxsize=32)
def _truetype(file: str, twips: int) -> Any:
    return ImageFont.truetype(file, twips)


def word_measure(family: str | None, size: float | None, bold: bool = False) -> Callable[[str], float] | None:
    """The width in twips of a word set in family at size points, with the font fontconfig finds; else None."""
    if not family or not size:
        return None
    found = fc_match(_pattern(family, bold), kept=True)
    if found is None or not found[1].lower().endswith((".ttf", ".otf", ".ttc")):
        return None
    return _widths(found[1], round(size * 20))  # one pixel of this size is one twip


def _pattern(family: str, bold: bool) -> str:
    return f"{family}:bold" if bold else family


class WordWidths:
    """Words' widths in one font file at one size: the same words come back in every plan and table.

    Remembered in the process, and kept on disk (files.cache) under the font file's path, size and time,
    so that a new process measures only the words it has not seen: keep_word_widths writes them.
    """

    def __init__(self, file: str, twips: int, source: str, known: dict[str, float]) -> None:
        self.file, self.twips, self.source, self.known = file, twips, source, known
        self.kept = len(known)  # the words on disk, or to be: at most MAX_KEPT_WORDS
        self.added = 0  # words to be kept that are not on disk yet

    def __call__(self, word: str) -> float:
        width = self.known.get(word)
        if width is None:
            try:
                width = float(_truetype(self.file, self.twips).getlength(word))
            except OSError:  # the font file went bad since its words were kept: estimated as half an em a letter
                return len(word) * self.twips / 2
            if len(self.known) < MAX_MEASURED_WORDS:
                self.known[word] = width
                if len(word) <= MAX_KEPT_WORD and self.kept < MAX_KEPT_WORDS:
                    self.kept += 1
                    self.added += 1
        return width

    def keep(self) -> None:
        """Write the words measured in this process to disk, with those kept before (the first MAX_KEPT_WORDS)."""
        if not (self.added and self.source):
            return
        self.added = 0
        kept = [(word, width) for word, width in self.known.items() if len(word) <= MAX_KEPT_WORD]
        store(_widths_salt(), WIDTHS_KIND, self.source,
              json.dumps(dict(kept[:MAX_KEPT_WORDS]), ensure_ascii=False).encode())


_WIDTHS: dict[tuple[str, int], WordWidths] = {}  # by (font file, size in twips), as _truetype's


def _widths(file: str, twips: int) -> WordWidths | None:
    """The word widths of a font file at a size, those measured before included; None when it cannot be read."""
    found = _WIDTHS.get((file, twips))
    if found is not None:
        return found
    try:
        status = os.stat(file)
        source = f"{file}\0{status.st_size}\0{status.st_mtime_ns}\0{twips}" if os.access(file, os.R_OK) else ""
    except OSError:
        source = ""
    known = _kept_widths(source) if source else None
    if known is None:  # not measured before: the font must load
        try:
            _truetype(file, twips)
        except OSError:
            return None
    if len(_WIDTHS) >= 32:
        keep_word_widths()
        _WIDTHS.clear()
    found = _WIDTHS[(file, twips)] = WordWidths(file, twips, source, known or {})
    return found


def _kept_widths(source: str) -> dict[str, float] | None:
    """The widths kept on disk for source; None when there are none to trust (each a finite width, not below 0)."""
    payload = load(_widths_salt(), WIDTHS_KIND, source)
    if payload is None:
        return None
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or len(data) > MAX_KEPT_WORDS:
        return None
    known = {word: width for word, width in data.items()
             if isinstance(word, str) and isinstance(width, float) and 0 <= width < math.inf}
    return known if len(known) == len(data) else None


@functools.cache
def _widths_salt() -> bytes:
    """What a width depends on besides the font file and size: Pillow's and FreeType's versions, and whether
    Pillow lays text out with Raqm (kerning) or without."""
    core = ImageFont.core
    engine = "|".join(str(getattr(core, name, "")) for name in ("HAVE_RAQM", "HAVE_FRIBIDI", "HAVE_HARFBUZZ"))
    return f"word-widths-1|{PIL.__version__}|{getattr(core, 'freetype2_version', '')}|{engine}".encode()


def keep_word_widths() -> None:
    """Keep the words measured in this process for the next one (files.cache); a cache that cannot be written
    is left alone."""
    for widths in list(_WIDTHS.values()):
        widths.keep()


def table_measures(document: Any, table: Any) -> tuple[Callable[[str], float] | None, Callable[[str], float] | None]:
    """Word measures for a table's body rows and its header row, from the styles of their first paragraphs."""
    measures = []
    fonts = _row_fonts(document, table)
    fc_matches([_pattern(f[0], f[2]) for f in fonts if f is not None and f[0] and f[1]], kept=True)  # side by side
    for found in fonts:
        measures.append(word_measure(*found) if found is not None else None)
    return measures[0], measures[1]


def start_measuring(document: Any, table: Any) -> None:
    """Start asking fontconfig about the fonts table_measures will measure table's words in (a template's table:
    the rendered one takes its rows' styles from it), so that the answers are there when they are needed."""
    start_fc_matches([_pattern(f[0], f[2]) for f in _row_fonts(document, table) if f is not None and f[0] and f[1]],
                     kept=True)


def _row_fonts(document: Any, table: Any) -> list[tuple[str | None, float | None, bool] | None]:
    """The (family, size, bold) of a table's first body row and of its header row, by their first paragraphs' styles."""
    rows = table.findall(qn("w:tr"))
    font = _style_fonts(document)
    fonts = []
    for row in (rows[1] if len(rows) > 1 else None, rows[0] if rows else None):
        style = row.find(f".//{qn('w:pPr')}/{qn('w:pStyle')}") if row is not None else None
        style_id = style.get(qn("w:val")) if style is not None else _default_paragraph_style(document)
        fonts.append(font(style_id) if style_id else None)
    return fonts


def _default_paragraph_style(document: Any) -> str | None:
    for style in document.styles.element.iter(qn("w:style")):
        if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
            return str(style.get(qn("w:styleId")))
    return None
