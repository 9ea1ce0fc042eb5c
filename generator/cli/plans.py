"""The commands about one plan's files: generate, check, init, import and diff."""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.cli.options import file_path, ics_option, template_option
from generator.cli.report import (
    EXIT_FINDINGS,
    _echo_findings,
    collecting_seldom,
    loading_uncollected,
    uninterrupted,
)
from generator.cli.texts import whole_number
from generator.files.paths import DEFAULT_OUTPUT_DIR, DEFAULT_WORKBOOK, OUTPUT_SUFFIXES, find_workbooks, plan_targets
from generator.plan.errors import FindingsError, PlanError
from generator.plan.folding import stopping_error
from generator.plan.values import counted, format_count

if TYPE_CHECKING:  # typing only: the flows load when a command runs
    from generator.flows.batch import Outcome
    from generator.flows.checking import Result


def echo_calendar(result: Result) -> None:
    """The calendar file written, and how many activities it holds (none written: a warning said why)."""
    if result.calendar is not None:
        total = len(result.plan.activities)
        click.echo(f"Skrev {result.calendar} ({result.events} av {total} aktiviteter i kalendern)")


@click.command(options_metavar="[FLAGGOR]")
@click.argument("workbooks", nargs=-1, type=file_path(path_type=Path), metavar="[ARBETSBOK|MAPP]...")
@click.option("-o", "--output", type=file_path(), metavar="FIL|MAPP",
              help="Word-filen som skrivs (standard: out/<namn>.docx); .pdf ger också PDF, mapp/ en mapp. "
                   "Med flera arbetsböcker: en mapp.")
@template_option
@click.option("--pdf", is_flag=True, help="Skriv också en PDF (med LibreOffice) bredvid Word-filen.")
@ics_option
@click.option("--watch", "-w", is_flag=True, help="Skapa planen på nytt varje gång arbetsboken sparas.")
@click.option("--jobs", "-j", type=whole_number(1), default=None, metavar="ANTAL",
              help="Hur många planer som skapas samtidigt (standard: alla kärnor).")
@click.option("--jamfor", "compare_with", type=file_path(exists=True, dir_okay=False, path_type=Path),
              metavar="ÄLDRE.docx", help="Jämför med den här versionen i stället för med dokumentet som ersätts.")
def generate(
    workbooks: tuple[Path, ...], output: str | None, template: Path | None, pdf: bool, watch: bool,
    jobs: int | None, ics: str | None = None, compare_with: Path | None = None,
) -> None:
    """Skapa Word-dokumentet av en eller flera arbetsböcker.

    Utan argument blir data/aktivitetsplan.xlsx till out/aktivitetsplan.docx.
    Ges flera arbetsböcker eller en mapp skapas alla, samtidigt på alla kärnor.
    """
    sources = find_workbooks(workbooks) if workbooks else [DEFAULT_WORKBOOK]
    many = len(sources) != 1 or len(workbooks) > 1 or any(p.is_dir() for p in workbooks)
    if ics is not None and (many or watch):
        raise click.UsageError("--ics fungerar med en arbetsbok i taget och inte med --watch.")
    if compare_with is not None and (many or watch):
        raise click.UsageError("--jamfor fungerar med en arbetsbok i taget, utan --watch.")
    if watch:
        if many:
            raise click.UsageError("--watch fungerar med en arbetsbok i taget.")
        _watch(sources[0], output, template, pdf)
        return
    if many:
        _generate_many(sources, output, template, jobs, pdf)
        return
    with collecting_seldom():
        _generate_one(sources[0], output, template, pdf, ics, compare_with)


def _generate_one(workbook: Path, output: str | None, template: Path | None, pdf: bool,
                  ics: str | None = None, compare_with: Path | None = None) -> Result:
    with loading_uncollected():
        from generator.flows.generating import generate as generate_plan  # deferred: a command loads only what it runs

    earlier = _earlier_elsewhere(workbook, output) if compare_with is None else None
    result = generate_plan(workbook, output, template, pdf=pdf, ics=ics, compare_with=compare_with)
    if result.warnings:
        _echo_findings(str(workbook), result.warnings)
    click.echo(f"Skrev {result.output}")
    if result.pdf is not None:
        click.echo(f"Skrev {result.pdf}")
    echo_calendar(result)
    click.echo(result.plan.summary())
    if not _echo_version(result.version) and earlier is not None:
        click.echo(f"Det här är version 1 av {result.output}, som inte fanns förut. Planens tidigare versioner "
                   f"finns i {earlier}: jämför med dem med --jamfor {pasteable(earlier)}")
    return result


def _earlier_elsewhere(workbook: Path, output: str | None) -> Path | None:
    """The workbook's document where generate puts it without -o, when -o names a new file instead."""
    if output is None:
        return None
    try:
        target, usual = plan_targets(workbook, output).docx, plan_targets(workbook).docx
        if target.exists() or not usual.is_file() or usual.resolve() == target.resolve():
            return None
    except (OSError, PlanError):  # said by generate itself
        return None
    return usual


