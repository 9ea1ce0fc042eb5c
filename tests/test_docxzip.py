"""Saving a rendered plan: the members python-docx would write, unchanged template parts copied as packed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile

from docx import Document

from conftest import default_sheets, write_workbook
from generator.context import build_context
from generator.docxzip import save_package
from generator.engine import PlanTemplate
from generator.pipeline import check_workbook, generate
from generator.render import DEFAULT_TEMPLATE
from generator.templating import make_environment

THEME = "word/theme/theme1.xml"


def rendered(tmp_path, template=DEFAULT_TEMPLATE):
    plan = check_workbook(write_workbook(tmp_path / "plan.xlsx", default_sheets())).plan
    result = PlanTemplate(template)
    result.render(build_context(plan, dt.date(2020, 1, 1)), make_environment())
    return result


def members(path):
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        return [(name, package.read(name)) for name in package.namelist()]


def test_saved_members_are_what_python_docx_writes(tmp_path):
    template = rendered(tmp_path)
    ours, theirs = tmp_path / "ours.docx", tmp_path / "theirs.docx"
    template.save(str(ours))
    template.docx.save(str(theirs))  # python-docx's own writer
    assert members(ours) == members(theirs)
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as source:
        assert dict(members(ours))[THEME] == source.read(THEME)  # a part rendering leaves alone
    assert "Aktivitetsplan" in [p.text for p in Document(str(ours)).paragraphs]


def test_a_template_member_is_copied_only_when_it_unpacks_to_the_same_bytes(tmp_path):
    """A member with the right checksum and size but other bytes is compressed anew, not copied."""
    forged = tmp_path / "packad.docx"
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as source, zipfile.ZipFile(forged, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info), compress_type=zipfile.ZIP_STORED)
        theme = source.read(THEME)
    data = forged.read_bytes()
    at = data.index(theme)
    forged.write_bytes(data[:at] + theme.replace(b"<a:", b"<b:", 1) + data[at + len(theme):])
    output = tmp_path / "ut.docx"
    save_package(rendered(tmp_path).docx.part.package, output, forged)
    assert dict(members(output))[THEME] == theme


def test_a_changed_template_file_is_not_copied_from_its_earlier_version(tmp_path):
    template = tmp_path / "mall.docx"
    shutil.copy(DEFAULT_TEMPLATE, template)
    workbook = write_workbook(tmp_path / "plan.xlsx", default_sheets())
    generate(workbook, tmp_path / "ett.docx", template)
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    theme = parts[THEME].replace(b'name="Office"', b'name="Annat"', 1)
    assert theme != parts[THEME]
    with zipfile.ZipFile(template, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for name, blob in parts.items():
            out.writestr(name, theme if name == THEME else blob)
    os.utime(template, ns=(1_000_000_000, 1_000_000_000))
    generate(workbook, tmp_path / "två.docx", template)
    assert dict(members(tmp_path / "två.docx"))[THEME] == theme
    assert dict(members(tmp_path / "ett.docx"))[THEME] == parts[THEME]
