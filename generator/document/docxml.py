"""Small helpers for WordprocessingML that python-docx has no API for: fields, shading, language, order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

LANGUAGE = "sv-SE"
W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Table rows whose cells do not fill the grid one to one (merged or added cells).
IRREGULAR_ROWS = etree.XPath(
    "w:tr[count(w:tc) != $columns or w:tc/w:tcPr/w:gridSpan]", namespaces={"w": W_NAMESPACE}
)
# Children of property elements in the order the schema's sequences require (ECMA-376 Part 1, 17.4.60,
# 17.4.70, 17.3.1.26, 17.3.2.28); an element out of order makes Word call the document damaged.
TBL_PR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
                "tblLook", "tblCaption", "tblDescription", "tblPrChange")
TC_PR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
               "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
               "tcPrChange")
P_PR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")
R_PR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange")
# Elements whose w:val the schema allows only as "on" or "off" (ST_OnOffOnly), where other
# writers, LibreOffice among them, put "true"/"false" or "1"/"0" as for every other switch.
ON_OFF_ONLY = ("autoRedefine", "bidiVisual", "cantSplit", "flatBorders", "hidden", "hideMark", "linkedToFile",
               "locked", "noBorder", "noResizeAllowed", "noWrap", "personal", "personalCompose", "personalReply",
               "qFormat", "semiHidden", "tblHeader", "tcFitText", "unhideWhenUsed")
_ON_OFF = {"true": "on", "1": "on", "false": "off", "0": "off"}
_ON_OFF_TAGS = tuple(qn(f"w:{name}") for name in ON_OFF_ONLY)
_VAL = qn("w:val")
_LOWER_CASE_RSIDS = etree.XPath(
    "//@w:*[starts-with(local-name(), 'rsid')][translate(., 'abcdef', '') != .]"
    " | //w:rsid/@w:val[translate(., 'abcdef', '') != .] | //w:rsidRoot/@w:val[translate(., 'abcdef', '') != .]",
    namespaces={"w": W_NAMESPACE},
)


def _run_with(tag: str, **attrs: str) -> Any:
    """A <w:r> holding one element, e.g. a fldChar, with w:-namespaced attributes."""
    run = OxmlElement("w:r")
    child = OxmlElement(tag)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), value)
    run.append(child)
    return run


def _text_run(text: str, rpr: Any = None) -> Any:
    """A <w:r> with optional copied run properties and preserved spaces."""
    run = OxmlElement("w:r")
    if rpr is not None:
        run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def field_runs(instruction: str, cached: str) -> list[Any]:
    """The runs of a complex field: begin, instruction, separate, cached result, end."""
    instr = OxmlElement("w:r")
    instr_text = OxmlElement("w:instrText")
    instr_text.set(qn("xml:space"), "preserve")
    instr_text.text = f" {instruction} "
    instr.append(instr_text)
    return [
        _run_with("w:fldChar", fldCharType="begin"),
        instr,
        _run_with("w:fldChar", fldCharType="separate"),
        _text_run(cached),
        _run_with("w:fldChar", fldCharType="end"),
    ]


def set_language(styles_element: Any, language: str = LANGUAGE) -> None:
    """Make language the document default (docDefaults), so Word spell-checks in it."""
    doc_defaults = styles_element.find(qn("w:docDefaults"))
    if doc_defaults is None:
        doc_defaults = OxmlElement("w:docDefaults")
        styles_element.insert(0, doc_defaults)
    rpr_default = _child(doc_defaults, "w:rPrDefault", first=True)
    rpr = _child(rpr_default, "w:rPr")
    lang = put_in_order(rpr, "lang", R_PR_ORDER)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), "ar-SA")


def _child(parent: Any, tag: str, first: bool = False) -> Any:
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def normalize_for_word(root: Any) -> int:
    """Put values other writers (LibreOffice) save in forms Word's schema or Word itself may not take.

    On/off-only switches become "on"/"off"; revision ids (rsids) get Word's upper-case hex.
    Returns how many values were changed.
    """
    return _fix_switches(root) + _fix_rsids(root)


def _fix_switches(root: Any) -> int:
    changed = 0
    for element in root.iter(*_ON_OFF_TAGS):
        new = _ON_OFF.get(element.get(_VAL, ""))
        if new is not None:
            element.set(_VAL, new)
            changed += 1
    return changed


def _fix_rsids(root: Any) -> int:
    changed = 0
    for rsid in _LOWER_CASE_RSIDS(root):
        rsid.getparent().set(rsid.attrname, rsid.upper())
        changed += 1
    return changed


def _drop_empty_tables(root: Any, tables: list[Any] | None = None) -> int:
    """Remove tables left without rows (a template's row loop over no activities): Word calls them damaged.

    A table cell whose last block was such a table gets an empty paragraph, as Word requires.
    tables: root's tables, as root.iter finds them, when the caller has them already.
    Returns how many tables were removed.
    """
    empty = [table for table in (root.iter(qn("w:tbl")) if tables is None else tables)
             if table.find(qn("w:tr")) is None]
    for table in empty:
        parent = table.getparent()
        last = table.getnext() is None
        parent.remove(table)
        if parent.tag == qn("w:tc") and last and (len(parent) == 0 or parent[-1].tag != qn("w:p")):
            parent.append(OxmlElement("w:p"))
    return len(empty)


class Prepared(NamedTuple):
    """What _prepare_template did to a template's parts, by part name, for finish_document not to do again."""

    tidied: frozenset[str] = frozenset()  # _drop_empty_tables and normalize_for_word done
    rsids: frozenset[str] = frozenset()   # rsids upper-cased, and rendering adds none


UNPREPARED = Prepared()


def _normalize_parts(document: Any, prepared: Prepared = UNPREPARED, body_tables: list[Any] | None = None) -> None:
    """_drop_empty_tables and normalize_for_word on each XML part of the package, but what prepared says is done.

    body_tables: the tables of the main document part, as its element's iter finds them, when the caller has them.
    """
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)  # XML parts; images and the like have none
        name = str(part.partname) if element is not None else ""
        if element is None or name in prepared.tidied:
            continue
        _drop_empty_tables(element, body_tables if part is document.part else None)
        if name in prepared.rsids:
            _fix_switches(element)
        else:
            normalize_for_word(element)


