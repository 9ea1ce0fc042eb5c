"""A Jinja sandbox with budgets: no value, loop, call or output of a template grows without bound."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.exceptions import TemplateRuntimeError
from jinja2.ext import Extension
from jinja2.runtime import Context, Namespace
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

# One value (a string, a list …), in bytes as estimated by size_of.
MAX_VALUE_BYTES = 10_000_000
# Loop rounds, range() items, calls and printed expressions together, in one rendering.
MAX_STEPS = 1_000_000
# Everything printed in one rendering (body, headers, captured blocks, macros), in bytes.
MAX_OUTPUT_BYTES = 60_000_000
# New values a rendering makes (strings, lists …), together, in bytes: nothing is subtracted when
# one is dropped, so this bounds what can be held at once.
MAX_CREATED_BYTES = 100_000_000
# Whole numbers: 100 000 bits is about 30 000 digits.
MAX_INT_BITS = 100_000
_MAX_SIZED_NODES = 2_000_000
_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
_BRACE_SPEC = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
_GROWING_STR_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join",
                                  "translate", "format", "format_map"})
_REMOVED_GLOBALS = ("lipsum",)


class LimitError(TemplateRuntimeError):
    """A template went past one of the budgets; the message is Swedish and says which."""


def size_of(value: Any, limit: int = MAX_VALUE_BYTES) -> int:
    """About how many bytes value takes printed or held; counting stops once past limit."""
    total = 0
    stack = [value]
    visited = 0
    while stack:
        item = stack.pop()
        visited += 1
        if isinstance(item, (str, bytes, bytearray)):
            total += len(item)
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, float):
            total += 24
        elif isinstance(item, dict):
            total += 2 + 16 * len(item)
            if total <= limit:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 8 * len(item)
            if total <= limit:
                stack.extend(item)
        elif isinstance(item, Namespace):
            stack.append(dict(item._Namespace__attrs))
        else:
            total += 100
        if total > limit or visited > _MAX_SIZED_NODES:
            return max(total, limit + 1)
    return total


def shallow_size(value: Any) -> int:
    """Bytes a new value takes itself: a string's characters, a container's references, not what they hold."""
    if isinstance(value, (str, bytes, bytearray)):
        return len(value)
    if isinstance(value, dict):
        return 16 * len(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return 8 * len(value)
    return 0


def _too_big(what: str) -> LimitError:
    return LimitError(f"{what} blir för stort (mer än {MAX_VALUE_BYTES // 1_000_000} miljoner tecken)")


def _check_size(value: Any, what: str = "värdet") -> Any:
    if size_of(value) > MAX_VALUE_BYTES:
        raise _too_big(what)
    return value


def _check_estimate(estimate: int, what: str) -> None:
    if estimate > MAX_VALUE_BYTES:
        raise _too_big(what)


def _int_arg(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _percent_format_estimate(text: str, args: Any) -> int:
    """Bytes "text % args" may take: the text, the arguments and every width or precision."""
    values = list(args.values()) if isinstance(args, dict) else list(args) if isinstance(args, tuple) else [args]
    estimate = len(text) + size_of(values)
    for width, precision in _FORMAT_SPEC.findall(text):
        for number in (width, precision):
            if number == "*":
                estimate += max((_int_arg(v) for v in values), default=0)
            elif number:
                estimate += int(number)
    return estimate


def _brace_format_estimate(text: str, args: Iterable[Any]) -> int:
    """Bytes "text".format(args) may take: the text, the arguments and every number in a field."""
    values = list(args)
    estimate = len(text) + size_of(values)
    for field in _BRACE_SPEC.findall(text):
        spec = field.partition(":")[2]
        estimate += sum(int(n) for n in re.findall(r"\d+", spec))
        if "{" in spec:
            estimate += max((_int_arg(v) for v in values), default=0)
    return estimate


def _str_method_estimate(text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    if name in ("center", "ljust", "rjust", "zfill"):
        return max(len(text), _int_arg(args[0]) if args else 0)
    if name == "expandtabs":
        size = _int_arg(args[0] if args else kwargs.get("tabsize", 8))
        return len(text) + text.count("\t") * size
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        return _replace_estimate(text, args[0], args[1])
    if name == "translate" and args and isinstance(args[0], dict):
        longest = max((size_of(v) for v in args[0].values()), default=1)
        return len(text) * max(longest, 1)
    if name == "format":
        return _brace_format_estimate(text, [*args, *kwargs.values()])
    if name == "format_map" and args and isinstance(args[0], dict):
        return _brace_format_estimate(text, args[0].values())
    return 0


def _replace_estimate(text: str, old: str, new: str) -> int:
    hits = text.count(old) if old else len(text) + 1
    return len(text) + hits * len(new)


class _Budget(Extension):
    """The per-rendering counters; compiled templates reach them through ExtensionAttribute."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.steps = 0
        self.output = 0
        self.made = 0

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise LimitError(f"mallen gör för mycket arbete (mer än {MAX_STEPS:,} varv i loopar och anrop)"
                             .replace(",", " "))

    def loop(self, iterable: Any) -> Iterator[Any]:
        """A for loop's iterable, each round counted."""
        if isinstance(iterable, _BudgetedRange):
            yield from iterable
            return
        for item in iterable:
            self.step()
            yield item

    def printed(self, value: Any) -> Any:
        """An expression as it is printed, its size counted."""
        self.step()
        self.count_output(size_of(value, MAX_VALUE_BYTES))
        if isinstance(value, (list, tuple, dict, set)) and size_of(value) > MAX_VALUE_BYTES:
            raise _too_big("det som skrivs ut")
        return value

    def count_output(self, size: int) -> str:
        self.output += size
        if self.output > MAX_OUTPUT_BYTES:
            raise LimitError(f"mallen skriver ut för mycket (mer än {MAX_OUTPUT_BYTES // 1_000_000} MB)")
        return ""

    def sized(self, value: Any) -> Any:
        return _check_size(value, "texten som sätts ihop med ~")

    def created(self, value: Any, what: str = "texten som sätts ihop med ~") -> Any:
        """A new value: refused past the value limit, counted against the creation budget."""
        size = shallow_size(value)
        if size > MAX_VALUE_BYTES:
            raise _too_big(what)
        self.made += size
        if self.made > MAX_CREATED_BYTES:
            raise LimitError(f"mallen skapar för mycket text (mer än {MAX_CREATED_BYTES // 1_000_000} MB)")
        return value

    def range(self, *args: int) -> _BudgetedRange:
        numbers = range(*args)
        if len(numbers) > MAX_STEPS:
            raise LimitError(f"range ger för många tal (mer än {MAX_STEPS:,})".replace(",", " "))
        return _BudgetedRange(self, numbers)


