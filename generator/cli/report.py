"""The one spot where the command line turns the library's errors into Swedish messages and exit codes."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from types import FrameType
from typing import Any, NoReturn

import click

from generator.plan.errors import FindingsError, PlanError, SystemFault
from generator.plan.folding import fold_findings
from generator.plan.model import Finding
from generator.plan.places import in_cell_order

EXIT_FINDINGS = 1
EXIT_INTERRUPTED = 130


def _echo_findings(source: str, findings: Sequence[Finding]) -> None:
    """Errors, then warnings, in the workbook's cell order (many of a kind folded into one), under the file's name."""
    shown = fold_findings(in_cell_order(findings))
    errors = [f for f in shown if f.is_error]
    warnings = [f for f in shown if not f.is_error]
    for title, group in (("Fel", errors), ("Varningar", warnings)):
        if group:
            click.echo(f"{title} i {source}:", err=True)
            for finding in group:
                click.echo(f"  {finding}", err=True)


def fail(error: PlanError) -> NoReturn:
    """Say what went wrong, where, and exit with the error's status."""
    if isinstance(error, FindingsError):
        _echo_findings(error.place, error.findings)
    click.echo(f"{error}", err=True)
    sys.exit(error.exit_code)


_AGAIN_SECONDS = 0.02


class _CtrlC:
    """Ctrl+C as the command line takes it: KeyboardInterrupt at once, or held while a step must finish whole.

    A KeyboardInterrupt that lands in a finalizer (a library's ZipFile.__del__) is swallowed by
    Python with a traceback on stderr; here it is kept quiet and delivered again to the code that
    runs, so that Ctrl+C stops the command wherever the signal lands.
    """

    held = 0
    pending = False
    interrupted = False
    exiting = False
    again: threading.Timer | None = None

    @classmethod
    def on_signal(cls, signum: int, frame: FrameType | None) -> None:
        cls.interrupted = True
        if cls.held or cls.exiting:  # Ctrl+C twice: the first one is being handled
            cls.pending = True
            return
        raise KeyboardInterrupt

    @classmethod
    def unraisable(cls, unraisable: Any) -> None:
        """sys.unraisablehook: an interrupt a finalizer swallowed is delivered again; after Ctrl+C, quiet."""
        cls.held += 1  # a signal now waits for the hook's end
        try:
            if issubclass(unraisable.exc_type, KeyboardInterrupt):
                cls.pending = True
            elif not cls.interrupted:  # after Ctrl+C, a half-made object's finalizer may fail: that is no news
                sys.__unraisablehook__(unraisable)
        finally:
            if cls.held == 1 and cls.pending and not cls.exiting:
                cls.pending = False
                # A moment later and from another thread: the main thread takes it in the code that runs then.
                cls.again = threading.Timer(_AGAIN_SECONDS, signal.raise_signal, (signal.SIGINT,))
                cls.again.daemon = True
                cls.again.start()
            cls.held -= 1

    @classmethod
    @contextlib.contextmanager
    def installed(cls, whole_process: bool = False) -> Iterator[None]:
        """The handler and the hook for one command (in the main thread; elsewhere Python's own).

        whole_process: the command is all the process runs (the program itself, not a test): once it
        has said its last word, Ctrl+C is ignored, so that one pressed as the process exits changes
        neither what it did nor its exit status.
        """
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        cls.held, cls.pending, cls.interrupted, cls.exiting, cls.again = 0, False, False, False, None
        before, hook = signal.signal(signal.SIGINT, cls.on_signal), sys.unraisablehook
        sys.unraisablehook = cls.unraisable
        try:
            yield
        finally:
            if cls.again is not None:
                cls.again.cancel()
            signal.signal(signal.SIGINT, signal.SIG_IGN if whole_process else before)
            if not whole_process:  # the program's own keeps finalizers at exit quiet after Ctrl+C
                sys.unraisablehook = hook


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold Ctrl+C while a step runs that must finish whole (files put in place and said so); it acts after."""
    _CtrlC.held += 1
    try:
        yield
    finally:
        _CtrlC.held -= 1
        if not _CtrlC.held and _CtrlC.pending:
            _CtrlC.pending = False
            raise KeyboardInterrupt


def _whole_process() -> bool:
    """Whether the command is all this process runs (cli.run), not a test invoking the group."""
    return bool(getattr(click.get_current_context().find_root().command, "whole_process", False))


@contextlib.contextmanager
def loading_uncollected() -> Iterator[None]:
    """Imports inside run without the cycle collector; what they made is then frozen out of its way.

    Modules' classes, functions and tables live as long as the process and are nearly never cyclic
    garbage, yet every later collection walked them again (some 30 ms of CPU in a run of the example,
    a tenth of it). Only for the whole program (cli.run): tests and the web's workers keep collecting.
    """
    if not _whole_process():
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # into the permanent generation: no collection looks at them again
        if enabled:
            gc.enable()


@contextlib.contextmanager
def collecting_seldom() -> Iterator[None]:
    """While one plan is made in a process of its own, the cycle collector runs less often; then as before.

    A plan's objects are built as it goes and refcounting frees nearly all of them: at its default
    pace the collector walks the growing heap hundreds of times (a tenth of a 10,000-activity run's
    CPU), for the same peak memory. Only for the whole program (cli.run) and one plan: many plans in
    one process (a batch on one core, --watch, tests) would keep each plan's cyclic garbage too long.
    """
    if not _whole_process():
        yield
        return
    before = gc.get_threshold()
    gc.set_threshold(20_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _interrupted() -> NoReturn:
    """Say so and exit 130, once what the interrupted work held is closed, quietly and now, not at exit."""
    _CtrlC.exiting = True
    gc.collect()  # half-written ZipFiles and the like: their finalizers run here, under the quiet hook
    click.echo("Avbrutet.", err=True)
    sys.exit(EXIT_INTERRUPTED)


class PlanGroup(click.Group):
    """Turns the library's errors into Swedish messages and exit codes, in this one spot.

    whole_process: set by the program's entry (cli.run), not by tests that invoke the group.
    """

    whole_process = False

    def invoke(self, ctx: click.Context) -> Any:
        interrupted = False
        with _CtrlC.installed(self.whole_process):
            try:
                return self._invoke(ctx)
            except KeyboardInterrupt:
                interrupted = _CtrlC.interrupted = True  # said below, once the exception and its frames are gone
            if interrupted:
                _interrupted()

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlanError as error:
            fail(error)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # the output went to a program that stopped reading (| head): nothing to say
            nowhere = os.open(os.devnull, os.O_WRONLY)
            for stream in (sys.stdout, sys.stderr):  # no second error when Python flushes them on exit
                os.dup2(nowhere, stream.fileno())
            sys.exit(EXIT_FINDINGS)
        except OSError as error:  # the machine refused a file no step expected to fail: said, not a traceback
            if os.environ.get("AKTIVITETSPLAN_DEBUG"):
                raise
            fail(SystemFault.of(error, "filen eller mappen går inte att nå"))
        except Exception as error:  # never a traceback for a user
            if os.environ.get("AKTIVITETSPLAN_DEBUG"):
                raise
            click.echo(
                f"Oväntat fel: {type(error).__name__}: {error}\n"
                "Kör igen med miljövariabeln AKTIVITETSPLAN_DEBUG=1 för detaljer, och rapportera gärna felet.",
                err=True,
            )
            sys.exit(EXIT_FINDINGS)
