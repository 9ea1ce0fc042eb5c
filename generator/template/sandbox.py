"""A Jinja sandbox with budgets: no value, loop, call or output of a template grows without bound."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import WRAPPER_ASSIGNMENTS
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from generator.template.jinja import TransformingEnvironment
from generator.template.sizes import (
    FILTER_CHECKS,
    GROWING_STR_METHODS,
    MAX_INT_BITS,
    MAX_VALUE_BYTES,
    LimitError,
    _check_estimate,
    _check_size,
    _percent_format_estimate,
    _shallow_size,
    _size_of,
    _str_method_estimate,
    too_big,
)

# Loop rounds, range() items, calls and printed expressions together, in one rendering.
MAX_STEPS = 1_000_000
# Everything printed in one rendering (body, headers, captured blocks, macros), in bytes.
MAX_OUTPUT_BYTES = 40_000_000
# New values a rendering makes (strings, lists …), together, in bytes: nothing is subtracted when
# one is dropped, so this bounds what can be held at once.
MAX_CREATED_BYTES = 100_000_000
# XML nodes the template's own text puts in the output (body, headers and footers together):
# one per tag, two per attribute, as lxml holds them. 10 000 activities through the default
# template make about 1.2 million; a parsed document of more would not fit the memory limit.
MAX_XML_NODES = 2_000_000
_REMOVED_GLOBALS = ("lipsum",)
# What getattr() finds on a plain dict, the keys it holds aside.
DICT_ATTRIBUTES = frozenset(dir(dict))


class _Budget(Extension):
    """The per-rendering counters; compiled templates reach them through filters (_budget_filters)."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.steps = 0
        self.output = 0
        self.made = 0
        self.xml_nodes = 0
        self.max_output = MAX_OUTPUT_BYTES

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise LimitError(f"mallen gör för mycket arbete (mer än {MAX_STEPS:,} varv i loopar och anrop)"
                             .replace(",", " "), "for", volume=True)

    @pass_context
    def loop(self, context: Context, iterable: Any) -> Iterable[Any]:
        """A for loop's iterable, each round counted (a range() counts its own)."""
        return iterable if isinstance(iterable, _BudgetedRange) else self._counted(iterable)

    def _counted(self, iterable: Any) -> Iterator[Any]:
        for item in iterable:
            self.steps += 1  # step(), without a call per round
            if self.steps > MAX_STEPS:
                self.step(0)
            yield item

    @pass_context
    def printed(self, context: Context, value: Any) -> Any:
        """An expression as it is printed, its size counted."""
        self.steps += 1  # step(), without a call per expression
        if self.steps > MAX_STEPS:
            self.step(0)
        if type(value) is str:  # the common case, without _size_of's walk (count_output's adding no nodes)
            self.output += len(value)
            if self.output > self.max_output:
                self.count_output(0)
            return value
        size = _size_of(value, MAX_VALUE_BYTES)
        self.count_output(size)
        if size > MAX_VALUE_BYTES and isinstance(value, (list, tuple, dict, set)):
            raise too_big("det som skrivs ut")
        return value

    def count_output(self, size: int, xml_nodes: int = 0) -> str:
        """Count printed bytes and, for the template's own text, the XML nodes it holds."""
        self.output += size
        if self.output > self.max_output:
            raise LimitError(f"dokumentet får för mycket text (mer än {_megabytes(self.max_output)})", volume=True)
        self.xml_nodes += xml_nodes
        if self.xml_nodes > MAX_XML_NODES:
            raise too_many_xml_nodes()
        return ""

    def sized(self, value: Any) -> Any:
        return _check_size(value, "texten som sätts ihop med ~")

    def created(self, value: Any, what: str = "texten som sätts ihop med ~") -> Any:
        """A new value: refused past the value limit, counted against the creation budget."""
        size = _shallow_size(value)
        if size > MAX_VALUE_BYTES:
            raise too_big(what)
        self.made += size
        if self.made > MAX_CREATED_BYTES:
            raise LimitError(f"mallen skapar för mycket text (mer än {MAX_CREATED_BYTES // 1_000_000} MB)")
        return value

    def range(self, *args: int) -> _BudgetedRange:
        numbers = range(*args)
        if len(numbers) > MAX_STEPS:
            raise LimitError(f"range ger för många tal (mer än {MAX_STEPS:,})".replace(",", " "), "range")
        return _BudgetedRange(self, numbers)


def xml_nodes(xml: str | bytes) -> int:
    """The nodes parsed XML text holds, as MAX_XML_NODES counts them."""
    if isinstance(xml, str):
        return xml.count("<") + 2 * xml.count('="')
    return xml.count(b"<") + 2 * xml.count(b'="')


def too_many_xml_nodes() -> LimitError:
    return LimitError(f"dokumentet får för många delar (mer än {MAX_XML_NODES:,} XML-element och attribut)"
                      .replace(",", " "), "for")


def _megabytes(size: int) -> str:
    return f"{size // 1_000_000} MB" if size >= 1_000_000 else f"{size // 1000} kB"


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
    precheck = FILTER_CHECKS.get(name)

    def guarded(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in args if not isinstance(a, Context) and not hasattr(a, "autoescape")]
        if precheck is not None and values:
            precheck(*values, **kwargs)
        return budget.created(function(*args, **kwargs), f"resultatet av filtret {name}")

    # functools.wraps, its look-ups done once per filter: every rendering guards all filters anew
    assigned = _ASSIGNED.get(function)
    if assigned is None:
        assigned = _ASSIGNED[function] = tuple((attribute, getattr(function, attribute))
                                               for attribute in WRAPPER_ASSIGNMENTS if hasattr(function, attribute))
    for attribute, value in assigned:
        setattr(guarded, attribute, value)
    guarded.__dict__.update(getattr(function, "__dict__", {}))
    guarded.__wrapped__ = function  # type: ignore[attr-defined]
    return guarded


