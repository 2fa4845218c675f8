"""Author-level privacy implied by a record-level DP guarantee (group privacy).

People, not posts, are what must be protected. A record-level ``(epsilon, delta)`` guarantee covers one record;
an author with ``k`` records in the training data is covered, by group privacy (Dwork and Roth 2014, Lemma 2.2
generalized to delta), at ``(k * epsilon, k * e^((k - 1) * epsilon) * delta)`` under the same neighbouring relation
applied k times (adding/removing, or replacing, all of the author's records). ``k`` is the largest number of
train records of one author after any contribution bounding the mechanism does (none of the built-in mechanisms
bounds per author, so it is the largest author group of ``splits.train``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from mhprivbench.datasets.splits import group_key
from mhprivbench.types import Record


def max_contribution(records: Sequence[Record]) -> int:
    """k: the largest number of records of one author (``splits.group_key``: author, else thread, else the record
    itself); 0 for no records."""
    return max(Counter(group_key(r) for r in records).values(), default=0)


def author_level(epsilon: float, delta: float | None, k: int) -> tuple[float, float | None]:
    """``(k * epsilon, k * e^((k - 1) epsilon) * delta)``: the guarantee for a group of ``k`` records.

    The delta is capped at 1 (a delta of 1 or more guarantees nothing) and computed in log space, so a large k
    never overflows; a None delta (not declared) stays None, and delta 0 (pure DP) stays 0.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    if epsilon < 0:
        raise ValueError(f"epsilon must be >= 0, got {epsilon}")
    if delta is None or delta <= 0:
        return k * epsilon, delta if delta is None else 0.0
    log_delta = math.log(k) + (k - 1) * epsilon + math.log(delta)
    return k * epsilon, 1.0 if log_delta >= 0 else math.exp(log_delta)
