"""The plan's dates: its year, each activity's period read from Tid, and the follow-up's reference day."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Literal, NamedTuple

from generator.plan.model import Activity, Plan, Value
from generator.plan.periods import Period, Reading, examples, read_period
from generator.plan.values import parse_iso_date

# Every feature (check, document, calendar, reminders, mail) takes a Tid's missing year from here.
# The convention: (activity, plan, today) in that order; today is optional and means dt.date.today().

YearSource = Literal["date", "text", "today"]
MAX_TIME_CHARS = 200  # a longer Tid is no period; it is not parsed (a workbook may hold huge cells)
_YEAR = re.compile(r"\b(19\d\d|2[01]\d\d)\b")  # a year 1900–2199 as a whole word: "mars 2025", "Våren 2025"


class PlanYear(NamedTuple):
    """The year a Tid without one is counted to, and where it was found.

    source is "date" (Datum is a date: a date cell or ISO text such as 2025-03-15), "text"
    (a year written in Datum's text, "mars 2025") or "today" (Datum has no year: the reference day's).
    """

    year: int
    source: YearSource


def read_plan_year(plan: Plan, today: dt.date | None = None) -> PlanYear:
    """The plan's year: Datum's date, else a year written in Datum, else today's year."""
    return _read_plan_year(plan.date, today or dt.date.today())


@functools.lru_cache(maxsize=32)  # every activity's Tid asks for the same Datum
def _read_plan_year(written: Value, today: dt.date) -> PlanYear:
    date = written.date or parse_iso_date(written.text)
    if date is not None:
        return PlanYear(date.year, "date")
    year = _year_in(written.text)
    if year is not None:
        return PlanYear(year, "text")
    return PlanYear(today.year, "today")


def plan_year(plan: Plan, today: dt.date | None = None) -> int:
    """The year a Tid without one is counted to (read_plan_year's year)."""
    return read_plan_year(plan, today).year


@functools.lru_cache(maxsize=32)
def _year_in(text: str) -> int | None:
    """The first year written in a text (remembered: every activity's Tid asks for the same Datum)."""
    found = _YEAR.search(text)
    return int(found.group(1)) if found else None


def read_activity_time(activity: Activity, plan: Plan, today: dt.date | None = None) -> Reading:
    """What the activity's Tid says, a missing year taken from the plan's year."""
    year = plan_year(plan, today)
    if activity.time.date is None and len(activity.time.text) > MAX_TIME_CHARS:
        return Reading(None, f"texten är för lång för att vara en tid; skriv t.ex. {examples(year)}")
    return read_period(activity.time.text, year, activity.time.date)


def activity_period(activity: Activity, plan: Plan, today: dt.date | None = None) -> Period | None:
    """The activity's period, or None when Tid is empty or cannot be read (check warns about it)."""
    return read_activity_time(activity, plan, today).period


def follow_up_date(plan: Plan) -> dt.date | None:
    """The Plan field Uppföljningsdatum as a date (a date cell or ISO text), or None."""
    value = plan.follow_up_date
    return value.date or parse_iso_date(value.text)


def reference_day(plan: Plan, today: dt.date | None = None) -> dt.date:
    """The day the follow-up is counted to: Uppföljningsdatum, else today."""
    return follow_up_date(plan) or today or dt.date.today()


def has_ended(period: Period | None, day: dt.date) -> bool:
    """True when the period has an end and it is before day."""
    return period is not None and period.end is not None and period.end < day
