"""Places as findings name them ("Aktiviteter!A5"): read back into sheet and cell, and findings in cell order."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from generator.plan.model import Finding
from generator.plan.schema import SHEETS

_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]*)")


class SheetPlace(NamedTuple):
    """A place on a sheet: the sheet's name and what follows the "!" (a cell, a range, a field's name)."""

    sheet: str
    where: str

    @property
    def cell(self) -> tuple[int, int] | None:
        """(row, column) of the place's first cell, both from 1; None when it names no cell."""
        found = _CELL.fullmatch(self.where.split(":", 1)[0])
        if found is None:
            return None
        column = 0
        for letter in found.group(1):
            column = column * 26 + ord(letter) - ord("A") + 1
        return int(found.group(2)), column

    @property
    def is_range(self) -> bool:
        first, colon, last = self.where.partition(":")
        return bool(colon) and _CELL.fullmatch(first) is not None and _CELL.fullmatch(last) is not None


def sheet_place(place: str) -> SheetPlace | None:
    """The sheet and cell of a place written "Blad!A5" (or "Blad!A5:C7", "Plan!Titel"); None for other places."""
    sheet, bang, where = place.rpartition("!")
    if not bang or not sheet.strip() or not where.strip():
        return None
    return SheetPlace(sheet, where)


def in_cell_order(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings as a reader meets them in the workbook: the sheets in the order init writes them, then row, column.

    Places on other sheets follow in the order they first came; places on no sheet (a file, a
    template) keep theirs, before the sheets. The order is otherwise stable.
    """
    listed = list(findings)
    known = {sheet.name: index for index, sheet in enumerate(SHEETS)}
    others: dict[str, int] = {}

    def key(finding: Finding) -> tuple[int, int, int]:
        place = sheet_place(finding.place)
        if place is None:
            return (-1, 0, 0)
        rank = known.get(place.sheet)
        if rank is None:
            rank = others.setdefault(place.sheet, len(known) + len(others))
        return (rank, *(place.cell or (0, 0)))

    ranked = [(key(f), index, f) for index, f in enumerate(listed)]
    return tuple(f for _, _, f in sorted(ranked, key=lambda item: (item[0], item[1])))
