"""A rendered body collected from Jinja's chunks: unmarked, bounded, the activity rows split off (rows.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from generator.document.rows import MARKERS, STAMP, RowSplitter, marker_pieces
from generator.template.sandbox import MAX_XML_NODES, too_many_xml_nodes, xml_nodes
from generator.template.sizes import LimitError

# The rendered body: 10 000 activities through the default template make about 13 MB of XML.
MAX_BODY_BYTES = 40_000_000
_MARKERS = (("\n<w:p", "<w:p"), ("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))


def unmark(chunk: str) -> str:
    """docxtpl's post-render replacements, applied to one chunk of output."""
    for marker, replacement in _MARKERS:
        if marker in chunk:
            chunk = chunk.replace(marker, replacement)
    return chunk


# The template's own texts collect keeps encoded during one rendering: how many, how long each.
_KEPT_TEXTS = 1024
_KEPT_TEXT_LENGTH = 4096


def collect(chunks: Iterable[str], stamp: Callable[[RowSplitter], int] | None = None) -> tuple[bytes, list[bytes]]:
    """The chunks unmarked and joined as UTF-8: the body, and the activity rows split off it (rows.RowSplitter).

    Stopped with a LimitError once past MAX_BODY_BYTES or MAX_XML_NODES, the rows counted too.
    The environment counts the template's own text already; this counts the whole body as it
    is, values included (they reach it escaped, so only Markup such as the logo adds tags).
    A chunk of plain str with a tag is the template's own text, the same few many times over:
    each is unmarked, cut at the row markers and encoded once (a value printed with autoescape off
    may hold tags as well: hence the bounds on what is kept). Plain escaped text holds no tag and no
    marker. No chunk holds a docxtpl marker unless it holds "_" or a paragraph; for Markup (values
    such as the logo), Markup.replace escapes what it replaces, as it always has here.
    stamp: what writes the activity rows where the source has STAMP (stamping.Stamp.write).
    """
    size = nodes = pending_size = 0
    pending: list[bytes] = []  # values whose nodes are counted in batches of about a megabyte, for speed
    splitter = RowSplitter()
    texts: dict[str, tuple[bytes | list[str | bytes], int]] = {}
    for chunk in chunks:
        if chunk.__class__ is str and "<" in chunk:  # the template's own text (a value's str holds no tag)
            known = texts.get(chunk)
            if known is None:
                known = _static(chunk)
                if len(texts) < _KEPT_TEXTS and len(chunk) <= _KEPT_TEXT_LENGTH:
                    texts[chunk] = known
            data, count = known
            nodes += count
            if isinstance(data, list):  # a row marker in it: each piece in turn
                for piece in data:
                    if piece == STAMP and stamp is not None:
                        size += stamp(splitter)
                    elif isinstance(piece, str):
                        splitter.marker(piece)
                    else:
                        splitter.append(piece)
                        size += len(piece)
                _within_limits(size, nodes)
                continue
        else:
            data = (unmark(chunk) if "_" in chunk or "\n<w:p" in chunk else chunk).encode("utf-8")
            pending.append(data)
            pending_size += len(data)
            if pending_size > 1_000_000:
                nodes += xml_nodes(b"".join(pending))
                pending.clear()
                pending_size = 0
        size += len(data)
        if size > MAX_BODY_BYTES or nodes > MAX_XML_NODES:
            _within_limits(size, nodes)
        splitter.append(data)
    _within_limits(size, nodes + xml_nodes(b"".join(pending)))
    return b"".join(splitter.body), splitter.groups


def _within_limits(size: int, nodes: int) -> None:
    """LimitError when a rendered body of size bytes and nodes XML nodes is past MAX_BODY_BYTES or MAX_XML_NODES."""
    if size > MAX_BODY_BYTES:
        raise LimitError(f"dokumentet blir för stort (mer än {MAX_BODY_BYTES // 1_000_000} MB XML)", volume=True)
    if nodes > MAX_XML_NODES:
        raise too_many_xml_nodes()


def _static(chunk: str) -> tuple[bytes | list[str | bytes], int]:
    """A chunk of the template's own text as it goes out (unmarked, encoded, cut at the row markers), and its nodes."""
    text = unmark(chunk) if "_" in chunk or "\n<w:p" in chunk else chunk
    pieces = marker_pieces(text)
    if pieces is None:
        data = text.encode("utf-8")
        return data, xml_nodes(data)
    encoded = [piece if piece in MARKERS else piece.encode("utf-8") for piece in pieces]
    return encoded, sum(xml_nodes(piece) for piece in encoded if isinstance(piece, bytes))
