"""Findings at scale: a few of each kind of warning and one line for the rest, every error, the stopping one last."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from conftest import ACTIVITY_HEADER, default_sheets, write_workbook
from generator.cli import main
from generator.plan.folding import SHOWN_PER_KIND, fold_findings, stopping_error
from generator.plan.model import Finding, Severity

WARNING = Severity.WARNING


def without_tid_and_ansvarig(count: int) -> list[list[Any]]:
    """An activity sheet of count rows, each without Tid and Ansvarig: two warnings a row."""
    return [ACTIVITY_HEADER, *([f"Aktivitet {n}", "Alla", "", "Webb", "", ""] for n in range(1, count + 1))]


def test_a_few_of_a_kind_and_one_line_for_the_rest():
    findings = [Finding(f"Aktiviteter!C{row}", "Tid saknas", WARNING) for row in range(2, 62)]
    shown = fold_findings(findings)
    assert [str(f) for f in shown] == [*(f"Aktiviteter!C{row}: Tid saknas" for row in range(2, 7)),
                                       "Aktiviteter!C7:C61: … och 55 rader till med samma varning"]
    assert shown[-1].severity is WARNING


def test_kinds_are_folded_apart_and_keep_their_order():
    findings = []
    for row in range(2, 12):
        findings.append(Finding(f"Aktiviteter!C{row}", "Tid saknas", WARNING))
        findings.append(Finding(f"Aktiviteter!E{row}", "Ansvarig saknas", WARNING))
    shown = [str(f) for f in fold_findings(findings)]
    assert len(shown) == 2 * (SHOWN_PER_KIND + 1)
    assert shown[-2:] == ["Aktiviteter!C7:C11: … och 5 rader till med samma varning",
                          "Aktiviteter!E7:E11: … och 5 rader till med samma varning"]


def test_the_same_message_about_different_values_is_one_kind():
    findings = [Finding(f"Aktiviteter!C{row}", f"Tid ”snart {row}” kan inte läsas som en period", WARNING)
                for row in range(2, 10)]
    assert str(fold_findings(findings)[-1]) == "Aktiviteter!C7:C9: … och 3 rader till med samma varning"


def test_errors_are_never_folded_and_few_warnings_are_left_alone():
    errors = [Finding(f"Aktiviteter!A{row}", "Aktivitet saknas") for row in range(2, 30)]
    warnings = [Finding("Plan!B6", "Sortering ”x” förstås inte", WARNING),
                Finding("plan.xlsx", "arbetsboken är öppen i Excel", WARNING)]
    assert fold_findings([*errors, *warnings]) == (*errors, *warnings)


def test_the_stopping_error_is_named():
    limit = Finding("Aktiviteter", "planen har 100 000 aktiviteter; högst 10 000 tas med")
    assert stopping_error([Finding("Aktiviteter!C2", "Tid saknas", WARNING), limit]) == (
        "Felet: Aktiviteter: planen har 100 000 aktiviteter; högst 10 000 tas med")
    assert stopping_error([limit, Finding("Aktiviteter!A5", "Aktivitet saknas")]).startswith("Det första felet: ")
    assert stopping_error([Finding("Aktiviteter!C2", "Tid saknas", WARNING)]) == ""


def test_check_folds_identical_warnings(tmp_path):
    sheets = {**default_sheets(), "Aktiviteter": without_tid_and_ansvarig(300)}
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets)
    result = CliRunner().invoke(main, ["check", str(workbook)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) < 20, result.output
    assert "  Aktiviteter!C7:C301: … och 295 rader till med samma varning" in lines
    assert "  Aktiviteter!E7:E301: … och 295 rader till med samma varning" in lines
    assert lines[-1].endswith("inga fel, 600 varningar. 300 aktiviteter, 0 klara.")


def test_generate_repeats_the_error_last(tmp_path):
    rows = without_tid_and_ansvarig(40)
    rows[20][0] = None  # row 21 has no Aktivitet
    workbook = write_workbook(tmp_path / "plan.xlsx", {**default_sheets(), "Aktiviteter": rows})
    result = CliRunner().invoke(main, ["generate", str(workbook), "-o", str(tmp_path / "plan.docx")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"{workbook}: 1 fel hittades, inget dokument skrevs. Felet: Aktiviteter!A21: Aktivitet saknas")


def test_the_web_page_answers_folded_findings_with_the_real_counts(web_server, tmp_path):
    workbook = write_workbook(tmp_path / "plan.xlsx", {**default_sheets(), "Aktiviteter": without_tid_and_ansvarig(50)})
    answer = httpx.post(web_server.url + "/api/check", files={"arbetsbok": ("plan.xlsx", workbook.read_bytes())},
                        timeout=120)
    assert answer.status_code == 200
    body = answer.json()
    assert body["varningar"] == 100
    assert len(body["findings"]) == 2 * (SHOWN_PER_KIND + 1)
    assert {"place": "Aktiviteter!C7:C51", "message": "… och 45 rader till med samma varning",
            "severity": "varning"} in body["findings"]


@pytest.mark.slow
def test_a_hundred_thousand_rows(tmp_path):
    """The limit error first and last, the 20 000 warnings about the rows read folded to a few lines."""
    workbook = Workbook(write_only=True)
    for name, rows in default_sheets().items():
        if name != "Aktiviteter":
            sheet = workbook.create_sheet(name)
            for row in rows:
                sheet.append(row)
    sheet = workbook.create_sheet("Aktiviteter")
    sheet.append(ACTIVITY_HEADER)
    for n in range(1, 100_001):
        sheet.append([f"Aktivitet {n}", "Alla", None, "Webb", None, None])
    path = tmp_path / "stor.xlsx"
    workbook.save(path)

    result = CliRunner().invoke(main, ["generate", str(path), "-o", str(tmp_path / "stor.docx")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    limit = "Aktiviteter: planen har 100 000 aktiviteter; högst 10 000 tas med"
    assert lines[:2] == [f"Fel i {path}:", f"  {limit}"]
    assert len(lines) < 20, result.output
    assert "  Aktiviteter!C7:C10001: … och 9 995 rader till med samma varning" in lines
    assert lines[-1] == f"{path}: 1 fel hittades, inget dokument skrevs. Felet: {limit}"

    checked = CliRunner().invoke(main, ["check", str(path)])
    assert checked.output.splitlines()[-1] == (
        f"{path}: 1 fel, 20 000 varningar. 10 000 aktiviteter, 0 klara. Felet: {limit}")
