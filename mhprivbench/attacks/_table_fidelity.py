"""SDMetrics scores of released rows against the real train rows, each with an interval and a real-data baseline.

- ``quality``: SDMetrics ``QualityReport`` overall score (column shapes and column-pair trends, in [0, 1], higher
  is closer to the real table). Interval: bootstrap over the released rows (``n_resamples`` reports), percentiles
  shifted by the bootstrap bias (``_frechet.shifted_interval``: repeated rows lower the score), within [0, 1].
- ``dcr_baseline_protection``: SDMetrics ``DCRBaselineProtection`` (median distance of synthetic rows to the
  closest real row over the same for uniformly random rows, capped at 1; higher = farther from real rows), averaged
  over ``iterations`` subsamples of ``rows`` synthetic rows, each against every real row (its cost is the
  product of the two; subsampling the real rows too would hide copies of the rows left out); interval: the range
  of the per-subsample scores.

Both baselines are the same score for a fresh real sample: ``splits.control`` (records the release never saw)
in place of the release, i.e. what "as good as real data" gives. Metadata: a column numeric in every frame is
``numerical``, any other ``categorical``. Randomness (random rows, subsamples) is seeded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mhprivbench.attacks._frechet import shifted_interval

if TYPE_CHECKING:
    import pandas as pd

TABLE = "release"


def metadata(frame: pd.DataFrame) -> dict:
    """SDMetrics single-table metadata (``tables`` layout) from the dtypes ``_rows.frames_on`` gives."""
    import pandas as pd

    columns = {str(c): {"sdtype": "numerical" if pd.api.types.is_float_dtype(frame[c]) else "categorical"}
               for c in frame.columns}
    return {"tables": {TABLE: {"columns": columns}}}


def quality(real: pd.DataFrame, synthetic: pd.DataFrame, meta: dict) -> float:
    """QualityReport overall score."""
    from sdmetrics.reports import QualityReport

    report = QualityReport()
    report.generate({TABLE: real}, {TABLE: synthetic}, meta, verbose=False)
    return float(report.get_score())


def quality_with_interval(real, synthetic, meta, *, n_resamples: int, seed: int) -> tuple[float, float, float]:
    """(score, low, high): the bootstrap resamples the synthetic rows."""
    rng = np.random.default_rng(seed)
    value = quality(real, synthetic, meta)
    boot = [quality(real, synthetic.iloc[rng.integers(0, len(synthetic), len(synthetic))].reset_index(drop=True),
                    meta) for _ in range(n_resamples)]
    return (value, *shifted_interval(value, boot, low=0.0, high=1.0))


def dcr_baseline_protection(real, synthetic, meta, *, rows: int, iterations: int,
                            seed: int) -> tuple[float, float, float]:
    """(mean score, min, max) over ``iterations`` subsamples of ``rows`` synthetic rows against all real rows."""
    from sdmetrics.single_table import DCRBaselineProtection

    seeded = type("SeededDCRBaselineProtection", (DCRBaselineProtection,), {"_seed": seed})  # its random rows
    rng = np.random.default_rng(seed)
    scores = []
    for _ in range(iterations):
        syn_rows = synthetic.iloc[rng.choice(len(synthetic), min(rows, len(synthetic)), replace=False)]
        score = seeded.compute(real, syn_rows.reset_index(drop=True), meta, TABLE)
        if np.isfinite(score):
            scores.append(float(score))
    if not scores:
        return float("nan"), float("nan"), float("nan")
    return float(np.mean(scores)), float(min(scores)), float(max(scores))
