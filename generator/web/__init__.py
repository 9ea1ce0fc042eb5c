"""The web page and HTTP API of `aktivitetsplan serve`, on Starlette and uvicorn."""

from generator.web.app import create_app
from generator.web.server import run
from generator.web.state import Settings
from generator.web.work import outline

__all__ = [
    "Settings", "create_app", "outline", "run",
]
