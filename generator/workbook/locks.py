"""The lock files Excel and LibreOffice keep beside an open workbook: whether it is open, and by whom."""

from __future__ import annotations

from pathlib import Path

from generator.files.output import lock_owner


def open_elsewhere(workbook: Path) -> tuple[str, ...]:
    """A Swedish message for each program that has the workbook open, by its lock file beside it.

    Excel keeps "~$plan.xlsx" (an owner file holding the user's name) while the workbook is open,
    LibreOffice ".~lock.plan.xlsx#" (a line: name, user, computer, time); files.output reads both,
    as it does for an open document. What is read is the workbook as last saved, so edits not saved
    yet are not in it.
    """
    found = []
    for program, lock in (("Excel", f"~${workbook.name}"), ("LibreOffice", f".~lock.{workbook.name}#")):
        path = workbook.with_name(lock)
        try:
            if not path.is_file():
                continue
        except OSError:  # there, but not ours to look at (Excel may hold it): open all the same
            pass
        name = lock_owner(path)
        by = f" hos {name}" if name else ""
        found.append(f"arbetsboken är öppen i {program}{by}, så ändringar som inte är sparade kommer inte med. "
                     f"Spara den i {program} och kör igen. (Är den inte öppen är låsfilen {lock} kvar sedan "
                     "programmet stängdes oväntat och kan tas bort.)")
    return tuple(found)
