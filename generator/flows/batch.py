"""Generate many plans at once, in parallel on all cores: each plan made in a worker, put in place here."""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType

from generator.files.output import commit
from generator.files.paths import DOCX, PDF, batch_names, check_targets
from generator.flows.generating import prepare, stage, warm_up
from generator.plan.errors import OutputError, PlanError
from generator.plan.model import Finding

STOP_GRACE_SECONDS = 0.5  # a worker told to stop that is still busy after this is killed
REMOVE_SECONDS = 3.0  # how long a stopped batch keeps trying to remove what it staged


@dataclass(frozen=True)
class Outcome:
    """One workbook's result in a batch: where it was written and its summary, or its error.

    Kept small on purpose: it travels back from a worker process for every workbook.
    staged: the (finished file, where it goes) pairs of a plan made but not yet put in place.
    """

    workbook: Path
    output: Path | None = None
    summary: str = ""
    warnings: tuple[Finding, ...] = ()
    error: PlanError | None = None
    pdf: Path | None = None
    staged: tuple[tuple[Path, Path], ...] = ()


def _stage_one(workbook: Path, output: Path, template: Path | None, pdf: bool, folder: Path) -> Outcome:
    """Check a workbook and make its files in folder; nothing is put in place (Batch.put_in_place does)."""
    try:
        folder.mkdir()
        checked, targets = prepare(workbook, output, template, pdf)
        result, files = stage(checked, targets, folder, template)
    except PlanError as exc:
        return Outcome(workbook, error=exc)
    return Outcome(workbook, result.output, result.plan.summary(), result.warnings, pdf=result.pdf,
                   staged=tuple(files))


class _Stopped(BaseException):
    """A worker told to stop while it makes a plan: unwinds it (LibreOffice is ended with it), then it exits."""


_busy = False  # a worker process is making a plan


def _worker_started() -> None:
    """In each worker: Ctrl+C is the batch's to handle; SIGTERM (Batch.stop) ends the worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)


def _stop_worker(signum: int, frame: FrameType | None) -> None:
    if _busy:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # told once is enough: the unwinding is not cut short
        raise _Stopped
    _end_worker()  # idle: nothing to unwind


def _end_worker() -> None:
    """End this worker process now, as SIGTERM does by default: nothing more runs in it, nothing is reported."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)
    raise SystemExit(1)  # not reached: the signal ends the process first


def _stage_in_worker(workbook: Path, output: Path, template: Path | None, pdf: bool, folder: Path) -> Outcome:
    global _busy
    _busy = True
    try:
        return _stage_one(workbook, output, template, pdf, folder)
    except _Stopped:
        _end_worker()  # unwound; the batch removes what was made and reports the plan as cut off
        raise
    finally:
        _busy = False


def outputs_for(workbooks: Sequence[Path], folder: Path) -> list[Path]:
    """<folder>/<name>.docx for each workbook, every name distinct regardless of case (paths.batch_names)."""
    return [folder / f"{name}{DOCX}" for name in batch_names(workbooks)]


def _check_batch(workbooks: Sequence[Path], folder: Path, template: Path | None = None, pdf: bool = False) -> None:
    """OutputPathError before anything is written when an output would land on a workbook or the template."""
    inputs: list[tuple[str, Path | None]] = [("arbetsboken", w) for w in workbooks]
    inputs.append(("mallen", template))
    outputs: list[tuple[str, Path | None]] = []
    for target in outputs_for(workbooks, folder):
        outputs.append(("Word-filen", target))
        if pdf:
            outputs.append(("PDF-filen", target.with_suffix(PDF)))
    check_targets(inputs, outputs)


