"""PDFs are PDF/A-2b and tagged, with title, author and language sv-SE, read back with pikepdf."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf

from conftest import needs_libreoffice
from generator.delivery.pdf import EXPORT_OPTIONS
from generator.delivery.pdfpool import PdfPool

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"


def archive_grade(pdf: Path) -> dict[str, object]:
    """What an archive and a screen reader look for in the PDF."""
    with pikepdf.open(pdf) as document:
        with document.open_metadata() as xmp:
            meta = {key: xmp.get(key) for key in (f"{PDFAID}part", f"{PDFAID}conformance", f"{DC}title",
                                                  f"{DC}creator")}
        root = document.Root
        return {
            "part": meta[f"{PDFAID}part"], "conformance": meta[f"{PDFAID}conformance"],
            "xmp_title": meta[f"{DC}title"], "xmp_author": meta[f"{DC}creator"],
            "title": str(document.docinfo.get("/Title", "")), "author": str(document.docinfo.get("/Author", "")),
            "lang": str(root.get("/Lang", "")), "tagged": "/StructTreeRoot" in root,
            "marked": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
            "output_intent": len(root.get("/OutputIntents", [])) > 0,
        }


EXPECTED = {"part": "2", "conformance": "B", "lang": "sv-SE", "tagged": True, "marked": True,
            "output_intent": True}


def test_export_options_ask_for_pdfa_2_and_tags():
    assert EXPORT_OPTIONS["SelectPdfVersion"]["value"] == "2"
    assert EXPORT_OPTIONS["UseTaggedPDF"]["value"] == "true"


@needs_libreoffice
def test_generate_pdf_is_pdfa_2b_tagged_with_title_author_and_language(make_workbook, tmp_path):
    workbook = make_workbook()
    output = tmp_path / "ut" / "plan.pdf"
    done = subprocess.run([str(Path(sys.executable).parent / "aktivitetsplan"), "generate", str(workbook), "-o",
                           str(output)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    found = archive_grade(output)
    assert {key: found[key] for key in EXPECTED} == EXPECTED
    assert found["title"] == found["xmp_title"] == "Aktivitetsplan – Testköping"
    assert found["author"] == "Testköping"
    assert found["xmp_author"] == ["Testköping"]


@needs_libreoffice
def test_the_web_pages_pool_makes_the_same_kind_of_pdf(make_workbook, tmp_path):
    from generator.flows.generating import generate

    docx = generate(make_workbook(), tmp_path / "plan.docx").output
    assert docx is not None
    pool = PdfPool(workers=1, folder=tmp_path)
    try:
        pdf = pool.submit(docx, tmp_path / "pool.pdf").result(timeout=300)
    finally:
        pool.close()
    found = archive_grade(pdf)
    assert {key: found[key] for key in EXPECTED} == EXPECTED
