"""Checks: every finding at once, each with its place, errors apart from warnings."""

from __future__ import annotations

import pytest

from conftest import ACTIVITY_HEADER, default_sheets
from generator.checks.core import load_plan
from generator.flows.generating import generate
from generator.plan.errors import FindingsError


def test_all_findings_at_once_with_places(make_workbook, tmp_path):
    sheets = default_sheets()
    sheets["Plan"] = [["Kommun", None], ["Logotyp", "finns-inte.png"]]
    sheets["Avsnitt"] = [["Rubrik", "Text"], [None, "Text utan rubrik"]]
    sheets["Aktiviteter"] = [
        ACTIVITY_HEADER,
        ["Möte", "", "", "", "", "kanske"],
        [None, "Syfte utan aktivitet", "", "", "", ""],
        ["", "", "Maj", "", "", ""],
    ]
    _, findings = load_plan(make_workbook(sheets))
    as_text = [(str(f), f.is_error) for f in findings]
    assert ("Plan!B1: Kommun saknas; skriv kommunens namn på raden Kommun i kolumn B", True) in as_text
    assert ("Avsnitt!A2: Rubrik saknas", True) in as_text
    assert ("Aktiviteter!A3: Aktivitet saknas", True) in as_text
    assert ("Aktiviteter!A4: Aktivitet saknas", True) in as_text
    assert any(s.startswith("Aktiviteter!F2: ") and not err for s, err in as_text)
    assert any(s.startswith("Plan!B2: logotypen finns inte") and err for s, err in as_text)


def test_missing_sheets_and_headers(make_workbook):
    _, findings = load_plan(make_workbook({"Plan": [["Kommun", "X"]], "Aktiviteter": [["Vad", "När"]]}))
    messages = [str(f) for f in findings]
    assert any('bladet "Avsnitt" saknas' in m for m in messages)
    assert any(m.startswith('Aktiviteter: rubriken "Aktivitet" saknas') for m in messages)


def test_logo_that_is_not_an_image_is_a_located_finding(make_workbook, tmp_path):
    (tmp_path / "logo.png").write_text("inte en bild")
    rows = default_sheets()["Plan"] + [["Logotyp", "logo.png"]]
    _, findings = load_plan(make_workbook(Plan=rows))
    assert [str(f) for f in findings] == [
        "Plan!B6: logotypen är ingen PNG- eller JPEG-bild (logo.png)"]


def test_generate_refuses_on_errors_and_writes_nothing(make_workbook, tmp_path):
    rows = [ACTIVITY_HEADER, [None, "syfte", "", "", "", ""]]
    output = tmp_path / "ut.docx"
    with pytest.raises(FindingsError) as caught:
        generate(make_workbook(Aktiviteter=rows), output)
    assert [str(f) for f in caught.value.findings] == ["Aktiviteter!A2: Aktivitet saknas"]
    assert not output.exists()
    assert list(tmp_path.glob("*.tmp")) == []


def test_warnings_do_not_stop_generation(make_workbook, tmp_path):
    rows = [ACTIVITY_HEADER, ["Möte", "", "Mars 2019", "", "Anna", "kanske"]]
    result = generate(make_workbook(Aktiviteter=rows), tmp_path / "ut.docx")
    assert result.output is not None and result.output.exists()
    assert [f.place for f in result.warnings] == ["Aktiviteter!F2"]


@pytest.mark.parametrize("logo", ["../utanfor.png", "/etc/hostname", "bilder/../../utanfor.png"])
def test_logo_outside_the_workbook_folder_is_refused(make_workbook, tmp_path, logo):
    from conftest import EXAMPLE

    outside = tmp_path.parent / "utanfor.png"
    outside.write_bytes((EXAMPLE.parent / "logotyp.png").read_bytes())
    rows = default_sheets()["Plan"] + [["Logotyp", logo]]
    _, findings = load_plan(make_workbook(Plan=rows))
    assert [str(f) for f in findings] == [
        f"Plan!B6: logotypen ska ligga i arbetsbokens mapp eller en mapp under den ({logo})"]


def test_logo_in_a_subfolder_is_fine(make_workbook, tmp_path):
    from conftest import EXAMPLE

    (tmp_path / "bilder").mkdir()
    (tmp_path / "bilder" / "logo.png").write_bytes((EXAMPLE.parent / "logotyp.png").read_bytes())
    rows = default_sheets()["Plan"] + [["Logotyp", "bilder/logo.png"]]
    _, findings = load_plan(make_workbook(Plan=rows))
    assert findings == ()


def test_a_section_without_text_is_pointed_out_and_still_made(make_workbook, tmp_path):
    sheets = default_sheets()
    sheets["Avsnitt"] = [["Rubrik", "Text"], ["Bakgrund", "Varför vi gör det."], ["Kanaler", None],
                         ["Budskap", "  \n "]]
    workbook = make_workbook(sheets)
    _, findings = load_plan(workbook)
    empty = [(f.place, f.message, f.is_error) for f in findings if "har ingen text" in f.message]
    assert [(place, error) for place, _, error in empty] == [("Avsnitt!A3", False), ("Avsnitt!A4", False)]
    assert empty[0][1].startswith("avsnittet Kanaler har ingen text, så rubriken står ensam i dokumentet")
    result = generate(workbook, tmp_path / "plan.docx")
    assert any(f.place == "Avsnitt!A3" for f in result.findings)
    assert result.output is not None and result.output.exists()


@pytest.mark.parametrize("header", [["Rubrik", "Txet"], ["Rubrik"]])
def test_sections_are_not_called_empty_when_their_text_column_was_not_read(make_workbook, header):
    sheets = default_sheets()
    sheets["Avsnitt"] = [header, *([["Bakgrund", "Varför."], ["Kanaler", "Var."]] if len(header) == 2 else
                                    [["Bakgrund"], ["Kanaler"]])]
    _, findings = load_plan(make_workbook(sheets))
    assert not [f for f in findings if "har ingen text" in f.message]
    assert any(f.place.startswith("Avsnitt") and ("Text" in f.message) for f in findings)  # the column is named
