"""Shared fixtures: small workbooks built in tmp_path, and readers for generated documents."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "aktivitetsplan.xlsx"
ACTIVITY_HEADER = ["Aktivitet", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig", "Klar"]

Sheets = dict[str, list[list[Any]]]


def default_sheets() -> Sheets:
    """A small valid plan: three sections, three activities, one of them done."""
    return {
        "Plan": [
            ["Fält", "Värde"],
            ["Kommun", "Testköping"],
            ["Datum", dt.date(2019, 3, 15)],
            ["Projekt", "Bokning och bidrag"],
            ["Slogan", "VI GÖR DET ENKLARE!"],
        ],
        "Avsnitt": [
            ["Rubrik", "Text"],
            ["Bakgrund", "Första stycket.\n\nAndra stycket\nmed radbrytning."],
            ["Målgrupper", "Inledning\n- Politiker\n- Föreningar"],
            ["Budskap", "• Enklare att boka\n* Enklare att söka bidrag"],
        ],
        "Aktiviteter": [
            ACTIVITY_HEADER,
            ["Presentation på nämndmöte", "Ge politiker information", "Våren 2019", "Möte", "Anna", "Ja"],
            ["Nyhet på intranätet", "Alla medarbetare", "April 2019", "Intranät", "Bo", ""],
            ["Möte med föreningar", "Föreningar får veta", "Maj 2019", "Möte", "", "nej"],
        ],
    }


def write_workbook(path: Path, sheets: Sheets, style: Callable[[Workbook], None] | None = None) -> Path:
    """Write sheets (name -> rows) as an .xlsx at path; style may format cells first."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if style is not None:
        style(workbook)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """Build a workbook in tmp_path: make_workbook(sheets=None, name=..., style=None, **sheet_overrides)."""

    def make(sheets: Sheets | None = None, name: str = "plan.xlsx",
             style: Callable[[Workbook], None] | None = None, **overrides: list[list[Any]]) -> Path:
        content = sheets if sheets is not None else default_sheets()
        content = {**content, **overrides}
        return write_workbook(tmp_path / name, content, style)

    return make


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """The example workbook and its logo, copied into tmp_path."""
    target = tmp_path / "aktivitetsplan.xlsx"
    shutil.copy(EXAMPLE, target)
    shutil.copy(EXAMPLE.parent / "logotyp.png", tmp_path / "logotyp.png")
    return target


def body_texts(path: Path) -> list[str]:
    """The texts of the document's top-level paragraphs, in order."""
    return [p.text for p in Document(str(path)).paragraphs]


def table_rows(path: Path) -> list[list[str]]:
    """The activity table as lists of cell texts (header row first)."""
    document = Document(str(path))
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]
