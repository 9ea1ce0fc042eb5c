"""Check and render a workbook that arrived without its folder (uploaded): the logo comes separately."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from generator.checks import check_plan, check_recipients
from generator.errors import FindingsError
from generator.model import EMPTY, Finding, Plan, Severity, Value
from generator.pipeline import Result

if TYPE_CHECKING:
    from generator.mail import SendReport, SmtpSettings


def _with_logo(plan: Plan, logo: Path | None) -> tuple[Plan, tuple[Finding, ...]]:
    """The plan pointing at the uploaded logo, or without one (and a warning) when none came."""
    if not plan.logo:
        return plan, ()
    if logo is None:
        warning = Finding(plan.logo.cell, f"logotypen ({plan.logo.text.strip()}) skickades inte med och "
                                          "utelämnas; välj bildfilen under Logotyp", Severity.WARNING)
        return dataclasses.replace(plan, logo=EMPTY), (warning,)
    if logo.parent.resolve() != Path(plan.base_dir).resolve():
        raise ValueError("the logo must lie in the workbook's folder")
    return dataclasses.replace(plan, logo=Value(logo.name, plan.logo.cell)), ()


def check_upload(workbook: Path, logo: Path | None = None) -> tuple[Result, tuple[Finding, ...]]:
    """The Result as generate would judge it, and the findings `check` shows (Sändlista's too).

    Raises WorkbookError when the file cannot be read at all.
    """
    from generator.workbook import read_workbook

    plan, logo_findings = _with_logo(read_workbook(workbook), logo)
    findings = check_plan(plan) + logo_findings
    return Result(plan, findings), findings + check_recipients(plan)


def render_checked(result: Result, output: Path, template: Path | None = None,
                   today: dt.date | None = None) -> Result:
    """Render a checked upload into output; FindingsError (nothing written) when it has errors."""
    from generator.render import DEFAULT_TEMPLATE, render_document

    if result.errors:
        raise FindingsError(result.plan.source, result.findings)
    render_document(result.plan, template or DEFAULT_TEMPLATE, output, today)
    return dataclasses.replace(result, output=output)


def generate_upload(workbook: Path, output: Path, template: Path | None = None, logo: Path | None = None,
                    today: dt.date | None = None) -> Result:
    """pipeline.generate for an uploaded workbook whose logo (if any) was uploaded beside it."""
    return render_checked(check_upload(workbook, logo)[0], output, template, today)


SMTP_PREFIX = "AKTIVITETSPLAN_SMTP_"


def smtp_settings_from_environment(environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """The server's SMTP settings from the same environment variables `send` reads; None without a host.

    Incomplete settings are returned as they are: sending.complete_settings names what is missing.
    """
    from generator.errors import MailError
    from generator.mail import DEFAULT_PORTS, SmtpSettings

    env = os.environ if environ is None else environ
    host = env.get(SMTP_PREFIX + "HOST", "").strip()
    if not host:
        return None
    user = env.get(SMTP_PREFIX + "USER") or None
    sender = env.get(SMTP_PREFIX + "FROM") or (user if user and "@" in user else "")
    security = env.get(SMTP_PREFIX + "SECURITY") or "starttls"
    if security not in DEFAULT_PORTS:
        raise MailError(SMTP_PREFIX + "SECURITY", f'"{security}" ska vara starttls, ssl eller none')
    port_text = env.get(SMTP_PREFIX + "PORT") or ""
    if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise MailError(SMTP_PREFIX + "PORT", f'"{port_text}" är ingen port (1–65535)')
    return SmtpSettings(host=host, sender=sender, port=int(port_text) if port_text else None, security=security,
                        user=user, password=env.get(SMTP_PREFIX + "PASSWORD"), cafile=env.get(SMTP_PREFIX + "CAFILE"))


@dataclass(frozen=True)
class Letter:
    """The e-mail for a rendered upload: to whom (Sändlista), the message and its plain text."""

    recipients: tuple[str, ...]
    message: EmailMessage
    text: str


def letter(plan: Plan, attachments: Sequence[Path], today: dt.date | None = None, sender: str | None = None,
           draft: bool = False, names: Mapping[str, str] | None = None) -> Letter:
    """The letter send would mail for this plan, to Sändlista; FindingsError/MailError as send gives them.

    An upload arrives without its folder, so the document already rendered is attached
    instead of send_plan reading the workbook and its logo again from disk.
    """
    from generator import mail
    from generator.sending import recipients_for

    today = today or dt.date.today()
    addresses = tuple(r.address for r in recipients_for(plan))
    message = mail.compose(plan, addresses, attachments, today, sender, draft=draft)
    for part in message.iter_attachments():  # the names the user knows, not the server's file names
        shown = (names or {}).get(part.get_filename() or "")
        if shown:
            part.set_param("filename", shown, header="content-disposition")
    return Letter(addresses, message, mail.body(plan, today, any(p.suffix == ".pdf" for p in attachments)))


def send_letter(plan: Plan, attachments: Sequence[Path], settings: SmtpSettings | None,
                today: dt.date | None = None, names: Mapping[str, str] | None = None) -> tuple[Letter, SendReport]:
    """Mail the plan to Sändlista with the server's settings; MailError when they are incomplete."""
    from generator import mail
    from generator.sending import complete_settings, recipients_for

    settings = complete_settings(settings)
    composed = letter(plan, attachments, today, settings.sender, names=names)
    places = {r.address: r.place for r in recipients_for(plan)}
    return composed, mail.send(composed.message, settings, composed.recipients, places)
