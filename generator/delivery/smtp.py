"""The mail server: its settings (from flags and the environment, by one rule), and sending, its errors in Swedish."""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage

from generator.delivery.mail import envelope_address
from generator.plan.errors import MailError, os_reason

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
SECURITY = tuple(DEFAULT_PORTS)
PREFIX = "AKTIVITETSPLAN_SMTP_"
PASSWORD_VARIABLE = PREFIX + "PASSWORD"


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

    def with_password(self, password: str) -> SmtpSettings:
        """The same settings with the password asked for (never kept in a file)."""
        return replace(self, password=password)


@dataclass(frozen=True)
class SendReport:
    """Which recipients the server accepted, and why the others were not sent to."""

    accepted: tuple[str, ...]
    refused: dict[str, str]


def _sender_address(sender: str | None, user: str | None) -> str:
    """Who the mail is from: the sender given, else the user name when it is an address, else ""."""
    return (sender or "").strip() or (user.strip() if user and "@" in user else "")


def _setting(given: Mapping[str, object], env: Mapping[str, str], key: str) -> tuple[str, str]:
    """One setting as given (a flag), else from the environment; with where it came from, for messages."""
    chosen = given.get(key)
    if chosen is not None and str(chosen).strip():
        return str(chosen).strip(), "--from" if key == "sender" else f"--smtp-{key}"
    variable = PREFIX + ("FROM" if key == "sender" else key.upper())
    return env.get(variable, "").strip(), variable


def mail_sender(given: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The sender by the one rule: --from or AKTIVITETSPLAN_SMTP_FROM, else the user name when it is an address."""
    env = os.environ if environ is None else environ
    return _sender_address(_setting(given or {}, env, "sender")[0], _setting(given or {}, env, "user")[0])


def smtp_settings(given: Mapping[str, object] | None = None,
                  environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """The SMTP settings: each one as given (the command line's flags), else from the environment.

    The keys of given are host, port, security, user, sender, timeout and cafile; a missing or
    None value is read from AKTIVITETSPLAN_SMTP_<KEY> (FROM for the sender). The password only
    ever comes from AKTIVITETSPLAN_SMTP_PASSWORD (or the command line's prompt). None without a
    host; incomplete settings are returned as they are, and complete_settings names what is missing.
    """
    given = given or {}
    env = os.environ if environ is None else environ
    host, _ = _setting(given, env, "host")
    if not host:
        return None
    security, where = _setting(given, env, "security")
    security = security or "starttls"
    if security not in DEFAULT_PORTS:
        raise MailError(where, f'"{security}" ska vara starttls, ssl eller none')
    port_text, where = _setting(given, env, "port")
    if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise MailError(where, f'"{port_text}" är ingen port (1–65535)')
    timeout = given.get("timeout")
    return SmtpSettings(
        host=host, sender=mail_sender(given, env), port=int(port_text) if port_text else None, security=security,
        user=_setting(given, env, "user")[0] or None, password=env.get(PASSWORD_VARIABLE),
        timeout=float(timeout) if isinstance(timeout, (int, float)) else 30.0,
        cafile=_setting(given, env, "cafile")[0] or None,
    )


def complete_settings(settings: SmtpSettings | None) -> SmtpSettings:
    """The settings, or MailError naming what is missing before anything is written or sent."""
    if settings is None or not settings.host.strip():
        raise MailError("send", "ingen e-postserver angiven. Ange --smtp-host eller miljövariabeln "
                                f"{PREFIX}HOST, eller skriv ett utkast med --eml.")
    if not settings.sender.strip():
        raise MailError("send", f"ingen avsändare angiven. Ange --from eller miljövariabeln {PREFIX}FROM.")
    if envelope_address(settings.sender) is None:
        raise MailError("--from", f'"{settings.sender}" är ingen giltig e-postadress')
    if settings.user and settings.password is None:
        raise MailError("send", f"lösenord saknas för {settings.user}. Sätt miljövariabeln "
                                f"{PASSWORD_VARIABLE} eller kör kommandot i en terminal, så frågar det.")
    return settings


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
    except ssl.SSLError as exc:
        raise MailError(settings.cafile or place, f"certifikatfilen kan inte läsas ({exc})") from None
    except OSError as exc:
        raise MailError(settings.cafile or place, f"certifikatfilen kan inte läsas ({os_reason(exc)})") from None
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