class Batch:
    """A batch under way: plans are made in worker processes, and each is put in place here, when reported.

    Iterate finished() for the plans as they are made (their files staged in a temporary folder),
    and put_in_place() each: what is on disk is then exactly what was reported. stop() ends the
    batch at once (queued plans dropped, workers ended, staged files removed) and names the plans
    that were cut off. Use it as a context manager: leaving it stops it.
    """

    def __init__(self, workbooks: Sequence[Path], targets: Sequence[Path], template: Path | None,
                 workers: int | None, pdf: bool) -> None:
        self._jobs = list(zip(workbooks, targets, strict=True))
        self._template, self._pdf = template, pdf
        self._workers = max(1, min(workers or os.cpu_count() or 1, len(self._jobs)))
        self._open: dict[Path, None] = dict.fromkeys(workbooks)  # not yet reported, in the order given
        self._folder: Path | None = None  # the staged files, made when the batch starts
        self._pool: ProcessPoolExecutor | None = None
        self._processes: list[multiprocessing.process.BaseProcess] = []
        self._running: Generator[Outcome, None, None] | None = None

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def finished(self) -> Iterator[Outcome]:
        """Each plan as it is made, its files staged (Outcome.staged) or its error; in the order they finish."""
        self._running = self._run()
        return self._running

    def _run(self) -> Generator[Outcome, None, None]:
        self._folder = Path(tempfile.mkdtemp(prefix="aktivitetsplan-"))
        places = [self._folder / str(index) for index in range(len(self._jobs))]
        if self._workers == 1:
            for (workbook, target), place in zip(self._jobs, places):
                yield _stage_one(workbook, target, self._template, self._pdf, place)
            return
        # fork (where there is one) lets workers share the modules already imported here.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        warm_up()  # before the workers are forked: they share what it loaded
        gc.freeze()  # keep the forked workers from copying pages just to collect garbage
        try:
            before = set(multiprocessing.active_children())
            self._pool = ProcessPoolExecutor(self._workers, mp_context=multiprocessing.get_context(method),
                                             initializer=_worker_started)
            futures = [self._pool.submit(_stage_in_worker, w, t, self._template, self._pdf, place)
                       for (w, t), place in zip(self._jobs, places)]
            self._processes = [p for p in multiprocessing.active_children() if p not in before]
            for future in as_completed(futures):
                yield future.result()
        finally:
            gc.unfreeze()

    def put_in_place(self, outcome: Outcome) -> Outcome:
        """Put a finished plan's files in place (an OutputError, such as a document open in Word, is its error)."""
        self._open.pop(outcome.workbook, None)
        if outcome.error is not None or not outcome.staged:
            return outcome
        try:
            commit(outcome.staged)
        except OutputError as exc:
            return dataclasses.replace(outcome, output=None, pdf=None, error=exc, staged=())
        finally:
            for folder in {source.parent for source, _ in outcome.staged}:
                if folder.parent == self._folder:
                    shutil.rmtree(folder, ignore_errors=True)
        return dataclasses.replace(outcome, staged=())

    def stop(self) -> tuple[Path, ...]:
        """End the batch now; the workbooks whose plans were not reported (cut off), in the order given.

        Plans queued are dropped, workers still making one are ended (within STOP_GRACE_SECONDS),
        and every staged file is removed: nothing more is put in place.
        """
        if self._running is not None:
            self._running.close()  # its finally runs
        if self._pool is not None:
            if self._open:
                self._pool.shutdown(wait=False, cancel_futures=True)
                _end(self._processes)
            self._pool.shutdown(wait=True)
            self._pool = None
        if self._folder is not None:
            _remove(self._folder)
        return tuple(self._open)


def _remove(folder: Path) -> None:
    """Remove the staging folder; a LibreOffice killed a moment ago may still add a file, so try again briefly."""
    deadline = time.monotonic() + REMOVE_SECONDS
    shutil.rmtree(folder, ignore_errors=True)
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
        shutil.rmtree(folder, ignore_errors=True)


def _end(processes: Sequence[multiprocessing.process.BaseProcess]) -> None:
    """Tell each worker to stop (it unwinds what it runs), and kill those still there after the grace."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1)


def start_batch(workbooks: Sequence[Path], folder: Path, template: Path | None = None, workers: int | None = None,
                pdf: bool = False) -> Batch:
    """A Batch making each workbook's plan into folder (names from outputs_for).

    Outputs that would land on an input stop the batch before anything is made (OutputPathError).
    """
    _check_batch(workbooks, folder, template, pdf)
    return Batch(workbooks, outputs_for(workbooks, folder), template, workers, pdf)


def generate_many(
    workbooks: Sequence[Path],
    folder: Path,
    template: Path | None = None,
    workers: int | None = None,
    pdf: bool = False,
) -> Iterator[Outcome]:
    """Yield an Outcome per workbook as each finishes, its files in place; one failure does not stop the others.

    Outputs that would land on an input stop the batch before anything is written (_check_batch).
    """
    return _in_place(start_batch(workbooks, folder, template, workers, pdf))


def _in_place(batch: Batch) -> Iterator[Outcome]:
    with batch:
        for outcome in batch.finished():
            yield batch.put_in_place(outcome)
