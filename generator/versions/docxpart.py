"""The plan snapshot as a custom XML part of a .docx, and the version properties (python-docx package API)."""

from __future__ import annotations

import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from generator.plan.errors import os_reason
from generator.versions.snapshot import (
    MAX_SNAPSHOT_BYTES,
    Snapshot,
    SnapshotError,
    SnapshotHead,
    parse_head,
    parse_snapshot,
    version_text,
)

NAMESPACE = "urn:aktivitetsplan:plan"
ROOT_TAG = f"{{{NAMESPACE}}}plan"
CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
CUSTOM_XML_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
CUSTOM_XML_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024
MAX_PARTS = 10_000
_SNAPSHOT_START = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                   b'<plan xmlns="' + NAMESPACE.encode() + b'" format="1"')
_SNAPSHOT_END = b"</plan>"
_PIECE = 1 << 20  # characters of JSON encoded at a time
# The snapshot's head (all but the plan) rides as an attribute of its element, so that a run whose plan is
# unchanged reads the head alone. One larger than this is left out: 9 000 new activities make about 2 MB.
MAX_HEAD_BYTES = 4 << 20
_HEAD_CHUNK = 1 << 16
# What read_head reads at most, all items together. A head written again by another program may have grown
# (&quot; for each of the JSON's quotes): one past this is read by read_snapshot instead, as one without a head.
_HEAD_BUDGET = (6 << 20) + _HEAD_CHUNK
_EXPAT_ROOT = f"{NAMESPACE} plan"  # ROOT_TAG as expat names it (namespace_separator " ")


class StreamedXmlPart(Part):
    """A custom XML item made piece by piece as the document is saved (document.engine writes the pieces).

    A long plan's snapshot is some megabytes of JSON: written this way it is never also held as an XML
    tree, its serialization and the part's bytes at once.
    """

    def __init__(self, partname: PackURI, package: Any, namespace: str, pieces: Callable[[], Iterator[bytes]],
                 ) -> None:
        super().__init__(partname, "application/xml", b"", package)
        self.namespace = namespace
        self.pieces = pieces

    @property
    def blob(self) -> bytes:
        return b"".join(self.pieces())


def _snapshot_pieces(snapshot: Snapshot) -> Iterator[bytes]:
    """The custom XML item, one element in this tool's namespace holding the snapshot's JSON, in pieces.

    The JSON is ASCII (Snapshot.json_parts), so only &, < and > need escaping to be the element's text,
    and ' as well in the head, an attribute in single quotes.
    """
    parts = snapshot.json_parts()  # the plan's JSON made once, for the head's digest and the text
    head = _escaped(snapshot.head_json(parts[1])).replace("'", "&apos;")
    yield _SNAPSHOT_START + (b" head='" + head.encode("ascii") + b"'>" if len(head) <= MAX_HEAD_BYTES else b">")
    for text in parts:
        for start in range(0, len(text), _PIECE):
            yield _escaped(text[start:start + _PIECE]).encode("ascii")
    yield _SNAPSHOT_END


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _item_props_xml(item_id: str, namespace: str) -> bytes:
    root = etree.Element(f"{{{_DS}}}datastoreItem", nsmap={"ds": _DS})
    root.set(f"{{{_DS}}}itemID", item_id)
    refs = etree.SubElement(root, f"{{{_DS}}}schemaRefs")
    etree.SubElement(refs, f"{{{_DS}}}schemaRef").set(f"{{{_DS}}}uri", namespace)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=False))


def _parsed(blob: bytes) -> Any:
    """A part's XML root, read without DTDs or entities; None when it is no XML."""
    try:
        return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except (etree.XMLSyntaxError, ValueError):
        return None


def _in_namespace(part: Any, namespace: str) -> bool:
    if isinstance(part, StreamedXmlPart):
        return part.namespace == namespace
    root = _parsed(part.blob)
    return root is not None and etree.QName(root).namespace == namespace


def embed_snapshot(document: Any, snapshot: Snapshot) -> None:
    """Put snapshot into the document as customXml/itemN.xml (with its itemProps), related from the main part.

    An earlier snapshot the document carries (a template made from an output) is replaced. Word keeps
    custom XML parts when it saves a document; so does LibreOffice (tests/test_snapshot.py).
    """
    embed_custom_xml(document, lambda: _snapshot_pieces(snapshot), NAMESPACE)


def embed_custom_xml(document: Any, item_xml: bytes | Callable[[], Iterator[bytes]], namespace: str) -> None:
    """Put item_xml (one element in namespace) into the document as customXml/itemN.xml with its itemProps,
    related from the main part, in place of an earlier item in the same namespace.

    item_xml may be a function giving the item's bytes in pieces, made when the document is saved.
    """
    main = document.part
    for rid, rel in list(main.rels.items()):
        if rel.reltype == CUSTOM_XML and not rel.is_external and _in_namespace(rel.target_part, namespace):
            del main.rels[rid]
    used = {str(part.partname) for part in main.package.iter_parts()}
    number = next(n for n in range(1, MAX_PARTS + 2) if f"/customXml/item{n}.xml" not in used
                  and f"/customXml/itemProps{n}.xml" not in used)
    name = PackURI(f"/customXml/item{number}.xml")
    item = (Part(name, "application/xml", item_xml, main.package) if isinstance(item_xml, bytes)
            else StreamedXmlPart(name, main.package, namespace, item_xml))
    props = Part(PackURI(f"/customXml/itemProps{number}.xml"), CUSTOM_XML_PROPS_TYPE,
                 _item_props_xml("{" + str(uuid.uuid4()).upper() + "}", namespace), main.package)
    item.relate_to(props, CUSTOM_XML_PROPS)
    main.relate_to(item, CUSTOM_XML)


