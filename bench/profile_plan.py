"""CPU time of one generate in-process, phase by phase: what a web worker spends per plan.

Run: .venv/bin/python bench/profile_plan.py [--plans 200] [--workbook data/aktivitetsplan.xlsx] [--profile]
Counts CPU time (time.process_time), not wall time, so the figures hold on a shared, loaded
machine. --profile adds the functions that cost most (cProfile on CPU time).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.checks.core import check_plan, check_recipients  # noqa: E402
from generator.document.render import DEFAULT_TEMPLATE, finish_document, open_template  # noqa: E402
from generator.template.context import build_context  # noqa: E402
from generator.template.environment import make_environment  # noqa: E402
from generator.workbook.reader import read_workbook  # noqa: E402


def one_plan(workbook: Path, output: Path, spent: dict[str, float]) -> None:
    """What generate does for one plan, each phase's CPU time added to spent."""

    def timed(phase: str, work: Callable[[], Any]) -> Any:
        start = time.process_time()
        result = work()
        spent[phase] += time.process_time() - start
        return result

    plan = timed("read workbook", lambda: read_workbook(workbook))
    timed("check", lambda: (check_plan(plan), check_recipients(plan)))
    template = timed("open template", lambda: open_template(DEFAULT_TEMPLATE))
    timed("render", lambda: template.render(build_context(plan), make_environment()))
    timed("finish document", lambda: finish_document(template.docx, plan))
    timed("save", lambda: template.save(str(output)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--workbook", type=Path, default=ROOT / "data" / "aktivitetsplan.xlsx")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "plan.docx"
        warm: dict[str, float] = defaultdict(float)
        for _ in range(5):
            one_plan(args.workbook, output, warm)
        spent: dict[str, float] = defaultdict(float)
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        if profiler:
            profiler.enable()
        for _ in range(args.plans):
            one_plan(args.workbook, output, spent)
        if profiler:
            profiler.disable()
    for phase, seconds in spent.items():
        print(f"{phase:16s} {seconds / args.plans * 1000:6.1f} ms")
    print(f"{'CPU per plan':16s} {sum(spent.values()) / args.plans * 1000:6.1f} ms"
          + (" (with cProfile's overhead)" if profiler else ""))
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
