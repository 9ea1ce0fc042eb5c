"""Immutable records (NamedTuples) for a plan as read from a workbook, and for findings."""

from __future__ import annotations

import datetime as dt
import enum
from typing import NamedTuple

from generator.plan.values import counted, is_cancelled, parse_done


class Severity(enum.Enum):
    """How serious a finding is: an error stops generation, a warning does not."""

    ERROR = "fel"
    WARNING = "varning"


class Finding(NamedTuple):
    """One problem found in a workbook or template, with the place it is at."""

    place: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


class HasFindings:
    """errors and warnings of an object's findings (a run's result, an upload's check)."""

    __slots__ = ()
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_error)


class Value(NamedTuple):
    """A value read from a cell, as text shown in Excel, with the cell it came from."""

    text: str
    cell: str = ""
    date: dt.date | None = None

    def __bool__(self) -> bool:
        return bool(self.text.strip())


EMPTY = Value("")


class Block(NamedTuple):
    """One paragraph of a section: running text or a bullet point."""

    text: str
    bullet: bool = False


class Section(NamedTuple):
    """A heading with its text, one row of the sheet "Avsnitt"."""

    heading: Value
    blocks: tuple[Block, ...]
    row: int = 0


class Activity(NamedTuple):
    """One row of the sheet "Aktiviteter"."""

    row: int
    activity: Value
    purpose: Value = EMPTY
    time: Value = EMPTY
    channel: Value = EMPTY
    responsible: Value = EMPTY
    done_mark: Value = EMPTY
    target_groups: Value = EMPTY   # "Målgrupp": names from the sheet Målgrupper, separated by , ; or line breaks
    indicator: Value = EMPTY       # "Indikator"
    target_value: Value = EMPTY    # "Målvärde"
    outcome: Value = EMPTY         # "Utfall"
    marked_red: bool = False
    extra: tuple[tuple[str, Value], ...] = ()

    @property
    def done(self) -> bool:
        """Done when Klar holds a yes, or when the whole row was coloured red."""
        return self.marked_red or parse_done(self.done_mark.text) is True

    @property
    def cancelled(self) -> bool:
        """Klar (or Status) says the activity was cancelled ("Avbruten"): not done, and not due either."""
        return not self.done and is_cancelled(self.done_mark.text)


class TargetGroup(NamedTuple):
    """One row of the optional sheet "Målgrupper": a target group and what it needs."""

    row: int
    name: Value                    # "Målgrupp" (required)
    priority: Value = EMPTY        # "Prioritet": Primär/Sekundär, or 1–3
    needs: Value = EMPTY           # "Behöver veta": what the group needs to know, feel or do
    message: Value = EMPTY         # "Budskap"
    channels: Value = EMPTY        # "Kanaler": names separated by , ; or line breaks
    comment: Value = EMPTY         # "Kommentar"


class Recipient(NamedTuple):
    """One row of the optional sheet "Sändlista": who gets the plan by e-mail."""

    row: int
    email: Value
    name: Value = EMPTY
    role: Value = EMPTY


class Plan(NamedTuple):
    """Everything the workbook says: the fields of "Plan", the sections and the activities."""

    source: str
    municipality: Value = EMPTY
    title: Value = EMPTY
    date: Value = EMPTY
    project: Value = EMPTY
    slogan: Value = EMPTY
    logo: Value = EMPTY
    sections: tuple[Section, ...] = ()
    activities: tuple[Activity, ...] = ()
    extra_fields: tuple[tuple[str, Value], ...] = ()
    extra_columns: tuple[str, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    target_groups: tuple[TargetGroup, ...] = ()
    sort_order: Value = EMPTY        # Plan field "Sortering": "Tid" sorts the activity table by start
    follow_up_date: Value = EMPTY    # Plan field "Uppföljningsdatum": the reference day of the follow-up
    base_dir: str = "."
    findings: tuple[Finding, ...] = ()

    @property
    def done_count(self) -> int:
        return sum(1 for a in self.activities if a.done)

    def summary(self) -> str:
        """The one-line summary the CLI prints, e.g. "15 aktiviteter, 4 klara"."""
        activities = counted(len(self.activities), "aktivitet", "aktiviteter")
        return f"{activities}, {counted(self.done_count, 'klar', 'klara')}"
