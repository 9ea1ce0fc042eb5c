"""Reading the plan workbook (.xlsx) into the plan model, and writing a new one to fill in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lazy import exports

if TYPE_CHECKING:  # the names as the package gives them; imported on first use
    from generator.workbook.colors import color_rgb, is_red_rgb
    from generator.workbook.grid import spread_merges
    from generator.workbook.reader import read_workbook, split_blocks
    from generator.workbook.safety import MAX_ACTIVITIES, MAX_FILE_BYTES, MAX_SECTIONS
    from generator.workbook.sheets import RawCell, RawRow, SheetStyles, read_rows
    from generator.workbook.starter import (
        CORE_ACTIVITY_COLUMNS,
        SECTION_HEADINGS,
        StarterContent,
        build_workbook,
        check_new,
        column_lines,
        write_starter,
    )
    from generator.workbook.xlsxbook import BookStyles
    from generator.workbook.xlsxparts import Area, sheet_without_data

__all__ = [
    "CORE_ACTIVITY_COLUMNS",
    "MAX_ACTIVITIES",
    "MAX_FILE_BYTES",
    "MAX_SECTIONS",
    "SECTION_HEADINGS",
    "Area",
    "BookStyles",
    "RawCell",
    "RawRow",
    "SheetStyles",
    "StarterContent",
    "build_workbook",
    "check_new",
    "color_rgb",
    "column_lines",
    "is_red_rgb",
    "read_rows",
    "read_workbook",
    "sheet_without_data",
    "split_blocks",
    "spread_merges",
    "write_starter",
]

__getattr__ = exports(__name__, {
    "colors": ("color_rgb", "is_red_rgb"),
    "grid": ("spread_merges",),
    "reader": ("read_workbook", "split_blocks"),
    "safety": ("MAX_ACTIVITIES", "MAX_FILE_BYTES", "MAX_SECTIONS"),
    "sheets": ("RawCell", "RawRow", "SheetStyles", "read_rows"),
    "starter": (
        "CORE_ACTIVITY_COLUMNS", "SECTION_HEADINGS", "StarterContent", "build_workbook", "check_new",
        "column_lines", "write_starter"
    ),
    "xlsxbook": ("BookStyles",),
    "xlsxparts": ("Area", "sheet_without_data"),
})
