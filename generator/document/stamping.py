"""Write the rows of a plain activity loop straight from the activities' values, without Jinja for each cell."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from generator.document.rows import ITERATION, LOOP_END, LOOP_START, STAMP, RowSplitter
from generator.template.sandbox import DICT_ATTRIBUTES

# Activities written between two checks of the budgets.
_CHECK_EVERY = 500

_FOR = re.compile(r"\{%\s*for\s+(\w+)\s+in\s+aktiviteter\s*%\}")
_STATEMENT = re.compile(r"\{%\s*(.*?)\s*%\}", re.DOTALL)
_VALUE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_FIELD = re.compile(r"\s*(\w+)\.(\w+)\s*")
_CONDITION = re.compile(r"(if|elif)\s+(not\s+)?(\w+)\.(\w+)|else")
_OPENING = re.compile(r"\{%-?\s*(\w+)")
# Statements that open a block around the loop: inside any but if, the loop might run more than once or
# aktiviteter might be another list (a for, with or set block, a macro, a call, a filter).
_BLOCKS = {"for": "endfor", "if": "endif", "with": "endwith", "set": "endset", "macro": "endmacro",
           "call": "endcall", "filter": "endfilter", "block": "endblock", "raw": "endraw"}


class Row(NamedTuple):
    """A row of the loop: its text between the values (unmarked, UTF-8) and the field each value is."""

    texts: tuple[bytes, ...]
    fields: tuple[str, ...]
    nodes: int  # the XML nodes of its own text, as the budget counts them
    size: int  # the bytes of its own text


class Stamp(NamedTuple):
    """The loop's rows, each with the condition that picks it: (field, truth it wants) or None for an else."""

    branches: tuple[tuple[tuple[str, bool] | None, Row | None], ...]  # a branch may write no row
    fields: frozenset[str]

    def write(self, activities: Sequence[Any], budget: Any, finalize: Callable[[Any], str],
              splitter: RowSplitter) -> int:
        """Write a row for each activity as the loop would: the first into the body, the others kept apart.

        Returns the bytes written.
        budget: the rendering's (sandbox.BoundedEnvironment.budget), counted as the loop would count it:
        a step for each round and each value, each value's length and the rows' own text and nodes.
        """
        splitter.marker(LOOP_START)
        steps = output = nodes = written = 0
        for index, activity in enumerate(activities):
            splitter.marker(ITERATION)
            steps += 1
            row = self._row(activity)
            if row is not None:
                parts: list[bytes] = []
                for text, field in zip(row.texts, row.fields, strict=False):
                    value = activity[field]
                    if value.__class__ is str:
                        output += len(value)
                    else:
                        budget.printed(None, value)
                    parts.append(text)
                    parts.append(finalize(value).encode("utf-8"))
                parts.append(row.texts[-1])
                steps += len(row.fields)
                output += row.size
                nodes += row.nodes
                data = b"".join(parts)
                written += len(data)
                splitter.append(data)
            if index % _CHECK_EVERY == _CHECK_EVERY - 1:
                _count(budget, steps, output, nodes)
                steps = output = nodes = 0
        _count(budget, steps, output, nodes)
        splitter.marker(LOOP_END)
        return written

    def _row(self, activity: Any) -> Row | None:
        for condition, row in self.branches:
            if condition is None or bool(activity[condition[0]]) == condition[1]:
                return row
        return None

    def usable(self, activities: Any) -> bool:
        """Whether activities is a list of plain dicts holding every field (the sandbox reads rad.<field> so)."""
        return isinstance(activities, list) and not (self.fields & DICT_ATTRIBUTES) and all(
            activity.__class__ is dict and self.fields <= activity.keys() for activity in activities)


def _count(budget: Any, steps: int, output: int, nodes: int) -> None:
    budget.steps += steps - 1
    budget.step()  # raises past the limit
    budget.count_output(output, nodes)


