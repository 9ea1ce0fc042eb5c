"""Delivering a plan: PDF through LibreOffice, e-mail, the send archive and the calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lazy import exports

if TYPE_CHECKING:  # the names as the package gives them; imported on first use
    from generator.delivery.archive import archive_root, last_sent, new_folder, sends, store
    from generator.delivery.ics import calendar_bytes, calendar_target, dated_activities, findings_for, stage_calendar
    from generator.delivery.mail import body, compose, envelope_address, new_message, one_line, upcoming, write_draft
    from generator.delivery.pdf import EXPORT_OPTIONS, convert_to_pdf, find_soffice, missing_message
    from generator.delivery.pdfpool import PdfPool, page_count, render_page
    from generator.delivery.smtp import SendReport, SmtpSettings, complete_settings, mail_sender, send, smtp_settings

__all__ = [
    "EXPORT_OPTIONS", "PdfPool", "SendReport", "SmtpSettings", "archive_root", "body", "calendar_bytes",
    "calendar_target", "complete_settings", "compose", "convert_to_pdf", "dated_activities", "envelope_address",
    "find_soffice", "findings_for", "last_sent", "mail_sender", "missing_message", "new_folder", "new_message",
    "one_line", "page_count", "render_page", "send", "sends", "smtp_settings", "stage_calendar", "store",
    "upcoming", "write_draft",
]

__getattr__ = exports(__name__, {
    "archive": ("archive_root", "last_sent", "new_folder", "sends", "store"),
    "ics": ("calendar_bytes", "calendar_target", "dated_activities", "findings_for", "stage_calendar"),
    "mail": ("body", "compose", "envelope_address", "new_message", "one_line", "upcoming", "write_draft"),
    "pdf": ("EXPORT_OPTIONS", "convert_to_pdf", "find_soffice", "missing_message"),
    "pdfpool": ("PdfPool", "page_count", "render_page"),
    "smtp": ("SendReport", "SmtpSettings", "complete_settings", "mail_sender", "send", "smtp_settings"),
})
