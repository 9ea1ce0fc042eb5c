"""The template environment: a bounded Jinja sandbox, escaping, and the variables a template gets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lazy import exports

if TYPE_CHECKING:  # the names as the package gives them; imported on first use
    from generator.template.context import Fields, build_context, plan_title
    from generator.template.context_plan import TEMPLATE_NAMES, TEMPLATE_RECORDS
    from generator.template.environment import (
        RECORD_KEYS,
        TOP_LEVEL,
        check_template_source,
        make_environment,
        make_text_environment,
        template_error,
        template_lineno,
    )
    from generator.template.escaping import finalize_escaped, finalize_text
    from generator.template.sandbox import MAX_XML_NODES, too_many_xml_nodes, xml_nodes
    from generator.template.showing import shown_findings
    from generator.template.sizes import LimitError
    from generator.template.syntax import WrittenTag

__all__ = [
    "MAX_XML_NODES", "RECORD_KEYS", "TEMPLATE_NAMES", "TEMPLATE_RECORDS", "TOP_LEVEL", "Fields", "LimitError",
    "WrittenTag", "build_context", "check_template_source", "finalize_escaped", "finalize_text", "make_environment",
    "make_text_environment", "plan_title", "shown_findings", "template_error", "template_lineno",
    "too_many_xml_nodes", "xml_nodes",
]

__getattr__ = exports(__name__, {
    "context": ("Fields", "build_context", "plan_title"),
    "context_plan": ("TEMPLATE_NAMES", "TEMPLATE_RECORDS"),
    "environment": (
        "RECORD_KEYS", "TOP_LEVEL", "check_template_source", "make_environment", "make_text_environment",
        "template_error", "template_lineno",
    ),
    "escaping": ("finalize_escaped", "finalize_text"),
    "sandbox": ("MAX_XML_NODES", "too_many_xml_nodes", "xml_nodes"),
    "showing": ("shown_findings",),
    "sizes": ("LimitError",),
    "syntax": ("WrittenTag",),
})
