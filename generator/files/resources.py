"""Files installed with the package: the default Word template, found the one way every feature uses."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # generator/
_CHECKOUT = _PACKAGE.parent                        # the source checkout, when not installed


def default_template() -> Path:
    """The template installed with the package, or templates/aktivitetsplan.docx of the checkout."""
    installed = _PACKAGE / "templates" / "aktivitetsplan.docx"
    return installed if installed.is_file() else _CHECKOUT / "templates" / "aktivitetsplan.docx"


DEFAULT_TEMPLATE = default_template()
