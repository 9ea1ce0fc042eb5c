"""Compiled template code kept on disk: used when it can be trusted, never a reason for a run to fail."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from jinja2 import TemplateSyntaxError

from conftest import ROOT
from generator.files import cache
from generator.template import codecache, environment
from generator.template.environment import make_environment, make_text_environment

SOURCE = "<w:t>{{ kommun }}</w:t>{% for a in aktiviteter %}<w:t>{{ a.aktivitet }}</w:t>{% endfor %}"
CONTEXT = {"kommun": "Mittköping & Co", "aktiviteter": [{"aktivitet": "<Möte>"}]}
RENDERED = "<w:t>Mittköping &amp; Co</w:t><w:t>&lt;Möte&gt;</w:t>"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    folder = tmp_path / "kod"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    environment._COMPILED.clear()  # as a new process
    yield folder
    environment._COMPILED.clear()


def _files(folder):
    return sorted(folder.glob("*.code")) if folder.exists() else []


def test_a_new_process_loads_the_code_compiled_before(folder, monkeypatch):
    assert make_environment().from_string(SOURCE).render(CONTEXT) == RENDERED
    assert len(_files(folder)) == 1
    environment._COMPILED.clear()
    monkeypatch.setattr(environment._CompilingOnce, "compile", lambda *a, **k: pytest.fail("compiled again"))
    assert make_environment().from_string(SOURCE).render(CONTEXT) == RENDERED


def test_the_environments_kind_is_part_of_the_key(folder):
    assert make_environment().from_string(SOURCE).render(CONTEXT) == RENDERED
    environment._COMPILED.clear()
    text = make_text_environment().from_string(SOURCE).render(CONTEXT)
    assert text == "<w:t>Mittköping & Co</w:t><w:t><Möte></w:t>"  # not the escaping code of the other
    assert len(_files(folder)) == 2


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],
    lambda data: data[:-1] + bytes([data[-1] ^ 1]),
    lambda data: b"",
    lambda data: b"nonsense" + data,
])
def test_a_damaged_file_is_compiled_anew(folder, damage):
    make_environment().from_string(SOURCE)
    (path,) = _files(folder)
    path.write_bytes(damage(path.read_bytes()))
    environment._COMPILED.clear()
    assert make_environment().from_string(SOURCE).render(CONTEXT) == RENDERED
    assert codecache.cached_code("_CompilingOnce autoescape=True finalize=True", SOURCE) is not None  # rewritten


def test_a_folder_others_can_write_to_is_not_used(folder):
    folder.mkdir(mode=0o700)
    folder.chmod(0o777)
    assert make_environment().from_string(SOURCE).render(CONTEXT) == RENDERED
    assert _files(folder) == []


def test_a_read_only_folder_is_no_failure(folder, monkeypatch):
    folder.mkdir(mode=0o500)

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")  # as for anyone but root

    monkeypatch.setattr(cache.tempfile, "mkstemp", refused)
    assert make_environment().from_string(SOURCE).render(CONTEXT) == RENDERED
    assert _files(folder) == []


def test_a_folder_that_cannot_be_made_is_no_failure(folder):
    folder.parent.joinpath("fil").write_text("")
    os.environ[cache.CACHE_ENV] = str(folder.parent / "fil" / "kod")
    assert make_environment().from_string(SOURCE).render(CONTEXT) == RENDERED


def test_an_empty_setting_keeps_no_code(folder, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, "")
    assert make_environment().from_string(SOURCE).render(CONTEXT) == RENDERED
    assert not folder.exists()


def test_syntax_errors_are_not_kept(folder):
    with pytest.raises(TemplateSyntaxError):
        make_environment().from_string("{% for %}")
    assert _files(folder) == []


def test_the_least_recently_used_go_past_the_limit(folder, monkeypatch):
    monkeypatch.setattr(cache, "MAX_FILES", 3)
    for number in range(5):
        make_environment().from_string(f"{SOURCE}{number}")
    assert len(_files(folder)) == 3


def test_a_second_process_renders_from_the_kept_code(folder):
    script = ("from generator.template.environment import make_environment; "
              f"print(make_environment().from_string({SOURCE!r}).render({CONTEXT!r}))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
        assert done.stdout.strip() == RENDERED, done.stderr
    assert len(_files(folder)) == 1


def test_the_folder_is_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_folder() == tmp_path / "aktivitetsplan" / "mallkod"
    monkeypatch.setenv("XDG_CACHE_HOME", "relativ")  # not absolute: to be ignored, says XDG
    monkeypatch.setenv("HOME", str(tmp_path / "hem"))
    assert cache.cache_folder() == tmp_path / "hem" / ".cache" / "aktivitetsplan" / "mallkod"
    monkeypatch.setenv(cache.CACHE_ENV, "")
    assert cache.cache_folder() is None


@pytest.fixture
def fresh_templates(folder):
    """No template parsed or patched in this process yet, as in a new one."""
    from generator.document import engine, render

    render._PARSED.clear()
    engine._patched.cache_clear()
    yield folder
    render._PARSED.clear()
    engine._patched.cache_clear()


def test_a_new_process_takes_the_patched_template_xml_kept_before(fresh_templates, monkeypatch):
    """docxtpl's patching of the template's XML is kept too: the next process opens the template without it."""
    from docxtpl import DocxTemplate

    from generator.document import engine, render
    from generator.files.resources import DEFAULT_TEMPLATE

    xml = render.open_template(DEFAULT_TEMPLATE).get_xml()
    expected = str(DocxTemplate.patch_xml(None, xml))
    assert _files(fresh_templates)  # the body's patched XML, its header's and its footer's
    render._PARSED.clear()
    engine._patched.cache_clear()
    monkeypatch.setattr(DocxTemplate, "patch_xml", lambda *args: pytest.fail("patched again"))
    template = render.open_template(DEFAULT_TEMPLATE)
    assert engine._patched(xml) == expected
    assert template.patch_xml(xml) == expected


def test_damaged_patched_xml_is_patched_anew(fresh_templates, monkeypatch):
    from docxtpl import DocxTemplate

    from generator.document import engine

    source = "<w:p><w:r><w:t>{%p if klar %}</w:t></w:r></w:p>"
    expected = engine._patched(source)
    (path,) = _files(fresh_templates)
    path.write_bytes(path.read_bytes()[:-3])
    engine._patched.cache_clear()
    calls = []
    patch = DocxTemplate.patch_xml
    monkeypatch.setattr(DocxTemplate, "patch_xml", lambda self, xml: calls.append(xml) or patch(self, xml))
    assert engine._patched(source) == expected
    assert calls == [source]
    assert codecache.cached_text(engine._PATCH_KIND, source) == expected  # kept anew
