"""The activity table's rows kept out of the document tree as rendered XML, spliced in when the file is saved.

The template's loop over aktiviteter is marked in its Jinja source (mark_activity_loop); the
body's collector (body.collect) sends each round after the first to a RowSplitter, and SPLICE
stands in the body where they go. The finishing steps measure a sample of them (DetachedRows
.batches), their cell widths are written into the XML, and the engine streams them into the file.
Rows a finishing step would need in the tree (merged cells, pictures, bookmarks, a table of their
own, another table than the activity table) are parsed into it after all (attach).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from lxml import etree

from generator.document.docxml import W_NAMESPACE

# Markers put into a template's Jinja source around its activity loop and at the start of each iteration.
# Processing instructions: no escaped value can hold "<?", and the template's own XML holds none of these.
LOOP_START = "<?aktivitetsplan-loop?>"
ITERATION = "<?aktivitetsplan-rad?>"
LOOP_END = "<?aktivitetsplan-slut?>"
# What stands in the body source in place of a loop that document/stamping.py writes without Jinja.
STAMP = "<?aktivitetsplan-stampel?>"
MARKERS = (LOOP_START, ITERATION, LOOP_END, STAMP)
# What stands in the body where the detached rows go, from parsing until the file is saved.
SPLICE_TARGET = "aktivitetsplan-rader"
SPLICE = f"<?{SPLICE_TARGET}?>".encode()
# The activity table's rows searched for each column's longest word: all, up to about twice this many.
WORD_ROWS = 2000
# Rows parsed at a time when they are measured: a few MB of elements, let go before the next.
BATCH_ROWS = 250

_W = W_NAMESPACE
_TR, _TC = f"{{{_W}}}tr", f"{{{_W}}}tc"
_BLOCK_TAG = re.compile(r"\{%-?\s*(\w+)[^%]*?-?%\}")
_LEADING_STATEMENTS = re.compile(r"(?:\s*\{%[^%]*%\})*\s*$")  # statements (and whitespace) at the end
_RAW = re.compile(r"\{%-?\s*raw\b")
_ACTIVITY_LOOP = re.compile(r"\{%-?\s*for\s+\w+\s+in\s+aktiviteter\b[^%]*?-?%\}")
_ROW = re.compile(r"<w:tr[ >].*?</w:tr>", re.DOTALL)
_CELL = re.compile(r"<w:tc[ >]")
# What a detached row may not hold: finishing steps look for these in the tree (merged cells, pictures'
# ids, bookmark ids, nested tables, section breaks) or Word counts them across the document.
_NOT_DETACHABLE = (b"gridSpan", b"vMerge", b"hMerge", b"docPr", b"bookmarkStart", b"<w:tbl", b"sectPr",
                   b"<?", b"<!--", b"w:id=", b"tblHeader")
_CELL_OR_WIDTH = re.compile(rb"<w:tc[ >]|<w:tcW\b[^>]*>")
_WIDTH_VALUE = re.compile(rb'\bw:w="[^"]*"')
_TYPE_VALUE = re.compile(rb'\bw:type="[^"]*"')


def mark_activity_loop(source: str) -> str:
    """source with the markers around its row-level loop over aktiviteter; source itself when it has none
    or its rows are not plain (loop_cells).

    Row level: the loop stands between a table's rows (docxtpl's {%tr for … %}), after at least one
    row (the header), maybe after other row-level statements ({%tr if … %}), and before the table's
    end, its next row or another statement.
    """
    found = _ACTIVITY_LOOP.search(source)
    if found is None or _RAW.search(source) or not _LEADING_STATEMENTS.sub("", source[:found.start()]).endswith(
            "</w:tr>"):
        return source  # in a raw block, a loop's tags are only text
    depth = 0
    for tag in _BLOCK_TAG.finditer(source, found.end()):
        if tag.group(1) == "for":
            depth += 1
        elif tag.group(1) == "endfor":
            if depth:
                depth -= 1
                continue
            after = source[tag.end():].lstrip()
            if not after.startswith(("</w:tbl>", "<w:tr", "{%")) or loop_cells(source[found.end():tag.start()]) is None:
                return source
            return "".join((source[:found.start()], LOOP_START, found.group(0), ITERATION,
                            source[found.end():tag.end()], LOOP_END, source[tag.end():]))
    return source


def loop_cells(body: str) -> int | None:
    """The cells of each row the Jinja source of a loop's body writes, when it writes only plain rows of as many.

    Plain: a row without a Jinja statement inside (so its cells are the template's), nothing but
    statements between rows, and none of what a finishing step would need to find in the tree
    (_NOT_DETACHABLE) or the logo (a picture). The values are escaped, so they add no markup.
    """
    cells = set()
    for row in _ROW.finditer(body):
        if "{%" in row.group(0):
            return None
        cells.add(len(_CELL.findall(row.group(0))))
    outside = _ROW.sub("", body)
    encoded = body.encode("utf-8")
    if (len(cells) != 1 or "<" in outside or "logotyp" in body
            or any(part in encoded for part in _NOT_DETACHABLE)):
        return None
    return cells.pop()


def marker_pieces(text: str) -> list[str] | None:
    """text cut at the markers, each marker a piece of its own; None when text holds no marker."""
    if "<?aktivitetsplan-" not in text:
        return None
    pieces = [text]
    for marker in MARKERS:
        pieces = [part for piece in pieces for part in _cut(piece, marker)]
    return [piece for piece in pieces if piece]


def _cut(text: str, marker: str) -> Iterator[str]:
    if text in MARKERS:
        yield text
        return
    parts = text.split(marker)
    for index, part in enumerate(parts):
        if index:
            yield marker
        yield part


class RowSplitter:
    """Where each rendered chunk goes: the body, or the group of the current iteration after the first."""

    def __init__(self) -> None:
        self.body: list[bytes] = []
        self.groups: list[bytes] = []
        self._group: list[bytes] | None = None
        self._iterations = -1  # -1: outside the loop
        self.append = self.body.append

    def marker(self, marker: str) -> None:
        """Follow a marker met in the template's own text."""
        if marker == LOOP_START:
            self._iterations = 0
        elif marker == ITERATION and self._iterations >= 0:
            self._close_group()
            self._iterations += 1
            if self._iterations >= 2:
                self._group = []
                self.append = self._group.append
        elif marker == LOOP_END and self._iterations >= 0:
            self._close_group()
            if self.groups:  # rounds after the first wrote rows: they go where SPLICE stands
                self.body.append(SPLICE)
            self._iterations = -1

    def _close_group(self) -> None:
        if self._group is not None:
            if self._group:  # an iteration that wrote no row has no group
                self.groups.append(b"".join(self._group))
            self._group = None
        self.append = self.body.append


class DetachedRows:
    """The activity rows after the first, as rendered XML, and the SPLICE element standing for them in the tree."""

    def __init__(self, groups: list[bytes], marker: Any, namespaces: dict[str | None, str], parser: Any) -> None:
        """parser: what parses the rows when they are needed as elements (python-docx's, for its element classes)."""
        self.groups = groups
        self.count = len(groups)  # rows: each group is one (detachable)
        self.marker = marker
        self.table = marker.getparent()
        self._namespaces = {prefix: uri for prefix, uri in namespaces.items() if prefix}
        self._parser = parser
        self._finished = False  # the cell widths are set: nothing is to be read of them any more

    def __len__(self) -> int:
        return self.count

    def detachable(self, columns: int, cells: int | None) -> bool:
        """Whether each group is one row of the grid's columns: the loop's rows have cells each (loop_cells)."""
        return cells == columns and all(group.count(b"</w:tr>") == 1 for group in self.groups)

    def position(self) -> int:
        """How many of the table's rows in the tree come before the detached ones."""
        return sum(1 for _ in self.marker.itersiblings(_TR, preceding=True))

    def batches(self, indices: Sequence[int]) -> Iterator[list[Any]]:
        """The groups at indices, in order, parsed BATCH_ROWS at a time: each batch all the w:tr children of a
        w:tbl of their own, under a w:body (page_estimate.read_texts reads it). Each is let go after its turn."""
        if self._finished:
            raise ValueError("the rows are finished: their cell widths are set")
        for start in range(0, len(indices), BATCH_ROWS):
            yield list(self._parse(self.groups[index] for index in indices[start:start + BATCH_ROWS]))

    def _parse(self, groups: Iterable[bytes]) -> Any:
        """A w:tbl of the groups' rows, parsed with the namespaces of the document."""
        declarations = "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in self._namespaces.items())
        xml = b"".join((f"<w:body{declarations}><w:tbl>".encode(), *groups, b"</w:tbl></w:body>"))
        return etree.fromstring(xml, self._parser)[0]

    def attach(self) -> None:
        """Put every row into the tree at the marker, as rendering without detaching would have."""
        for row in list(self._parse(self.groups)):
            self.marker.addprevious(row)
        self.table.remove(self.marker)
        self.groups = []
        self.count = 0

    def set_cell_widths(self, widths: Sequence[str]) -> None:
        """Give the cells of every row the widths, in twips, column by column (as fit_columns does in the tree)."""
        encoded = [width.encode() for width in widths]
        count = len(encoded)
        if all(group.count(b"<w:tcW ") == count for group in self.groups):
            # Each cell has its one w:tcW: the k-th of a row is its k-th column's. A tag's attributes are one of
            # the few the template's rows hold, each rewritten once. Row by row, so that the rows are copied once.
            rewritten: dict[tuple[bytes, int], bytes] = {}
            groups = self.groups
            for at, group in enumerate(groups):
                pieces = group.split(b"<w:tcW ")
                for index in range(1, len(pieces)):
                    piece = pieces[index]
                    end = piece.find(b">") + 1
                    key = (piece[:end], index - 1)
                    new = rewritten.get(key)
                    if new is None:
                        new = rewritten[key] = _width_tag(b"<w:tcW " + key[0], encoded[key[1]])[len(b"<w:tcW "):]
                    pieces[index] = new + piece[end:]
                groups[at] = b"<w:tcW ".join(pieces)
            self._finished = True
            return
        cache: dict[tuple[bytes, int], bytes] = {}

        def group_widths(group: bytes) -> bytes:
            column = -1

            def replace(found: re.Match[bytes]) -> bytes:
                nonlocal column
                tag = found.group(0)
                if tag[4:6] != b"cW":  # a cell's start
                    column += 1
                    return tag
                key = (tag, column)
                new = cache.get(key)
                if new is None:
                    new = cache[key] = _width_tag(tag, encoded[column % count])
                return new

            return _CELL_OR_WIDTH.sub(replace, group)

        self.groups = [group_widths(group) for group in self.groups]
        self._finished = True

    def splice(self, xml: bytes) -> bytes:
        """The serialized document part with the rows in place of SPLICE."""
        at = xml.find(SPLICE)
        if at < 0:
            return xml
        return b"".join((xml[:at], *self.groups, xml[at + len(SPLICE):]))


def _width_tag(tag: bytes, width: bytes) -> bytes:
    """A w:tcW tag with w:w set to width and w:type to dxa, its attributes otherwise as they were."""
    tag = _WIDTH_VALUE.sub(b'w:w="' + width + b'"', tag, count=1) if _WIDTH_VALUE.search(tag) else \
        tag.replace(b"<w:tcW", b'<w:tcW w:w="' + width + b'"', 1)
    if _TYPE_VALUE.search(tag):
        return _TYPE_VALUE.sub(b'w:type="dxa"', tag, count=1)
    end = -2 if tag.endswith(b"/>") else -1
    return tag[:end] + b' w:type="dxa"' + tag[end:]


_ROWS_ATTRIBUTE = "aktivitetsplan_rows"


def detached_rows(document: Any) -> DetachedRows | None:
    """The rows of document (a python-docx Document) kept out of its tree, if any."""
    rows = getattr(document.part, _ROWS_ATTRIBUTE, None)
    return rows if isinstance(rows, DetachedRows) and rows.groups else None


def keep_rows(part: Any, rows: DetachedRows | None) -> None:
    """Keep rows with the document part whose tree holds their marker."""
    setattr(part, _ROWS_ATTRIBUTE, rows)


def rows_of(part: Any) -> DetachedRows | None:
    """The rows kept with a document part (keep_rows)."""
    rows = getattr(part, _ROWS_ATTRIBUTE, None)
    return rows if isinstance(rows, DetachedRows) else None


def word_positions(row_count: int) -> range:
    """The positions (0 the header) of the rows of a table of row_count rows searched for words (layout.fit_columns).

    The page estimate reads the same rows (one sample for both), each parsing them for itself.
    """
    every = max(1, row_count // WORD_ROWS)
    return range(every, row_count, every)


def representatives(count: int, sample: Iterable[int]) -> list[int]:
    """For each index below count, the sampled index that stands for it: the nearest at or before it."""
    marks = sorted(sample)
    found, current, at = [], marks[0] if marks else 0, 0
    for index in range(count):
        while at < len(marks) and marks[at] <= index:
            current = marks[at]
            at += 1
        found.append(current)
    return found
