"""The plan's dates: its year, each activity's period read from Tid, and the follow-up's reference day."""

from __future__ import annotations

import datetime as dt

from generator.model import Activity, Plan
from generator.periods import EXAMPLES, Period, Reading, read_period
from generator.values import parse_iso_date


def plan_year(plan: Plan, today: dt.date | None = None) -> int:
    """The year a Tid without one is counted to: Datum's year, else this year (the document's date)."""
    if plan.date.date is not None:
        return plan.date.date.year
    return (today or dt.date.today()).year


MAX_TIME_CHARS = 200  # a longer Tid is no period; it is not parsed (a workbook may hold huge cells)


def read_activity_time(activity: Activity, plan: Plan, today: dt.date | None = None) -> Reading:
    """What the activity's Tid says, a missing year taken from the plan's year."""
    if activity.time.date is None and len(activity.time.text) > MAX_TIME_CHARS:
        return Reading(None, f"texten är för lång för att vara en tid; skriv t.ex. {EXAMPLES}")
    return read_period(activity.time.text, plan_year(plan, today), activity.time.date)


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
