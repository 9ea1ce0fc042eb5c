"""Compiled template code and patched template XML kept on disk between processes, keyed by what makes them."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
import threading
import types
from pathlib import Path

import jinja2

# Set to a folder to keep the compiled code there, or to "" to keep none; by default the user's cache folder.
CACHE_ENV = "AKTIVITETSPLAN_CACHE"
MAX_FILES = 128  # the least recently used go first: a server sees a new uploaded template now and then
_HEADER = b"aktivitetsplan-jinja-1\n"
_DIGEST = hashlib.sha256().digest_size
_SUFFIX = ".code"
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
    """The payload kept for source under kind, checked against its digest; None when there is none to trust."""
    path = _path(kind, source)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(_HEADER):
        return None
    digest, payload = data[len(_HEADER):len(_HEADER) + _DIGEST], data[len(_HEADER) + _DIGEST:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when the folder is pruned
    return payload


def _store(kind: str, source: str, payload: bytes) -> None:
    path = _path(kind, source, create=True)
    if path is None:
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(_HEADER + hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(path.parent)
    except Exception:  # the cache is an optimisation: a run never fails on it
        return


def cache_folder() -> Path | None:
    """Where compiled code is kept, or None when it is not to be kept."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"  # a relative one is to be ignored
    except RuntimeError:  # no home folder to be found
        return None
    return root / "aktivitetsplan" / "mallkod"


def _path(kind: str, source: str, create: bool = False) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    try:
        if create:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _trusted(folder):
            return None
    except OSError:
        return None
    salt = _code_salt()
    if salt is None:
        return None
    key = hashlib.sha256(salt + kind.encode() + b"\0" + source.encode("utf-8", "surrogatepass"))
    return folder / (key.hexdigest() + _SUFFIX)


def _trusted(folder: Path) -> bool:
    """Only the user's own folder, which no one else can write to: what is loaded from it is run."""
    status = folder.stat()
    getuid = getattr(os, "getuid", None)
    if getuid is not None and status.st_uid != getuid():
        return False
    return os.name == "nt" or not status.st_mode & 0o022


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


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*" + _SUFFIX), key=_used)
    for old in files[:max(len(files) - MAX_FILES, 0)]:
        old.unlink(missing_ok=True)


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
