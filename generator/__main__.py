"""The program's entry: the installed aktivitetsplan and python -m generator."""

import signal
import sys
from types import FrameType


def main() -> None:
    """Run the command line; Ctrl+C while it is still loading ends the program quietly, as later (cli.report)."""
    signal.signal(signal.SIGINT, _interrupted_while_loading)
    from generator.cli import run  # deferred: imported under the quiet Ctrl+C above

    run()  # the command line puts its own Ctrl+C handling in place


def _interrupted_while_loading(signum: int, frame: FrameType | None) -> None:
    sys.stderr.write("Avbrutet.\n")  # as cli.report says it, exit status 130 (EXIT_INTERRUPTED)
    sys.exit(130)


if __name__ == "__main__":
    main()
