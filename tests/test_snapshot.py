"""The plan's data inside every document: written, read back, kept by LibreOffice, and never trusted."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import needs_libreoffice
from generator.cli import main
from generator.delivery.pdf import find_soffice
from generator.flows.generating import generate
from generator.versions.docxpart import NAMESPACE, read_head, read_snapshot
from generator.versions.snapshot import FORMAT, MAX_SNAPSHOT_BYTES, SnapshotError, parse_snapshot, same_plan


def custom_items(document: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(document) as package:
        return {n: package.read(n) for n in package.namelist() if n.startswith("customXml/item") and "Props" not in n}


def rewrite_item(document: Path, change) -> None:
    """Replace the snapshot item's bytes with change(bytes), as a damaged or foreign file would have them."""
    items = custom_items(document)
    [name] = [n for n, data in items.items() if NAMESPACE.encode() in data]
    copy = document.with_suffix(".tmp")
    with zipfile.ZipFile(document) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, change(data) if info.filename == name else data)
    copy.replace(document)


def test_every_document_carries_its_plan_and_version(make_workbook, tmp_path):
    result = generate(make_workbook(), tmp_path / "plan.docx")
    assert result.output is not None
    snapshot = read_snapshot(result.output)
    assert snapshot is not None and snapshot.version == 1
    activities = snapshot.plan["activities"]
    assert [a["fields"]["Aktivitet"] for a in activities] == [
        "Presentation på nämndmöte", "Nyhet på intranätet", "Möte med föreningar"]
    assert [a["done"] for a in activities] == [True, False, False]
    assert activities[0]["fields"]["Syfte och målgrupp"] == "Ge politiker information"
    assert snapshot.plan["fields"]["Kommun"] == "Testköping"
    assert [s["heading"] for s in snapshot.plan["sections"]] == ["Bakgrund", "Målgrupper", "Budskap"]
    # related from the main document part, with its itemProps, so Word keeps it
    with zipfile.ZipFile(result.output) as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
        names = package.namelist()
    [item] = [n for n, d in custom_items(result.output).items() if NAMESPACE.encode() in d]
    assert f'Target="../{item}"' in rels
    assert item.replace("item", "itemProps") in names
    document = Document(str(result.output))
    assert document.core_properties.version == "1" and document.core_properties.revision == 1
    assert "Version 1, senast ändrad" in "\n".join(p.text for p in document.paragraphs)


def test_version_goes_up_only_when_the_plan_changed(make_workbook, tmp_path):
    workbook = make_workbook()
    output = tmp_path / "plan.docx"
    runner = CliRunner()
    assert runner.invoke(main, ["generate", str(workbook), "-o", str(output)]).exit_code == 0
    again = runner.invoke(main, ["generate", str(workbook), "-o", str(output)])
    assert "Version" not in again.stdout and read_snapshot(output).version == 1
    make_workbook(Plan=[["Kommun", "Testköping"], ["Projekt", "Nytt namn"]])
    changed = runner.invoke(main, ["generate", str(workbook), "-o", str(output)])
    assert changed.exit_code == 0, changed.output
    assert "Version 2. Ändringar sedan version 1" in changed.stdout
    document = Document(str(output))
    assert document.core_properties.revision == 2
    texts = [p.text for p in document.paragraphs]
    assert "Projekt: ”Bokning och bidrag” → ”Nytt namn”" in texts


def test_plan_field_version_is_shown_as_written(make_workbook, tmp_path):
    workbook = make_workbook(Plan=[["Kommun", "Testköping"], ["Version", "2.1 (remiss)"]])
    result = generate(workbook, tmp_path / "plan.docx")
    document = Document(str(result.output))
    assert document.core_properties.version == "2.1 (remiss)"
    assert any(p.text.startswith("Version 2.1 (remiss), senast ändrad") for p in document.paragraphs)
    with zipfile.ZipFile(result.output) as package:
        custom = package.read("docProps/custom.xml").decode()
    assert 'name="Version"' in custom and "2.1 (remiss)" in custom


