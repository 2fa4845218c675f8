"""The ``surrogate`` anonymizer ("hiding in plain sight"): detected identifiers are replaced by realistic fake
values, so the released text still reads naturally and a surviving identifier the detector missed hides among
fakes.

Values come from our own pools (``surrogate_pools``), never from the input: a candidate that appears anywhere in
the original texts of its scope (as a whole word), or that equals the original, is skipped. Consistency: within
a scope (``document``: one record; ``author``: all records of one author), the same original (same entity type,
same value ignoring case and spacing) always gets the same surrogate and different originals different ones. Dates
move by one offset per scope (so intervals between them survive) and never by zero; ages move by 1-4 years.
Everything is seeded by (release seed, scope): the same seed gives the same release, in any record order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mhprivbench.anonymizers import surrogate_pools as pools
from mhprivbench.anonymizers.dates import format_core, parse_date, shift
from mhprivbench.anonymizers.operators import rewrite_spans
from mhprivbench.anonymizers.policy import ReleasePolicy
from mhprivbench.base import Anonymizer
from mhprivbench.errors import ConfigError
from mhprivbench.registry import register
from mhprivbench.types import Record, Span

CONSISTENCY = ("document", "author")
DETECTORS = ("presidio", "regex")
_TRIES = 40
_NUMBER_WORDS = {w: i for i, w in enumerate(re.findall(r"\S+", (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen")))} | {w: 10 * i for i, w in enumerate(re.findall(r"\S+", (
        "_ _ twenty thirty forty fifty sixty seventy eighty ninety"))) if w != "_"}


@register("anonymizer", "surrogate")
@dataclass
class SurrogateAnonymizer(ReleasePolicy, Anonymizer):
    """Replace what ``detector`` finds with consistent fake values from our own pools, never from the input.

    ``consistency: author`` maps the same original to the same surrogate in all of an author's records: their texts
    stay consistent with each other (and as linkable to each other as the originals were).
    """

    detector: str = "presidio"  # presidio | regex: what finds the spans to replace
    detector_params: dict[str, Any] | None = None  # the detector's parameters
    consistency: str = "document"  # document | author: scope in which one original keeps one surrogate

    def __post_init__(self) -> None:
        self.check_policy()
        if self.consistency not in CONSISTENCY:
            raise ValueError(f"consistency must be one of {', '.join(CONSISTENCY)}, got {self.consistency!r}")
        self._detector = build_detector(self.detector, self.detector_params)

    @property
    def active_entities(self) -> tuple[str, ...]:
        return tuple(getattr(self._detector, "active_entities", ()))

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        return self._detector.detect(texts)

    def rewrite(self, records: Sequence[Record], detected: Sequence[Sequence[Span]], *, seed: int = 0) -> list[Record]:
        texts = surrogate_texts(records, detected, seed=seed, consistency=self.consistency)
        rewritten = [dataclasses.replace(r, text=t, spans=()) for r, t in zip(records, texts, strict=True)]
        return self.apply_policy(rewritten, seed)


def build_detector(name: str, params: dict[str, Any] | None) -> Any:
    """The detector anonymizer ``name`` (``DETECTORS``) with ``params``; ValueError (one line) on a bad one."""
    from mhprivbench.registry import create

    if name not in DETECTORS:
        raise ValueError(f"detector must be one of {', '.join(DETECTORS)}, got {name!r}")
    if params is not None and not isinstance(params, dict):
        raise ValueError(f"detector_params must be a mapping of {name} parameters or null")
    try:
        return create("anonymizer", name, **(params or {}))
    except ConfigError as error:  # re-raised as ValueError: create() of the outer anonymizer reports it, one line
        raise ValueError(f"detector_params: {error}") from None


def surrogate_texts(records: Sequence[Record], detected: Sequence[Sequence[Span]], *, seed: int | None,
                    consistency: str = "document") -> list[str]:
    """The texts of ``records`` with every detected span replaced by its surrogate (module docstring)."""
    if len(records) != len(detected):
        raise ValueError(f"got {len(records)} records but {len(detected)} span lists")
    keys = [scope_key(r, consistency) for r in records]
    originals: dict[str, list[str]] = defaultdict(list)
    for key, record in zip(keys, records, strict=True):
        originals[key].append(record.text)
    scopes: dict[str, Scope] = {}
    texts = []
    for key, record, spans in zip(keys, records, detected, strict=True):
        if key not in scopes:
            scopes[key] = Scope(_rng(seed, key), "\n".join(originals[key]))
        texts.append(rewrite_spans(record.text, spans, scopes[key].value))
    return texts


def scope_key(record: Record, consistency: str) -> str:
    if consistency == "author" and record.author is not None:
        return f"author:{record.author}"
    return f"doc:{record.uid}"


def _rng(seed: int | None, key: str) -> random.Random:
    digest = hashlib.sha256(f"mhprivbench:surrogate:{seed}:{key}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


class Scope:
    """Surrogates of one document or author: a mapping from originals, the values used, the date offset."""

    def __init__(self, rng: random.Random, original_text: str) -> None:
        self.rng = rng
        self.original = original_text.casefold()
        self.mapping: dict[tuple[str, str], str] = {}
        self.used: set[str] = set()
        self.shift_days = rng.choice((-1, 1)) * rng.randint(20, 400)

    def value(self, span: Span, surface: str) -> str:
        key = (span.entity, " ".join(surface.casefold().split()))
        if key not in self.mapping:
            self.mapping[key] = self._new(span.entity, surface)
            self.used.add(self.mapping[key].casefold())
        return self.mapping[key]

    def _new(self, entity: str, surface: str) -> str:
        if entity == "DATE_TIME":
            return self._date(surface)
        make = MAKERS.get(entity)
        if make is None:
            return f"<{entity}>"
        for _ in range(_TRIES):
            candidate = _same_case(make(self.rng, surface), surface)
            if self._fresh(candidate, surface, _FORMAT_WORDS.get(entity, frozenset())):
                return candidate
        return f"<{entity}>"

    def _fresh(self, candidate: str, surface: str, format_words: frozenset[str]) -> bool:
        """Not used in this scope, not the original, no word of it (3+ letters; the fixed words of its format
        aside) in the scope's original texts."""
        folded = candidate.casefold()
        if folded in self.used or folded == surface.casefold():
            return False
        words = [w for w in re.findall(r"[^\W\d_]{3,}", folded) if w not in format_words]
        return not any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", self.original) for w in words)

    def _date(self, surface: str) -> str:
        mention = parse_date(surface)
        if mention is None:
            return self.rng.choice(pools.RELATIVE_DATES)
        return mention.before + format_core(shift(mention, self.shift_days)) + mention.after


