"""Numbers and dates as a Swedish Excel shows them, from the cell's number format code.

A tested subset of Excel's format codes: sections (positive;negative;zero), digit
placeholders 0 # ?, thousands grouping and scaling commas, fixed decimals, percent,
quoted and escaped text, [$kr-41D] currency and locale tags, colours ([Red]) ignored,
General inside a section, and date and time codes with Swedish month and day names.
What is outside the subset (fractions, exponents, conditions) falls back to plain
Swedish formatting of the number. Decimal comma; thousands are grouped with a no-break space.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The thousands separator numbers are shown with: a no-break space, as Swedish Excel shows them.
THOUSANDS = "\u00a0"

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)

SHORT_MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
SHORT_WEEKDAYS = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")
# Excel's built-in short date (numFmtId 14) and date-time (22) follow the system's locale: Swedish ISO dates.
LOCALE_FORMATS = {14: "yyyy-mm-dd", 22: "yyyy-mm-dd hh:mm"}
# A "/" in a date code is the locale's date separator (a Swedish LibreOffice saves yyyy-mm-dd as yyyy/mm/dd).
DATE_SEPARATOR = "-"

_TOKEN = re.compile(
    r'"(?P<quoted>[^"]*)"?|\\(?P<escaped>.)|_.|\*.|\[(?P<bracket>[^\]]*)\]'
    r"|(?P<general>general)|(?P<ampm>am/pm|a/p)|(?P<date>y+|m+|d+|h+|s+|e+)(?P<frac>\.0+)?"
    r"|(?P<char>.)",
    re.IGNORECASE | re.DOTALL,
)


class _Unsupported(Exception):
    """A format code outside the subset: the caller falls back to plain formatting."""


def _split_sections(code: str) -> list[str]:
    """A format code's sections, split on semicolons outside quotes and brackets."""
    sections: list[str] = []
    current: list[str] = []
    quoted = bracket = escaped = False
    for char in code:
        if escaped:
            escaped = False
        elif char == "\\" and not quoted:
            escaped = True
        elif char == '"' and not bracket:
            quoted = not quoted
        elif char == "[" and not quoted:
            bracket = True
        elif char == "]" and not quoted:
            bracket = False
        elif char == ";" and not quoted and not bracket:
            sections.append("".join(current))
            current = []
            continue
        current.append(char)
    sections.append("".join(current))
    return sections


def _tokens(section: str) -> list[tuple[str, str]]:
    """(kind, text) tokens: lit, general, ph (0 # ?), dot, comma, pct, date, ampm, other."""
    found: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(section):
        text = match.group(0)
        if match.group("quoted") is not None:
            found.append(("lit", match.group("quoted")))
        elif match.group("escaped") is not None:
            found.append(("lit", match.group("escaped")))
        elif text[0] in "_*":
            continue  # padding and fill characters: alignment only
        elif match.group("bracket") is not None:
            found.extend(_bracket(match.group("bracket")))
        elif match.group("general"):
            found.append(("general", text))
        elif match.group("ampm"):
            found.append(("ampm", text))
        elif match.group("date"):
            found.append(("date", match.group("date").lower()))
        elif text in "0#?":
            found.append(("ph", text))
        elif text == ".":
            found.append(("dot", text))
        elif text == ",":
            found.append(("comma", text))
        elif text == "%":
            found.append(("pct", text))
        elif text in "Ee/":
            found.append(("other", text))
        else:
            found.append(("lit", text))
    return found


def _bracket(content: str) -> list[tuple[str, str]]:
    if content.startswith("$"):
        symbol = content[1:].split("-", 1)[0]
        return [("lit", symbol)] if symbol else []
    lowered = content.lower()
    if lowered and lowered[0] in "<>=":
        raise _Unsupported(content)
    if re.fullmatch(r"h+|m+|s+", lowered):
        return [("elapsed", lowered)]
    return []  # colours such as [Red] or [Färg10], and other tags: not shown


def _section_for(sections: list[str], value: float) -> tuple[str, bool]:
    """The section a value is shown with, and whether a minus sign must be added."""
    if value < 0:
        if len(sections) >= 2:
            return sections[1], False
        return sections[0], True
    if value == 0 and len(sections) >= 3:
        return sections[2], False
    return sections[0], False