@pytest.mark.parametrize(("change", "warning"), [
    (lambda data: data[: data.index(b"head=") + 20], "skadade"),
    (lambda data: data.replace(b'"format":1', b'"format":99'), "nyare version av aktivitetsplan"),
    (lambda data: data.replace(b'"version":1', b'"version":"x"'), "skadade"),
    (lambda data: b'<!DOCTYPE p [<!ENTITY a "aaaa">]><plan xmlns="urn:aktivitetsplan:plan">&a;</plan>', "skadade"),
])
def test_damaged_or_newer_data_is_a_warning_and_a_first_version(make_workbook, tmp_path, change, warning):
    workbook = make_workbook()
    output = tmp_path / "plan.docx"
    generate(workbook, output)
    rewrite_item(output, change)
    result = CliRunner().invoke(main, ["generate", str(workbook), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert warning in result.stderr and "ingen jämförelse med förra versionen görs" in result.stderr
    assert read_snapshot(output).version == 1


def second_version(make_workbook, folder: Path) -> tuple[Path, Path]:
    """A workbook and its document at version 2 (Projekt renamed since version 1)."""
    workbook = make_workbook()
    output = folder / "plan.docx"
    generate(workbook, output)
    make_workbook(Plan=[["Kommun", "Testköping"], ["Projekt", "Nytt namn"]])
    generate(workbook, output)
    return workbook, output


def test_an_unchanged_plan_follows_its_version_from_the_head_alone(make_workbook, tmp_path):
    """The head (all but the plan, with the plan's digest) is enough: the plan data is not read back."""
    workbook, output = second_version(make_workbook, tmp_path)
    before = read_snapshot(output)
    head = read_head(output)
    assert before is not None and head is not None
    assert (head.version, head.changed, head.changes) == (2, before.changed, before.changes)
    # The plan data after the head is damaged: an unchanged plan does not need it.
    rewrite_item(output, lambda data: data[: data.index(b"'>") + 2] + b'{"plan":')
    result = CliRunner().invoke(main, ["generate", str(workbook), "-o", str(output)])
    assert result.exit_code == 0 and result.stderr == "", result.output
    after = read_snapshot(output)
    assert after is not None and (after.version, after.changes, after.plan) == (2, before.changes, before.plan)
    assert "Projekt: ”Bokning och bidrag” → ”Nytt namn”" in [p.text for p in Document(str(output)).paragraphs]


def test_a_document_without_a_head_is_followed_from_its_plan_data(make_workbook, tmp_path):
    """Documents made before the head existed, or by a program that dropped it, are compared as they were."""
    workbook, output = second_version(make_workbook, tmp_path)
    rewrite_item(output, lambda data: re.sub(rb" head='[^']*'", b"", data))
    assert read_head(output) is None and read_snapshot(output).version == 2
    generate(workbook, output)
    assert read_snapshot(output).version == 2 and read_head(output).version == 2
    make_workbook(Plan=[["Kommun", "Testköping"], ["Projekt", "Tredje namnet"]])
    rewrite_item(output, lambda data: data.replace(b'"digest":"', b'"digest":"0'))  # a head that is not this plan's
    generate(workbook, output)
    assert read_snapshot(output).version == 3


def test_a_head_too_big_to_carry_is_left_out_and_the_plan_data_read_instead(make_workbook, tmp_path, monkeypatch):
    from generator.versions import docxpart

    monkeypatch.setattr(docxpart, "MAX_HEAD_BYTES", 100)  # as a list of thousands of changes would be
    workbook, output = second_version(make_workbook, tmp_path)
    [ours] = [data for data in custom_items(output).values() if NAMESPACE.encode() in data]
    assert read_head(output) is None and b"head=" not in ours
    generate(workbook, output)
    assert read_snapshot(output).version == 2
    monkeypatch.setattr(docxpart, "MAX_HEAD_BYTES", 4 << 20)
    generate(workbook, output)
    assert read_head(output).version == read_snapshot(output).version == 2


def test_reading_the_head_stops_at_its_budget_and_never_fails(make_workbook, tmp_path):
    """Items before ours with huge start tags, a stream that does not inflate, an encoding Python lacks."""
    workbook = make_workbook()
    output = tmp_path / "plan.docx"
    generate(workbook, output)
    ours = next(data for data in custom_items(output).values() if NAMESPACE.encode() in data)
    crowded = tmp_path / "trangt.docx"
    with zipfile.ZipFile(output) as source, zipfile.ZipFile(crowded, "w", zipfile.ZIP_DEFLATED) as target:
        for index in range(3):  # read first, as Word names them: 3 × 4 MB, past what the head may read
            target.writestr(f"customXml/item0{index}.xml", b"<x a='" + b"a" * (4 << 20) + b"'/>")
        for info in source.infolist():
            target.writestr(info, source.read(info))
    assert read_head(crowded) is None and read_snapshot(crowded) == read_snapshot(output)
    result = CliRunner().invoke(main, ["generate", str(workbook), "-o", str(crowded)])
    assert result.exit_code == 0 and result.stderr == "" and read_snapshot(crowded).version == 1

    broken = tmp_path / "trasig.docx"
    shutil.copy(output, broken)
    rewrite_item(broken, lambda data: data.replace(b"encoding='UTF-8'", b"encoding='okand-kodning'"))
    assert read_head(broken) is None
    with pytest.raises(SnapshotError, match="skadade"):
        read_snapshot(broken)
    with zipfile.ZipFile(output) as package:
        [name] = [n for n in package.namelist() if package.read(n) == ours]
        info = package.getinfo(name)
    raw = bytearray(output.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start:start + 16] = b"\xff" * 16  # the item's deflate stream, damaged
    output.write_bytes(bytes(raw))
    assert read_head(output) is None
    with pytest.raises(SnapshotError, match="inget Word-dokument"):
        read_snapshot(output)


def test_document_without_data_is_compared_with_nothing(make_workbook, tmp_path):
    from generator.files.resources import DEFAULT_TEMPLATE

    output = tmp_path / "plan.docx"
    shutil.copy(DEFAULT_TEMPLATE, output)  # a Word file made elsewhere
    result = generate(make_workbook(), output)
    assert [w.message for w in result.warnings] == [
        "dokumentet saknar planens data (det gjordes inte med aktivitetsplan, eller med en äldre version); "
        "ingen jämförelse med förra versionen görs"]
    assert read_snapshot(output).version == 1


def test_snapshot_is_untrusted_json():
    with pytest.raises(SnapshotError, match="större än"):
        parse_snapshot(b" " * (MAX_SNAPSHOT_BYTES + 1))
    for raw in (b"[]", b"{}", b'{"format": 1, "version": 0, "plan": {}}', b"[" * 100_000):
        with pytest.raises(SnapshotError):
            parse_snapshot(raw)
    odd = parse_snapshot(json.dumps({"format": FORMAT, "version": 3, "plan": {
        "activities": [{"fields": {"Aktivitet": 5, "Tid": "maj"}, "done": "yes"}, "x"], "sections": "?"}}))
    assert odd.plan["activities"] == [{"row": 0, "done": False, "done_mark": "", "fields": {"Tid": "maj"}}]
    assert odd.plan["sections"] == []


def test_not_a_document_is_an_error_for_diff(tmp_path):
    bad = tmp_path / "inte.docx"
    bad.write_text("hej")
    with pytest.raises(SnapshotError, match="inget Word-dokument"):
        read_snapshot(bad)
    result = CliRunner().invoke(main, ["diff", str(bad), str(bad)])
    assert result.exit_code == 1 and "inget Word-dokument" in result.stderr


@needs_libreoffice
def test_libreoffice_keeps_the_data_when_it_saves_the_document(make_workbook, tmp_path):
    """Opened and saved as .docx in LibreOffice Writer, the document still tells its plan."""
    output = tmp_path / "plan.docx"
    generate(make_workbook(), output)
    saved = tmp_path / "sparad"
    subprocess.run([str(find_soffice()), f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved), str(output)],
                   check=True, capture_output=True, timeout=180)
    assert read_snapshot(saved / "plan.docx") == read_snapshot(output)
    assert read_head(saved / "plan.docx") == read_head(output) is not None


def test_a_templates_own_custom_properties_are_kept(make_workbook, tmp_path):
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    from generator.files.resources import DEFAULT_TEMPLATE
    from generator.versions.docxpart import CUSTOM_PROPERTIES, CUSTOM_PROPERTIES_TYPE

    template = Document(str(DEFAULT_TEMPLATE))
    package = template.part.package
    own = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.'
           'org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
           '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Förvaltning">'
           '<vt:lpwstr>Kultur</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" '
           'name="Version"><vt:lpwstr>mall</vt:lpwstr></property></Properties>').encode()
    package.relate_to(Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPERTIES_TYPE, own, package), CUSTOM_PROPERTIES)
    template.save(str(tmp_path / "mall.docx"))
    result = generate(make_workbook(), tmp_path / "plan.docx", template=tmp_path / "mall.docx")
    with zipfile.ZipFile(result.output) as document:
        custom = document.read("docProps/custom.xml").decode()
    assert 'name="Förvaltning"' in custom and "Kultur" in custom
    assert custom.count('name="Version"') == 1 and "<vt:lpwstr>1</vt:lpwstr>" in custom
    assert 'pid="3" name="Version"' in custom and 'pid="4" name="Senast ändrad"' in custom


