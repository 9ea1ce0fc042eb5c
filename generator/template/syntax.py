"""A template's syntax errors in Swedish, pointing at the tag that causes them.

Jinja says what it met where it stopped ("Encountered unknown tag 'endif'"), in English, and
points at that place: for a block left open, that is the end tag of the block around it or the
template's end, far from the cause. Here the tags as the person wrote them in Word (WrittenTag,
collected by generator.document) are walked as Jinja nests them, and the message names the cause:
the block that was left open, the end tag with no block, the misspelt tag, or the tag whose
expression cannot be read, each with the place it is at.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from jinja2 import Environment
from jinja2.exceptions import TemplateSyntaxError


class WrittenTag(NamedTuple):
    """A tag as written in the template ("{%tr for rad in aktiviteter %}") and where it is, in words."""

    text: str
    place: str
    part: str = ""  # the part it is in (the body, a header …): Jinja reads each part on its own


# Blocks and the tags that may stand inside them; set is a block only without "=".
_BLOCKS = frozenset({"for", "if", "macro", "call", "filter", "with", "autoescape", "block", "set", "raw"})
_MIDDLE = {"else": frozenset({"if", "for"}), "elif": frozenset({"if"})}
_SIMPLE = frozenset({"set", "do", "include", "import", "from", "extends", "break", "continue"})
_DOCXTPL = frozenset({"colspan", "cellbg", "vm", "hm"})  # docxtpl's own, gone before Jinja reads the template
_STATEMENT = re.compile(r"\{%(?:(p|tr|tc|r)\s+|[-+]?\s*)(\w*)(.*?)(?:[-+]?%\})?$", re.DOTALL)
_PRINT_PREFIX = re.compile(r"\{\{(?:p|r)\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})


class _Statement(NamedTuple):
    tag: WrittenTag
    prefix: str   # docxtpl's p, tr, tc, r, or ""
    keyword: str
    rest: str

    def like(self, keyword: str, rest: str = "") -> str:
        """A tag of the same kind (prefix) as this one: {%tr endfor %} for {%tr for … %}."""
        opening = f"{{%{self.prefix} " if self.prefix else "{% "
        return f"{opening}{keyword}{' ' + rest if rest else ''} %}}"


def _explain_syntax_error(exc: TemplateSyntaxError, tags: Sequence[WrittenTag], env: Environment) -> str | None:
    """The Swedish message for a syntax error, naming the tag that causes it; None when no tag can be found.

    env parses single tags to find the one whose expression Jinja cannot read.
    """
    detail = exc.message or ""
    if detail.startswith(("Encountered unknown tag", "Unexpected end of template")):
        return _nesting_problem(tags)
    return _unreadable(tags, env)


def _unreadable(tags: Sequence[WrittenTag], env: Environment) -> str | None:
    """The message for the first tag Jinja cannot read on its own, or None when it reads them all.

    A template that parses whole can still hold one: docxtpl reads a tag left open on into the
    paragraphs after it, and the tags it swallows there are gone without an error.
    """
    culprit = _unreadable_tag(tags, env)
    if culprit is None:
        return None
    tag, problem = culprit
    return f"taggen {_shown(tag.text)} ({tag.place}) är felskriven: {_swedish_detail(problem)}"


def _shown(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _swedish_detail(detail: str) -> str:
    """Jinja's description of a syntax error, in Swedish."""
    for pattern, swedish in _DETAILS:
        match = re.search(pattern, detail, re.DOTALL)
        if match:
            return swedish(match)
    return f"den kan inte läsas (Jinja: {detail})"


def _token(name: str) -> str:
    return {"end of print statement": "}}", "end of statement block": "%}", "end of template": "slutet",
            "name": "ett namn", "integer": "ett tal", "string": "en text"}.get(name, name)


