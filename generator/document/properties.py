"""Set a rendered document's core and extended (docProps/app.xml) properties from its plan."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from generator import __version__
from generator.document.docxml import LANGUAGE
from generator.plan.model import Plan
from generator.template.context import plan_title

APPLICATION = "aktivitetsplan"
EXTENDED_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
EXTENDED_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
MAX_PROPERTY = 255


def one_line(text: str, limit: int = MAX_PROPERTY) -> str:
    """A property value: one line of at most limit characters, whitespace runs as one space."""
    return re.sub(r"\s+", " ", text).strip()[:limit]


def _set_properties(document: Any, plan: Plan, now: dt.datetime | None = None) -> None:
    """Core properties (title, author, description …) and app.xml describe this plan, not the template."""
    municipality = one_line(plan.municipality.text)
    props = document.core_properties
    props.title = one_line(plan_title(plan))
    props.subject = one_line(plan.project.text) or "Kommunikationsplan"
    props.author = municipality or APPLICATION
    props.last_modified_by = APPLICATION
    props.comments = one_line(
        f"{plan.summary()}. Skapad med {APPLICATION} {__version__} ur {Path(plan.source).name}.", 1000
    )
    props.category = "Aktivitetsplan"
    props.keywords = "aktivitetsplan; kommunikationsplan"
    props.language = LANGUAGE
    props.revision = 1
    now = now or dt.datetime.now(dt.timezone.utc)
    props.created = props.modified = now.replace(microsecond=0, tzinfo=None)  # a new document each time
    set_extended_properties(document.part.package, municipality)


def _extended_properties_xml(company: str, application: str) -> bytes:
    """docProps/app.xml naming this program; page and word counts are left for Word to count."""
    root = etree.Element(f"{{{_EXTENDED_NS}}}Properties", nsmap={None: _EXTENDED_NS, "vt": _VT_NS})
    for name, value in (("Application", application), ("DocSecurity", "0"),
                        ("ScaleCrop", "false"), ("Company", company), ("LinksUpToDate", "false"),
                        ("SharedDoc", "false"), ("HyperlinksChanged", "false")):
        if value:
            etree.SubElement(root, f"{{{_EXTENDED_NS}}}{name}").text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def set_extended_properties(package: Any, company: str, application: str = f"{APPLICATION} {__version__}") -> None:
    """Replace the package's app.xml (python-docx keeps the template's as it was) with one of our own."""
    for rid, rel in list(package.rels.items()):
        if rel.reltype == EXTENDED_PROPERTIES:
            del package.rels[rid]
    part = Part(PackURI("/docProps/app.xml"), EXTENDED_CONTENT_TYPE, _extended_properties_xml(company, application),
                package)
    package.relate_to(part, EXTENDED_PROPERTIES)
