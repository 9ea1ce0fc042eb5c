"""Make a rendered document accessible: alt text on the logo, marked header rows, table captions, heading order."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from generator.document.docxml import P_PR_ORDER, TBL_PR_ORDER, put_in_order
from generator.document.rows import detached_rows
from generator.plan.model import Plan

MAX_CAPTION = 255  # Word's own limit for a table's title and description fields
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_R_EMBED = qn("r:embed")
# trPr's children that must come after w:tblHeader (the rest form a free choice).
_TR_PR_LATER = {qn("w:ins"), qn("w:del"), qn("w:trPrChange")}
_HEADING_NAME = re.compile(r"heading ([1-9])", re.IGNORECASE)
_DOC_PR, _BLIP, _C_NV_PR = f"{{{_WP}}}docPr", f".//{{{_A}}}blip", f".//{{{_PIC}}}cNvPr"
_W_P, _W_R, _W_T, _W_TC, _W_TR, _W_TBL = (qn(f"w:{tag}") for tag in ("p", "r", "t", "tc", "tr", "tbl"))
_W_PPR, _W_TR_PR, _W_TBL_PR, _W_TBL_PR_EX = (qn(f"w:{tag}") for tag in ("pPr", "trPr", "tblPr", "tblPrEx"))
_W_TBL_HEADER, _W_TBL_CAPTION = qn("w:tblHeader"), qn("w:tblCaption")
_W_STYLE, _W_STYLE_ID, _W_TYPE, _W_NAME, _W_BASED_ON = (qn(f"w:{tag}") for tag in
                                                       ("style", "styleId", "type", "name", "basedOn"))
_W_VAL, _W_FILL, _W_P_STYLE, _W_OUTLINE_LVL = qn("w:val"), qn("w:fill"), qn("w:pStyle"), qn("w:outlineLvl")
_W_TC_PR, _W_SHD, _W_R_PR, _W_B = qn("w:tcPr"), qn("w:shd"), qn("w:rPr"), qn("w:b")
_W_V_MERGE = qn("w:vMerge")
_COUNT_ROWS = etree.XPath("count(w:tr)", namespaces={"w": _W_P[1:].split("}")[0]})


def logo_text(plan: Plan) -> str:
    """The logo's alternative text: "Logotyp för <Kommun>"."""
    municipality = re.sub(r"\s+", " ", plan.municipality.text).strip()
    return _clip(f"Logotyp för {municipality}" if municipality else "Logotyp")


def _make_accessible(document: Any, logo: bytes | None = None, logo_text: str = "Logotyp",
                     body_tables: list[Any] | None = None) -> None:
    """Everything this module does to a finished document (render.finish_document calls it).

    body_tables: the tables of the body, as body.iter finds them, when the caller has them already.
    """
    if logo is not None:
        _describe_images(document, logo, logo_text)
    styles = styles_by_id(document)
    levels = style_levels(styles)
    detached = detached_rows(document)
    for part, root in _xml_parts(document):
        tables = body_tables if body_tables is not None and part is document.part else root.iter(_W_TBL)
        for table in tables:
            if _mark_header_row(table, styles):
                _describe_table(table, levels, len(detached) if detached and detached.table is table else 0)
    _close_heading_gaps(document, styles, levels)


def styles_by_id(document: Any) -> dict[str, Any]:
    """The document's w:style elements by their ids."""
    return {s.get(_W_STYLE_ID): s for s in document.styles.element.iter(_W_STYLE)}


class _StyleLevels(dict[str | None, int | None]):
    """Style id -> outline level (_style_level), each worked out on first use: one document's memo."""

    def __init__(self, styles: dict[str, Any]) -> None:
        super().__init__()
        self.styles = styles

    def __missing__(self, style_id: str | None) -> int | None:
        level = self[style_id] = _style_level(self.styles, style_id)
        return level


def style_levels(styles: dict[str, Any]) -> Mapping[str | None, int | None]:
    """Style id -> the outline level the style gives (_style_level), for one document's styles_by_id.

    Build it once per document (it remembers what it has worked out) and never reuse it for another.
    """
    return _StyleLevels(styles)


