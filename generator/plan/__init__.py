"""The plan itself: its model, values, schema, periods, dates and figures; the bottom of the house."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lazy import exports

if TYPE_CHECKING:  # the names as the package gives them; imported on first use
    from generator.plan.addresses import EmailAddress, read_address
    from generator.plan.analysis import (
        MAX_CHANNELS,
        MAX_TIMELINE_ROWS,
        NO_CHANNEL,
        NO_GROUP,
        OTHER_CHANNELS,
        Share,
        Timeline,
        activity_channels,
        channel_matches,
        channel_parts,
        coverage,
        follow_up,
        has_follow_up,
        sorted_activities,
        timeline,
        uses_channel,
    )
    from generator.plan.dates import (
        PlanYear,
        activity_period,
        follow_up_date,
        has_ended,
        plan_year,
        read_activity_time,
        read_plan_year,
        reference_day,
    )
    from generator.plan.errors import (
        DocumentError,
        FindingsError,
        ImageError,
        MailError,
        OutputError,
        OutputPathError,
        PdfError,
        PlanError,
        ServeError,
        SystemFault,
        TemplateError,
        WordDocumentError,
        WorkbookError,
        os_reason,
    )
    from generator.plan.folding import SHOWN_PER_KIND, finding_kind, fold_findings, stopping_error
    from generator.plan.model import (
        EMPTY,
        Activity,
        Block,
        Finding,
        HasFindings,
        Plan,
        Recipient,
        Section,
        Severity,
        TargetGroup,
        Value,
    )
    from generator.plan.numformat import LOCALE_FORMATS, MONTHS, format_moment
    from generator.plan.periods import Period, examples, read_period
    from generator.plan.places import SheetPlace, in_cell_order, sheet_place
    from generator.plan.schema import (
        ACTIVITIES,
        PLAN,
        RECIPIENTS,
        SECTIONS,
        SHEETS,
        TARGET_GROUPS,
        Column,
        Sheet,
        record,
        record_keys,
        table_cell,
        table_columns,
        top_level,
    )
    from generator.plan.values import (
        clean_text,
        counted,
        format_count,
        format_date,
        format_number,
        is_cancelled,
        long_date,
        normalize_name,
        parse_done,
        parse_iso_date,
        split_names,
    )

__all__ = [
    "ACTIVITIES",
    "EMPTY",
    "LOCALE_FORMATS",
    "MAX_CHANNELS",
    "MAX_TIMELINE_ROWS",
    "MONTHS",
    "NO_CHANNEL",
    "NO_GROUP",
    "OTHER_CHANNELS",
    "PLAN",
    "RECIPIENTS",
    "SECTIONS",
    "SHEETS",
    "SHOWN_PER_KIND",
    "TARGET_GROUPS",
    "Activity",
    "Block",
    "Column",
    "DocumentError",
    "EmailAddress",
    "Finding",
    "FindingsError",
    "HasFindings",
    "ImageError",
    "MailError",
    "OutputError",
    "OutputPathError",
    "PdfError",
    "Period",
    "Plan",
    "PlanError",
    "PlanYear",
    "Recipient",
    "Section",
    "ServeError",
    "Severity",
    "Share",
    "Sheet",
    "SheetPlace",
    "SystemFault",
    "TargetGroup",
    "TemplateError",
    "Timeline",
    "Value",
    "WordDocumentError",
    "WorkbookError",
    "activity_channels",
    "activity_period",
    "channel_matches",
    "channel_parts",
    "clean_text",
    "counted",
    "coverage",
    "examples",
    "finding_kind",
    "fold_findings",
    "follow_up",
    "follow_up_date",
    "format_count",
    "format_date",
    "format_moment",
    "format_number",
    "has_ended",
    "has_follow_up",
    "in_cell_order",
    "is_cancelled",
    "long_date",
    "normalize_name",
    "os_reason",
    "parse_done",
    "parse_iso_date",
    "plan_year",
    "read_activity_time",
    "read_address",
    "read_period",
    "read_plan_year",
    "record",
    "record_keys",
    "reference_day",
    "sheet_place",
    "sorted_activities",
    "split_names",
    "stopping_error",
    "table_cell",
    "table_columns",
    "timeline",
    "top_level",
    "uses_channel",
]

__getattr__ = exports(__name__, {
    "addresses": ("EmailAddress", "read_address"),
    "analysis": (
        "MAX_CHANNELS", "MAX_TIMELINE_ROWS", "NO_CHANNEL", "NO_GROUP", "OTHER_CHANNELS",
        "Share", "Timeline", "activity_channels", "channel_matches", "channel_parts", "coverage", "follow_up",
        "has_follow_up", "sorted_activities", "timeline", "uses_channel"
    ),
    "dates": (
        "PlanYear", "activity_period", "follow_up_date", "has_ended", "plan_year", "read_activity_time",
        "read_plan_year", "reference_day"
    ),
    "errors": (
        "DocumentError", "FindingsError", "ImageError", "MailError", "OutputError", "OutputPathError", "PdfError",
        "PlanError", "ServeError", "SystemFault", "TemplateError", "WordDocumentError", "WorkbookError", "os_reason"
    ),
    "folding": ("SHOWN_PER_KIND", "finding_kind", "fold_findings", "stopping_error"),
    "model": (
        "EMPTY", "Activity", "Block", "Finding", "HasFindings", "Plan", "Recipient", "Section", "Severity",
        "TargetGroup", "Value"
    ),
    "numformat": ("LOCALE_FORMATS", "MONTHS", "format_moment"),
    "periods": ("Period", "examples", "read_period"),
    "places": ("SheetPlace", "in_cell_order", "sheet_place"),
    "schema": (
        "ACTIVITIES", "PLAN", "RECIPIENTS", "SECTIONS", "SHEETS", "TARGET_GROUPS", "Column", "Sheet", "record",
        "record_keys", "table_cell", "table_columns", "top_level"
    ),
    "values": (
        "clean_text", "counted", "format_count", "format_date", "format_number", "is_cancelled", "long_date",
        "normalize_name", "parse_done", "parse_iso_date", "split_names"
    ),
})
