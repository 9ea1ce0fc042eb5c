"""Templates parsed and tidied once per file version: each document still gets its own template's parts."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from docx import Document

from generator.files.resources import DEFAULT_TEMPLATE
from generator.flows.generating import generate

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _template(target: Path, styles_switch: bytes, settings_rsid: bytes, section_rsid: bytes = b"00FC693F",
              date: bytes = b"{{ datum }}") -> Path:
    """The default template with every qFormat saying styles_switch, one more rsid in settings.xml,
    section_rsid for its sections and date for its date, as other writers (LibreOffice) save them;
    Word's schema wants "on" and upper-case hex."""
    changes = {
        "word/document.xml": lambda xml: xml.replace(b'<w:sectPr w:rsidR="00FC693F"', b'<w:sectPr w:rsidR="'
                                                     + section_rsid + b'"').replace(b"{{ datum }}", date),
        "word/styles.xml": lambda xml: xml.replace(b"<w:qFormat/>", b'<w:qFormat w:val="' + styles_switch + b'"/>'),
        "word/settings.xml": lambda xml: xml.replace(b"<w:rsids>", b'<w:rsids><w:rsid w:val="' + settings_rsid
                                                    + b'"/>', 1),
    }
    temporary = target.with_suffix(".tmp")
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as old, zipfile.ZipFile(temporary, "w") as new:
        for item in old.infolist():  # stored, not compressed: the same changes give the same size
            data = old.read(item.filename)
            new.writestr(zipfile.ZipInfo(item.filename, item.date_time),
                         changes[item.filename](data) if item.filename in changes else data)
    os.replace(temporary, target)
    return target


def _tidied(document: Path) -> tuple[set[str | None], list[str]]:
    """The qFormat values of the document's styles and the rsids its settings list."""
    doc = Document(str(document))
    switches = {q.get(f"{{{W}}}val") for q in doc.styles.element.iter(f"{{{W}}}qFormat")}
    rsids = [r.get(f"{{{W}}}val") for r in doc.settings.element.iter(f"{{{W}}}rsid")]
    return switches, rsids


def test_a_templates_styles_and_settings_are_tidied_for_word(make_workbook, tmp_path):
    template = _template(tmp_path / "mall.docx", b"true", b"00ab12cd")
    workbook = make_workbook()
    for name in ("första.docx", "andra.docx"):  # the second from the parsed, tidied copy
        generate(workbook, tmp_path / name, template=template)
        switches, rsids = _tidied(tmp_path / name)
        assert switches == {"on"}
        assert "00AB12CD" in rsids and "00ab12cd" not in rsids


def test_a_template_changed_on_disk_is_tidied_anew(make_workbook, tmp_path):
    template = _template(tmp_path / "mall.docx", b"1", b"00ab12cd")
    workbook = make_workbook()
    generate(workbook, tmp_path / "före.docx", template=template)
    size = template.stat().st_size
    _template(template, b"0", b"00cd34ef")
    assert template.stat().st_size == size  # same path, same size: only the time tells them apart
    stat = template.stat()
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    generate(workbook, tmp_path / "efter.docx", template=template)
    switches, rsids = _tidied(tmp_path / "efter.docx")
    assert switches == {"off"}
    assert "00CD34EF" in rsids and "00AB12CD" not in rsids


def test_two_templates_each_give_their_own_parts(make_workbook, tmp_path):
    first = _template(tmp_path / "ett.docx", b"1", b"00ab12cd")
    second = _template(tmp_path / "två.docx", b"false", b"00cd34ef")
    workbook = make_workbook()
    for round_ in range(2):
        for template, switch, rsid in ((first, "on", "00AB12CD"), (second, "off", "00CD34EF")):
            output = tmp_path / f"{template.stem}-{round_}.docx"
            generate(workbook, output, template=template)
            switches, rsids = _tidied(output)
            assert switches == {switch}
            assert rsid in rsids
    default = tmp_path / "standard.docx"
    generate(workbook, default)
    switches, rsids = _tidied(default)
    assert switches == {None}  # the default template's own qFormat, as it is
    assert not {"00AB12CD", "00CD34EF"} & set(rsids)


def _rsids(document: Path, tag: str) -> set[str | None]:
    return {e.get(f"{{{W}}}rsidR") for e in Document(str(document)).element.body.iter(f"{{{W}}}{tag}")} - {None}


def test_the_bodys_own_rsids_and_those_its_tags_write_are_upper_case(make_workbook, tmp_path):
    workbook = make_workbook()
    for section_rsid, name in ((b"00fc693f", "egen.docx"), (b"{{ '00fc'|lower }}693f", "skriven.docx"),
                               (b"00FC{{ '693f' }}", "delvis.docx")):
        template = _template(tmp_path / name, b"1", b"00ab12cd", section_rsid)
        for round_ in range(2):
            output = tmp_path / f"{round_}-{name}"
            generate(workbook, output, template=template)
            assert _rsids(output, "sectPr") == {"00FC693F"}


def test_rsids_in_markup_a_template_lets_through_are_upper_case(make_workbook, tmp_path):
    run = b"{{ '&lt;/w:t&gt;&lt;/w:r&gt;&lt;w:r w:rsidR=\"00ab12cd\"&gt;&lt;w:t&gt;'|safe }}"
    template = _template(tmp_path / "mall.docx", b"1", b"00ab12cd", date=b"{{ datum }}" + run)
    output = tmp_path / "plan.docx"
    generate(make_workbook(), output, template=template)
    assert _rsids(output, "r") == {"00AB12CD"}