def _xml_parts(document: Any) -> list[tuple[Any, Any]]:
    """(part, root element) of the body, headers and footers."""
    parts = [(document.part, document.part.element)]
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype.endswith(("/header", "/footer")):
            parts.append((rel.target_part, rel.target_part.element))
    return parts


def _describe_images(document: Any, image: bytes, text: str) -> int:
    """Give every picture showing image the alternative text text; returns how many."""
    described = 0
    for part, root in _xml_parts(document):
        for doc_pr in root.iter(_DOC_PR):
            drawing = doc_pr.getparent()
            blip = drawing.find(_BLIP)
            rid = blip.get(_R_EMBED) if blip is not None else None
            if not rid or rid not in part.rels or part.rels[rid].is_external:
                continue
            if getattr(part.rels[rid].target_part, "blob", None) != image:
                continue
            doc_pr.set("descr", text)
            doc_pr.set("title", text)
            c_nv_pr = drawing.find(_C_NV_PR)
            if c_nv_pr is not None:
                c_nv_pr.set("descr", text)
            described += 1
    return described


def is_header_row(row: Any, styles: dict[str, Any]) -> bool:
    """Whether a table row reads as a header: every cell shaded, or all its text bold."""
    cells = list(row.iterchildren(_W_TC))
    if not cells:
        return False
    if all(_shaded(cell) for cell in cells):
        return True
    runs = [r for r in row.iter(_W_R) if _text(r).strip()]
    return bool(runs) and all(_bold(run, styles) for run in runs)


def _shaded(cell: Any) -> bool:
    tc_pr = _child(cell, _W_TC_PR)
    shd = _child(tc_pr, _W_SHD) if tc_pr is not None else None
    fill = (shd.get(_W_FILL) or "auto").upper() if shd is not None else "AUTO"
    return fill not in ("AUTO", "FFFFFF")


def _bold(run: Any, styles: dict[str, Any]) -> bool:
    """Bold by the run's own formatting or its paragraph's style (Tabellrubrik)."""
    b = _grandchild(run, _W_R_PR, _W_B)
    if b is not None:
        return b.get(_W_VAL, "true") not in ("0", "false", "off")
    paragraph = run.getparent()
    while paragraph is not None and paragraph.tag != _W_P:
        paragraph = paragraph.getparent()
    style = _grandchild(paragraph, _W_PPR, _W_P_STYLE) if paragraph is not None else None
    return style is not None and _style_bold(styles, style.get(_W_VAL))


def _grandchild(element: Any, child: str, grandchild: str) -> Any:
    """element.find("child/grandchild") without ElementPath's cost (a w: properties element is unique)."""
    found = _child(element, child)
    return _child(found, grandchild) if found is not None else None


def _child(element: Any, tag: str) -> Any:
    """element.find(tag) for a plain tag, without ElementPath's cost."""
    for child in element.iterchildren(tag):
        return child
    return None


def _style_bold(styles: dict[str, Any], style_id: str | None) -> bool:
    seen: set[str] = set()
    while style_id and style_id not in seen and style_id in styles:
        seen.add(style_id)
        b = _grandchild(styles[style_id], _W_R_PR, _W_B)
        if b is not None:
            return b.get(_W_VAL, "true") not in ("0", "false", "off")
        based = _child(styles[style_id], _W_BASED_ON)
        style_id = based.get(_W_VAL) if based is not None else None
    return False


def _mark_header_row(table: Any, styles: dict[str, Any]) -> bool:
    """Mark a table's first row as its header row (w:tblHeader) when it reads as one; whether it does."""
    rows = list(itertools.islice(table.iterchildren(_W_TR), 2))  # the first two are all it needs
    if len(rows) < 2 or not is_header_row(rows[0], styles):
        return False
    _set_header(rows[0])
    _mark_merged_header_rows(table)
    return True


