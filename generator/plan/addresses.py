"""The one rule for an e-mail address as a person writes it: "Namn <adress>", "adress (Namn)" or the bare address."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

# "Åsa Ödmark <asa@kommun.se>", "\"Ödmark, Åsa\" <asa@kommun.se>", "<asa@kommun.se>"
_ANGLED = re.compile(r"(?P<name>[^<>]*?)\s*<\s*(?P<address>[^<>\s]+)\s*>")
# "asa@kommun.se (Åsa Ödmark)" and "Åsa Ödmark (asa@kommun.se)"
_COMMENT_AFTER = re.compile(r"(?P<address>[^\s()<>]+@[^\s()<>]+)\s*\((?P<name>[^()<>]*)\)")
_NAME_BEFORE = re.compile(r"(?P<name>[^()<>]*?)\s*\(\s*(?P<address>[^\s()<>]+@[^\s()<>]+)\s*\)")
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
_MEMO_CHARS = 320  # a recipient list is read again with every plan: short texts are remembered
# An address plain enough that email_validator is sure to take it as it is, the domain in lower case
# (tests/test_addresses.py holds the two to the same answers): ASCII letters, digits and ._+- before
# the @, labels of letters, digits and single hyphens after it, ending in a top-level domain of letters.
_PLAIN = re.compile(r"(?P<local>[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*)"
                    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})")
# email_validator's rules for such an address: its longest address and domain, the names of RFC 2142
# it writes in lower case, and the special-use domains it refuses.
MAX_ADDRESS = 254
MAX_DOMAIN = 253
CASE_INSENSITIVE_NAMES = frozenset({"info", "marketing", "sales", "support", "abuse", "noc", "security",
                                    "postmaster", "hostmaster", "usenet", "news", "webmaster", "www", "uucp", "ftp"})
SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")


class EmailAddress(NamedTuple):
    """A valid address: the name written with it ("" when none) and the address as sent (domain in IDNA form).

    A local part with letters beyond ASCII stays as it is and needs a server with SMTPUTF8.
    """

    name: str
    address: str

    def with_name(self, name: str) -> EmailAddress:
        """The same address under name, when the address was written without one."""
        return self if self.name or not name.strip() else EmailAddress(" ".join(name.split()), self.address)

    def __str__(self) -> str:
        """As a person reads it: "Åsa Ödmark <asa@kommun.se>", or the bare address."""
        return f"{self.name} <{self.address}>" if self.name else self.address


def read_address(text: str) -> EmailAddress | None:
    """The name and address in text, or None when text holds no single valid e-mail address.

    Takes the forms a person writes and a mail program copies: "Åsa Ödmark <asa@kommun.se>",
    "\"Ödmark, Åsa\" <asa@kommun.se>", "asa@kommun.se (Åsa Ödmark)", "Åsa Ödmark (asa@kommun.se)",
    "mailto:asa@kommun.se" and "asa@kommun.se". Check, send, remind and the letters' To: all read
    addresses with it.
    """
    if len(text) > _MEMO_CHARS:
        return _read(text)
    return _remembered(text)


@functools.lru_cache(maxsize=1024)
def _remembered(text: str) -> EmailAddress | None:
    return _read(text)


def _read(text: str) -> EmailAddress | None:
    written = " ".join(text.split())
    name, address = "", _MAILTO.sub("", written)
    for form in (_ANGLED, _COMMENT_AFTER, _NAME_BEFORE):
        match = form.fullmatch(written)
        if match:
            name, address = match.group("name").strip().strip('"').strip(), _MAILTO.sub("", match.group("address"))
            break
    valid = _valid(address)
    return EmailAddress(name, valid) if valid is not None else None


def _valid(address: str) -> str | None:
    """The address as sent (local part @ IDNA domain), or None when it is no valid address."""
    plain = _plain(address)
    if plain is not None:
        return plain
    from email_validator import EmailNotValidError, validate_email  # deferred: loaded only when an address is read

    try:
        valid = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return None
    return f"{valid.local_part}@{valid.ascii_domain}"


def _plain(address: str) -> str | None:
    """A plain address as email_validator gives it, without loading it (~30 ms); None when not sure."""
    match = _PLAIN.fullmatch(address)
    if match is None or len(address) > MAX_ADDRESS:
        return None
    local, domain = match.group("local"), match.group("domain").lower()
    if len(domain) > MAX_DOMAIN or "--" in domain or any(
            domain == special or domain.endswith("." + special) for special in SPECIAL_USE_DOMAINS):
        return None
    return f"{local.lower() if local.lower() in CASE_INSENSITIVE_NAMES else local}@{domain}"
