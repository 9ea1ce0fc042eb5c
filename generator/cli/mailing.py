"""The commands that mail: send (the plan to Sändlista) and paminn (each owner their activities)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from generator.cli.options import _mail_settings, _mode_of, _smtp_options, file_path, ics_option, template_option
from generator.cli.plans import echo_calendar
from generator.cli.report import EXIT_FINDINGS, _echo_findings
from generator.cli.texts import whole_number
from generator.files.paths import DEFAULT_WORKBOOK


@click.command(options_metavar="[FLAGGOR]")
@click.argument("workbook", required=False, type=file_path(dir_okay=False, path_type=Path),
                default=DEFAULT_WORKBOOK, metavar="[ARBETSBOK]")
@click.option("-o", "--output", type=file_path(), metavar="FIL|MAPP",
              help="Word-filen som skrivs och bifogas (samma regler som för generate).")
@template_option
@click.option("--pdf", is_flag=True, help="Bifoga också en PDF (gjord med LibreOffice).")
@ics_option
@click.option("--to", "to", multiple=True, metavar="ADRESS",
              help="Skicka också till den här adressen (kan anges flera gånger).")
@click.option("--to-only", is_flag=True, help="Skicka bara till adresserna i --to, inte till Sändlistan.")
@click.option("--dry-run", is_flag=True, help="Visa vad som skulle skickas och till vem, utan att skicka.")
@click.option("--eml", type=file_path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Skriv e-postmeddelandet som ett oskickat utkast (.eml) i stället för att skicka det.")
@_smtp_options
def send(
    workbook: Path, output: str | None, template: Path | None, pdf: bool, to: tuple[str, ...], to_only: bool,
    dry_run: bool, eml: Path | None, smtp: dict[str, Any], ics: str | None = None,
) -> None:
    """Skapa planen och skicka den med e-post till Sändlistan.

    Mottagarna står på bladet Sändlista (Namn, E-post, Roll). Ämnet blir
    "Aktivitetsplan – <Kommun>, uppdaterad <datum>" och brevet sammanfattar
    planen och vad som är planerat den kommande månaden. Med --eml skrivs ett
    utkast som Outlook och Thunderbird öppnar färdigt att skicka.

    Överst i brevet står vad som ändrats sedan förra utskicket. Varje utskick
    sparas som det skickades i skickat/<datum-tid>/ bredvid Word-filen.
    """
    if to_only and not to:
        raise click.UsageError("--to-only kräver minst en --to.")
    mode = _mode_of(dry_run, eml)
    settings, sender = _mail_settings(mode, smtp)
    from generator.flows.sending import send_plan  # deferred: a command loads only what it runs

    outcome = send_plan(workbook, mode=mode, output=output, template=template, pdf=pdf, to=to, to_only=to_only,
                        settings=settings, sender=sender, draft_path=eml, ics=ics)
    result, message = outcome.result, outcome.message
    if result.warnings:
        _echo_findings(str(workbook), result.warnings)
    for written in (result.output, result.pdf):
        if written is not None:
            click.echo(f"Skrev {written}")
    if result.output is not None:
        echo_calendar(result)
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
        click.echo(_plain_text(message))
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


@click.command(options_metavar="[FLAGGOR]", short_help="Påminn varje ansvarig om sina aktiviteter.")
@click.argument("workbook", required=False, type=file_path(dir_okay=False, path_type=Path),
                default=DEFAULT_WORKBOOK, metavar="[ARBETSBOK]")
@click.option("--dagar", "days", type=whole_number(0, 366), default=14, show_default=True, metavar="DAGAR",
              help="Påminn om aktiviteter som börjar inom så många dagar.")
@click.option("--datum", "today", type=click.DateTime(["%Y-%m-%d"]), metavar="ÅÅÅÅ-MM-DD",
              help="Räkna från den här dagen i stället för i dag.")
@click.option("--dry-run", is_flag=True, help="Visa breven och till vem, utan att skicka.")
@click.option("--eml", type=file_path(file_okay=False, path_type=Path), metavar="MAPP",
              help="Skriv ett oskickat utkast (.eml) per ansvarig i mappen i stället för att skicka.")
@_smtp_options
def paminn(
    workbook: Path, days: int, today: Any, dry_run: bool, eml: Path | None, smtp: dict[str, Any],
) -> None:
    """Skicka en påminnelse till varje ansvarig om deras aktiviteter.

    Varje namn i kolumnen Ansvarig söks i Sändlistans Namn (eller är en
    e-postadress). Var och en får ett brev med sina aktiviteter som börjar
    inom --dagar dagar och de som är försenade (tiden har gått ut men de är
    inte klara). Ansvariga som inte finns i Sändlistan visas som varningar.
    """
    mode = _mode_of(dry_run, eml)
    settings, sender = _mail_settings(mode, smtp)
    from generator.flows.reminding import remind  # deferred: a command loads only what it runs

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
            click.echo(f"\nTill: {reminder.address}\nÄmne: {reminder.message['Subject']}\n")
            click.echo(_plain_text(reminder.message))
    for address in outcome.sent:
        click.echo(f"Skickat till {address}")
    for address, reason in outcome.refused.items():
        click.echo(f"INTE skickat till {address}: {reason}", err=True)
    if outcome.refused:
        sys.exit(EXIT_FINDINGS)




def _plain_text(message: Any) -> str:
    """A message's plain-text body as a dry run shows it, or "" without one."""
    from email.message import EmailMessage  # deferred: only a dry run shows a message

    body = message.get_body(("plain",))
    return body.get_content() if isinstance(body, EmailMessage) else ""
