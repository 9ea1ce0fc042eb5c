"""Estimate on which page each part of a rendered document starts (the TOC's cached page numbers)."""

from __future__ import annotations

import functools
import itertools
import math
import re
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from generator.document.rows import DetachedRows, representatives, word_positions

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_P, _W_T, _W_TAB, _W_BR, _W_TBL, _W_TR, _W_TC, _W_PPR, _W_P_STYLE, _W_VAL, _W_TYPE, _W_W = (
    qn(f"w:{tag}") for tag in ("p", "t", "tab", "br", "tbl", "tr", "tc", "pPr", "pStyle", "val", "type", "w"))
_ODD_SPACE = re.compile(r"[^\S\n ]")  # whitespace (re's \s is str.split()'s) but spaces and the marks' line feeds
_SPACE_RUN = re.compile(" {2,}")
_HAS_LINE_FEED = etree.XPath("boolean((w:p | w:tbl)[$first < 0 or position() <= $first][contains(., $line_feed)])",
                             namespaces={"w": W_NAMESPACE})
_BLOCKS = etree.XPath("count(w:p | w:tbl)", namespaces={"w": W_NAMESPACE})
_W_GRID_COL, _W_SECT_PR, _W_PAGE_BREAK_BEFORE = qn("w:gridCol"), qn("w:sectPr"), qn("w:pageBreakBefore")

# The texts of the children of the context element that are paragraphs or tables, in order, each after "\nX":
# a paragraph's as "\nP" + its text; a table's as "T", then "\nR" per row (nested tables' rows too, as
# table.iter finds them), "\nC" per cell (w:tc child of the row) and "\nP" + text per paragraph (w:p child of
# the cell). A paragraph's text is its w:t texts with a space for each w:tab and w:br, as paragraph_text reads
# them before it joins whitespace (a tab stop's w:tab too, as paragraph.iter finds it: leading whitespace,
# which goes). {text} is "." or, when a text holds a line feed,
# translate(., '&#10;', ' '): then too "\n" only ever starts a mark. One transform in C instead of a Python
# object per row, cell and paragraph.
_TEXTS_XSLT = """<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:w="{namespace}">
  <xsl:output method="text" encoding="utf-8"/>
  <xsl:param name="first" select="-1"/>
  <xsl:template match="/">
    <xsl:for-each select="(/*/w:p | /*/w:tbl)[$first &lt; 0 or position() &lt;= $first]">
      <xsl:text>&#10;X</xsl:text>
      <xsl:choose>
        <xsl:when test="self::w:tbl"><xsl:text>T</xsl:text>
          <xsl:for-each select="descendant::w:tr"><xsl:text>&#10;R</xsl:text>
            <xsl:for-each select="w:tc"><xsl:text>&#10;C</xsl:text>
              <xsl:for-each select="w:p"><xsl:text>&#10;P</xsl:text>
                <xsl:call-template name="text"/>
              </xsl:for-each>
            </xsl:for-each>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise><xsl:text>&#10;P</xsl:text>
          <xsl:call-template name="text"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>
  <xsl:template name="text">
    <xsl:for-each select="descendant::w:t | descendant::w:tab | descendant::w:br">
      <xsl:choose>
        <xsl:when test="self::w:t"><xsl:value-of select="{text}"/></xsl:when>
        <xsl:otherwise><xsl:text> </xsl:text></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>"""


@functools.lru_cache(maxsize=2)
def _texts(line_feeds: bool) -> etree.XSLT:
    """The transform; line_feeds: for texts that may hold line feeds (translate costs as much as the rest)."""
    text = "translate(., '&#10;', ' ')" if line_feeds else "."
    stylesheet = _TEXTS_XSLT.format(namespace=W_NAMESPACE, text=text)
    return etree.XSLT(etree.fromstring(stylesheet), access_control=etree.XSLTAccessControl.DENY_ALL)


