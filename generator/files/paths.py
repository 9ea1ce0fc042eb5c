"""Plan a run's output files and refuse, before anything is written, any that would land on an input or each other."""

from __future__ import annotations

import contextlib
import os
import platform
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from generator.plan.errors import OutputError, OutputPathError, os_reason

DEFAULT_WORKBOOK = Path("data") / "aktivitetsplan.xlsx"  # what the commands read when given no workbook
DEFAULT_OUTPUT_DIR = Path("out")
DOCX, PDF = ".docx", ".pdf"
OUTPUT_SUFFIXES = (DOCX, PDF)


class Targets(NamedTuple):
    """Where one plan's files go: the Word document, and the PDF when one is made."""

    docx: Path
    pdf: Path | None = None


def is_folder_spec(output: str | os.PathLike[str]) -> bool:
    """-o names a folder: it ends with a slash, or it is an existing folder."""
    text = os.fspath(output)
    try:
        return text.endswith(("/", os.sep)) or Path(text).is_dir()
    except OSError as exc:
        raise unreachable(text, exc) from None


def unreachable(place: str | os.PathLike[str], error: OSError) -> OutputError:
    """-o names a place this user cannot reach (a folder on the way without permission): said so, in Swedish."""
    return OutputError(os.fspath(place), f"går inte att nå ({os_reason(error)}); välj en mapp du kan skriva i")


def plan_targets(workbook: Path, output: str | os.PathLike[str] | None = None, pdf: bool = False) -> Targets:
    """The files one run writes, from -o as the user typed it (a trailing slash kept).

    None: out/<name>.docx. A folder (trailing slash or existing): <folder>/<name>.docx.
    No suffix: <output>.docx. .pdf: the PDF there and the Word file beside it (implies pdf).
    Any other suffix is a usage mistake.
    """
    if output is None or os.fspath(output) == "":
        docx = DEFAULT_OUTPUT_DIR / f"{workbook.stem}{DOCX}"
    elif is_folder_spec(output):
        try:
            is_file = Path(output).exists() and not Path(output).is_dir()
        except OSError as exc:
            raise unreachable(output, exc) from None
        if is_file:
            raise OutputPathError(os.fspath(output), "är en fil, inte en mapp. Ta bort / på slutet eller välj en mapp.")
        docx = Path(output) / f"{workbook.stem}{DOCX}"
    else:
        path = Path(output)
        suffix = path.suffix.lower()
        if suffix == PDF:
            return Targets(path.with_suffix(DOCX), path)
        if suffix == "":
            docx = path.with_name(path.name + DOCX)
        elif suffix == DOCX:
            docx = path
        else:
            raise OutputPathError(path, f'"{path.suffix}" går inte att skriva. Utdatafilen ska sluta på .docx eller '
                                        ".pdf, eller vara en mapp (sluta med /).")
    return Targets(docx, docx.with_suffix(PDF) if pdf else None)


def batch_names(workbooks: Sequence[Path]) -> list[str]:
    """A distinct document name (without suffix) for each workbook, compared regardless of case.

    A name taken twice gets its folder's name added (norr-plan); if that is not enough also its
    file type (kommuner-plan-xlsm); as a last resort a number (plan-2).
    """
    levels = (
        lambda w: w.stem,
        lambda w: f"{w.parent.name or 'arbetsbok'}-{w.stem}",
        lambda w: f"{w.parent.name or 'arbetsbok'}-{w.stem}-{w.suffix.lstrip('.').lower()}",
    )
    names = [levels[0](w) for w in workbooks]
    for level in levels[1:]:
        counts = Counter(n.casefold() for n in names)
        names = [level(w) if counts[n.casefold()] > 1 else n for w, n in zip(workbooks, names)]
    taken: set[str] = set()
    wanted = Counter(n.casefold() for n in names)
    distinct = []
    for name in names:
        candidate, number = name, 2
        while candidate.casefold() in taken or (candidate != name and candidate.casefold() in wanted):
            candidate, number = f"{name}-{number}", number + 1
        taken.add(candidate.casefold())
        distinct.append(candidate)
    return distinct


def _unique_files(paths: Iterable[Path]) -> list[Path]:
    """paths without repeats of the same real file, in order."""
    kept: dict[tuple[object, ...], Path] = {}
    for path in paths:
        kept.setdefault(_file_key(path), path)
    return list(kept.values())


def _real_path(path: Path) -> Path:
    """The path with symbolic links resolved and made absolute, whether or not it exists."""
    return Path(os.path.realpath(os.path.abspath(path)))


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


@lru_cache(maxsize=256)
def case_insensitive(folder: Path) -> bool:
    """Whether names in folder are compared regardless of case: probed on a real entry, else the system's habit."""
    folder = _existing_ancestor(folder)
    probes: list[Path] = []
    with contextlib.suppress(OSError, StopIteration):
        probes = [next(entry for entry in folder.iterdir() if entry.name.swapcase() != entry.name)]
    if not probes and folder.name.swapcase() != folder.name:
        probes = [folder]
    for probe in probes:
        twin = probe.with_name(probe.name.swapcase())
        try:
            return twin.exists() and os.path.samefile(probe, twin)
        except OSError:
            continue
    return platform.system() in ("Windows", "Darwin")


def _file_key(path: Path) -> tuple[object, ...]:
    """What identifies the file path names: device and inode when it exists; else its real folder and its
    name, case folded where the file system ignores case. Equal keys, same file."""
    real = _real_path(path)
    try:
        info = real.stat()
        return ("file", info.st_dev, info.st_ino)
    except OSError:
        pass
    folded = case_insensitive(real.parent)
    name = real.name.casefold() if folded else real.name
    try:
        info = real.parent.stat()
        return ("name", info.st_dev, info.st_ino, name)
    except OSError:
        return ("path", str(real.parent).casefold() if folded else str(real.parent), name)


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name the same file (see _file_key)."""
    return _file_key(first) == _file_key(second)


Labelled = Mapping[str, "Path | None"] | Iterable[tuple[str, "Path | None"]]


def _given(files: Labelled) -> list[tuple[str, Path]]:
    pairs = files.items() if isinstance(files, Mapping) else files
    return [(label, path) for label, path in pairs if path is not None]


def check_targets(inputs: Labelled, outputs: Labelled) -> None:
    """Refuse (OutputPathError, exit 2) an output that is an input or another output of the same run.

    Labels describe the file in Swedish ("arbetsboken", "Word-filen"); None paths are skipped.
    """
    given_inputs, given_outputs = _given(inputs), _given(outputs)
    read = {_file_key(path): (label, path) for label, path in given_inputs}
    written: dict[tuple[object, ...], tuple[str, Path]] = {}
    for label, path in given_outputs:
        key = _file_key(path)
        if key in read:
            input_label, source = read[key]
            raise OutputPathError(path, f"{label} skulle skriva över {input_label} ({source}). Inget skrevs; "
                                        "välj ett annat namn med -o.")
        if key in written:
            other_label, other = written[key]
            raise OutputPathError(path, f"{label} och {other_label} ({other}) skulle bli samma fil. Inget "
                                        "skrevs; välj ett annat namn.")
        if path.is_dir():
            raise OutputPathError(path, f"{label} skulle skrivas där det finns en mapp. Inget skrevs; välj ett "
                                        "annat namn.")
        written[key] = (label, path)


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
    return _unique_files(found)


def _is_lock_or_hidden(path: Path) -> bool:
    return path.name.startswith(("~$", ".~lock", "."))
