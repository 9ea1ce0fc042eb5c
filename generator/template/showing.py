"""What of the plan a template leaves out of the document: its title, its sections, its activities, which are done.

A template edited in Word can lose a part of the plan without any error: the title paragraph
deleted, the activity table deleted (its heading left, so the table of contents still lists it),
or the rows that tell done activities from the others. check --template and generate say so, as
warnings naming the tag that would show it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError

from generator.plan.model import Finding, Severity
from generator.template.environment import make_environment

# How the default template writes each part (tools/build_template.py), for the messages.
TITLE_TAG = "{{ titel }}"
SECTIONS_TAG = "{%p for avs in avsnitt %}"
ACTIVITIES_TAG = "{%tr for rad in aktiviteter %}"
DONE_TAG = "{%tr if rad.klar %}"
_INIT = "aktivitetsplan init --mall standardmall.docx"


def shown_findings(template: Path | str, body_source: str) -> list[Finding]:
    """Warnings for the parts of the plan a template's body (its Jinja source) does not show.

    The title is looked for in the body only: a title in the page header alone leaves the title
    page without one. A body that does not parse shows nothing here: its syntax error is reported.
    """
    try:
        ast = make_environment().parse(body_source)
    except TemplateSyntaxError:
        return []
    messages = []
    if not _prints(ast, "titel"):
        messages.append(f"mallen visar inte planens titel: {TITLE_TAG} står inte i dokumentets text "
                        "(sidhuvudet räknas inte). Skriv {{ titel }} där titeln ska stå, till exempel på titelsidan")
    if not _uses(ast, "avsnitt"):
        messages.append(f"mallen visar inte avsnitten på bladet Avsnitt: {SECTIONS_TAG} saknas. Kopiera "
                        f"avsnittens stycken från standardmallen ({_INIT})")
    loops = [loop for loop in ast.find_all(nodes.For) if _uses(loop.iter, "aktiviteter")]
    showing = [loop for loop in loops if _prints_field_of(loop)]
    if not showing:
        messages.append(f"mallen visar inte aktiviteterna: den har ingen aktivitetstabell med {ACTIVITIES_TAG} "
                        "och en rad med {{ rad.aktivitet }}, så dokumentet får inga aktiviteter "
                        "(innehållsförteckningen kan ändå ha rubriken). Kopiera aktivitetstabellen från "
                        f"standardmallen ({_INIT})")
    elif not any(_uses_field(loop, ("klar", "klar_text")) for loop in showing):
        messages.append(f"mallens aktivitetstabell visar inte vilka aktiviteter som är klara: {DONE_TAG} saknas, "
                        "så klara aktiviteter ser ut som alla andra. Lägg tillbaka de två exempelraderna från "
                        f"standardmallen ({_INIT})")
    return [Finding(str(template), message, Severity.WARNING) for message in messages]


def _uses(node: nodes.Node, name: str) -> bool:
    return any(isinstance(n, nodes.Name) and n.name == name for n in _found([node], nodes.Name))


def _prints(ast: nodes.Template, name: str) -> bool:
    return any(_uses(output, name) for output in ast.find_all(nodes.Output))


def _loop_names(loop: nodes.For) -> set[str]:
    """The names a loop gives each record: rad in "for rad in aktiviteter", both in "for i, rad in …"."""
    return {n.name for n in _found([loop.target], nodes.Name) if isinstance(n, nodes.Name)}


def _prints_field_of(loop: nodes.For) -> bool:
    """Whether the loop's body prints anything of its record (rad.aktivitet, rad.ovrigt["Budget"] …)."""
    names = _loop_names(loop)
    for output in _found(list(loop.body), nodes.Output):
        for access in output.find_all((nodes.Getattr, nodes.Getitem)):
            record = access.node  # type: ignore[attr-defined]
            if isinstance(record, nodes.Name) and record.name in names:
                return True
    return False


def _uses_field(loop: nodes.For, fields: tuple[str, ...]) -> bool:
    """Whether the loop (its test and body) reads one of fields of its record."""
    names = _loop_names(loop)
    parts: list[nodes.Node] = list(loop.body) + ([loop.test] if loop.test is not None else [])
    for access in _found(parts, nodes.Getattr):
        assert isinstance(access, nodes.Getattr)
        if access.attr in fields and isinstance(access.node, nodes.Name) and access.node.name in names:
            return True
    return False


def _found(parts: list[nodes.Node], kind: type[nodes.Node]) -> Iterator[nodes.Node]:
    """The nodes of a kind among parts and within them."""
    for part in parts:
        if isinstance(part, kind):
            yield part
        yield from part.find_all(kind)
