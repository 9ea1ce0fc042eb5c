"""Make a rendered document accessible: alt text on the logo, marked header rows, table captions, heading order."""

from __future__ import annotations

import re
from typing import Any

from docx.oxml.ns import nsdecls, qn

from generator.docxml import TBL_PR_ORDER, put_in_order
from generator.model import Plan

MAX_CAPTION = 255  # Word's own limit for a table's title and description fields
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_R_EMBED = qn("r:embed")
# trPr's children that must come after w:tblHeader (the rest form a free choice).
_TR_PR_LATER = {qn("w:ins"), qn("w:del"), qn("w:trPrChange")}
_HEADING_NAME = re.compile(r"heading ([1-9])", re.IGNORECASE)


def logo_text(plan: Plan) -> str:
    """The logo's alternative text: "Logotyp för <Kommun>"."""
    municipality = re.sub(r"\s+", " ", plan.municipality.text).strip()
    return _clip(f"Logotyp för {municipality}" if municipality else "Logotyp")


def make_accessible(document: Any, logo: bytes | None = None, logo_text: str = "Logotyp") -> None:
    """Everything this module does to a finished document (render.finish_document calls it)."""
    if logo is not None:
        describe_images(document, logo, logo_text)
    styles = styles_by_id(document)
    for _, root in _xml_parts(document):
        for table in root.iter(qn("w:tbl")):
            if mark_header_row(table, styles):
                describe_table(table, styles)
    close_heading_gaps(document)


def styles_by_id(document: Any) -> dict[str, Any]:
    """The document's w:style elements by their ids."""
    return {s.get(qn("w:styleId")): s for s in document.styles.element.iter(qn("w:style"))}


def _xml_parts(document: Any) -> list[tuple[Any, Any]]:
    """(part, root element) of the body, headers and footers."""
    parts = [(document.part, document.part.element)]
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype.endswith(("/header", "/footer")):
            parts.append((rel.target_part, rel.target_part.element))
    return parts


def describe_images(document: Any, image: bytes, text: str) -> int:
    """Give every picture showing image the alternative text text; returns how many."""
    described = 0
    for part, root in _xml_parts(document):
        for doc_pr in root.iter(f"{{{_WP}}}docPr"):
            drawing = doc_pr.getparent()
            blip = drawing.find(f".//{{{_A}}}blip")
            rid = blip.get(_R_EMBED) if blip is not None else None
            if not rid or rid not in part.rels or part.rels[rid].is_external:
                continue
            if getattr(part.rels[rid].target_part, "blob", None) != image:
                continue
            doc_pr.set("descr", text)
            doc_pr.set("title", text)
            c_nv_pr = drawing.find(f".//{{{_PIC}}}cNvPr")
            if c_nv_pr is not None:
                c_nv_pr.set("descr", text)
            described += 1
    return described


def is_header_row(row: Any, styles: dict[str, Any]) -> bool:
    """Whether a table row reads as a header: every cell shaded, or all its text bold."""
    cells = row.findall(qn("w:tc"))
    if not cells:
        return False
    shaded = all(_shaded(cell) for cell in cells)
    runs = [r for r in row.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()]
    bold = bool(runs) and all(_bold(run, styles) for run in runs)
    return shaded or bold


def _shaded(cell: Any) -> bool:
    shd = cell.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
    fill = (shd.get(qn("w:fill")) or "auto").upper() if shd is not None else "AUTO"
    return fill not in ("AUTO", "FFFFFF")


def _bold(run: Any, styles: dict[str, Any]) -> bool:
    """Bold by the run's own formatting or its paragraph's style (Tabellrubrik)."""
    b = run.find(f"{qn('w:rPr')}/{qn('w:b')}")
    if b is not None:
        return b.get(qn("w:val"), "true") not in ("0", "false", "off")
    paragraph = run.getparent()
    while paragraph is not None and paragraph.tag != qn("w:p"):
        paragraph = paragraph.getparent()
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if paragraph is not None else None
    return style is not None and _style_bold(styles, style.get(qn("w:val")))


def _style_bold(styles: dict[str, Any], style_id: str | None) -> bool:
    seen: set[str] = set()
    while style_id and style_id not in seen and style_id in styles:
        seen.add(style_id)
        b = styles[style_id].find(f"{qn('w:rPr')}/{qn('w:b')}")
        if b is not None:
            return b.get(qn("w:val"), "true") not in ("0", "false", "off")
        based = styles[style_id].find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    return False


def mark_header_row(table: Any, styles: dict[str, Any]) -> bool:
    """Mark a table's first row as its header row (w:tblHeader) when it reads as one; whether it does."""
    rows = table.findall(qn("w:tr"))
    if len(rows) < 2 or not is_header_row(rows[0], styles):
        return False
    tr_pr = rows[0].find(qn("w:trPr"))
    if tr_pr is None:
        tr_pr = rows[0].makeelement(qn("w:trPr"), {})
        exceptions = rows[0].find(qn("w:tblPrEx"))
        if exceptions is not None:
            exceptions.addnext(tr_pr)
        else:
            rows[0].insert(0, tr_pr)
    if tr_pr.find(qn("w:tblHeader")) is None:
        header = tr_pr.makeelement(qn("w:tblHeader"), {})
        later = next((child for child in tr_pr if child.tag in _TR_PR_LATER), None)
        if later is not None:
            later.addprevious(header)
        else:
            tr_pr.append(header)
    return True


