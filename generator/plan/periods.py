"""Read the Swedish periods people write in Tid ("Höst 2018 – pågående", "v. 12–14 2019") as dates."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from generator.plan.numformat import MONTHS

_EXAMPLE_YEAR = 2019  # the examples' year when a plan has none


def examples(year: int | None = None) -> str:
    """Tid texts that are read, as a message suggests them: in the plan's year, so that they look like its own."""
    y = year or _EXAMPLE_YEAR
    return f"”mars {y}”, ”hösten {y} – pågående”, ”Q3 {y}”, ”v. 12–14 {y}” eller ”{y}-03-15”"

# Month names and the abbreviations people write ("okt", "sept", "febr").
_MONTH_WORDS: dict[str, int] = {}
for _number, _name in enumerate(MONTHS, start=1):
    _MONTH_WORDS[_name] = _number
    _MONTH_WORDS[_name[:3]] = _number
_MONTH_WORDS.update({"sept": 9, "febr": 2, "aug": 8, "dec": 12})
# Seasons as (first month, last month); "vintern" spans the turn of the year (see season_span).
_SEASONS = {
    "vår": (1, 6), "våren": (1, 6), "vt": (1, 6), "vårterminen": (1, 6),
    "sommar": (6, 8), "sommaren": (6, 8),
    "höst": (8, 12), "hösten": (8, 12), "ht": (8, 12), "höstterminen": (8, 12),
    "vinter": (12, 2), "vintern": (12, 2),
}
_OPEN = frozenset({"pågående", "löpande", "fortlöpande", "tillsvidare", "framåt", "kontinuerligt", "fortsatt"})
# Words that say nothing about when: "prel. mars", "under hösten", "senast april", "från maj".
_NOISE = frozenset({
    "prel", "preliminärt", "preliminär", "preliminart", "ca", "cirka", "omkring", "runt", "under", "i",
    "senast", "planerat", "planeras", "start", "och", "med", "fr", "o", "m", "fom", "tom", "tills", "vidare",
    "början", "mitten", "slutet", "av", "på", "året", "år", "ev", "eventuellt",
})
_WEEK_WORDS = frozenset({"v", "vecka", "veckan", "veckorna", "vv", "v:a", "vecka:"})
_QUARTER_WORDS = frozenset({"q", "kvartal", "kv", "kvartalet"})
_TOKEN = re.compile(
    r"(?P<iso>\d{4}-\d{1,2}-\d{1,2})"
    r"|(?P<dm>\d{1,2}/\d{1,2}(?:/\d{4})?)"
    r"|(?P<yy>\d{4}/\d{4})"
    r"|(?P<qn>[qk]\d)\b"
    r"|(?P<sy>(?:vt|ht)\d{2})\b"
    r"|(?P<num>\d+)(?::[ae])?"
    r"|(?P<word>[^\W\d_]+)\.?"
    r"|(?P<dash>[-–—])"
    r"|(?P<other>\S)"
)


class Period(NamedTuple):
    """A span of days; start None means from the plan's start, end None an open end ("pågående")."""

    start: dt.date | None
    end: dt.date | None
    year_assumed: bool = False

    @property
    def open_end(self) -> bool:
        return self.end is None


class Reading(NamedTuple):
    """What a Tid text says: a period, or why it could not be read (Swedish, with examples)."""

    period: Period | None
    problem: str = ""


class _Point(NamedTuple):
    """One side of a range: a span that needs a year (given, or taken from the other side)."""

    year: int | None
    span: Callable[[int], tuple[dt.date, dt.date]]


class _Unreadable(ValueError):
    """The text is not one of the forms this reader knows."""


def read_period(text: str, default_year: int | None = None, cell_date: dt.date | None = None) -> Reading:
    """Read a Tid cell: a date cell, or a Swedish period of months, seasons, quarters, weeks or dates.

    A missing year is taken from default_year (the plan's year) and marked year_assumed.
    Nothing is guessed: a text that is not one of the known forms, or is ambiguous, is a problem.
    """
    if cell_date is not None:
        return Reading(Period(cell_date, cell_date))
    if not text.strip():
        return Reading(None, "")
    if len(text) <= _MEMO_CHARS:
        return _remembered_reading(text, default_year)
    return _reading(text, default_year)


_MEMO_CHARS = 200  # the same few Tid texts come back in plan after plan: their readings are remembered


@functools.lru_cache(maxsize=2048)
def _remembered_reading(text: str, default_year: int | None) -> Reading:
    return _reading(text, default_year)


def _reading(text: str, default_year: int | None) -> Reading:
    try:
        tokens = _tokens(text)
        period = _Parser(tokens, default_year).parse()
    except _Unreadable as exc:
        detail = str(exc)
        return Reading(None, (detail + "; " if detail else "") + f"skriv t.ex. {examples(default_year)}")
    return Reading(period)


