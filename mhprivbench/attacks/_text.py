"""Text normalization shared by the attacks: how an attacker decides that a string is "readable" in a text.

Matching is token-level on casefolded tokens, a token being a run of letters or a run of digits (so whitespace
and punctuation differences do not matter, "Ann" does not match inside "planning", and an age tag such as "34F"
reads as "34" + "f"); phone numbers are compared by their digit strings. Nothing here logs or raises with the
strings it handles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_DIGIT_RUN = re.compile(r"\d(?:[\s().\-/]{0,3}\d)*")
_INT = re.compile(r"\d+")
PHONE_ENTITIES = frozenset({"PHONE_NUMBER", "PHONE"})
MIN_SURFACE_CHARS = 2
NAME_ATTRIBUTES = frozenset({"clinician", "family_member", "contact", "partner"})
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def normalize(text: str) -> str:
    """Casefold and collapse whitespace."""
    return " ".join(text.casefold().split())


def tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text.casefold()))


def capitalized_tokens(text: str) -> set[str]:
    """Casefolded tokens that occur at least once starting with an uppercase letter."""
    return {t.casefold() for t in _TOKEN.findall(text) if t[:1].isupper()}


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def digit_runs(text: str) -> list[str]:
    """Digit strings of the numbers in ``text``; separators such as spaces, dots, dashes, brackets are dropped."""
    return [digits(m.group()) for m in _DIGIT_RUN.finditer(text)]


def first_int(text: str) -> str | None:
    match = _INT.search(text)
    return str(int(match.group())) if match else None


def is_phone(entity: str | None = None, attribute: str | None = None) -> bool:
    if entity is not None and entity.upper() in PHONE_ENTITIES:
        return True
    name = (attribute or "").lower()
    return any(key in name for key in ("phone", "mobile", "tel"))


def is_name_attribute(attribute: str) -> bool:
    name = attribute.lower()
    return "name" in name or name in NAME_ATTRIBUTES


def is_age_attribute(attribute: str) -> bool:
    name = attribute.lower()
    return name == "age" or name.startswith("age_") or name.endswith("_age")


def is_address_attribute(attribute: str) -> bool:
    name = attribute.lower()
    return "address" in name or "street" in name


def is_date(value: str) -> bool:
    return _ISO_DATE.fullmatch(value.strip()) is not None


def date_variants(value: str) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """Token sequences of the usual ways to write an ISO date: (full dates, partial dates without day or year)."""
    d = dt.date.fromisoformat(value.strip())
    month = MONTHS[d.month - 1]
    short = month[:3]
    day, dd, mo, mm = str(d.day), f"{d.day:02d}", str(d.month), f"{d.month:02d}"
    year, yy = str(d.year), f"{d.year % 100:02d}"
    suffix = "th" if 11 <= d.day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    full = {
        (year, mm, dd), (mo, day, year), (mm, dd, year), (mm, dd, yy), (day, mo, year), (dd, mm, year),
        (dd, mm, yy), (short, day, year), (month, day, year), (day, month, year), (day, short, year),
        (month, day, suffix, year), (day, suffix, month, year),
    }
    partial = {(month, day, suffix), (day, suffix, "of", month), (month, year)}
    return full, partial


class TextView:
    """What an attacker can read in a set of texts: token sequences and digit strings (C-level substring search)."""

    def __init__(self, texts: Iterable[str]) -> None:
        texts = list(texts)
        self._tokens = "\n".join(" " + " ".join(tokens(t)) + " " for t in texts)
        self._digits = "|" + "|".join(run for t in texts for run in digit_runs(t)) + "|"

    def has_tokens(self, seq: tuple[str, ...]) -> bool:
        return bool(seq) and f" {' '.join(seq)} " in self._tokens

    def has_digits(self, number: str) -> bool:
        return bool(number) and number in self._digits


def transpositions(word: str) -> set[str]:
    """Every string obtained by swapping two adjacent (different) characters."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1) if word[i] != word[i + 1]}
