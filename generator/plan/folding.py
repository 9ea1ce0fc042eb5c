"""Findings as a person reads them: many warnings of one kind folded into one line, the stopping error named."""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.plan.model import Finding, Severity
from generator.plan.values import format_count

# Of each kind of warning this many are shown; the rest become one line saying how many more there are.
SHOWN_PER_KIND = 5

_QUOTED = re.compile(r"[”“\"][^”“\"]*[”“\"]")
_NUMBER = re.compile(r"\d+")
_CELL = re.compile(r"^(.*)!\$?([A-Z]{1,3})\$?(\d+)$")


def finding_kind(finding: Finding, shapes: dict[str, str] | None = None) -> tuple[Severity, str, str]:
    """What makes findings the same kind: severity, sheet, and the message without its quotes and numbers.

    shapes remembers each message's shape for the next finding with the same message (a run may
    repeat one warning for thousands of rows).
    """
    sheet = finding.place.split("!", 1)[0] if "!" in finding.place else finding.place
    message = finding.message
    shape = shapes.get(message) if shapes is not None else None
    if shape is None:
        shape = _NUMBER.sub("#", _QUOTED.sub("”…”", message))
        if shapes is not None:
            shapes[message] = shape
    return finding.severity, sheet, shape


def fold_findings(findings: Sequence[Finding], shown: int = SHOWN_PER_KIND) -> tuple[Finding, ...]:
    """Every error, and of each kind of warning the first few; the rest of a kind as one line where it began.

    "Aktiviteter!C7:C10001: … och 9 995 rader till med samma varning" stands where the sixth was.
    """
    counts: dict[tuple[Severity, str, str], int] = {}
    folded: dict[tuple[Severity, str, str], list[Finding]] = {}
    out: list[Finding | tuple[Severity, str, str]] = []
    shapes: dict[str, str] = {}
    for finding in findings:
        if finding.is_error:
            out.append(finding)
            continue
        kind = finding_kind(finding, shapes)
        seen = counts.get(kind, 0)
        counts[kind] = seen + 1
        if seen < shown:
            out.append(finding)
        elif seen == shown:
            folded[kind] = [finding]
            out.append(kind)
        else:
            folded[kind].append(finding)
    return tuple(item if isinstance(item, Finding) else _summary(folded[item]) for item in out)


def _summary(rest: Sequence[Finding]) -> Finding:
    """One line for the findings of a kind past the first few: where they are and how many."""
    place = rest[0].place
    cells = [_CELL.match(f.place) for f in rest]
    last = cells[-1]
    if len(rest) > 1 and last is not None and cells[0] is not None and cells[0].group(1) == last.group(1):
        place = f"{place}:{last.group(2)}{last.group(3)}"
    rows = {match.group(3) for match in cells if match}
    noun = "rader till" if all(cells) and len(rows) == len(rest) else "till"
    return Finding(place, f"… och {format_count(len(rest))} {noun} med samma varning", rest[0].severity)


def stopping_error(findings: Sequence[Finding]) -> str:
    """The error that stopped a run, to repeat on the last line: "Felet: …", or the first of several; "" for none."""
    errors = [f for f in findings if f.is_error]
    if not errors:
        return ""
    return f"{'Felet' if len(errors) == 1 else 'Det första felet'}: {errors[0]}"
