"""The command line: aktivitetsplan generate | check | init, in Swedish, thin over the library."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from generator import __version__, cli_texts
from generator.errors import FindingsError, PlanError
from generator.model import Finding

# Click's own messages in Swedish: every click module looked its gettext up at import.
for _module in ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils"):
    _mod = sys.modules.get(f"click.{_module}")
    if _mod is not None:
        if hasattr(_mod, "_"):
            _mod._ = cli_texts.gettext  # type: ignore[attr-defined]
        if hasattr(_mod, "ngettext"):
            _mod.ngettext = cli_texts.ngettext  # type: ignore[attr-defined]

DEFAULT_WORKBOOK = Path("data") / "aktivitetsplan.xlsx"
EXIT_FINDINGS = 1


def _echo_findings(source: str, findings: Sequence[Finding]) -> None:
    errors = [f for f in findings if f.is_error]
    warnings = [f for f in findings if not f.is_error]
    for title, group in (("Fel", errors), ("Varningar", warnings)):
        if group:
            click.echo(f"{title} i {source}:", err=True)
            for finding in group:
                click.echo(f"  {finding}", err=True)


def _fail(error: PlanError) -> NoReturn:
    if isinstance(error, FindingsError):
        _echo_findings(error.place, error.findings)
    click.echo(f"{error}", err=True)
    sys.exit(EXIT_FINDINGS)


class PlanGroup(click.Group):
    """Turns the library's errors into Swedish messages and exit codes, in this one spot."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlanError as error:
            _fail(error)
        except KeyboardInterrupt:
            click.echo("Avbrutet.", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as error:  # never a traceback for a user
            if os.environ.get("AKTIVITETSPLAN_DEBUG"):
                raise
            click.echo(
                f"Oväntat fel: {type(error).__name__}: {error}\n"
                "Kör igen med miljövariabeln AKTIVITETSPLAN_DEBUG=1 för detaljer, och rapportera gärna felet.",
                err=True,
            )
            sys.exit(EXIT_FINDINGS)


@click.group(cls=PlanGroup, context_settings={"help_option_names": ["-h", "--help"]},
             options_metavar="[FLAGGOR]", subcommand_metavar="KOMMANDO [ARGUMENT]...")
@click.version_option(__version__, "--version", prog_name="aktivitetsplan", message="%(prog)s %(version)s")
def main() -> None:
    """Gör en aktivitetsplan i Word av en Excel-arbetsbok.

    Arbetsboken har bladen Plan, Avsnitt och Aktiviteter. Börja med
    "aktivitetsplan init", fyll i arbetsboken och kör "aktivitetsplan generate".
    """


_workbook_path = click.Path(dir_okay=True, file_okay=True, path_type=Path)
_template_option = click.option(
    "--template", "-t", "template", type=click.Path(dir_okay=False, path_type=Path),
    help="Egen Word-mall (.docx) i stället för standardmallen.",
)


@main.command(options_metavar="[FLAGGOR]")
@click.argument("workbooks", nargs=-1, type=_workbook_path, metavar="[ARBETSBOK|MAPP]...")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Word-filen som skrivs (standard: out/<namn>.docx). Med flera arbetsböcker: en mapp.")
@_template_option
@click.option("--watch", "-w", is_flag=True, help="Skapa planen på nytt varje gång arbetsboken sparas.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="ANTAL",
              help="Hur många planer som skapas samtidigt (standard: alla kärnor).")
def generate(
    workbooks: tuple[Path, ...], output: Path | None, template: Path | None, watch: bool, jobs: int | None
) -> None:
    """Skapa Word-dokumentet av en eller flera arbetsböcker.

    Utan argument blir data/aktivitetsplan.xlsx till out/aktivitetsplan.docx.
    Ges flera arbetsböcker eller en mapp skapas alla, samtidigt på alla kärnor.
    """
    from generator.batch import find_workbooks

    sources = find_workbooks(workbooks) if workbooks else [DEFAULT_WORKBOOK]
    many = len(sources) != 1 or any(p.is_dir() for p in workbooks)
    if watch:
        if many:
            raise click.UsageError("--watch fungerar med en arbetsbok i taget.")
        _watch(sources[0], output, template)
        return
    if many:
        _generate_many(sources, output, template, jobs)
        return
    _generate_one(sources[0], output, template)


def _generate_one(workbook: Path, output: Path | None, template: Path | None) -> None:
    from generator.pipeline import generate as generate_plan

    result = generate_plan(workbook, output, template)
    if result.warnings:
        _echo_findings(str(workbook), result.warnings)
    click.echo(f"Skrev {result.output}")
    click.echo(result.plan.summary())


def _generate_many(
    workbooks: Sequence[Path], output: Path | None, template: Path | None, jobs: int | None
) -> None:
    from generator.batch import generate_many
    from generator.pipeline import DEFAULT_OUTPUT_DIR

    if not workbooks:
        raise click.UsageError("Inga arbetsböcker (.xlsx) hittades.")
    folder = output or DEFAULT_OUTPUT_DIR
    if folder.exists() and not folder.is_dir():
        raise click.UsageError(f"Med flera arbetsböcker ska -o vara en mapp: {folder}")
    failed = 0
    outcomes = generate_many(workbooks, folder, template, jobs)
    show_bar = sys.stderr.isatty()
    with click.progressbar(length=len(workbooks), label="Skapar planer", file=sys.stderr,
                           hidden=not show_bar) as bar:
        for outcome in outcomes:
            bar.update(1)
            if outcome.error is not None:
                failed += 1
                if show_bar:
                    click.echo("", err=True)
                if isinstance(outcome.error, FindingsError):
                    _echo_findings(str(outcome.workbook), outcome.error.findings)
                click.echo(f"MISSLYCKADES {outcome.error}", err=True)
            else:
                if outcome.warnings:
                    _echo_findings(str(outcome.workbook), outcome.warnings)
                click.echo(f"OK {outcome.workbook} → {outcome.output} ({outcome.summary})")
    click.echo(f"{len(workbooks) - failed} av {len(workbooks)} planer skapades.")
    if failed:
        sys.exit(EXIT_FINDINGS)


def _watch(workbook: Path, output: Path | None, template: Path | None) -> None:
    from generator.watch import watch

    click.echo(f"Bevakar {workbook}. Avsluta med Ctrl+C.")
    try:
        for event in watch(workbook, output, template):
            stamp = event.time.strftime("%H:%M:%S")
            if event.waiting:
                click.echo(f"[{stamp}] {event.waiting}", err=True)
            elif event.error is not None:
                if isinstance(event.error, FindingsError):
                    _echo_findings(str(workbook), event.error.findings)
                click.echo(f"[{stamp}] {event.error}", err=True)
            elif event.result is not None:
                if event.result.warnings:
                    _echo_findings(str(workbook), event.result.warnings)
                click.echo(f"[{stamp}] Skrev {event.result.output} ({event.result.plan.summary()})")
    except KeyboardInterrupt:
        click.echo("Bevakningen avslutad.")


@main.command(options_metavar="[FLAGGOR]")
@click.argument("workbook", required=False, type=click.Path(dir_okay=False, path_type=Path),
                metavar="[ARBETSBOK]")
@_template_option
def check(workbook: Path | None, template: Path | None) -> None:
    """Kontrollera en arbetsbok (och en mall) utan att skriva något.

    Alla fel och varningar visas på en gång, med blad och cell. Avslutas med
    status 1 om något fel hittades. Med bara --template kontrolleras mallen.
    """
    errors = 0
    if template is not None:
        from generator.render import check_template

        template_findings = check_template(template)
        errors += sum(1 for f in template_findings if f.is_error)
        if template_findings:
            _echo_findings(str(template), template_findings)
        else:
            click.echo(f"{template}: mallen ser bra ut.")
    if workbook is not None or template is None:
        from generator.pipeline import check_workbook

        source = workbook or DEFAULT_WORKBOOK
        result = check_workbook(source)
        _echo_findings(str(source), result.findings)
        errors += len(result.errors)
        verdict = "inga fel" if not result.errors else f"{len(result.errors)} fel"
        click.echo(f"{source}: {verdict}, {len(result.warnings)} varningar. {result.plan.summary()}.")
    if errors:
        sys.exit(EXIT_FINDINGS)


@main.command(options_metavar="[FLAGGOR]", short_help="Skapa en ny arbetsbok att fylla i.")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path),
                default=DEFAULT_WORKBOOK, metavar="[SÖKVÄG]")
@click.option("--force", "-f", is_flag=True, help="Skriv över en fil som redan finns.")
def init(path: Path, force: bool) -> None:
    """Skapa en ny arbetsbok att fylla i (standard: data/aktivitetsplan.xlsx)."""
    from generator.starter import write_starter

    write_starter(path, force=force)
    click.echo(f"Skrev {path}. Fyll i den och kör: aktivitetsplan generate {path}")
