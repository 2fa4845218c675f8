"""mia_domias: density-ratio membership inference against synthetic data (DOMIAS, van Breugel et al. 2023).

A generator that overfits puts more synthetic density on its train records than the real distribution has there.
DOMIAS scores a record ``x`` by ``p_synth(x) / p_ref(x)``: the density of the synthetic release over the density
of a **reference** sample of real data from the same population that the generator never saw, so a record that is
merely typical (dense in both) scores low and one the generator reproduced scores high. Here the score is the
log ratio, both densities Gaussian KDEs in a shared whitened PCA space (``_density``).

- Members: ``splits.train``; non-members: ``splits.control``; balanced by subsampling with the seed (at most
  ``max_per_side`` each, as ``mia_dcr``).
- Reference: ``splits.test``. DOMIAS assumes the attacker holds real records from the same distribution; ``test``
  is such a sample, disjoint from the members and from the evaluated non-members (``control``), so no evaluated
  record sits in the reference density (which would push its own score down). ``aux`` is not used: it holds other
  posts by the *train* authors, not a sample of the population.
- Space: text releases use MiniLM embeddings (``embeddings.embed``; ``uses_embeddings`` lets the runner embed the
  dataset first), projected to ``n_components`` dimensions; table releases (``space="auto"`` or ``"rows"``; synthetic
  records with fields under ``"rows"``) use Gower-encoded rows (``_rows``) on the shared columns.

``mia.domias.auc``, ``.advantage`` and TPR at 1% / 0.1% FPR (where the non-member count supports it) come from
``stats.membership_scores`` with bootstrap intervals; baselines 0.5, 0 and the FPR.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks import _density, _rows, mia_dcr
from mhprivbench.attacks.mia_loss import balanced_sample
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Release, Score, Splits
from mhprivbench.validation import check_int, check_positive

PREFIX = "mia.domias"


@register("attack", "mia_domias")
@dataclass
class MiaDomias(Attack):
    """Synthetic-over-reference density ratio of members vs non-members (KDE on PCA-reduced features)."""

    max_per_side: int = 2000  # members and non-members scored, at most, on each side
    n_components: int = 10  # PCA dimensions the densities are estimated in
    bandwidth: float | None = None  # KDE bandwidth in whitened units (None: Scott's rule per fitted set)
    n_bootstrap: int = 500  # bootstrap resamples of AUC, advantage and the low-FPR TPRs
    space: str = "auto"  # "text" (MiniLM), "rows" (structured fields), "auto": rows for tables only

    applies_to: ClassVar[frozenset[str]] = frozenset({"records", "table"})
    uses_embeddings: ClassVar[bool] = True

    def __post_init__(self) -> None:
        check_int("max_per_side", self.max_per_side, 1)
        check_int("n_components", self.n_components, 1)
        check_int("n_bootstrap", self.n_bootstrap, 1)
        if self.bandwidth is not None:
            check_positive("bandwidth", self.bandwidth)
        if self.space not in mia_dcr.SPACES:
            raise ValueError(f"space must be one of {', '.join(mia_dcr.SPACES)}, got {self.space!r}")

    def uses_rows(self, release: Release) -> bool:
        return _rows.uses_rows(self.space, release)

    def applies(self, release: Release, splits: Splits) -> bool:
        """Synthetic records or released rows; members, non-members and a reference sample (``test``)."""
        if release.kind not in self.applies_to or not (splits.train and splits.control and len(splits.test) >= 2):
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
            found = _rows.encoded(_rows.release_frame(release), splits.test, members, nonmembers)
            if found is None:
                self.not_applicable_ = {f"{PREFIX}.auc": "the released rows share no column with the real records"}
                return {}
            synthetic, (reference, member, nonmember), _ = found
        else:
            synthetic = mia_dcr.embed_texts([r.text for r in release.records])
            reference, member, nonmember = (mia_dcr.embed_texts([r.text for r in records])
                                            for records in (splits.test, members, nonmembers))
        member_scores, nonmember_scores = _density.density_ratio(
            np.asarray(synthetic, float), np.asarray(reference, float),
            [np.asarray(member, float), np.asarray(nonmember, float)],
            n_components=self.n_components, bandwidth=self.bandwidth, seed=seed)
        scores, self.not_applicable_ = stats.membership_scores(PREFIX, member_scores, nonmember_scores, seed=seed,
                                                               n_resamples=self.n_bootstrap)
        return scores
