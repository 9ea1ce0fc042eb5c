"""Rebuild tests/fixtures/bad/: one broken or hostile input per case the tool must survive.

Run: python tools/build_bad_corpus.py   (needs LibreOffice for the real .xls and .ods,
msoffcrypto-tool for the encrypted workbook; both are in the dev set-up)
     python tools/build_bad_corpus.py mallar   (only the templates that would grow without bound)
     python tools/build_bad_corpus.py redigerade   (only the default template as a person edited it;
                                                    needs LibreOffice Writer for the one Writer saved)
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from docx import Document
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "fixtures" / "bad"
DEFAULT_TEMPLATE = ROOT / "templates" / "aktivitetsplan.docx"
HEADER = ["Aktivitet", "Syfte och målgrupp", "Tid", "Kanal", "Ansvarig", "Klar"]

SPECIAL = [
    "Möte & fika <i>kursiv</i> \"citat\" 'enkla' ]]> <![CDATA[x]]>",
    "{{ 7*7 }} {% if true %}ja{% endif %} {# kommentar #} {_{ }_} {%p if x %}",
    "Styrtecken:_x0001__x0008_ vertikal tab:_x000B_ slut",
    "Noll\u200bbredd\u200d och BOM\ufeff och mjukt\u00adbindestreck",
    "Emoji 🎉👩‍👩‍👧 och högertill­vänster: مرحبا بالعالم שלום",
    "Långtord" + "x" * 3000,
]


def valid_workbook(activities: list[list[object]] | None = None) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    plan = workbook.create_sheet("Plan")
    for row in (["Kommun", "Testköping"], ["Datum", dt.date(2019, 3, 15)], ["Slogan", "VI GÖR DET ENKLARE!"]):
        plan.append(row)
    sections = workbook.create_sheet("Avsnitt")
    sections.append(["Rubrik", "Text"])
    sections.append(["Bakgrund", "Kort bakgrund."])
    sheet = workbook.create_sheet("Aktiviteter")
    sheet.append(HEADER)
    for row in activities or [["Möte med nämnden", "Politiker", "Maj", "Möte", "Eva", "Ja"],
                              ["Nyhet på intranätet", "Alla", "Juni", "Intranät", "", ""]]:
        sheet.append(row)
    return workbook


def save(workbook: Workbook, name: str) -> Path:
    path = BAD / name
    workbook.save(path)
    return path


def rewrite(source: Path, target: Path, change: dict[str, bytes | None], extra: dict[str, bytes] | None = None,
            ) -> None:
    """Copy a zip package, replacing (or with None dropping) some parts and adding others."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename in change:
                data = change[item.filename]
                if data is not None:
                    new.writestr(item.filename, data)
            else:
                new.writestr(item, old.read(item.filename))
        for name, data in (extra or {}).items():
            new.writestr(name, data)


def convert_with_libreoffice(source: Path, fmt: str, target: Path) -> bool:
    soffice = shutil.which("soffice")
    if soffice is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                        "--convert-to", fmt, "--outdir", f"{folder}/out", str(source)],
                       check=True, capture_output=True, timeout=180)
        shutil.move(next(Path(folder, "out").glob(f"*.{fmt}")), target)
    return True


def template(name: str, *texts: str) -> None:
    document = Document()
    for text in texts:
        document.add_paragraph(text)
    document.save(str(BAD / name))