def _tokens(text: str) -> list[tuple[str, str]]:
    cleaned = re.sub(r"\([^)]*\)?", " ", text.casefold())  # "(när avtal är på plats)"
    cleaned = cleaned.replace("fr.o.m.", " från ").replace("t.o.m.", " till ").replace("t.o.m", " till ")
    cleaned = re.sub(r"\btills\s+vidare\b", " tillsvidare ", cleaned)
    tokens = []
    for match in _TOKEN.finditer(cleaned):
        kind = match.lastgroup or "other"
        value = match.group(kind)
        if kind == "word":
            value = value.rstrip(".")
            if value == "till":
                kind = "dash"
            elif value == "från":
                kind = "from"
            elif value in _NOISE:
                continue
        if kind == "other":
            if value in ",.:;!?":
                continue
            raise _Unreadable(f"tecknet ”{value}” förstås inte")
        tokens.append((kind, value))
    return tokens


class _Parser:
    """A small recursive-descent reader over the tokens of one Tid text."""

    def __init__(self, tokens: list[tuple[str, str]], default_year: int | None) -> None:
        self.tokens = tokens
        self.index = 0
        self.default_year = default_year
        self.year_assumed = False

    def peek(self, offset: int = 0) -> tuple[str, str]:
        position = self.index + offset
        return self.tokens[position] if position < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.index += 1
        return token

    def parse(self) -> Period:
        if not self.tokens:
            raise _Unreadable("ingen tid")
        if self._open_word():
            self._expect_end()
            return Period(None, None)
        starts_from = self.peek()[0] == "from"  # "från maj 2019": from then on
        if starts_from:
            self.take()
        first = self._point()
        if self.peek()[0] == "dash":
            self.take()
            if self._open_word():
                self._expect_end()
                start, _ = self._resolve(first)
                return Period(start, None, self.year_assumed)
            second = self._point()
            self._expect_end()
            return self._range(first, second)
        if self._open_word() or starts_from:  # "Höst 2018 pågående" (the dash lost at a line break)
            self._expect_end()
            start, _ = self._resolve(first)
            return Period(start, None, self.year_assumed)
        self._expect_end()
        start, end = self._resolve(first)
        return Period(start, end, self.year_assumed)

    def _open_word(self) -> bool:
        if self.peek() in (("word", w) for w in _OPEN):
            self.take()
            return True
        return False

    def _expect_end(self) -> None:
        if self.index < len(self.tokens):
            raise _Unreadable(f"”{self.peek()[1]}” förstås inte")

    def _year(self, year: int | None) -> int:
        if year is not None:
            return year
        if self.default_year is None:
            raise _Unreadable("året saknas")
        self.year_assumed = True
        return self.default_year

    def _resolve(self, point: _Point) -> tuple[dt.date, dt.date]:
        try:
            return point.span(self._year(point.year))
        except ValueError as exc:
            raise _Unreadable(str(exc) if isinstance(exc, _Unreadable) else "datumet finns inte") from None

    def _range(self, first: _Point, second: _Point) -> Period:
        if first.year is None and second.year is not None:
            year = second.year
            start, _ = self._span(first, year)
            _, end = self._span(second, year)
            if start > end:  # "nov – feb 2019": the start lies in the year before
                start, _ = self._span(first, year - 1)
        else:
            start, _ = self._resolve(first)
            year = second.year if second.year is not None else start.year
            _, end = self._span(second, year)
            if end < start and second.year is None:  # "Höst 2018 – vår": the end lies in the year after
                _, end = self._span(second, year + 1)
        if end < start:
            raise _Unreadable("perioden slutar innan den börjar")
        return Period(start, end, self.year_assumed)

    @staticmethod
    def _span(point: _Point, year: int) -> tuple[dt.date, dt.date]:
        try:
            return point.span(year)
        except ValueError:
            raise _Unreadable("datumet finns inte") from None

    # -- points --------------------------------------------------------------------

    def _point(self) -> _Point:
        kind, value = self.take()
        if kind == "iso":
            date = _iso(value)
            return _Point(date.year, lambda _y: (date, date))
        if kind == "dm":
            return self._day_month_slash(value)
        if kind == "qn":
            return self._quarter(int(value[1:]))
        if kind == "_day":  # the end of a day range ("15–20 mars 2019"), queued by _number
            day_text, month_text, year_text = value.split("/")
            return _Point(int(year_text) if year_text else None, _day(int(day_text), int(month_text)))
        if kind == "sy":
            first, last = _SEASONS[value[:2]]
            return _Point(2000 + int(value[2:]), _season(first, last))
        if kind == "num":
            return self._number(value)
        if kind == "word":
            return self._word(value)
        raise _Unreadable(f"”{value}” förstås inte" if value else "tiden är ofullständig")

    def _optional_year(self) -> int | None:
        kind, value = self.peek()
        if kind == "num" and len(value) == 4:
            self.take()
            return _plausible_year(value)
        if kind == "yy":  # "vintern 2018/2019": the year it ends in
            self.take()
            first, second = (int(v) for v in value.split("/"))
            if second != first + 1:
                raise _Unreadable(f"”{value}” är inga två år i följd")
            return second
        return None

    def _number(self, value: str) -> _Point:
        if len(value) == 4:  # a year alone: the whole year
            year = _plausible_year(value)
            return _Point(year, lambda y: (dt.date(y, 1, 1), dt.date(y, 12, 31)))
        day = int(value)
        kind, word = self.peek()
        if kind == "dash" and self.peek(1)[0] == "num" and self.peek(2)[0] == "word" \
                and self.peek(2)[1] in _MONTH_WORDS:
            # "15–20 mars 2019": a range of days in one month
            self.take()
            last = int(self.take()[1])
            month = _MONTH_WORDS[self.take()[1]]
            shared = self._optional_year()
            self.tokens.insert(self.index, ("dash", "-"))
            self.tokens.insert(self.index + 1, ("_day", f"{last}/{month}/{shared or ''}"))
            return _Point(shared, _day(day, month))
        if kind == "word" and word in _MONTH_WORDS:
            self.take()
            return _Point(self._optional_year(), _day(day, _MONTH_WORDS[word]))
        raise _Unreadable(f"talet ”{value}” förstås inte utan månad eller vecka")

    def _word(self, value: str) -> _Point:
        if value in _MONTH_WORDS:
            return _Point(self._optional_year(), _month(_MONTH_WORDS[value]))
        if value in _SEASONS:
            first, last = _SEASONS[value]
            return _Point(self._optional_year(), _season(first, last))
        if value in _QUARTER_WORDS:
            kind, number = self.take()
            if kind != "num":
                raise _Unreadable("kvartalets nummer saknas")
            return self._quarter(int(number))
        if value in _WEEK_WORDS:
            return self._weeks()
        raise _Unreadable(f"”{value}” förstås inte")

    def _quarter(self, number: int) -> _Point:
        if not 1 <= number <= 4:
            raise _Unreadable(f"kvartal {number} finns inte")
        first = 3 * number - 2
        return _Point(self._optional_year(), lambda y: (dt.date(y, first, 1), _month_end(y, first + 2)))

    def _weeks(self) -> _Point:
        kind, number = self.take()
        if kind != "num":
            raise _Unreadable("veckans nummer saknas")
        first = last = int(number)
        if self.peek()[0] == "dash" and self.peek(1)[0] == "num" and len(self.peek(1)[1]) <= 2:
            self.take()
            last = int(self.take()[1])
        year = self._optional_year()
        if not (1 <= first <= 53 and first <= last <= 53):
            raise _Unreadable(f"vecka {number} finns inte")

        def span(y: int) -> tuple[dt.date, dt.date]:
            return dt.date.fromisocalendar(y, first, 1), dt.date.fromisocalendar(y, last, 7)

        return _Point(year, span)

    def _day_month_slash(self, value: str) -> _Point:
        parts = value.split("/")
        day, month = int(parts[0]), int(parts[1])
        if not 1 <= month <= 12:
            raise _Unreadable(f"”{value}” är inget datum")
        year: int | None = _plausible_year(parts[2]) if len(parts) == 3 else self._optional_year()
        return _Point(year, _day(day, month))


def _plausible_year(text: str) -> int:
    year = int(text)
    if not 1900 <= year <= 2200:
        raise _Unreadable(f"året {text} är inte rimligt")
    return year


def _iso(text: str) -> dt.date:
    try:
        return dt.date(*(int(part) for part in text.split("-")))
    except ValueError:
        raise _Unreadable(f"datumet {text} finns inte") from None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month(month: int) -> Callable[[int], tuple[dt.date, dt.date]]:
    return lambda y: (dt.date(y, month, 1), _month_end(y, month))


def _day(day: int, month: int) -> Callable[[int], tuple[dt.date, dt.date]]:
    def span(year: int) -> tuple[dt.date, dt.date]:
        date = dt.date(year, month, day)
        return date, date

    return span


def _season(first: int, last: int) -> Callable[[int], tuple[dt.date, dt.date]]:
    """A season in a year; "vintern 2019" is the winter that ends in 2019: december 2018 – februari 2019."""
    if first <= last:
        return lambda y: (dt.date(y, first, 1), _month_end(y, last))
    return lambda y: (dt.date(y - 1, first, 1), _month_end(y, last))