_DETAILS = (
    (r"^unexpected '(.+?)', expected '(.+?)'", lambda m: f"”{m[2]}” saknas före ”{m[1]}”"),
    (r"^unexpected end of template, expected '(.+?)'",
     lambda m: f"taggen tar slut för tidigt, ”{_token(m[1])}” saknas"),
    (r"^unexpected char '(.+?)' at", lambda m: f"tecknet ”{m[1]}” kan inte stå i en tagg"),
    (r"^unexpected '(.+?)'", lambda m: f"”{_token(m[1])}” står där det inte kan stå"),
    (r"^expected token '.+?', got '='", lambda m: "ett ensamt = kan inte stå där; skriv == för att jämföra"),
    (r"^expected token '(.+?)', got '(.+?)'", lambda m: f"”{_token(m[2])}” står där ”{_token(m[1])}” ska stå"),
    (r"^Expected an expression, got '(.+?)'",
     lambda m: f"ett namn, en text eller ett tal saknas före ”{_token(m[1])}”"),
    (r"^expected name or number", lambda m: "ett namn eller ett tal saknas efter punkten"),
    (r"^expected subscript expression", lambda m: "något saknas inom [ ]"),
    (r"^tag name expected", lambda m: "taggen saknar namn, till exempel if eller for"),
    (r"^Encountered unknown tag '(.+?)'", lambda m: f"okänd tagg ”{m[1]}”"),
    (r"^Unexpected end of template.*innermost block that needs to be closed is '(.+?)'",
     lambda m: f"ett {m[1]}-block avslutas aldrig med end{m[1]}"),
    (r"^Block '(.+?)' defined twice", lambda m: f"blocket ”{m[1]}” finns två gånger"),
    (r"^Invalid character in identifier", lambda m: "ett namn har ett tecken som inte får stå i namn"),
    (r"^missing end of (?:raw|comment)", lambda m: "taggen avslutas aldrig"),
)


def _statements(tags: Sequence[WrittenTag]) -> Iterator[_Statement]:
    for tag in tags:
        if tag.text.startswith("{%"):
            match = _STATEMENT.match(tag.text)
            if match:
                yield _Statement(tag, match[1] or "", match[2], " ".join(match[3].split()))


def _nesting_problem(tags: Sequence[WrittenTag]) -> str | None:
    """The first tag that breaks the nesting of blocks, part by part, as a message; None when all nest."""
    parts: dict[str, list[_Statement]] = {}
    for statement in _statements(tags):
        parts.setdefault(statement.tag.part, []).append(statement)
    for statements in parts.values():
        problem = _walk(statements)
        if problem:
            return problem
    return None


def _walk(statements: list[_Statement]) -> str | None:
    stack: list[tuple[_Statement, bool]] = []  # open blocks, and whether each has had its else
    raw = False
    for statement in statements:
        keyword = statement.keyword
        if raw:
            raw = keyword != "endraw"
            continue
        if keyword in _DOCXTPL or (keyword in _SIMPLE and not _opens(statement)):
            continue
        if keyword == "raw":
            raw = True
        elif keyword in _BLOCKS:
            stack.append((statement, False))
        elif keyword in _MIDDLE:
            problem = _middle(statement, stack)
            if problem:
                return problem
        elif keyword.startswith("end") and stack and stack[-1][0].keyword == keyword[3:]:
            stack.pop()
        elif keyword.startswith("end") and any(opened.keyword == keyword[3:] for opened, _ in stack):
            inner = stack[-1][0]
            return (f"blocket {inner.tag.text} ({inner.tag.place}) är inte avslutat när {statement.tag.text} "
                    f"({statement.tag.place}) kommer: {inner.like('end' + inner.keyword)} saknas före "
                    f"{statement.tag.text}")
        elif keyword.startswith("end") and keyword[3:] in _BLOCKS:
            opener = statement.like(keyword[3:], "…")
            return (f"{statement.tag.text} ({statement.tag.place}) avslutar inget block: det finns inget {opener} "
                    f"före den. Ta bort {statement.tag.text}, eller skriv {opener} där blocket ska börja")
        else:
            return _unknown(statement, stack)
    if stack:
        inner = stack[-1][0]
        end = inner.like("end" + inner.keyword)
        return (f"blocket {inner.tag.text} ({inner.tag.place}) avslutas aldrig: {end} saknas. "
                f"Skriv {end} där blocket ska sluta")
    return None


