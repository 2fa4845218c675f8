"""Corpus: the records of one dataset plus its identity (mteb-style metadata), persona registry and declared task.

``declared_labels`` is the task's public label set as the dataset declares it (synthmh's condition list, a card's
``labels:``, the generic loader's ``labels`` parameter); None when nothing is declared. It is never computed from
the records: which labels occur in the data is private, and DP mechanisms need the public set (``Splits.labels``).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from mhprivbench.types import Persona, Record, Splits


@dataclass(frozen=True)
class Corpus:
    name: str
    records: tuple[Record, ...]
    personas: tuple[Persona, ...] = ()  # every identity: authors' personas and decoys
    persona_of: Mapping[str, str] = field(default_factory=dict)  # author -> persona id
    metadata: Mapping[str, Any] = field(default_factory=dict)  # revision, source sha256, license, ...
    crisis_label: str | None = None
    declared_labels: tuple[str, ...] | None = None  # the public label set; None: the dataset declares none

    @cached_property
    def content_hash(self) -> str:
        """sha256 over every record and persona: two corpora with the same hash hold the same data."""
        digest = hashlib.sha256()
        for record in self.records:
            row = [record.uid, record.text, record.label, record.author, dict(record.group),
                   {k: str(v) for k, v in record.fields.items()},
                   [(s.start, s.end, s.entity, s.kind, s.attribute) for s in record.spans]]
            digest.update(json.dumps(row, sort_keys=True).encode())
        for persona in self.personas:
            digest.update(json.dumps([persona.pid, dict(persona.attributes)], sort_keys=True).encode())
        return digest.hexdigest()

    def stats(self) -> dict[str, Any]:
        """Aggregate statistics only (safe to print or write)."""
        spans = Counter(s.entity for r in self.records for s in r.spans)
        return {
            "rows": len(self.records),
            "labels": dict(sorted(Counter(r.label for r in self.records).items())),
            "authors": len({r.author for r in self.records if r.author is not None}),
            "personas": len(self.personas),
            "pii_spans": dict(sorted(spans.items())),
        }

    def split(self, seed: int = 0, **fractions: float) -> Splits:
        from mhprivbench.datasets.splits import split_corpus

        return split_corpus(self, seed=seed, **fractions)
