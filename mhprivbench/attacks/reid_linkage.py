"""reid_linkage: link released records to identities in the attacker's persona registry (a public directory).

The attacker uses everything the release holds except the ground truth (DESIGN.md section 1). Released records
that share a pseudonym (``Record.author`` as released) form a **pool** and are scored together: every text of the
pool, each persona slot keeping its best evidence across the texts, plus the pool's released ``group`` and
``fields`` as quasi-identifiers (a released gender or age band counts for the personas it is consistent with,
weighted by how many registry personas it fits). A record released without a pseudonym is a pool of its own.
Every registry persona is scored against each pool with the identifiers that survived (see ``_persona_index``:
exact attribute values, phone digits, ages, written dates, name tokens, fuzzy names; direct > quasi; each string
counted once per persona and, with ``specificity``, weighted by how rare it is in the registry).

- Aligned release (anonymized records): the metric stays per released record. A record's rank is the rank of the
  true persona of its author for the record's pool (ties broken at random with the seed, so a pool matching
  nothing is a random guess). The true author comes from ``splits.train`` by uid, never from the release.
  ``reid.linkage_top1`` / ``reid.linkage_top5``: share of records ranked first / within 5; baseline k / |registry|.
  Records of one pool share their rank, so the interval is a Wilson interval over the pools' effective number
  (Kish: (sum of pool sizes)^2 / sum of squared pool sizes), not over records as if they were independent.
- Unaligned release (synthetic records): persona level. A persona is re-identified when some pool (a record, or
  records sharing a released author value) ranks it first with a score >= the direct-identifier weight. A
  generator's author field is pooled on like any released value but never taken as ground truth.
  ``reid.linkage_personas`` = share of member personas (train authors) re-identified; control = the same share
  among registry personas the generator never saw (decoys and held-out authors); baseline = control.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks._background import background
from mhprivbench.attacks._persona_index import PersonaIndex, Weights
from mhprivbench.attacks._release_fields import released_fields
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Record, Release, Score, Splits
from mhprivbench.validation import check_positive


def rank_of(personas: np.ndarray, scores: np.ndarray, truth: int, size: int, rng: np.random.Generator) -> int:
    """1-based rank of ``truth`` among ``size`` personas (absent = score 0), ties broken uniformly at random."""
    own_scores = scores[personas == truth]
    own = float(own_scores[0]) if len(own_scores) else 0.0
    higher = int((scores > own).sum())
    ties = int((scores == own).sum()) - 1 if own > 0 else size - len(scores) - 1
    return 1 + higher + int(rng.integers(0, ties + 1))


def pools(records: Sequence[Record]) -> list[list[int]]:
    """Indices of ``records`` grouped by released pseudonym, in first-seen order; no pseudonym: a pool of one."""
    by_author: dict[str, list[int]] = {}
    out: list[list[int]] = []
    for i, record in enumerate(records):
        if record.author is None:
            out.append([i])
        elif record.author in by_author:
            by_author[record.author].append(i)
        else:
            by_author[record.author] = [i]
            out.append(by_author[record.author])
    return out


def clustered_share(hits: np.ndarray, sizes: np.ndarray, baseline: float) -> Score:
    """Share of records whose pool was a hit (``hits[j]`` for ``sizes[j]`` records), with a Wilson interval over
    the effective number of independent pools (Kish); all pools of one record: the plain Wilson interval."""
    n = int(sizes.sum())
    value = float((hits * sizes).sum()) / n
    n_eff = float(n * n) / float((sizes.astype(float) ** 2).sum())
    low, high = stats.wilson(min(value * n_eff, n_eff), n_eff)
    return stats.interval_score(value, low, high, higher_is_better=False, baseline=baseline, n=n)


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
        author_by_uid = {r.uid: r.author for r in splits.train}  # ground truth: never the released author
        size = len(splits.registry)
        records = release.records
        ranks: list[int] = []
        sizes: list[int] = []
        for pool in pools(records):
            truths: dict[int, int] = {}  # true persona -> records of this pool by that persona
            for i in pool:
                author = author_by_uid.get(records[i].uid)
                truth = pid_index.get(splits.persona_of.get(author)) if author is not None else None
                if truth is not None:
                    truths[truth] = truths.get(truth, 0) + 1
            if not truths:
                continue
            scored = index.score_arrays([records[i].text for i in pool], released_fields(records[i] for i in pool))
            for truth, count in sorted(truths.items()):
                ranks.append(rank_of(*scored, truth, size, rng))
                sizes.append(count)
        if not ranks:
            return {}
        ranks_, sizes_ = np.asarray(ranks), np.asarray(sizes)
        return {f"reid.linkage_top{k}": clustered_share((ranks_ <= k).astype(float), sizes_, min(1.0, k / size))
                for k in (1, 5)}

    def _unaligned(self, release: Release, splits: Splits, rng: np.random.Generator) -> dict[str, Score]:
        pid_index = {p.pid: i for i, p in enumerate(splits.registry)}
        members = {pid_index[pid] for pid in (splits.persona_of.get(r.author) for r in splits.train
                                              if r.author is not None) if pid in pid_index}
        if not members:
            return {}
        index = self._index(splits)
        records = release.records
        found: set[int] = set()
        for pool in pools(records):
            personas, scores = index.score_arrays([records[i].text for i in pool],
                                                  released_fields(records[i] for i in pool))
            if len(scores) and scores.max() >= self.direct_weight:
                top = personas[scores == scores.max()]
                found.add(int(top[rng.integers(len(top))]))
        others = set(range(len(splits.registry))) - members
        control = len(found & others) / len(others) if others else 0.0
        return {"reid.linkage_personas": stats.proportion_score(
            len(found & members), len(members), higher_is_better=False, baseline=control,
            control=control if others else None)}
