"""How big a value a template makes is, estimated before it is made, and the limits for one value."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from jinja2.exceptions import TemplateRuntimeError
from jinja2.runtime import Namespace

from generator.template.jinja import _namespace_items

# One value (a string, a list …), in bytes as estimated by _size_of.
MAX_VALUE_BYTES = 10_000_000
# Whole numbers: 100 000 bits is about 30 000 digits.
MAX_INT_BITS = 100_000
_MAX_SIZED_NODES = 2_000_000
_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
_BRACE_SPEC = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
GROWING_STR_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join",
                                 "translate", "format", "format_map", "split", "rsplit", "splitlines"})


class LimitError(TemplateRuntimeError):
    """A template went past one of the budgets; the message is Swedish and says which.

    hint is text the offending tag holds (an operator, a filter's name), to find it by;
    volume says that the limit is on the document's size rather than on what a tag makes.
    """

    def __init__(self, message: str, hint: str = "", volume: bool = False) -> None:
        super().__init__(message)
        self.hint = hint
        self.volume = volume  # the document's size: the plan's content may be the cause as well


def _size_of(value: Any, limit: int = MAX_VALUE_BYTES) -> int:
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
            stack.append(_namespace_items(item))
        else:
            total += 100
        if total > limit or visited > _MAX_SIZED_NODES:
            return max(total, limit + 1)
    return total


def _shallow_size(value: Any) -> int:
    """Bytes a new value takes itself: a string's characters, a container's references, not what they hold."""
    if isinstance(value, (str, bytes, bytearray)):
        return len(value)
    if isinstance(value, dict):
        return 16 * len(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return 8 * len(value)
    return 0


def too_big(what: str) -> LimitError:
    return LimitError(f"{what} blir för stort (mer än {MAX_VALUE_BYTES // 1_000_000} miljoner tecken)",
                      what.split()[-1])


def _check_size(value: Any, what: str = "värdet") -> Any:
    if _size_of(value) > MAX_VALUE_BYTES:
        raise too_big(what)
    return value


def _check_estimate(estimate: int, what: str) -> None:
    if estimate > MAX_VALUE_BYTES:
        raise too_big(what)


def _int_arg(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _percent_format_estimate(text: str, args: Any) -> int:
    """Bytes "text % args" may take: the text, the arguments and every width or precision."""
    values = list(args.values()) if isinstance(args, dict) else list(args) if isinstance(args, tuple) else [args]
    estimate = len(text) + _size_of(values)
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
    estimate = len(text) + _size_of(values)
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
        longest = max((_size_of(v) for v in args[0].values()), default=1)
        return len(text) * max(longest, 1)
    if name == "format":
        return _brace_format_estimate(text, [*args, *kwargs.values()])
    if name == "format_map" and args and isinstance(args[0], dict):
        return _brace_format_estimate(text, args[0].values())
    if name in ("split", "rsplit", "splitlines"):  # a string object per piece, at most one per character
        separator = args[0] if args and isinstance(args[0], str) and args[0] else None
        pieces = text.count(separator) + 1 if separator else len(text)
        return len(text) + _LIST_BYTES * pieces
    return 0


def _replace_estimate(text: str, old: str, new: str) -> int:
    hits = text.count(old) if old else len(text) + 1
    return len(text) + hits * len(new)


def _center(value: Any, width: Any = 80) -> None:
    _check_estimate(max(_size_of(value), _int_arg(width)), "resultatet av filtret center")


def _indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> None:
    text = str(value) if isinstance(value, str) else ""
    step = _int_arg(width) if not isinstance(width, str) else len(width)
    _check_estimate(_size_of(value) + (text.count("\n") + 1) * step, "resultatet av filtret indent")


def _wordwrap(value: Any, width: Any = 79, break_long_words: Any = True, wrapstring: Any = None,
              *args: Any, **kwargs: Any) -> None:
    wrap = kwargs.get("wrapstring", wrapstring)
    size = _size_of(value)
    lines = size // max(_int_arg(width), 1) + (value.count("\n") if isinstance(value, str) else 0) + 1
    _check_estimate(size + lines * len(wrap if isinstance(wrap, str) else "\n"), "resultatet av filtret wordwrap")


def _format(value: Any, *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str):
        _check_estimate(_percent_format_estimate(value, kwargs or args), "resultatet av filtret format")


def _join(value: Any, separator: Any = "", *args: Any, **kwargs: Any) -> None:
    separator = kwargs.get("d", separator)
    items = list(value) if isinstance(value, (list, tuple, set, dict)) else []
    _check_estimate(_size_of(items) + _size_of(separator) * len(items), "resultatet av filtret join")


def _replace(value: Any, old: Any = "", new: Any = "", *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
        _check_estimate(_replace_estimate(value, old, new), "resultatet av filtret replace")


# A new list, as Python holds it: its header and a reference per item.
_LIST_BYTES = 64


def _items(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple, dict, set, range)) else 0


def _batch(value: Any, count: Any = 1, *args: Any, **kwargs: Any) -> None:
    """batch and slice make a list per group: many small lists weigh more than their items."""
    count = max(_int_arg(kwargs.get("linecount", kwargs.get("slices", count))), 1)
    items = _items(value)
    _check_estimate(8 * items + _LIST_BYTES * (items // count + 1) + 8 * count, "resultatet av filtret batch")


def _list(value: Any, *args: Any, **kwargs: Any) -> None:
    _check_estimate(8 * _items(value), "resultatet av filtret list")


def _sum(value: Any, attribute: Any = None, start: Any = 0, **kwargs: Any) -> None:
    start = kwargs.get("start", start)
    if not isinstance(start, (int, float)):
        raise LimitError("filtret sum kan bara lägga ihop tal", "sum")


def _input(name: str) -> Callable[..., None]:
    def check(value: Any, *args: Any, **kwargs: Any) -> None:
        _check_estimate(_size_of(value), f"resultatet av filtret {name}")
    return check


FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _center, "indent": _indent, "wordwrap": _wordwrap, "format": _format, "join": _join,
    "replace": _replace, "batch": _batch, "slice": _batch, "sum": _sum, "list": _list, "sort": _list,
    "unique": _list, "dictsort": _list,
    **{name: _input(name) for name in ("string", "e", "escape", "forceescape", "tojson", "pprint", "urlize",
                                       "xmlattr", "urlencode", "striptags", "title", "upper", "lower",
                                       "capitalize", "truncate", "trim")},
}
