"""Figures over a plan and a reference day: periods, coverage, follow-up, timeline and sort order."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NamedTuple

from generator.plan.dates import activity_period, reference_day
from generator.plan.model import Activity, Plan
from generator.plan.numformat import SHORT_MONTHS
from generator.plan.periods import Period
from generator.plan.values import normalize_name, split_names

MAX_MONTH_COLUMNS = 18      # past this many months the timeline has one column per quarter
MAX_QUARTER_COLUMNS = 40    # past this many quarters, one column per year
PORTRAIT_COLUMNS = 12       # past this many columns the timeline gets a landscape page
# A bigger plan's timeline shows its first activities (in start order) only: 100 rows fill a few landscape
# pages, more than is read as one picture, and each row holds a cell for every period (36 for 9 years).
MAX_TIMELINE_ROWS = 100
MAX_CHANNELS = 40           # past this many channels, the least used are counted together
NO_GROUP = "(ingen målgrupp angiven)"
OTHER_CHANNELS = "Övriga kanaler"
NO_CHANNEL = "(ingen kanal)"
_CHANNEL_SEPARATORS = re.compile(r"[,;\n/]")
_WORD = re.compile(r"\w+(?:[.-]\w+)*")  # "e-post" and "mittköping.se" are one word each


# -- sort order ----------------------------------------------------------------------


def sorted_activities(plan: Plan, today: dt.date) -> tuple[Activity, ...]:
    """The activity table's order: by start when Sortering is "Tid" (undated last), else the workbook's."""
    if normalize_name(plan.sort_order.text) != "tid":
        return plan.activities
    periods = {a.row: activity_period(a, plan, today) for a in plan.activities}

    def key(activity: Activity) -> tuple[int, dt.date]:
        period = periods[activity.row]
        if period is None:
            return (1, dt.date.max)
        return (0, period.start or dt.date.min)

    return tuple(sorted(plan.activities, key=key))


# -- target groups and channels ------------------------------------------------------


def _activity_groups(activity: Activity) -> tuple[str, ...]:
    """The target-group names an activity's Målgrupp cell gives, as typed."""
    return split_names(activity.target_groups.text)


def _group_names(plan: Plan) -> tuple[str, ...]:
    """Målgrupper's names in sheet order, then names found only on activities (first-seen order)."""
    names: dict[str, str] = {}
    for group in plan.target_groups:
        if group.name:
            names.setdefault(normalize_name(group.name.text), group.name.text.strip())
    for activity in plan.activities:
        for name in _activity_groups(activity):
            names.setdefault(normalize_name(name), name)
    return tuple(names.values())


def _channel_vocabulary(plan: Plan) -> tuple[str, ...]:
    """The channels named in Målgrupper's Kanaler, first-seen order, without repeats."""
    names: dict[str, str] = {}
    for group in plan.target_groups:
        for name in split_names(group.channels.text):
            names.setdefault(normalize_name(name), name)
    return tuple(names.values())


def activity_channels(activity: Activity, vocabulary: tuple[str, ...]) -> tuple[str, ...]:
    """The channels an activity uses, each once.

    Each part of its Kanal (channel_parts) counts under every channel of the vocabulary
    (Målgrupper's Kanaler) it matches (channel_matches: "Möte och e-post" under Möte and
    E-post); a part that matches none is a channel of its own.
    """
    found: dict[str, str] = {}
    for part in channel_parts(activity.channel.text):
        matched = [name for name in vocabulary if channel_matches(name, part)]
        for name in matched or [part]:
            found.setdefault(normalize_name(name), name)
    return tuple(found.values())


def uses_channel(activity: Activity, channel: str) -> bool:
    """Whether an activity's Kanal names channel: the coverage table's rule, which the checks use too."""
    return any(channel_matches(channel, part) for part in channel_parts(activity.channel.text))


def channel_parts(text: str) -> tuple[str, ...]:
    """A Kanal cell's channels: split at comma, semicolon, slash and line break, a closing full stop dropped."""
    parts = (" ".join(part.split()).rstrip(".") for part in _CHANNEL_SEPARATORS.split(text))
    return tuple(part for part in parts if part)


def channel_matches(channel: str, part: str) -> bool:
    """Whether a part of an activity's Kanal is channel: the one rule for the coverage table and the checks.

    Compared without case, as whole words: every word of the one is a word of the other
    ("E-post" matches "Möte och e-post", "Möte med chefer" matches "Möte"; "Möte" does not
    match "Möten", and "Webb" not "Webbinarium": no guessing at inflections).
    """
    wanted, have = _words(channel), _words(part)
    if not wanted or not have:  # a channel without a word ("📧") is only itself
        return not wanted and not have and normalize_name(channel) == normalize_name(part) != ""
    return wanted <= have or have <= wanted


