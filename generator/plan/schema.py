"""Each workbook sheet described once: its Swedish name, its columns, their fields, template keys and help."""

from __future__ import annotations

from typing import NamedTuple

from generator.plan.values import normalize_name


class Column(NamedTuple):
    """One column of a sheet (or one field of the sheet Plan) and everything derived from it.

    header: the Swedish name in the workbook; aliases: other headers read as the same column;
    import_aliases: looser names only `import` accepts in a Word table ("Vem", "När");
    field: the model record's attribute; key: the template's name for it ("" when the template
    does not get it); width: the column's width in the `init` workbook (characters);
    help: the Instruktioner line and the cell prompt in the `init` workbook;
    choices: a drop-down in the `init` workbook; table_width: millimetres in the default
    template's activity table (0: not shown there).
    """

    header: str
    field: str
    key: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    import_aliases: tuple[str, ...] = ()
    width: int = 18
    help: str = ""
    choices: tuple[str, ...] = ()
    table_width: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        """The header and the names read as it."""
        return (self.header, *self.aliases)


class Sheet(NamedTuple):
    """One sheet: its name, whether it must be there, its columns and its list in the template.

    record: the template's list of the sheet's rows ("" when the template does not get one);
    derived_keys: keys each record has that no column gives (worked out, e.g. rad.klar);
    derived_fields: model attributes no column gives (documented here, checked by tests).
    """

    name: str
    columns: tuple[Column, ...]
    required: bool = True
    record: str = ""
    derived_keys: tuple[str, ...] = ()
    derived_fields: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def first_required(self) -> Column:
        """The column the header row must have (the sheet's key column)."""
        return next(c for c in self.columns if c.required)

    def known_names(self) -> dict[str, str]:
        """Normalized header or alias → header, for finding the columns of a header row."""
        return {normalize_name(name): column.header for column in self.columns for name in column.names}

    def fields(self) -> dict[str, str]:
        """Header → model field."""
        return {c.header: c.field for c in self.columns}

    def column(self, header: str) -> Column:
        return next(c for c in self.columns if c.header == header)

    def record_keys(self) -> frozenset[str]:
        return frozenset(c.key for c in self.columns if c.key) | frozenset(self.derived_keys)

    def keyed_fields(self) -> tuple[tuple[str, str], ...]:
        """(template key, model field) of each column the template gets, in column order: for record()."""
        return tuple((c.key, c.field) for c in self.columns if c.key)


PLAN = Sheet("Plan", (
    Column("Kommun", "municipality", "kommun", required=True, help="Kommunens namn."),
    Column("Titel", "title", "titel", help="Dokumentets titel. Tom: ”Aktivitetsplan – <Kommun>”."),
    Column("Datum", "date", "datum", help="Planens datum, t.ex. 2018-08-15. Tom: dagens datum."),
    Column("Projekt", "project", "projekt",
           help="Projektets namn, t.ex. Bokning och bidrag. Visas på titelsidan."),
    Column("Slogan", "slogan", "slogan", help="Visas i sidfoten på varje sida, t.ex. VI GÖR DET ENKLARE!"),
    Column("Logotyp", "logo", "logotyp",
           help="En PNG- eller JPEG-bild i arbetsbokens mapp (eller en mapp under den), t.ex. logotyp.png."),
    Column("Sortering", "sort_order", choices=("Arbetsbok", "Tid"),
           help="Aktivitetstabellens ordning: Arbetsbok (som i bladet Aktiviteter, standard) eller Tid "
                "(efter när aktiviteten börjar)."),
    Column("Uppföljningsdatum", "follow_up_date",
           help="Dagen uppföljningen räknas till, t.ex. 2019-06-30. Tom: dagens datum."),
), record="", derived_fields=(
    "source", "sections", "activities", "extra_fields", "extra_columns", "recipients", "target_groups",
    "base_dir", "findings",
))

SECTIONS = Sheet("Avsnitt", (
    Column("Rubrik", "heading", "rubrik", required=True, width=40,
           help="Avsnittets rubrik; den blir en rubrik i dokumentet och i innehållsförteckningen."),
    Column("Text", "blocks", "text", width=110,
           help="Avsnittets text. En tom rad gör ett nytt stycke; rader som börjar med ”- ” blir punkter. "
                "Ett avsnitt utan text ger en varning: rubriken skulle stå ensam i dokumentet."),
), record="avsnitt", derived_keys=("stycken",), derived_fields=("row",))

TARGET_GROUPS = Sheet("Målgrupper", (
    Column("Målgrupp", "name", "namn", required=True, width=30,
           help="Målgruppens namn, t.ex. Föreningar. Samma namn används i Aktiviteter, kolumnen Målgrupp."),
    Column("Prioritet", "priority", "prioritet", width=12, choices=("Primär", "Sekundär"),
           help="Primär eller Sekundär (eller 1–3, där 1 är viktigast)."),
    Column("Behöver veta", "needs", "behover_veta", aliases=("Vad behöver de veta",), width=45,
           help="Vad målgruppen behöver veta, känna eller göra."),
    Column("Budskap", "message", "budskap", width=45, help="Budskapet till målgruppen."),
    Column("Kanaler", "channels", "kanaler", aliases=("Kanal",), width=30,
           help="Kanalerna som når målgruppen, åtskilda med komma, semikolon eller radbrytning."),
    Column("Kommentar", "comment", "kommentar", aliases=("Kommentarer",), width=40,
           help="Annat att tänka på för målgruppen."),
), required=False, record="malgrupper", derived_keys=("rad",), derived_fields=("row",))