def main() -> None:
    if BAD.exists():
        shutil.rmtree(BAD)
    BAD.mkdir(parents=True)
    base = save(valid_workbook(), "valid-plan.xlsx")
    sheet = "xl/worksheets/sheet3.xml"
    plan_sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(base) as package:
        sheet_xml = package.read(sheet)
        plan_xml = package.read(plan_sheet)
    # Saved by another program: shared strings and its own styles, as Excel writes them.
    convert_with_libreoffice(base, "xlsx", BAD / "saved-by-libreoffice.xlsx")

    # 1. Files that are not what they claim.
    (BAD / "empty.xlsx").write_bytes(b"")
    (BAD / "random-bytes.xlsx").write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))
    (BAD / "csv-renamed.xlsx").write_text("Aktivitet;Tid\nMöte;Maj\n", encoding="utf-8")
    (BAD / "text-renamed.xlsx").write_text("Det här är ingen arbetsbok.\n", encoding="utf-8")
    with zipfile.ZipFile(BAD / "zip-not-workbook.xlsx", "w") as package:
        package.writestr("bilder/bild.txt", "ingen arbetsbok")
    word = io.BytesIO()
    Document().save(word)
    (BAD / "word-renamed.xlsx").write_bytes(word.getvalue())
    data = base.read_bytes()
    (BAD / "truncated.xlsx").write_bytes(data[: len(data) * 2 // 3])
    if not convert_with_libreoffice(base, "xls", BAD / "old-format.xls"):
        (BAD / "old-format.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    if not convert_with_libreoffice(base, "ods", BAD / "opendocument.ods"):
        with zipfile.ZipFile(BAD / "opendocument.ods", "w") as package:
            package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            package.writestr("content.xml", "<office:document-content/>")
    from msoffcrypto.format.ooxml import OOXMLFile

    with base.open("rb") as plain, (BAD / "encrypted.xlsx").open("wb") as locked:
        OOXMLFile(plain).encrypt("hemligt", locked)
    rewrite(base, BAD / "binary.xlsb", {"xl/workbook.xml": None}, {"xl/workbook.bin": b"\x83\x01\x00"})
    content_types = "[Content_Types].xml"
    with zipfile.ZipFile(base) as package:
        types = package.read(content_types).replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    rewrite(base, BAD / "macros.xlsm", {content_types: types}, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(60)})

    # 2. Resource attacks.
    xxe = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           + re.sub(rb"^<\?xml[^>]*\?>", b"", plan_xml).replace(b"Testk", b"&xxe;Testk", 1))
    rewrite(base, BAD / "xxe-external-entity.xlsx", {plan_sheet: xxe})
    laughs = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "ha">' + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)
    ) + b"]>" + re.sub(rb"^<\?xml[^>]*\?>", b"", sheet_xml).replace(b"<sheetData>", b"<sheetData>&j;", 1)
    rewrite(base, BAD / "billion-laughs.xlsx", {sheet: laughs})
    zip_bomb(base, BAD / "zip-bomb.xlsx", sheet)
    rows = b"".join(b'<row r="%d" s="1" customFormat="1" ht="15" customHeight="1"/>' % i
                    for i in range(10, 1_000_010))
    many = sheet_xml.replace(b"</sheetData>", rows + b"</sheetData>")
    many = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:F1000009"/>', many)
    rewrite(base, BAD / "million-formatted-rows.xlsx", {sheet: many})
    word_text = ("kommunikation " * 2400)[:32767]
    save(valid_workbook([[word_text, word_text, "Maj", word_text, "Eva", ""] for _ in range(30)]),
         "huge-cells.xlsx")

    # 3. Cell text that breaks naive renderers (valid: it must reach the document unchanged).
    special = valid_workbook([[text, text, "Maj", "Möte", "Eva", ""] for text in SPECIAL])
    special["Avsnitt"].append(["Rubrik & <tecken> {{ x }}", "\n".join(SPECIAL)])
    save(special, "special-characters.xlsx")

    # Located findings in an otherwise readable workbook.
    missing = valid_workbook([["Möte", "", "", "", "", ""], [None, "Syfte utan aktivitet", "", "", "", ""]])
    save(missing, "missing-activity.xlsx")
    formula = valid_workbook([["=CONCATENATE(\"Möte \", \"ett\")", "", "", "", "", ""]])
    save(formula, "formula-without-value.xlsx")
    logo = valid_workbook()
    logo["Plan"].append(["Logotyp", "logo-not-image.png"])
    save(logo, "logo-not-image.xlsx")
    (BAD / "logo-not-image.png").write_text("Det här är ingen bild.", encoding="utf-8")

    # 4. Untrusted templates (run with valid-plan.xlsx).
    template("template-unknown-variable.docx", "{{ kommun }}", "{{ budget_total }}")
    template("template-syntax-error.docx", "{% for rad in aktiviteter %}{{ rad.aktivitet }")
    template("template-python-internals.docx", "{{ titel.__class__.__mro__[1].__subclasses__() }}")
    template("template-reads-file.docx", "{% include '/etc/passwd' %}")
    template("template-environment.docx", "{{ self._TemplateReference__context.environment }}")
    (BAD / "template-not-docx.docx").write_text("ingen mall", encoding="utf-8")
    unbounded_templates()
    edited_templates()
    print(f"Skrev {len(list(BAD.iterdir()))} filer i {BAD}")


