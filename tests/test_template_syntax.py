"""Templates broken the way a person breaks them in Word: the message is Swedish and names the cause.

Also: a missing or broken template gets the same message with --pdf (and send --pdf) as without.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import default_sheets, find_activity_table, write_workbook
from generator.cli import main
from generator.document.render import DEFAULT_TEMPLATE, check_template

ENGLISH = re.compile(r"\b(Encountered|Jinja|unexpected|expected|innermost|nesting|tag)\b", re.IGNORECASE)


def paragraph(template: Any, text: str) -> Any:
    return next(p for p in template.paragraphs if p.text == text)


def retype(element: Any, text: str) -> None:
    """Type text over a paragraph or a row's first cell in Word: its first run gets it, the others are emptied."""
    runs = [r for r in element.iter() if r.tag.endswith("}r")]
    texts = [t for run in runs for t in run.iter() if t.tag.endswith("}t")]
    for t in texts:
        t.text = ""
    texts[0].text = text


def delete(element: Any) -> None:
    element.getparent().remove(element)


def activity_row(template: Any, first_cell: str) -> Any:
    return next(row for row in find_activity_table(template).rows if row.cells[0].text == first_cell)._tr


def broken(tmp_path: Path, change: Any) -> Path:
    template = Document(str(DEFAULT_TEMPLATE))
    change(template)
    path = tmp_path / "mall.docx"
    template.save(str(path))
    return path


def footer_without_endif(template: Any) -> None:
    footer = template.sections[0].footer.paragraphs[0]
    footer.runs[0].text = "{% if slogan %}{{ slogan }}"


