"""What an imported Word plan holds besides the plan: the old template's guidance text and placeholders."""

from __future__ import annotations

import difflib
import re

# The guidance paragraphs of the Word template "Aktivitetsplan – Mittköping" (2018), matched
# sentence by sentence after normalising (case, punctuation, spaces).
GUIDANCE_TEXT = (
    "Fyll på med bakgrund och syfte med projektet. Håll det kort och skriv endast det viktigaste.",
    "Lista de viktigaste verksamhetsmålen. Lägg inte in för många mål utan skriv endast in de viktigaste "
    "målen – exempelvis 3-5 mål.",
    "Lista syfte och mål med kommunikationen. Skriv inte för många mål utan välj ut de viktigaste och gärna "
    "mätbara mål.",
    "Skriv in de viktigaste målgrupperna – ta målgruppsanalysen till hjälp. För att det inte ska bli för "
    "omfattande välj endast de viktigaste målgrupperna och hänvisa sedan till målgruppsanalysen. Skriv även "
    "några rader om varje målgrupp – vad är viktigt att tänka på kring just denna målgrupp.",
    "Det finns ett grafiskt manér i form av illustrationer för Bokning och bidrag samt power points och "
    "film/webbsändningar. Dessa får ni gärna använda men det är viktigt att ni bestämmer hur de används. "
    "Tillsammans med er logotyp? Användas rakt av? I vilka sammanhang? Sätt några regler och tillgängliggör "
    "det material man får använda. Materialet hittas i samarbetsrummet och kan laddas ner.",
    "Skriv ner de kanaler ni kommer att använda till er kommunikation samt (väldigt kortfattat) till vem "
    "kanalen riktar sig till och vad ni kommer att kommunicera i kanalen. Ta hjälp av målgruppsanalysen men "
    "skriv endast in det viktigaste.",
    "Skriv ner några grundbudskap som kan användas till olika målgrupper. Plocka utifrån power point om "
    "Bokning och Bidrag, sammanfattning kommande BoB-tjänst och PM till förvaltningsledning som ni hittar i "
    "samarbetsrummet. Men lägg till en lokal dimension. Vad tycker er kommun är viktigast? Tänk på att "
    "budskapen behöver kompletteras utifrån användningstillfället.",
    "Titta på målgruppsanalysen och välj ut aktiviteter som matchar dina målgrupper. Välj kanaler som du vet "
    "är riktade till din målgrupp. För att säkerställa att dina målgrupper har fått rätt information kan du "
    "gå tillbaka till målgruppsanalysen och bocka av att budskap till de olika målgrupperna inryms i dina "
    "kommunikationsaktiviteter. Tänk på att en aktivitet kan ha flera budskap och nå fler målgrupper.",
    "Du kan även titta på aktivitetsplanen för ”Mittköping” för att få inspiration. Men det är viktigt att du "
    "väljer aktiviteter utifrån dina kanaler och målgrupper. Markera aktiviteten med röd färg när den är "
    "gjord/färdig. Glöm inte heller, en kommunikationsplan är ett levande dokument. Det betyder att du måste "
    "hålla den uppdaterad!",
    "Lägg inte för mycket energi och tid på kommunikationsplanens inledande delar. Det viktigaste (det som "
    "kommer ge resultat) är aktiviteterna. Känns det övermäktigt? Börja smått – bara genom att diskutera "
    "målgrupp och budskap och skriva ner en plan så har ni kommit en bit på vägen.",
)
# Headings that belong to the guidance, not to the plan: left out when nothing but guidance follows.
GUIDANCE_HEADINGS = ("Tänk även på",)
# The generated document's own heading over the activity table, and its legend under it.
ACTIVITY_HEADING = "Aktivitetsplan"
LEGEND_START = "Röd text"  # "Röd text betyder …", "Röd text och Klar i sista kolumnen betyder …"
# The parts the tool itself adds to a document from the workbook's data (generator/template/context_plan.py):
# their headings, their texts, and the header of the target-group table a section "Målgrupper" carries.
GENERATED_HEADINGS = ("Målgrupper och kanaler", "Tidslinje", "Uppföljning")
GENERATED_TEXTS = ("Antal aktiviteter som når varje målgrupp", "Blå = planerad tid", "Läget den",
                   "Aktiviteter vars tid har gått ut", "Per målgrupp", "Försenade aktiviteter", "Indikatorer")
GROUP_TABLE_HEADER = ("Målgrupp", "Prioritet", "Behöver veta")
TOC_HEADINGS = ("Innehåll", "Innehållsförteckning", "Table of contents", "Contents")
# Cell values the template used as placeholders; a row of nothing else is a placeholder row.
PLACEHOLDERS = ("Namn", "XXX", "XX", "...", "…", "[Namn]", "<Namn>", "Text", "Ansvarig")
SIMILAR = 0.85

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def normalize(text: str) -> str:
    """Text as compared: case, punctuation, quotes, dashes and spacing ignored."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def _sentences(text: str) -> list[str]:
    """Text split after ., ! and ?, each piece stripped; empty pieces left out."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


_KNOWN = tuple(dict.fromkeys(normalize(s) for text in GUIDANCE_TEXT for s in _sentences(text)))
_PLACEHOLDERS = frozenset(normalize(p) or p for p in PLACEHOLDERS)


def _is_guidance_sentence(sentence: str) -> bool:
    """True when a sentence is (nearly) one of the template's guidance sentences."""
    key = normalize(sentence)
    if not key:
        return False
    if key in _KNOWN:
        return True
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    for known in _KNOWN:
        if abs(len(known) - len(key)) > len(known) * (1 - SIMILAR) + 4:
            continue
        matcher.set_seq1(known)
        if matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR:
            return True
    return False


def _split_guidance(text: str) -> tuple[str, int]:
    """The text without its guidance sentences, and how many sentences were taken out."""
    kept: list[str] = []
    removed = 0
    for line in text.split("\n"):
        parts = _sentences(line)
        left = [s for s in parts if not _is_guidance_sentence(s)]
        removed += len(parts) - len(left)
        if left or not parts:
            kept.append(" ".join(left) if len(left) != len(parts) else line)
    return "\n".join(kept).strip(), removed


def is_placeholder(text: str) -> bool:
    """True for a cell value that is one of the template's placeholders, such as "Namn"."""
    stripped = text.strip()
    return bool(stripped) and (normalize(stripped) or stripped) in _PLACEHOLDERS


def _same_heading(text: str, names: tuple[str, ...] | str) -> bool:
    """True when a heading reads as one of names, case and punctuation ignored."""
    wanted = (names,) if isinstance(names, str) else names
    return normalize(text) in {normalize(n) for n in wanted}
