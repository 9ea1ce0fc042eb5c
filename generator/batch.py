"""Generate many plans at once, in parallel on all cores, each success or error reported."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import PlanError
from generator.model import Finding
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
    """The workbooks named, with folders expanded to their .xlsx/.xlsm files (lock files skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(
                p for p in path.iterdir()
                if p.suffix.lower() in (".xlsx", ".xlsm") and p.is_file() and not _is_lock_or_hidden(p)
            ))
        else:
            found.append(path)
    return found


def _is_lock_or_hidden(path: Path) -> bool:
    return path.name.startswith(("~$", ".~lock", "."))


def _run_one(workbook: Path, output: Path, template: Path | None, pdf: bool = False) -> Outcome:
    try:
        result = generate(workbook, output, template, pdf=pdf)
    except PlanError as exc:
        return Outcome(workbook, error=exc)
    return Outcome(workbook, result.output, result.plan.summary(), result.warnings, pdf=result.pdf)


def outputs_for(workbooks: Sequence[Path], folder: Path) -> list[Path]:
    """out/<name>.docx for each workbook; a name taken twice gets its folder's name added."""
    names = [w.stem for w in workbooks]
    targets = []
    for workbook, name in zip(workbooks, names, strict=False):
        if names.count(name) > 1:
            name = f"{workbook.parent.name or 'arbetsbok'}-{name}"
        targets.append(folder / f"{name}.docx")
    return targets


def generate_many(
    workbooks: Sequence[Path],
    folder: Path,
    template: Path | None = None,
    workers: int | None = None,
    pdf: bool = False,
) -> Iterator[Outcome]:
    """Yield an Outcome per workbook as each finishes; one failure does not stop the others."""
    targets = outputs_for(workbooks, folder)
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
