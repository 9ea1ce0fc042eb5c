"""E-mail the plan: the message, what is planned for the coming month, SMTP and drafts."""

from __future__ import annotations

import datetime as dt
import email.policy
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from generator.context import plan_title
from generator.errors import MailError
from generator.model import Activity, Plan
from generator.output import write_atomically
from generator.plandates import activity_period
from generator.values import long_date

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
PDF_TYPE = ("application", "pdf")
ICS_TYPE = ("text", "calendar")  # sent with method=PUBLISH, as the calendar's METHOD says
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail server; the password never comes from a file."""

    host: str
    sender: str
    port: int | None = None
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    cafile: str | None = None

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]


@dataclass(frozen=True)
class SendReport:
    """Which recipients the server accepted, and why the others were not sent to."""

    accepted: tuple[str, ...]
    refused: dict[str, str]


def envelope_address(address: str) -> str | None:
    """The address as sent: its domain in IDNA (xn--…) form; None when it is no valid address.

    A local part with letters beyond ASCII stays as it is and needs a server with SMTPUTF8.
    """
    from email_validator import EmailNotValidError, validate_email

    try:
        valid = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError:
        return None
    return f"{valid.local_part}@{valid.ascii_domain}"


def one_line(text: str) -> str:
    """Text fit for a header: line breaks and runs of white space folded to one space."""
    return " ".join(text.split())


def upcoming(plan: Plan, today: dt.date, days: int = 31) -> list[Activity]:
    """Activities not yet done whose period starts or ends within the coming month.

    Tid is read as a period (generator/periods.py; a missing year is the plan's year): "Mars 2019",
    "v. 12–14 2019", a date cell. A long period (a season, "Höst 2018 – pågående") counts the
    month it starts and the month it ends, not every month in between.
    """
    end = today + dt.timedelta(days=days)
    found = []
    for activity in plan.activities:
        if activity.done:
            continue
        period = activity_period(activity, plan, today)
        if period is not None and any(d is not None and today <= d <= end for d in (period.start, period.end)):
            found.append(activity)
    return found


def subject(plan: Plan, today: dt.date) -> str:
    return one_line(f"Aktivitetsplan – {plan.municipality.text}, uppdaterad {long_date(today)}")


def body(plan: Plan, today: dt.date, with_pdf: bool, with_calendar: bool = False, news: str = "") -> str:
    """The letter; news (what changed since the last send) comes first when given."""
    project = plan.project.text.strip()
    about = f" för {project}" if project else ""
    done, total = plan.done_count, len(plan.activities)
    lines = [
        "Hej!",
        "",
        *([news, ""] if news else []),
        f"Här kommer den uppdaterade aktivitetsplanen{about} i {plan.municipality.text.strip()} "
        f"({plan_title(plan)}).",
        "",
        f"Planen har {total} {'aktivitet' if total == 1 else 'aktiviteter'}, varav {done} "
        f"{'är klar' if done == 1 else 'är klara'}.",
        "",
    ]
    coming = upcoming(plan, today)
    if coming:
        lines.append("Planerat den kommande månaden:")
        for activity in coming:
            details = ", ".join(v.text.strip() for v in (activity.time, activity.responsible) if v)
            text = " ".join(activity.activity.text.split())
            lines.append(f"- {text}" + (f" ({details})" if details else ""))
    else:
        lines.append("Inga aktiviteter är planerade den kommande månaden.")
    attachments = "som Word-dokument och PDF" if with_pdf else "som Word-dokument"
    lines += ["", f"Planen finns {attachments} i bilagan."]
    if with_calendar:
        lines.append("Aktiviteterna finns också som kalender (.ics) att öppna i Outlook eller Thunderbird.")
    lines += ["", "Vänliga hälsningar", ""]
    return "\n".join(lines)


def new_message(subject_text: str, recipients: Sequence[str], sender: str | None, draft: bool) -> EmailMessage:
    """A message with its headers set (addresses with their domain in IDNA form), without content."""
    message = EmailMessage()
    message["Subject"] = one_line(subject_text)
    if sender:
        message["From"] = envelope_address(sender) or one_line(sender)
    message["To"] = ", ".join(envelope_address(r) or one_line(r) for r in recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="aktivitetsplan.local")
    if draft:
        message["X-Unsent"] = "1"  # Outlook and Thunderbird open it as a draft, ready to send
    return message


def compose(
    plan: Plan,
    recipients: Sequence[str],
    attachments: Sequence[Path],
    today: dt.date,
    sender: str | None = None,
    draft: bool = False,
    news: str = "",
) -> EmailMessage:
    """The message: subject, Swedish body with the summary (news first), and the files attached."""
    message = new_message(subject(plan, today), recipients, sender, draft)
    message.set_content(body(plan, today, any(p.suffix == ".pdf" for p in attachments),
                             any(p.suffix == ".ics" for p in attachments), news))
    for path in attachments:
        if path.suffix.lower() == ".ics":
            message.add_attachment(path.read_bytes(), maintype=ICS_TYPE[0], subtype=ICS_TYPE[1],
                                   params={"method": "PUBLISH", "charset": "utf-8"}, filename=one_line(path.name))
            continue
        maintype, subtype = PDF_TYPE if path.suffix.lower() == ".pdf" else DOCX_TYPE
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=one_line(path.name))
    return message


def write_draft(message: EmailMessage, target: Path) -> Path:
    """Write the message as an unsent .eml draft (in UTF-8 only where an address needs it)."""
    international = not "".join(str(message[h] or "") for h in ("From", "To")).isascii()
    data = message.as_bytes(policy=email.policy.default.clone(utf8=True)) if international else bytes(message)
    write_atomically(target, lambda temp: temp.write_bytes(data))
    return target


def send(
    message: EmailMessage, settings: SmtpSettings, recipients: Sequence[str], places: Mapping[str, str] | None = None,
) -> SendReport:
    """Send message to recipients; MailError when nothing could be sent at all.

    A recipient counts as sent only when the server accepted it. Domains go in IDNA form;
    places maps an address to where it came from (Sändlista!B4), for messages about it.
    """
    recipients = [envelope_address(r) or r for r in recipients]
    sender = envelope_address(settings.sender) or settings.sender
    place = f"{settings.host}:{settings.effective_port}"
    if settings.user and settings.security == "none":
        raise MailError(place, "lösenordet skulle skickas okrypterat; använd --smtp-security starttls eller ssl "
                               "för att logga in")
    try:
        context = ssl.create_default_context(cafile=settings.cafile)
    except (OSError, ssl.SSLError) as exc:
        raise MailError(settings.cafile or place, f"certifikatfilen kan inte läsas ({exc})") from None
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.effective_port, timeout=settings.timeout, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.effective_port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.ehlo()
                if not client.has_extn("starttls"):
                    raise MailError(place, "e-postservern erbjuder inte STARTTLS; välj --smtp-security ssl "
                                           "eller none om servern ska nås så")
                client.starttls(context=context)
                client.ehlo()
            if settings.user:
                client.login(settings.user, settings.password or "")
            refused = client.send_message(message, from_addr=sender, to_addrs=list(recipients))
    except MailError:
        raise
    except smtplib.SMTPNotSupportedError:
        wide = [a for a in (sender, *recipients) if not a.isascii()]
        where = (places or {}).get(wide[0], wide[0]) if wide else place
        raise MailError(where, f"e-postservern {place} tar inte emot adresser med tecken som å, ä, ö före @ "
                               f"(SMTPUTF8 saknas): {', '.join(wide)}. Inget skickades; ändra adressen eller "
                               "skicka till den från ditt e-postprogram.") from None
    except smtplib.SMTPRecipientsRefused as exc:
        return SendReport((), {r: _reply(code, text) for r, (code, text) in exc.recipients.items()})
    except smtplib.SMTPAuthenticationError as exc:
        reply = _reply(exc.smtp_code, exc.smtp_error)
        raise MailError(place, f"inloggningen misslyckades för {settings.user} ({reply})") from None
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(place, f"servern tog inte emot avsändaren {settings.sender} "
                               f"({_reply(exc.smtp_code, exc.smtp_error)})") from None
    except smtplib.SMTPServerDisconnected as exc:
        if "timed out" in str(exc):  # smtplib reports a read time-out as a disconnection
            raise MailError(place, f"e-postservern svarade inte inom {settings.timeout:g} sekunder; "
                                   "inget skickades") from None
        raise MailError(place, "e-postservern stängde anslutningen; inget skickades") from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(place, f"e-postservern svarade med ett fel ({_reply(exc.smtp_code, exc.smtp_error)}); "
                               "inget skickades") from None
    except ssl.SSLError as exc:
        raise MailError(place, f"säker anslutning (TLS) misslyckades: {exc.reason or exc}; inget skickades") \
            from None
    except TimeoutError:
        raise MailError(place, f"e-postservern svarade inte inom {settings.timeout:g} sekunder; inget skickades") \
            from None
    except ConnectionRefusedError:
        raise MailError(place, "kunde inte ansluta till e-postservern (anslutningen nekades); inget skickades") \
            from None
    except socket.gaierror:
        raise MailError(place, f"hittar ingen e-postserver som heter {settings.host}; inget skickades") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(place, f"e-posten kunde inte skickas ({exc}); inget skickades") from None
    accepted = tuple(r for r in recipients if r not in refused)
    return SendReport(accepted, {r: _reply(code, text) for r, (code, text) in refused.items()})


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()