def _prepare_template(document: Any, body_source: Callable[[], str | None] | None = None) -> Prepared:
    """Tidy a template once for all documents rendered from it (copies of it carry prepared()).

    docxtpl renders the main document, its headers and footers, the core properties and
    footnotes (a part without element); the other parts (styles, settings, numbering …) are
    tidied here whole. When no rsid of the main document holds a Jinja tag and body_source, the
    Jinja source of its body, writes no markup (_output_is_escaped), rendering can add no rsid:
    they are upper-cased here, and each document needs only its on/off switches and empty
    tables seen to.
    """
    rendered = {document.part, *(rel.target_part for rel in document.part.rels.values()
                                 if not rel.is_external and rel.reltype.endswith(("/header", "/footer")))}
    rendered.update(rel.target_part for rel in document.part.package.rels.values()
                    if not rel.is_external and rel.reltype.endswith("/core-properties"))
    tidied = frozenset(str(part.partname) for part in document.part.package.iter_parts()
                       if part not in rendered and getattr(part, "element", None) is not None)
    _normalize_parts(document, Prepared(frozenset(str(part.partname) for part in rendered)))
    rsids: frozenset[str] = frozenset()
    root = document.part.element
    if body_source is not None and not _JINJA_RSIDS(root):
        source = body_source()  # None: not known
        if source is not None and _output_is_escaped(source):
            _fix_rsids(root)  # literal values only: no rsid holds a Jinja tag
            _fix_switches(root)  # and none of its switches: rows kept out of the tree (rows.py) need no fixing
            rsids = frozenset({str(document.part.partname)})
    done = Prepared(tidied, rsids)
    setattr(document, _PREPARED, done)
    return done


def prepared(document: Any) -> Prepared:
    """What _prepare_template did to document (or the template it is a copy of)."""
    found = getattr(document, _PREPARED, None)
    return found if isinstance(found, Prepared) else Prepared()


_JINJA_RSIDS = etree.XPath(  # rsids (as _LOWER_CASE_RSIDS finds them) that hold a Jinja tag
    "boolean(//@w:*[starts-with(local-name(), 'rsid')][contains(., '{')] | //w:rsid/@w:val[contains(., '{')]"
    " | //w:rsidRoot/@w:val[contains(., '{')])", namespaces={"w": W_NAMESPACE})


def _output_is_escaped(source: str) -> bool:
    """Whether everything a Jinja source writes is escaped, so it adds no markup to the XML around it.

    The environment escapes all output (autoescape) but what the safe filter lets through, or
    an autoescape block turned off; Markup comes from the context only (the logo).
    """
    return "safe" not in source and "autoescape" not in source


_PREPARED = "aktivitetsplan_prepared"


def drop_styles_with_effects(document_part: Any) -> None:
    """Drop Word 2010's copy of styles.xml, which would no longer match the changed styles.

    Word 2010 reads styles.xml when the copy is missing; later versions never read it.
    """
    for rid, rel in list(document_part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del document_part.rels[rid]


def _forget_proofing(settings_element: Any) -> None:
    """Drop the template's w:proofState: "clean" would tell Word that the new text is already spell-checked."""
    for state in settings_element.findall(qn("w:proofState")):
        settings_element.remove(state)


def put_in_order(parent: Any, name: str, order: tuple[str, ...]) -> Any:
    """The child w:<name> of parent, added where the schema's sequence order puts it when missing."""
    found = parent.find(qn(f"w:{name}"))
    if found is not None:
        return found
    later = {qn(f"w:{tag}") for tag in order[order.index(name) + 1:]}
    element = OxmlElement(f"w:{name}")
    for child in parent.iterchildren():
        if child.tag in later:
            child.addprevious(element)
            return element
    parent.append(element)
    return element


def shade(tc_pr: Any, fill: str) -> None:
    """Give a table cell (its tcPr) a solid background colour."""
    shd = put_in_order(tc_pr, "shd", TC_PR_ORDER)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
