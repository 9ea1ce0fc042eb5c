"""Checks of a plan read from a workbook: every finding with its place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lazy import exports

if TYPE_CHECKING:  # the names as the package gives them; imported on first use
    from generator.checks.content import content_findings
    from generator.checks.core import check_plan, check_recipients, load_plan, logo_path
    from generator.checks.images import MAX_IMAGE_BYTES, read_logo, verify_image

__all__ = [
    "MAX_IMAGE_BYTES", "check_plan", "check_recipients", "content_findings", "load_plan",
    "logo_path", "read_logo", "verify_image",
]

__getattr__ = exports(__name__, {
    "content": ("content_findings",),
    "core": ("check_plan", "check_recipients", "load_plan", "logo_path"),
    "images": ("MAX_IMAGE_BYTES", "read_logo", "verify_image"),
})
