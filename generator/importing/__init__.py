"""Import an existing plan from Word: `aktivitetsplan import` and, later, the web page."""

from generator.importing.importer import default_output, import_document, import_plan, write_imported
from generator.importing.report import ImportReport

__all__ = ["ImportReport", "default_output", "import_document", "import_plan", "write_imported"]
