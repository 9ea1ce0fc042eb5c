"""Ask fontconfig which font file it picks for a pattern: fc-match processes side by side, answers remembered.

The answers are remembered in the process. Those for measuring words are also kept on disk (files.cache)
while the system's fontconfig and its folders stay as they were, so that a new process need not start
fc-match for the fonts it measured in before.
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
# The fc-match whose answers are kept: the system's, configured in /etc/fonts (Homebrew's, conda's or one
# built by hand reads other folders, and is asked every time).
_SYSTEM_PROGRAMS = ("/usr/bin/", "/bin/")
# Where the system's fontconfig finds its answer, besides FONTCONFIG_FILE and FONTCONFIG_PATH: its
# configuration, the usual font folders and its caches (written anew by fc-cache, which a font package runs).
_FONTCONFIG_FOLDERS = ("/etc/fonts", "/usr/share/fonts", "/usr/local/share/fonts", "/var/cache/fontconfig")
_HOME_FOLDERS = (("", ".fonts"), ("", ".fonts.conf"), ("", ".fonts.conf.d"), ("", ".fontconfig"),
                 ("XDG_DATA_HOME", "fonts"), ("XDG_CONFIG_HOME", "fontconfig"), ("XDG_CACHE_HOME", "fontconfig"))
_HOME_DEFAULTS = {"XDG_DATA_HOME": ".local/share", "XDG_CONFIG_HOME": ".config", "XDG_CACHE_HOME": ".cache"}
_MAX_ENTRIES = 5_000  # folder entries looked at for fontconfig's state: more, and its answers are not kept
_MAX_DEPTH = 2  # folders looked into below each of those: a font package adds its folder at most two down

Answer = tuple[str, str] | None  # (family, font file), or None when fontconfig gives none


def fc_match(pattern: str, kept: bool = False) -> Answer:
    """(family, file) fontconfig picks for pattern, or None without fontconfig. Remembered per pattern;
    kept: as fc_matches."""
    return fc_matches([pattern], kept)[0]


def fc_matches(patterns: Sequence[str], kept: bool = False) -> list[Answer]:
    """fc_match of each pattern: those not yet known are asked together, a few fc-match processes side by side.

    kept: an answer an earlier process kept on disk may stand in, and the answers are kept for the next one
    (for measuring words, where an answer gone stale only moves a column's width). Without it, only what
    fontconfig said in this process is used (whether a font is installed, as the PDF's warnings say).
    """
    key = _fontconfig_key()
    unique = list(dict.fromkeys(patterns))
    with _FC_LOCK:  # a thread waits for the answers another has asked for
        answers = {p: _FC_ANSWERS[(p, key)] for p in unique if (p, key) in _FC_ANSWERS}
        state = None
        if kept:
            kept_answers, state = _kept_in_process(unique, key, answers)
            answers.update(kept_answers)
        missing = [p for p in unique if p not in answers]
        if kept and state is None and any((p, key) not in _FC_RUNNING for p in missing):
            state = _fontconfig_state(key)  # before a new question starts, to keep its answer under
        for start in range(0, len(missing), _FC_AT_ONCE):
            batch = missing[start:start + _FC_AT_ONCE]
            _start(batch, key, state)
            for pattern in batch:
                answers[pattern] = _collect(_FC_RUNNING.pop((pattern, key)), pattern)
        _remember(_FC_ANSWERS, key, {pattern: answers[pattern] for pattern in missing})
        return [answers[pattern] for pattern in patterns]


def start_fc_matches(patterns: Iterable[str], kept: bool = False) -> None:
    """Start asking fontconfig about a few patterns not yet known: the next fc_matches in this process takes the
    answers (until then the processes run on their own). kept: as fc_matches."""
    key = _fontconfig_key()
    with _FC_LOCK:
        unique = list(dict.fromkeys(patterns))
        known = {p for p in unique if (p, key) in _FC_ANSWERS}
        state = None
        if kept:
            kept_answers, state = _kept_in_process(unique, key, dict.fromkeys(known))
            known |= kept_answers.keys()
        wanted = [p for p in unique if p not in known and (p, key) not in _FC_RUNNING][:_FC_AT_ONCE]
        if kept and wanted and state is None:
            state = _fontconfig_state(key)
        _start(wanted, key, state)


def forget_fontconfig_answers() -> None:
    """Ask fontconfig anew from now on, as after fonts were installed or removed (the answers kept on disk
    are kept under the times of fontconfig's folders, which installing or removing a font changes)."""
    with _FC_LOCK:
        _FC_ANSWERS.clear()
        _FC_KEPT.clear()
        for asked in _FC_RUNNING.values():
            if asked.process is not None and asked.pid == os.getpid():
                asked.process.kill()
                asked.process.communicate()
        _FC_RUNNING.clear()


class _Asked(NamedTuple):
    """An fc-match started (None where it could not start), when to give up on it, the process that started it,
    and the state of fontconfig before it started (None: its answer is not to be kept on disk)."""

    process: subprocess.Popen[str] | None
    deadline: float
    pid: int
    state: bytes | None = None


Key = tuple[str | None, ...]
# fontconfig's answers by (pattern, _fontconfig_key()): a process asks about the same few fonts again and again.
_FC_ANSWERS: dict[tuple[str, Key], Answer] = {}
# The answers found kept on disk (fc_matches' kept), apart: they never answer a question that is not for them.
_FC_KEPT: dict[tuple[str, Key], Answer] = {}
_MAX_FC_ANSWERS = 256
_FC_AT_ONCE = 8  # fc-match processes running side by side: a template may name many fonts
_MAX_RUNNING = 2 * _FC_AT_ONCE  # questions left running at most: more, and those are collected first
# The questions asked and not yet answered (start_fc_matches).
_FC_RUNNING: dict[tuple[str, Key], _Asked] = {}
_FC_LOCK = threading.RLock()


def _remember(answers: dict[tuple[str, Key], Answer], key: Key, new: dict[str, Answer]) -> None:
    if len(answers) + len(new) > _MAX_FC_ANSWERS:
        answers.clear()
    answers.update(((pattern, key), answer) for pattern, answer in new.items())


def _kept_in_process(patterns: Sequence[str], key: Key, known: dict[str, Answer]
                     ) -> tuple[dict[str, Answer], bytes | None]:
    """The kept answers for those of patterns not in known: found on disk before in this process, else now;
    and fontconfig's state when it was worked out for that (None when it was not, or is not to be kept).
    Not for a pattern whose question this process has running: that is collected, not left behind."""
    idle = [p for p in patterns if p not in known and not _running_here(p, key)]
    found = {p: _FC_KEPT[(p, key)] for p in idle if (p, key) in _FC_KEPT}
    unknown = [p for p in idle if p not in found]
    state = _fontconfig_state(key) if unknown else None  # the folders looked at only for what is not known
    if state is not None:
        on_disk = _kept_answers(unknown, state)
        _remember(_FC_KEPT, key, dict(on_disk))
        found.update(on_disk)
    return found, state


def _running_here(pattern: str, key: Key) -> bool:
    asked = _FC_RUNNING.get((pattern, key))
    return asked is not None and asked.pid == os.getpid()


def _start(patterns: Sequence[str], key: Key, state: bytes | None) -> None:
    """Start fc-match for each pattern not known or already asked in this process; state: see _Asked."""
    for pattern in patterns:
        asked = _FC_RUNNING.get((pattern, key))
        if asked is not None and asked.pid != os.getpid():
            del _FC_RUNNING[(pattern, key)]  # the parent's question, inherited through a fork: it waits for it
    wanted = [p for p in patterns if (p, key) not in _FC_ANSWERS and (p, key) not in _FC_RUNNING]
    if wanted and len(_FC_RUNNING) + len(wanted) > _MAX_RUNNING:  # questions nobody came for (a template refused)
        for (pattern, asked_key), asked in list(_FC_RUNNING.items()):
            if asked_key == key and pattern in patterns:
                continue  # the caller's own: it collects them
            del _FC_RUNNING[(pattern, asked_key)]
            if asked.pid == os.getpid():
                _remember(_FC_ANSWERS, asked_key, {pattern: _collect(asked, pattern)})
    program = shutil.which("fc-match") if wanted else None
    deadline = time.monotonic() + FC_TIMEOUT
    for pattern in wanted:
        _FC_RUNNING[(pattern, key)] = _Asked(_start_fc_match(program, pattern), deadline, os.getpid(), state)


def _collect(asked: _Asked, pattern: str) -> Answer:
    """A started question's answer, kept on disk under the state fontconfig was in when it was asked."""
    answer = _fc_answer(asked)
    if answer is not None and asked.state is not None:
        store(asked.state, FC_KIND, pattern, json.dumps(answer).encode())
    return answer


def _fontconfig_key() -> Key:
    """What fontconfig's answer depends on in the environment: a test or user may point it elsewhere."""
    return tuple(os.environ.get(name) for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH"))


def _fontconfig_state(key: Key) -> bytes | None:
    """What the system fontconfig's answers depend on here: the fc-match that answers, and the times its
    folders and configuration files last changed. The salt its answers are kept on disk under; None when they
    are not to be kept (no fc-match or another than the system's, fontconfig pointed elsewhere by the
    environment, no home folder, or too many folders to look at).

    fontconfig trusts its own caches by much the same rule: a font installed, removed or configured changes
    a folder's or file's time, and fc-cache (run when a font package is installed) writes its cache folder
    anew. A font put in a folder only a configuration file of one's own names is noticed once fc-cache runs.
    """
    program = shutil.which("fc-match")
    if program is None or any(key) or not os.path.realpath(program).startswith(_SYSTEM_PROGRAMS):
        return None
    try:
        home = Path.home()
    except RuntimeError:  # no home folder to be found
        return None
    if not home.is_absolute() or home == Path("/"):
        return None
    roots = [Path(folder) for folder in _FONTCONFIG_FOLDERS]
    for variable, below in _HOME_FOLDERS:
        base = os.environ.get(variable, "") if variable else ""
        roots.append((Path(base) if os.path.isabs(base) else home / _HOME_DEFAULTS.get(variable, "")) / below)
    try:
        times = [f"{program}\0{os.stat(program).st_mtime_ns}"]  # a new fontconfig may answer otherwise
    except OSError:
        return None
    for root in roots:
        if not _path_times(str(root), times):
            return None
    return ("fontconfig-2\0" + "\0".join(times)).encode("utf-8", "surrogateescape")


def _path_times(root: str, times: list[str]) -> bool:
    """Add the change time of root (a file, or a folder with the folders under it, _MAX_DEPTH down, and each
    .conf file in them) to times; False when there are too many entries to look at."""
    pending = [(root, 0)]
    entries_seen = 0
    while pending:
        path, depth = pending.pop()
        try:
            times.append(f"{path}\0{os.stat(path).st_mtime_ns}")
        except OSError:
            times.append(f"{path}\0-")  # not there (or not to be read): its coming changes the state
            continue
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    entries_seen += 1
                    if entries_seen > _MAX_ENTRIES:
                        return False
                    try:
                        if entry.is_dir():
                            if depth < _MAX_DEPTH:
                                pending.append((entry.path, depth + 1))
                        elif entry.name.endswith(".conf"):
                            times.append(f"{entry.path}\0{entry.stat().st_mtime_ns}")
                    except OSError:  # a link to nothing, or in a loop: noted as such, the rest still looked at
                        times.append(f"{entry.path}\0-")
        except NotADirectoryError:
            continue  # a file (~/.fonts.conf): its time is noted
        except OSError:
            times.append(f"{path}\0?")  # a folder that cannot be listed
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
        return subprocess.Popen([program, "-f", "%{family}\n%{file}", "--", pattern], text=True,
                                errors="surrogateescape",  # a file's name as the file system has it
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
