"""Cell values as Excel shows them: text cleaning, numbers, dates and yes/no answers."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable

from generator.plan.numformat import MONTHS, _format_with_code, _general

# Characters that XML 1.0, and so a Word document, cannot hold.
_ILLEGAL_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]"
)
_EXCEL_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")

# What Klar (or a Status column read as Klar) may say. Done: a yes or a finished state.
YES = frozenset({
    "ja", "j", "x", "✓", "✔", "1", "sant", "true", "yes",
    "klar", "klart", "gjord", "gjort", "färdig", "färdigt", "avslutad", "avslutat", "genomförd", "genomfört",
    "utförd", "utfört",
})
# Not done: empty, a no, or a state of work not finished ("Pågår", "Ej påbörjad").
NO = frozenset({
    "", "nej", "n", "0", "falskt", "false", "no",
    "pågår", "pågående", "påbörjad", "påbörjat", "ej påbörjad", "ej påbörjat", "inte påbörjad", "inte påbörjat",
    "ej startad", "ej startat", "inte startad", "inte startat", "ej klar", "ej klart", "inte klar", "inte klart",
    "planerad", "planerat", "försenad", "försenat", "vilande", "väntar",
})
# Not done, and not to be done either: left out of reminders and of what is overdue.
CANCELLED = frozenset({
    "avbruten", "avbrutet", "inställd", "inställt", "struken", "struket", "utgår", "utgått",
    "ej aktuell", "ej aktuellt", "inte aktuell", "inte aktuellt",
})


def clean_text(text: str) -> str:
    """Decode Excel's _xHHHH_ escapes, unify line ends and drop what Word cannot hold."""
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if text.isprintable():  # no control, noncharacter or surrogate: nothing to drop or unify
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL_XML.sub("", text)


# Names are compared over and over (every header cell, field and sheet name): short ones are remembered.
_NAME_MEMO_LENGTH = 100


# How much longer or shorter than a name a misspelling of it may be: "Kommunen" is Kommun misspelt,
# "Kommentar" or "Projektledare" (Projekt and more) are names of their own.
_MISSPELT_LENGTH = 2


def meant_name(written: str, names: Iterable[str]) -> str | None:
    """The name among names that written is most likely a misspelling of (as normalize_name compares), or None."""
    key = normalize_name(written)
    candidates = {normalize_name(name): name for name in names}
    near = [k for k in candidates if abs(len(k) - len(key)) <= _MISSPELT_LENGTH]
    close = difflib.get_close_matches(key, near, n=1, cutoff=0.6)
    return candidates[close[0]] if close else None


def normalize_name(name: object) -> str:
    """A sheet, column or field name as compared: case, Unicode form and spacing ignored."""
    if name is None:
        return ""
    if type(name) is str and len(name) <= _NAME_MEMO_LENGTH:
        return _normalized(name)
    return _normalize(str(name))


@functools.lru_cache(maxsize=4096)
def _normalized(name: str) -> str:
    return _normalize(name)


def _normalize(name: str) -> str:
    text = clean_text(name)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split()).casefold()


def format_number(value: float | int, number_format: str = "General") -> str:
    """A number as Excel shows it in a Swedish locale, by its number format: 42; 3,5; 25 %; 15 000 kr."""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if number_format and number_format.strip().lower() not in ("general", "@", ""):
        shown = _format_with_code(value, number_format)
        if shown is not None:
            return shown
    return _general(value)


def format_date(value: dt.date) -> str:
    """A date as ISO text, never with a time: 2019-03-15."""
    return value.isoformat()


def long_date(value: dt.date) -> str:
    """A date in Swedish long form: 15 augusti 2018."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def parse_iso_date(text: str) -> dt.date | None:
    """A date typed as text, 2018-08-15 or 2018-08-15 10:00; None for anything else."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*", text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def parse_done(text: str) -> bool | None:
    """True for a yes in Klar, False for empty, a no or unfinished or cancelled work, None for anything else."""
    key = normalize_name(text)
    if key in YES:
        return True
    if key in NO or key in CANCELLED:
        return False
    return None


def is_cancelled(text: str) -> bool:
    """Whether Klar says the activity was cancelled ("Avbruten", "Inställd"): not done, and not to be done."""
    return normalize_name(text) in CANCELLED


def format_count(count: int) -> str:
    """A count in a message, with Swedish digit grouping by a plain space: 10 000."""
    return f"{count:,}".replace(",", " ")


def counted(count: int, one: str, many: str) -> str:
    """A count and its noun as Swedish says it: "1 varning", "2 varningar", "10 000 aktiviteter"."""
    return f"{format_count(count)} {one if count == 1 else many}"


_NAME_SEPARATORS = re.compile(r"[,;\n]")


def split_names(text: str) -> tuple[str, ...]:
    """Names in one cell, separated by comma, semicolon or line break: "Politiker; Föreningar"."""
    return tuple(name for name in (" ".join(part.split()) for part in _NAME_SEPARATORS.split(text)) if name)
