"""Take a kommun's styles over into a plan template: the styles the plan uses, by Word's built-in names."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

from generator.document.docxml import P_PR_ORDER, R_PR_ORDER, TBL_PR_ORDER, set_language

_BORDER_ORDER = ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV", "between", "bar",
                 "tl2br", "tr2bl")
# Attributes that say one thing together: a child's value for one of a group replaces the parent's whole group.
_GROUPS = {
    "rFonts": (("ascii", "asciiTheme"), ("hAnsi", "hAnsiTheme"), ("eastAsia", "eastAsiaTheme"), ("cs", "cstheme")),
    "spacing": (("before", "beforeLines", "beforeAutospacing"), ("after", "afterLines", "afterAutospacing"),
                ("line", "lineRule")),
    "ind": (("left", "start", "leftChars", "startChars"), ("right", "end", "rightChars", "endChars"),
            ("firstLine", "hanging", "firstLineChars", "hangingChars")),
    "lang": (("val",), ("eastAsia",), ("bidi",)),
}
_BY_SIDE = ("pBdr", "tblBorders", "tblCellMar", "tcBorders", "tcMar")
_STYLE_PARTS = ("pPr", "rPr", "tblPr", "trPr", "tcPr")


@dataclass(frozen=True)
class PlanStyle:
    """A style the plan uses: its built-in name (w:name, the same in every language), Word's Swedish name,
    and the style of the profile whose font (and colour) it takes when the profile lacks it."""

    name: str
    swedish: str
    kin: str | None = None
    kin_colour: bool = False
    whole_kin: bool = False  # take the kin's whole look (the contents' heading looks like Rubrik 1)
    heading_level: int | None = None
    list_style: bool = False


PLAN_STYLES = (
    PlanStyle("Normal", "Normal"),
    PlanStyle("Title", "Rubrik", "heading 1", kin_colour=True),
    PlanStyle("Subtitle", "Underrubrik", "Normal"),
    PlanStyle("heading 1", "Rubrik 1", "Title", kin_colour=True, heading_level=1),
    PlanStyle("heading 2", "Rubrik 2", "heading 1", kin_colour=True, heading_level=2),
    PlanStyle("heading 3", "Rubrik 3", "heading 2", kin_colour=True, heading_level=3),
    PlanStyle("List Bullet", "Punktlista", "Normal", list_style=True),
    PlanStyle("List Paragraph", "Liststycke", "Normal"),
    PlanStyle("toc 1", "Innehåll 1", "Normal"),
    PlanStyle("toc 2", "Innehåll 2", "Normal"),
    PlanStyle("toc 3", "Innehåll 3", "Normal"),
    PlanStyle("TOC Heading", "Innehållsförteckningsrubrik", "heading 1", whole_kin=True),
    PlanStyle("caption", "Beskrivning", "Normal"),
    PlanStyle("header", "Sidhuvud", "Normal"),
    PlanStyle("footer", "Sidfot", "Normal"),
)
# The plan's own styles, taken over when the profile has styles of the same name; not missed otherwise.
OWN_STYLES = ("Tabelltext", "Tabellrubrik")


@dataclass
class StylesTaken:
    """What taking the styles over did: the styles taken, and notes (place, message) on what was not."""

    taken: list[str]
    notes: list[tuple[str, str]]
    flattened: dict[str, tuple[Any, Any]]  # built-in name -> the profile's (pPr, rPr) as the plan now has them


def styles_by_name(styles_element: Any) -> dict[str, Any]:
    """The w:style elements by their name, case folded. Where two share a name (LibreOffice writes its own
    "Caption" beside Word's "caption"), the one spelled as Word spells it wins, then the one with Word's id."""
    found: dict[str, Any] = {}
    for style in styles_element.iter(qn("w:style")):
        name_element = style.find(qn("w:name"))
        name = name_element.get(qn("w:val")) if name_element is not None else None
        if not name:
            continue
        key = name.casefold()
        if key not in found or _rank(style, name) < _rank(found[key], _name(found[key])):
            found[key] = style
    return found


def _name(style: Any) -> str:
    element = style.find(qn("w:name"))
    return str(element.get(qn("w:val"))) if element is not None else ""


def _rank(style: Any, name: str) -> int:
    canonical = next((s.name for s in PLAN_STYLES if s.name.casefold() == name.casefold()), name)
    if name == canonical:
        return 0
    return 1 if style.get(qn("w:styleId")) == canonical.title().replace(" ", "") else 2


def by_id(styles_element: Any) -> dict[str, Any]:
    return {s.get(qn("w:styleId")): s for s in styles_element.iter(qn("w:style"))}


def flattened(styles: dict[str, Any], style: Any, part: str) -> Any | None:
    """The style's w:<part> (pPr, rPr …) with everything it takes from the styles it is based on, made explicit."""
    chain: list[Any] = []
    while style is not None and all(style is not s for s in chain):
        chain.append(style)
        based = style.find(qn("w:basedOn"))
        style = styles.get(based.get(qn("w:val"))) if based is not None else None
    result = None
    for element in reversed(chain):
        own = element.find(qn(f"w:{part}"))
        if own is not None:
            result = merged(result, own)
    return result


def merged(base: Any | None, over: Any) -> Any:
    """A copy of base with over's properties laid on top, as Word reads a style based on another."""
    if base is None:
        return copy.deepcopy(over)
    result = copy.deepcopy(base)
    for child in over:
        if not isinstance(child.tag, str):
            continue
        local = child.tag.split("}")[-1]
        mine = result.find(child.tag)
        if mine is None:
            result.append(copy.deepcopy(child))
        elif local in _GROUPS:
            for group in _GROUPS[local]:
                if any(child.get(qn(f"w:{a}")) is not None for a in group):
                    for attribute in group:
                        mine.attrib.pop(qn(f"w:{attribute}"), None)
            for key, value in child.attrib.items():
                mine.set(key, value)
        elif local in _BY_SIDE:
            result.replace(mine, merged(mine, child))
        elif local == "tabs":
            result.replace(mine, _merged_tabs(mine, child))
        else:
            result.replace(mine, copy.deepcopy(child))
    _order(result)
    return result


def _merged_tabs(base: Any, over: Any) -> Any:
    tabs = {tab.get(qn("w:pos")): tab for tab in base}
    for tab in over:
        if tab.get(qn("w:val")) == "clear":
            tabs.pop(tab.get(qn("w:pos")), None)
        else:
            tabs[tab.get(qn("w:pos"))] = tab
    result = copy.deepcopy(base)
    for child in list(result):
        result.remove(child)
    for _, tab in sorted(tabs.items(), key=lambda item: int(item[0]) if (item[0] or "").lstrip("-").isdigit() else 0):
        result.append(copy.deepcopy(tab))
    return result


def _order(element: Any) -> None:
    """Put element's children in the order its schema sequence requires."""
    local = element.tag.split("}")[-1]
    order = {"pPr": P_PR_ORDER, "rPr": R_PR_ORDER, "tblPr": TBL_PR_ORDER}.get(local)
    if local in _BY_SIDE:
        order = _BORDER_ORDER
    if order is None:
        return
    rank = {qn(f"w:{tag}"): index for index, tag in enumerate(order)}
    children = sorted(element, key=lambda c: rank.get(c.tag, len(rank)))  # stable: unknown ones keep their order
    for child in children:
        element.append(child)


def _set_part(style: Any, part: str, value: Any | None) -> None:
    """Replace the style's w:<part> with value (None: remove it), at its place among the style's children."""
    old = style.find(qn(f"w:{part}"))
    if old is not None:
        style.remove(old)
    if value is None:
        return
    later = {qn(f"w:{t}") for t in (*_STYLE_PARTS, "tblStylePr")[_STYLE_PARTS.index(part) + 1:]}
    for child in style:
        if child.tag in later:
            child.addprevious(value)
            return
    style.append(value)


def _plain(ppr: Any | None, rpr: Any | None, plan_style: Any, spec: PlanStyle | None) -> tuple[Any, Any]:
    """The profile's pPr and rPr fitted to the plan: no language of their own (the plan is Swedish), the plan's
    list numbering on its lists, no numbering on headings, and each heading at its outline level."""
    if rpr is not None:
        for lang in rpr.findall(qn("w:lang")):
            rpr.remove(lang)
    if ppr is not None:
        for numbering in ppr.findall(qn("w:numPr")):
            ppr.remove(numbering)
    if spec is not None and spec.list_style:
        own = plan_style.find(qn("w:pPr"))
        numbering = own.find(qn("w:numPr")) if own is not None else None
        if ppr is not None:
            for ind in ppr.findall(qn("w:ind")):
                ppr.remove(ind)
        if numbering is not None:
            ppr = ppr if ppr is not None else plan_style.makeelement(qn("w:pPr"), {})
            ppr.append(copy.deepcopy(numbering))
            for ind in own.findall(qn("w:ind")):
                ppr.append(copy.deepcopy(ind))
    if spec is not None and spec.heading_level is not None:
        ppr = ppr if ppr is not None else plan_style.makeelement(qn("w:pPr"), {})
        for level in ppr.findall(qn("w:outlineLvl")):
            ppr.remove(level)
        ppr.append(ppr.makeelement(qn("w:outlineLvl"), {qn("w:val"): str(spec.heading_level - 1)}))
    if spec is not None and spec.whole_kin and ppr is not None:
        for level in ppr.findall(qn("w:outlineLvl")):
            ppr.remove(level)
    for element in (ppr, rpr):
        if element is not None:
            _order(element)
    return ppr, rpr


def take_styles(plan_styles: Any, profile_styles: Any) -> StylesTaken:
    """Give the plan's styles (its styles part's element) the look of the profile's, by built-in name.

    Each style keeps its id (the plan's paragraphs name it) and takes the profile style's paragraph and
    run properties, with what it inherits made explicit; the document defaults go over too. A style the
    profile lacks keeps the plan's look, with the font (and for headings the colour) of its kin.
    """
    plan_by_name, profile_by_name = styles_by_name(plan_styles), styles_by_name(profile_styles)
    profile_ids = by_id(profile_styles)
    _take_defaults(plan_styles, profile_styles)
    taken: list[str] = []
    notes: list[tuple[str, str]] = []
    looks: dict[str, tuple[Any, Any]] = {}
    specs = {s.name.casefold(): s for s in PLAN_STYLES}
    order = [*(s.name for s in PLAN_STYLES), *OWN_STYLES]
    for name in order:
        spec = specs.get(name.casefold())
        plan_style = plan_by_name.get(name.casefold())
        if plan_style is None:
            continue
        source = profile_by_name.get(name.casefold())
        if source is None and spec is not None and spec.whole_kin and spec.kin:
            source = profile_by_name.get(spec.kin.casefold())
        if source is not None and source.get(qn("w:type")) == plan_style.get(qn("w:type")):
            numbered = spec is not None and spec.heading_level is not None and \
                _numbered(flattened(profile_ids, source, "pPr"))
            ppr, rpr = _plain(flattened(profile_ids, source, "pPr"), flattened(profile_ids, source, "rPr"),
                              plan_style, spec)
            _set_part(plan_style, "pPr", ppr)
            _set_part(plan_style, "rPr", rpr)
            _link_character_style(plan_styles, plan_style, rpr)
            looks[name.casefold()] = (ppr, rpr)
            if spec is not None:
                taken.append(spec.swedish)
            if numbered and spec is not None:
                notes.append((spec.swedish, "är numrerad i profilen; numreringen tas inte över, så rubrikerna "
                                            "står utan nummer (planens rubriker numreras inte)"))
        elif spec is not None:
            notes.append((spec.swedish, _missing(plan_style, spec, looks, profile_ids, profile_by_name)))
    return StylesTaken(taken, notes, looks)


def _numbered(ppr: Any | None) -> bool:
    numbering = ppr.find(qn("w:numPr")) if ppr is not None else None
    number = numbering.find(qn("w:numId")) if numbering is not None else None
    return number is not None and number.get(qn("w:val")) not in (None, "0")


def _missing(plan_style: Any, spec: PlanStyle, looks: dict[str, tuple[Any, Any]], profile_ids: dict[str, Any],
             profile_by_name: dict[str, Any]) -> str:
    """Give a style the profile lacks its kin's font (and colour); the note that says so."""
    if spec.kin is None:
        return "finns inte i profilen; planens egen formatmall används"
    kin_rpr = looks.get(spec.kin.casefold(), (None, None))[1]
    if kin_rpr is None and spec.kin.casefold() in profile_by_name:
        kin_rpr = flattened(profile_ids, profile_by_name[spec.kin.casefold()], "rPr")
    kin_name = next((s.swedish for s in PLAN_STYLES if s.name == spec.kin), spec.kin)
    rpr = plan_style.find(qn("w:rPr"))
    if rpr is None:
        rpr = plan_style.makeelement(qn("w:rPr"), {})
        _set_part(plan_style, "rPr", rpr)
    if kin_rpr is None:  # no kin either: the plan's font gives way to the profile's Normal, its colour stays
        for old in rpr.findall(qn("w:rFonts")):
            rpr.remove(old)
        return "finns inte i profilen; planens egen formatmall används, med typsnittet från Normal"
    tags = ("rFonts", "color") if spec.kin_colour else ("rFonts",)
    for tag in tags:
        for old in rpr.findall(qn(f"w:{tag}")):
            rpr.remove(old)
        new = kin_rpr.find(qn(f"w:{tag}"))
        if new is not None:
            rpr.append(copy.deepcopy(new))
    _order(rpr)
    what = "typsnitt och färg" if spec.kin_colour else "typsnitt"
    return f"finns inte i profilen; planens egen formatmall används, med {what} från {kin_name}"


def _link_character_style(plan_styles: Any, style: Any, rpr: Any | None) -> None:
    """The character style linked to a paragraph style (Rubrik 1 Char) looks like it, as Word keeps them."""
    link = style.find(qn("w:link"))
    linked = by_id(plan_styles).get(link.get(qn("w:val"))) if link is not None else None
    if linked is not None and linked.get(qn("w:type")) == "character":
        _set_part(linked, "rPr", copy.deepcopy(rpr) if rpr is not None else None)


def _take_defaults(plan_styles: Any, profile_styles: Any) -> None:
    """The profile's document defaults (the font and spacing every style starts from), in Swedish."""
    theirs = profile_styles.find(qn("w:docDefaults"))
    if theirs is None:
        return
    mine = plan_styles.find(qn("w:docDefaults"))
    replacement = copy.deepcopy(theirs)
    if mine is not None:
        plan_styles.replace(mine, replacement)
    else:
        plan_styles.insert(0, replacement)
    set_language(plan_styles)


def copy_style(plan_styles: Any, profile_styles: Any, style: Any) -> str:
    """Add a profile style (a table style) to the plan's styles, flattened; returns its id in the plan."""
    profile_ids, plan_ids = by_id(profile_styles), by_id(plan_styles)
    new = copy.deepcopy(style)
    style_id = str(style.get(qn("w:styleId")))
    same_name = styles_by_name(plan_styles).get(_name(style).casefold())
    if same_name is not None:
        plan_styles.remove(same_name)
        style_id = str(same_name.get(qn("w:styleId")))
    elif style_id in plan_ids:
        style_id = f"{style_id}Profil"
    new.set(qn("w:styleId"), style_id)
    for tag in ("basedOn", "next", "link"):
        for element in new.findall(qn(f"w:{tag}")):
            new.remove(element)
    for part in _STYLE_PARTS:
        value = flattened(profile_ids, style, part)
        if part == "rPr" and value is not None:
            for lang in value.findall(qn("w:lang")):
                value.remove(lang)
        _set_part(new, part, value)
    plan_styles.append(new)
    return style_id


def style_names(styles: Iterable[str]) -> str:
    """The styles as a Swedish list: "Normal, Rubrik 1 och Rubrik 2"."""
    names = list(dict.fromkeys(styles))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1] if names else ""