def _set_header(row: Any) -> None:
    """Give a row w:tblHeader, in its place among the row's properties."""
    tr_pr = _child(row, _W_TR_PR)
    if tr_pr is None:
        tr_pr = row.makeelement(_W_TR_PR, {})
        exceptions = _child(row, _W_TBL_PR_EX)
        if exceptions is not None:
            exceptions.addnext(tr_pr)
        else:
            row.insert(0, tr_pr)
    if _child(tr_pr, _W_TBL_HEADER) is None:
        header = tr_pr.makeelement(_W_TBL_HEADER, {})
        later = next((child for child in tr_pr if child.tag in _TR_PR_LATER), None)
        if later is not None:
            later.addprevious(header)
        else:
            tr_pr.append(header)


def _mark_merged_header_rows(table: Any) -> int:
    """Mark the rows that continue a vertical merge begun in the header as header rows too; how many.

    A header cell merged down over two rows (the timeline's Aktivitet and Tid) is one cell: repeated
    on the next page without its lower row, it spreads over the first row of content (LibreOffice
    draws that row's text on the header's fill). LibreOffice Writer saves only the first row as a
    header row, whatever the template said.
    """
    marked = 0
    for row in itertools.islice(table.iterchildren(_W_TR), 1, None):
        if not any(_continues_merge(cell) for cell in row.iterchildren(_W_TC)):
            break
        _set_header(row)
        marked += 1
    return marked


def _continues_merge(cell: Any) -> bool:
    merge = _grandchild(cell, _W_TC_PR, _W_V_MERGE)
    return merge is not None and merge.get(_W_VAL, "continue") == "continue"


def _describe_table(table: Any, levels: Mapping[str | None, int | None], detached: int = 0) -> None:
    """Give a table with a header row a caption (the heading above it) and a description naming its columns.

    levels: the document's style_levels; detached: how many of its rows are kept out of the tree (rows.py).
    """
    tbl_pr = _child(table, _W_TBL_PR)
    if tbl_pr is None or _child(tbl_pr, _W_TBL_CAPTION) is not None:
        return
    first = _child(table, _W_TR)
    headers = [_text(cell).strip() for cell in list(first.iterchildren(_W_TC))] if first is not None else []
    headers = [h for h in headers if h]
    caption = _heading_before(table, levels) or "Tabell"
    rows = int(_COUNT_ROWS(table)) - 1 + detached
    description = (f"Tabell med {rows} rader och kolumnerna {', '.join(headers)}." if headers
                   else f"Tabell med {rows} rader.")
    put_in_order(tbl_pr, "tblCaption", TBL_PR_ORDER).set(_W_VAL, _clip(caption))
    put_in_order(tbl_pr, "tblDescription", TBL_PR_ORDER).set(_W_VAL, _clip(description))