def stamped(source: str, unmark: Callable[[str], str], xml_nodes: Callable[[bytes], int]) -> tuple[str, Stamp | None]:
    """source with its marked activity loop (rows.mark_activity_loop) replaced by STAMP, and the loop's Stamp;
    source and None when the loop is not plain enough to write without Jinja.

    Plain: {% for X in aktiviteter %} outside any block but an if, whose body is rows, or rows chosen by
    {% if X.field %}, {% if not X.field %}, {% elif … %} and {% else %}, each row printing only
    {{ X.field }}; nothing between them. unmark: docxtpl's post-render replacements; xml_nodes: the
    budget's count of a text's nodes.
    """
    start, end = source.find(LOOP_START), source.find(LOOP_END)
    if not 0 <= start < end:
        return source, None
    loop = source[start + len(LOOP_START):end]
    found = _FOR.match(loop)
    if found is None or not loop.endswith("{% endfor %}") or not _outside_blocks(source[:start]):
        return source, None
    body = loop[found.end():-len("{% endfor %}")].replace(ITERATION, "", 1)
    stamp = _stamp(body, found.group(1), unmark, xml_nodes)
    if stamp is None:
        return source, None
    return source[:start] + STAMP + source[end + len(LOOP_END):], stamp


def _outside_blocks(before: str) -> bool:
    """Whether the end of before lies outside every block statement but if."""
    open_blocks: list[str] = []
    ends = {end: start for start, end in _BLOCKS.items()}
    for tag in _OPENING.finditer(before):
        word = tag.group(1)
        if word == "set" and "=" in before[tag.end():before.find("%}", tag.end())]:
            continue  # {% set x = … %} opens no block
        if word in _BLOCKS:
            open_blocks.append(word)
        elif word in ends and open_blocks and open_blocks[-1] == ends[word]:
            open_blocks.pop()
    return all(block == "if" for block in open_blocks)


def _stamp(body: str, variable: str, unmark: Callable[[str], str],
           xml_nodes: Callable[[bytes], int]) -> Stamp | None:
    """The Stamp of a loop body, None when it is not plain (stamped's terms)."""
    if any(sign in body for sign in ("{#", "{%-", "-%}", "{{-", "-}}")):
        return None
    parts = _STATEMENT.split(body)
    texts, statements = parts[0::2], parts[1::2]
    if not statements:
        row = _row(body, variable, unmark, xml_nodes)
        return Stamp(((None, row),), frozenset(row.fields)) if row is not None else None
    if texts[0] or texts[-1] or statements[-1] != "endif":
        return None
    branches: list[tuple[tuple[str, bool] | None, Row | None]] = []
    for index, (statement, text) in enumerate(zip(statements[:-1], texts[1:-1], strict=True)):
        found = _CONDITION.fullmatch(statement)
        if found is None or (found.group(1) == "if") != (index == 0) or (branches and branches[-1][0] is None):
            return None  # an if first, then elif …, an else last
        keyword, negated, name, field = found.groups()
        keyword = keyword or "else"
        if keyword != "else" and name != variable:
            return None
        row = _row(text, variable, unmark, xml_nodes) if text else None
        if text and row is None:
            return None
        branches.append(((field, negated is None) if keyword != "else" else None, row))
    fields = {field for condition, row in branches for field in
              ((condition[0],) if condition else ()) + (row.fields if row else ())}
    return Stamp(tuple(branches), frozenset(fields))


def _row(text: str, variable: str, unmark: Callable[[str], str], xml_nodes: Callable[[bytes], int]) -> Row | None:
    """A row's source as a Row: its texts between {{ variable.field }} values; None for anything else."""
    if not text.startswith("<w:tr"):
        return None
    texts, fields = [], []
    at = 0
    for tag in _VALUE.finditer(text):
        field = _FIELD.fullmatch(tag.group(1))
        if field is None or field.group(1) != variable:
            return None
        texts.append(unmark(text[at:tag.start()]))
        fields.append(field.group(2))
        at = tag.end()
    texts.append(unmark(text[at:]))
    if any("{" in part or "}" in part for part in texts):
        return None
    encoded = tuple(part.encode("utf-8") for part in texts)
    return Row(encoded, tuple(fields), sum(xml_nodes(part) for part in encoded), sum(map(len, encoded)))