_ASSIGNED: dict[Callable[..., Any], tuple[tuple[str, Any], ...]] = {}  # Jinja's built-in filters


class BoundedEnvironment(TransformingEnvironment, ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with every way a template can grow a value, loop or call budgeted.

    A fresh environment is made for each rendering: the budgets count per environment.
    """

    intercepted_binops = frozenset({"*", "+", "%", "**"})

    def __init__(self, max_output: int = MAX_OUTPUT_BYTES, **options: Any) -> None:
        super().__init__(extensions=[_Budget], **options)
        self.budget: _Budget = self.extensions[_Budget.identifier]  # type: ignore[assignment]
        self.budget.max_output = max_output
        for name in _REMOVED_GLOBALS:
            self.globals.pop(name, None)
        self.globals["range"] = self.budget.range
        self.filters = {name: _guard_filter(self.budget, name, f) for name, f in self.filters.items()}
        self.filters.update(_budget_filters(self.budget))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """rad.tid on a plain dict without the AttributeError Jinja's sandbox goes by (the same result)."""
        if obj.__class__ is dict and attribute not in DICT_ATTRIBUTES and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            times, sequence = (left, right) if isinstance(left, int) else (right, left)
            if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
                _check_estimate(_shallow_size(sequence) * max(times, 0), "resultatet av *")
            elif isinstance(left, int) and isinstance(right, int) \
                    and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise LimitError("talet blir för stort", operator)
        elif operator == "+":
            if not (isinstance(left, (int, float)) and isinstance(right, (int, float))):
                _check_estimate(_shallow_size(left) + _shallow_size(right), "resultatet av +")
        elif operator == "%":
            if isinstance(left, str):
                _check_estimate(_percent_format_estimate(left, right), "resultatet av %")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 \
                and left.bit_length() * right > MAX_INT_BITS:
            raise LimitError("talet blir för stort", operator)
        return self.budget.created(super().call_binop(context, operator, left, right), f"resultatet av {operator}")

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Count the call; refuse string methods whose result would pass the value limit."""
        __self.budget.step()
        method = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if isinstance(owner, str) and name in GROWING_STR_METHODS:
            if name == "join":
                args = (list(args[0]),) if args else args
                _check_estimate(_size_of(args) + len(owner) * len(args[0] if args else ()), "resultatet av join")
            else:
                _check_estimate(_str_method_estimate(owner, name, args, kwargs), f"resultatet av {name}")
        return __self.budget.created(super().call(__context, __obj, *args, **kwargs), "resultatet av anropet")

    def transform(self, source: nodes.Template) -> nodes.Template:
        """Compile with every loop, printed expression and ~ going through the budget."""
        transformed: nodes.Template = _AddBudgetCalls(apart=source.find(nodes.Extends) is None).visit(source)
        return transformed


_BUDGET_FILTER = "aktivitetsplan {}"  # a name no template can write: it holds a space
_BUDGET_METHODS = ("count_output", "sized", "created")


def _budget_filters(budget: _Budget) -> dict[str, Callable[..., Any]]:
    """The budget's methods as filters: compiled code calls filters directly, not through call().

    pass_context keeps Jinja from running them once at compile time on constants.
    """
    def as_filter(method: Callable[..., Any]) -> Callable[..., Any]:
        return pass_context(lambda context, *args: method(*args))

    filters = {_BUDGET_FILTER.format(name): as_filter(getattr(budget, name)) for name in _BUDGET_METHODS}
    # The most frequent ones take the context themselves (pass_context): a call less each time.
    filters.update({_BUDGET_FILTER.format(name): getattr(budget, name) for name in ("loop", "printed")})
    return filters


class _AddBudgetCalls(NodeTransformer):
    """Route every loop, printed expression and ~ of a parsed template through the budget.

    apart: count the template's own text in a statement of its own right after its output,
    at the same moment, rather than as an extra empty printed value (a chunk less to pass on).
    Not under {% extends %}, where Jinja leaves out output outside blocks but not statements.
    """

    def __init__(self, apart: bool = False) -> None:
        self.apart = apart

    def call(self, method: str, argument: nodes.Expr, *args: nodes.Expr) -> nodes.Filter:
        return nodes.Filter(argument, _BUDGET_FILTER.format(method), list(args), [], None, None,
                            lineno=argument.lineno)

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = self.call("loop", node.iter)  # type: ignore[arg-type]  # always an expression
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [self.call("sized", part) for part in node.nodes]
        return self.call("created", node)

    def visit_Output(self, node: nodes.Output) -> nodes.Node | list[nodes.Node]:
        self.generic_visit(node)
        static = "".join(n.data for n in node.nodes if isinstance(n, nodes.TemplateData))
        printed: list[nodes.Expr] = [n if isinstance(n, nodes.TemplateData) else self.call("printed", n)
                                     for n in node.nodes]
        node.nodes = printed
        if not static:
            return node
        count = self.call("count_output", nodes.Const(len(static.encode("utf-8")), lineno=node.lineno),
                          nodes.Const(xml_nodes(static)))
        if self.apart:
            return [node, nodes.ExprStmt(count, lineno=node.lineno)]
        printed.append(count)
        return node