def _clip(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= MAX_CAPTION else text[:MAX_CAPTION - 1] + "…"


def _text(element: Any) -> str:
    return "".join([t.text or "" for t in element.iter(_W_T)])


def _heading_before(table: Any, levels: Mapping[str | None, int | None]) -> str:
    """The text of the nearest heading paragraph before the table, at the same level of the body."""
    for sibling in table.itersiblings(_W_P, preceding=True):
        if _heading_level(sibling, levels) is not None:
            return _text(sibling)
    return ""


def _heading_level(paragraph: Any, levels: Mapping[str | None, int | None]) -> int | None:
    """A paragraph's outline level, 1 to 9, from its own formatting or its style; None for body text.

    levels: the document's style_levels.
    """
    p_pr = _child(paragraph, _W_PPR)
    if p_pr is None:
        return None
    own = _child(p_pr, _W_OUTLINE_LVL)
    if own is not None:
        return _level(own)
    style = _child(p_pr, _W_P_STYLE)
    return levels[style.get(_W_VAL)] if style is not None else None


def _style_level(styles: dict[str, Any], style_id: str | None) -> int | None:
    """The outline level a paragraph style gives, through basedOn; Heading n styles without one give n."""
    seen: set[str] = set()
    while style_id and style_id not in seen and style_id in styles:
        seen.add(style_id)
        style = styles[style_id]
        level = _grandchild(style, _W_PPR, _W_OUTLINE_LVL)
        if level is not None:
            return _level(level)
        name = _child(style, _W_NAME)
        match = _HEADING_NAME.fullmatch(name.get(_W_VAL) or "") if name is not None else None
        if match:
            return int(match.group(1))
        based = _child(style, _W_BASED_ON)
        style_id = based.get(_W_VAL) if based is not None else None
    return None


def _level(element: Any) -> int | None:
    value = element.get(_W_VAL) or ""
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None


def headings(document: Any) -> list[tuple[int, str]]:
    """(level, text) of the body's headings in order."""
    levels = style_levels(styles_by_id(document))
    return [(level, _text(paragraph)) for paragraph, level in _heading_paragraphs(document.element.body, levels)]


def _heading_paragraphs(body: Any, levels: Mapping[str | None, int | None]) -> list[tuple[Any, int]]:
    """(paragraph, _heading_level) of the paragraphs below body that are headings, in document order.

    Only a paragraph with an outline level or a heading style of its own can be one, so only those are
    asked (iter with tags runs in C; asking every paragraph costs most of this module's time).
    """
    found: list[tuple[Any, int]] = []
    previous = None
    candidates = [node for node in body.iter(_W_P_STYLE, _W_OUTLINE_LVL)
                  if node.tag == _W_OUTLINE_LVL or levels[node.get(_W_VAL)] is not None]
    for node in candidates:
        paragraph = node.getparent().getparent()
        if paragraph is None or paragraph is previous or paragraph.tag != _W_P:
            continue
        previous = paragraph
        level = _heading_level(paragraph, levels)
        if level is not None:
            found.append((paragraph, level))
    return found


def close_heading_gaps(document: Any) -> int:
    """Lower each heading that skips a level (Heading 3 right after Heading 1) to the next level; how many.

    The first heading may be at level 1 at most; the title page's Title is no heading.
    The paragraph gets the heading style of that level when the document has one, else its outline level.
    """
    styles = styles_by_id(document)
    return _close_heading_gaps(document, styles, style_levels(styles))


def _close_heading_gaps(document: Any, styles: dict[str, Any], levels: Mapping[str | None, int | None]) -> int:
    by_level: dict[int, str] | None = None  # worked out at the first gap: most documents have none
    changed, previous = 0, 0
    for paragraph, level in _heading_paragraphs(document.element.body, levels):
        if level > previous + 1:
            level = previous + 1
            if by_level is None:
                by_level = _heading_styles(styles, levels)
            _set_level(paragraph, level, by_level.get(level))
            changed += 1
        previous = level
    return changed


def _heading_styles(styles: dict[str, Any], levels: Mapping[str | None, int | None]) -> dict[int, str]:
    """Level -> id of the first paragraph style named "heading <n>" that gives that level."""
    by_level: dict[int, str] = {}
    for style_id, style in styles.items():
        if style.get(_W_TYPE) == "paragraph":
            name = _child(style, _W_NAME)
            if name is not None and _HEADING_NAME.fullmatch(name.get(_W_VAL) or ""):
                level = levels[style_id]
                if level is not None:
                    by_level.setdefault(level, style_id)
    return by_level


def _set_level(paragraph: Any, level: int, style_id: str | None) -> None:
    p_pr = _child(paragraph, _W_PPR)
    if p_pr is None:
        p_pr = paragraph.makeelement(_W_PPR, {})
        paragraph.insert(0, p_pr)
    own = _child(p_pr, _W_OUTLINE_LVL)
    if style_id is not None and own is None:
        style = _child(p_pr, _W_P_STYLE)
        if style is None:
            style = p_pr.makeelement(_W_P_STYLE, {})
            p_pr.insert(0, style)
        style.set(_W_VAL, style_id)
        return
    if own is None:
        own = parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>')
        _put_in_order_p_pr(p_pr, own)
    own.set(_W_VAL, str(level - 1))


def _put_in_order_p_pr(p_pr: Any, element: Any) -> None:
    """Insert element into w:pPr where the schema's sequence puts it."""
    name = element.tag.split("}")[1]
    later = {qn(f"w:{tag}") for tag in P_PR_ORDER[P_PR_ORDER.index(name) + 1:]}
    for child in p_pr.iterchildren():
        if child.tag in later:
            child.addprevious(element)
            return
    p_pr.append(element)