def table_text_lengths(parent: Any) -> list[list[list[list[int]]]]:
    """For each w:tbl child of parent: its rows' cells' paragraphs' len(paragraph_text(p)).

    Rows as table.iter("w:tr") finds them, cells and paragraphs as the row's and cell's children.
    """
    return [[[[len(text) for text in cell.split("\nP")[1:]] for cell in row] for row in table]
            for table in read_texts(parent)[1].values()]


def read_texts(parent: Any, first: int = -1) -> tuple[dict[Any, str], dict[Any, list[list[str]]]]:
    """The texts of parent's w:p and w:tbl children: paragraph -> paragraph_text(paragraph), and
    table -> its rows' cells, each cell "\nP" + paragraph_text(p) for each of its paragraphs.

    first: only the first so many of those children (all when negative).
    """
    # A line feed in any text, so maybe a w:t's (one XPath call; itertext costs more).
    line_feeds = _HAS_LINE_FEED(parent, first=first, line_feed="\n")
    texts = _ODD_SPACE.sub(" ", str(_texts(line_feeds)(parent, first=str(first))))
    if "  " in texts:
        texts = _SPACE_RUN.sub(" ", texts)
    # Whitespace now is single spaces and the marks' line feeds; none at a text's start or end, as in split().
    texts = texts.replace("\nP ", "\nP").replace(" \n", "\n").rstrip(" ")
    paragraphs, tables = {}, {}
    children = parent.iterchildren(_W_P, _W_TBL)
    for node, text in zip(itertools.islice(children, first) if first >= 0 else children, texts.split("\nX")[1:],
                          strict=True):
        if text[:1] == "T":
            tables[node] = [row.split("\nC")[1:] for row in text.split("\nR")[1:]]
        else:
            paragraphs[node] = text[2:]
    return paragraphs, tables


def _first_child(element: Any, tag: str) -> Any:
    """element.find(tag) for a plain tag, without ElementPath's cost."""
    for child in element.iterchildren(tag):
        return child
    return None


def paragraph_text(paragraph: Any) -> str:
    """The paragraph's text, a tab or line break read as a space, with whitespace runs made one space.

    What read_texts gives for many paragraphs at once.
    """
    parts = [node.text or "" if node.tag == _W_T else " " for node in paragraph.iter(_W_T, _W_TAB, _W_BR)]
    return " ".join("".join(parts).split())


