"""Take a kommun's page over into a plan template: size, orientation, margins, header and footer with images."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.parts.hdrftr import FooterPart, HeaderPart

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_MARGINS = ("top", "right", "bottom", "left", "gutter")
_JINJA = re.compile(r"\{[{%#]|[}%#]\}")
MM_TWIPS = 56.7  # twentieths of a point in a millimetre
# Drawing ids of the taken-over header and footer start here, clear of the body's (docxtpl numbers those).
FIRST_DRAWING_ID = 5000
PAPER = {(11906, 16838): "A4", (16838, 23811): "A3", (8391, 11906): "A5", (12240, 15840): "Letter"}


@dataclass
class PagesTaken:
    """What taking the page over did: lines of what was taken, notes (place, message) on what was not."""

    taken: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    text_width: tuple[int, int] | None = None  # the last section's text width before and after, in twips


def _twips(element: Any, name: str) -> int | None:
    value = element.get(qn(f"w:{name}")) if element is not None else None
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def _text_width(sect_pr: Any) -> int | None:
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    width, left, right = _twips(size, "w"), _twips(margins, "left"), _twips(margins, "right")
    if width is None or left is None or right is None:
        return None
    return width - left - right - (_twips(margins, "gutter") or 0)


def _mm(twips: int | None) -> str:
    return str(round((twips or 0) / MM_TWIPS))


def page_description(sect_pr: Any) -> str:
    """"A4 stående, marginaler 20/20/20/20 mm (över/höger/under/vänster)"."""
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    width, height = _twips(size, "w") or 0, _twips(size, "h") or 0
    paper = next((name for (w, h), name in PAPER.items() if abs(min(width, height) - w) < 30
                  and abs(max(width, height) - h) < 30), f"{_mm(width)} × {_mm(height)} mm")
    orientation = "liggande" if width > height else "stående"
    edges = "/".join(_mm(_twips(margins, edge)) for edge in ("top", "right", "bottom", "left"))
    return f"{paper} {orientation}, marginaler {edges} mm (över/höger/under/vänster)"


def take_page(plan_body: Any, profile_sect_pr: Any, has_header: bool, has_footer: bool) -> PagesTaken:
    """Give each of the plan's sections the profile's paper, orientation and margins.

    The timeline's landscape section stays landscape, on the profile's paper. The distances of header
    and footer come from the profile where it has them. Tables made for the old text width are scaled
    to the new one (fit_plan_lines moves the header's and footer's tab stops).
    """
    result = PagesTaken()
    size, margins = profile_sect_pr.find(qn("w:pgSz")), profile_sect_pr.find(qn("w:pgMar"))
    width, height = _twips(size, "w"), _twips(size, "h")
    if width is None or height is None or margins is None:
        result.notes.append(("Sidformat", "profilen anger inget sidformat och inga marginaler; planens behålls"))
        return result
    landscape_profile = width > height
    widths: dict[int, tuple[int, int]] = {}
    for index, sect_pr in enumerate(plan_body.iter(qn("w:sectPr"))):
        old = _text_width(sect_pr)
        plan_size = sect_pr.find(qn("w:pgSz"))
        plan_margins = sect_pr.find(qn("w:pgMar"))
        if plan_size is None or plan_margins is None:
            continue
        landscape = plan_size.get(qn("w:orient")) == "landscape"
        short, long_ = min(width, height), max(width, height)
        new_w, new_h = (long_, short) if landscape or landscape_profile else (short, long_)
        plan_size.set(qn("w:w"), str(new_w))
        plan_size.set(qn("w:h"), str(new_h))
        if new_w > new_h:
            plan_size.set(qn("w:orient"), "landscape")
        else:
            plan_size.attrib.pop(qn("w:orient"), None)
        for edge in _MARGINS:
            value = margins.get(qn(f"w:{edge}"))
            if value is not None:
                plan_margins.set(qn(f"w:{edge}"), value)
        for edge, has in (("header", has_header), ("footer", has_footer)):
            value = margins.get(qn(f"w:{edge}"))
            if has and value is not None and value != "0":
                plan_margins.set(qn(f"w:{edge}"), value)
        new = _text_width(sect_pr)
        if old and new:
            widths[index] = result.text_width = (old, new)
    _scale_tables(plan_body, widths)
    result.taken.append(page_description(profile_sect_pr))
    return result


def _scale_tables(body: Any, widths: dict[int, tuple[int, int]]) -> None:
    """Scale the body's tables (and the tab stops at the text's right edge) from each section's old text
    width to its new one."""
    sections = list(body.iter(qn("w:sectPr")))
    for table in body.iter(qn("w:tbl")):
        if any(ancestor.tag == qn("w:tbl") for ancestor in table.iterancestors()):
            continue
        section = next((i for i, s in enumerate(sections) if _follows(table, s)), len(sections) - 1)
        old, new = widths.get(section, (0, 0))
        if old and new and old != new:
            scale_table(table, old, new)


def _follows(table: Any, sect_pr: Any) -> bool:
    """Whether sect_pr ends the section the table is in: the first section break after the table."""
    paragraph = sect_pr.getparent().getparent() if sect_pr.getparent().tag == qn("w:pPr") else None
    if paragraph is None:
        return True
    return any(element is paragraph for element in table.itersiblings())


def scale_table(table: Any, old: int, new: int) -> None:
    """Scale a table's grid, cell widths and width in twips by new/old; the grid's sum comes out exact."""
    factor = new / old
    grid = table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    total = sum(_twips(column, "w") or 0 for column in grid)
    for column in grid:
        column.set(qn("w:w"), str(round((_twips(column, "w") or 0) * factor)))
    if grid and total:
        drift = round(total * factor) - sum(_twips(column, "w") or 0 for column in grid)
        grid[-1].set(qn("w:w"), str((_twips(grid[-1], "w") or 0) + drift))
    for tag in ("w:tcW", "w:tblW"):
        for element in table.iter(qn(tag)):
            if element.get(qn("w:type")) in (None, "dxa") and _twips(element, "w"):
                element.set(qn("w:w"), str(round((_twips(element, "w") or 0) * factor)))


def reference(sect_pr: Any, kind: str, which: str = "default") -> str | None:
    """The r:id of a section's header or footer (kind "header"/"footer") of the given type."""
    for element in sect_pr.findall(qn(f"w:{kind}Reference")):
        if element.get(qn("w:type"), "default") == which:
            return element.get(f"{{{_R}}}id")
    return None


