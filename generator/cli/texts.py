"""Swedish texts for the command line, including Click's own messages.

The Click adapter: the one module that reaches into Click's internals, its modules'
gettext, to make Click speak Swedish (translate_click). Click raises nothing here.
"""

from __future__ import annotations

import sys
from typing import Any

import click

# The Click modules that look their messages up through gettext (bound at their import).
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")

# Click's English messages (as passed to gettext) and their Swedish translations.
CLICK_TEXTS = {
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "No such option {name!r}.": "Okänd flagga {name!r}.",
    "No such command {name!r}.": "Okänt kommando {name!r}.",
    "Missing command.": "Kommando saknas.",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Parameter saknas",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "Missing {param_type}": "{param_type} saknas",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Aborted!": "Avbrutet!",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt {number_type}.",
    "{value} is not in the range {range}.": "{value} går inte: det ska vara {range}.",
    "Could not open file {filename!r}: {message}": "Kunde inte öppna filen {filename!r}: {message}",
    "Got unexpected extra argument ({args})": "Oväntat extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Oväntade extra argument ({args})",
    "Did you mean {possibility}?": "Menade du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Menade du någon av: {possibilities}?)",
    "Option {name!r} requires an argument.": "Flaggan {name!r} behöver ett värde.",
    "Option {name!r} requires {nargs} arguments.": "Flaggan {name!r} behöver {nargs} värden.",
    "{value!r} is not {choice}.": "{value!r} är inte {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} är inte något av {choices}.",
    "Do you want to continue?": "Vill du fortsätta?",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: de två värdena är inte lika.",
}


def gettext(message: str) -> str:
    """Click's gettext, answering in Swedish."""
    return CLICK_TEXTS.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Click's ngettext, answering in Swedish."""
    return gettext(singular if count == 1 else plural)


def translate_click() -> None:
    """Make Click's own messages Swedish; call it once, after importing click and before any message.

    Every click module bound gettext (as _) and ngettext at its import: those names are replaced.
    """
    for name in _CLICK_MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is not None:
            if hasattr(module, "_"):
                module._ = gettext  # type: ignore[attr-defined]
            if hasattr(module, "ngettext"):
                module.ngettext = ngettext  # type: ignore[attr-defined]


class _SwedishRange:
    """A Click number range said in Swedish: "från 1 till 65535", "minst 1", "högst 366"."""

    min: Any
    max: Any

    def _describe_range(self) -> str:
        if self.min is None:
            return f"högst {self.max}"
        if self.max is None:
            return f"minst {self.min}"
        return f"från {self.min} till {self.max}"


class WholeNumber(_SwedishRange, click.IntRange):
    """Click's IntRange in Swedish: its values are "heltal"."""

    name = "heltal"


class Number(_SwedishRange, click.FloatRange):
    """Click's FloatRange in Swedish: its values are "tal"."""

    name = "tal"


def whole_number(low: int | None = None, high: int | None = None) -> Any:
    """A click option type for a whole number from low to high (either may be left open)."""
    return WholeNumber(low, high)


def number(low: float | None = None, high: float | None = None) -> Any:
    """A click option type for a number, decimals allowed, from low to high (either may be left open)."""
    return Number(low, high)
