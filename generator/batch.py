"""Generate many plans at once, in parallel on all cores, each success or error reported."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import PlanError
from generator.model import Finding
from generator.paths import DOCX, PDF, batch_names, check_targets, unique_files
from generator.pipeline import generate


@dataclass(frozen=True)
class Outcome:
    """One workbook's result in a batch: where it was written and its summary, or its error.

    Kept small on purpose: it travels back from a worker process for every workbook.
    """

    workbook: Path
    output: Path | None = None
    summary: str = ""
    warnings: tuple[Finding, ...] = ()
    error: PlanError | None = None
    pdf: Path | None = None


def find_workbooks(paths: Iterable[Path]) -> list[Path]:
    """The workbooks named, with folders expanded to their .xlsx/.xlsm files (lock files skipped).

    The same file named twice (also through a link or in another case) is there once.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(
                p for p in path.iterdir()
                if p.suffix.lower() in (".xlsx", ".xlsm") and p.is_file() and not _is_lock_or_hidden(p)
            ))
        else:
            found.append(path)
    return unique_files(found)


def _is_lock_or_hidden(path: Path) -> bool:
    return path.name.startswith(("~$", ".~lock", "."))


def _run_one(workbook: Path, output: Path, template: Path | None, pdf: bool = False) -> Outcome:
    try:
        result = generate(workbook, output, template, pdf=pdf)
    except PlanError as exc:
        return Outcome(workbook, error=exc)
    return Outcome(workbook, result.output, result.plan.summary(), result.warnings, pdf=result.pdf)


def outputs_for(workbooks: Sequence[Path], folder: Path) -> list[Path]:
    """<folder>/<name>.docx for each workbook, every name distinct regardless of case (paths.batch_names)."""
    return [folder / f"{name}{DOCX}" for name in batch_names(workbooks)]


def check_batch(workbooks: Sequence[Path], folder: Path, template: Path | None = None, pdf: bool = False) -> None:
    """OutputPathError before anything is written when an output would land on a workbook or the template."""
    inputs: list[tuple[str, Path | None]] = [("arbetsboken", w) for w in workbooks]
    inputs.append(("mallen", template))
    outputs: list[tuple[str, Path | None]] = []
    for target in outputs_for(workbooks, folder):
        outputs.append(("Word-filen", target))
        if pdf:
            outputs.append(("PDF-filen", target.with_suffix(PDF)))
    check_targets(inputs, outputs)


def generate_many(
    workbooks: Sequence[Path],
    folder: Path,
    template: Path | None = None,
    workers: int | None = None,
    pdf: bool = False,
) -> Iterator[Outcome]:
    """Yield an Outcome per workbook as each finishes; one failure does not stop the others.

    Outputs that would land on an input stop the batch before anything is written (check_batch).
    """
    check_batch(workbooks, folder, template, pdf)
    return _run_all(workbooks, outputs_for(workbooks, folder), template, workers, pdf)


def _run_all(
    workbooks: Sequence[Path], targets: Sequence[Path], template: Path | None, workers: int | None, pdf: bool
) -> Iterator[Outcome]:
    workers = max(1, min(workers or os.cpu_count() or 1, len(workbooks)))
    if workers == 1:
        for workbook, target in zip(workbooks, targets, strict=False):
            yield _run_one(workbook, target, template, pdf)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # fork (where there is one) lets workers share the modules already imported here.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    _warm_up()
    gc.freeze()  # keep the forked workers from copying pages just to collect garbage
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
            futures = [pool.submit(_run_one, w, t, template, pdf) for w, t in zip(workbooks, targets)]
            for future in as_completed(futures):
                yield future.result()
    finally:
        gc.unfreeze()


def _warm_up() -> None:
    """Import the heavy libraries once, before the workers are forked."""
    import docxtpl  # noqa: F401
    import openpyxl  # noqa: F401

    import generator.render  # noqa: F401
