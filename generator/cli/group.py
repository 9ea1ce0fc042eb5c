"""The command line's group: aktivitetsplan and its commands, each a thin face over the flows."""

from __future__ import annotations

import sys

import click

from generator import __version__
from generator.cli import texts
from generator.cli.mailing import paminn, send
from generator.cli.plans import check, diff, generate, import_, init
from generator.cli.report import PlanGroup

texts.translate_click()  # Click's own messages in Swedish, before any is produced


@click.group(cls=PlanGroup, context_settings={"help_option_names": ["-h", "--help"]},
             options_metavar="[FLAGGOR]", subcommand_metavar="KOMMANDO [ARGUMENT]...")
@click.version_option(__version__, "--version", prog_name="aktivitetsplan", message="%(prog)s %(version)s")
def main() -> None:
    """Gör en aktivitetsplan i Word av en Excel-arbetsbok.

    Arbetsboken har bladen Plan, Avsnitt och Aktiviteter. Börja med
    "aktivitetsplan init", fyll i arbetsboken och kör "aktivitetsplan generate".
    """


@click.command(options_metavar="[FLAGGOR]", short_help="Starta webbsidan: skapa planen i webbläsaren.")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADRESS",
              help="Adressen servern lyssnar på. Annat än 127.0.0.1, ::1 eller localhost kräver "
                   "lösenord i miljövariabeln AKTIVITETSPLAN_WEB_PASSWORD.")
@click.option("--port", default=8000, show_default=True, type=texts.whole_number(1, 65535), metavar="PORT",
              help="Porten.")
@click.option("--no-browser", is_flag=True, help="Öppna inte webbläsaren.")
def serve(host: str, port: int, no_browser: bool) -> None:
    """Starta webbsidan: välj arbetsboken i webbläsaren och ladda ner planen.

    Sidan har också ett API för skript (POST /api/generate och /api/check).
    Avsluta med Ctrl+C.
    """
    from generator.web.server import run  # deferred: the web server loads only for serve

    run(host, port, open_browser=sys.stdout.isatty() and not no_browser, announce=click.echo)
    click.echo("Servern stoppad.")


for _command in (init, check, generate, send, import_, diff, paminn, serve):
    main.add_command(_command)


def run() -> None:
    """The program: aktivitetsplan as installed and python -m generator (tests invoke main itself)."""
    main.whole_process = True
    main()
