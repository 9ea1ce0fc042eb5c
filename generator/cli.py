"""The command line: aktivitetsplan init | check | generate | send, in Swedish, thin over the library."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import click

from generator import __version__, cli_texts
from generator.errors import FindingsError, PlanError
from generator.model import Finding

if TYPE_CHECKING:  # typing only: these pull in the heavy libraries
    from generator.mail import SmtpSettings
    from generator.pipeline import Result

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
    sys.exit(error.exit_code)


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
_ics_option = click.option(
    "--ics", "ics", type=click.Path(), metavar="FIL",
    help="Skriv också aktiviteterna som kalender (.ics) att importera i Outlook eller Thunderbird.",
)


_SMTP_OPTIONS = (
    click.option("--smtp-host", envvar="AKTIVITETSPLAN_SMTP_HOST", metavar="SERVER",
                 help="E-postserver (miljövariabel AKTIVITETSPLAN_SMTP_HOST)."),
    click.option("--smtp-port", envvar="AKTIVITETSPLAN_SMTP_PORT", type=click.IntRange(1, 65535), metavar="PORT",
                 help="Port (standard 587 med starttls, 465 med ssl, 25 utan). "
                      "Miljövariabel AKTIVITETSPLAN_SMTP_PORT."),
    click.option("--smtp-security", envvar="AKTIVITETSPLAN_SMTP_SECURITY", default="starttls", show_default=True,
                 type=click.Choice(["starttls", "ssl", "none"]),
                 help="Kryptering (miljövariabel AKTIVITETSPLAN_SMTP_SECURITY)."),
    click.option("--smtp-user", envvar="AKTIVITETSPLAN_SMTP_USER", metavar="ANVÄNDARE",
                 help="Användarnamn (miljövariabel AKTIVITETSPLAN_SMTP_USER). Lösenordet läses bara från "
                      "AKTIVITETSPLAN_SMTP_PASSWORD eller frågas efter."),
    click.option("--from", "sender", envvar="AKTIVITETSPLAN_SMTP_FROM", metavar="ADRESS",
                 help="Avsändare (miljövariabel AKTIVITETSPLAN_SMTP_FROM; standard: användarnamnet)."),
    click.option("--smtp-timeout", type=click.FloatRange(min=1), default=30, show_default=True, metavar="SEKUNDER",
                 help="Hur länge servern får dröja med svar."),
    click.option("--smtp-cafile", envvar="AKTIVITETSPLAN_SMTP_CAFILE", type=click.Path(dir_okay=False),
                 metavar="FIL", help="Egna rotcertifikat (PEM) för serverns TLS-certifikat."),
)


def _smtp_options(command: Any) -> Any:
    """The SMTP options of send and paminn, said once."""
    for option in reversed(_SMTP_OPTIONS):
        command = option(command)
    return command


def _echo_calendar(workbook: Path, ics: str | None, result: Result) -> None:
    """The calendar file written, and how many activities it holds."""
    if ics is None:
        return
    from generator.icsexport import calendar_target, dated_activities

    dated, _ = dated_activities(result.plan)
    if not dated:
        return  # nothing written: a warning said why
    click.echo(f"Skrev {calendar_target(workbook, ics)} ({len(dated)} av {len(result.plan.activities)} "
               "aktiviteter i kalendern)")
_template_option = click.option(
    "--template", "-t", "template", type=click.Path(dir_okay=False, path_type=Path),
    help="Egen Word-mall (.docx) i stället för standardmallen.",
)


@main.command(options_metavar="[FLAGGOR]")
@click.argument("workbooks", nargs=-1, type=_workbook_path, metavar="[ARBETSBOK|MAPP]...")
@click.option("-o", "--output", type=click.Path(),
              help="Word-filen som skrivs (standard: out/<namn>.docx); .pdf ger också PDF, mapp/ en mapp. "
                   "Med flera arbetsböcker: en mapp.")
@_template_option
@click.option("--pdf", is_flag=True, help="Skriv också en PDF (med LibreOffice) bredvid Word-filen.")
@_ics_option
@click.option("--watch", "-w", is_flag=True, help="Skapa planen på nytt varje gång arbetsboken sparas.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="ANTAL",
              help="Hur många planer som skapas samtidigt (standard: alla kärnor).")
@click.option("--jamfor", "compare_with", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="ÄLDRE.docx", help="Jämför med den här versionen i stället för med dokumentet som ersätts.")
def generate(
    workbooks: tuple[Path, ...], output: str | None, template: Path | None, pdf: bool, watch: bool,
    jobs: int | None, ics: str | None = None, compare_with: Path | None = None,
) -> None:
    """Skapa Word-dokumentet av en eller flera arbetsböcker.

    Utan argument blir data/aktivitetsplan.xlsx till out/aktivitetsplan.docx.
    Ges flera arbetsböcker eller en mapp skapas alla, samtidigt på alla kärnor.
    """
    from generator.batch import find_workbooks

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
    _generate_one(sources[0], output, template, pdf, ics, compare_with)


def _generate_one(workbook: Path, output: str | None, template: Path | None, pdf: bool,
                  ics: str | None = None, compare_with: Path | None = None) -> Result:
    from generator.pipeline import generate as generate_plan

    result = generate_plan(workbook, output, template, pdf=pdf, ics=ics, compare_with=compare_with)
    if result.warnings:
        _echo_findings(str(workbook), result.warnings)
    click.echo(f"Skrev {result.output}")
    if result.pdf is not None:
        click.echo(f"Skrev {result.pdf}")
    _echo_calendar(workbook, ics, result)
    click.echo(result.plan.summary())
    if result.version is not None and result.version.version > 1:  # a first version says nothing new
        _echo_version(result.version)
    return result


def _echo_version(version: Any) -> None:
    from generator.changes import Changes
    from generator.snapshot import version_text

    line = f"Version {version_text(version)}"
    if version.changes:
        line += f". {Changes.from_data(version.changes).terminal().splitlines()[0]}"
    click.echo(line)


def _generate_many(
    workbooks: Sequence[Path], output: str | None, template: Path | None, jobs: int | None, pdf: bool
) -> None:
    from generator.batch import generate_many
    from generator.paths import DEFAULT_OUTPUT_DIR, OUTPUT_SUFFIXES

    if not workbooks:
        raise click.UsageError("Inga arbetsböcker (.xlsx) hittades.")
    folder = Path(output) if output else DEFAULT_OUTPUT_DIR
    if (folder.exists() and not folder.is_dir()) or folder.suffix.lower() in OUTPUT_SUFFIXES:
        raise click.UsageError(f"Med flera arbetsböcker ska -o vara en mapp: {folder}")
    failed = 0
    outcomes = generate_many(workbooks, folder, template, jobs, pdf)
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
                also = f" och {outcome.pdf.name}" if outcome.pdf else ""
                click.echo(f"OK {outcome.workbook} → {outcome.output}{also} ({outcome.summary})")
    click.echo(f"{len(workbooks) - failed} av {len(workbooks)} planer skapades.")
    if failed:
        sys.exit(EXIT_FINDINGS)


def _watch(workbook: Path, output: str | None, template: Path | None, pdf: bool) -> None:
    from generator.watch import watch

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
        findings = result.findings
        _echo_findings(str(source), findings)
        found_errors = sum(1 for f in findings if f.is_error)
        errors += found_errors
        verdict = "inga fel" if not found_errors else f"{found_errors} fel"
        click.echo(f"{source}: {verdict}, {len(result.warnings)} varningar. {result.plan.summary()}.")
    if errors:
        sys.exit(EXIT_FINDINGS)


@main.command(options_metavar="[FLAGGOR]", short_help="Skapa en ny arbetsbok att fylla i.")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path), metavar="[SÖKVÄG]")
@click.option("--mall", "template_copy", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Skriv en kopia av standardmallen (.docx) att ändra i Word.")
@click.option("--force", "-f", is_flag=True, help="Skriv över en fil som redan finns.")
def init(path: Path | None, template_copy: Path | None, force: bool) -> None:
    """Skapa en ny arbetsbok att fylla i (standard: data/aktivitetsplan.xlsx).

    Med --mall FIL skrivs i stället en kopia av standardmallen att ändra i.
    """
    from generator.starter import write_init

    if path is None and template_copy is None:
        path = DEFAULT_WORKBOOK
    for written in write_init(path, template_copy, force):
        if written == template_copy:
            click.echo(f"Skrev {written}. Ändra den i Word och använd den med: "
                       f"aktivitetsplan generate --template {written}")
        else:
            click.echo(f"Skrev {written}. Fyll i den och kör: aktivitetsplan generate {written}")


@main.command(options_metavar="[FLAGGOR]")
@click.argument("workbook", required=False, type=click.Path(dir_okay=False, path_type=Path),
                default=DEFAULT_WORKBOOK, metavar="[ARBETSBOK]")
@click.option("-o", "--output", type=click.Path(),
              help="Word-filen som skrivs och bifogas (samma regler som för generate).")
@_template_option
@click.option("--pdf", is_flag=True, help="Bifoga också en PDF (gjord med LibreOffice).")
@_ics_option
@click.option("--to", "to", multiple=True, metavar="ADRESS",
              help="Skicka också till den här adressen (kan anges flera gånger).")
@click.option("--to-only", is_flag=True, help="Skicka bara till adresserna i --to, inte till Sändlistan.")
@click.option("--dry-run", is_flag=True, help="Visa vad som skulle skickas och till vem, utan att skicka.")
@click.option("--eml", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Skriv e-postmeddelandet som ett oskickat utkast (.eml) i stället för att skicka det.")
@_smtp_options
def send(
    workbook: Path, output: str | None, template: Path | None, pdf: bool, to: tuple[str, ...], to_only: bool,
    dry_run: bool, eml: Path | None, smtp_host: str | None, smtp_port: int | None, smtp_security: str,
    smtp_user: str | None, sender: str | None, smtp_timeout: float, smtp_cafile: str | None, ics: str | None = None,
) -> None:
    """Skapa planen och skicka den med e-post till Sändlistan.

    Mottagarna står på bladet Sändlista (Namn, E-post, Roll). Ämnet blir
    "Aktivitetsplan – <Kommun>, uppdaterad <datum>" och brevet sammanfattar
    planen och vad som är planerat den kommande månaden. Med --eml skrivs ett
    utkast som Outlook och Thunderbird öppnar färdigt att skicka.

    Överst i brevet står vad som ändrats sedan förra utskicket. Varje utskick
    sparas som det skickades i skickat/<datum-tid>/ bredvid Word-filen.
    """
    from generator.sending import send_plan

    if to_only and not to:
        raise click.UsageError("--to-only kräver minst en --to.")
    mode: Literal["send", "dry-run", "draft"] = "draft" if eml is not None else "dry-run" if dry_run else "send"
    settings = None
    if mode == "send" and smtp_host:
        settings = _smtp_settings(smtp_host, smtp_port, smtp_security, smtp_user, sender, smtp_timeout, smtp_cafile)
    outcome = send_plan(workbook, mode=mode, output=output, template=template, pdf=pdf, to=to, to_only=to_only,
                        settings=settings, sender=sender, draft_path=eml, ics=ics)
    result, message = outcome.result, outcome.message
    if result.warnings:
        _echo_findings(str(workbook), result.warnings)
    for written in (result.output, result.pdf):
        if written is not None:
            click.echo(f"Skrev {written}")
    if result.output is not None:
        _echo_calendar(workbook, ics, result)
    click.echo(result.plan.summary())
    if outcome.draft is not None:
        click.echo(f"Skrev utkastet {outcome.draft} till {', '.join(outcome.recipients)}. "
                   "Öppna det i ditt e-postprogram och skicka.")
        return
    if outcome.report is None:
        click.echo("Provkörning – inget skickas och inget skrivs.")
        click.echo(f"Till: {', '.join(outcome.recipients)}")
        click.echo(f"Ämne: {message['Subject']}")
        for part in message.iter_attachments():
            size = len(part.get_payload(decode=True) or b"")
            click.echo(f"Bilaga: {part.get_filename()} ({size // 1024 + 1} kB)")
        click.echo("")
        body = message.get_body(("plain",))
        click.echo(body.get_content() if isinstance(body, EmailMessage) else "")
        return
    report = outcome.report
    for address in report.accepted:
        click.echo(f"Skickat till {address}")
    for address, reason in report.refused.items():
        click.echo(f"INTE skickat till {address}: {reason}", err=True)
    if outcome.news:
        click.echo(f"Sedan förra utskicket: {outcome.news}")
    if outcome.archive is not None:
        click.echo(f"Arkiverat i {outcome.archive}")
    if report.refused:
        sys.exit(EXIT_FINDINGS)


def _smtp_settings(
    host: str, port: int | None, security: str, user: str | None, sender: str | None,
    timeout: float, cafile: str | None,
) -> SmtpSettings:
    """The settings as given; send_plan says what is missing. Only the password prompt lives here."""
    from generator.mail import SmtpSettings

    sender = sender or (user if user and "@" in user else None) or ""
    password = os.environ.get("AKTIVITETSPLAN_SMTP_PASSWORD")
    if user and password is None and sys.stdin.isatty():
        password = click.prompt(f"Lösenord för {user} på {host}", hide_input=True)
    return SmtpSettings(host=host, sender=sender, port=port, security=security, user=user, password=password,
                        timeout=timeout, cafile=cafile)


@main.command("import", options_metavar="[FLAGGOR]", short_help="Gör en arbetsbok av en befintlig plan i Word.")
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path), metavar="PLAN.docx")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="ARBETSBOK.xlsx",
              help="Arbetsboken som skrivs (standard: bredvid dokumentet, samma namn med .xlsx).")
@click.option("--force", "-f", is_flag=True, help="Skriv över en arbetsbok som redan finns.")
def import_(document: Path, output: Path | None, force: bool) -> None:
    """Gör en arbetsbok av en aktivitetsplan i Word (.docx).

    Titelsida, rubriker med text och aktivitetstabellen förs över till en
    arbetsbok i samma format som "aktivitetsplan init" skapar. Röda rader blir
    Klar = Ja. Mallens instruktionstext lämnas utanför. Allt som var osäkert
    visas med stycke eller tabellcell, så att du kan kontrollera det.
    """
    from generator.importing import import_document

    target, report = import_document(document, output, force)
    for line in report.lines():
        click.echo(line)
    click.echo(f"Skrev {target}. Kontrollera den och kör: aktivitetsplan generate {target}")
@main.command(options_metavar="[FLAGGOR]")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADRESS",
              help="Adressen servern lyssnar på. Annat än 127.0.0.1, ::1 eller localhost kräver "
                   "lösenord i miljövariabeln AKTIVITETSPLAN_WEB_PASSWORD.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Porten.")
@click.option("--no-browser", is_flag=True, help="Öppna inte webbläsaren.")
def serve(host: str, port: int, no_browser: bool) -> None:
    """Starta webbsidan: välj arbetsboken i webbläsaren och ladda ner planen.

    Sidan har också ett API för skript (POST /api/generate och /api/check).
    Avsluta med Ctrl+C.
    """
    from generator.web.server import run

    run(host, port, open_browser=sys.stdout.isatty() and not no_browser, announce=click.echo)
    click.echo("Servern stoppad.")


@main.command(options_metavar="[FLAGGOR]", short_help="Påminn varje ansvarig om sina aktiviteter.")
@click.argument("workbook", required=False, type=click.Path(dir_okay=False, path_type=Path),
                default=DEFAULT_WORKBOOK, metavar="[ARBETSBOK]")
@click.option("--dagar", "days", type=click.IntRange(0, 366), default=14, show_default=True, metavar="DAGAR",
              help="Påminn om aktiviteter som börjar inom så många dagar.")
@click.option("--datum", "today", type=click.DateTime(["%Y-%m-%d"]), metavar="ÅÅÅÅ-MM-DD",
              help="Räkna från den här dagen i stället för i dag.")
@click.option("--dry-run", is_flag=True, help="Visa breven och till vem, utan att skicka.")
@click.option("--eml", type=click.Path(file_okay=False, path_type=Path), metavar="MAPP",
              help="Skriv ett oskickat utkast (.eml) per ansvarig i mappen i stället för att skicka.")
@_smtp_options
def paminn(
    workbook: Path, days: int, today: Any, dry_run: bool, eml: Path | None, smtp_host: str | None,
    smtp_port: int | None, smtp_security: str, smtp_user: str | None, sender: str | None, smtp_timeout: float,
    smtp_cafile: str | None,
) -> None:
    """Skicka en påminnelse till varje ansvarig om deras aktiviteter.

    Varje namn i kolumnen Ansvarig söks i Sändlistans Namn (eller är en
    e-postadress). Var och en får ett brev med sina aktiviteter som börjar
    inom --dagar dagar och de som är försenade (tiden har gått ut men de är
    inte klara). Ansvariga som inte finns i Sändlistan visas som varningar.
    """
    from generator.reminders import remind

    mode: Literal["send", "dry-run", "draft"] = "draft" if eml is not None else "dry-run" if dry_run else "send"
    settings = None
    if mode == "send" and smtp_host:
        settings = _smtp_settings(smtp_host, smtp_port, smtp_security, smtp_user, sender, smtp_timeout, smtp_cafile)
    outcome = remind(workbook, mode=mode, days=days, today=today.date() if today else None, settings=settings,
                     sender=sender, draft_folder=eml)
    if outcome.warnings:
        _echo_findings(str(workbook), outcome.warnings)
    if not outcome.reminders:
        click.echo(f"Ingen att påminna: inga aktiviteter börjar inom {days} dagar eller är försenade.")
        return
    for reminder, draft in zip(outcome.reminders, outcome.drafts):
        click.echo(f"Skrev utkastet {draft} till {reminder.address}")
    if mode == "dry-run":
        click.echo("Provkörning – inget skickas och inget skrivs.")
        for reminder in outcome.reminders:
            body = reminder.message.get_body(("plain",))
            click.echo(f"\nTill: {reminder.address}\nÄmne: {reminder.message['Subject']}\n")
            click.echo(body.get_content() if isinstance(body, EmailMessage) else "")
    for address in outcome.sent:
        click.echo(f"Skickat till {address}")
    for address, reason in outcome.refused.items():
        click.echo(f"INTE skickat till {address}: {reason}", err=True)
    if outcome.refused:
        sys.exit(EXIT_FINDINGS)


@main.command(options_metavar="[FLAGGOR]")
@click.argument("before", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="ÄLDRE")
@click.argument("after", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="NYARE")
def diff(before: Path, after: Path) -> None:
    """Visa vad som ändrats mellan två versioner av en plan.

    Var och en kan vara ett Word-dokument som aktivitetsplan gjort (.docx) eller
    en arbetsbok (.xlsx). Visar nya, borttagna, ändrade och nyss klara aktiviteter.
    """
    from generator.changes import compare_files

    click.echo(compare_files(before, after).terminal(f"Ändringar från {before.name} till {after.name}"))
