"""The Jinja environment templates render in (sandbox, autoescape, strict) and template checks."""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from generator.errors import TemplateError
from generator.model import Finding

# The variables a template receives; README.md documents each one.
TOP_LEVEL = frozenset({
    "kommun", "titel", "datum", "datum_iso", "projekt", "slogan", "logotyp", "avsnitt",
    "aktiviteter", "antal_aktiviteter", "antal_klara", "sammanfattning", "extra_kolumner",
    "plan_ovrigt", "genererad",
})
RECORD_KEYS = {
    "avsnitt": frozenset({"rubrik", "text", "stycken"}),
    "stycken": frozenset({"text", "punkt"}),
    "aktiviteter": frozenset({
        "aktivitet", "syfte", "tid", "kanal", "ansvarig", "klar", "klar_text", "ovrigt", "rad",
    }),
}
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'


def _finalize(value: Any) -> Any:
    """Escape output for XML inside <w:t>: line breaks and tabs as Word's own elements,
    braces as character references so docxtpl's {_{ post-processing cannot touch them."""
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return value
    if value is None:
        return ""
    text = str(escape(value))
    if "{" in text or "}" in text:
        text = text.replace("{", "&#123;").replace("}", "&#125;")
    if "\n" in text:
        text = text.replace("\n", _LINE_BREAK)
    if "\t" in text:
        text = text.replace("\t", _TAB)
    return Markup(text)


class _CompilingOnce(SandboxedEnvironment):
    """from_string compiles each source once: the same template renders many times in one process.

    Keyed by the whole source (never by a file name), so a changed template is a new entry;
    the oldest entries go first past MAX_COMPILED.
    """

    MAX_COMPILED = 64

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: OrderedDict[str, Any] = OrderedDict()
        self._compiled_lock = threading.Lock()

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._compiled_lock:
            template = self._compiled.get(source)
            if template is not None:
                self._compiled.move_to_end(source)
                return template
        template = super().from_string(source)
        with self._compiled_lock:
            self._compiled[source] = template
            while len(self._compiled) > self.MAX_COMPILED:
                self._compiled.popitem(last=False)
        return template


@functools.cache
def make_environment() -> SandboxedEnvironment:
    """The sandboxed environment for document XML: autoescape on, unknown names are errors."""
    return _CompilingOnce(autoescape=True, undefined=StrictUndefined, finalize=_finalize, auto_reload=False)


@functools.cache
def make_text_environment() -> SandboxedEnvironment:
    """The sandboxed environment for plain text, such as the document properties."""
    return _CompilingOnce(autoescape=False, undefined=StrictUndefined, auto_reload=False)


def template_error(
    template: Path | str, exc: Exception, lines: list[str] | None = None, source: str = ""
) -> TemplateError:
    """A Swedish TemplateError naming the template and, where it can be found, the tag.

    lines are the template lines around the error (docxtpl's docx_context), source
    the whole template text, searched for the name the error is about.
    """
    detail = str(getattr(exc, "message", None) or exc)
    tag = _find_tag(lines or [], exc, detail) or _tag_naming(source, detail)
    where = f" i taggen {tag}" if tag else ""
    if isinstance(exc, SecurityError):
        message = f"mallen försöker nå något som inte är tillåtet{where} ({detail})"
    elif isinstance(exc, UndefinedError):
        message = f"mallen använder {_undefined(detail)}{where}"
    elif isinstance(exc, TemplateSyntaxError):
        message = f"syntaxfel i mallen{where}: {detail}"
    else:
        message = f"mallen kunde inte fyllas i{where}: {detail}"
    return TemplateError(template, message)


def _undefined(detail: str) -> str:
    match = re.search(r"'([^']+)' is undefined", detail)
    if match:
        return f'en okänd variabel "{match.group(1)}"'
    match = re.search(r"has no attribute '([^']+)'", detail)
    if match:
        return f'ett okänt fält "{match.group(1)}"'
    return f"något som inte finns ({detail})"


def _names(detail: str) -> list[str]:
    """The quoted names in a Jinja message, the object types ("dict object") left out."""
    return [n for n in re.findall(r"'([^']+)'", detail) if not n.endswith(" object") and n != "function"]


def _find_tag(lines: list[str], exc: Exception, detail: str) -> str:
    lineno = getattr(exc, "lineno", None)
    if not lines or not lineno:
        return ""
    index = min(3, lineno - 1) if lineno >= 1 else 0
    line = lines[index] if index < len(lines) else ""
    names = _names(detail)
    tags = _TAG.findall(line)
    for tag in tags:
        if not names or any(name in tag for name in names):
            return _shorten(tag)
    return _shorten(line.strip()) if line.strip() else ""


def _tag_naming(source: str, detail: str) -> str:
    names = _names(detail)
    if not source or not names:
        return ""
    for tag in _TAG.findall(source):
        if any(name in tag for name in names):
            return _shorten(re.sub(r"<[^>]+>", "", tag))
    return ""


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_template_source(template: Path | str, source: str) -> list[Finding]:
    """Findings for a template's Jinja source (docxtpl-patched XML) without rendering it."""
    env = make_environment()
    try:
        ast = env.parse(source)
    except TemplateSyntaxError as exc:
        lines = source.splitlines()
        near = [re.sub(r"<[^>]+>", "", line) for line in lines[max((exc.lineno or 1) - 1, 0):][:1]]
        err = template_error(template, exc, near)
        return [Finding(err.place, err.message)]
    findings: list[Finding] = []

    def report(message: str) -> None:
        findings.append(Finding(str(template), message))

    from jinja2 import meta

    for name in sorted(meta.find_undeclared_variables(ast) - TOP_LEVEL):
        report(f'mallen använder en okänd variabel "{name}" {_tag_for(source, name)}')
    for statement in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        assert isinstance(statement, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))
        name = _const(statement.template) or "?"
        report(f'mallen försöker läsa en annan fil ("{name}"), vilket inte är tillåtet {_tag_for(source, name)}')
    loops: dict[str, str] = {}
    for loop in ast.find_all(nodes.For):
        kind = _record_kind(loop.iter, loops)
        if kind and isinstance(loop.target, nodes.Name):
            loops[loop.target.name] = kind
    for access in ast.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(access, (nodes.Getattr, nodes.Getitem))
        node = access
        attr = node.attr if isinstance(node, nodes.Getattr) else _const(node.arg)
        if attr is None:
            continue
        if attr.startswith("_"):
            report(f'mallen försöker nå något som inte är tillåtet ("{attr}") {_tag_for(source, attr)}')
            continue
        if isinstance(node.node, nodes.Name) and node.node.name in loops:
            kind = loops[node.node.name]
            if attr not in RECORD_KEYS[kind]:
                report(f'mallen använder ett okänt fält "{attr}" {_tag_for(source, attr)}')
    return findings


def _record_kind(node: nodes.Node, loops: dict[str, str]) -> str | None:
    if isinstance(node, nodes.Name) and node.name in ("avsnitt", "aktiviteter"):
        return node.name
    if (isinstance(node, nodes.Getattr) and node.attr == "stycken"
            and isinstance(node.node, nodes.Name) and loops.get(node.node.name) == "avsnitt"):
        return "stycken"
    return None


def _const(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None


def _tag_for(source: str, name: str) -> str:
    for tag in _TAG.findall(source):
        if name in tag:
            return "i taggen " + _shorten(re.sub(r"<[^>]+>", "", tag))
    return "i mallen"
