"""The Jinja environment templates render in (sandbox, autoescape, strict) and template checks."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, meta, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from generator.plan.errors import TemplateError
from generator.plan.model import Finding
from generator.plan.schema import record_keys, top_level
from generator.template.codecache import cached_code, store_code
from generator.template.context_plan import TEMPLATE_NAMES, TEMPLATE_RECORDS
from generator.template.escaping import finalize_escaped, finalize_text
from generator.template.jinja import CodeGenerator
from generator.template.sandbox import MAX_OUTPUT_BYTES, MAX_STEPS, BoundedEnvironment
from generator.template.sizes import MAX_INT_BITS, MAX_VALUE_BYTES, LimitError
from generator.template.syntax import WrittenTag, _explain_syntax_error, _swedish_detail, _unreadable
from generator.versions.changes import TEMPLATE_VARIABLES as CHANGE_VARIABLES

# The variables a template receives and the keys of each list's records: derived from the sheets'
# description (generator/plan/schema.py) and the plan's computed parts (context_plan.py, changes.py);
# docs/dokumentet-och-mallar.md documents each one.
TOP_LEVEL = top_level() | TEMPLATE_NAMES | CHANGE_VARIABLES
RECORD_KEYS = {kind: keys | TEMPLATE_RECORDS.get(kind, frozenset()) for kind, keys in record_keys().items()}
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
WrittenTags = Callable[[], Sequence[WrittenTag]]  # the template's tags as written, worked out when needed


_COMPILED: OrderedDict[tuple[bool, bool, str], Any] = OrderedDict()
_COMPILED_LOCK = threading.Lock()
MAX_COMPILED = 64


class _CompilingOnce(BoundedEnvironment):
    """A bounded sandbox whose from_string compiles each source once per process.

    The environment itself is made anew for every rendering, because its budgets
    (sandbox.py) count per environment; only the compiled code is shared, keyed by the
    whole source (never by a file name) and the environment's kind. The oldest entries
    go first past MAX_COMPILED. Between processes the code is kept on disk (codecache.py).
    """

    code_generator_class = CodeGenerator
    finalize_escaped = staticmethod(finalize_escaped)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        key = (bool(self.autoescape), self.finalize is not None, source)
        with _COMPILED_LOCK:
            code = _COMPILED.get(key)
            if code is not None:
                _COMPILED.move_to_end(key)
        if code is None:
            kind = f"{type(self).__qualname__} autoescape={key[0]} finalize={key[1]}"
            code = cached_code(kind, source)
            if code is None:
                code = self.compile(source)
                store_code(kind, source, code)
            with _COMPILED_LOCK:
                _COMPILED[key] = code
                while len(_COMPILED) > MAX_COMPILED:
                    _COMPILED.popitem(last=False)
        return self.template_class.from_code(self, code, self.make_globals(None), None)


def make_environment() -> SandboxedEnvironment:
    """A bounded sandbox for document XML: autoescape on, unknown names are errors.

    Make one per rendering: its budgets (sandbox.py) count per environment.
    """
    return _CompilingOnce(autoescape=True, undefined=StrictUndefined, finalize=finalize_text, auto_reload=False)


def make_text_environment(max_output: int = MAX_OUTPUT_BYTES) -> BoundedEnvironment:
    """A bounded sandbox for plain text, such as the document properties, printing at most max_output bytes."""
    return _CompilingOnce(max_output, autoescape=False, undefined=StrictUndefined, auto_reload=False)


def template_error(
    template: Path | str, exc: Exception, lines: list[str] | None = None, source: str = "",
    tags: WrittenTags | None = None,
) -> TemplateError:
    """A Swedish TemplateError naming the template and, where it can be found, the tag.

    lines are the template lines around the error (docxtpl's docx_context), source
    the whole template text, searched for the name the error is about; tags gives the
    template's tags as written, for a syntax error to name its cause (syntax.py).
    """
    detail = str(getattr(exc, "message", None) or exc)
    tag = _find_tag(lines or [], exc, detail) or _tag_naming(source, detail)
    where = f" i taggen {tag}" if tag else ""
    if isinstance(exc, LimitError) and exc.volume:
        message = f"{detail}{where}"
    elif isinstance(exc, LimitError):
        message = f"mallen stoppades{where}: {detail}"
    elif isinstance(exc, SecurityError):
        message = f"mallen försöker nå något som inte är tillåtet{where} ({detail})"
    elif isinstance(exc, UndefinedError):
        message = f"mallen använder {_undefined(detail)}{where}"
    elif isinstance(exc, TemplateSyntaxError):
        explained = _explain_syntax_error(exc, tags(), make_environment()) if tags is not None else None
        message = (f"syntaxfel i mallen: {explained}" if explained
                   else f"syntaxfel i mallen{where}: {_swedish_detail(detail)}")
    else:
        message = f"mallen kunde inte fyllas i{where}: {detail}"
    return TemplateError(template, message)


def template_lineno(exc: BaseException) -> int | None:
    """The template line an error was raised on: Jinja's own for syntax errors, else from the traceback.

    Jinja rewrites the traceback of a rendering error so that its frames point at the
    template's lines (file name "<template>" for a template made from a string).
    """
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    found = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


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
    lineno = template_lineno(exc)
    if not lines or not lineno:
        return ""
    index = min(3, lineno - 1) if lineno >= 1 else 0
    line = lines[index] if index < len(lines) else ""
    names = _names(detail) or [name for name in [getattr(exc, "hint", "")] if name]
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


def check_template_source(template: Path | str, source: str, tags: WrittenTags | None = None) -> list[Finding]:
    """Findings for a template's Jinja source (docxtpl-patched XML) without rendering it.

    tags: the template's tags as written, for a syntax error to name its cause (template_error).
    """
    env = make_environment()
    try:
        ast = env.parse(source)
    except TemplateSyntaxError as exc:
        lines = source.splitlines()
        near = [re.sub(r"<[^>]+>", "", line) for line in lines[max((exc.lineno or 1) - 1, 0):][:1]]
        err = template_error(template, exc, near, tags=tags)
        return [Finding(err.place, err.message)]
    unreadable = _unreadable(tags(), env) if tags is not None else None
    if unreadable:  # docxtpl swallowed a broken tag and what follows it: Jinja saw no error
        return [Finding(str(template), f"syntaxfel i mallen: {unreadable}")]
    findings: list[Finding] = []

    def report(message: str) -> None:
        findings.append(Finding(str(template), message))

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
    for message, needle in _limit_problems(ast):
        report(f"{message} {_tag_for(source, needle)}")
    return findings


def _limit_problems(ast: nodes.Template) -> list[tuple[str, str]]:
    """What rendering would refuse that can be seen without rendering: (message, text of the tag)."""
    problems: list[tuple[str, str]] = []
    too_big = f"blir för stort (mer än {MAX_VALUE_BYTES // 1_000_000} miljoner tecken)"
    for node in ast.find_all(nodes.Mul):
        assert isinstance(node, nodes.Mul)
        size = _const_size(node)
        if size is not None and size > MAX_VALUE_BYTES:
            problems.append((f"mallen stoppas: resultatet av * {too_big}", _number_in(node)))
    for power_node in ast.find_all(nodes.Pow):
        assert isinstance(power_node, nodes.Pow)
        base, power = _const_int(power_node.left), _const_int(power_node.right)
        if base is not None and power is not None and power > 0 and base.bit_length() * power > MAX_INT_BITS:
            problems.append(("mallen stoppas: talet blir för stort", str(power)))
    for filter_node in ast.find_all(nodes.Filter):
        assert isinstance(filter_node, nodes.Filter)
        name = filter_node.name
        widths = [_const_int(arg) for arg in filter_node.args[:1]] + [_const_int(kw.value) for kw in filter_node.kwargs]
        if name in _WIDTH_FILTERS and any(w is not None and w > MAX_VALUE_BYTES for w in widths):
            problems.append((f"mallen stoppas: resultatet av filtret {name} {too_big}", name))
    for call in ast.find_all(nodes.Call):
        length = _range_length(call)
        if length is not None and length > MAX_STEPS:
            problems.append((f"mallen stoppas: range ger för många tal (mer än {_number(MAX_STEPS)})",
                             _number_in(call)))
    printed = 0
    for inner, rounds in _with_rounds(ast, 1):
        if isinstance(inner, nodes.For) and rounds > MAX_STEPS:
            problems.append((f"mallen stoppas: looparna i varandra går {_number(rounds)} varv, högst "
                             f"{_number(MAX_STEPS)}", "range"))
            break
        if isinstance(inner, nodes.Output):
            printed += rounds * sum(len(n.data) if isinstance(n, nodes.TemplateData) else _const_size(n) or 0
                                    for n in inner.nodes)
            if printed > MAX_OUTPUT_BYTES:
                problems.append((f"dokumentet får för mycket text (mer än {MAX_OUTPUT_BYTES // 1_000_000} MB)",
                                 _number_in(inner) if rounds == 1 else "range"))
                break
    return problems


_WIDTH_FILTERS = frozenset({"center", "indent", "batch", "slice"})


def _const_int(node: nodes.Node) -> int | None:
    if isinstance(node, nodes.Const) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, nodes.Mul):
        left, right = _const_int(node.left), _const_int(node.right)
        if left is not None and right is not None and left.bit_length() + right.bit_length() < 256:
            return left * right
    return None


def _const_size(node: nodes.Node) -> int | None:
    """The length of a string or list made of constants and * in the template text, if it is one."""
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return len(node.value)
    if isinstance(node, (nodes.List, nodes.Tuple)):
        return 8 * len(node.items)
    if isinstance(node, nodes.Mul):
        for seq, times in ((node.left, node.right), (node.right, node.left)):
            size, count = _const_size(seq), _const_int(times)
            if size is not None and count is not None:
                return size * max(count, 0)
    return None


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _number_in(node: nodes.Node) -> str:
    numbers = [str(n.value) for n in node.find_all(nodes.Const) if isinstance(n.value, int)]
    return numbers[0] if numbers else "*"


def _with_rounds(node: nodes.Node, outer: int) -> Iterator[tuple[nodes.Node, int]]:
    """Every node with the rounds it runs: the product of the constant range() loops around it."""
    for child in node.iter_child_nodes():
        rounds = outer
        if isinstance(child, nodes.For):
            length = _range_length(child.iter)
            if length is not None:
                rounds = outer * max(length, 1)
        yield child, rounds
        yield from _with_rounds(child, rounds)


def _range_length(node: nodes.Node) -> int | None:
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "range":
        bounds = [_const_int(arg) for arg in node.args]
        if bounds and not node.kwargs and all(b is not None for b in bounds):
            try:
                return len(range(*[b for b in bounds if b is not None]))
            except (ValueError, OverflowError):
                return None
    return None


def _record_kind(node: nodes.Node, loops: dict[str, str]) -> str | None:
    if isinstance(node, nodes.Name) and node.name in RECORD_KEYS and node.name != "stycken":
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
