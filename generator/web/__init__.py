"""The web page and HTTP API of `aktivitetsplan serve`, on Starlette and uvicorn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lazy import exports

if TYPE_CHECKING:  # the names as the package gives them; imported on first use
    from generator.web.app import create_app
    from generator.web.server import run
    from generator.web.state import Settings
    from generator.web.work import outline

__all__ = [
    "Settings", "create_app", "outline", "run",
]

__getattr__ = exports(__name__, {
    "app": ("create_app",),
    "server": ("run",),
    "state": ("Settings",),
    "work": ("outline",),
})
