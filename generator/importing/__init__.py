"""Import an existing plan from Word: `aktivitetsplan import` and, later, the web page."""

from generator.importing.activities import COLUMN_SYNONYMS
from generator.importing.docxfile import MAX_DOCUMENT_BYTES
from generator.importing.guidance import is_placeholder
from generator.importing.importer import import_document, import_plan, write_imported

__all__ = [
    "COLUMN_SYNONYMS", "MAX_DOCUMENT_BYTES", "import_document", "import_plan", "is_placeholder", "write_imported",
]
