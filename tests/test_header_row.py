"""The header row is the row with the most known column names, so group headers above it do not hide it."""

from __future__ import annotations

from conftest import ACTIVITY_HEADER
from generator.workbook.reader import read_workbook


def test_group_header_row_above_the_real_header(make_workbook):
    rows = [
        ["Vad", None, "När och hur"],
        ACTIVITY_HEADER,
        ["Möte", "Politiker", "Maj", "Möte", "Anna", "Ja"],
    ]

    def style(workbook):
        workbook["Aktiviteter"].merge_cells("A1:B1")
        workbook["Aktiviteter"].merge_cells("C1:F1")
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    assert [(a.activity.text, a.time.text, a.done) for a in plan.activities] == [("Möte", "Maj", True)]
    assert not plan.findings


def test_row_with_only_the_required_name_loses_to_the_fuller_row(make_workbook):
    rows = [
        ["Aktivitet", "(en rad per aktivitet)"],
        ["Aktivitet", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig", "Klar"],
        ["Möte", "Politiker", "Maj", "Möte", "Anna", ""],
    ]
    plan = read_workbook(make_workbook(Aktiviteter=rows))
    assert [(a.activity.text, a.purpose.text) for a in plan.activities] == [("Möte", "Politiker")]


def test_ties_go_to_the_first_row(make_workbook):
    rows = [["Aktivitet", "Tid"], ["Aktivitet", "Kanal"], ["Möte", "Maj"]]
    plan = read_workbook(make_workbook(Aktiviteter=rows))
    assert [(a.activity.text, a.time.text) for a in plan.activities] == [("Aktivitet", "Kanal"), ("Möte", "Maj")]


def test_header_row_without_the_required_column_is_an_error(make_workbook):
    rows = [["Tid", "Kanal", "Ansvarig"], ["Maj", "Möte", "Anna"]]
    plan = read_workbook(make_workbook(Aktiviteter=rows))
    assert plan.activities == ()
    assert [f.place for f in plan.findings if f.is_error] == ["Aktiviteter"]
    assert 'rubriken "Aktivitet" saknas' in plan.findings[0].message


def test_a_hidden_header_row_still_names_the_columns(make_workbook):
    rows = [ACTIVITY_HEADER, ["Möte", "", "Maj"]]

    def style(workbook):
        workbook["Aktiviteter"].row_dimensions[1].hidden = True
    plan = read_workbook(make_workbook(Aktiviteter=rows, style=style))
    assert [(a.activity.text, a.time.text) for a in plan.activities] == [("Möte", "Maj")]
    assert plan.findings == ()


def test_a_misspelt_header_is_named_with_the_column_it_was_meant_to_be(make_workbook):
    header = ["Aktivitet", "Syfte och målgrupp", "Tdi", "Kanal", "Ansvarig", "Klar", "Anteckningar"]
    path = make_workbook(Aktiviteter=[header, ["Möte", "", "mars 2019", "Möte", "Eva", "", "x"]])
    said = {f.place: f.message for f in read_workbook(path).findings}
    assert said["Aktiviteter!C1"] == ('okänd kolumn "Tdi" – menade du Tid? Rätta rubriken; så länge den är fel läses '
                                      "kolumnen Tid som tom")
    assert said["Aktiviteter!G1"].startswith('okänd kolumn "Anteckningar"; ')  # like no column it lacks


def test_a_misspelt_required_header_is_an_error_on_its_cell_naming_the_column(make_workbook):
    header = ["Aktiviteten", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig", "Klar"]
    plan = read_workbook(make_workbook(Aktiviteter=[header, ["Möte", "", "mars 2019", "Möte", "Eva", ""]]))
    errors = [(f.place, f.message) for f in plan.findings if f.is_error]
    assert len(errors) == 1
    assert errors[0][0] == "Aktiviteter!A1"
    assert errors[0][1].startswith('okänd kolumn "Aktiviteten" – menade du Aktivitet? Rätta rubriken; utan kolumnen '
                                   "Aktivitet läses inte bladet. Rubrikraden ska ha kolumnrubrikerna Aktivitet, ")


def test_a_column_of_its_own_is_not_taken_for_a_misspelt_one(make_workbook):
    header = ["Aktivitetstyp", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig", "Klar"]
    plan = read_workbook(make_workbook(Aktiviteter=[header, ["Möte", "", "mars 2019", "Möte", "Eva", ""]]))
    errors = [(f.place, f.message) for f in plan.findings if f.is_error]
    assert errors == [("Aktiviteter", 'rubriken "Aktivitet" saknas. Rubrikraden i tabellen ska ha kolumnrubrikerna '
                                      "Aktivitet, Syfte och målgrupp, Tid, Kanal, Ansvarig, Klar, Målgrupp, Indikator, "
                                      "Målvärde, Utfall.")]


def test_a_misspelt_plan_field_is_named_with_the_field_it_was_meant_to_be(make_workbook):
    plan = read_workbook(make_workbook(Plan=[["Kommunen", "Mittköping"], ["Projekt", "Bokning"], ["Budget", "1 kr"]]))
    said = {f.place: (f.message, f.is_error) for f in plan.findings}
    assert said["Plan!A1"] == ('okänt fält "Kommunen" – menade du Kommun? Rätta namnet i kolumn A; så länge det är fel '
                               "saknas Kommun i planen", False)
    assert said["Plan!A3"] == ('okänt fält "Budget"; standardmallen visar det inte, men en egen mall kan göra det '
                               "(plan_ovrigt)", False)
    assert plan.extra_fields[0][0] == "Kommunen" and not plan.municipality


def test_plan_fields_of_their_own_are_not_taken_for_misspelt_ones(make_workbook):
    rows = [["Projektledare", "Eva"], ["Startdatum", "2019-01-01"], ["Undertitel", "x"], ["Kommentar", "y"]]
    plan = read_workbook(make_workbook(Plan=rows))
    hints = [f.message for f in plan.findings if "menade du" in f.message]
    assert hints == []
    assert len([f for f in plan.findings if f.message.startswith("okänt fält")]) == 4
