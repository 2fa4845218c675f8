"""The ``identity`` baseline: releases the train records as they are (no protection at all)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mhprivbench.anonymizers.policy import ReleasePolicy
from mhprivbench.base import Anonymizer
from mhprivbench.registry import register
from mhprivbench.types import Record, Span


@register("anonymizer", "identity")
@dataclass
class Identity(ReleasePolicy, Anonymizer):
    """Detects nothing and returns every record unchanged (ground-truth spans included: the text is the same).

    The no-protection baseline keeps the default policy (pseudonym, demographics and intake fields released as
    they are); ``pseudonym`` / ``keep_fields`` exist so a text-only release policy can be measured on its own.
    """

    baseline = True

    def __post_init__(self) -> None:
        self.check_policy()

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[] for _ in texts]

    def rewrite(self, records: Sequence[Record], detected: Sequence[Sequence[Span]], *, seed: int = 0) -> list[Record]:
        return self.apply_policy(records, seed)
