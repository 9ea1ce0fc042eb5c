"""Word-valid output: documents and the default template pass openxml-audit and Word's own rules."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator

from conftest import ACTIVITY_HEADER, default_sheets, needs_libreoffice, write_workbook
from generator import __version__
from generator.delivery.pdf import find_soffice
from generator.document.docxml import field_runs, normalize_for_word
from generator.files.resources import DEFAULT_TEMPLATE
from generator.flows.generating import generate

# ECMA-376 2nd edition (Office 2010) is the first with the Transitional class; Office 2019 is what
# Word of today checks against. A document must pass both.
FORMATS = (FileFormat.OFFICE_2010, FileFormat.OFFICE_2019)
VALIDATORS = [OpenXmlValidator(file_format=f, max_errors=0) for f in FORMATS]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
STORIES = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")

AWKWARD = (
    'A & B < C > "D" \'E\' ]]> &amp; &lt;',
    "🎉 Fest 👩‍👩‍👧 🇸🇪 \U0001f600",
    "مرحبا بالعالم שלום עולם \u202eomvänd\u202c \u200f",
    "noll\u200bbredd\u200c\u200d\ufeff och mjuk\u00adbindestreck",
    "styr_x0001_tecken_x000B_ och_x001F_ \x7f",
    "{{ titel }} {% for x in y %} {# kommentar #} {%p if %} {%tr endfor %} {{ }}",
    "rad ett\nrad två\r\nrad tre\n\n\tflik\tefter",
    "   blanksteg före och efter   ",
)
OPENPYXL_REFUSES = "".join(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))  # Excel: _xHHHH_
LONG = ("Lång text med ord som bryts " * 1200)[:32000]


def audit(path: Path) -> list[str]:
    """openxml-audit's errors (schema, semantic, package) for each format, as readable lines."""
    problems = []
    for fmt, validator in zip(FORMATS, VALIDATORS):
        result = validator.validate(path)
        problems.extend(f"{fmt.value}: {error}" for error in result.errors)
    return problems


def word_problems(path: Path) -> list[str]:
    """What Word rejects or repairs that the schema does not say: ids, rsids, empty tables and cells."""
    problems = []
    doc_pr_ids: Counter[str] = Counter()
    bookmarks: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not name.endswith(".xml"):
                continue
            root = etree.fromstring(package.read(name))
            doc_pr_ids.update(e.get("id") for e in root.iter(f"{{{WP}}}docPr"))
            for element in root.iter():
                for attr, value in element.attrib.items():
                    if attr.startswith(f"{{{W}}}rsid") and not re.fullmatch(r"[0-9A-F]{8}", value):
                        problems.append(f"{name}: rsid {attr} = {value!r}")
                if element.tag in (f"{{{W}}}rsid", f"{{{W}}}rsidRoot"):
                    value = element.get(f"{{{W}}}val", "")
                    if not re.fullmatch(r"[0-9A-F]{8}", value):
                        problems.append(f"{name}: rsid {value!r}")
            if not STORIES.fullmatch(name):
                continue
            problems.extend(f"{name}: {p}" for p in _story_problems(root, bookmarks.setdefault(name, [])))
    problems.extend(f"docPr id {i} används {n} gånger" for i, n in doc_pr_ids.items() if n > 1)
    return problems