def _opens(statement: _Statement) -> bool:
    """Whether a set tag opens a block ({% set x %} … {% endset %}) rather than setting a value."""
    return statement.keyword == "set" and "=" not in statement.rest


def _middle(statement: _Statement, stack: list[tuple[_Statement, bool]]) -> str | None:
    """The problem with an else or elif, or None when it stands in a block that takes it."""
    allowed = _MIDDLE[statement.keyword]
    if stack and stack[-1][0].keyword in allowed:
        opened, had_else = stack[-1]
        if had_else:
            return (f"blocket {opened.tag.text} ({opened.tag.place}) har redan ett {opened.like('else')}, så "
                    f"{statement.tag.text} ({statement.tag.place}) kan inte stå där")
        stack[-1] = (opened, statement.keyword == "else")
        return None
    where = f"{statement.like('if', '…')}" + (f" eller {statement.like('for', '…')}" if "for" in allowed else "")
    return (f"{statement.tag.text} ({statement.tag.place}) står inte i något {where}: blocket det hör till "
            f"har ingen början. Ta bort {statement.tag.text}, eller skriv {statement.like('if', '…')} före den")


def _unknown(statement: _Statement, stack: list[tuple[_Statement, bool]]) -> str:
    """An unknown tag, with the tag it most likely was meant to be."""
    expected = [f"end{opened.keyword}" for opened, _ in reversed(stack)] + ["else", "elif"]
    known = expected + sorted(_BLOCKS | _SIMPLE) + [f"end{block}" for block in sorted(_BLOCKS)]
    close = difflib.get_close_matches(statement.keyword, known, n=1, cutoff=0.6)
    message = f"okänd tagg {statement.tag.text} ({statement.tag.place})"
    if close:
        message += f": menade du {statement.like(close[0], statement.rest)}?"
    elif stack:
        opened = stack[-1][0]
        message += f"; blocket {opened.tag.text} avslutas med {opened.like('end' + opened.keyword)}"
    return message


def _unreadable_tag(tags: Sequence[WrittenTag], env: Environment) -> tuple[WrittenTag, str] | None:
    """The first tag Jinja cannot read on its own (outside raw blocks), and what it says about it."""
    raw = False
    for tag in tags:
        statement = _STATEMENT.match(tag.text) if tag.text.startswith("{%") else None
        keyword = statement[2] if statement else ""
        if raw or keyword == "raw":
            raw = keyword != "endraw"
            continue
        source = _alone(tag.text.translate(_QUOTES))
        if source is None:
            continue
        try:
            env.parse(source)
        except TemplateSyntaxError as exc:
            return tag, exc.message or ""
    return None


def _alone(text: str) -> str | None:
    """A tag as a template of its own that parses when the tag is right: a block with its end, else in an if."""
    if text.startswith("{{"):
        return _PRINT_PREFIX.sub("{{ ", text, count=1)
    if text.startswith("{#"):
        return None
    match = _STATEMENT.match(text)
    if match is None:
        return None
    keyword, prefix = match[2], match[1] or ""
    tag = "{%" + text[2 + len(prefix):]  # without docxtpl's prefix, which Jinja never sees
    if keyword in _DOCXTPL or keyword.startswith("end") or keyword == "raw":
        return None
    if not keyword:
        return tag  # {% %}: Jinja says the tag has no name
    if keyword in _MIDDLE:
        return "{% if x %}" + tag + "{% endif %}"
    if keyword in _BLOCKS and (keyword != "set" or "=" not in match[3]):
        return tag + "{% end" + keyword + " %}"
    if keyword in _SIMPLE:
        return tag if keyword not in ("break", "continue") else "{% for x in y %}" + tag + "{% endfor %}"
    return None
