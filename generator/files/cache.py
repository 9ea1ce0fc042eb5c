"""Results kept on disk between processes in the user's cache folder, each under a key of all that made it."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

# Set to a folder to keep results there, or to "" to keep none; by default the user's cache folder.
CACHE_ENV = "AKTIVITETSPLAN_CACHE"
MAX_FILES = 128  # the least recently used go first: a server sees a new uploaded template now and then
_HEADER = b"aktivitetsplan-cache-1\n"
_DIGEST = hashlib.sha256().digest_size
_SUFFIX = ".code"


def load(salt: bytes, kind: str, source: str) -> bytes | None:
    """What store kept for source under kind and salt, checked against its digest; None when there is none to trust.

    salt: what the result depends on besides source (the versions of the code that made it);
    kind: what was made of source. A file that is unreadable, cut short or changed is not used.
    """
    path = _path(salt, kind, source)
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


def store(salt: bytes, kind: str, source: str, payload: bytes) -> None:
    """Keep payload for source under kind and salt; a folder that cannot be written to is left alone."""
    path = _path(salt, kind, source, create=True)
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
    """Where results are kept, or None when they are not to be kept."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"  # a relative one is to be ignored
    except RuntimeError:  # no home folder to be found
        return None
    return root / "aktivitetsplan" / "mallkod"


def _path(salt: bytes, kind: str, source: str, create: bool = False) -> Path | None:
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
    key = hashlib.sha256(len(salt).to_bytes(4, "big") + salt + kind.encode() + b"\0"
                         + source.encode("utf-8", "surrogatepass"))
    return folder / (key.hexdigest() + _SUFFIX)


def _trusted(folder: Path) -> bool:
    """Only the user's own folder, which no one else can write to: what is loaded from it is run."""
    status = folder.stat()
    getuid = getattr(os, "getuid", None)
    if getuid is not None and status.st_uid != getuid():
        return False
    return os.name == "nt" or not status.st_mode & 0o022


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*" + _SUFFIX), key=_used)
    for old in files[:max(len(files) - MAX_FILES, 0)]:
        old.unlink(missing_ok=True)


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
