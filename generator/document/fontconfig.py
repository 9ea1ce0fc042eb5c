"""Ask fontconfig which font file it picks for a pattern: fc-match processes side by side, answers remembered.

The answers are remembered in the process and kept on disk (files.cache) while fontconfig's folders stay as
they were, so that a new process need not start fc-match for the fonts it asked about before.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from generator.files.cache import load, store

if TYPE_CHECKING:
    import subprocess

FC_TIMEOUT = 20
FC_KIND = "typsnittsval"  # what files.cache keeps fontconfig's answers as
# Where fontconfig's answer comes from, besides FONTCONFIG_FILE and FONTCONFIG_PATH: its configuration,
# the usual font folders and its own caches (written anew when fonts are installed with fc-cache).
_FONTCONFIG_FOLDERS = ("/etc/fonts", "/usr/share/fonts", "/usr/local/share/fonts", "/var/cache/fontconfig")
_HOME_FOLDERS = (("", ".fonts"), ("XDG_DATA_HOME", "fonts"), ("XDG_CONFIG_HOME", "fontconfig"),
                 ("XDG_CACHE_HOME", "fontconfig"))
_HOME_DEFAULTS = {"XDG_DATA_HOME": ".local/share", "XDG_CONFIG_HOME": ".config", "XDG_CACHE_HOME": ".cache"}
_MAX_FOLDERS = 2_000  # folders looked at for fontconfig's state: more, and its answers are not kept


def fc_match(pattern: str) -> tuple[str, str] | None:
    """(family, file) fontconfig picks for pattern, or None without fontconfig. Remembered per pattern."""
    return fc_matches([pattern])[0]


def fc_matches(patterns: Sequence[str]) -> list[tuple[str, str] | None]:
    """fc_match of each pattern: those not yet known are asked together, a few fc-match processes side by side."""
    key = _fontconfig_key()
    with _FC_LOCK:  # a thread waits for the answers another has asked for
        answers = {p: _FC_ANSWERS[(p, key)] for p in dict.fromkeys(patterns) if (p, key) in _FC_ANSWERS}
        missing = [p for p in dict.fromkeys(patterns) if p not in answers]
        state = _fontconfig_state(key) if any((p, key) not in _FC_RUNNING for p in missing) else None
        kept = _kept_answers(missing, state) if state is not None else {}
        answers.update(kept)
        missing = [p for p in missing if p not in kept]
        for start in range(0, len(missing), _FC_AT_ONCE):
            batch = missing[start:start + _FC_AT_ONCE]
            _start(batch, key)
            for pattern in batch:
                answers[pattern] = found = _fc_answer(_FC_RUNNING.pop((pattern, key)))
                if found is not None and (state := state or _fontconfig_state(key)) is not None:
                    store(state, FC_KIND, pattern, json.dumps(found).encode())
        if len(_FC_ANSWERS) + len(answers) > _MAX_FC_ANSWERS:
            _FC_ANSWERS.clear()
        _FC_ANSWERS.update(((pattern, key), answer) for pattern, answer in answers.items())
        return [answers[pattern] for pattern in patterns]


def start_fc_matches(patterns: Iterable[str]) -> None:
    """Start asking fontconfig about a few patterns not yet known: the next fc_matches in this process takes the
    answers (until then the processes run on their own)."""
    key = _fontconfig_key()
    with _FC_LOCK:
        wanted = [p for p in dict.fromkeys(patterns) if (p, key) not in _FC_ANSWERS and (p, key) not in _FC_RUNNING]
        state = _fontconfig_state(key) if wanted else None
        kept = _kept_answers(wanted[:_FC_AT_ONCE], state) if state is not None else {}
        if len(_FC_ANSWERS) + len(kept) > _MAX_FC_ANSWERS:
            _FC_ANSWERS.clear()
        _FC_ANSWERS.update(((pattern, key), answer) for pattern, answer in kept.items())
        _start([p for p in wanted if p not in kept][:_FC_AT_ONCE], key)


def forget_fontconfig_answers() -> None:
    """Ask fontconfig anew from now on, as after fonts were installed or removed (the answers kept on disk
    are kept under the times of fontconfig's folders, which installing or removing a font changes)."""
    with _FC_LOCK:
        _FC_ANSWERS.clear()
        for asked in _FC_RUNNING.values():
            if asked.process is not None and asked.pid == os.getpid():
                asked.process.kill()
                asked.process.communicate()
        _FC_RUNNING.clear()


class _Asked(NamedTuple):
    """An fc-match started (None where it could not start), when to give up on it, and the process that started it."""

    process: subprocess.Popen[str] | None
    deadline: float
    pid: int


# fontconfig's answers by (pattern, _fontconfig_key()): a process asks about the same few fonts again and again.
_FC_ANSWERS: dict[tuple[str, tuple[str | None, ...]], tuple[str, str] | None] = {}
_MAX_FC_ANSWERS = 256
_FC_AT_ONCE = 8  # fc-match processes running side by side: a template may name many fonts
# The questions asked and not yet answered (start_fc_matches).
_FC_RUNNING: dict[tuple[str, tuple[str | None, ...]], _Asked] = {}
_FC_LOCK = threading.RLock()


def _start(patterns: Sequence[str], key: tuple[str | None, ...]) -> None:
    """Start fc-match for each pattern not known or already asked in this process."""
    for pattern in patterns:
        asked = _FC_RUNNING.get((pattern, key))
        if asked is not None and asked.pid != os.getpid():
            del _FC_RUNNING[(pattern, key)]  # the parent's question, inherited through a fork: it waits for it
    wanted = [p for p in patterns if (p, key) not in _FC_ANSWERS and (p, key) not in _FC_RUNNING]
    program = shutil.which("fc-match") if wanted else None
    deadline = time.monotonic() + FC_TIMEOUT
    for pattern in wanted:
        _FC_RUNNING[(pattern, key)] = _Asked(_start_fc_match(program, pattern), deadline, os.getpid())


def _fontconfig_key() -> tuple[str | None, ...]:
    """What fontconfig's answer depends on in the environment: a test or user may point it elsewhere."""
    return tuple(os.environ.get(name) for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH"))


def _fontconfig_state(key: tuple[str | None, ...]) -> bytes | None:
    """What fontconfig's answers depend on here: the fc-match that answers, and the times its folders and
    configuration files last changed. The salt its answers are kept on disk under; None when they are not to
    be kept (no fc-match, or fontconfig pointed elsewhere by the environment).

    fontconfig trusts its own caches by the same rule: a font installed, removed or configured changes a
    folder's time (fc-cache, run when a font package is installed, writes its cache folder anew).
    """
    program = shutil.which("fc-match")
    if program is None or any(key) or os.name != "posix":
        return None
    try:
        home = Path.home()
    except RuntimeError:  # no home folder to be found
        return None
    roots = [Path(folder) for folder in _FONTCONFIG_FOLDERS]
    for variable, below in _HOME_FOLDERS:
        base = os.environ.get(variable, "") if variable else ""
        roots.append((Path(base) if os.path.isabs(base) else home / _HOME_DEFAULTS.get(variable, "")) / below)
    times = [program]
    for root in roots:
        if not _folder_times(str(root), times):
            return None
    return ("fontconfig-1\0" + "\0".join(times)).encode("utf-8", "surrogateescape")


def _folder_times(root: str, times: list[str]) -> bool:
    """Add the change time of root, of each folder under it and of each file in it (configuration files)
    to times; False when there are too many to look at."""
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            times.append(f"{folder}\0{os.stat(folder).st_mtime_ns}")
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir():
                        pending.append(entry.path)
                    elif entry.name.endswith(".conf"):
                        times.append(f"{entry.path}\0{entry.stat().st_mtime_ns}")
        except OSError:
            times.append(f"{folder}\0-")  # not there (or not readable): its coming changes the state
        if len(times) > _MAX_FOLDERS:
            return False
    return True


def _kept_answers(patterns: Sequence[str], state: bytes) -> dict[str, tuple[str, str]]:
    """The answers kept on disk under state for patterns, each naming a font file that is still there."""
    found = {}
    for pattern in patterns:
        payload = load(state, FC_KIND, pattern)
        try:
            family, file = json.loads(payload) if payload is not None else (None, None)
        except (ValueError, TypeError, RecursionError):
            continue
        if isinstance(family, str) and isinstance(file, str) and os.path.isfile(file):
            found[pattern] = (family, file)
    return found


def _start_fc_match(program: str | None, pattern: str) -> subprocess.Popen[str] | None:
    if program is None:
        return None
    import subprocess  # deferred: a run whose answers are kept on disk starts no process

    try:
        return subprocess.Popen([program, "-f", "%{family}\n%{file}", pattern], text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return None


def _fc_answer(asked: _Asked) -> tuple[str, str] | None:
    process = asked.process
    if process is None:
        return None
    import subprocess  # deferred with _start_fc_match's, which has loaded it by now

    try:
        output, _ = process.communicate(timeout=max(asked.deadline - time.monotonic(), 0.0))
    except subprocess.TimeoutExpired:
        if process.poll() is None:  # still running past its time: no answer
            process.kill()
            process.communicate()
            return None
        output, _ = process.communicate()  # done in time, only collected late
    lines = output.splitlines()
    if process.returncode != 0 or len(lines) < 2:
        return None
    return lines[0].split(",")[0].strip(), lines[1].strip()