@functools.lru_cache(maxsize=1024)
def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(normalize_name(text)))


class Coverage(NamedTuple):
    """Target groups × channels: how many activities reach each group through each channel."""

    groups: tuple[str, ...]
    channels: tuple[str, ...]
    counts: dict[tuple[int, int], tuple[int, int]]   # (group, channel) index -> (activities, done)

    def cell(self, group: int, channel: int) -> str:
        """The cell's text: "3", "3 (1)" when one of them is done, "–" when none."""
        total, done = self.counts.get((group, channel), (0, 0))
        if not total:
            return "–"
        return f"{total} ({done})" if done else str(total)


def coverage(plan: Plan) -> Coverage | None:
    """The coverage table, or None when the plan names no target groups at all."""
    groups = list(_group_names(plan))
    if not groups:
        return None
    vocabulary = _channel_vocabulary(plan)
    channels: dict[str, str] = {}
    uses: list[tuple[Activity, list[str], tuple[str, ...]]] = []
    for activity in plan.activities:
        named = [normalize_name(n) for n in _activity_groups(activity)] or [normalize_name(NO_GROUP)]
        used = activity_channels(activity, vocabulary) or (NO_CHANNEL,)
        for name in used:
            channels.setdefault(normalize_name(name), _heading(name))
        uses.append((activity, named, used))
    for name in vocabulary:  # channels Målgrupper names that no activity uses: visible as empty columns
        channels.setdefault(normalize_name(name), _heading(name))
    if len(channels) > MAX_CHANNELS:
        uses, channels = _fold_rare_channels(uses, channels)
    if any(named == [normalize_name(NO_GROUP)] for _, named, _ in uses):
        groups.append(NO_GROUP)
    group_index = {normalize_name(g): i for i, g in enumerate(groups)}
    channel_index = {key: i for i, key in enumerate(channels)}
    counts: dict[tuple[int, int], tuple[int, int]] = {}
    for activity, named, used in uses:
        for group in dict.fromkeys(named):
            for channel in used:
                key = (group_index[group], channel_index[normalize_name(channel)])
                total, done = counts.get(key, (0, 0))
                counts[key] = (total + 1, done + activity.done)
    return Coverage(tuple(groups), tuple(channels.values()), counts)


def _heading(channel: str) -> str:
    """A channel as its column's heading: with a capital first ("Möte/workshops" gives Möte and Workshops)."""
    return channel[:1].upper() + channel[1:]


def _fold_rare_channels(
    uses: list[tuple[Activity, list[str], tuple[str, ...]]], channels: dict[str, str]
) -> tuple[list[tuple[Activity, list[str], tuple[str, ...]]], dict[str, str]]:
    """Keep the most used channels (in first-seen order) and count the rest as "Övriga kanaler"."""
    used: dict[str, int] = dict.fromkeys(channels, 0)
    for _, _, names in uses:
        for name in names:
            used[normalize_name(name)] += 1
    kept = set(sorted(channels, key=lambda key: -used[key])[:MAX_CHANNELS - 1])
    folded = [(activity, named, tuple(dict.fromkeys(
        name if normalize_name(name) in kept else OTHER_CHANNELS for name in names)))
        for activity, named, names in uses]
    remaining = {key: name for key, name in channels.items() if key in kept}
    remaining[normalize_name(OTHER_CHANNELS)] = OTHER_CHANNELS
    return folded, remaining


# -- follow-up -----------------------------------------------------------------------


class Share(NamedTuple):
    """How many of some activities are done."""

    label: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def text(self) -> str:
        """ "4 av 15 aktiviteter klara (27 %)", or "inga aktiviteter" for none."""
        if not self.total:
            return "inga aktiviteter"
        noun, adjective = ("aktivitet", "klar") if self.total == 1 else ("aktiviteter", "klara")
        return f"{self.done} av {self.total} {noun} {adjective} ({self.percent}\u00a0%)"


class FollowUp(NamedTuple):
    """The follow-up on a reference day: shares done, overdue activities, indicators."""

    reference: dt.date
    overall: Share
    groups: tuple[Share, ...]
    overdue: tuple[Activity, ...]
    indicators: tuple[Activity, ...]