def _story_problems(root: etree._Element, names: list[str]) -> list[str]:
    problems = []
    starts = [(b.get(f"{{{W}}}id"), b.get(f"{{{W}}}name")) for b in root.iter(f"{{{W}}}bookmarkStart")]
    ends = Counter(b.get(f"{{{W}}}id") for b in root.iter(f"{{{W}}}bookmarkEnd"))
    ids = Counter(i for i, _ in starts)
    problems.extend(f"bokmärkes-id {i} används {n} gånger" for i, n in ids.items() if n > 1)
    problems.extend(f"bokmärke {i} saknar slut" for i in ids if ends[i] != 1)
    names.extend(n for _, n in starts)
    problems.extend(f"bokmärkesnamn {n} finns två gånger" for n, c in Counter(names).items() if c > 1)
    for link in root.iter(f"{{{W}}}hyperlink"):
        anchor = link.get(f"{{{W}}}anchor")
        if anchor is not None and anchor not in names:
            problems.append(f"länk till bokmärket {anchor} som inte finns")
    for table in root.iter(f"{{{W}}}tbl"):
        if table.find(f"{{{W}}}tr") is None:
            problems.append("tabell utan rader")
    for row in root.iter(f"{{{W}}}tr"):
        if row.find(f"{{{W}}}tc") is None:
            problems.append("tabellrad utan celler")
    for cell in root.iter(f"{{{W}}}tc"):
        if len(cell) == 0 or cell[-1].tag != f"{{{W}}}p":
            problems.append("tabellcell som inte slutar med ett stycke")
    depth = 0
    for char in root.iter(f"{{{W}}}fldChar"):
        kind = char.get(f"{{{W}}}fldCharType")
        depth += {"begin": 1, "end": -1}.get(kind, 0)
        if depth < 0:
            problems.append("fält som slutar utan att ha börjat")
            depth = 0
    if depth:
        problems.append(f"{depth} fält som aldrig slutar")
    return problems


def assert_word_valid(path: Path) -> None:
    problems = audit(path) + word_problems(path)
    assert not problems, "\n".join(problems[:30])


def awkward_sheets(count: int = 300) -> dict[str, list[list[object]]]:
    """A plan with every awkward character in every field, some cells near Excel's 32 767 limit."""
    rows: list[list[object]] = [ACTIVITY_HEADER]
    for i in range(count):
        pick = [AWKWARD[(i + k) % len(AWKWARD)] for k in range(5)]
        activity = LONG if i % 60 == 7 else f"{i} {pick[0]}"
        rows.append([activity, pick[1], pick[2], pick[3], pick[4], "Ja" if i % 3 == 0 else ""])
    return {
        "Plan": [["Fält", "Värde"], ["Kommun", 'Å & Ö <kommun> "🎉" {{ x }}'], ["Datum", dt.date(2026, 1, 5)],
                 ["Projekt", f"{AWKWARD[2]} {AWKWARD[0]}"], ["Slogan", f"{AWKWARD[5]} {AWKWARD[3]}"]],
        "Avsnitt": [["Rubrik", "Text"]]
        + [[text, "\n\n".join(AWKWARD) + f"\n- punkt {text}"] for text in AWKWARD]
        + [["Långt avsnitt", LONG]],
        "Aktiviteter": rows,
    }