def _format_with_code(value: float | int, code: str) -> str | None:
    """A number as Excel shows it with a number format code; None when the code is outside the subset."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        sections = _split_sections(code)
        section, minus = _section_for(sections, value)
        tokens = _tokens(section)
        if any(kind in ("date", "ampm", "elapsed", "other") for kind, _ in tokens):
            return None
        if len(sections) >= 2 and value < 0:
            value = -value
        text = _render_number(abs(value) if minus else value, tokens)
    except (_Unsupported, InvalidOperation, ValueError, OverflowError):
        return None
    return "-" + text if minus and text else text


def _general(value: float | int) -> str:
    """A number as Excel's General format shows it: up to 15 significant digits, decimal comma."""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"
    if "e" in text and abs(value) >= 1e15:
        mantissa, exponent = text.split("e")
        return f"{mantissa.replace('.', ',')}E{int(exponent):+03d}"
    return format(Decimal(text), "f").replace(".", ",")


def _render_number(value: float | int, tokens: list[tuple[str, str]]) -> str:
    kinds = [kind for kind, _ in tokens]
    if "general" in kinds:
        return "".join(_general(value) if kind == "general" else text for kind, text in tokens
                       if kind in ("general", "lit"))
    places = [i for i, kind in enumerate(kinds) if kind in ("ph", "dot")]
    if not places:
        return "".join(text for kind, text in tokens if kind == "lit")
    first, last = places[0], places[-1]
    number = tokens[first : last + 1]
    scale = 0
    after = last + 1
    while after < len(tokens) and tokens[after][0] == "comma":
        scale += 1
        after += 1
    percent = kinds.count("pct")
    dot = next((i for i, (kind, _) in enumerate(number) if kind == "dot"), len(number))
    integer, decimals = number[:dot], [t for t in number[dot + 1 :] if t[0] == "ph"]
    grouping = any(kind == "comma" for kind, _ in integer) or any(
        kind == "lit" and text == " " for kind, text in integer[1:-1])
    min_integer = sum(1 for kind, text in integer if kind == "ph" and text == "0")
    zeros = [i for i, (_, text) in enumerate(decimals) if text == "0"]
    min_decimals = zeros[-1] + 1 if zeros else 0
    amount = Decimal(repr(float(value))) * (Decimal(100) ** percent) / (Decimal(1000) ** scale)
    rounded = amount.quantize(Decimal(1).scaleb(-len(decimals)), rounding=ROUND_HALF_UP)
    whole, _, fraction = format(abs(rounded), "f").partition(".")
    fraction = fraction.rstrip("0").ljust(min_decimals, "0") if len(fraction) > min_decimals else fraction
    whole = whole.lstrip("0").rjust(min_integer, "0")
    if grouping and whole:
        whole = f"{int(whole):,}".replace(",", THOUSANDS).rjust(min_integer, "0")
    shown = whole + ("," + fraction if fraction else "")
    if rounded < 0:
        shown = "-" + shown
    out = []
    for index, (kind, text) in enumerate(tokens):
        if index == first:
            out.append(shown)
        elif first < index <= last or kind == "comma":
            continue
        elif kind == "pct":
            out.append("%")  # as Excel shows it: 25%
        elif kind == "lit":
            out.append(text)
    return "".join(out)


@functools.lru_cache(maxsize=256)
def from_libreoffice(code: str) -> str:
    """A number format as a Swedish LibreOffice meant it when it saved it.

    LibreOffice in Swedish saves the space between a number and its quoted unit as a comma:
    '#,##0 "kr"' becomes '#,##0,"kr"', which would divide by a thousand (15 000 shown as 15kr).
    A single comma right after a digit placeholder and right before quoted text is read as that space.
    """
    if ',"' not in code:
        return code
    out: list[str] = []
    quoted = escaped = False
    for index, char in enumerate(code):
        if escaped:
            escaped = False
        elif char == "\\" and not quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif (char == "," and not quoted and code[index + 1 : index + 2] == '"' and index
              and code[index - 1] in "0#?" and not (index > 1 and code[index - 2] == "\\")):
            char = " "
        out.append(char)
    return "".join(out)