def _set_version_properties(document: Any, version: str, number: int, changed: str) -> None:
    """Core properties version and revision, and custom properties Version and Senast ändrad (Word's
    Arkiv > Egenskaper > Anpassade)."""
    props = document.core_properties
    props.version = version[:255]
    props.revision = number
    package = document.part.package
    root = None
    for rid, rel in list(package.rels.items()):
        if rel.reltype == CUSTOM_PROPERTIES:
            if not rel.is_external and root is None:
                root = _parsed(rel.target_part.blob)  # a template's own custom properties are kept
            del package.rels[rid]
    if root is None or root.tag != f"{{{_CP}}}Properties":
        root = etree.Element(f"{{{_CP}}}Properties", nsmap={None: _CP, "vt": _VT})
    ours = {"Version": version, "Senast ändrad": changed}
    for prop in list(root):
        if prop.get("name") in ours:
            root.remove(prop)
    pids = [int(p.get("pid")) for p in root if (p.get("pid") or "").isdigit()]
    for pid, (name, value) in enumerate(ours.items(), start=max([1, *pids]) + 1):
        if value:
            prop = etree.SubElement(root, f"{{{_CP}}}property", fmtid=_FMTID, pid=str(pid), name=name)
            etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value[:255]
    blob = bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    package.relate_to(Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPERTIES_TYPE, blob, package),
                      CUSTOM_PROPERTIES)


def read_snapshot(path: Path) -> Snapshot | None:
    """The snapshot a .docx carries; None when it carries none; SnapshotError (Swedish) when it cannot be read.

    Read straight from the zip, by the element's namespace rather than the part's name:
    Word and LibreOffice may number the custom XML parts anew when they save.
    """
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise SnapshotError(f"dokumentet är större än {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
        with zipfile.ZipFile(path) as package:
            for info in _items(package):
                with package.open(info) as handle:
                    data = handle.read(MAX_SNAPSHOT_BYTES * 2 + 1)
                text = _our_text(data)
                if text is not None:
                    return parse_snapshot(text)
    except FileNotFoundError:
        raise SnapshotError("filen finns inte") from None
    except PermissionError as exc:
        raise SnapshotError(f"filen kan inte läsas ({os_reason(exc)})") from None
    except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, NotImplementedError, EOFError):
        raise SnapshotError("filen är inget Word-dokument (.docx) som går att läsa") from None
    return None


def _items(package: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The custom XML items of a .docx that could be a snapshot (not too big to read)."""
    infos = package.infolist()
    if len(infos) > MAX_PARTS:
        raise SnapshotError("dokumentet har orimligt många delar")
    return [info for info in infos if info.filename.startswith("customXml/item") and info.filename.endswith(".xml")
            and "Props" not in info.filename and info.file_size <= MAX_SNAPSHOT_BYTES * 2]


def read_head(path: Path) -> SnapshotHead | None:
    """The head of the snapshot a .docx carries (all but its plan), read without the plan; None when there is none.

    Never an error: whatever keeps the head from being read, read_snapshot reads the whole and says what.
    Each item is read up to its root's start tag, and no more than _HEAD_BUDGET bytes in all.
    """
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            return None
        budget = [_HEAD_BUDGET]
        with zipfile.ZipFile(path) as package:
            for info in _items(package):
                with package.open(info) as handle:
                    root = _root_start(handle, budget)
                if root is None:
                    return None  # damaged, a DTD, or past the budget: read_snapshot tells
                if root[0] == _EXPAT_ROOT:
                    head = root[1].get("head")
                    return parse_head(head) if head else None
    except (SnapshotError, zipfile.BadZipFile, zlib.error, OSError, RuntimeError, NotImplementedError, EOFError,
            LookupError, ValueError):
        return None
    return None


class _Started(Exception):
    """The root element's start tag has been read: parsing stops there."""


def _root_start(handle: Any, budget: list[int]) -> tuple[str, dict[str, str]] | None:
    """An XML item's root element as (namespace and name, attributes), read no further than its start tag.

    None when it cannot be read there, declares a DTD or an entity, or the budget of bytes runs out (each
    chunk read is taken off it). Expat, with plain functions as handlers: nothing holds the parser once done.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    found: list[tuple[str, dict[str, str]]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        found.append((name, attributes))
        raise _Started

    def refuse(*_: Any) -> None:
        raise expat.ExpatError("DTD")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    while budget[0] > 0:
        chunk = handle.read(min(_HEAD_CHUNK, budget[0]))
        budget[0] -= len(chunk)
        try:
            parser.Parse(chunk, not chunk)
        except _Started:
            return found[0]
        except expat.ExpatError:
            return None
        if not chunk:
            return None
    return None


def _our_text(data: bytes) -> str | None:
    """The JSON of a custom XML item in this tool's namespace; None for anyone else's item."""
    if NAMESPACE.encode() not in data:
        return None
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError, LookupError):  # LookupError: an encoding Python lacks
        raise SnapshotError("planens data i dokumentet är skadade") from None
    if root.tag != ROOT_TAG:
        return None
    return "".join(root.itertext())


def apply_snapshot(document: Any, snapshot: Snapshot) -> None:
    """Everything a document carries of its version: the snapshot part and the version properties."""
    if snapshot.plan:  # a plan too big to keep (next_snapshot) is carried without its data
        embed_snapshot(document, snapshot)
    _set_version_properties(document, version_text(snapshot), snapshot.version, snapshot.changed)


