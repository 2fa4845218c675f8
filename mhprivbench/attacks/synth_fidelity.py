"""synth_fidelity: how close a synthetic release is to real data, next to what real data itself scores.

- ``fidelity.embedding_fd`` (synthetic records; lower is better): Frechet distance (``_frechet``) between the
  MiniLM embeddings of the synthetic texts and of the real held-out texts ``splits.test``. Baseline: the same
  distance for real records the release never saw, ``splits.control``, in place of the synthetic ones: two
  disjoint real samples, i.e. what "as good as real" looks like. The Frechet distance is biased upward at small
  sample sizes, so both sides use the same sizes: the synthetic and control texts are subsampled with the seed to
  ``m = min(synthetic, control, max_texts)`` each, the test texts to at most ``max_texts``. Interval: percentile
  bootstrap (``n_bootstrap``) resampling synthetic and test rows independently.
- ``fidelity.sdmetrics_quality`` (table releases, or synthetic records with fields; higher is better): SDMetrics
  ``QualityReport`` of the released rows against the train rows on their shared columns, bootstrap interval over
  the released rows (``n_quality_bootstrap`` reports); baseline: the control rows' score.
- ``synth.sdm_dcr_baseline_protection`` (same releases, only with ``sdm_dcr: true``: SDMetrics' DCR code takes
  about 2 s per subsample of 250 rows against 1,000 train rows, so about 12 s per release with its baseline, while
  ``mia_dcr`` measures row copying in under a second; higher is better, i.e. farther from the real rows than
  random rows are): SDMetrics ``DCRBaselineProtection`` against the train rows on
  ``sdm_iterations`` subsamples of ``sdm_rows`` rows (range of the subsample scores as interval); baseline: the
  control rows' score (a fresh real sample sits close to real rows too, so a value near it is no copying signal
  by itself; a value far below it is).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks import _frechet, _rows, _table_fidelity, mia_dcr
from mhprivbench.attacks.anonymeter_risks import quiet_seeded
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.tables import records_to_frame
from mhprivbench.types import Classifier, Record, Release, Score, Splits
from mhprivbench.validation import check_int


def subsample(records, size: int, rng: np.random.Generator) -> list:
    """``size`` of ``records`` chosen with ``rng`` (in their order), or all of them when there are no more."""
    if len(records) <= size:
        return list(records)
    return [records[i] for i in sorted(rng.choice(len(records), size=size, replace=False))]


@register("attack", "synth_fidelity")
@dataclass
class SynthFidelity(Attack):
    """Frechet distance of synthetic-text embeddings to real text; SDMetrics quality and DCR of released rows."""

    max_texts: int = 1000  # texts embedded, at most, per side of the Frechet distance
    n_bootstrap: int = 50  # bootstrap resamples of the Frechet distance
    n_quality_bootstrap: int = 10  # bootstrap resamples (QualityReports) of the SDMetrics quality
    sdm_dcr: bool = False  # also SDMetrics DCRBaselineProtection (about 2 s per subsample at 1,000 train rows)
    sdm_rows: int = 250  # synthetic rows per DCRBaselineProtection subsample (each against all train rows)
    sdm_iterations: int = 3  # DCRBaselineProtection subsamples

    applies_to: ClassVar[frozenset[str]] = frozenset({"records", "table"})
    uses_embeddings: ClassVar[bool] = True

    def __post_init__(self) -> None:
        check_int("max_texts", self.max_texts, 2)
        for name in ("n_bootstrap", "n_quality_bootstrap", "sdm_iterations"):
            check_int(name, getattr(self, name), 1)
        check_int("sdm_rows", self.sdm_rows, 10)
        if not isinstance(self.sdm_dcr, bool):
            raise ValueError(f"sdm_dcr must be true or false, got {self.sdm_dcr!r}")

    def _texts_apply(self, release: Release, splits: Splits) -> bool:
        return (release.kind == "records" and not release.aligned and len(release.records or ()) >= 2
                and len(splits.test) >= 2 and len(splits.control) >= 2)

    def _rows_apply(self, release: Release, splits: Splits) -> bool:
        return len(splits.train) >= 2 and len(splits.control) >= 2 and _rows.release_frame(release) is not None

    def applies(self, release: Release, splits: Splits) -> bool:
        """Synthetic records (text), and/or released rows (a table, or synthetic records with fields)."""
        return release.kind in self.applies_to and (self._texts_apply(release, splits)
                                                    or self._rows_apply(release, splits))

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        self.not_applicable_: dict[str, str] = {}
        out: dict[str, Score] = {}
        if not self.applies(release, splits):
            return out
        if self._texts_apply(release, splits):
            out["fidelity.embedding_fd"] = self.embedding_fd(release.records, splits, seed)
        if self._rows_apply(release, splits):
            out.update(self.table_scores(_rows.release_frame(release), splits, seed))
        return out

    def embedding_fd(self, synthetic: list[Record], splits: Splits, seed: int) -> Score:
        """``fidelity.embedding_fd`` with its bootstrap interval and the real-vs-real baseline."""
        rng = np.random.default_rng(seed)
        m = min(len(synthetic), len(splits.control), self.max_texts)
        syn, ctrl = subsample(synthetic, m, rng), subsample(splits.control, m, rng)
        test = subsample(splits.test, self.max_texts, rng)
        x, b, y = (np.asarray(mia_dcr.embed_texts([r.text for r in records]), float) for records in (syn, ctrl, test))
        value = _frechet.frechet_distance(x, y)
        low, high = _frechet.frechet_interval(x, y, n_resamples=self.n_bootstrap, seed=seed)
        return stats.interval_score(value, low, high, higher_is_better=False,
                                    baseline=_frechet.frechet_distance(b, y), n=len(x) + len(y))

    def table_scores(self, rows, splits: Splits, seed: int) -> dict[str, Score]:
        """``fidelity.sdmetrics_quality`` and ``synth.sdm_dcr_baseline_protection`` of ``rows`` vs train."""
        train, control = records_to_frame(splits.train), records_to_frame(splits.control)
        columns = _rows.shared_columns(rows, train, control)
        if not columns:
            self.not_applicable_["fidelity.sdmetrics_quality"] = "the released rows share no column with train"
            return {}
        rows, train, control = _rows.frames_on(columns, rows, train, control)
        meta = _table_fidelity.metadata(train)
        out = {}
        with quiet_seeded(seed):
            value, low, high = _table_fidelity.quality_with_interval(
                train, rows, meta, n_resamples=self.n_quality_bootstrap, seed=seed)
            out["fidelity.sdmetrics_quality"] = stats.interval_score(
                value, low, high, higher_is_better=True, baseline=_table_fidelity.quality(train, control, meta),
                n=len(rows))
            if self.sdm_dcr:
                out.update(self._sdm_dcr(train, rows, control, meta, seed))
        return out

    def _sdm_dcr(self, train, rows, control, meta, seed: int) -> dict[str, Score]:
        key = "synth.sdm_dcr_baseline_protection"
        kwargs = {"rows": self.sdm_rows, "iterations": self.sdm_iterations, "seed": seed}
        value, low, high = _table_fidelity.dcr_baseline_protection(train, rows, meta, **kwargs)
        baseline, _, _ = _table_fidelity.dcr_baseline_protection(train, control, meta, **kwargs)
        if not (np.isfinite(value) and np.isfinite(baseline)):
            self.not_applicable_[key] = "every real row sits at distance 0 from random rows: no DCR scale"
            return {}
        return {key: stats.interval_score(value, low, high, higher_is_better=True, baseline=baseline,
                                          n=min(self.sdm_rows, len(rows)))}