class _BudgetedRange:
    """range() whose items are counted as steps however they are consumed."""

    def __init__(self, budget: _Budget, numbers: range) -> None:
        self.budget = budget
        self.numbers = numbers

    def __iter__(self) -> Iterator[int]:
        for number in self.numbers:
            self.budget.step()
            yield number

    def __len__(self) -> int:
        return len(self.numbers)

    def __repr__(self) -> str:
        return repr(self.numbers)


def _guard_filter(budget: _Budget, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter that refuses, before working, what would grow past the value limit."""
    precheck = _FILTER_CHECKS.get(name)

    @wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in args if not isinstance(a, Context) and not hasattr(a, "autoescape")]
        if precheck is not None and values:
            precheck(*values, **kwargs)
        return budget.created(function(*args, **kwargs), f"resultatet av filtret {name}")

    return guarded


def _center(value: Any, width: Any = 80) -> None:
    _check_estimate(max(size_of(value), _int_arg(width)), "resultatet av filtret center")


def _indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> None:
    text = str(value) if isinstance(value, str) else ""
    step = _int_arg(width) if not isinstance(width, str) else len(width)
    _check_estimate(size_of(value) + (text.count("\n") + 1) * step, "resultatet av filtret indent")


def _wordwrap(value: Any, width: Any = 79, break_long_words: Any = True, wrapstring: Any = None,
              *args: Any, **kwargs: Any) -> None:
    wrap = kwargs.get("wrapstring", wrapstring)
    size = size_of(value)
    lines = size // max(_int_arg(width), 1) + (value.count("\n") if isinstance(value, str) else 0) + 1
    _check_estimate(size + lines * len(wrap if isinstance(wrap, str) else "\n"), "resultatet av filtret wordwrap")


def _format(value: Any, *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str):
        _check_estimate(_percent_format_estimate(value, kwargs or args), "resultatet av filtret format")


def _join(value: Any, separator: Any = "", *args: Any, **kwargs: Any) -> None:
    separator = kwargs.get("d", separator)
    items = list(value) if isinstance(value, (list, tuple, set, dict)) else []
    _check_estimate(size_of(items) + size_of(separator) * len(items), "resultatet av filtret join")


def _replace(value: Any, old: Any = "", new: Any = "", *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
        _check_estimate(_replace_estimate(value, old, new), "resultatet av filtret replace")


def _batch(value: Any, count: Any = 1, *args: Any, **kwargs: Any) -> None:
    count = kwargs.get("linecount", kwargs.get("slices", count))
    _check_estimate(size_of(value) + 8 * _int_arg(count), "resultatet av filtret batch")


def _sum(value: Any, attribute: Any = None, start: Any = 0, **kwargs: Any) -> None:
    start = kwargs.get("start", start)
    if not isinstance(start, (int, float)):
        raise LimitError("filtret sum kan bara lägga ihop tal")


def _input(name: str) -> Callable[..., None]:
    def check(value: Any, *args: Any, **kwargs: Any) -> None:
        _check_estimate(size_of(value), f"resultatet av filtret {name}")
    return check


_FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _center, "indent": _indent, "wordwrap": _wordwrap, "format": _format, "join": _join,
    "replace": _replace, "batch": _batch, "slice": _batch, "sum": _sum,
    **{name: _input(name) for name in ("string", "e", "escape", "forceescape", "tojson", "pprint", "urlize",
                                       "xmlattr", "urlencode", "striptags", "title", "upper", "lower",
                                       "capitalize", "truncate", "trim")},
}


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with every way a template can grow a value, loop or call budgeted.

    A fresh environment is made for each rendering: the budgets count per environment.
    """

    intercepted_binops = frozenset({"*", "+", "%", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(extensions=[_Budget], **options)
        self.budget: _Budget = self.extensions[_Budget.identifier]  # type: ignore[assignment]
        for name in _REMOVED_GLOBALS:
            self.globals.pop(name, None)
        self.globals["range"] = self.budget.range
        self.filters = {name: _guard_filter(self.budget, name, f) for name, f in self.filters.items()}
        self.filters.update(_budget_filters(self.budget))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            times, sequence = (left, right) if isinstance(left, int) else (right, left)
            if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
                _check_estimate(shallow_size(sequence) * max(times, 0), "resultatet av *")
            elif isinstance(left, int) and isinstance(right, int) \
                    and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise LimitError("talet blir för stort")
        elif operator == "+":
            if not (isinstance(left, (int, float)) and isinstance(right, (int, float))):
                _check_estimate(shallow_size(left) + shallow_size(right), "resultatet av +")
        elif operator == "%":
            if isinstance(left, str):
                _check_estimate(_percent_format_estimate(left, right), "resultatet av %")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 \
                and left.bit_length() * right > MAX_INT_BITS:
            raise LimitError("talet blir för stort")
        return self.budget.created(super().call_binop(context, operator, left, right), f"resultatet av {operator}")

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Count the call; refuse string methods whose result would pass the value limit."""
        __self.budget.step()
        method = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if isinstance(owner, str) and name in _GROWING_STR_METHODS:
            if name == "join":
                args = (list(args[0]),) if args else args
                _check_estimate(size_of(args) + len(owner) * len(args[0] if args else ()), "resultatet av join")
            else:
                _check_estimate(_str_method_estimate(owner, name, args, kwargs), f"resultatet av {name}")
        return __self.budget.created(super().call(__context, __obj, *args, **kwargs), "resultatet av anropet")

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None,
                  defer_init: bool = False) -> str:
        """Compile with every loop, printed expression and ~ going through the budget."""
        source = _AddBudgetCalls().visit(source)
        return super()._generate(source, name, filename, defer_init)


_BUDGET_FILTER = "aktivitetsplan {}"  # a name no template can write: it holds a space
_BUDGET_METHODS = ("loop", "printed", "count_output", "sized", "created")


def _budget_filters(budget: _Budget) -> dict[str, Callable[..., Any]]:
    """The budget's methods as filters: compiled code calls filters directly, not through call().

    pass_context keeps Jinja from running them once at compile time on constants.
    """
    def as_filter(method: Callable[..., Any]) -> Callable[..., Any]:
        return pass_context(lambda context, *args: method(*args))

    return {_BUDGET_FILTER.format(name): as_filter(getattr(budget, name)) for name in _BUDGET_METHODS}


class _AddBudgetCalls(NodeTransformer):
    """Route every loop, printed expression and ~ of a parsed template through the budget."""

    def call(self, method: str, argument: nodes.Expr) -> nodes.Filter:
        return nodes.Filter(argument, _BUDGET_FILTER.format(method), [], [], None, None, lineno=argument.lineno)

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = self.call("loop", node.iter)  # type: ignore[arg-type]  # always an expression
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [self.call("sized", part) for part in node.nodes]
        return self.call("created", node)

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        static = sum(len(n.data.encode("utf-8")) for n in node.nodes if isinstance(n, nodes.TemplateData))
        printed: list[nodes.Expr] = [n if isinstance(n, nodes.TemplateData) else self.call("printed", n)
                                     for n in node.nodes]
        if static:
            printed.append(self.call("count_output", nodes.Const(static, lineno=node.lineno)))
        node.nodes = printed
        return node
