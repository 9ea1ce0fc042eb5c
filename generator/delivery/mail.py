"""The letter that carries the plan: its subject, its text with the coming month, its attachments, drafts."""

from __future__ import annotations

import datetime as dt
import email.policy
from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from generator.files.output import write_atomically
from generator.plan.addresses import read_address
from generator.plan.dates import activity_period
from generator.plan.model import Activity, Plan
from generator.plan.values import long_date
from generator.template.context import plan_title

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
PDF_TYPE = ("application", "pdf")
ICS_TYPE = ("text", "calendar")  # sent with method=PUBLISH, as the calendar's METHOD says


def envelope_address(address: str) -> str | None:
    """The address as sent: its domain in IDNA (xn--…) form; None when it is no valid address.

    Read as everywhere (plan.addresses.read_address): "Namn <adress>" gives the address in it.
    A local part with letters beyond ASCII stays as it is and needs a server with SMTPUTF8.
    """
    found = read_address(address)
    return found.address if found is not None else None


def header_address(written: str) -> Address | str:
    """An address for a To: or From: header, with its name ("Åsa Ödmark <asa@kommun.se>", RFC 2047 when sent).

    Text that is no valid address is kept as one line, as it was written.
    """
    found = read_address(written)
    if found is None:
        return one_line(written)
    local, _, domain = found.address.rpartition("@")
    return Address(display_name=found.name, username=local, domain=domain)


def one_line(text: str) -> str:
    """Text fit for a header: line breaks and runs of white space folded to one space."""
    return " ".join(text.split())


def upcoming(plan: Plan, today: dt.date, days: int = 31) -> list[Activity]:
    """Activities not yet done whose period starts or ends within the coming month.

    Tid is read as a period (plan/dates.py; a missing year is the plan's year): "Mars 2019",
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


def signature(sender: str | None) -> str:
    """The name a letter is signed with: the sender's as written ("Åsa Ödmark <asa@kommun.se>"), else none."""
    found = read_address(sender or "")
    return one_line(found.name.strip()) if found is not None else ""


def closing(signed: str) -> list[str]:
    """The letter's last lines: the greeting, and the sender's name under it when there is one."""
    return ["", "Vänliga hälsningar", *([signed] if signed else []), ""]


def body(plan: Plan, today: dt.date, with_pdf: bool, with_calendar: bool = False, news: str = "",
         signed: str = "") -> str:
    """The letter; news (what changed since the last send) comes first when given; signed: signature(sender)."""
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
    lines += closing(signed)
    return "\n".join(lines)


def new_message(subject_text: str, recipients: Sequence[str], sender: str | None, draft: bool) -> EmailMessage:
    """A message with its headers set, without content.

    recipients and sender as a person writes them: "Åsa Ödmark <asa@kommun.se>" keeps the name in
    the header; domains go in IDNA form.
    """
    message = EmailMessage()
    message["Subject"] = one_line(subject_text)
    if sender:
        message["From"] = header_address(sender)
    message["To"] = [header_address(r) for r in recipients]
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
                             any(p.suffix == ".ics" for p in attachments), news, signature(sender)))
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
