"""Adversarial test anonymizers: releases that *look* protected but keep near copies of direct identifiers.

A leak metric that scores them as safe is broken (issue 6, item 5: one changed character per identifier scored a
direct leak rate of 0.045 while linkage stayed at 0.88). Like ``MaskAllDummy`` they work from the ground-truth spans
of the records (test doubles, not detectors): each alters the spans it targets in its own way and replaces every
other ground-truth span (direct or quasi) with ``[PII]``, so whatever the attacker still reads of the targeted
identifiers comes from the partial copies alone.

- ``adv_one_char``: one character of every direct identifier changed (a letter for another letter of the same
  case, a digit for another digit; the same change for every mention of one surface, drawn with the seed);
- ``adv_keep_surname``: full names (direct PERSON spans) reduced to their last word;
- ``adv_email_local``: e-mail addresses keep their local part ("jsmith84@gmail.com" -> "jsmith84@[DOMAIN]");
- ``adv_reformat_digits``: number-like spans (>= 4 digits and nothing but digits and separators: phone numbers,
  numeric dates, ID numbers) regrouped with other separators ("555-123-4567" -> "(555) 1234 567", "5551234567").
"""

from __future__ import annotations

import dataclasses
import random
import re
import string
from collections.abc import Sequence
from typing import ClassVar

from mhprivbench import registry
from mhprivbench.anonymizers.policy import ReleasePolicy
from mhprivbench.attacks import _text
from mhprivbench.base import Anonymizer
from mhprivbench.types import Record, Span

MASK = "[PII]"
_NUMBER_LIKE = re.compile(r"[\d\s().\-/+]+")
_SEPARATORS = (" ", "-", ".", "/", "  ")
MIN_REFORMAT_DIGITS = 4


@dataclasses.dataclass
class SpanRewriter(ReleasePolicy, Anonymizer):
    """Base of the adversarial doubles: ``alter`` the ground-truth spans ``targets`` selects, mask the others."""

    def __post_init__(self) -> None:
        self.check_policy()

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[] for _ in texts]

    def targets(self, span: Span, surface: str) -> bool:
        """Whether this ground-truth span is altered (else masked)."""
        raise NotImplementedError

    def alter(self, surface: str, rng: random.Random) -> str:
        """The released text for a targeted surface."""
        raise NotImplementedError

    def rewrite(self, records: Sequence[Record], detected, *, seed: int | None = 0) -> list[Record]:
        """Every record with its targeted spans altered and its other spans masked (spans dropped)."""
        out = []
        for record in records:
            text = record.text
            for span in sorted(record.spans, key=lambda s: s.start, reverse=True):
                surface = text[span.start:span.end]
                if self.targets(span, surface):  # one draw per (seed, surface): every mention changes alike
                    new = self.alter(surface, random.Random(f"{self.plugin_name}:{seed}:{surface}"))
                else:
                    new = MASK
                text = text[:span.start] + new + text[span.end:]
            out.append(dataclasses.replace(record, text=text, spans=()))
        return self.apply_policy(out, seed)


def _other_char(ch: str, rng: random.Random) -> str:
    """Another character of the same class (digit, upper- or lowercase letter)."""
    pool = string.digits if ch.isdigit() else string.ascii_uppercase if ch.isupper() else string.ascii_lowercase
    return rng.choice([c for c in pool if c != ch])


@registry.register("anonymizer", "adv_one_char")
@dataclasses.dataclass
class OneCharChanged(SpanRewriter):
    """Test double: one character of every direct identifier changed (other spans masked)."""

    def targets(self, span: Span, surface: str) -> bool:
        return span.kind == "direct"

    def alter(self, surface: str, rng: random.Random) -> str:
        positions = [i for i, ch in enumerate(surface) if ch.isascii() and ch.isalnum()]
        if not positions:
            return MASK
        i = rng.choice(positions)
        return surface[:i] + _other_char(surface[i], rng) + surface[i + 1:]


@registry.register("anonymizer", "adv_keep_surname")
@dataclasses.dataclass
class KeepSurname(SpanRewriter):
    """Test double: full names (direct PERSON spans) reduced to their last word (other spans masked)."""

    def targets(self, span: Span, surface: str) -> bool:
        return span.kind == "direct" and span.entity.upper() == "PERSON"

    def alter(self, surface: str, rng: random.Random) -> str:
        return surface.split()[-1] if surface.split() else MASK


@registry.register("anonymizer", "adv_email_local")
@dataclasses.dataclass
class EmailLocalPart(SpanRewriter):
    """Test double: e-mail addresses keep their local part, "local@[DOMAIN]" (other spans masked)."""

    def targets(self, span: Span, surface: str) -> bool:
        return span.entity.upper() == "EMAIL_ADDRESS" and "@" in surface

    def alter(self, surface: str, rng: random.Random) -> str:
        return surface.rsplit("@", 1)[0] + "@[DOMAIN]"


def is_number_like(surface: str) -> bool:
    """Nothing but digits and separators, with at least 4 digits (phone numbers, numeric dates, ID numbers)."""
    return _NUMBER_LIKE.fullmatch(surface) is not None and len(_text.digits(surface)) >= MIN_REFORMAT_DIGITS


def regroup(digits: str, rng: random.Random) -> str:
    """The digits in random groups of 2 to 4 joined by random separators (sometimes none, or a bracketed head)."""
    if rng.random() < 0.25:
        return digits
    groups, rest = [], digits
    while rest:
        size = rng.randint(2, 4) if len(rest) > 4 else len(rest)
        groups.append(rest[:size])
        rest = rest[size:]
    if len(groups) > 1 and rng.random() < 0.3:
        groups[0] = f"({groups[0]})"
    return groups[0] + "".join(rng.choice(_SEPARATORS) + g for g in groups[1:])


@registry.register("anonymizer", "adv_reformat_digits")
@dataclasses.dataclass
class ReformatDigits(SpanRewriter):
    """Test double: number-like spans regrouped with other separators (other spans masked)."""

    max_tries: ClassVar[int] = 10

    def targets(self, span: Span, surface: str) -> bool:
        return is_number_like(surface)

    def alter(self, surface: str, rng: random.Random) -> str:
        digits = _text.digits(surface)
        for _ in range(self.max_tries):  # prefer a grouping whose tokens differ from the original's
            new = regroup(digits, rng)
            if _text.tokens(new) != _text.tokens(surface):
                return new
        return digits
