"""The ``identity`` baseline: releases the train records as they are (no protection at all)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mhprivbench.base import Anonymizer
from mhprivbench.registry import register
from mhprivbench.types import Record, Span


@register("anonymizer", "identity")
@dataclass
class Identity(Anonymizer):
    """Detects nothing and returns every record unchanged (ground-truth spans included: the text is the same)."""

    baseline = True

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[] for _ in texts]

    def rewrite(self, records: Sequence[Record], detected: Sequence[Sequence[Span]], *, seed: int = 0) -> list[Record]:
        return list(records)
