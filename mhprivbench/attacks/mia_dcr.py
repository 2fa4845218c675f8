"""mia_dcr: distance to the closest synthetic record as a membership test (DCR; e.g. Yale et al. 2020, the
DCR attacks compared by van Breugel et al. 2023).

A generator that copies or closely paraphrases its train records leaves members nearer to some synthetic record
than non-members. Members are ``splits.train`` and non-members ``splits.control`` (records the generator never
saw), balanced by subsampling the larger side with the seed (at most ``max_per_side`` each, as ``mia_loss``). Each
text is a MiniLM sentence embedding (``embeddings.embed``: public weights, unit rows, cached by content; the
runner embeds the dataset before starting workers because ``uses_embeddings`` is set), and its DCR is the cosine
distance ``1 - max cos`` to the nearest synthetic record. The membership score is ``-DCR``; ``mia.dcr.auc``,
``.advantage`` and the TPR at 1% / 0.1% FPR (only where the non-member count supports it, ``not_applicable_``
says why otherwise) come from ``stats.membership_scores`` with their bootstrap intervals; baselines 0.5, 0 and
the FPR.

Tables: with ``space="rows"``, or ``"auto"`` (the default) on a ``table`` release, the same test runs on rows:
the release's rows (its table, or the structured fields of its synthetic records) and the members' and
non-members' ``records_to_frame`` rows on their shared columns, encoded Gower-like (``_rows.RowEncoder``: numbers
scaled by their range, categories 0/1), DCR = Gower distance to the nearest released row. Same keys and
statistics. ``"auto"`` on a records release stays on text; ``space="text"`` never uses rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import embeddings, stats
from mhprivbench.attacks import _rows
from mhprivbench.attacks.mia_loss import balanced_sample
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Record, Release, Score, Splits
from mhprivbench.validation import check_int

SPACES = ("auto", "text", "rows")
CHUNK = 1024  # query rows per similarity block (bounds memory at CHUNK x synthetic records)


def closest_distance(queries: np.ndarray, synthetic: np.ndarray) -> np.ndarray:
    """Cosine distance from each (unit-norm) query row to its nearest (unit-norm) synthetic row, in [0, 2]."""
    queries, synthetic = np.asarray(queries, dtype=np.float64), np.asarray(synthetic, dtype=np.float64)
    if not len(synthetic):
        raise ValueError("closest_distance needs at least one synthetic row")
    out = np.empty(len(queries))
    for start in range(0, len(queries), CHUNK):
        out[start:start + CHUNK] = 1.0 - (queries[start:start + CHUNK] @ synthetic.T).max(axis=1)
    return np.clip(out, 0.0, 2.0)


def dcr_membership(member: np.ndarray, nonmember: np.ndarray, synthetic: np.ndarray, *, seed: int,
                   n_resamples: int = 500) -> tuple[dict[str, Score], dict[str, str]]:
    """``stats.membership_scores`` keyed ``mia.dcr.*`` for embedded members / non-members against the synthetic
    rows (score = -DCR: nearer is more likely a member)."""
    return stats.membership_scores("mia.dcr", -closest_distance(member, synthetic),
                                   -closest_distance(nonmember, synthetic), seed=seed, n_resamples=n_resamples)


def rows_dcr_membership(rows, members: Sequence[Record], nonmembers: Sequence[Record], *, seed: int,
                        n_resamples: int = 500) -> tuple[dict[str, Score], dict[str, str]]:
    """``dcr_membership`` on table rows: Gower distance from each member / non-member row to the nearest row of
    the release frame ``rows``, on their shared columns (``_rows.encoded``)."""
    found = _rows.encoded(rows, members, nonmembers)
    if found is None:
        return {}, {"mia.dcr.auc": "the released rows share no column with the real records"}
    synthetic, (member, nonmember), n_columns = found
    return stats.membership_scores("mia.dcr", -_rows.gower_closest(member, synthetic, n_columns),
                                   -_rows.gower_closest(nonmember, synthetic, n_columns), seed=seed,
                                   n_resamples=n_resamples)


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """MiniLM rows for ``texts`` (a seam for tests)."""
    return embeddings.embed(texts)


@register("attack", "mia_dcr")
@dataclass
class MiaDcr(Attack):
    """Nearest-synthetic-record distance of members vs non-members on MiniLM embeddings (or table rows)."""

    max_per_side: int = 2000  # members and non-members scored, at most, on each side
    n_bootstrap: int = 500  # bootstrap resamples of AUC, advantage and the low-FPR TPRs
    space: str = "auto"  # "text" (MiniLM), "rows" (Gower on structured fields), "auto": rows for tables only

    applies_to: ClassVar[frozenset[str]] = frozenset({"records", "table"})
    uses_embeddings: ClassVar[bool] = True  # the runner embeds the dataset once before the workers start

    def __post_init__(self) -> None:
        check_int("max_per_side", self.max_per_side, 1)
        check_int("n_bootstrap", self.n_bootstrap, 1)
        if self.space not in SPACES:
            raise ValueError(f"space must be one of {', '.join(SPACES)}, got {self.space!r}")

    def uses_rows(self, release: Release) -> bool:
        """Whether this release is scored on table rows rather than text."""
        return _rows.uses_rows(self.space, release)

    def applies(self, release: Release, splits: Splits) -> bool:
        """Synthetic (unaligned) records, or released rows, with members and non-members to compare."""
        if release.kind not in self.applies_to or not splits.train or not splits.control:
            return False
        return _rows.scorable(release, self.uses_rows(release))

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        self.not_applicable_: dict[str, str] = {}
        if not self.applies(release, splits):
            return {}
        rng = np.random.default_rng(seed)
        members, nonmembers = balanced_sample(splits.train, splits.control, cap=self.max_per_side, rng=rng)
        if self.uses_rows(release):
            scores, self.not_applicable_ = rows_dcr_membership(_rows.release_frame(release), members, nonmembers,
                                                               seed=seed, n_resamples=self.n_bootstrap)
            return scores
        synthetic = embed_texts([r.text for r in release.records])
        scores, self.not_applicable_ = dcr_membership(
            embed_texts([r.text for r in members]), embed_texts([r.text for r in nonmembers]), synthetic,
            seed=seed, n_resamples=self.n_bootstrap)
        return scores
