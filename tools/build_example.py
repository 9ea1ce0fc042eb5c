"""Rebuild data/aktivitetsplan.xlsx, the Mittköping example plan from the 2018 Word template.

Run: python tools/build_example.py
The 15 activities are exactly as the template "Aktivitetsplan – Mittköping" has them.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.workbook.starter import CORE_ACTIVITY_COLUMNS, StarterContent, write_starter

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "data" / "aktivitetsplan.xlsx"
LOGO = ROOT / "data" / "logotyp.png"

PLAN = {
    "Kommun": "Mittköping",
    "Titel": "Aktivitetsplan – Mittköping",
    "Datum": dt.date(2018, 8, 15),
    "Projekt": "Bokning och bidrag",
    "Slogan": "VI GÖR DET ENKLARE!",
    "Logotyp": "logotyp.png",
}

SECTIONS = (
    ("Bakgrund",
     "Mittköping inför e-tjänsten Bokning och bidrag, som SKL samordnar tillsammans med ett "
     "stort antal kommuner. Med tjänsten kan föreningar och invånare boka kommunens lokaler och "
     "söka bidrag digitalt, dygnet runt.\n\n"
     "Den här planen beskriver hur vi berättar om tjänsten för dem som berörs, innan och efter "
     "att den tas i bruk."),
    ("Verksamhetsmål",
     "- Minst hälften av alla bokningar av kommunens lokaler görs digitalt under 2019.\n"
     "- Handläggningstiden för föreningsbidrag halveras.\n"
     "- Fler invånare hittar och använder kommunens lediga lokaler."),
    ("Syfte och övergripande mål med kommunikationen",
     "Kommunikationen ska se till att alla som berörs vet vad tjänsten är, när den kommer och "
     "vad den betyder för just dem.\n"
     "- Alla chefer som berörs har fått information före oktober 2018.\n"
     "- Alla föreningar som Mittköping samarbetar med har fått information före april 2019."),
    ("Målgrupper",
     "Politiker i berörda nämnder behöver veta varför kommunen deltar och vad det kostar.\n\n"
     "Chefer, rektorer och handläggare behöver veta hur deras arbete påverkas – och de är "
     "samtidigt viktiga kanaler vidare till medarbetare, skolor och vaktmästare.\n\n"
     "Föreningar och invånare behöver veta vad de kan göra med tjänsten och var de hittar den. "
     "Mer om varje målgrupp finns i målgruppsanalysen."),
    ("Gemensamt grafiskt manér och kommunikationsmaterial",
     "Vi använder de gemensamma illustrationerna för Bokning och bidrag tillsammans med "
     "Mittköpings logotyp. Presentationer och filmer används rakt av i möten. Materialet finns i "
     "samarbetsrummet och i intranätsgruppen."),
    ("Kanaler",
     "- Möten och presentationer: politiker, chefer och stakeholders.\n"
     "- Intranätet och intranätsgruppen: alla medarbetare som berörs.\n"
     "- Mittköping.se: föreningar och invånare.\n"
     "- E-post: föreningar, förbund och leverantörer."),
    ("Budskap",
     "- Det blir enklare att boka lokaler och söka bidrag – när det passar dig.\n"
     "- Mittköping gör det tillsammans med andra kommuner: vi delar på kostnader och kunskap.\n"
     "- Handläggarna får mer tid för det som kräver en människa.\n\n"
     "Budskapen kompletteras utifrån tillfället och målgruppen."),
)

ACTIVITIES = (
    ("Presentation om projektet på nämndmöte XXX (det finns en grundläggande Powerpoint, "
     "talepunkter samt grundläggande information om tjänsten att plocka ifrån).",
     "Ge politiker i aktuella nämnder relevant information samt tillfälle att ställa frågor om "
     "projektet.", "Våren 2018", "Möte med ppt och talepunkter", "Namn", "Ja"),
    ("Be SKL skicka ut ett PM om status i projektet, vad för resurser som behövs samt varför det "
     "är viktigt att jobba med nyttorealiserings.",
     "Förvaltningschefer får information om vikten av att tillsätta en lokal projektorganisation "
     "samt jobba med nyttorealiserings från externt håll.", "Våren 2018", "E-post", "Namn", "Ja"),
    ("Se till att projektledaren har inlogg till SKL:s samarbetsrum samt att den som deltog i "
     "pilotkommunsgruppen gör en bra överlämning till projektledararen.",
     "Information som representant från pilotkommunsgruppen besitter kommer den lokala "
     "projektgruppen till hands samt att de får tillgång till metod-kommunikation och avropsstöd.",
     "Höst 2018 – pågående", "Möte", "Pilotkommuns-representant", ""),
    ("Möte med verksamhetschef, lokala projektgruppen samt representant från pilotkommunsgruppen "
     "för att gå igenom metodstödet samt göra en plan för hur arbetet med nyttoregister ska ske. "
     "Jobba löpande med nyttoregister.",
     "Att förbereda Mittköping för att ta emot tjänsten på bästa sätt arbetet med för att få "
     "önskad nytta. På sikt engagera alla målgrupper som berörs av tjänsten.",
     "Höst - pågående", "Möte/workshops", "", ""),
    ("Lägga upp grundläggande information på hemsidan och uppdatera löpande",
     "Grundläggande info om tjänsten till alla målgrupper som behöver veta något om tjänsten.",
     "Höst 2018 – pågående", "Mittköping.se", "", ""),
    ("Informationspunkt med några bilder på ledningsgruppsmöte.",
     "Alla chefer i Mittköping ska få grundläggande information om tjänsten samt tillfälle att "
     "ställa frågor. Efter detta möte kan även separata möte/presentationer bokas in med de chefer "
     "som vill ha mer information.", "September 2018", "Möte med ppt och talepunkter", "", ""),
    ("Kort möte med målgrupper - stakeholders för projektet (både blir berörda av projektet samt "
     "agerar som kommunikationskanal) exempelvis IT-chef, handläggare, berörda enhetschefer etc. "
     "Kort information om projektet samt berätta hur den löpande kommunikationen kommer att se ut "
     "samt vem de ska vända sig till vid frågor.",
     "Att den löpande dialogen med relevanta interna målgrupper fungerar och att deras behov av "
     "information blir tillgodosedda är avgörande. Det är också viktigt att de förstår vilken "
     "kanal och hur den löpande informationen kommer att kommuniceras samt vem de bör kontakta "
     "vid frågor.", "Oktober 2018", "Möte/dialog", "", ""),
    ("Skapa en intranätsgrupp där man kan dela dokument samt ställa frågor. Bjud in de som berörs "
     "av projektet. Samt sätt riktlinjer kring hur denna grupp används och vem som administrerar "
     "den.",
     "Alla berörda målgrupper ska få löpande information om projektet samt kan ställa frågor till "
     "projektgruppen.", "Oktober 2018", "Intranät", "", ""),
    ("Kontakta berörda leverantörer.",
     "Om passagesystem ska kopplas på bör leverantör få information om arkitektur och "
     "förutsättningar för integration.", "Januari 2019", "E-post/telefon", "", ""),
    ("Möte med chef för servicecenter. Informera om tjänsten samt gör en plan för att de ska få "
     "den information de behöver. Förmedla kontakt med leverantör som ska tillhandahålla "
     "utbildning.",
     "Invånarnas primära kontaktväg till Mittköping är via servicecenter och det är därför viktigt "
     "att de får den information de behöver för att kunna serva kommunens invånare på bästa sätt.",
     "Prel. Mars 2019 (när avtal är på plats).", "Möte och servicecenters system för information.",
     "", ""),
    ("Möte med målgrupper (stakeholders – exempel enhetschefer, rektorer, kultur-föreningsstrateg) "
     "som blir berörda av projektet. Status och att de bör gå ut med information (igen) till de "
     "som blir berörda. Är rätt personer med i intranätsgruppen?",
     "Påminna vissa målgrupper att de är en viktig kommunikationskanal – exempelvis måste rektorer "
     "informerar skolor samt enhetschefer bör kommunicera till vaktmästare/anläggningsförvaltare.",
     "Mars 2019", "Möte och intranät", "", ""),
    ("Möte med föreningar som Mittköping samarbetar nära med samt andra civilsamhällets aktörer "
     "som blir berörda och berätta kortfattat om tjänsten och vad man kan göra med den nya "
     "tjänsten. Berätta även att de kommer att få löpande information kring status via e-post.",
     "Om civilsamhällets aktörer kommunicerar om nyttan med tjänsten och hur den kan användas "
     "kommer fler ”invånare” nås med denna information.", "Mars 2019 – löpande", "Möte och e-post",
     "", ""),
    ("Mejl till förbund – och Sveriges föreningssystem och berätta om nya tjänsten.",
     "Dessa målgrupper bör veta om den nya tjänsten och förstå vart de kan hitta mer information "
     "vid behov.", "Mars 2019", "PM/e-post", "", ""),
    ("Nyhet på intranätet – kort information om tjänsten och vilka de påverkar samt hur. "
     "Kontaktperson för den som vill veta mer.",
     "Många i Mittköping blir inte direkt berörda av tjänsten men det är viktigt att de vet om att "
     "den finns och hur den påverkar deras arbete.", "April 2019", "Intranät", "", ""),
    ("Kontakta Mittköpings kommunikationsavdelning och berätta om tjänstens nytta.\n"
     "Ta fram det material som kommunikationsavdelningen behöver för att kommunicera externt "
     "(exempelvis, nyhetstext till hemsidan, sociala medier eller pressmeddelande).",
     "Mittköpings kommunikationsavdelning jobbar självständigt från enskilda projekt och därför "
     "måste projektkommunikatören/projektledaren kontakta kommunikationsavdelningen och sälja in "
     "projektet för att exempelvis sprida projektet till Mittköpings invånare samt media.",
     "April 2019 - löpande", "E-post", "", ""),
)
# The example's additions to the seed (the seed's own columns above stay word for word).
# Who is responsible where the seed left Ansvarig empty.
RESPONSIBLE = {
    3: "Projektledare", 4: "Webbredaktör", 5: "Projektledare", 6: "Projektledare", 7: "Projektledare",
    8: "Projektledare", 9: "Projektledare", 10: "Projektledare", 11: "Fritidschef", 12: "Fritidschef",
    13: "Kommunikatör", 14: "Kommunikatör",
}
# The seed's Målgrupper text as data: Målgrupp, Prioritet, Behöver veta, Budskap, Kanaler, Kommentar.
TARGET_GROUPS = (
    ("Politiker", "Primär",
     "Varför Mittköping deltar, vad tjänsten kostar och vad den ger invånare och föreningar.",
     "Vi gör det enklare för föreningar och invånare – tillsammans med andra kommuner delar vi på "
     "kostnader och kunskap.", "Möte", "Politiker i berörda nämnder, främst kultur- och fritidsnämnden."),
    ("Chefer", "Primär",
     "Hur tjänsten påverkar verksamheten, vilka resurser som behövs och vem de vänder sig till.",
     "Tjänsten ger handläggarna mer tid för det som kräver en människa.", "Möte; E-post; Intranät",
     "Förvaltningschefer, verksamhetschefer och enhetschefer. De är också kanaler vidare till medarbetare."),
    ("Projektgruppen", "Primär",
     "Metodstödet, nyttoregistret och hur arbetet läggs upp.",
     "Vi förbereder Mittköping så att tjänsten ger den nytta vi vill.", "Möte; Intranät",
     "Den lokala projektgruppen och representanten från pilotkommunsgruppen."),
    ("Handläggare och servicecenter", "Primär",
     "Hur arbetet ändras och hur de svarar på invånarnas frågor om tjänsten.",
     "Bokningar och ansökningar kommer in digitalt – dygnet runt.", "Möte; Intranät",
     "Servicecenter är invånarnas första kontaktväg."),
    ("Rektorer och skolor", "Sekundär",
     "Att skolornas lokaler bokas i tjänsten och att de ska informera skolorna.",
     "Lediga lokaler blir lättare att hitta och boka.", "Möte; Intranät",
     "Rektorerna är en viktig kanal till skolorna och vaktmästarna."),
    ("Föreningar", "Primär",
     "Vad de kan göra i tjänsten, när den kommer och var de hittar den.",
     "Boka lokaler och sök bidrag när det passar er – dygnet runt.", "Möte; E-post; Mittköping.se",
     "Föreningar och civilsamhällets aktörer, också förbunden."),
    ("Invånare", "Sekundär",
     "Att tjänsten finns, vad den gör och var de hittar den.",
     "Det blir enklare att boka lokaler – när det passar dig.", "Mittköping.se",
     "Nås också genom föreningarna och servicecenter."),
    ("Kommunikationsavdelningen", "Sekundär",
     "Tjänstens nytta och material att kommunicera externt med.",
     "Tjänsten är en nyhet för Mittköpings invånare och media.", "E-post", ""),
    ("Leverantörer", 3,
     "Arkitektur och förutsättningar för integration, t.ex. med passagesystem.",
     "", "E-post; Telefon", "Berörs om passagesystem kopplas på."),
)
# Målgrupp, Indikator, Målvärde and Utfall of each activity (by index).
ACTIVITY_TARGETS = (
    "Politiker", "Chefer", "Projektgruppen", "Projektgruppen; Chefer", "Föreningar; Invånare", "Chefer",
    "Chefer; Handläggare och servicecenter", "Projektgruppen; Chefer; Handläggare och servicecenter",
    "Leverantörer", "Handläggare och servicecenter", "Chefer; Rektorer och skolor", "Föreningar", "Föreningar",
    "Chefer; Handläggare och servicecenter; Rektorer och skolor", "Kommunikationsavdelningen; Invånare",
)
FOLLOW_UP = {
    0: ("Nämnder som fått presentationen", "2 nämnder", "2 nämnder"),
    4: ("Besök på sidan om tjänsten", "500 per månad", "320 per månad"),
    5: ("Chefer som fått informationen", "Alla chefer", "Ca 80 %"),
    11: ("Föreningar som fått information", "120 föreningar", ""),
    12: ("Förbund som svarat", "5 förbund", ""),
}
EXAMPLE_COLUMNS = ("Målgrupp", "Indikator", "Målvärde", "Utfall")
FOLLOW_UP_DATE = dt.date(2018, 12, 31)


def example_activities() -> list[tuple[object, ...]]:
    """The seed's activities with the example's Ansvarig, Målgrupp and follow-up columns."""
    rows = []
    for index, (activity, purpose, when, channel, owner, done) in enumerate(ACTIVITIES):
        follow_up = FOLLOW_UP.get(index, ("", "", ""))
        rows.append((activity, purpose, when, channel, owner or RESPONSIBLE.get(index, ""), done,
                     ACTIVITY_TARGETS[index], *follow_up))
    return rows


RECIPIENTS = (
    ("Namn Namnsson", "namn.namnsson@mittkoping.se", "Projektledare"),
    ("Kultur- och fritidsnämnden", "kultur.fritid@mittkoping.se", "Nämnd"),
    ("Servicecenter", "servicecenter@mittkoping.se", "Invånarnas kontaktväg"),
)
# Row 4 (index 3) is marked done the old way: the whole row coloured red in Excel.
RED_ROWS = frozenset({3})


def build_logo(path: Path) -> None:
    """A simple municipal-style logo, drawn with Pillow."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (860, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 230, 230), fill=(31, 78, 121, 255))
    draw.polygon([(60, 170), (120, 60), (180, 170)], fill=(255, 255, 255, 255))
    draw.polygon([(100, 170), (150, 95), (200, 170)], fill=(143, 188, 226, 255))
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 80)
    except OSError:
        font = ImageFont.load_default(size=80)
    draw.text((260, 70), "Mittköping", font=font, fill=(31, 78, 121, 255))
    image.save(path, optimize=True)


def main() -> None:
    build_logo(LOGO)
    content = StarterContent(plan={**PLAN, "Uppföljningsdatum": FOLLOW_UP_DATE}, sections=SECTIONS,
                             activities=example_activities(),
                             activity_columns=(*CORE_ACTIVITY_COLUMNS, *EXAMPLE_COLUMNS), red_rows=RED_ROWS,
                             recipients=RECIPIENTS, target_groups=TARGET_GROUPS)
    write_starter(WORKBOOK, content, force=True)
    print(f"Skrev {WORKBOOK} och {LOGO}")


if __name__ == "__main__":
    main()