def has_follow_up(plan: Plan) -> bool:
    """Whether the plan asks for a follow-up: Uppföljningsdatum, or an Indikator, Målvärde or Utfall."""
    return bool(plan.follow_up_date) or any(
        a.indicator or a.target_value or a.outcome for a in plan.activities)


def overdue(plan: Plan, today: dt.date) -> tuple[Activity, ...]:
    """Activities not done (nor cancelled) whose period ended before the reference day."""
    day = reference_day(plan, today)
    late = []
    for activity in plan.activities:
        if activity.done or activity.cancelled:
            continue
        period = activity_period(activity, plan, today)
        if period is not None and period.end is not None and period.end < day:
            late.append(activity)
    return tuple(late)


def follow_up(plan: Plan, today: dt.date) -> FollowUp:
    """The figures of the section Uppföljning, on the reference day."""
    overall = Share("", plan.done_count, len(plan.activities))
    shares = []
    names = _group_names(plan)
    reaching = [(a, {normalize_name(n) for n in _activity_groups(a)}) for a in plan.activities]  # once each
    for name in names:
        key = normalize_name(name)
        reached = [a for a, keys in reaching if key in keys]
        shares.append(Share(name, sum(a.done for a in reached), len(reached)))
    indicators = tuple(a for a in plan.activities if a.indicator or a.target_value or a.outcome)
    return FollowUp(reference_day(plan, today), overall, tuple(shares), overdue(plan, today), indicators)


# -- timeline ------------------------------------------------------------------------


class Column(NamedTuple):
    """One column of the timeline: a month, or a quarter on long plans."""

    start: dt.date
    end: dt.date
    label: str          # "mar", "Q2"
    year: str           # "2019" on the first column and at each new year, else ""
    today: bool


class TimelineRow(NamedTuple):
    """One dated activity: which columns its period covers and whether it runs on."""

    activity: Activity
    period: Period
    shaded: tuple[bool, ...]
    open_end: bool


class Timeline(NamedTuple):
    """All dated activities over the plan's span, in start order."""

    columns: tuple[Column, ...]
    rows: tuple[TimelineRow, ...]
    left_out: int       # dated activities past MAX_TIMELINE_ROWS, not shown
    step: int           # months per column: 1, 3 (quarters) or 12 (years)

    @property
    def landscape(self) -> bool:
        return len(self.columns) > PORTRAIT_COLUMNS


def timeline(plan: Plan, today: dt.date) -> Timeline | None:
    """The timeline, or None when no activity has a Tid that can be read."""
    day = reference_day(plan, today)
    dated = [(a, p) for a in plan.activities if (p := activity_period(a, plan, today)) is not None]
    if not dated:
        return None
    in_order = sorted(dated, key=lambda ap: ap[1].start or dt.date.min)
    shown = in_order[:MAX_TIMELINE_ROWS]  # the columns span these: no empty months for those left out
    starts = [p.start for _, p in shown if p.start is not None]
    ends = [p.end for _, p in shown if p.end is not None]
    first = min(starts + ends, default=day)
    last = max(ends + starts, default=day)
    if any(p.end is None for _, p in shown):
        last = max(last, day)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 1 if months <= MAX_MONTH_COLUMNS else 3 if months <= 3 * MAX_QUARTER_COLUMNS else 12
    columns = _columns(first, last, day, step)
    rows = []
    for activity, period in shown:
        start = period.start or first
        end = period.end or last
        shaded = tuple(c.start <= end and start <= c.end for c in columns)
        rows.append(TimelineRow(activity, period, shaded, period.end is None))
    return Timeline(tuple(columns), tuple(rows), max(0, len(in_order) - MAX_TIMELINE_ROWS), step)


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def _columns(first: dt.date, last: dt.date, day: dt.date, step: int) -> list[Column]:
    """Columns of step months (1, 3 or 12) from first's to last's, aligned to the calendar."""
    columns: list[Column] = []
    year, month = first.year, (first.month - 1) // step * step + 1
    while (year, month) <= (last.year, last.month):
        start, end = dt.date(year, month, 1), _month_end(year, month + step - 1)
        shown_year = str(year) if not columns or month == 1 else ""
        label = {1: SHORT_MONTHS[month - 1], 3: f"Q{(month + 2) // 3}", 12: str(year)}[step]
        columns.append(Column(start, end, label, "" if step == 12 else shown_year, start <= day <= end))
        year, month = (year + 1, 1) if month + step > 12 else (year, month + step)
    return columns
