"""Regenerate a plan whenever its workbook is saved, until stopped."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.flows.checking import Result
from generator.flows.generating import generate
from generator.plan.errors import FindingsError, OutputPathError, PlanError, WorkbookError


@dataclass(frozen=True)
class WatchEvent:
    """What one pass produced: a result, an error in the plan, or a reason to wait."""

    time: dt.datetime = field(default_factory=dt.datetime.now)
    result: Result | None = None
    error: PlanError | None = None
    waiting: str = ""


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _settled(path: Path, settle: float) -> tuple[int, int] | None:
    """Wait until the file has stopped changing for `settle` seconds."""
    current = _signature(path)
    while True:
        time.sleep(settle)
        latest = _signature(path)
        if latest == current:
            return latest
        current = latest


def _attempt(workbook: Path, output: Path | str | None, template: Path | None, pdf: bool) -> WatchEvent:
    try:
        return WatchEvent(result=generate(workbook, output, template, pdf=pdf))
    except OutputPathError:
        raise  # a usage mistake (-o on an input): no later save can fix it
    except FindingsError as exc:
        return WatchEvent(error=exc)
    except WorkbookError as exc:
        # Half-saved or locked by Excel while saving: the next save will do.
        return WatchEvent(waiting=f"{exc}. Väntar på nästa sparning.")
    except PermissionError:
        return WatchEvent(waiting=f"{workbook}: arbetsboken är låst. Väntar på nästa sparning.")
    except PlanError as exc:
        return WatchEvent(error=exc)


def watch(
    workbook: Path,
    output: Path | str | None = None,
    template: Path | None = None,
    interval: float = 0.4,
    settle: float = 0.3,
    stop: Callable[[], bool] = lambda: False,
    pdf: bool = False,
) -> Iterator[WatchEvent]:
    """Yield an event for the first generation and for every later save of the workbook."""
    last = _signature(workbook)
    yield _attempt(workbook, output, template, pdf)
    while not stop():
        time.sleep(interval)
        current = _signature(workbook)
        if current is None or current == last:
            continue
        last = _settled(workbook, settle)
        if last is None:
            continue
        yield _attempt(workbook, output, template, pdf)