ACTIVITIES = Sheet("Aktiviteter", (
    Column("Aktivitet", "activity", "aktivitet", required=True, aliases=("Aktiviteter",),
           import_aliases=("Åtgärd", "Vad"), width=55, table_width=48,
           help="Vad som ska göras."),
    Column("Syfte och målgrupp", "purpose", "syfte",
           aliases=("Syfte & målgrupp", "Syfte/målgrupp", "Syfte, målgrupp", "Syfte och målgrupper"),
           import_aliases=("Syfte", "Målgrupp", "Målgrupp och syfte"), width=50, table_width=46,
           help="Varför aktiviteten görs och vem den är till för, med egna ord."),
    Column("Tid", "time", "tid", import_aliases=("När", "Datum", "Tidpunkt", "Period", "Tidsplan"),
           width=18, table_width=22,
           help="När, t.ex. mars 2019, Hösten 2018 – pågående, Q3 2019, v. 12–14 2019 eller 2019-03-15."),
    Column("Kanal", "channel", "kanal", aliases=("Kanaler",), width=22, table_width=22,
           help="Kanalen, t.ex. Webb, Intranät, Möte."),
    Column("Ansvarig", "responsible", "ansvarig", aliases=("Ansvarig person", "Ansvariga"),
           import_aliases=("Vem", "Ansvar"), width=18, table_width=20, help="Vem som ser till att det blir gjort."),
    Column("Klar", "done_mark", "klar_text", aliases=("Klart", "Status", "Gjord", "Färdig"),
           width=8, table_width=12, choices=("Ja", "Nej"), help="Välj Ja när aktiviteten är gjord/färdig."),
    Column("Målgrupp", "target_groups", "malgrupp", aliases=("Målgrupper",), width=25,
           help="Målgrupperna aktiviteten når, med namnen från bladet Målgrupper, åtskilda med komma, "
                "semikolon eller radbrytning."),
    Column("Indikator", "indicator", "indikator", width=30,
           help="Hur ni ser att aktiviteten gav resultat, t.ex. Antal besök på webbsidan."),
    Column("Målvärde", "target_value", "malvarde", width=14, help="Vad ni vill nå, t.ex. 500 besök."),
    Column("Utfall", "outcome", "utfall", width=14, help="Vad det blev, när aktiviteten är gjord."),
), record="aktiviteter", derived_keys=("klar", "ovrigt", "rad"), derived_fields=("row", "marked_red", "extra"))

RECIPIENTS = Sheet("Sändlista", (
    Column("Namn", "name", aliases=("Mottagare", "Kontaktperson", "Person"), width=30,
           help="Mottagarens namn; det står med adressen i e-postens Till-fält."),
    Column("E-post", "email", required=True, width=40,
           aliases=("E-postadress", "Epost", "Epostadress", "E-post-adress", "Mejl", "Mejladress", "Mail",
                    "Mailadress", "E-mail", "Email", "E-mailadress", "Adress"),
           help="Mottagarens e-postadress, t.ex. asa.odmark@kommun.se eller Åsa Ödmark <asa.odmark@kommun.se>."),
    Column("Roll", "role", aliases=("Funktion", "Befattning"), width=30, help="T.ex. Nämnd, Rektorer."),
), required=False, derived_fields=("row",))

# In the order init writes them (after Instruktioner).
SHEETS = (PLAN, SECTIONS, TARGET_GROUPS, ACTIVITIES, RECIPIENTS)
# Each sheet's keyed_fields, worked out once: record() runs once per row.
_KEYED_FIELDS = {sheet.name: (sheet, sheet.keyed_fields()) for sheet in SHEETS}

# Template variables no sheet column gives (docs/dokumentet-och-mallar.md documents each one).
DERIVED_TOP_LEVEL = frozenset({
    "datum_iso", "antal_aktiviteter", "antal_klara", "sammanfattning", "extra_kolumner", "plan_ovrigt",
    "genererad",
})
DONE_TEXT = "Klar"  # what the default template's Klar column shows for a done activity


def top_level() -> frozenset[str]:
    """The template's top-level variables: the Plan fields' keys, each sheet's list and the derived ones."""
    return (frozenset(c.key for c in PLAN.columns if c.key)
            | frozenset(s.record for s in SHEETS if s.record) | DERIVED_TOP_LEVEL)


def record_keys() -> dict[str, frozenset[str]]:
    """The keys of each list's records, by the list's name ("stycken" are a section's paragraphs)."""
    keys = {s.record: s.record_keys() for s in SHEETS if s.record}
    keys["stycken"] = frozenset({"text", "punkt"})
    return keys


def record(row: object, sheet: Sheet) -> dict[str, str]:
    """A row's cell texts by template key (columns with a Value field only)."""
    known = _KEYED_FIELDS.get(sheet.name)
    keyed = known[1] if known is not None and known[0] is sheet else sheet.keyed_fields()
    values = {key: getattr(row, field) for key, field in keyed}
    return {key: value.text for key, value in values.items() if hasattr(value, "text")}


def table_columns() -> tuple[Column, ...]:
    """The default template's activity table columns, in order."""
    return tuple(c for c in ACTIVITIES.columns if c.table_width)


def table_cell(column: Column, done: bool) -> str:
    """What the default template's activity table holds in a column: a tag, or Klar as text (not only colour)."""
    if column.field == "done_mark":
        return DONE_TEXT if done else ""
    return f"{{{{ rad.{column.key} }}}}"
