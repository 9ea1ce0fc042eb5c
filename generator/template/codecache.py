"""Compiled template code and patched template XML kept on disk (files.cache), salted by the code that makes them."""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import sys
import threading
import types
from pathlib import Path

import jinja2

from generator.files.cache import load, store

_salt: bytes | None = None
_salt_lock = threading.Lock()


def cached_code(kind: str, source: str) -> types.CodeType | None:
    """The compiled code for source stored under kind, or None when there is none to trust.

    kind names the environment's settings that change the code (autoescape, finalize …).
    A file that is unreadable, cut short, changed or of another Python is not used.
    """
    payload = _load(kind, source)
    try:
        code = marshal.loads(payload) if payload is not None else None
    except Exception:  # any trouble with the file means compiling anew
        return None
    return code if isinstance(code, types.CodeType) else None


def store_code(kind: str, source: str, code: types.CodeType) -> None:
    """Keep code for source under kind; a folder that cannot be written to is left alone."""
    _store(kind, source, marshal.dumps(code))


def cached_text(kind: str, source: str) -> str | None:
    """The text made from source under kind (store_text), or None when there is none to trust."""
    payload = _load(kind, source)
    try:
        return payload.decode("utf-8", "surrogatepass") if payload is not None else None
    except UnicodeDecodeError:
        return None


def store_text(kind: str, source: str, text: str) -> None:
    """Keep the text made from source under kind: what a process would otherwise work out again."""
    _store(kind, source, text.encode("utf-8", "surrogatepass"))


def _load(kind: str, source: str) -> bytes | None:
    salt = _code_salt()
    return load(salt, kind, source) if salt is not None else None


def _store(kind: str, source: str, payload: bytes) -> None:
    salt = _code_salt()
    if salt is not None:
        store(salt, kind, source, payload)


def _code_salt() -> bytes | None:
    """What compiled code depends on besides the source: Python, Jinja and this package's template code.

    None (no code kept) when that code cannot be read.
    """
    global _salt
    with _salt_lock:
        if _salt is None:
            digest = hashlib.sha256()
            digest.update(importlib.util.MAGIC_NUMBER + sys.version.encode() + jinja2.__version__.encode())
            # The sandbox's transform, code generator, filters and their checks all shape the code.
            modules = sorted(Path(__file__).parent.glob("*.py"))
            try:
                for module in modules:
                    digest.update(module.name.encode() + b"\0" + module.read_bytes())
            except OSError:
                modules = []
            _salt = digest.digest() if modules else b""
        return _salt or None