def has_field(root: Any, name: str) -> bool:
    """Whether a part (or paragraph) holds a field of this name: PAGE numbers pages, TITLE shows the title."""
    instructions = [t.text or "" for t in root.iter(qn("w:instrText"))]
    instructions += [f.get(qn("w:instr")) or "" for f in root.iter(qn("w:fldSimple"))]
    return any(text.split()[:1] == [name] for text in (i.strip().upper() for i in instructions))


def text_of(root: Any) -> str:
    return "".join(t.text or "" for t in root.iter(qn("w:t")))


def jinja_like(root: Any) -> bool:
    """Whether a part's text holds what the template would read as a Jinja tag ({{, {%, {#)."""
    return any(_JINJA.search(text_of(p)) for p in root.iter(qn("w:p")))


def copy_part(source_part: Any, kind: str, document_part: Any, plan_lines: list[Any], images: list[str]) -> str:
    """A new header or footer of the document: the profile's content, its images and links copied along
    under new names, then the plan's own lines (plan_lines, paragraphs). images collects the names of the
    images copied. Returns the relationship id of the new part."""
    cls = HeaderPart if kind == "header" else FooterPart
    package = document_part.package
    partname = package.next_partname(f"/word/{kind}%d.xml")
    new_part = cls.load(partname, source_part.content_type, source_part.blob, package)
    new_id = document_part.relate_to(new_part, RT.HEADER if kind == "header" else RT.FOOTER)
    root = new_part.element
    ids: dict[str, str] = {}
    for rid, rel in source_part.rels.items():
        if rel.is_external:  # links go along; other outside targets (an image fetched from a server) do not
            if rel.reltype == RT.HYPERLINK:
                ids[rid] = new_part.relate_to(rel.target_ref, rel.reltype, is_external=True)
            continue
        target = rel.target_part
        if target.rels:
            continue  # an embedded object with parts of its own: not copied (its reference is dropped below)
        suffix = PurePosixPath(str(target.partname)).suffix or ".bin"
        name = package.next_partname(f"/word/media/profil%d{suffix}")
        copied = Part(PackURI(str(name)), target.content_type, target.blob, package)
        ids[rid] = new_part.relate_to(copied, rel.reltype)
        if rel.reltype == RT.IMAGE:
            images.append(PurePosixPath(str(target.partname)).name)
    for element in root.iter():
        for key, value in list(element.attrib.items()):
            if key.startswith(f"{{{_R}}}"):
                if value in ids:
                    element.set(key, ids[value])
                else:
                    del element.attrib[key]
    for number, doc_pr in enumerate(root.iter(f"{{{_WP}}}docPr"), start=FIRST_DRAWING_ID):
        doc_pr.set("id", str(number))
    for line in plan_lines:
        root.append(copy.deepcopy(line))
    return str(new_id)


