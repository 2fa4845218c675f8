"""The ``regex`` anonymizer: pattern-based detection of structured identifiers, then replace / mask / redact.

Rules (patterns, checksums, gates) live in ``regex_patterns``, ``regex_ids`` and ``regex_checks``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mhprivbench.anonymizers.operators import OPERATORS, apply_operator, check_operator, resolve_overlaps
from mhprivbench.anonymizers.policy import ReleasePolicy
from mhprivbench.anonymizers.regex_checks import Rule
from mhprivbench.anonymizers.regex_patterns import ENTITIES, PATTERNS, trim_url
from mhprivbench.base import Anonymizer
from mhprivbench.identifiers import entity_kind
from mhprivbench.registry import register
from mhprivbench.types import Record, Span


@register("anonymizer", "regex")
@dataclass
class RegexAnonymizer(ReleasePolicy, Anonymizer):
    """Detect structured identifiers by pattern: emails, phone numbers (North American and international), URLs,
    social handles, self-named people, street addresses, SSN / NHS / cued ID numbers, IP addresses, IBANs and card
    numbers (direct identifiers), dates and ages (quasi); kinds from ``mhprivbench.identifiers``.

    ``entities``: subset of EMAIL_ADDRESS, IBAN_CODE, CREDIT_CARD, US_SSN, UK_NHS, ID, IP_ADDRESS, PHONE_NUMBER,
    URL, USERNAME, PERSON, ADDRESS, DATE_TIME, AGE (None: all).
    ``operator``: "replace" (``<ENTITY>``), "mask" (same-length ``*``) or "redact" (removed).
    Checksums are checked (Luhn for cards, mod-97 for IBANs, mod-11 for NHS numbers; ``regex_checks``).
    Overlapping detections are resolved longest-first. Age spans cover "34M", "28F" (not the brackets of "[28F]"),
    "34 yo", "34 years old"; for "I'm 34" / "age 34" / "turning 40" only the number.
    ``pseudonym`` / ``keep_fields``: what the release keeps besides the text (``policy.ReleasePolicy``).
    """

    entities: list[str] | None = None
    operator: str = "replace"

    def __post_init__(self) -> None:
        check_operator(self.operator, OPERATORS)
        self.check_policy()
        if self.entities is not None:
            if isinstance(self.entities, str) or not isinstance(self.entities, list | tuple) or not self.entities:
                raise ValueError(f"entities must be a non-empty list of {', '.join(ENTITIES)} or null")
            unknown = [e for e in self.entities if e not in ENTITIES]
            if unknown:
                raise ValueError(f"unknown entity {unknown[0]!r} (known: {', '.join(ENTITIES)})")

    @property
    def active_entities(self) -> tuple[str, ...]:
        return ENTITIES if self.entities is None else tuple(e for e in ENTITIES if e in self.entities)

    def detect_one(self, text: str) -> list[Span]:
        n_digits = sum(text.count(d) for d in "0123456789")
        gates: dict[int, bool] = {}
        found: list[Span] = []
        for entity, kind, rule in _plan(self.active_entities):
            if n_digits >= rule.min_digits and _passes(rule, text, gates):
                found.extend(Span(start, end, entity, kind) for start, end in _matches(rule, text, entity))
        return resolve_overlaps(found, ENTITIES)

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        return [self.detect_one(text) for text in texts]

    def rewrite(self, records: Sequence[Record], detected: Sequence[Sequence[Span]], *, seed: int = 0) -> list[Record]:
        if len(records) != len(detected):
            raise ValueError(f"got {len(records)} records but {len(detected)} span lists")
        rewritten = [
            dataclasses.replace(record, text=apply_operator(record.text, spans, self.operator), spans=())
            for record, spans in zip(records, detected, strict=True)
        ]
        return self.apply_policy(rewritten, seed)


def _matches(rule: Rule, text: str, entity: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every detection of ``rule`` in ``text``: its context before, extension and check applied."""
    for match in rule.pattern.finditer(text, max(0, len(text) - rule.tail) if rule.tail else 0):
        start, end = match.span(rule.group)
        if rule.before is not None:
            context = rule.before.search(text, max(0, start - rule.window), start)
            if context is None:
                continue
            start = context.start() if rule.extend else start
        if rule.check is not None and not rule.check(text[start:end]):
            continue
        if entity == "URL":
            end = trim_url(text, start, end)
        if end > start:
            yield start, end


@functools.cache
def _plan(entities: tuple[str, ...]) -> tuple[tuple[str, str, Rule], ...]:
    """(entity, kind, rule) for every rule of these entities, in priority order."""
    return tuple((entity, entity_kind(entity), rule) for entity in entities for rule in PATTERNS[entity])


def _passes(rule: Rule, text: str, gates: dict[int, bool]) -> bool:
    """Whether the substring and pattern gates of ``rule`` let it run on ``text`` (a gate pattern is searched once
    per text)."""
    if rule.needs:
        for needed in rule.needs:
            if needed in text:
                break
        else:
            return False
    if rule.gate is None:
        return True
    key = id(rule.gate)
    if key not in gates:
        gates[key] = rule.gate.search(text) is not None
    return gates[key]
