"""Frechet distance between two sets of embeddings (as in FID, Heusel et al. 2017), with a bootstrap interval.

``FD(X, Y) = |mu_X - mu_Y|^2 + tr(S_X) + tr(S_Y) - 2 tr((S_X S_Y)^(1/2))`` with the sample means and covariances.
The trace of the matrix square root is computed without ``sqrtm``: the eigenvalues of ``S_X S_Y`` are those of
``S_X^(1/2) S_Y S_X^(1/2)`` (symmetric, d x d) and, equally, the squared singular values of
``X_c Y_c^T / sqrt((n_X - 1)(n_Y - 1))`` (n_X x n_Y, centred rows); the smaller of the two problems is solved.

The interval is a bias-corrected bootstrap (``shifted_interval``): a resample repeats rows, which inflates the
Frechet distance (fewer distinct rows, noisier covariances), so plain percentiles sit above the estimate; the
percentiles are shifted down by the bootstrap's estimate of that bias, ``mean(resamples) - estimate``.
"""

from __future__ import annotations

import numpy as np


def _trace_sqrt_product(xc: np.ndarray, yc: np.ndarray) -> float:
    """``tr((S_X S_Y)^(1/2))`` from centred rows."""
    nx, ny, d = len(xc), len(yc), xc.shape[1]
    scale = np.sqrt((nx - 1) * (ny - 1))
    if min(nx, ny) <= d:
        return float(np.linalg.svd(xc @ yc.T / scale, compute_uv=False).sum())
    sx, sy = xc.T @ xc / (nx - 1), yc.T @ yc / (ny - 1)
    values, vectors = np.linalg.eigh(sx)
    root = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
    return float(np.sqrt(np.clip(np.linalg.eigvalsh(root @ sy @ root), 0.0, None)).sum())


def frechet_distance(x: np.ndarray, y: np.ndarray) -> float:
    """Frechet distance between the Gaussians fitted to the rows of ``x`` and of ``y`` (each >= 2 rows)."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    if len(x) < 2 or len(y) < 2:
        raise ValueError("frechet_distance needs at least 2 rows on each side")
    mx, my = x.mean(axis=0), y.mean(axis=0)
    xc, yc = x - mx, y - my
    trace_x = float((xc * xc).sum() / (len(x) - 1))
    trace_y = float((yc * yc).sum() / (len(y) - 1))
    fd = float(((mx - my) ** 2).sum()) + trace_x + trace_y - 2 * _trace_sqrt_product(xc, yc)
    return max(fd, 0.0)


def shifted_interval(value: float, resampled, *, alpha: float = 0.05, low: float = -np.inf,
                     high: float = np.inf) -> tuple[float, float]:
    """Percentile interval of ``resampled`` shifted by the bootstrap bias ``mean(resampled) - value`` (so a
    statistic that resampling inflates or deflates keeps its estimate inside), clipped to [low, high]."""
    resampled = np.asarray(resampled, float)
    resampled = resampled[np.isfinite(resampled)]
    if not len(resampled):
        return float(value), float(value)
    bias = float(resampled.mean()) - value
    lo, hi = np.percentile(resampled, [100 * alpha / 2, 100 * (1 - alpha / 2)]) - bias
    return float(np.clip(lo, low, high)), float(np.clip(hi, low, high))


def frechet_interval(x: np.ndarray, y: np.ndarray, *, n_resamples: int, seed: int,
                     alpha: float = 0.05) -> tuple[float, float]:
    """Bias-corrected bootstrap interval (``shifted_interval``) of ``frechet_distance``, resampling the rows of
    each side independently."""
    rng = np.random.default_rng(seed)
    values = [frechet_distance(x[rng.integers(0, len(x), len(x))], y[rng.integers(0, len(y), len(y))])
              for _ in range(n_resamples)]
    return shifted_interval(frechet_distance(x, y), values, alpha=alpha, low=0.0)