def _echo_version(version: Any) -> bool:
    """Say a new version and what changed; False for a first version (or none), which says nothing new."""
    if version is None or version.version <= 1:
        return False
    from generator.versions.changes import Changes  # deferred: a command loads only what it runs
    from generator.versions.snapshot import version_text

    line = f"Version {version_text(version)}"
    if version.changes:
        line += f". {Changes.from_data(version.changes).terminal().splitlines()[0]}"
    click.echo(line)
    return True


def _generate_many(
    workbooks: Sequence[Path], output: str | None, template: Path | None, jobs: int | None, pdf: bool
) -> None:
    """Each plan reported as its files are put in place; on Ctrl+C, those cut off are named, nothing more written."""
    from generator.flows.batch import start_batch  # deferred: a command loads only what it runs

    if not workbooks:
        raise click.UsageError("Inga arbetsböcker (.xlsx) hittades.")
    folder = Path(output) if output else DEFAULT_OUTPUT_DIR
    if (folder.exists() and not folder.is_dir()) or folder.suffix.lower() in OUTPUT_SUFFIXES:
        raise click.UsageError(f"Med flera arbetsböcker ska -o vara en mapp: {folder}")
    failed = 0
    show_bar = sys.stderr.isatty()
    with start_batch(workbooks, folder, template, jobs, pdf) as batch:
        try:
            with click.progressbar(length=len(workbooks), label="Skapar planer", file=sys.stderr,
                                   hidden=not show_bar) as bar:
                for finished in batch.finished():
                    with uninterrupted():  # a plan's files go in place and are reported, or neither
                        outcome = batch.put_in_place(finished)
                        bar.update(1)
                        failed += _echo_outcome(outcome, show_bar)
        except KeyboardInterrupt:
            with uninterrupted():
                cut_off = batch.stop()
                _echo_cut_off(cut_off, len(workbooks) - len(cut_off) - failed, len(workbooks))
            raise
    click.echo(f"{format_count(len(workbooks) - failed)} av {counted(len(workbooks), 'plan', 'planer')} skapades.")
    if failed:
        sys.exit(EXIT_FINDINGS)


def _echo_outcome(outcome: Outcome, show_bar: bool) -> bool:
    """One plan's line: OK with where it went, or MISSLYCKADES with why; True when it failed."""
    if outcome.error is not None:
        if show_bar:
            click.echo("", err=True)
        if isinstance(outcome.error, FindingsError):
            _echo_findings(str(outcome.workbook), outcome.error.findings)
        click.echo(f"MISSLYCKADES {outcome.error}", err=True)
        return True
    if outcome.warnings:
        _echo_findings(str(outcome.workbook), outcome.warnings)
    also = f" och {outcome.pdf.name}" if outcome.pdf else ""
    click.echo(f"OK {outcome.workbook} → {outcome.output}{also} ({outcome.summary})")
    return False


def _echo_cut_off(cut_off: Sequence[Path], made: int, total: int) -> None:
    """After Ctrl+C: how many plans were made, and each one that was not (its earlier files are untouched)."""
    click.echo("", err=True)
    if not cut_off:
        click.echo(f"Ctrl+C: {format_count(made)} av {counted(total, 'plan', 'planer')} skapades.", err=True)
        return
    click.echo(f"Ctrl+C: {format_count(made)} av {counted(total, 'plan', 'planer')} skapades. "
               f"{len(cut_off)} avbröts och skrevs inte (deras tidigare filer finns kvar):", err=True)
    for workbook in cut_off:
        click.echo(f"  AVBRUTEN {workbook}", err=True)


def _watch(workbook: Path, output: str | None, template: Path | None, pdf: bool) -> None:
    from generator.flows.watching import watch  # deferred: a command loads only what it runs

    click.echo(f"Bevakar {workbook}. Avsluta med Ctrl+C.")
    try:
        for event in watch(workbook, output, template, pdf=pdf):
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
                _echo_version(event.result.version)  # as generate says it
    except KeyboardInterrupt:
        click.echo("Bevakningen avslutad.")


@click.command(options_metavar="[FLAGGOR]")
@click.argument("workbook", required=False, type=file_path(dir_okay=False, path_type=Path),
                metavar="[ARBETSBOK]")
@template_option
def check(workbook: Path | None, template: Path | None) -> None:
    """Kontrollera en arbetsbok (och en mall) utan att skriva något.

    Alla fel och varningar visas på en gång, med blad och cell. Avslutas med
    status 1 om något fel hittades. Med bara --template kontrolleras mallen.
    """
    errors = 0
    if template is not None:
        from generator.document.render import check_template  # deferred: a command loads only what it runs

        template_findings = check_template(template)
        errors += sum(1 for f in template_findings if f.is_error)
        if template_findings:
            _echo_findings(str(template), template_findings)
        else:
            click.echo(f"{template}: mallen ser bra ut.")
    if workbook is not None or template is None:
        source = workbook or DEFAULT_WORKBOOK
        with loading_uncollected():
            from generator.flows.checking import check_workbook  # deferred: a command loads only what it runs

        result = check_workbook(source)
        findings = result.findings
        _echo_findings(str(source), findings)
        found_errors = sum(1 for f in findings if f.is_error)
        errors += found_errors
        verdict = "inga fel" if not found_errors else f"{format_count(found_errors)} fel"
        stopping = stopping_error(findings)
        warnings = counted(len(result.warnings), "varning", "varningar")
        click.echo(f"{source}: {verdict}, {warnings}. {result.plan.summary()}." + (f" {stopping}" if stopping else ""))
    if errors:
        sys.exit(EXIT_FINDINGS)


