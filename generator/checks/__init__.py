"""Checks of a plan read from a workbook: every finding with its place."""

from generator.checks.content import channel_matches, content_findings
from generator.checks.core import check_plan, check_recipients, load_plan, logo_path
from generator.checks.images import MAX_IMAGE_BYTES, read_logo, verify_image

__all__ = [
    "MAX_IMAGE_BYTES", "channel_matches", "check_plan", "check_recipients", "content_findings", "load_plan",
    "logo_path", "read_logo", "verify_image",
]
