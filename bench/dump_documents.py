"""Render 40 workbooks with a fixed date and dump every part, XML canonicalized (C14N), to compare two versions.

Run: python bench/dump_documents.py OUTDIR
Do it on the version before a change and on the one after, then `diff -r BEFORE AFTER`: a speed-up
must print nothing. The example, tests/fixtures/real/ and the other fixture workbooks are rendered;
times and GUIDs are replaced, since they differ from run to run.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from lxml import etree  # noqa: E402

from generator.flows.generating import generate  # noqa: E402
from generator.plan.errors import PlanError  # noqa: E402

TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
GUID = re.compile(rb"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", re.I)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    books = [ROOT / "data" / "aktivitetsplan.xlsx", *sorted((ROOT / "tests" / "fixtures" / "real").glob("*.xlsx"))]
    books += [p for p in sorted((ROOT / "tests" / "fixtures").glob("*/*.xlsx")) if p.parent.name not in ("real", "bad")]
    for book in books:
        target = out / (book.parent.name + "__" + book.stem)
        target.mkdir(exist_ok=True)
        docx = target / "plan.docx"
        try:
            generate(book, docx, today=dt.date(2026, 3, 15))
        except PlanError as exc:
            (target / "error.txt").write_text(str(exc))
            continue
        with zipfile.ZipFile(docx) as z:
            for name in sorted(z.namelist()):
                data = z.read(name)
                if name.endswith((".xml", ".rels")):
                    data = etree.tostring(etree.fromstring(data), method="c14n")
                    data = GUID.sub(b"GUID", TIME.sub(b"TIME", data))
                (target / name.replace("/", "__")).write_bytes(data)
        docx.unlink()
    print("dumped", len(books), "workbooks to", out)


if __name__ == "__main__":
    main()
