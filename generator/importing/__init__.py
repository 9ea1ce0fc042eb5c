"""Import an existing plan from Word: `aktivitetsplan import` and the web page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lazy import exports

if TYPE_CHECKING:  # the names as the package gives them; imported on first use
    from generator.importing.activities import COLUMN_SYNONYMS
    from generator.importing.docxfile import MAX_DOCUMENT_BYTES
    from generator.importing.guidance import is_placeholder
    from generator.importing.importer import import_document, import_plan, write_imported

__all__ = [
    "COLUMN_SYNONYMS", "MAX_DOCUMENT_BYTES", "import_document", "import_plan", "is_placeholder", "write_imported",
]

__getattr__ = exports(__name__, {
    "activities": ("COLUMN_SYNONYMS",),
    "docxfile": ("MAX_DOCUMENT_BYTES",),
    "guidance": ("is_placeholder",),
    "importer": ("import_document", "import_plan", "write_imported"),
})