# fixed words of a surrogate format, which may appear in any text (domains, URL schemes, street suffixes)
_WEB = frozenset({"example", "com", "org", "net", "https", "www"})
_FORMAT_WORDS = {"EMAIL_ADDRESS": _WEB, "URL": _WEB, "ADDRESS": frozenset(s.casefold() for s in pools.STREET_SUFFIXES),
                 "GENDER": frozenset(g.casefold() for g in pools.GENDERS)}


def _same_case(value: str, surface: str) -> str:
    if surface.islower() and not any(ch.isdigit() for ch in surface):
        return value.lower()
    return value.upper() if surface.isupper() and len(surface) > 3 else value


def _person(rng: random.Random, surface: str) -> str:
    first = rng.choice(pools.FIRST_NAMES)
    return f"{first} {rng.choice(pools.LAST_NAMES)}" if len(surface.split()) > 1 else first


def _age(rng: random.Random, surface: str) -> str:
    match = re.search(r"\d+", surface)
    if match is None:
        words = re.findall(r"[a-z]+", surface.lower())
        years = sum(_NUMBER_WORDS.get(w, 0) for w in words) or 30
        return str(max(13, years + rng.choice((-4, -3, -2, -1, 1, 2, 3, 4))))
    years = int(match.group())
    new = min(99, max(13, years + rng.choice((-4, -3, -2, -1, 1, 2, 3, 4))))
    return surface[:match.start()] + str(new if new != years else years + 1) + surface[match.end():]


def _digits(rng: random.Random, surface: str) -> str:
    """The same shape with fresh digits and letters (an SSN-like number starts with 9: never issued)."""
    out = [str(rng.randint(0, 9)) if ch.isdigit() else rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") if ch.isalpha() else ch
           for ch in surface]
    first_digit = next((i for i, ch in enumerate(out) if ch.isdigit()), None)
    if first_digit is not None:
        out[first_digit] = "9"
    return "".join(out)


def _handle(rng: random.Random, surface: str) -> str:
    prefix = re.match(r"/?u/|@", surface)
    words = rng.sample(pools.HANDLE_WORDS, 2)
    return f"{prefix.group() if prefix else ''}{words[0]}_{words[1]}{rng.randint(10, 99)}"


def _email(rng: random.Random, surface: str) -> str:
    first, last = rng.choice(pools.FIRST_NAMES), rng.choice(pools.LAST_NAMES)
    return f"{first}.{last}{rng.randint(1, 99)}@{rng.choice(pools.EMAIL_DOMAINS)}".lower()


MAKERS: dict[str, Callable[[random.Random, str], str]] = {
    "PERSON": _person,
    "LOCATION": lambda rng, s: rng.choice(pools.CITIES),
    "ORGANIZATION": lambda rng, s: rng.choice(pools.ORGANIZATIONS),
    "AGE": _age,
    "PHONE_NUMBER": lambda rng, s: f"{rng.randint(201, 989)}-555-01{rng.randint(0, 99):02d}",
    "EMAIL_ADDRESS": _email,
    "URL": lambda rng, s: f"https://www.{rng.choice(pools.EMAIL_DOMAINS)}/{rng.choice(pools.HANDLE_WORDS)}",
    "USERNAME": _handle,
    "ADDRESS": lambda rng, s: f"{rng.randint(2, 240)} {rng.choice(pools.STREETS)} {rng.choice(pools.STREET_SUFFIXES)}",
    "IP_ADDRESS": lambda rng, s: f"192.0.2.{rng.randint(1, 254)}" if "." in s else f"2001:db8::{rng.randint(1, 9999):x}",
    "NRP": lambda rng, s: rng.choice(pools.NRP),
    "OCCUPATION": lambda rng, s: rng.choice(pools.OCCUPATIONS),
    "GENDER": lambda rng, s: rng.choice(pools.GENDERS),
    **dict.fromkeys(("US_SSN", "UK_NHS", "CREDIT_CARD", "IBAN_CODE", "ID"), _digits),
}
