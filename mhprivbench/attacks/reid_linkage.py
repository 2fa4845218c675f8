"""reid_linkage: link released records to identities in the attacker's persona registry (a public directory).

Every registry persona is scored against each released record with the identifiers that survived (see
``_persona_index``: exact attribute values, phone digits, ages, written dates, name tokens, fuzzy names; direct >
quasi; each string counted once per persona and, with ``specificity``, weighted by how rare it is in the registry).

- Aligned release (anonymized records): for each released record whose author has a registry persona, the rank of
  the true persona (ties broken at random with the seed, so a record matching nothing is a random guess).
  ``reid.linkage_top1`` / ``reid.linkage_top5``: share ranked first / within 5; baseline k / |registry|.
- Unaligned release (synthetic records): persona level. A persona is re-identified when some synthetic record ranks
  it first with a score >= the direct-identifier weight. ``reid.linkage_personas`` = share of member personas (train
  authors) re-identified; control = the same share among registry personas the generator never saw (decoys and
  held-out authors); baseline = control.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks._background import background
from mhprivbench.attacks._persona_index import PersonaIndex, Weights
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Release, Score, Splits
from mhprivbench.validation import check_positive


def rank_of(personas: np.ndarray, scores: np.ndarray, truth: int, size: int, rng: np.random.Generator) -> int:
    """1-based rank of ``truth`` among ``size`` personas (absent = score 0), ties broken uniformly at random."""
    own_scores = scores[personas == truth]
    own = float(own_scores[0]) if len(own_scores) else 0.0
    higher = int((scores > own).sum())
    ties = int((scores == own).sum()) - 1 if own > 0 else size - len(scores) - 1
    return 1 + higher + int(rng.integers(0, ties + 1))


@register("attack", "reid_linkage")
@dataclass
class ReidLinkage(Attack):
    """Registry linkage with surviving identifiers; weights are the attacker's scoring parameters."""

    direct_weight: float = 4.0
    quasi_weight: float = 1.0
    first_name_weight: float = 1.0
    surname_weight: float = 1.5
    fuzzy_factor: float = 0.5
    lowercase_factor: float = 0.5
    specificity: bool = True

    applies_to: ClassVar[frozenset[str]] = frozenset({"records"})

    def __post_init__(self) -> None:
        for name in ("direct_weight", "quasi_weight", "first_name_weight", "surname_weight", "fuzzy_factor",
                     "lowercase_factor"):
            check_positive(name, getattr(self, name))

    def applies(self, release: Release, splits: Splits) -> bool:
        return release.kind in self.applies_to and bool(splits.registry) and bool(release.records)

    def _index(self, splits: Splits) -> PersonaIndex:
        weights = Weights(direct=self.direct_weight, quasi=self.quasi_weight, first_name=self.first_name_weight,
                          surname=self.surname_weight, fuzzy_factor=self.fuzzy_factor,
                          lowercase_factor=self.lowercase_factor)
        return background(splits, ("persona_index", weights, self.specificity),
                          lambda: PersonaIndex(splits.registry, weights, specificity=self.specificity))

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        if not self.applies(release, splits):
            return {}
        rng = np.random.default_rng(seed)
        if release.aligned:
            return self._aligned(release, splits, rng)
        return self._unaligned(release, splits, rng)

    def _aligned(self, release: Release, splits: Splits, rng: np.random.Generator) -> dict[str, Score]:
        index = self._index(splits)
        pid_index = {p.pid: i for i, p in enumerate(splits.registry)}
        author_by_uid = {r.uid: r.author for r in splits.train}
        size = len(splits.registry)
        ranks = []
        for record in release.records:
            author = author_by_uid.get(record.uid, record.author)
            truth = pid_index.get(splits.persona_of.get(author)) if author is not None else None
            if truth is not None:
                ranks.append(rank_of(*index.score_arrays(record.text), truth, size, rng))
        if not ranks:
            return {}
        ranks = np.asarray(ranks)
        return {
            f"reid.linkage_top{k}": stats.proportion_score(
                int((ranks <= k).sum()), len(ranks), higher_is_better=False, baseline=min(1.0, k / size))
            for k in (1, 5)
        }

    def _unaligned(self, release: Release, splits: Splits, rng: np.random.Generator) -> dict[str, Score]:
        pid_index = {p.pid: i for i, p in enumerate(splits.registry)}
        members = {pid_index[pid] for pid in (splits.persona_of.get(r.author) for r in splits.train
                                              if r.author is not None) if pid in pid_index}
        if not members:
            return {}
        index = self._index(splits)
        found: set[int] = set()
        for record in release.records:
            personas, scores = index.score_arrays(record.text)
            if len(scores) and scores.max() >= self.direct_weight:
                top = personas[scores == scores.max()]
                found.add(int(top[rng.integers(len(top))]))
        others = set(range(len(splits.registry))) - members
        control = len(found & others) / len(others) if others else 0.0
        return {"reid.linkage_personas": stats.proportion_score(
            len(found & members), len(members), higher_is_better=False, baseline=control,
            control=control if others else None)}
