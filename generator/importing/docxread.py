"""Read an untrusted Word document (.docx) as plain blocks: formatted paragraphs and tables as grids."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from defusedxml import ElementTree
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from generator.importing.blocks import Block, Cell, Paragraph, Table, WordDocument
from generator.importing.docxfile import SAVE_AS, _check_document_file
from generator.plan.errors import DocumentError
from generator.workbook.colors import is_red_rgb

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_OFF = ("0", "false", "off", "none")
# Subtrees whose text is not part of the paragraph as read: deleted/moved-away text,
# text boxes (and their fallback copies) and field instructions.
_SKIPPED = frozenset({f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", _MC_FALLBACK, f"{_W}instrText"})
_RUN_TAGS = ("b", "color", "sz")
_THEME_NAMES = {"text1": "dk1", "background1": "lt1", "text2": "dk2", "background2": "lt2",
                "dark1": "dk1", "light1": "lt1", "dark2": "dk2", "light2": "lt2",
                "hyperlink": "hlink", "followedHyperlink": "folHlink"}


def _read_document(path: Path) -> WordDocument:
    """Read a .docx into blocks; DocumentError when it is no readable Word document."""
    _check_document_file(path)

    try:
        document = docx.Document(str(path))
        return _Reader(document, path).read()
    except DocumentError:
        raise
    except Exception:  # python-docx raises many kinds for damaged or odd packages
        raise DocumentError(path, "filen kan inte läsas som ett Word-dokument; den är skadad eller i fel "
                                  "format. " + SAVE_AS) from None


def _on(element: Any) -> bool | None:
    """A toggle property (w:b): None when absent."""
    if element is None:
        return None
    return element.get(f"{_W}val", "true").lower() not in _OFF


class _Reader:
    def __init__(self, document: Any, path: Path) -> None:
        self.document = document
        self.path = path
        styles = document.styles.element
        self.styles = {s.get(f"{_W}styleId"): s for s in styles.iter(f"{_W}style")}
        self.defaults = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.theme = self._theme()
        self._styled: dict[tuple[str | None, ...], dict[str, Any]] = {}
        self.paragraphs = 0
        self.tables = 0

    def read(self) -> WordDocument:
        blocks = tuple(self._blocks(self.document.element.body, toc=False))
        headers: list[str] = []
        footers: list[str] = []
        for rel in self.document.part.rels.values():
            if rel.is_external or rel.reltype not in (RT.HEADER, RT.FOOTER):
                continue
            texts = [self._text(p, fields=False)[0] for p in rel.target_part.element.iter(f"{_W}p")]
            (headers if rel.reltype == RT.HEADER else footers).extend(t for t in texts if t.strip())
        props = self.document.core_properties
        properties = {name: (getattr(props, name) or "") for name in
                      ("title", "subject", "keywords", "category", "comments", "author")}
        return WordDocument(self.path, blocks, tuple(headers), tuple(footers), properties)

    # -- styles ------------------------------------------------------------------

    def _chain(self, style_id: str | None) -> Iterator[Any]:
        seen = 0
        while style_id and style_id in self.styles and seen < 20:
            style = self.styles[style_id]
            yield style
            based = style.find(f"{_W}basedOn")
            style_id = based.get(f"{_W}val") if based is not None else None
            seen += 1

    def _style_names(self, style_id: str | None) -> list[str]:
        names = []
        for style in self._chain(style_id):
            name = style.find(f"{_W}name")
            names.append((name.get(f"{_W}val", "") if name is not None else "").casefold())
        return names

    def _theme(self) -> dict[str, str]:
        for rel in self.document.part.rels.values():
            if rel.reltype == RT.THEME and not rel.is_external:
                try:
                    root = ElementTree.fromstring(rel.target_part.blob)
                except Exception:
                    return {}
                scheme = root.find(f".//{_A}clrScheme")
                found: dict[str, str] = {}
                for entry in scheme if scheme is not None else ():
                    for child in entry:
                        value = child.get("lastClr") or child.get("val") or ""
                        if len(value) == 6:
                            found[entry.tag.removeprefix(_A)] = value.upper()
                return found
        return {}

    def _run_property(self, rpr_sources: list[Any], tag: str) -> Any:
        """The first element `tag` found in the run property elements, in priority order."""
        for rpr in rpr_sources:
            if rpr is not None:
                found = rpr.find(f"{_W}{tag}")
                if found is not None:
                    return found
        return None

    def _run_properties(self, run: Any, paragraph_style: str | None, table_style: str | None) -> dict[str, Any]:
        """Bold, colour and size of a run: set on the run, else by its character style, paragraph style,
        table style or the document defaults (the style part worked out once per combination)."""
        rpr = run.find(f"{_W}rPr")
        rstyle = rpr.find(f"{_W}rStyle") if rpr is not None else None
        key = (rstyle.get(f"{_W}val") if rstyle is not None else None, paragraph_style, table_style)
        styled = self._styled.get(key)
        if styled is None:
            sources = [s.find(f"{_W}rPr") for style_id in key for s in self._chain(style_id)]
            sources.append(self.defaults)
            styled = self._styled[key] = {tag: self._run_property(sources, tag) for tag in _RUN_TAGS}
        if rpr is None:
            return styled
        own = {tag: rpr.find(f"{_W}{tag}") for tag in _RUN_TAGS}
        return {tag: styled[tag] if own[tag] is None else own[tag] for tag in _RUN_TAGS}

    def _color(self, element: Any) -> str | None:
        if element is None:
            return None
        theme = element.get(f"{_W}themeColor")
        if theme:
            rgb = self.theme.get(_THEME_NAMES.get(theme, theme))
            if rgb is None:
                return None
            shade, tint = element.get(f"{_W}themeShade"), element.get(f"{_W}themeTint")
            channels = [int(rgb[i : i + 2], 16) for i in (0, 2, 4)]
            try:
                if shade:
                    channels = [round(c * int(shade, 16) / 255) for c in channels]
                if tint:
                    channels = [round(c + (255 - c) * (1 - int(tint, 16) / 255)) for c in channels]
            except ValueError:
                pass
            return "".join(f"{c:02X}" for c in channels)
        value = element.get(f"{_W}val", "")
        return value.upper() if len(value) == 6 else None

    # -- text --------------------------------------------------------------------

    def _text(self, paragraph: Any, table_style: str | None = None,
              fields: bool = True) -> tuple[str, dict[str, Any]]:
        """The paragraph's text and facts about its runs (bold, red, size, breaks, images).

        Without fields, the results of fields (page numbers in a footer) are left out.
        """
        pstyle = paragraph.find(f"{_W}pPr/{_W}pStyle")
        style_id = pstyle.get(f"{_W}val") if pstyle is not None else None
        parts: list[str] = []
        facts: dict[str, Any] = {"bold": True, "red": True, "any_red": False, "size": 0.0, "texts": 0,
                                 "page_break": False, "image": False}
        field_results: list[bool] = []  # one per open complex field: past its separator?

        def walk(element: Any) -> None:
            for child in element:
                tag = child.tag
                if not isinstance(tag, str) or tag in _SKIPPED or (not fields and tag == f"{_W}fldSimple"):
                    continue
                if tag == f"{_W}r":
                    run(child)
                elif tag in (f"{_W}drawing", f"{_W}pict"):
                    facts["image"] = True
                else:
                    walk(child)

        def run(element: Any) -> None:
            text: list[str] = []
            for child in element:
                tag = child.tag
                if tag == f"{_W}fldChar" and not fields:
                    kind = child.get(f"{_W}fldCharType")
                    if kind == "begin":
                        field_results.append(False)
                    elif kind == "separate" and field_results:
                        field_results[-1] = True
                    elif kind == "end" and field_results:
                        field_results.pop()
                elif any(field_results):
                    continue
                elif tag == f"{_W}t":
                    text.append(child.text or "")
                elif tag == f"{_W}tab":
                    text.append("\t")
                elif tag in (f"{_W}br", f"{_W}cr"):
                    if child.get(f"{_W}type") == "page":
                        facts["page_break"] = True
                    elif child.get(f"{_W}type") != "column":
                        text.append("\n")
                elif tag == f"{_W}noBreakHyphen":
                    text.append("-")
                elif tag in (f"{_W}drawing", f"{_W}pict") or str(tag).endswith("}AlternateContent"):
                    facts["image"] = True
            joined = "".join(text)
            parts.append(joined)
            if not joined.strip():
                return
            properties = self._run_properties(element, style_id, table_style)
            bold = _on(properties["b"])
            color = self._color(properties["color"])
            red = color is not None and is_red_rgb(color)
            size = properties["sz"]
            facts["texts"] += 1
            facts["bold"] = facts["bold"] and bool(bold)
            facts["red"] = facts["red"] and red
            facts["any_red"] = facts["any_red"] or red
            half_points = size.get(f"{_W}val", "0") if size is not None else "0"
            if half_points.isdigit():
                facts["size"] = max(facts["size"], int(half_points) / 2)

        walk(paragraph)
        if not facts["texts"]:
            facts["bold"] = facts["red"] = False
        facts["style_id"] = style_id
        return "".join(parts), facts

    def _paragraph(self, element: Any, toc: bool) -> Paragraph:
        self.paragraphs += 1
        text, facts = self._text(element)
        style_id = facts["style_id"]
        names = self._style_names(style_id)
        ppr = element.find(f"{_W}pPr")
        level = self._outline_level(ppr, style_id, names)
        num = self._numbering(ppr, style_id)
        page_break = facts["page_break"] or (ppr is not None and ppr.find(f"{_W}sectPr") is not None)
        return Paragraph(
            number=self.paragraphs,
            text=text,
            style=names[0] if names else "",
            level=level,
            title="title" in names,
            subtitle="subtitle" in names,
            bold=facts["bold"],
            size=facts["size"],
            bullet=num or any(n.startswith("list bullet") for n in names),
            toc=toc or any(n.startswith("toc ") or n == "toc heading" for n in names),
            red=facts["red"],
            any_red=facts["any_red"],
            page_break=page_break,
            image=facts["image"],
        )

    def _outline_level(self, ppr: Any, style_id: str | None, names: list[str]) -> int | None:
        for name in names:
            if name.startswith("heading ") and name[8:].isdigit():
                return int(name[8:])
        candidates = [ppr] + [s.find(f"{_W}pPr") for s in self._chain(style_id)]
        for candidate in candidates:
            found = candidate.find(f"{_W}outlineLvl") if candidate is not None else None
            if found is not None:
                value = found.get(f"{_W}val", "9")
                return int(value) + 1 if value.isdigit() and int(value) < 9 else None
        return None

    def _numbering(self, ppr: Any, style_id: str | None) -> bool:
        candidates = [ppr] + [s.find(f"{_W}pPr") for s in self._chain(style_id)]
        for candidate in candidates:
            num = candidate.find(f"{_W}numPr") if candidate is not None else None
            if num is not None:
                num_id = num.find(f"{_W}numId")
                return num_id is not None and num_id.get(f"{_W}val", "0") != "0"
        return False

    # -- body ----------------------------------------------------------------------

    def _blocks(self, container: Any, toc: bool) -> Iterator[Block]:
        for child in container:
            tag = child.tag
            if tag == f"{_W}p":
                yield self._paragraph(child, toc)
            elif tag == f"{_W}tbl":
                yield self._table(child)
            elif tag == f"{_W}sdt":
                gallery = child.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
                is_toc = gallery is not None and "contents" in gallery.get(f"{_W}val", "").casefold()
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    yield from self._blocks(content, toc or is_toc)
            elif tag == f"{_W}customXml":
                yield from self._blocks(child, toc)

    def _table(self, element: Any) -> Table:
        self.tables += 1
        style = element.find(f"{_W}tblPr/{_W}tblStyle")
        table_style = style.get(f"{_W}val") if style is not None else None
        grid: list[list[Cell]] = []
        above: dict[int, Cell] = {}
        for tr in _rows(element):
            row: list[Cell] = []
            before = tr.find(f"{_W}trPr/{_W}gridBefore")
            row.extend(Cell("", merged="span") for _ in range(_int(before, 0)))
            for tc in _cells(tr):
                tcpr = tc.find(f"{_W}tcPr")
                span = max(1, _int(tcpr.find(f"{_W}gridSpan") if tcpr is not None else None, 1))
                vmerge = tcpr.find(f"{_W}vMerge") if tcpr is not None else None
                column = len(row)
                if vmerge is not None and vmerge.get(f"{_W}val", "continue") != "restart" and column in above:
                    top = above[column]
                    cell = Cell(top.text, top.red, top.any_red, "vmerge")
                else:
                    cell = self._cell(tc, table_style)
                    above[column] = cell
                row.append(cell)
                row.extend(Cell("", merged="span") for _ in range(span - 1))
            grid.append(row)
        columns = max((len(r) for r in grid), default=0)
        rows = tuple(tuple(r + [Cell("")] * (columns - len(r))) for r in grid)
        return Table(self.tables, rows, columns)

    def _cell(self, tc: Any, table_style: str | None) -> Cell:
        lines: list[str] = []
        red = True
        any_red = False
        texts = 0
        for p in tc.iter(f"{_W}p"):
            text, facts = self._text(p, table_style)
            lines.append(text)
            if facts["texts"]:
                texts += 1
                red = red and facts["red"]
                any_red = any_red or facts["any_red"]
        text = "\n".join(lines).strip("\n")
        return Cell(text, red and texts > 0, any_red)


def _rows(table: Any) -> Iterator[Any]:
    for child in table:
        if child.tag == f"{_W}tr":
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if content is not None:
                yield from _rows(content)


def _cells(row: Any) -> Iterator[Any]:
    for child in row:
        if child.tag == f"{_W}tc":
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if content is not None:
                yield from _cells(content)


def _int(element: Any, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(f"{_W}val", default))
    except ValueError:
        return default
