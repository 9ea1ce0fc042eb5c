"""The plain-address shortcut gives what email_validator gives, for every address it takes."""

from __future__ import annotations

import email_validator
import pytest
from email_validator import EmailNotValidError, validate_email
from email_validator import rfc_constants as rfc
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.plan import addresses
from generator.plan.addresses import _plain, read_address


def _validator(address: str) -> str | None:
    try:
        valid = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return None
    return f"{valid.local_part}@{valid.ascii_domain}"


def test_the_shortcut_knows_email_validators_rules():
    assert addresses.MAX_ADDRESS == rfc.EMAIL_MAX_LENGTH
    assert addresses.MAX_DOMAIN == rfc.DOMAIN_MAX_LENGTH
    assert frozenset(rfc.CASE_INSENSITIVE_MAILBOX_NAMES) == addresses.CASE_INSENSITIVE_NAMES
    assert set(addresses.SPECIAL_USE_DOMAINS) == set(email_validator.SPECIAL_USE_DOMAIN_NAMES)


@pytest.mark.parametrize("address", [
    "anna.svensson@mittkoping.se", "Anna.Svensson@Mittkoping.SE", "INFO@kommun.se", "Postmaster@kommun.se",
    "a+b_c-d@x-y.kommun.se", "-a-@1.se", "kalle@123.se", "a@b.co", "a@" + "b" * 63 + ".se",
    "a@" + "b" * 64 + ".se", "a@ab--cd.se", "a@xn--d1acufc.xn--p1ai", "a@kommun.local", "a@kommun.test",
    "a@localhost", "a@arpa.se", "a@x.arpa", "a@kommun.s", "a@kommun.se1", "a@kommun", "a..b@kommun.se",
    ".a@kommun.se", "a.@kommun.se", "a@-kommun.se", "a@kommun-.se", "a@kommun..se", "a@.kommun.se",
    "x" * 65 + "@kommun.se", "x" * 240 + "@kommun.se", "x" * 64 + "@" + ".".join(["a" * 60] * 4) + ".se",
    "åsa@kommun.se", "asa@kömmun.se", "a@b@kommun.se", "a b@kommun.se", "a@kommun.se.",
])
def test_the_shortcut_agrees_with_email_validator(address):
    plain = _plain(address)
    assert plain is None or plain == _validator(address)
    assert read_address(address) == (None if _validator(address) is None
                                     else addresses.EmailAddress("", _validator(address) or ""))


def test_common_addresses_take_the_shortcut():
    assert _plain("anna.svensson@mittkoping.se") == "anna.svensson@mittkoping.se"
    assert _plain("Info@Mittkoping.SE") == "info@mittkoping.se"


_LOCAL = (st.text(st.sampled_from("aZ09_+-"), min_size=1, max_size=70)
          | st.text(st.sampled_from("aZ09._+-!#åé"), min_size=0, max_size=70))
_LABEL = (st.text(st.sampled_from("abZ09"), min_size=1, max_size=64)
          | st.text(st.sampled_from("aZ09-xnå"), min_size=0, max_size=66))
_DOMAIN = st.lists(_LABEL, min_size=1, max_size=5).map(".".join)
_ENDING = st.sampled_from(["", ".se", ".SE", ".local", ".test", ".arpa", ".s1", ".com", ".x"])


@settings(max_examples=2000, deadline=None)
@given(_LOCAL, _DOMAIN, _ENDING)
def test_any_address_the_shortcut_takes_is_email_validators(local, domain, ending):
    address = f"{local}@{domain}{ending}"
    plain = _plain(address)
    if plain is not None:
        assert plain == _validator(address)
