"""Turn a communication plan kept in an Excel workbook into a styled Word document."""

__version__ = "0.1.0"