def describe_table(table: Any, styles: dict[str, Any]) -> None:
    """Give a table with a header row a caption (the heading above it) and a description naming its columns."""
    tbl_pr = table.find(qn("w:tblPr"))
    if tbl_pr is None or tbl_pr.find(qn("w:tblCaption")) is not None:
        return
    first = table.find(qn("w:tr"))
    headers = [_text(cell).strip() for cell in first.findall(qn("w:tc"))] if first is not None else []
    headers = [h for h in headers if h]
    caption = _heading_before(table, styles) or "Tabell"
    rows = len(table.findall(qn("w:tr"))) - 1
    description = (f"Tabell med {rows} rader och kolumnerna {', '.join(headers)}." if headers
                   else f"Tabell med {rows} rader.")
    put_in_order(tbl_pr, "tblCaption", TBL_PR_ORDER).set(qn("w:val"), _clip(caption))
    put_in_order(tbl_pr, "tblDescription", TBL_PR_ORDER).set(qn("w:val"), _clip(description))


def _clip(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= MAX_CAPTION else text[:MAX_CAPTION - 1] + "…"


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _heading_before(table: Any, styles: dict[str, Any]) -> str:
    """The text of the nearest heading paragraph before the table, at the same level of the body."""
    for sibling in table.itersiblings(preceding=True):
        if sibling.tag == qn("w:p") and heading_level(sibling, styles) is not None:
            return _text(sibling)
    return ""


def heading_level(paragraph: Any, styles: dict[str, Any]) -> int | None:
    """A paragraph's outline level, 1 to 9, from its own formatting or its style; None for body text."""
    own = paragraph.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    if own is not None:
        return _level(own)
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style_level(styles, style.get(qn("w:val")) if style is not None else None)


def style_level(styles: dict[str, Any], style_id: str | None) -> int | None:
    """The outline level a paragraph style gives, through basedOn; Heading n styles without one give n."""
    seen: set[str] = set()
    while style_id and style_id not in seen and style_id in styles:
        seen.add(style_id)
        style = styles[style_id]
        level = style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if level is not None:
            return _level(level)
        name = style.find(qn("w:name"))
        match = _HEADING_NAME.fullmatch(name.get(qn("w:val")) or "") if name is not None else None
        if match:
            return int(match.group(1))
        based = style.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    return None


def _level(element: Any) -> int | None:
    value = element.get(qn("w:val")) or ""
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None


def headings(document: Any) -> list[tuple[int, str]]:
    """(level, text) of the body's headings in order."""
    styles = styles_by_id(document)
    found = []
    for paragraph in document.element.body.iter(qn("w:p")):
        level = heading_level(paragraph, styles)
        if level is not None:
            found.append((level, _text(paragraph)))
    return found


def close_heading_gaps(document: Any) -> int:
    """Lower each heading that skips a level (Heading 3 right after Heading 1) to the next level; how many.

    The first heading may be at level 1 at most; the title page's Title is no heading.
    The paragraph gets the heading style of that level when the document has one, else its outline level.
    """
    styles = styles_by_id(document)
    by_level: dict[int, str] = {}
    for style_id, style in styles.items():
        if style.get(qn("w:type")) == "paragraph":
            level = style_level(styles, style_id)
            name = style.find(qn("w:name"))
            if level is not None and name is not None and _HEADING_NAME.fullmatch(name.get(qn("w:val")) or ""):
                by_level.setdefault(level, style_id)
    changed, previous = 0, 0
    for paragraph in document.element.body.iter(qn("w:p")):
        level = heading_level(paragraph, styles)
        if level is None:
            continue
        if level > previous + 1:
            level = previous + 1
            _set_level(paragraph, level, by_level.get(level))
            changed += 1
        previous = level
    return changed


def _set_level(paragraph: Any, level: int, style_id: str | None) -> None:
    p_pr = paragraph.find(qn("w:pPr"))
    if p_pr is None:
        p_pr = paragraph.makeelement(qn("w:pPr"), {})
        paragraph.insert(0, p_pr)
    own = p_pr.find(qn("w:outlineLvl"))
    if style_id is not None and own is None:
        style = p_pr.find(qn("w:pStyle"))
        if style is None:
            style = p_pr.makeelement(qn("w:pStyle"), {})
            p_pr.insert(0, style)
        style.set(qn("w:val"), style_id)
        return
    if own is None:
        from docx.oxml import parse_xml

        own = parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>')
        put_in_order_p_pr(p_pr, own)
    own.set(qn("w:val"), str(level - 1))


_P_PR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
               "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
               "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
               "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
               "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
               "sectPr", "pPrChange")


def put_in_order_p_pr(p_pr: Any, element: Any) -> None:
    """Insert element into w:pPr where the schema's sequence puts it."""
    name = element.tag.split("}")[1]
    later = {qn(f"w:{tag}") for tag in _P_PR_ORDER[_P_PR_ORDER.index(name) + 1:]}
    for child in p_pr.iterchildren():
        if child.tag in later:
            child.addprevious(element)
            return
    p_pr.append(element)
