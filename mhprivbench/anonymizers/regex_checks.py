"""Rules of the ``regex`` anonymizer and the checks a match must pass before it counts as a detection.

A ``Rule`` is a compiled pattern, the group whose span is detected, an optional ``before`` context (a pattern that
must match the text ending where the span starts, searched in the ``window`` characters before it; ``extend`` moves
the span's start to where that context starts: the local part before an email's "@"), an optional ``check`` on the
final span's string (checksums, value ranges), ``tail`` (search only the last characters: end-anchored patterns)
and cheap *gates* that skip the pattern on texts that cannot hold a match: too
few digits (``min_digits``), none of the ``needs`` substrings, or no match of ``gate``. Gates only skip work; they
never change what a rule detects on a text where it runs. Anchoring a rule on its rare part (the digits of an ID
number) and checking the cue before it is much faster than a pattern that starts with the cue.

Checksums (near misses fail: one wrong or transposed digit changes the check):

- payment cards: 13-19 digits, an issuer prefix (Visa 4, Mastercard 51-55 / 2221-2720, Amex 34 / 37, Discover
  6011 / 65 / 644-649, JCB 35, Diners 36 / 38 / 300-305, UnionPay 62) and the Luhn checksum;
- IBAN: country code, two check digits, the length of that country (where known; 15-34 otherwise) and ISO 7064
  mod-97 = 1;
- UK NHS number: 10 digits, mod-11 check digit (a remainder giving 10 is invalid);
- US SSN: area not 000 / 666 / 900-999, group not 00, serial not 0000 (no checksum exists);
- IP addresses: parsed by ``ipaddress`` (octets <= 255; IPv6 groups and ``::`` compression).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import NamedTuple


class Rule(NamedTuple):
    pattern: re.Pattern[str]
    group: int = 0
    check: Callable[[str], bool] | None = None
    min_digits: int = 0  # skip texts with fewer digit characters
    needs: tuple[str, ...] = ()  # skip texts that contain none of these substrings
    gate: re.Pattern[str] | None = None  # skip texts where this pattern finds nothing
    before: re.Pattern[str] | None = None  # must match ending at the span start (use \Z)
    window: int = 40  # characters before the span searched for ``before``
    extend: bool = False  # the span starts where ``before`` matched
    tail: int = 0  # search only the last ``tail`` characters (0: the whole text)


def digits_of(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def luhn_ok(number: str) -> bool:
    """The Luhn checksum of a digit string (other characters ignored)."""
    digits = digits_of(number)
    if not digits:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_CARD_PREFIX = re.compile(r"4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|6(?:011|5|4[4-9]|2)|35|3(?:0[0-5]|[68])")


def card_ok(value: str) -> bool:
    """13-19 digits, a known issuer prefix, one separator style (spaces or dashes, not mixed) and Luhn."""
    digits = digits_of(value)
    if not 13 <= len(digits) <= 19 or ("-" in value and " " in value):
        return False
    return _CARD_PREFIX.match(digits) is not None and luhn_ok(digits)


IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24,
    "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LT": 20,
    "LU": 20, "LV": 21, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19,
    "SK": 24,
}


def iban_ok(value: str) -> bool:
    """Country code, check digits, the country's length (15-34 when unlisted) and mod-97 = 1."""
    iban = "".join(value.split()).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def nhs_ok(value: str) -> bool:
    """10 digits whose last is the mod-11 check digit of the first nine (weights 10..2)."""
    digits = digits_of(value)
    if len(digits) != 10:
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def ssn_ok(value: str) -> bool:
    """Nine digits with a possible area (not 000, 666, 9xx), group (not 00) and serial (not 0000)."""
    digits = digits_of(value)
    if len(digits) != 9 or len(set(digits)) == 1:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def ipv4_ok(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def ipv6_ok(value: str) -> bool:
    """A valid IPv6 address holding at least one decimal digit (so 'dead:beef::' prose is not one)."""
    if not any(ch.isdigit() for ch in value):
        return False
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def digit_count(low: int, high: int) -> Callable[[str], bool]:
    """A check: the match holds between ``low`` and ``high`` digits."""
    def check(value: str) -> bool:
        return low <= len(digits_of(value)) <= high
    return check
