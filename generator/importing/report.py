"""What import made of a document: the report a person reads, and the collector filling it."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.importing.blocks import Paragraph
from generator.plan.model import Finding, Severity
from generator.workbook.starter import CORE_ACTIVITY_COLUMNS


@dataclass(frozen=True)
class ImportReport:
    """What import made of a document: counts, what became what, what was left out and what is unsure."""

    source: str
    sections: int = 0
    activities: int = 0
    done: int = 0
    mapped: tuple[Finding, ...] = ()
    left_out: tuple[Finding, ...] = ()
    unsure: tuple[Finding, ...] = ()

    def summary(self) -> str:
        """E.g. "7 avsnitt, 15 aktiviteter varav 3 klara"."""
        noun = "aktivitet" if self.activities == 1 else "aktiviteter"
        done = "klar" if self.done == 1 else "klara"
        return f"{self.sections} avsnitt, {self.activities} {noun} varav {self.done} {done}"

    def lines(self) -> list[str]:
        """The whole report as Swedish lines for a person to read."""
        lines = [f"{self.source}: {self.summary()}."]
        for title, group in (("Blev", self.mapped), ("Lämnades utanför", self.left_out),
                             ("Osäkert – kontrollera i arbetsboken", self.unsure)):
            if group:
                lines.append(f"{title}:")
                lines.extend(f"  {finding}" for finding in group)
        return lines


@dataclass
class Collected:
    plan: dict[str, object] = field(default_factory=dict)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    activities: list[list[str]] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    target_groups: list[list[str]] = field(default_factory=list)  # in the order of the sheet Målgrupper's columns
    # The known columns an activity row gives, in order: the default table's, then others the document has.
    columns: tuple[str, ...] = CORE_ACTIVITY_COLUMNS
    mapped: list[Finding] = field(default_factory=list)
    left_out: list[Finding] = field(default_factory=list)
    unsure: list[Finding] = field(default_factory=list)

    def became(self, place: str, message: str) -> None:
        self.mapped.append(Finding(place, message, Severity.WARNING))

    def leave_out(self, place: str, message: str) -> None:
        self.left_out.append(Finding(place, message, Severity.WARNING))

    def doubt(self, place: str, message: str) -> None:
        self.unsure.append(Finding(place, message, Severity.WARNING))


def quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"”{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def where(paragraph: Paragraph) -> str:
    return f"stycke {paragraph.number}"
