"""Rendering a plan into a Word document through its template, and finishing it for Word."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lazy import exports

if TYPE_CHECKING:  # the names as the package gives them; imported on first use
    from generator.document.accessibility import close_heading_gaps, headings, is_header_row, logo_text, styles_by_id
    from generator.document.docxml import (
        TBL_PR_ORDER,
        TC_PR_ORDER,
        drop_styles_with_effects,
        field_runs,
        normalize_for_word,
        put_in_order,
        set_language,
        shade,
    )
    from generator.document.engine import MAX_PROPERTIES_BYTES, PlanTemplate
    from generator.document.fonts import document_fonts, fc_match, font_available, pdf_font_findings
    from generator.document.layout import CELL_PADDING, MIN_COLUMN, WORD_CHAR_TWIPS, fit_columns
    from generator.document.measures import keep_word_widths, word_measure
    from generator.document.page_estimate import (
        W_NAMESPACE,
        PageEstimator,
        paragraph_text,
        read_texts,
        table_text_lengths,
    )
    from generator.document.plan_tables import NARROW_MARGIN, fit_part_tables
    from generator.document.properties import set_extended_properties
    from generator.document.render import (
        MAX_TEMPLATE_BYTES,
        check_template,
        finish_document,
        open_template,
        render_document,
        template_warnings,
    )

__all__ = [
    "CELL_PADDING", "MAX_PROPERTIES_BYTES", "MAX_TEMPLATE_BYTES", "MIN_COLUMN", "NARROW_MARGIN", "TBL_PR_ORDER",
    "TC_PR_ORDER", "WORD_CHAR_TWIPS", "W_NAMESPACE", "PageEstimator", "PlanTemplate", "check_template",
    "close_heading_gaps", "document_fonts", "drop_styles_with_effects", "fc_match", "field_runs", "finish_document",
    "fit_columns", "fit_part_tables", "font_available", "headings", "is_header_row", "keep_word_widths", "logo_text",
    "normalize_for_word", "open_template", "paragraph_text", "pdf_font_findings", "put_in_order", "read_texts",
    "render_document", "set_extended_properties", "set_language", "shade", "styles_by_id", "table_text_lengths",
    "template_warnings", "word_measure",
]

__getattr__ = exports(__name__, {
    "accessibility": ("close_heading_gaps", "headings", "is_header_row", "logo_text", "styles_by_id"),
    "docxml": (
        "TBL_PR_ORDER", "TC_PR_ORDER", "drop_styles_with_effects", "field_runs", "normalize_for_word",
        "put_in_order", "set_language", "shade",
    ),
    "engine": ("MAX_PROPERTIES_BYTES", "PlanTemplate"),
    "fonts": ("document_fonts", "fc_match", "font_available", "pdf_font_findings"),
    "measures": ("keep_word_widths", "word_measure"),
    "layout": ("CELL_PADDING", "MIN_COLUMN", "WORD_CHAR_TWIPS", "fit_columns"),
    "page_estimate": ("PageEstimator", "W_NAMESPACE", "paragraph_text", "read_texts", "table_text_lengths"),
    "plan_tables": ("NARROW_MARGIN", "fit_part_tables"),
    "properties": ("set_extended_properties",),
    "render": (
        "MAX_TEMPLATE_BYTES", "check_template", "finish_document", "open_template", "render_document",
        "template_warnings",
    ),
})