class PageEstimator:
    """A rough page count for the default layout (A4, 11 pt body text), in points.

    Good enough for the cached numbers Word shows until its fields are updated;
    LibreOffice and the PDF export compute the real ones.
    """

    PAGE_HEIGHT = 700.0
    BODY_LINE, BODY_CHARS, BODY_AFTER = 15.4, 88, 6.0  # 11 pt × 1.22 (Calibri) × 1.15
    HEADING_LINE, HEADING_CHARS, HEADING_SPACE = 22.5, 52, 24.0
    # Table text: 9.5 pt single-spaced, 2 pt after; cell margins 2.85 pt above and below; widths from the grid.
    TABLE_LINE, TABLE_ROW_SPACE, TABLE_CHAR_TWIPS, CELL_TWIPS = 11.6, 7.7, 95, 2000

    def __init__(self, body: Any, headings: set[str], detached: DetachedRows | None = None) -> None:
        """body: whose children add lays out; headings: the heading styles' ids; detached: the activity
        rows kept out of the tree (rows.py), laid out where their marker stands."""
        self.headings = headings
        self.texts, self.tables = read_texts(body, self._through_last_heading(body))
        self.detached = detached
        self.page = 1
        self.height = 0.0

    def _through_last_heading(self, body: Any) -> int:
        """How many of the body's paragraphs and tables there are up to its last heading: all a TOC needs."""
        count = int(_BLOCKS(body))
        for index, node in enumerate(body.iterchildren(_W_P, _W_TBL, reversed=True)):
            if node.tag == _W_P and self._heading(_first_child(node, _W_PPR)):
                return count - index
        return count

    def _heading(self, ppr: Any) -> bool:
        """Whether a paragraph with these properties (its w:pPr, or None) has a heading style."""
        style = _first_child(ppr, _W_P_STYLE) if ppr is not None else None
        return style is not None and style.get(_W_VAL) in self.headings

    def add(self, node: Any, heading: bool | None = None) -> None:
        """Lay out the body's next child; heading: whether a paragraph has a heading style, when the caller knows."""
        if node.tag == _W_P:
            ppr = _first_child(node, _W_PPR)
            if heading is None:
                heading = self._heading(ppr)
            if ppr is not None and _first_child(ppr, _W_PAGE_BREAK_BEFORE) is not None and self.height:
                self._new_page()
            chars = len(self.texts[node])
            if heading:
                lines = max(1, math.ceil(chars / self.HEADING_CHARS))
                self._grow(lines * self.HEADING_LINE + self.HEADING_SPACE)
            else:
                lines = max(1, math.ceil(chars / self.BODY_CHARS))
                self._grow(lines * self.BODY_LINE + self.BODY_AFTER)
            for br in node.iter(_W_BR):
                if br.get(_W_TYPE) == "page":
                    self._new_page()
            if ppr is not None and _first_child(ppr, _W_SECT_PR) is not None:
                self._new_page()  # a section break: the next section starts on a new page
        elif node.tag == _W_TBL:
            self._add_table(node)

    def _add_table(self, table: Any) -> None:
        for lines in self.row_lines(table):
            self._grow(lines * self.TABLE_LINE + self.TABLE_ROW_SPACE)

    def row_lines(self, table: Any) -> list[int]:
        """How many lines each row of a table child of the body takes: its tallest cell's."""
        # A cell's width from the grid (CELL_TWIPS without one), less its margins, holds per_line characters.
        per_lines = [max(4, ((width if width > 0 else self.CELL_TWIPS) - 200) // self.TABLE_CHAR_TWIPS)
                     for width in (int(c.get(_W_W) or 0) for c in table.iter(_W_GRID_COL))]
        found = self._lines(self.tables[table], per_lines)
        detached = self.detached
        if detached is not None and detached.table is table:
            # The first kept row and those fit_columns searches for words are read (every row of a table up
            # to 4 000 rows); beyond, each read row stands for those after it.
            at, count = detached.position(), len(detached)
            sample = sorted({0, *(p - at for p in word_positions(len(found) + count) if at <= p < at + count)})
            texts = []
            for batch in detached.batches(sample):  # each batch's rows are a table's under a body of their own
                texts += read_texts(batch[0].getparent().getparent())[1].popitem()[1]
            lines = dict(zip(sample, self._lines(texts, per_lines), strict=True))
            found[at:at] = [lines[index] for index in representatives(count, sample)]
        return found

    def _lines(self, rows: list[list[str]], per_lines: list[int]) -> list[int]:
        """How many lines each row takes, its cells' texts as read_texts gives them, in columns of per_lines."""
        per_lines = list(per_lines)
        beyond = max(4, (self.CELL_TWIPS - 200) // self.TABLE_CHAR_TWIPS)  # for cells past the grid
        found = []
        for row in rows:
            if len(row) > len(per_lines):
                per_lines += [beyond] * (len(row) - len(per_lines))
            lines = 1
            for cell, per_line in zip(row, per_lines):
                # A paragraph takes max(1, ceil(chars / per_line)) lines; cell = "\nP" + text for each.
                paragraphs = cell.count("\nP")
                if paragraphs == 1:
                    paragraphs = -(-(len(cell) - 2) // per_line) or 1
                elif len(cell) - 2 * paragraphs > per_line:  # else all its text would fit one line: one each
                    paragraphs = sum([max(1, -(-len(text) // per_line)) for text in cell.split("\nP")[1:]])
                if paragraphs > lines:
                    lines = paragraphs
            found.append(lines)
        return found

    def _grow(self, points: float) -> None:
        if self.height + points > self.PAGE_HEIGHT and self.height:
            self._new_page()
        self.height += points

    def _new_page(self) -> None:
        self.page += 1
        self.height = 0.0
