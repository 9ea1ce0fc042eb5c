"""What a Word document is read as: its body's paragraphs and tables (as grids), in order, and its properties."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph: its text (line breaks as "\\n") and what its formatting says."""

    number: int                 # 1-based among the body's paragraphs, as "stycke N"
    text: str
    style: str = ""
    level: int | None = None    # heading level from the style or the outline level
    title: bool = False         # the built-in Title style
    subtitle: bool = False
    bold: bool = False          # every run with text is bold
    size: float = 0.0           # the largest font size, in points
    bullet: bool = False        # list numbering or a list style
    toc: bool = False           # a table-of-contents entry or its heading
    red: bool = False           # every run with text is red
    any_red: bool = False
    page_break: bool = False    # ends with (or holds) a page break
    image: bool = False


@dataclass(frozen=True)
class Cell:
    """One grid cell of a table; merged means spanned ("span") or vertically merged ("vmerge")."""

    text: str
    red: bool = False
    any_red: bool = False
    merged: str = ""


@dataclass(frozen=True)
class Table:
    """A body table as a grid: every row has `columns` cells."""

    number: int                 # 1-based among the body's tables, as "tabell N"
    rows: tuple[tuple[Cell, ...], ...]
    columns: int


Block = Paragraph | Table


@dataclass(frozen=True)
class WordDocument:
    """The body in order, the texts of headers and footers, and the core properties."""

    path: Path
    blocks: tuple[Block, ...]
    headers: tuple[str, ...]
    footers: tuple[str, ...]
    properties: dict[str, str]
