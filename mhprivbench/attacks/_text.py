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


# --- near copies: distinctive tokens, edit distance 1, reformatted digits ---------------------------------------

MIN_DISTINCTIVE_CHARS = 3  # a letter token of fewer characters never counts on its own
MIN_DISTINCTIVE_DIGITS = 4  # nor a number of fewer digits ("12", "34"): too many coincidences
MIN_NEAR_CHARS = 4  # letter tokens of at least this length also match at edit distance 1
MIN_NEAR_DIGITS = 7  # digit strings of at least this length also match at edit distance 1
_STOP_TEXT = (
    # function words and very common words
    "the and for are but not you your yours all any can had has her hers him his how its our out who why what "
    "when where which with from into onto over under this that these those then than them they their there "
    "here was were will would should could been being have having does did doing just only very also too much "
    "more most some such each other about after again before off once own same both few nor yes yet via per "
    "she one two three new old day days year years month months week weeks time today tomorrow yesterday "
    # titles, honorifics, relations used as titles
    "mr mrs ms miss mx dr prof sir madam mom mum dad aunt uncle "
    # web and mail boilerplate
    "http https www com net org edu gov info biz co uk us io me tv ee ly app html php blog user users profile "
    "mail email gmail googlemail yahoo hotmail outlook live msn icloud aol proton protonmail gmx zoho "
    "instagram tiktok twitter facebook reddit tumblr twitch medium linktr youtube discord snapchat "
    # addresses
    "street st road rd avenue ave lane ln drive boulevard blvd court ct way place pl apt suite unit "
    # months and weekdays
    "january february march april may june july august september october november december "
    "feb mar apr jul aug sep sept oct nov dec "  # not "jan", "jun": first names too
    "monday tuesday wednesday thursday friday saturday sunday"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())


def is_distinctive(token: str, common: frozenset[str] = frozenset()) -> bool:
    """A token that identifies on its own when it survives: not a stop or ``common`` word, >= 3 letters or
    >= 4 digits."""
    if token in STOP_WORDS or token in common:
        return False
    if token.isdigit():
        return len(token) >= MIN_DISTINCTIVE_DIGITS
    return len(token) >= MIN_DISTINCTIVE_CHARS


def edit_keys(target: str) -> set[tuple]:
    """Index keys of ``target`` such that ``probe_keys(word)`` meets one of them exactly when ``word`` is at
    Damerau edit distance <= 1 from ``target`` (substitution, insertion, deletion, adjacent transposition)."""
    keys: set[tuple] = {("o", target)}
    keys.update(("v", t) for t in transpositions(target))
    for i in range(len(target)):
        rest = target[:i] + target[i + 1:]
        keys.add(("v", rest))  # the word dropped character i
        keys.add(("s", rest, i))  # the word substituted character i
    return keys


def probe_keys(word: str) -> list[tuple]:
    """Look-up keys of a word found in a text (see ``edit_keys``)."""
    keys: list[tuple] = [("o", word), ("v", word)]
    for i in range(len(word)):
        rest = word[:i] + word[i + 1:]
        keys.append(("s", rest, i))  # substituted character i
        keys.append(("o", rest))  # inserted character i
    return keys


class NearIndex:
    """Which target strings a word reads as: equal, or (targets of >= ``min_len`` characters) at edit distance 1.

    Built once over the targets; ``matches(word)`` costs about 2 * len(word) dict look-ups and is memoized."""

    def __init__(self, targets: Iterable[str], min_len: int) -> None:
        self.min_len = min_len
        self._keys: dict[tuple, set[str]] = {}
        for target in set(targets):
            for key in edit_keys(target) if len(target) >= min_len else {("o", target)}:
                self._keys.setdefault(key, set()).add(target)
        self._cache: dict[str, frozenset[str]] = {}

    def matches(self, word: str) -> frozenset[str]:
        """The targets ``word`` reads as."""
        found = self._cache.get(word)
        if found is None:
            if len(word) + 1 < self.min_len:
                found = frozenset(self._keys.get(("o", word), ()))
            else:
                hits = set().union(*(self._keys.get(key, ()) for key in probe_keys(word)))
                found = frozenset(t for t in hits if t == word or len(t) >= self.min_len)
            self._cache[word] = found
        return found


class TokenView(TextView):
    """A TextView that also keeps its distinct tokens and digit runs, for near-copy look-ups."""

    def __init__(self, texts: Iterable[str]) -> None:
        texts = list(texts)
        toks = [tokens(t) for t in texts]
        runs = [run for t in texts for run in digit_runs(t)]
        self._tokens = "\n".join(" " + " ".join(seq) + " " for seq in toks)
        self._digits = "|" + "|".join(runs) + "|"
        self.token_set = frozenset(t for seq in toks for t in seq)
        self.runs = frozenset(runs)
