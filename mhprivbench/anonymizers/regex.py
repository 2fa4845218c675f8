"""The ``regex`` anonymizer: pattern-based detection of structured identifiers, then replace / mask / redact."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from mhprivbench.anonymizers.operators import OPERATORS, apply_operator, check_operator, resolve_overlaps
from mhprivbench.anonymizers.policy import ReleasePolicy
from mhprivbench.anonymizers.regex_patterns import ENTITIES, PATTERNS, trim_url
from mhprivbench.base import Anonymizer
from mhprivbench.identifiers import entity_kind
from mhprivbench.registry import register
from mhprivbench.types import Record, Span


@register("anonymizer", "regex")
@dataclass
class RegexAnonymizer(ReleasePolicy, Anonymizer):
    """Detect emails, phone numbers, URLs, social handles, self-named people, street addresses (direct
    identifiers), dates and ages (quasi); kinds from ``mhprivbench.identifiers``.

    ``entities``: subset of EMAIL_ADDRESS, PHONE_NUMBER, URL, USERNAME, PERSON, ADDRESS, DATE_TIME, AGE (None: all).
    ``operator``: "replace" (``<ENTITY>``), "mask" (same-length ``*``) or "redact" (removed).
    Overlapping detections are resolved longest-first. Age spans cover "34M", "28F" (not the brackets of "[28F]"),
    "34 yo", "34 years old"; for "I'm 34" / "age 34" only the number.
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
        found: list[Span] = []
        for entity in self.active_entities:
            kind = entity_kind(entity)
            for pattern, group in PATTERNS[entity]:
                for match in pattern.finditer(text):
                    start, end = match.span(group)
                    if entity == "URL":
                        end = trim_url(text, start, end)
                    if end > start:
                        found.append(Span(start, end, entity, kind))
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