@pytest.mark.slow  # 40 generated documents
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.text(max_size=40), st.booleans()), max_size=5), st.text(max_size=40))
def test_any_text_survives_the_document(tmp_path, activities, municipality):
    from generator.versions.docxpart import embed_snapshot
    from generator.versions.snapshot import Snapshot, SnapshotHead, digest, plan_json

    plan = {"fields": {"Kommun": municipality}, "sections": [], "columns": [], "target_groups": [],
            "activities": [{"row": i, "done": done, "done_mark": "", "fields": {"Aktivitet": text}}
                           for i, (text, done) in enumerate(activities)]}
    snapshot = Snapshot(plan, 2, "2026-03-12", "2026-03-12", {"added": [municipality]})
    document = Document()
    embed_snapshot(document, snapshot)
    document.save(str(tmp_path / "d.docx"))  # python-docx's own save, which asks the part for its bytes
    assert read_snapshot(tmp_path / "d.docx") == snapshot
    head = read_head(tmp_path / "d.docx")
    assert head == SnapshotHead(2, "2026-03-12", "2026-03-12", {"added": [municipality]}, digest(plan_json(plan)))


def test_a_plan_too_big_to_keep_is_carried_without_its_data(make_workbook, tmp_path, monkeypatch):
    from generator.versions.history import next_snapshot
    from generator.versions.snapshot import text_size
    from generator.workbook.reader import read_workbook

    workbook = make_workbook()
    size = text_size(read_workbook(workbook))
    assert size > len("Presentation på nämndmöte" "Ge politiker information" "Testköping")
    monkeypatch.setattr("generator.versions.snapshot.MAX_SNAPSHOT_BYTES", size - 1)
    output = tmp_path / "plan.docx"
    generate(workbook, output)
    assert read_snapshot(output) is None
    assert Document(str(output)).core_properties.version == "1"
    monkeypatch.setattr("generator.versions.snapshot.MAX_SNAPSHOT_BYTES", size)
    assert next_snapshot(read_workbook(workbook), None, dt.date(2026, 3, 12)).plan["fields"]["Kommun"] == "Testköping"


