"""Any text in any cell either reaches the document unchanged or is refused with a located message."""

from __future__ import annotations

import re

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import (
    ACTIVITY_HEADER,
    ROOT,
    default_sheets,
    find_activity_table,
    needs_libreoffice,
    pdf_pages,
    write_workbook,
)
from generator.flows.generating import generate
from generator.plan.errors import FindingsError

# What Excel shows for stored text, written independently of generator.plan.values:
# _xHHHH_ escapes decoded, CR LF and CR as LF, and characters XML 1.0 cannot hold dropped.
_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def shown(stored: str) -> str:
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), stored)
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def stored(text: str) -> str:
    """Control characters as Excel stores them (_xHHHH_); openpyxl refuses them raw."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m.group(0)):04X}_", text)


NASTY = st.sampled_from([
    "&", "<", ">", '"', "'", "]]>", "<![CDATA[", "{{ x }}", "{% if %}", "{#", "{_{", "}_}", "{_%", "%_}",
    "{%p", "{{r", "\u200b", "\u200d", "\ufeff", "\u202e", "🎉", "👩‍👩‍👧", "مرحبا", "שלום", "\t", "\n", "\r\n",
    "\x01", "\x0b", "_x000B_", "_x0041_", "_x005F_", "\\", "$", "%", "=", "-", "• ", "* ", "&amp;", "<w:t>",
])
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=12)), max_size=8).map("".join)
WHERE = st.sampled_from(["activity", "purpose", "time", "channel", "responsible", "heading", "section",
                         "kommun", "projekt", "slogan"])
COLUMNS = {"activity": 0, "purpose": 1, "time": 2, "channel": 3, "responsible": 4}


def sheets_with(where: str, text: str) -> dict:
    sheets = default_sheets()
    value = stored(text)
    if where in COLUMNS:
        row = ["Aktivitet", "Syfte", "Tid", "Kanal", "Ansvarig", ""]
        row[COLUMNS[where]] = value
        sheets["Aktiviteter"] = [ACTIVITY_HEADER, row]
    elif where in ("heading", "section"):
        sheets["Avsnitt"] = [["Rubrik", "Text"], [value, "Text"] if where == "heading" else ["Rubrik", value]]
    else:
        label = {"kommun": "Kommun", "projekt": "Projekt", "slogan": "Slogan"}[where]
        sheets["Plan"] = [[k, value if k == label else v] for k, v in
                          (("Kommun", "Testköping"), ("Projekt", "P"), ("Slogan", "S"))]
    return sheets


def words(text: str) -> list[str]:
    return text.split()


def section_words(text: str) -> list[str]:
    """The words of section text once bullet markers are taken off line starts."""
    lines = [re.sub(r"^\s*(- |• |\* )", "", line) for line in text.split("\n")]
    return words("\n".join(lines))


@pytest.mark.slow  # 70 generated documents
@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=WHERE, text=TEXT)
def test_any_text_reaches_the_document_or_is_refused_with_a_place(tmp_path, where, text):
    folder = tmp_path / f"case{abs(hash((where, text)))}"
    workbook = write_workbook(folder / "plan.xlsx", sheets_with(where, text))
    output = folder / "plan.docx"
    try:
        generate(workbook, output)
    except FindingsError as refused:
        errors = [f for f in refused.findings if f.is_error]
        assert errors
        assert all(re.fullmatch(r"(Plan|Avsnitt|Aktiviteter)!\$?[A-Z]+\d+", f.place) for f in errors), errors
        assert not output.exists()
        return
    document = Document(str(output))  # it opens again
    expected = shown(stored(text))
    if where in COLUMNS:
        assert find_activity_table(document).rows[1].cells[COLUMNS[where]].text == expected
    elif where == "heading":
        assert expected.strip() in [p.text for p in document.paragraphs]
    elif where == "section":
        start = [p.text for p in document.paragraphs].index("Rubrik")
        body = [p.text for p in document.paragraphs[start + 1:] if p.style.name != "Heading 1"]
        found = []
        for paragraph in body:
            if paragraph.startswith("Röd text"):
                break
            found.extend(words(paragraph))
        assert found == section_words(expected)
    elif where == "kommun":
        assert f"Aktivitetsplan – {expected.strip()}" in [p.text for p in document.paragraphs]
    elif where == "projekt":
        assert expected.strip() in [p.text for p in document.paragraphs]
    else:
        assert expected.strip() in document.sections[0].footer.paragraphs[0].text


def test_nasty_text_survives_exactly(tmp_path):
    text = "A & B < C > \"D\" ]]> {{ x }} {% y %} {_{ z }_} \u200b\ufeff 🎉 مرحبا " + "x" * 5000
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets_with("activity", text))
    generate(workbook, tmp_path / "plan.docx")
    assert find_activity_table(Document(str(tmp_path / "plan.docx"))).rows[1].cells[0].text == text


@pytest.mark.libreoffice
@needs_libreoffice
def test_special_characters_convert_in_libreoffice(tmp_path):
    from generator.delivery.pdf import convert_to_pdf

    output = tmp_path / "special.docx"
    generate(ROOT / "tests" / "fixtures" / "bad" / "special-characters.xlsx", output)
    text = "".join(pdf_pages(convert_to_pdf(output, tmp_path / "special.pdf")))
    for fragment in ("Möte & fika <i>kursiv</i>", "{{ 7*7 }}", "{_{ }_}", "Emoji", "مرحبا"):
        assert fragment in text, fragment
