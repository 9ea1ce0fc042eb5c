"""A workbook's shared strings read by lxml, as openpyxl reads them, when they are plain text."""

from __future__ import annotations

from typing import IO

from lxml import etree

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T = f"{_NS}si", f"{_NS}t"


def plain_shared_strings(source: IO[bytes]) -> list[str] | None:
    """The strings of a sharedStrings part, as openpyxl's read_string_table gives them; None unless plain.

    Excel and LibreOffice keep every text of a workbook here: openpyxl builds a Python object per
    string (Text.from_tree), which for a plan of 10,000 activities takes longer than reading its
    rows. Plain is: UTF-8, XML 1.0, no DTD, well-formed, and every <si> without attributes holding
    only <t> elements, each with text alone in it. Each string is then the text of its last <t>
    with "x005F_" taken out, as openpyxl has it. Anything else (rich-text runs, phonetic guides,
    comments, another encoding, a damaged part) gives None, and openpyxl reads the part and says
    what it says about it, as before.
    """
    strings: list[str] = []
    append = strings.append
    try:
        events = etree.iterparse(source, events=("end",), tag=_SI, resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=False)
        for _, element in events:
            if element.attrib:
                return None
            text = None
            for child in element:
                if child.tag != _T or len(child):  # a comment inside <t> splits its text in lxml, not in openpyxl
                    return None
                text = child.text
            append(text.replace("x005F_", "") if text else "")
            element.clear()
        root = events.root
    except Exception:  # damaged or hostile: openpyxl's reader says what is wrong, as it always has
        return None
    info = root.getroottree().docinfo if root is not None else None
    if info is None or info.doctype or (info.encoding or "").upper() != "UTF-8" or info.xml_version != "1.0":
        return None
    return strings
