"""docxtpl tuned for long tables: no whole-document regex passes where this tool needs none.

docxtpl's render() runs resolve_listing (regexes over every paragraph of the
rendered body) and fix_tables (a Python loop over every table row) on each
render, which dominates the time for thousands of activities (docxtpl issue
#490). Here line breaks and tabs are produced by the environment's finalize
(see generator.template.escaping) so resolve_listing has nothing left to do, and fix_tables
only runs docxtpl's column repair for tables whose rows do not match their grid.
Core properties render as plain text, without the XML escaping body text needs.

The docxtpl and python-docx adapter: the one module that reaches into their internals
(the overridden steps of DocxTemplate.render, the document part's element swapped in place).
Everything else uses python-docx's public API (Document, part.element, docx.oxml's parse_xml,
OxmlElement and qn, docx.opc's Part and PackURI). What rendering raises reaches
generator.document.render, which turns it into a TemplateError naming the template and tag.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import time
import zipfile
from collections.abc import Iterable
from typing import Any

import docxtpl
from docx.opc.oxml import serialize_part_xml
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.parser import oxml_parser
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from lxml import etree

from generator.document.body import collect, unmark
from generator.document.docxml import IRREGULAR_ROWS, W_NAMESPACE, _output_is_escaped, prepared
from generator.document.layout import is_activity_table
from generator.document.plan_tables import _fitted_after_rendering
from generator.document.rows import (
    ITERATION,
    LOOP_END,
    LOOP_START,
    SPLICE,
    SPLICE_TARGET,
    DetachedRows,
    keep_rows,
    loop_cells,
    mark_activity_loop,
    rows_of,
)
from generator.document.stamping import Stamp, stamped
from generator.template.codecache import cached_text, store_text
from generator.template.environment import make_text_environment, template_lineno
from generator.template.sandbox import xml_nodes
from generator.versions.docxpart import StreamedXmlPart

# All the document properties a template fills in (author, comments …) together.
MAX_PROPERTIES_BYTES = 100_000

_W = W_NAMESPACE
# The core properties docxtpl renders (DocxTemplate.render_properties).
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_DOC_PR = etree.XPath(
    "//wp:docPr",
    namespaces={"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"},
)
_BODY = re.compile(rb"<w:body\b.*</w:body>|<w:body\s*/>", re.DOTALL)
_PARAGRAPH = re.compile(r"<w:p([ >])")
_MARKED_PARAGRAPH = re.compile(r"\n<w:p([ >])")
_TAGS = re.compile(r"<[^>]+>")
_ENCODING = re.compile(r'<\?xml[^\?]+\bencoding="([^"]+)"', re.I)


@functools.lru_cache(maxsize=64)
def _patched(src_xml: str) -> str:
    """docxtpl's patch_xml (regexes only, nothing of the instance) once per distinct part XML.

    Patching (compiling docxtpl's regexes, then running them over the body) is much of a
    single run's work with the template: what it gave is kept on disk for the next process
    (codecache), headers and footers too, or their patching would compile the regexes.
    """
    known = cached_text(_PATCH_KIND, src_xml)
    if known is not None:
        return known
    patched = str(DocxTemplate.patch_xml(None, src_xml))
    store_text(_PATCH_KIND, src_xml, patched)
    return patched


_PATCH_KIND = f"docxtpl {docxtpl.__version__} patch_xml"


@functools.lru_cache(maxsize=8)
def _body_source(body_xml: str) -> str:
    """The Jinja source of a body: patched, each paragraph on a line of its own (docxtpl's marker).

    When all it writes is escaped, its loop over the activities is marked (rows.mark_activity_loop),
    so that rendering keeps the rows after the first out of the tree.
    """
    source = _PARAGRAPH.sub(r"\n<w:p\1", _patched(body_xml))
    return mark_activity_loop(source) if _output_is_escaped(source) else source


_SPLICE_MARKER = etree.XPath(f"//processing-instruction('{SPLICE_TARGET}')")


def _splice_on_save(part: Any) -> None:
    """Make the document part write its kept rows in place of their marker whenever it is serialized."""
    if type(part) not in _SPLICING:
        part.__class__ = _splicing(part.__class__)


_SPLICING: set[type] = set()


@functools.cache
def _splicing(base: Any) -> Any:
    """The subclass of a python-docx part class whose blob has the kept rows spliced in (rows.DetachedRows)."""

    class Splicing(base):
        @property
        def blob(self) -> bytes:
            xml = super().blob
            rows = rows_of(self)
            return rows.splice(xml) if rows is not None else xml

    _SPLICING.add(Splicing)
    return Splicing


@functools.lru_cache(maxsize=8)
def _loop_cells(source: str) -> int | None:
    """The cells of each row of a marked body source's activity loop (rows.loop_cells); None when unmarked."""
    start, end = source.find(LOOP_START), source.find(LOOP_END)
    return loop_cells(source[start + len(LOOP_START):end].replace(ITERATION, "")) if 0 <= start < end else None


def _write_package(path: str | os.PathLike[str], document_part: Any, rows: DetachedRows | None) -> None:
    """What python-docx's OpcPackage.save does, with the document part streamed: its XML, then each kept row.

    A write that fails (a full disk) closes the file at once, so no half-closed zip is left to
    complain from its finalizer; the error goes on to the caller (files.output turns it into words).
    """
    package = document_part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    writer: Any = PhysPkgWriter(path)  # a _ZipPkgWriter for a path
    try:
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        for part in parts:
            if part is document_part and rows is not None:
                _write_spliced(writer, part, rows)
            elif isinstance(part, StreamedXmlPart):
                _write_pieces(writer, part, part.pieces())
            else:
                writer.write(part.partname, part.blob)
            if len(part.rels):
                writer.write(part.partname.rels_uri, part.rels.xml)
    except BaseException:
        with contextlib.suppress(Exception):
            writer.close()  # writes what it can, then lets go of the file
        raise
    writer.close()


def _write_spliced(writer: Any, part: Any, rows: DetachedRows) -> None:
    """The document part streamed into the zip: its XML up to the splice, each kept row, then the rest."""
    xml = serialize_part_xml(part._element)
    at = xml.find(SPLICE)
    _write_pieces(writer, part, [xml] if at < 0 else [xml[:at], *rows.groups, xml[at + len(SPLICE):]])


def _write_pieces(writer: Any, part: Any, pieces: Iterable[bytes]) -> None:
    """A part written into the zip piece by piece, as python-docx's writer would write it whole."""
    info = zipfile.ZipInfo(part.partname.membername, date_time=time.localtime(time.time())[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16  # as ZipFile.writestr gives a file
    with writer._zipf.open(info, "w") as stream:
        for piece in pieces:
            stream.write(piece)


@functools.lru_cache(maxsize=8)
def _stamped(source: str) -> tuple[str, Stamp | None]:
    """The body source with its activity loop written by a Stamp instead of Jinja, when it can be (stamping.py)."""
    return stamped(source, unmark, xml_nodes)


class PlanTemplate(DocxTemplate):
    """A DocxTemplate whose post-processing is linear in the size of the document."""

    def resolve_listing(self, xml: str) -> str:
        return xml

    def patch_xml(self, src_xml: str) -> str:
        """The tag clean-up docxtpl does before rendering; a server renders one template many times."""
        return _patched(src_xml)

    def build_xml(self, context: dict[str, Any], jinja_env: Any = None) -> bytes:
        """Render the body as UTF-8 bytes, streamed chunk by chunk from Jinja.

        Does what docxtpl's render_xml_part does for the body, without holding the
        whole rendered body as one str several times over: a chunk is either static
        template text, where docxtpl's markers (a newline before <w:p, {_{ …) lie
        whole, or a value, which the environment has escaped.
        """
        source = _body_source(self.get_xml())
        self._loop_cells = _loop_cells(source)
        stamped_source, stamp = _stamped(source)
        write = None
        if stamp is not None and stamp.usable(context.get("aktiviteter")):
            source = stamped_source
            write = functools.partial(stamp.write, context["aktiviteter"], jinja_env.budget,
                                      jinja_env.finalize_escaped)
        self.current_rendering_part = self.docx.part
        try:
            template = jinja_env.from_string(source)
            chunks, self._row_groups = collect(template.generate(context), write)
        except TemplateError as exc:
            lineno = template_lineno(exc)
            if lineno is not None:
                first = max(lineno - 4, 0)
                lines = source.splitlines()[first:first + 7]
                exc.docx_context = [_TAGS.sub("", line) for line in lines]  # type: ignore[attr-defined]
            raise
        return chunks

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
        """docxtpl's rendering of a header or footer, with its regexes compiled once.

        Python's own cache of compiled regexes holds 512: the analysis's many word patterns
        pushed docxtpl's out of it, so they were compiled anew for every document.
        """
        src_xml = _PARAGRAPH.sub(r"\n<w:p\1", src_xml)
        try:
            self.current_rendering_part = part
            dst_xml = jinja_env.from_string(src_xml).render(context)
        except TemplateError as exc:
            if getattr(exc, "lineno", None) is not None:
                line_number = max(exc.lineno - 4, 0)  # type: ignore[attr-defined]
                exc.docx_context = [_TAGS.sub("", x)  # type: ignore[attr-defined]
                                    for x in src_xml.splitlines()[line_number:line_number + 7]]
            raise
        dst_xml = _MARKED_PARAGRAPH.sub(r"<w:p\1", dst_xml)
        dst_xml = dst_xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self.resolve_listing(dst_xml)

    def get_headers_footers_encoding(self, xml: str) -> str:
        match = _ENCODING.match(xml)
        return match.group(1) if match else "utf-8"

    def fix_tables(self, xml: bytes) -> Any:
        """Parse the rendered body straight into a new document (see map_tree).

        Only when a table's rows do not match its grid does docxtpl's own column
        repair run, as it always would.
        """
        self._drawings = True  # until the parsed document is known to hold none (fix_docpr_ids)
        groups: list[bytes] = getattr(self, "_row_groups", None) or []
        root = self._parse_document(xml)
        body = root.find(f"{{{_W}}}body")
        for table in body.iter(f"{{{_W}}}tbl"):
            if _fitted_after_rendering(table):
                continue  # its column loops widen it; plan_tables.fit_part_tables sets its grid
            grid = table.find(f"{{{_W}}}tblGrid")
            columns = len(grid) if grid is not None else 0
            if IRREGULAR_ROWS(table, columns=columns):
                whole = xml.replace(SPLICE, b"".join(groups), 1) if groups else xml
                self._drawings = True
                return super().fix_tables(whole.decode("utf-8"))
        self._detach_rows(root, groups)
        return body

    def _detach_rows(self, root: Any, groups: list[bytes]) -> None:
        """Keep the activity rows rendered after the first out of the tree until the file is saved (rows.py).

        They go into the tree after all, at their marker, unless the marker stands in the activity table,
        whose rows all are plain rows of its grid, in a body whose output was all escaped.
        """
        part = self.docx.part
        keep_rows(part, None)
        if not groups:
            return
        marker = next(iter(_SPLICE_MARKER(root)))
        rows = DetachedRows(groups, marker, root.nsmap, oxml_parser)
        grid = rows.table.find(f"{{{_W}}}tblGrid")
        escaped = str(part.partname) in prepared(self.docx).rsids
        if (escaped and grid is not None and rows.table.tag == f"{{{_W}}}tbl" and is_activity_table(rows.table)
                and rows.detachable(len(grid), getattr(self, "_loop_cells", None))):
            keep_rows(part, rows)
            _splice_on_save(part)
            return
        self._drawings = self._drawings or any(b"docPr" in group for group in groups)
        rows.attach()

    def _parse_document(self, body_xml: bytes) -> Any:
        """The template's document element with body_xml as its body, parsed as python-docx would."""
        shell = etree.tostring(self.docx.element, encoding="utf-8")
        match = _BODY.search(shell)
        if match is None:
            raise ValueError("the template's document has no body")
        xml = b"".join((shell[: match.start()], body_xml, shell[match.end():]))
        self._drawings = b"docPr" in xml  # a search of the bytes, many times quicker than one of the tree
        return etree.fromstring(xml, oxml_parser)

    def map_tree(self, tree: Any) -> None:
        """Make the parsed document the document part's element.

        docxtpl replaces the old body with the new one, which moves every node of
        a large body between two lxml documents; here the document parsed with
        the body in place simply becomes the part's element.
        """
        root = tree.getparent()
        document = self.docx
        if root is None or not hasattr(document, "_Document__body"):
            rows = rows_of(document.part)
            if rows is not None:
                rows.attach()
            super().map_tree(tree)
            return
        document.part._element = root
        document._element = root
        document._Document__body = None

    def fix_docpr_ids(self, tree: Any) -> None:
        """docxtpl's renumbering of drawing ids, on python-docx's element classes.

        Skipped when the document's XML, as parsed, has no docPr anywhere (no picture or shape).
        """
        if not getattr(self, "_drawings", True):
            return
        for element in _DOC_PR(tree):
            self.docx_ids_index += 1
            element.attrib["id"] = str(self.docx_ids_index)

    def save(self, filename: Any, *args: Any, **kwargs: Any) -> None:
        """docxtpl's save; rows kept out of the tree are written into the zip after the rest of the body,
        not joined with it into one more copy of the whole body first."""
        rows = rows_of(self.docx.part)
        if not isinstance(filename, (str, os.PathLike)) or args or kwargs:
            super().save(filename, *args, **kwargs)
            return
        self.pre_processing()
        _write_package(filename, self.docx.part, rows)
        self.post_processing(filename)
        self.is_saved = True

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        """docxtpl's rendering of the core properties, in a text environment of their own.

        A property without a brace renders as itself: it is only counted, as the environment
        counts a template's own text, not compiled and run.
        """
        env = make_text_environment(MAX_PROPERTIES_BYTES)
        properties = self.docx.core_properties
        for name in _PROPERTIES:
            initial = getattr(properties, name)
            if "{" in initial or "\r" in initial or initial.endswith("\n"):  # Jinja's own text handling
                rendered = env.from_string(initial).render(context)
            else:
                if initial:
                    env.budget.count_output(len(initial.encode("utf-8")), xml_nodes(initial))
                rendered = initial
            setattr(properties, name, rendered)

    def render_footnotes(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        """docxtpl's rendering of footnotes, skipped at once when the document has none."""
        if any(part.content_type == _FOOTNOTES for part in self.docx.part.package.iter_parts()):
            super().render_footnotes(context, jinja_env)
