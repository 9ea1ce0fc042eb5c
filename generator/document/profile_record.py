"""What a template built from a kommun's profile carries about it, so that check --template can say it again.

A custom XML part holds the profile's name, what was taken over and what was not (profile_findings).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from lxml import etree

from generator.document.fonts import pdf_font_findings
from generator.plan.model import Finding, Severity
from generator.versions.docxpart import embed_custom_xml

NAMESPACE = "urn:aktivitetsplan:profil"
_ROOT = f"{{{NAMESPACE}}}profil"
MAX_RECORD_BYTES = 64 * 1024
MAX_PARTS = 10_000


def _xml(name: str, taken: list[str], notes: list[tuple[str, str]]) -> bytes:
    root = etree.Element(_ROOT, nsmap={None: NAMESPACE})
    root.set("format", "1")
    root.set("fil", name)
    for line in taken:
        etree.SubElement(root, f"{{{NAMESPACE}}}overtaget").text = line
    for place, message in notes:
        etree.SubElement(root, f"{{{NAMESPACE}}}inte", plats=place).text = message
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def write_record(document: Any, name: str, taken: list[str], notes: list[tuple[str, str]]) -> None:
    """Put the record in the document as a custom XML part, in place of an earlier profile's."""
    embed_custom_xml(document, _xml(name, taken, notes), NAMESPACE)


def read_record(path: Path) -> tuple[str, list[tuple[str, str]]] | None:
    """(the profile's name, its notes (place, message)) a template carries; None when it carries none or
    cannot be read (the template's own problems are reported where it is opened)."""
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            if len(infos) > MAX_PARTS:
                return None
            for info in infos:
                if not (info.filename.startswith("customXml/item") and info.filename.endswith(".xml")) \
                        or "Props" in info.filename or info.file_size > MAX_RECORD_BYTES:
                    continue
                data = package.read(info)
                if NAMESPACE.encode() not in data:
                    continue
                root = fromstring(data, forbid_dtd=True)
                if root.tag == _ROOT:
                    notes = [(str(e.get("plats", "")), e.text or "") for e in root if e.tag == f"{{{NAMESPACE}}}inte"]
                    return str(root.get("fil", "")), notes
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, ParseError, DefusedXmlException):
        return None
    return None


def profile_findings(template: Path) -> list[Finding]:
    """What a template built from a profile could not take over, as kept in it, and the fonts it uses that
    this machine lacks (the PDF would substitute them); nothing for a template made without a profile."""
    record = read_record(template)
    if record is None:
        return []
    name, notes = record
    findings = [Finding(f"{place} (profilen {name})", message, Severity.WARNING) for place, message in notes]
    return findings + pdf_font_findings(template)
