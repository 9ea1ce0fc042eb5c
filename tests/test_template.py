"""The Word template: rebuilt from code, checked without rendering, rendered in a sandbox."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, find_activity_table
from generator.cli import main
from generator.document.render import DEFAULT_TEMPLATE, check_template
from generator.flows.generating import generate
from generator.plan.errors import TemplateError


@pytest.mark.slow  # the build script in a new process
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
    assert find_activity_table(Document(str(output))).rows[1].cells[0].text == tricky


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

    from generator.template.environment import make_environment

    env = make_environment()
    assert env.from_string("{{ x }}").render(x="<w:t>&\"'") == "&lt;w:t&gt;&amp;&#34;&#39;"
    assert env.from_string("{{ x }}").render(x="{{ y }}") == "&#123;&#123; y &#125;&#125;"
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__ }}").render(x="")
    with pytest.raises(UndefinedError):
        env.from_string("{{ y }}").render()


@pytest.mark.parametrize("header", ["Budget", "budget", " BUDGET ", "Budget  ", "bUdGeT"])
def test_readme_ovrigt_lookup_works_whatever_the_header_case_and_spacing(make_workbook, tmp_path, header):
    from conftest import ACTIVITY_HEADER

    workbook = make_workbook(
        Aktiviteter=[[*ACTIVITY_HEADER, header], ["Möte", "", "", "", "", "", "15 000 kr"]],
        Plan=[["Kommun", "Testköping"], [f"  {header.upper()} ", "Kultur"]],
    )
    template = make_template(tmp_path, '{% for rad in aktiviteter %}{{ rad.ovrigt["Budget"] }}{% endfor %}',
                             '{{ plan_ovrigt["Budget"] }}', "{{ aktiviteter[0].ovrigt.budget }}")
    output = tmp_path / "ut.docx"
    generate(workbook, output, template)
    texts = [p.text for p in Document(str(output)).paragraphs]
    assert texts[:3] == ["15 000 kr", "Kultur", "15 000 kr"]


def test_ovrigt_keeps_the_workbooks_spelling_when_listed(make_workbook, tmp_path):
    from conftest import ACTIVITY_HEADER

    workbook = make_workbook(Aktiviteter=[[*ACTIVITY_HEADER, " Budget ", "Förvaltning"],
                                          ["Möte", "", "", "", "", "", "100", "Kultur"]])
    template = make_template(tmp_path, "{% for rad in aktiviteter %}{% for namn, värde in rad.ovrigt.items() %}"
                                       "{{ namn }}={{ värde }};{% endfor %}{% endfor %}",
                             '{{ "BUDGET" in aktiviteter[0].ovrigt }} {{ "Bud get" in aktiviteter[0].ovrigt }}')
    output = tmp_path / "ut.docx"
    generate(workbook, output, template)
    assert [p.text for p in Document(str(output)).paragraphs][:2] == ["Budget=100;Förvaltning=Kultur;",
                                                                      "True False"]


def test_unknown_ovrigt_name_is_a_located_error(make_workbook, tmp_path):
    template = make_template(tmp_path, '{% for rad in aktiviteter %}{{ rad.ovrigt["Bud get"] }}{% endfor %}')
    with pytest.raises(TemplateError) as caught:
        generate(make_workbook(), tmp_path / "ut.docx", template)
    assert 'okänt fält "Bud get"' in caught.value.message


@given(name=st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), min_size=1, max_size=20)
       .filter(str.strip),
       spaces=st.tuples(st.sampled_from(["", " ", "  ", "\u00a0", "\t"]), st.sampled_from(["", " ", "   "])),
       upper=st.booleans())
def test_fields_find_any_name_whatever_its_case_and_surrounding_spaces(name, spaces, upper):
    from generator.template.context import Fields

    fields = Fields([(name, "värde"), ("Annat", "x")])
    asked = spaces[0] + (name.upper() if upper else name.lower()) + spaces[1]
    from generator.plan.values import normalize_name

    if normalize_name(asked) == normalize_name(name):  # str.upper can change length (ß → SS)
        assert fields[asked] == "värde"
        assert asked in fields
    assert list(fields) == [name, "Annat"] or normalize_name(name) == "annat"


@pytest.mark.parametrize(("text", "expected"), [
    ('{{ "x" * (antal_aktiviteter * 200000000) }}',
     'i taggen {{ "x" * (antal_aktiviteter * 200000000) }}: resultatet av * blir för stort'),
    ('{{ "x" * 1000 * 1000 * 1000 }}', "resultatet av * blir för stort (mer än 10 miljoner tecken)"),
    ("{% for i in range(antal_aktiviteter * 30000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "mallen gör för mycket arbete (mer än 1 000 000 varv"),
    pytest.param("{% for a in aktiviteter %}{% for i in range(antal_aktiviteter) %}{% for j in range(100000) %}"
                 "{{ j }}{% endfor %}{% endfor %}{% endfor %}", "mallen gör för mycket arbete",
                 marks=pytest.mark.slow),  # seconds of work up to the budget
    ("{{ range(10000000)|list|length }}", "range ger för många tal (mer än 1 000 000)"),
    ('{{ "%0999999999d" % 1 }}', "resultatet av % blir för stort"),
    ('{{ "%*d" % (999999999, 1) }}', "resultatet av % blir för stort"),
    ('{{ "%s"|format("x") * 99999999 }}', "resultatet av * blir för stort"),
    ('{{ "x"|center(999999999) }}', "resultatet av filtret center blir för stort"),
    ('{{ "a\\nb"|indent(999999999) }}', "resultatet av filtret indent blir för stort"),
    ('{{ ("x " * 4000000)|wordwrap(1, wrapstring="y" * 100) }}', "resultatet av filtret wordwrap blir för stort"),
    ('{{ ("x" * 9000000 + "%s")|format("y" * 9000000) }}', "resultatet av filtret format blir för stort"),
    ('{{ (["x" * 9000000] * 100)|join }}', "resultatet av filtret join blir för stort"),
    ('{{ ("x" * 9000000).replace("x", "yy") }}', "resultatet av replace blir för stort"),
    ('{{ "x".center(999999999) }}', "resultatet av center blir för stort"),
    ('{{ "{:>999999999}".format(1) }}', "resultatet av format blir för stort"),
    ('{{ ["x" * 9000000] * 1000 }}', "det som skrivs ut blir för stort"),
    ('{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
     "texten som sätts ihop med ~ blir för stort"),
    ('{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}',
     "resultatet av + blir för stort"),
    ("{{ 10 ** 10000000 }}", "talet blir för stort"),
    ('{% set s %}{% for i in range(100000) %}{{ "y" * 1000000 }}{% endfor %}{% endset %}',
     "dokumentet får för mycket text (mer än 40 MB)"),
    ('{{ range(1000)|map("center", 9000000)|list|length }}', "mallen skapar för mycket text (mer än 100 MB)"),
    pytest.param("{% macro m() %}{{ caller() }}{{ caller() }}{% endmacro %}" + "{% call m() %}" * 25 + "x"
                 + "{% endcall %}" * 25, "mallen gör för mycket arbete",
                 marks=pytest.mark.slow),  # seconds of work up to the budget
    ("{{ [1]|batch(999999999, 0)|list }}", "resultatet av filtret batch blir för stort"),
    ('{{ ("ab" * 4500000)|batch(1)|list|length }}', "resultatet av filtret batch blir för stort"),
    ('{{ ("x" * 9000000)|list|length }}', "resultatet av filtret list blir för stort"),
    ('{{ ("ab " * 3000000).split()|length }}', "resultatet av split blir för stort"),
    ("{{ lipsum(100000) }}", 'okänd variabel "lipsum"'),
    ("{{ aktiviteter.append(1) }}", "mallen försöker nå något som inte är tillåtet"),
])
def test_rendering_is_bounded_and_names_the_tag(make_workbook, tmp_path, text, expected):
    output = tmp_path / "ut.docx"
    with pytest.raises(TemplateError) as caught:
        generate(make_workbook(), output, make_template(tmp_path, text))
    assert caught.value.place == str(tmp_path / "mall.docx")
    assert expected in caught.value.message
    assert "i taggen" in caught.value.message or "lipsum" in text
    assert not output.exists()


def test_ordinary_template_features_work_within_the_limits(make_workbook, tmp_path):
    template = make_template(
        tmp_path,
        "{% for rad in aktiviteter %}{{ loop.index }}. {{ rad.aktivitet|upper }} ({{ rad.tid|default('-') }})"
        "{% if not loop.last %}, {% endif %}{% endfor %}",
        "{{ aktiviteter|map(attribute='ansvarig')|select|join(', ') }} | {{ '%s av %d'|format(antal_klara, 3) }}"
        " | {{ '{} st'.format(antal_aktiviteter) }} | {{ kommun ~ '!' }} | {{ (aktiviteter * 2)|length }}",
        "{% set ns = namespace(n=0) %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}"
        " {% macro m(x) %}[{{ x }}]{% endmacro %}{{ m('a') }} {{ kommun|center(14)|trim }} {{ 2 ** 10 }}",
    )
    output = tmp_path / "ut.docx"
    generate(make_workbook(), output, template)
    texts = [p.text for p in Document(str(output)).paragraphs]
    assert texts[:3] == [
        "1. PRESENTATION PÅ NÄMNDMÖTE (Våren 2019), 2. NYHET PÅ INTRANÄTET (April 2019), "
        "3. MÖTE MED FÖRENINGAR (Maj 2019)",
        "Anna, Bo, Cia | 1 av 3 | 3 st | Testköping! | 6",
        "10 [a] Testköping 1024",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ('{{ "x" * 400000000 }}', 'mallen stoppas: resultatet av * blir för stort (mer än 10 miljoner tecken) '
                              'i taggen {{ "x" * 400000000 }}'),
    ('{{ "x" * 1000 * 1000 * 1000 }}', 'resultatet av * blir för stort (mer än 10 miljoner tecken) '
                                       'i taggen {{ "x" * 1000 * 1000 * 1000 }}'),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "looparna i varandra går 10 000 000 000 varv, högst 1 000 000 i taggen {% for i in range(100000) %}"),
    ("{% for i in range(1000) %}{% for a in aktiviteter %}{% for j in range(2000) %}x{% endfor %}{% endfor %}"
     "{% endfor %}", "looparna i varandra går 2 000 000 varv"),
    ("{{ range(10000000)|list }}", "range ger för många tal (mer än 1 000 000) i taggen {{ range(10000000)|list }}"),
    ("{{ 10 ** 10000000 }}", "talet blir för stort i taggen {{ 10 ** 10000000 }}"),
    ("{{ kommun|center(999999999) }}", "resultatet av filtret center blir för stort"),
    ("{{ lipsum(100000) }}", 'mallen använder en okänd variabel "lipsum"'),
    ('{% for i in range(100000) %}{{ "x" * 5000000 }}{% endfor %}',
     "dokumentet får för mycket text (mer än 40 MB) i taggen {% for i in range(100000) %}"),
])
def test_check_template_sees_what_rendering_would_refuse(tmp_path, text, expected):
    findings = check_template(make_template(tmp_path, text))
    assert [f.message for f in findings if expected in f.message], findings


@pytest.mark.parametrize("text", [
    '{{ "-" * 80 }}', "{% for i in range(10) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
    "{{ kommun * 3 }}", "{{ 2 ** 64 }}", "{{ kommun|center(40) }}", "{{ range(1000000)|length }}",
])
def test_check_template_leaves_ordinary_sizes_alone(tmp_path, text):
    assert [f for f in check_template(make_template(tmp_path, text)) if f.is_error] == []


def test_headers_and_document_properties_are_bounded_too(make_workbook, tmp_path):
    header_template = tmp_path / "sidhuvud.docx"
    document = Document()
    paragraph = document.sections[0].header.paragraphs[0]
    paragraph.add_run("{% for i in range(antal_aktiviteter * 100000) %}")
    run = paragraph.add_run()
    for _ in range(50):
        run.add_break()
    paragraph.add_run("{% endfor %}")
    document.save(str(header_template))
    with pytest.raises(TemplateError, match="dokumentet får för många delar"):
        generate(make_workbook(), tmp_path / "ut.docx", header_template)

    properties_template = tmp_path / "egenskaper.docx"
    document = Document()
    document.core_properties.comments = "{% for i in range(100000) %}" + "x" * 100 + "{% endfor %}"
    document.save(str(properties_template))
    with pytest.raises(TemplateError, match=r"dokumentet får för mycket text \(mer än 100 kB\)"):
        generate(make_workbook(), tmp_path / "ut.docx", properties_template)
    assert not (tmp_path / "ut.docx").exists()