def test_a_plan_is_the_same_however_its_rows_and_done_marks_were_written():
    def plan(*activities, heading="Bakgrund"):
        return {"fields": {"Kommun": "Mittköping"}, "sections": [{"heading": heading, "text": "Text"}],
                "columns": [], "target_groups": [],
                "activities": [{"row": row, "done": done, "done_mark": mark, "fields": {"Aktivitet": name}}
                               for row, done, mark, name in activities]}

    before = plan((2, True, "Ja", "Möte"), (3, False, "", "Brev"))
    assert same_plan(before, plan((5, True, "(röd)", "Möte"), (9, False, "Nej", "Brev")))
    assert not same_plan(before, plan((2, False, "", "Möte"), (3, False, "", "Brev")))  # undone
    assert not same_plan(before, plan((2, True, "Ja", "Möte"), (3, False, "", "Brev!")))
    assert not same_plan(before, plan((2, True, "Ja", "Möte")))
    assert not same_plan(before, plan((2, True, "Ja", "Möte"), (3, False, "", "Brev"), heading="Mål"))
    assert not same_plan(before, {**before, "columns": ["Budget"]})


def test_a_new_file_name_says_where_the_earlier_versions_are(make_workbook, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    workbook = make_workbook()
    runner = CliRunner()
    assert runner.invoke(main, ["generate", str(workbook)]).exit_code == 0  # out/<name>.docx, version 1
    dated = runner.invoke(main, ["generate", str(workbook), "-o", "plan-2019-03.docx"])
    assert dated.exit_code == 0, dated.output
    usual = Path("out") / f"{workbook.stem}.docx"
    assert (f"Det här är version 1 av plan-2019-03.docx, som inte fanns förut. Planens tidigare versioner finns i "
            f"{usual}: jämför med dem med --jamfor {usual}") in dated.stdout
    again = runner.invoke(main, ["generate", str(workbook), "-o", "plan-2019-03.docx"])  # now it is there
    compared = runner.invoke(main, ["generate", str(workbook), "-o", "ny.docx", "--jamfor", str(usual)])
    assert "tidigare versioner" not in again.stdout + compared.stdout
