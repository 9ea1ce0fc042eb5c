"""Coverage, follow-up, timeline and sort order of a small plan, with the figures worked out by hand."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import living_plan
from generator.checks.core import check_plan
from generator.plan.analysis import (
    NO_CHANNEL,
    NO_GROUP,
    Share,
    activity_channels,
    coverage,
    follow_up,
    sorted_activities,
    timeline,
    uses_channel,
)
from generator.plan.dates import reference_day
from generator.plan.model import Activity, Value
from generator.plan.values import normalize_name

TODAY = dt.date(2026, 11, 27)
GROUPS = [
    {"name": "Politiker", "priority": "Primär", "channels": "Möte, E-post"},
    {"name": "Chefer", "priority": "Sekundär", "channels": "Intranät"},
    {"name": "Föreningar", "priority": "2", "channels": "Möte; Sociala medier"},
]
ACTIVITIES = [
    {"activity": "Nämndmöte", "time": "mars 2019", "channel": "Möte med ppt", "target_groups": "Politiker",
     "done_mark": "Ja", "indicator": "Antal nämnder", "target_value": "3", "outcome": "3"},            # row 2
    {"activity": "PM", "time": "Q1 2019", "channel": "E-post", "target_groups": "Politiker; Chefer"},  # row 3
    {"activity": "Föreningsmöte", "time": "maj 2019 – löpande", "channel": "Möte och e-post",
     "target_groups": "Föreningar, Invånare"},                                                          # row 4
    {"activity": "Intranätsgrupp", "time": "v. 30 2019", "channel": "Intranät", "target_groups": "chefer",
     "indicator": "Medlemmar", "target_value": "50"},                                                   # row 5
    {"activity": "Webb", "time": "snart", "channel": "Webb"},                                           # row 6
    {"activity": "Utbildning", "time": "april", "target_groups": "Politiker", "done_mark": "x"},      # row 7
]


def small_plan(**fields):
    fields.setdefault("date", dt.date(2019, 1, 15))
    fields.setdefault("follow_up_date", dt.date(2019, 6, 30))
    return living_plan(ACTIVITIES, GROUPS, **fields)


def test_coverage_counts_activities_per_group_and_channel_with_done_in_brackets():
    table = coverage(small_plan())
    assert table is not None
    # Sheet order, then names only activities give, then the activities without one.
    assert table.groups == ("Politiker", "Chefer", "Föreningar", "Invånare", NO_GROUP)
    # First-seen order over the activities, then Målgrupper's channels no activity uses.
    assert table.channels == ("Möte", "E-post", "Intranät", "Webb", NO_CHANNEL, "Sociala medier")
    grid = [[table.cell(g, c) for c in range(len(table.channels))] for g in range(len(table.groups))]
    assert grid == [
        ["1 (1)", "1", "–", "–", "1 (1)", "–"],   # Politiker: Nämndmöte (done), PM, Utbildning (done, no Kanal)
        ["–", "1", "1", "–", "–", "–"],           # Chefer: PM, Intranätsgrupp ("chefer" in any case)
        ["1", "1", "–", "–", "–", "–"],           # Föreningar: Föreningsmöte counts under Möte and E-post
        ["1", "1", "–", "–", "–", "–"],           # Invånare: not on the sheet, named on Föreningsmöte
        ["–", "–", "–", "1", "–", "–"],           # Webb has no Målgrupp
    ]


def test_no_coverage_without_target_groups():
    plan = living_plan([{"activity": "A", "channel": "Möte"}])
    assert coverage(plan) is None


def test_channels_split_at_separators_and_match_named_channels_as_whole_words():
    vocabulary = ("Möte", "E-post", "Webb")
    def channels(text):
        return activity_channels(Activity(2, Value("A"), channel=Value(text)), vocabulary)
    assert channels("Möte och e-post") == ("Möte", "E-post")
    assert channels("E-post/telefon") == ("E-post", "telefon")
    assert channels("Möte med ppt och talepunkter") == ("Möte",)
    assert channels("Mötesplats; webbsida") == ("Mötesplats", "webbsida")  # not whole words
    assert channels("Möte, möte") == ("Möte",)
    assert activity_channels(Activity(2, Value("A"), channel=Value("Möte och e-post")), ()) == ("Möte och e-post",)


def test_follow_up_figures():
    figures = follow_up(small_plan(), TODAY)
    assert figures.reference == dt.date(2019, 6, 30)
    assert figures.overall == Share("", 2, 6)
    assert figures.overall.text() == "2 av 6 aktiviteter klara (33\u00a0%)"
    assert [(s.label, s.done, s.total) for s in figures.groups] == [
        ("Politiker", 2, 3), ("Chefer", 0, 2), ("Föreningar", 0, 1), ("Invånare", 0, 1)]
    assert figures.groups[0].text() == "2 av 3 aktiviteter klara (67\u00a0%)"
    assert figures.groups[2].text() == "0 av 1 aktivitet klar (0\u00a0%)"
    # PM (Q1 2019) ended before 30 June and is not done; Utbildning (april) is done; the rest run on.
    assert [a.row for a in figures.overdue] == [3]
    assert [a.row for a in figures.indicators] == [2, 5]


def test_share_of_nothing():
    assert Share("", 0, 0).text() == "inga aktiviteter"
    assert Share("", 1, 1).text() == "1 av 1 aktivitet klar (100\u00a0%)"


def test_reference_day_is_the_follow_up_date_else_today():
    assert reference_day(small_plan(), TODAY) == dt.date(2019, 6, 30)
    assert reference_day(small_plan(follow_up_date=Value("2019-09-01")), TODAY) == dt.date(2019, 9, 1)
    assert reference_day(small_plan(follow_up_date=Value("")), TODAY) == TODAY
    # Everything before today has ended: Nämndmöte is done, Föreningsmöte runs on.
    overdue = follow_up(small_plan(follow_up_date=Value("")), TODAY).overdue
    assert [a.row for a in overdue] == [3, 5]


def test_timeline_months_rows_and_shading():
    line = timeline(small_plan(), TODAY)
    assert line is not None and line.step == 1 and not line.landscape
    assert [c.label for c in line.columns] == ["jan", "feb", "mar", "apr", "maj", "jun", "jul"]
    assert [c.year for c in line.columns] == ["2019", "", "", "", "", "", ""]
    assert [c.today for c in line.columns] == [False] * 5 + [True, False]
    # Start order; Webb ("snart") cannot be read and is left out.
    assert [r.activity.row for r in line.rows] == [3, 2, 7, 4, 5]
    shading = {r.activity.row: "".join("#" if on else "." for on in r.shaded) for r in line.rows}
    assert shading == {3: "###....", 2: "..#....", 7: "...#...", 4: "....###", 5: "......#"}
    assert [r.open_end for r in line.rows] == [False, False, False, True, False]


def test_open_end_reaches_the_reference_day():
    plan = living_plan([{"activity": "A", "time": "mars 2019 – löpande"}], follow_up_date=dt.date(2019, 6, 30))
    line = timeline(plan, TODAY)
    assert line is not None
    assert [c.label for c in line.columns] == ["mar", "apr", "maj", "jun"]
    assert line.rows[0].shaded == (True,) * 4 and line.rows[0].open_end


def test_long_plans_get_quarters_then_years_and_wide_ones_a_landscape_page():
    def columns(text):
        line = timeline(living_plan([{"activity": "A", "time": text}]), TODAY)
        return line.step, [c.label for c in line.columns], line.landscape
    assert columns("dec 2018 – feb 2019") == (1, ["dec", "jan", "feb"], False)
    step, labels, landscape = columns("jan 2018 – jun 2019")   # 18 months: still months, too wide for portrait
    assert step == 1 and len(labels) == 18 and landscape
    assert columns("jan 2018 – jul 2019") == (3, ["Q1", "Q2", "Q3", "Q4", "Q1", "Q2", "Q3"], False)
    step, labels, _ = columns("2000 – 2015")
    assert step == 12 and labels[0] == "2000" and len(labels) == 16


def test_no_timeline_without_a_readable_time():
    assert timeline(living_plan([{"activity": "A", "time": "snart"}, {"activity": "B"}]), TODAY) is None


def test_sort_order_tid_sorts_by_start_with_undated_last():
    assert [a.row for a in sorted_activities(small_plan(), TODAY)] == [2, 3, 4, 5, 6, 7]
    assert [a.row for a in sorted_activities(small_plan(sort_order=" tid "), TODAY)] == [3, 2, 7, 4, 5, 6]


def test_the_coverage_table_and_the_check_read_a_channel_alike():
    # A primary group's channel counts as reached by the check exactly when the table counts it.
    plan = living_plan([{"activity": "Chefsträff", "channel": "Möte", "target_groups": "Chefer"},
                        {"activity": "Nyhetsbrev", "channel": "Mejl/webb", "target_groups": "Chefer"}],
                       [{"name": "Chefer", "priority": "Primär", "channels": "Möte med chefer, E-post, Webb"}])
    table = coverage(plan)
    assert table is not None
    counted = {table.channels[c] for (g, c), (total, _) in table.counts.items() if total}
    assert counted == {"Möte med chefer", "Webb", "Mejl"}
    said = [f.message for f in check_plan(plan) if "primära" in f.message]
    assert said == ["den primära målgruppen Chefer har ingen aktivitet i kanalen E-post"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet="Mötewbpsa -/.📧", max_size=25), min_size=1, max_size=4),
       st.text(alphabet="Mötewbpsa -/,;.📧\n", max_size=40))
@example(["📧"], "📧")
@example(["Möte med chefer", "E-post"], "Möte/e-post, 📧")
def test_a_channel_an_activity_uses_is_one_the_table_counts_it_under(vocabulary, text):
    activity = Activity(2, Value("A"), channel=Value(text))
    used = {normalize_name(name) for name in activity_channels(activity, tuple(vocabulary))}
    for channel in vocabulary:
        if normalize_name(channel):
            assert uses_channel(activity, channel) == (normalize_name(channel) in used), (channel, used)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30), st.booleans()), min_size=1, max_size=8),
       st.text(max_size=40))
def test_coverage_counts_each_activity_once_per_group_and_channel(rows, channels):
    activities = [{"activity": "A", "target_groups": groups, "channel": channel, "done_mark": "Ja" if done else ""}
                  for groups, channel, done in rows]
    plan = living_plan(activities, [{"name": "Politiker", "channels": channels}])
    table = coverage(plan)
    assert table is not None
    for (group, channel), (total, done) in table.counts.items():
        assert 0 <= done <= total <= len(rows)
        assert table.cell(group, channel) == (f"{total} ({done})" if done else str(total))
    assert len(set(table.groups)) == len(table.groups) and len(set(table.channels)) == len(table.channels)


def test_a_big_plan_keeps_its_timeline_and_coverage_bounded():
    from generator.plan.analysis import MAX_CHANNELS, MAX_TIMELINE_ROWS, OTHER_CHANNELS

    activities = [{"activity": f"A{i}", "time": "mars 2019", "target_groups": "Politiker",
                   "channel": "Möte" if i % 2 else f"Kanal {i}"} for i in range(MAX_TIMELINE_ROWS + 50)]
    plan = living_plan(activities, [{"name": "Politiker"}])
    line = timeline(plan, TODAY)
    assert len(line.rows) == MAX_TIMELINE_ROWS and line.left_out == 50
    table = coverage(plan)
    assert len(table.channels) == MAX_CHANNELS
    assert table.channels[0] == "Kanal 0" and table.channels[1] == "Möte" and table.channels[-1] == OTHER_CHANNELS
    # Möte: every odd activity; the 38 kept single-use channels once each; the rest together.
    assert table.cell(0, 1) == str(len(activities) // 2)
    kept_rare = MAX_CHANNELS - 2
    assert table.cell(0, MAX_CHANNELS - 1) == str(len(activities) - len(activities) // 2 - kept_rare)


def test_a_channel_heading_starts_with_a_capital():
    plan = living_plan([{"activity": "Träff", "channel": "Möte/workshops", "target_groups": "Chefer"}],
                       [{"name": "Chefer", "channels": "sociala medier"}])
    table = coverage(plan)
    assert table is not None and table.channels == ("Möte", "Workshops", "Sociala medier")