def activity_table(path: Path) -> list[list[str]]:
    """The cell texts of the table whose first header cell reads "Aktivitet"."""
    for table in Document(str(path)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == "Aktivitet":
            return rows
    raise AssertionError("ingen aktivitetstabell")


def resave_in_libreoffice(document: Path, folder: Path) -> Path:
    """document opened and saved again as Word 2007-365 by LibreOffice, with a profile of its own."""
    soffice = find_soffice()
    assert soffice is not None
    command = [str(soffice), f"-env:UserInstallation={(folder / 'profil').as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "sparad"), str(document)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    resaved = folder / "sparad" / document.name
    assert resaved.is_file()
    return resaved


def app_properties(path: Path) -> dict[str, str]:
    """The fields of docProps/app.xml by name."""
    with zipfile.ZipFile(path) as package:
        app = etree.fromstring(package.read("docProps/app.xml"))
    return {etree.QName(e).localname: e.text or "" for e in app}


@pytest.mark.slow  # the Open XML audit
def test_default_template_is_word_valid():
    assert_word_valid(DEFAULT_TEMPLATE)
    assert app_properties(DEFAULT_TEMPLATE)["Application"] == "aktivitetsplan"
    assert Document(str(DEFAULT_TEMPLATE)).core_properties.author == "aktivitetsplan"


@pytest.mark.slow  # the Open XML audit
def test_example_plan_is_word_valid(example_copy, tmp_path):
    generate(example_copy, tmp_path / "plan.docx")
    assert_word_valid(tmp_path / "plan.docx")


@pytest.fixture(scope="module")
def awkward_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("awkward") / "konstig.xlsx", awkward_sheets())


@pytest.mark.slow  # the Open XML audit of 300 activities
def test_awkward_300_activity_plan_is_word_valid(awkward_workbook, tmp_path):
    output = tmp_path / "konstig.docx"
    generate(awkward_workbook, output)
    assert_word_valid(output)
    rows = activity_table(output)
    assert len(rows) == 301
    assert rows[1 + 7][0] == LONG
    assert [row[0] for row in rows[1:7]] == [f"{i} {AWKWARD[i]}" for i in range(4)] + [
        "4 styrtecken och \x7f",  # the control characters XML cannot hold are dropped
        f"5 {AWKWARD[5]}",
    ]
    assert rows[1 + 6][0] == "6 rad ett\nrad två\nrad tre\n\n\tflik\tefter"


def test_properties_describe_the_plan_not_the_template(make_workbook, tmp_path):
    output = tmp_path / "plan.docx"
    generate(make_workbook(), output)
    props = Document(str(output)).core_properties
    assert props.author == "Testköping"
    assert props.last_modified_by == "aktivitetsplan"
    assert props.title == "Aktivitetsplan – Testköping"
    assert props.subject == "Bokning och bidrag"
    assert props.comments == f"3 aktiviteter, 1 klar. Skapad med aktivitetsplan {__version__} ur plan.xlsx."
    assert props.language == "sv-SE"
    fields = app_properties(output)
    assert fields["Application"] == f"aktivitetsplan {__version__}"
    assert fields["Company"] == "Testköping"
    assert not {"Pages", "Words", "Characters", "Lines", "Paragraphs", "Template", "AppVersion"} & set(fields)
    # The template's "spell-checked, clean" would stop Word from checking the plan's own text.
    assert Document(str(output)).settings.element.find(f"{{{W}}}proofState") is None


def test_properties_are_one_line(make_workbook, tmp_path):
    sheets = default_sheets()
    sheets["Plan"] = [*sheets["Plan"], ["Titel", "Plan\nför\tvåren"]]
    sheets["Plan"][1] = ["Kommun", "  Test\nköping "]
    output = tmp_path / "plan.docx"
    generate(make_workbook(sheets), output)
    props = Document(str(output)).core_properties
    assert (props.author, props.title) == ("Test köping", "Plan för våren")
    assert_word_valid(output)


@pytest.mark.libreoffice
@needs_libreoffice
def test_template_resaved_by_libreoffice_still_gives_word_valid_documents(example_copy, awkward_workbook, tmp_path):
    template = resave_in_libreoffice(DEFAULT_TEMPLATE, tmp_path)
    for workbook in (example_copy, awkward_workbook):
        output = tmp_path / f"{workbook.stem}.docx"
        generate(workbook, output, template=template)
        assert_word_valid(output)
    assert len(activity_table(tmp_path / "konstig.docx")) == 301



@pytest.mark.slow  # the Open XML audit
def test_template_from_python_docx_with_contents_in_a_cell_gives_a_word_valid_document(make_workbook, tmp_path):
    # python-docx's own default document keeps Word 2010's stylesWithEffects copy of the styles;
    # a table of contents alone in a table cell, with no headings to list, must leave a paragraph there.
    template = Document()
    template.add_paragraph("{{ titel }}")
    cell = template.add_table(rows=1, cols=1).rows[0].cells[0]
    for run in field_runs('TOC \\o "1-2" \\h', "fylls i"):
        cell.paragraphs[0]._p.append(run)
    template.save(str(tmp_path / "mall.docx"))
    output = tmp_path / "plan.docx"
    generate(make_workbook(), output, template=tmp_path / "mall.docx")
    assert_word_valid(output)
    with zipfile.ZipFile(output) as package:
        assert "word/stylesWithEffects.xml" not in package.namelist()



@pytest.mark.slow  # the Open XML audit
def test_a_row_loop_over_no_activities_leaves_no_empty_table(make_workbook, tmp_path):
    template = Document()
    template.add_paragraph("{{ titel }}")
    outer = template.add_table(rows=1, cols=1).rows[0].cells[0]
    for table in (template.add_table(rows=3, cols=2), outer.add_table(rows=3, cols=1)):
        for row, text in zip(table.rows, ("{%tr for rad in aktiviteter %}", "{{ rad.aktivitet }}", "{%tr endfor %}")):
            row.cells[0].text = text
    outer._tc.remove(outer.paragraphs[0]._p)  # the nested table is the cell's last block
    template.save(str(tmp_path / "mall.docx"))
    output = tmp_path / "plan.docx"
    generate(make_workbook(Aktiviteter=[ACTIVITY_HEADER]), output, template=tmp_path / "mall.docx")
    assert_word_valid(output)
    assert len(Document(str(output)).tables) == 1  # the outer table, its cell now holding a paragraph


@pytest.mark.slow  # the Open XML audit of 12 generated documents
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.characters(exclude_categories=("Cs",), exclude_characters=OPENPYXL_REFUSES)
                     | st.sampled_from(["_x0001_", "&", "<", "{{", "{%", "\r\n", "\t", "\u200b", "🎉"]),
                     max_size=40).map("".join).filter(lambda text: not text.startswith("=")))  # "=0" is a formula