def unbounded_templates() -> None:
    """Templates that would grow without bound (run with valid-plan.xlsx, 2 activities).

    Each stops fast, within the memory limit, naming the tag. Bounds that depend on the plan
    get past check --template's static checks, so rendering's own limits are what stops them.
    Run alone: python tools/build_bad_corpus.py mallar
    """
    template("template-huge-string.docx", '{{ "x" * 400000000 }}')
    template("template-huge-multiplication.docx", "{{ titel * 1000 * 1000 * 1000 }}")
    template("template-nested-loops.docx", "{% for i in range(100000) %}{% for j in range(100000) %}"
                                           "{% endfor %}{% endfor %}")
    template("template-nested-loops-output.docx", "{% for i in range(antal_aktiviteter * 50000) %}"
                                                  "{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}")
    template("template-lipsum.docx", "{{ lipsum(100000) }}")
    template("template-format-width.docx", '{{ "%0999999999d" % antal_aktiviteter }}')
    template("template-filter-width.docx", "{{ titel|center(999999999) }}")
    template("template-doubling-text.docx", '{% set ns = namespace(s="x") %}{% for i in range(64) %}'
                                            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}")
    template("template-huge-output.docx", '{% for i in range(100000) %}{{ "x" * 5000000 }}{% endfor %}')
    template("template-captured-output.docx", "{% set s %}{% for i in range(antal_aktiviteter * 50000) %}"
                                              '{{ "y" * 1000000 }}{% endfor %}{% endset %}{{ s|length }}')
    many_elements("template-many-elements.docx")
    huge_document("template-huge-document.docx")


def edited_templates() -> None:
    """The default template as a person edits it in Word, or saves it again in LibreOffice Writer.

    Run alone: python tools/build_bad_corpus.py redigerade
    """
    def activity_table(document):
        return next(t for t in document.tables if t.rows[0].cells[-1].text == "Klar")

    def paragraph(document, text):
        return next(p for p in document.paragraphs if p.text == text)

    def remove(element) -> None:
        element.getparent().remove(element)

    def edit(name: str, change) -> None:
        document = Document(str(DEFAULT_TEMPLATE))
        change(document)
        document.save(str(BAD / name))

    # The red example row deleted, the black one kept: done activities must not vanish.
    edit("template-red-row-deleted.docx", lambda d: remove(activity_table(d).rows[3]._tr))
    # Parts of the plan the template no longer shows: check and generate say so.
    edit("template-without-activity-table.docx", lambda d: remove(activity_table(d)._tbl))
    edit("template-without-title.docx", lambda d: remove(paragraph(d, "{{ titel }}")._p))
    # Syntax errors made in Word: the message names the block left open, in Swedish.
    edit("template-endif-deleted.docx", lambda d: remove(paragraph(d, "{{ projekt }}")._p.getnext()))
    edit("template-endif-misspelt.docx", lambda d: _retext(paragraph(d, "{{ projekt }}")._p.getnext(), "{%p endfi %}"))
    edit("template-endfor-row-deleted.docx", lambda d: remove(activity_table(d).rows[7]._tr))
    # Saved again by Writer: its section and page breaks move into {%p %} paragraphs.
    convert_with_libreoffice(DEFAULT_TEMPLATE, "docx", BAD / "template-saved-by-libreoffice.docx")


def _retext(paragraph_element, text: str) -> None:
    """Give a paragraph (its w:p) one run's text, as typing over it in Word does."""
    from docx.text.paragraph import Paragraph

    paragraph = Paragraph(paragraph_element, None)
    paragraph.runs[0].text = text
    for run in paragraph.runs[1:]:
        run.text = ""


def many_elements(name: str) -> None:
    """A loop around a run of 50 line breaks: a document of millions of tiny elements."""
    document = Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("{% for i in range(antal_aktiviteter * 40000) %}")
    run = paragraph.add_run()
    for _ in range(50):
        run.add_break()
    paragraph.add_run("{% endfor %}")
    document.save(str(BAD / name))


def huge_document(name: str) -> None:
    """A template whose own text is half a million line breaks (a few kB zipped)."""
    template(name, "{{ kommun }}")
    path = BAD / name
    with zipfile.ZipFile(path) as package:
        body = package.read("word/document.xml")
    breaks = b"<w:p><w:r>" + b"<w:br/>" * 500_000 + b"</w:r></w:p>"
    temporary = path.with_suffix(".tmp")
    rewrite(path, temporary, {"word/document.xml": body.replace(b"<w:body>", b"<w:body>" + breaks, 1)})
    temporary.replace(path)


def zip_bomb(base: Path, target: Path, sheet: str, gigabytes: int = 2) -> None:
    """A workbook whose sheet inflates to gigabytes of zeros (about 2 MB on disk)."""
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename == sheet:
                with new.open(sheet, "w", force_zip64=True) as handle:
                    for _ in range(gigabytes * 1024):
                        handle.write(chunk)
            else:
                new.writestr(item, old.read(item.filename))


if __name__ == "__main__":
    if sys.argv[1:] == ["mallar"]:
        sys.exit(unbounded_templates())
    sys.exit(edited_templates() if sys.argv[1:] == ["redigerade"] else main())