CASES = {
    "endif-deleted": (lambda t: delete(paragraph(t, "{{ projekt }}")._p.getnext()),
                      "blocket {%p if projekt %} (stycket efter ”{{ titel }}”) avslutas aldrig: {%p endif %} saknas. "
                      "Skriv {%p endif %} där blocket ska sluta"),
    "endif-misspelt": (lambda t: retype(paragraph(t, "{{ projekt }}")._p.getnext(), "{%p endfi %}"),
                       "okänd tagg {%p endfi %} (stycket efter ”{{ projekt }}”): menade du {%p endif %}?"),
    "if-misspelt": (lambda t: retype(paragraph(t, "{%p if projekt %}")._p, "{%p iff projekt %}"),
                    "okänd tagg {%p iff projekt %} (stycket efter ”{{ titel }}”): menade du {%p if projekt %}?"),
    "if-deleted": (lambda t: delete(paragraph(t, "{%p if projekt %}")._p),
                   "{%p endif %} (stycket efter ”{{ projekt }}”) avslutar inget block: det finns inget {%p if … %} "
                   "före den"),
    "endfor-row-deleted": (lambda t: delete(activity_row(t, "{%tr endfor %}")),
                           "blocket {%tr for rad in aktiviteter %} (tabellen ”Aktivitet | Syfte och målgrupp | Tid | "
                           "…”, rad 2) avslutas aldrig: {%tr endfor %} saknas"),
    "endif-row-deleted": (lambda t: delete(activity_row(t, "{%tr endif %}")),
                          "blocket {%tr if rad.klar %} (tabellen ”Aktivitet | Syfte och målgrupp | Tid | …”, rad 3) "
                          "är inte avslutat när {%tr endfor %} (tabellen ”Aktivitet | Syfte och målgrupp | Tid | …”, "
                          "rad 7) kommer: {%tr endif %} saknas före {%tr endfor %}"),
    "else-twice": (lambda t: paragraph(t, "{%p else %}")._p.addprevious(copy.deepcopy(paragraph(t, "{%p else %}")._p)),
                   "blocket {%p if stycke.punkt %} (stycket efter ”{{ avs.rubrik }}”) har redan ett {%p else %}, så "
                   "{%p else %} (stycket efter ”{{ stycke.text }}”) kan inte stå där"),
    "brace-missing": (lambda t: retype(activity_row(t, "{{ rad.aktivitet }}"), "{{ rad.aktivitet }"),
                      # docxtpl reads the tag on to the next }}, swallowing the {%tr else %} row's tag
                      "taggen {{ rad.aktivitet }{%tr else %}{{ rad.aktivitet }} (tabellen ”Aktivitet | Syfte och "
                      "målgrupp | Tid | …”, rad 4) är felskriven: ”}” står där det inte kan stå"),
    "single-equals": (lambda t: retype(paragraph(t, "{%p if projekt %}")._p, "{%p if projekt = ”Bokning” %}"),
                      "taggen {%p if projekt = ”Bokning” %} (stycket efter ”{{ titel }}”) är felskriven: ett ensamt = "
                      "kan inte stå där; skriv == för att jämföra"),
    "footer": (footer_without_endif,
               "blocket {% if slogan %} (stycket ”{% if slogan %}{{ slogan }}Sida 1 av 1” i sidfoten) avslutas aldrig: "
               "{% endif %} saknas"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_syntax_error_is_explained_in_swedish_at_its_cause(tmp_path, case):
    change, expected = CASES[case]
    template = broken(tmp_path, change)
    findings = check_template(template)
    assert len(findings) == 1 and findings[0].is_error, findings
    assert findings[0].place == str(template)
    assert findings[0].message.startswith(f"syntaxfel i mallen: {expected}"), findings[0].message
    assert not ENGLISH.search(findings[0].message), findings[0].message


def test_generate_says_what_check_says(tmp_path):
    template = broken(tmp_path, CASES["endif-row-deleted"][0])
    workbook = write_workbook(tmp_path / "plan.xlsx", default_sheets())
    check = CliRunner().invoke(main, ["check", "--template", str(template)])
    run = CliRunner().invoke(main, ["generate", str(workbook), "--template", str(template),
                                    "-o", str(tmp_path / "plan.docx")])
    assert check.exit_code == run.exit_code == 1
    message = f"{template}: syntaxfel i mallen: {CASES['endif-row-deleted'][1]}"
    assert message in check.stderr and message in run.stderr
    assert not (tmp_path / "plan.docx").exists()


@pytest.mark.parametrize(("text", "expected"), [
    ("{{ kommun", "taggen {{ kommun (stycket ”{{ kommun”) är felskriven: taggen tar slut för tidigt, ”}}” saknas"),
    ("{{ kommun ! }}", "tecknet ”!” kan inte stå i en tagg"),
    ("{{ kommun kommun }}", "”kommun” står där ”}}” ska stå"),
    ("{% if %}{% endif %}", "ett namn, en text eller ett tal saknas före ”%}”"),
    ("{% %}", "taggen saknar namn, till exempel if eller for"),
    ("{{ avsnitt. }}", "ett namn eller ett tal saknas efter punkten"),
    ("{{ kommun(}}", "”)” saknas före ”}”"),
    ("{% for avs in avsnitt %}{% else %}{% elif x %}{% endfor %}", "står inte i något {% if … %}"),
    ("{% endfor %}", "{% endfor %} (stycket efter ”{{ titel }}”) avslutar inget block"),
])
def test_expression_errors_in_a_template_made_from_scratch(tmp_path, text, expected):
    document = Document()
    document.add_paragraph("{{ titel }}")
    document.add_paragraph(text)
    document.save(str(tmp_path / "mall.docx"))
    message = check_template(tmp_path / "mall.docx")[0].message
    assert message.startswith("syntaxfel i mallen: ") and expected in message, message
    assert not ENGLISH.search(message), message


@pytest.mark.parametrize("command", ["generate", "send"])
@pytest.mark.parametrize("template", ["saknas", "trasig", "syntaxfel"])
def test_a_bad_template_gets_the_same_message_with_pdf_as_without(tmp_path, command, template):
    sheets = default_sheets()
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna@testkoping.se"]]
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets)
    path = tmp_path / f"{template}.docx"
    if template == "trasig":
        path.write_bytes(b"PK\x03\x04 inte en hel docx")
    elif template == "syntaxfel":
        broken(tmp_path, CASES["endif-deleted"][0]).rename(path)
    extra = ["--dry-run"] if command == "send" else []
    runs = [CliRunner().invoke(main, [command, str(workbook), "--template", str(path), "-o",
                                      str(tmp_path / "plan.docx"), *extra, *pdf]) for pdf in ([], ["--pdf"])]
    without, with_pdf = runs
    assert without.exit_code == with_pdf.exit_code == 1
    assert with_pdf.stderr == without.stderr
    assert without.stderr.startswith(f"{path}: mallen") or without.stderr.startswith(f"{path}: syntaxfel")
    assert "Oväntat fel" not in with_pdf.stderr
    assert list(tmp_path.glob("plan.*")) == [tmp_path / "plan.xlsx"]
