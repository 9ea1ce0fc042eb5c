"""Hold Python's cyclic garbage collector off while a document is made or read: a long plan's objects are no garbage."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_state = {"inside": 0, "was_enabled": False}


@contextmanager
def collection_paused() -> Iterator[None]:
    """No automatic garbage collection inside; as it was before once the last one inside (any thread) leaves.

    A 10 000-activity plan and its rendered document hold some millions of Python objects and lxml
    proxies, nearly none of them cyclic garbage; each full collection while they live scans them all,
    which took a sixth of a run's time. What garbage the rendering leaves is collected after it.
    """
    with _LOCK:
        if _state["inside"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["inside"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _state["inside"] -= 1
            if _state["inside"] == 0 and _state["was_enabled"]:
                gc.enable()
