"""Density-ratio scores for DOMIAS (van Breugel et al. 2023): ``log p_synth(x) - log p_ref(x)``.

Both densities are Gaussian kernel density estimates (scikit-learn ``KernelDensity``) in one shared space: the
features are projected by a PCA fitted on the synthetic and reference rows together (data the attacker holds) to
at most ``n_components`` whitened dimensions, so one bandwidth suits every axis. The bandwidth defaults to Scott's
rule ``n ** (-1 / (d + 4))`` of each fitted set (whitened data has unit variance).
"""

from __future__ import annotations

import numpy as np


def projection(synthetic: np.ndarray, reference: np.ndarray, n_components: int, seed: int):
    """A fitted whitening PCA (at most ``n_components`` and the rank the rows allow) on both sets together."""
    from sklearn.decomposition import PCA

    both = np.vstack([synthetic, reference])
    spread = both.std(axis=0) > 1e-12
    k = max(1, min(n_components, int(spread.sum()), len(both) - 1))
    return PCA(n_components=k, whiten=True, svd_solver="full", random_state=seed).fit(both)


def scott_bandwidth(n: int, d: int) -> float:
    """Scott's rule for unit-variance data: ``n ** (-1 / (d + 4))``."""
    return float(max(n, 1) ** (-1.0 / (d + 4)))


def log_density(fit_rows: np.ndarray, query: np.ndarray, bandwidth: float | None) -> np.ndarray:
    """Gaussian KDE of ``fit_rows`` evaluated at ``query`` (log density)."""
    from sklearn.neighbors import KernelDensity

    h = bandwidth if bandwidth is not None else scott_bandwidth(len(fit_rows), fit_rows.shape[1])
    return KernelDensity(kernel="gaussian", bandwidth=h).fit(fit_rows).score_samples(query)


def density_ratio(synthetic: np.ndarray, reference: np.ndarray, queries: list[np.ndarray], *, n_components: int,
                  bandwidth: float | None, seed: int) -> list[np.ndarray]:
    """``log p_synth(q) - log p_ref(q)`` for each query array, in the shared whitened PCA space."""
    pca = projection(synthetic, reference, n_components, seed)
    syn, ref = pca.transform(synthetic), pca.transform(reference)
    out = []
    for query in queries:
        projected = pca.transform(query)
        out.append(log_density(syn, projected, bandwidth) - log_density(ref, projected, bandwidth))
    return out