def test_any_cell_text_gives_a_word_valid_document(tmp_path, text):
    sheets = default_sheets()
    sheets["Aktiviteter"] = [*sheets["Aktiviteter"], [f"x{text}", text, text, text, text, "Ja"]]
    sheets["Avsnitt"] = [*sheets["Avsnitt"], [f"Rubrik {text}", text]]
    output = tmp_path / "plan.docx"
    generate(write_workbook(tmp_path / "plan.xlsx", sheets), output)
    assert_word_valid(output)


# The checks above can fail: each catches the kind of damage it is there for.

def _rewrite(source: Path, target: Path, part: str, change) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, change(data) if item.filename == part else data)
    return target


def test_audit_reports_table_properties_out_of_order(tmp_path):
    broken = _rewrite(DEFAULT_TEMPLATE, tmp_path / "trasig.docx", "word/document.xml",
                      lambda xml: xml.replace(b"</w:tblPr>", b'<w:tblLayout w:type="fixed"/></w:tblPr>', 1))
    assert any("tblLayout" in problem for problem in audit(broken))


def test_word_problems_reports_duplicate_bookmarks_empty_cells_and_bad_rsids(tmp_path):
    def damage(xml: bytes) -> bytes:
        bookmark = b'<w:bookmarkStart w:id="7" w:name="a"/><w:bookmarkEnd w:id="7"/>'
        xml = xml.replace(b"<w:body>", b"<w:body><w:p>" + bookmark * 2 + b"</w:p>", 1)
        xml = re.sub(rb"(<w:tc>(?:(?!</w:tc>).)*?</w:tcPr>).*?</w:tc>", rb"\1</w:tc>", xml, count=1, flags=re.S)
        return xml.replace(b"<w:p>", b'<w:p w:rsidR="12AB">', 1)

    problems = word_problems(_rewrite(DEFAULT_TEMPLATE, tmp_path / "trasig.docx", "word/document.xml", damage))
    assert any("bokmärkes-id 7" in p for p in problems)
    assert any("bokmärkesnamn a" in p for p in problems)
    assert any("tabellcell" in p for p in problems)
    assert any("rsid" in p for p in problems)


def test_values_are_put_in_words_forms():
    root = etree.fromstring(
        f'<w:tr xmlns:w="{W}" w:rsidR="00fc693f" w:rsidTr="00AB12CD"><w:trPr><w:tblHeader w:val="true"/>'
        '<w:cantSplit w:val="0"/><w:hidden/><w:b w:val="true"/></w:trPr><w:rsid w:val="00e618bf"/></w:tr>'
    )
    assert normalize_for_word(root) == 4
    values = [e.get(f"{{{W}}}val") for e in root.iter() if e.tag != f"{{{W}}}tr" and e.tag != f"{{{W}}}trPr"]
    assert values == ["on", "off", None, "true", "00E618BF"]  # w:b is a plain switch: "true" is valid there
    assert (root.get(f"{{{W}}}rsidR"), root.get(f"{{{W}}}rsidTr")) == ("00FC693F", "00AB12CD")

