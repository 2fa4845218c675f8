"""text_fidelity: how much of the original text an anonymizer's (aligned) release keeps. Both metrics are higher
is better, with percentile bootstrap intervals over records.

- ``fidelity.token_retention``: share of the original's non-PII tokens (``attacks._text`` tokens outside the
  record's ground-truth spans) found in the rewrite, counted as a multiset (a token twice in the original must
  appear twice), pooled over records (sum kept / sum tokens).
- ``fidelity.semantic_similarity``: mean cosine between the MiniLM embeddings (``mhprivbench.embeddings``) of
  each original and its rewrite.

Identity scores 1.0 on both. Baseline: the same metric when each original is paired with another train record's
original text (a seeded derangement), i.e. what unrelated text from the same corpus scores; a rewrite at the
baseline kept nothing specific to its record. The original comes from ``splits.train`` by uid.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks import _text
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Record, Release, Score, Splits
from mhprivbench.validation import check_int


def non_pii_tokens(record: Record) -> Counter:
    """Tokens of the record's text outside its ground-truth spans."""
    found: Counter = Counter()
    cursor = 0
    for span in sorted(record.spans, key=lambda s: s.start):
        found.update(_text.tokens(record.text[cursor:max(cursor, span.start)]))
        cursor = max(cursor, span.end)
    found.update(_text.tokens(record.text[cursor:]))
    return found


def retained(original: Counter, rewrite: str) -> int:
    """How many of ``original``'s tokens (as a multiset) the rewrite contains."""
    return sum((original & Counter(_text.tokens(rewrite))).values())


def derangement(n: int, seed: int) -> np.ndarray:
    """partner[i] != i for every i (n >= 2): a random cycle through a seeded permutation."""
    order = np.random.default_rng(seed).permutation(n)
    partner = np.empty(n, dtype=np.intp)
    partner[order] = np.roll(order, -1)
    return partner


def _pooled(kept: np.ndarray, total: np.ndarray, cosine: np.ndarray) -> tuple[float, float]:
    return float(kept.sum() / total.sum()), float(cosine.mean())


@register("attack", "text_fidelity")
@dataclass
class TextFidelity(Attack):
    """Token retention outside the gold spans and MiniLM cosine between each original and its rewrite."""

    n_bootstrap: int = 500

    applies_to: ClassVar[frozenset[str]] = frozenset({"records"})
    uses_embeddings: ClassVar[bool] = True

    def __post_init__(self) -> None:
        check_int("n_bootstrap", self.n_bootstrap, 10)

    def applies(self, release: Release, splits: Splits) -> bool:
        return release.kind in self.applies_to and release.aligned and bool(release.records)

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        if not self.applies(release, splits):
            return {}
        by_uid = {r.uid: r for r in splits.train}
        pairs = [(by_uid[r.uid], r.text) for r in release.records if r.uid in by_uid]
        if not pairs:
            return {}
        originals = [original for original, _ in pairs]
        kept, total, cosine = self._measure(originals, [text for _, text in pairs])
        base_kept, base_total, base_cosine = (self._measure(originals, [originals[j].text for j in
                                                                        derangement(len(originals), seed)])
                                              if len(originals) >= 2 else (None, None, None))
        intervals = stats.bootstrap_cis(_pooled, kept, total, cosine, n_values=2, n_resamples=self.n_bootstrap,
                                        seed=seed)
        low, high = intervals[1]
        scores = {"fidelity.semantic_similarity": stats.interval_score(
            float(cosine.mean()), low, high, higher_is_better=True, n=len(pairs),
            baseline=None if base_cosine is None else float(base_cosine.mean()))}
        if total.sum() > 0:
            low, high = intervals[0]
            scores["fidelity.token_retention"] = stats.interval_score(
                float(kept.sum() / total.sum()), low, high, higher_is_better=True, n=int(total.sum()),
                baseline=None if base_kept is None else float(base_kept.sum() / base_total.sum()))
        return scores

    @staticmethod
    def _measure(originals: Sequence[Record], rewrites: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per record: kept non-PII tokens, non-PII tokens, cosine of the embeddings."""
        from mhprivbench import embeddings

        counts = [non_pii_tokens(r) for r in originals]
        kept = np.array([retained(c, text) for c, text in zip(counts, rewrites, strict=True)], dtype=float)
        total = np.array([sum(c.values()) for c in counts], dtype=float)
        left, right = embeddings.embed([r.text for r in originals]), embeddings.embed(list(rewrites))
        cosine = np.clip(np.sum(left.astype(np.float64) * right, axis=1), -1.0, 1.0)
        return kept, total, cosine