@click.command(options_metavar="[FLAGGOR]", short_help="Skapa en ny arbetsbok att fylla i.")
@click.argument("path", required=False, type=file_path(dir_okay=False, path_type=Path), metavar="[SÖKVÄG]")
@click.option("--mall", "template_copy", type=file_path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Skriv en kopia av standardmallen (.docx) att ändra i Word.")
@click.option("--profil", "profile", type=file_path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Med --mall: ge mallen kommunens utseende från kommunens Word-mall (.dotx eller .docx).")
@click.option("--force", "-f", is_flag=True, help="Skriv över en fil som redan finns.")
def init(path: Path | None, template_copy: Path | None, force: bool, profile: Path | None = None) -> None:
    """Skapa en ny arbetsbok att fylla i (standard: data/aktivitetsplan.xlsx).

    Med --mall FIL skrivs i stället en kopia av standardmallen att ändra i.
    Med --profil kommunens-mall.dotx får kopian kommunens formatmallar, tema,
    sidformat, sidhuvud och sidfot.
    """
    from generator.flows.initializing import write_init  # deferred: a command loads only what it runs

    if profile is not None and template_copy is None:
        raise click.UsageError("--profil gör en mall: ange också --mall, t.ex. "
                               f"aktivitetsplan init --mall egen-mall.docx --profil {profile}")
    if path is None and template_copy is None:
        path = DEFAULT_WORKBOOK
    done = write_init(path, template_copy, force, profile)
    for written in done.written:
        if written != done.template:
            click.echo(f"Skrev {written}. Fyll i den och kör: aktivitetsplan generate {pasteable(written)}")
        elif done.profile is not None:
            click.echo(f"Skrev {written} i utseendet från {done.profile.profile}:")
            for line in done.profile.taken:
                click.echo(f"  {line}")
            if done.profile.findings:
                _echo_findings(done.profile.profile, done.profile.findings)
            click.echo(f"Kontrollera den med: aktivitetsplan check --template {pasteable(written)}, och använd den "
                       f"med: aktivitetsplan generate --template {pasteable(written)}")
        else:
            click.echo(f"Skrev {written}. Ändra den i Word och använd den med: "
                       f"aktivitetsplan generate --template {pasteable(written)}")


@click.command("import", options_metavar="[FLAGGOR]", short_help="Gör en arbetsbok av en befintlig plan i Word.")
@click.argument("document", type=file_path(dir_okay=False, path_type=Path), metavar="PLAN.docx")
@click.option("-o", "--output", type=file_path(path_type=Path), metavar="ARBETSBOK.xlsx",
              help="Arbetsboken som skrivs (standard: bredvid dokumentet, samma namn med .xlsx).")
@click.option("--force", "-f", is_flag=True, help="Skriv över en arbetsbok som redan finns.")
def import_(document: Path, output: Path | None, force: bool) -> None:
    """Gör en arbetsbok av en aktivitetsplan i Word (.docx).

    Titelsida, rubriker med text och aktivitetstabellen förs över till en
    arbetsbok i samma format som "aktivitetsplan init" skapar. Röda rader blir
    Klar = Ja. Mallens instruktionstext lämnas utanför. Allt som var osäkert
    visas med stycke eller tabellcell, så att du kan kontrollera det.
    """
    from generator.importing import import_document  # deferred: a command loads only what it runs

    target, report = import_document(document, output, force)
    for line in report.lines():
        click.echo(line)
    click.echo(f"Skrev {target}. Kontrollera den och kör: aktivitetsplan generate {pasteable(target)}")


def pasteable(path: Path) -> str:
    """A path as a command line to paste takes it: quoted for a POSIX shell (sh, bash, zsh) when it needs it.

    Windows' cmd and PowerShell take double quotes instead.
    """
    text = str(path)
    if os.name == "nt":
        return f'"{text}"' if any(c in text for c in " &()[]{}^=;!'+,`~%$@#") else text
    return shlex.quote(text)
@click.command(options_metavar="[FLAGGOR]")
@click.argument("before", type=file_path(exists=True, dir_okay=False, path_type=Path), metavar="ÄLDRE")
@click.argument("after", type=file_path(exists=True, dir_okay=False, path_type=Path), metavar="NYARE")
def diff(before: Path, after: Path) -> None:
    """Visa vad som ändrats mellan två versioner av en plan.

    Var och en kan vara ett Word-dokument som aktivitetsplan gjort (.docx) eller
    en arbetsbok (.xlsx). Visar nya, borttagna, ändrade och nyss klara aktiviteter.
    """
    from generator.versions.history import compare_files  # deferred: a command loads only what it runs

    click.echo(compare_files(before, after).terminal(f"Ändringar från {before.name} till {after.name}"))
