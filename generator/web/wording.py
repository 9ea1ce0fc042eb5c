"""How the page says things to people: a place in words, a message with a capital, the PDF's state."""

from __future__ import annotations

from typing import Any

from generator.plan.places import sheet_place


def place_in_words(place: str) -> str:
    """ "Aktiviteter!A5" as people say it: "Bladet Aktiviteter, cell A5"; other places (a file) as they are.

    The page shows the short form beside it, to paste into Excel's Gå till (Ctrl+G); the command line keeps it.
    """
    found = sheet_place(place)
    if found is None:
        return place
    if found.is_range:
        first, _, last = found.where.partition(":")
        return f"Bladet {found.sheet}, cellerna {first}–{last}"
    if found.cell is not None:
        return f"Bladet {found.sheet}, cell {found.where}"
    return f"Bladet {found.sheet}, {found.where}"


# What the library's messages tell a command-line user to run, as the page says it: it has links for these.
COMMANDS_ON_THE_PAGE = {
    "aktivitetsplan init --mall standardmall.docx": "länken Mall längre ned på sidan",
    "aktivitetsplan init gör": "länken Ny arbetsbok längre ned på sidan ger",
}
# What the import page says instead of "aktivitetsplan generate" for a workbook sent to it.
USE_THE_WORKBOOK = "välj den under Arbetsbok på första sidan"


def is_sheet_place(place: str) -> bool:
    """True when the place is on a sheet (then the page shows its short form too)."""
    return sheet_place(place) is not None


def capital(text: str) -> str:
    """The message as a sentence starts: with a capital letter (the library's messages follow a place and a colon)."""
    return text[:1].upper() + text[1:]


PDF_TEXTS = {
    "ingen": "",
    "väntar": "PDF: väntar på LibreOffice – andra dokument görs just nu",
    "arbetar": "PDF:en och sidbilderna görs …",
    "klar": "PDF:en är klar.",
    "fel": "PDF:en kunde inte göras",
}


def pdf_text(state: str, waiting: int = 0, problem: str = "", pages: bool = False) -> str:
    """The one status line of the PDF, by the buttons: waiting (with the queue), working, done or failed."""
    text = PDF_TEXTS[state]
    if state == "klar" and pages:
        return "PDF:en är klar. Sidorna finns som bilder under förhandsvisningen."
    if state == "väntar":
        return text + (f" ({waiting} i kö)." if waiting else ".")
    if state == "fel":
        return f"{text}: {capital(problem)}" if problem else text + "."
    return text


FILTERS: dict[str, Any] = {"i_ord": place_in_words, "versal": capital}
TESTS: dict[str, Any] = {"pa_blad": is_sheet_place}