def _render_tag(paragraph_like: Any, text: str) -> Any:
    """A paragraph holding one docxtpl tag ({%p if slogan %}), as the template writes them."""
    paragraph = paragraph_like.makeelement(qn("w:p"), {})
    run = paragraph.makeelement(qn("w:r"), {})
    t = run.makeelement(qn("w:t"), {})
    t.text = text
    run.append(t)
    paragraph.append(run)
    return paragraph


def plan_footer_lines(plan_root: Any, keep_page_numbers: bool) -> list[Any]:
    """The plan's own footer paragraphs to add after the profile's footer: the slogan and "Sida X av Y",
    or without page numbers (the profile has its own) only the slogan, and only when there is one."""
    paragraphs = [p for p in plan_root.findall(qn("w:p")) if text_of(p).strip() or has_field(p, "PAGE")]
    if keep_page_numbers:
        return paragraphs
    lines = []
    for paragraph in paragraphs:
        if "slogan" not in text_of(paragraph):
            continue
        kept = copy.deepcopy(paragraph)
        runs = kept.findall(qn("w:r"))
        slogan = next((i for i, run in enumerate(runs) if "slogan" in text_of(run)), len(runs))
        for run in runs[slogan + 1:]:
            kept.remove(run)
        lines += [_render_tag(kept, "{%p if slogan %}"), kept, _render_tag(kept, "{%p endif %}")]
    return lines


def fit_plan_lines(root: Any, style: Any | None, text_width: tuple[int, int] | None) -> None:
    """The plan's own lines in a header or footer (those with a {{ tag }}) keep their tab stops: the one at
    the text's right edge moves with it, and the tab stops of the profile's Sidfot style are cleared."""
    tabs_of_style = style.find(f"{qn('w:pPr')}/{qn('w:tabs')}") if style is not None else None
    positions = [t.get(qn("w:pos")) for t in tabs_of_style if t.get(qn("w:val")) != "clear"] \
        if tabs_of_style is not None else []
    for paragraph in root.iter(qn("w:p")):
        tabs = paragraph.find(f"{qn('w:pPr')}/{qn('w:tabs')}")
        if "{{" not in text_of(paragraph) or tabs is None:
            continue
        for tab in tabs:
            if text_width and tab.get(qn("w:pos")) == str(text_width[0]):
                tab.set(qn("w:pos"), str(text_width[1]))
        own = {tab.get(qn("w:pos")) for tab in tabs}
        for position in positions:
            if position not in own:
                tabs.append(tabs.makeelement(qn("w:tab"), {qn("w:val"): "clear", qn("w:pos"): str(position)}))
        for tab in sorted(tabs, key=lambda t: int(t.get(qn("w:pos")) or 0)):
            tabs.append(tab)