def format_moment(moment: dt.datetime | dt.date | dt.time, code: str) -> str | None:
    """A date or time as Excel shows it with a date format code; a date at midnight without its 00:00.

    None when the code holds no date or time part, or is outside the subset.
    """
    try:
        tokens = _tokens(_split_sections(code)[0])
    except _Unsupported:
        return None
    parts = [t for t in tokens if t[0] in ("date", "elapsed", "ampm")]
    if not parts:
        return None
    has_date = any(kind == "date" and text[0] in "yde" for kind, text in parts) or any(
        kind == "date" and text[0] == "m" and not _is_minute(tokens, i)
        for i, (kind, text) in enumerate(tokens))
    if has_date:
        if isinstance(moment, dt.time):
            return None
        if not isinstance(moment, dt.datetime) or moment.time() == dt.time():
            tokens = _date_only(tokens)  # a plain date: no 00:00 after it
    day = moment.date() if isinstance(moment, dt.datetime) else moment if isinstance(moment, dt.date) else None
    clock = moment.time() if isinstance(moment, dt.datetime) else moment if isinstance(moment, dt.time) else None
    twelve = any(kind == "ampm" for kind, _ in tokens)
    out = []
    try:
        for index, (kind, text) in enumerate(tokens):
            if kind == "other" and text == "/":
                out.append(DATE_SEPARATOR)
            elif kind in ("lit", "dot", "comma", "pct", "ph", "other"):
                out.append(text)
            elif kind == "ampm":
                out.append("fm" if clock is None or clock.hour < 12 else "em")
            elif kind in ("date", "elapsed"):
                out.append(_date_part(text, _is_minute(tokens, index), day, clock, twelve))
    except _Unsupported:
        return None
    return "".join(out).strip()


def _is_minute(tokens: list[tuple[str, str]], index: int) -> bool:
    """An m code is minutes right after an hour code or right before a seconds code."""
    kind, text = tokens[index]
    if kind not in ("date", "elapsed") or text[0] != "m" or len(text) > 2:
        return kind == "elapsed" and text[0] == "m"
    before = [t for t in tokens[:index] if t[0] in ("date", "elapsed")]
    after = [t for t in tokens[index + 1 :] if t[0] in ("date", "elapsed")]
    return bool(before and before[-1][1][0] == "h") or bool(after and after[0][1][0] == "s")


def _date_only(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The tokens before the first clock part, without the separators left dangling."""
    cut = next((i for i, (kind, text) in enumerate(tokens)
                if kind == "ampm" or (kind in ("date", "elapsed") and (text[0] in "hs" or _is_minute(tokens, i)))),
               len(tokens))
    kept = tokens[:cut]
    while kept and kept[-1][0] != "date":
        kept.pop()
    return kept


def _date_part(text: str, minute: bool, day: dt.date | None, clock: dt.time | None, twelve: bool) -> str:
    code = text[0]
    if code in "hms" and (code != "m" or minute):
        if clock is None:
            clock = dt.time()
        if code == "h":
            hour = clock.hour % 12 or 12 if twelve else clock.hour
            return f"{hour:0{min(len(text), 2)}d}"
        number = clock.minute if code == "m" else clock.second
        return f"{number:0{min(len(text), 2)}d}"
    if day is None:
        raise _Unsupported(text)
    if code in "ye":
        return str(day.year) if len(text) > 2 or code == "e" else f"{day.year % 100:02d}"
    if code == "m":
        length = len(text)
        if length >= 5:
            return MONTHS[day.month - 1][0]
        if length == 4:
            return MONTHS[day.month - 1]
        if length == 3:
            return SHORT_MONTHS[day.month - 1]
        return f"{day.month:0{length}d}"
    if len(text) >= 4:
        return WEEKDAYS[day.weekday()]
    if len(text) == 3:
        return SHORT_WEEKDAYS[day.weekday()]
    return f"{day.day:0{len(text)}d}"
