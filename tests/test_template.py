"""The Word template: rebuilt from code, checked without rendering, rendered in a sandbox."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import ROOT
from generator.cli import main
from generator.errors import TemplateError
from generator.pipeline import generate
from generator.render import DEFAULT_TEMPLATE, check_template


def test_committed_template_is_what_the_script_builds(tmp_path):
    built = tmp_path / "mall.docx"
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_template.py"), str(built)],
                   check=True, capture_output=True)
    with zipfile.ZipFile(built) as new, zipfile.ZipFile(DEFAULT_TEMPLATE) as committed:
        for part in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/footer1.xml"):
            names = new.namelist()
            if part in names:
                assert new.read(part) == committed.read(part), part


def test_default_template_passes_its_own_check():
    assert check_template(DEFAULT_TEMPLATE) == []


def make_template(tmp_path, *texts):
    path = tmp_path / "mall.docx"
    document = Document()
    for text in texts:
        document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.mark.parametrize(("text", "expected"), [
    ("{{ okand }}", 'okänd variabel "okand" i taggen {{ okand }}'),
    ("{% for rad in aktiviteter %}{{ rad.budget }}{% endfor %}", 'okänt fält "budget" i taggen {{ rad.budget }}'),
    ("{{ titel.__class__ }}", 'inte är tillåtet ("__class__") i taggen {{ titel.__class__ }}'),
    ("{% include 'x.docx' %}", 'mallen försöker läsa en annan fil ("x.docx")'),
    ("{{ kommun", "syntaxfel i mallen"),
])
def test_check_template_finds_problems_without_rendering(tmp_path, text, expected):
    findings = check_template(make_template(tmp_path, text))
    assert findings, text
    assert expected in findings[0].message
    assert findings[0].place == str(tmp_path / "mall.docx")


def test_check_command_with_template(tmp_path):
    bad = make_template(tmp_path, "{{ okand }}")
    result = CliRunner().invoke(main, ["check", "--template", str(bad)])
    assert result.exit_code == 1
    assert 'okänd variabel "okand"' in result.stderr
    good = CliRunner().invoke(main, ["check", "--template", str(DEFAULT_TEMPLATE)])
    assert good.exit_code == 0
    assert "mallen ser bra ut" in good.stdout


@pytest.mark.parametrize(("text", "expected"), [
    ("{{ okand }}", 'mallen använder en okänd variabel "okand" i taggen {{ okand }}'),
    ("{{ titel.__class__.__mro__ }}", "mallen försöker nå något som inte är tillåtet"),
    ("{{ ''.__class__.__subclasses__() }}", "mallen försöker nå något som inte är tillåtet"),
    ("{{ lipsum.__globals__ }}", "mallen försöker nå något som inte är tillåtet"),
    ("{% for x in aktiviteter %}{{ x.nope }}{% endfor %}", 'mallen använder ett okänt fält "nope"'),
    ("{% if %}", "syntaxfel i mallen"),
])
def test_render_refuses_unsafe_or_unknown_with_named_tag(make_workbook, tmp_path, text, expected):
    output = tmp_path / "ut.docx"
    with pytest.raises(TemplateError) as caught:
        generate(make_workbook(), output, make_template(tmp_path, text))
    assert caught.value.place == str(tmp_path / "mall.docx")
    assert expected in caught.value.message
    assert not output.exists()


def test_template_that_is_not_a_word_file(make_workbook, tmp_path):
    fake = tmp_path / "mall.docx"
    fake.write_text("hej")
    with pytest.raises(TemplateError, match="mallen är inget Word-dokument"):
        generate(make_workbook(), tmp_path / "ut.docx", fake)


def test_values_are_data_not_template_code(make_workbook, tmp_path):
    from conftest import ACTIVITY_HEADER

    tricky = "{{ 7*7 }} {% if true %}x{% endif %} {_{ }_} {_% %_} <w:p>&amp; ]]>"
    output = tmp_path / "ut.docx"
    generate(make_workbook(Aktiviteter=[ACTIVITY_HEADER, [tricky, "", "", "", "", ""]]), output)
    assert Document(str(output)).tables[0].rows[1].cells[0].text == tricky


@pytest.mark.parametrize(("text", "expected"), [
    ("{{ titel|attr('__class__') }}",
     "mallen försöker nå något som inte är tillåtet i taggen {{ titel|attr('__class__') }}"),
    ("{{ aktiviteter[0].okand }}", 'mallen använder ett okänt fält "okand" i taggen {{ aktiviteter[0].okand }}'),
    ("{{ avsnitt[0]['_hemlig'] }}", "mallen försöker nå något som inte är tillåtet"),
])
def test_sandbox_and_strict_names_catch_what_static_checks_cannot(make_workbook, tmp_path, text, expected):
    template = make_template(tmp_path, text)
    assert not [f for f in check_template(template) if "okand" in f.message or "attr" in f.message]
    with pytest.raises(TemplateError) as caught:
        generate(make_workbook(), tmp_path / "ut.docx", template)
    assert expected in caught.value.message


def test_environment_is_sandboxed_autoescaped_and_strict():
    from jinja2.exceptions import SecurityError, UndefinedError

    from generator.templating import make_environment

    env = make_environment()
    assert env.from_string("{{ x }}").render(x="<w:t>&\"'") == "&lt;w:t&gt;&amp;&#34;&#39;"
    assert env.from_string("{{ x }}").render(x="{{ y }}") == "&#123;&#123; y &#125;&#125;"
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__ }}").render(x="")
    with pytest.raises(UndefinedError):
        env.from_string("{{ y }}").render()
