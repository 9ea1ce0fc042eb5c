"""The plan over time: the snapshot a document carries, and what changed between versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lazy import exports

if TYPE_CHECKING:  # the names as the package gives them; imported on first use
    from generator.versions.changes import (
        CHANGES_HEADING,
        TEMPLATE_VARIABLES,
        VERSION_LINE,
        ActivityChange,
        Changes,
        FieldChange,
        activity_key,
        compare,
        first_version_context,
        template_context,
    )
    from generator.versions.docxpart import (
        CUSTOM_PROPERTIES,
        CUSTOM_PROPERTIES_TYPE,
        NAMESPACE,
        apply_snapshot,
        embed_custom_xml,
        embed_snapshot,
        read_head,
        read_snapshot,
    )
    from generator.versions.history import compare_files, following, next_snapshot, previous_version
    from generator.versions.snapshot import (
        FORMAT,
        MAX_SNAPSHOT_BYTES,
        Snapshot,
        SnapshotError,
        SnapshotHead,
        parse_snapshot,
        plan_data,
        text_size,
        version_text,
    )

__all__ = [
    "CHANGES_HEADING", "CUSTOM_PROPERTIES", "CUSTOM_PROPERTIES_TYPE", "FORMAT", "MAX_SNAPSHOT_BYTES", "NAMESPACE",
    "TEMPLATE_VARIABLES", "VERSION_LINE", "ActivityChange", "Changes", "FieldChange", "Snapshot", "SnapshotError",
    "SnapshotHead", "activity_key", "apply_snapshot", "compare", "compare_files", "embed_custom_xml",
    "embed_snapshot", "first_version_context", "following", "next_snapshot", "parse_snapshot", "plan_data",
    "previous_version", "read_head", "read_snapshot", "template_context", "text_size", "version_text",
]

__getattr__ = exports(__name__, {
    "changes": (
        "ActivityChange", "CHANGES_HEADING", "Changes", "FieldChange", "TEMPLATE_VARIABLES", "VERSION_LINE",
        "activity_key", "compare", "first_version_context", "template_context",
    ),
    "docxpart": (
        "CUSTOM_PROPERTIES", "CUSTOM_PROPERTIES_TYPE", "NAMESPACE", "apply_snapshot", "embed_custom_xml",
        "embed_snapshot", "read_head", "read_snapshot",
    ),
    "history": ("compare_files", "following", "next_snapshot", "previous_version"),
    "snapshot": (
        "FORMAT", "MAX_SNAPSHOT_BYTES", "Snapshot", "SnapshotError", "SnapshotHead", "parse_snapshot", "plan_data",
        "text_size", "version_text",
    ),
})
