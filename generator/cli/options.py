"""Options several commands share, each said once: the template, the calendar, and the mail server's settings."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import click

from generator.cli.texts import number, whole_number

if TYPE_CHECKING:  # typing only: the mail server's code loads when a command mails
    from generator.delivery.smtp import SmtpSettings

PREFIX = "AKTIVITETSPLAN_SMTP_"  # the environment's names for the settings, as delivery.smtp reads them

Mode = Literal["send", "dry-run", "draft"]


def file_path(**options: Any) -> click.Path:
    """A path as the commands take it: the program reads it and says in Swedish why it cannot (behörighet saknas …);
    Click's own check would answer an unreadable file with a usage error and status 2."""
    return click.Path(readable=False, **options)


template_option = click.option(
    "--template", "-t", "template", type=file_path(dir_okay=False, path_type=Path), metavar="FIL",
    help="Egen Word-mall (.docx) i stället för standardmallen.",
)
ics_option = click.option(
    "--ics", "ics", type=file_path(), metavar="FIL",
    help="Skriv också aktiviteterna som kalender (.ics) att importera i Outlook eller Thunderbird.",
)

# The flags of the mail server, by the key delivery.smtp.smtp_settings reads them with.
_SMTP_OPTIONS = {
    "host": click.option("--smtp-host", "host", metavar="SERVER", help=f"E-postserver (miljövariabel {PREFIX}HOST)."),
    "port": click.option("--smtp-port", "port", type=whole_number(1, 65535), metavar="PORT",
                         help=f"Port (standard 587 med starttls, 465 med ssl, 25 utan). Miljövariabel {PREFIX}PORT."),
    "security": click.option("--smtp-security", "security", type=click.Choice(["starttls", "ssl", "none"]),
                             help=f"Kryptering (standard starttls; miljövariabel {PREFIX}SECURITY)."),
    "user": click.option("--smtp-user", "user", metavar="ANVÄNDARE",
                         help=f"Användarnamn (miljövariabel {PREFIX}USER). Lösenordet läses bara från "
                              f"{PREFIX}PASSWORD eller frågas efter."),
    "sender": click.option("--from", "sender", metavar="ADRESS",
                           help=f"Avsändare (miljövariabel {PREFIX}FROM; standard: användarnamnet)."),
    "timeout": click.option("--smtp-timeout", "timeout", type=number(1), default=30, show_default=True,
                            metavar="SEKUNDER", help="Hur länge servern får dröja med svar."),
    "cafile": click.option("--smtp-cafile", "cafile", type=file_path(dir_okay=False), metavar="FIL",
                           help="Egna rotcertifikat (PEM) för serverns TLS-certifikat "
                                f"(miljövariabel {PREFIX}CAFILE)."),
}


def _smtp_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The mail server's flags, handed to the command as one mapping: smtp={"host": …, "port": …}."""
    @functools.wraps(command)
    def with_settings(*args: Any, **kwargs: Any) -> Any:
        given = {key: kwargs.pop(key) for key in _SMTP_OPTIONS}
        return command(*args, smtp=given, **kwargs)

    for option in reversed(_SMTP_OPTIONS.values()):
        with_settings = option(with_settings)
    return with_settings


def _mode_of(dry_run: bool, eml: Path | None) -> Mode:
    """What a mailing command does: write drafts (--eml), only show (--dry-run), or send."""
    return "draft" if eml is not None else "dry-run" if dry_run else "send"


def _mail_settings(mode: Mode, given: dict[str, Any]) -> tuple[SmtpSettings | None, str]:
    """The server's settings for a send (flags, else the environment: one rule), and the sender for any mode.

    Only here does the command line ask for a password, when it runs in a terminal.
    """
    from generator.delivery.smtp import mail_sender, smtp_settings  # deferred: only commands that mail

    sender = mail_sender(given)
    if mode != "send":
        return None, sender
    settings = smtp_settings(given)
    if settings is not None and settings.user and settings.password is None and sys.stdin.isatty():
        password = click.prompt(f"Lösenord för {settings.user} på {settings.host}", hide_input=True)
        settings = settings.with_password(password)
    return settings, sender
