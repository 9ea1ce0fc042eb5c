"""Files a run writes: output paths planned and checked, safe writes, the installed resources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lazy import exports

if TYPE_CHECKING:  # the names as the package gives them; imported on first use
    from generator.files.output import commit, lock_files, lock_owner, new_file_mode, refuse_locked, write_atomically
    from generator.files.paths import (
        DEFAULT_OUTPUT_DIR,
        DEFAULT_WORKBOOK,
        OUTPUT_SUFFIXES,
        Targets,
        batch_names,
        case_insensitive,
        check_targets,
        find_workbooks,
        is_folder_spec,
        plan_targets,
        same_file,
    )
    from generator.files.resources import DEFAULT_TEMPLATE, default_template

__all__ = [
    "DEFAULT_OUTPUT_DIR", "DEFAULT_TEMPLATE", "DEFAULT_WORKBOOK", "OUTPUT_SUFFIXES", "Targets", "batch_names",
    "case_insensitive", "check_targets", "commit", "default_template", "find_workbooks", "is_folder_spec",
    "lock_files", "lock_owner", "new_file_mode", "plan_targets", "refuse_locked", "same_file", "write_atomically",
]

__getattr__ = exports(__name__, {
    "output": ("commit", "lock_files", "lock_owner", "new_file_mode", "refuse_locked", "write_atomically"),
    "paths": (
        "DEFAULT_OUTPUT_DIR", "DEFAULT_WORKBOOK", "OUTPUT_SUFFIXES", "Targets", "batch_names", "case_insensitive",
        "check_targets", "find_workbooks", "is_folder_spec", "plan_targets", "same_file",
    ),
    "resources": ("DEFAULT_TEMPLATE", "default_template"),
})
