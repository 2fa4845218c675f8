"""Shared featurizers.

``hash_features`` is data-independent (no vocabulary is learned from the data), so it costs no privacy budget and a
model trained on it stores no strings: the basis of the DP trainers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # scikit-learn's default word tokens


def hash_features(
    texts: Sequence[str], *, n_features: int = 2**10, ngram_max: int = 2, bias: bool = False
) -> sp.csr_matrix:
    """Word 1..ngram_max grams hashed into ``n_features`` columns, every row scaled to L2 norm <= 1.

    ``bias=True`` appends a constant column and scales so that the whole row, bias included, still has norm <= 1
    (row = [x / sqrt(2), 1 / sqrt(2)] with ||x|| <= 1): a DP learner can then learn an intercept as an ordinary,
    regularized weight while the declared ``data_norm=1`` stays true for the vector it actually sees.
    """
    if n_features < 1:
        raise ValueError(f"n_features must be >= 1, got {n_features}")
    vectorizer = HashingVectorizer(
        n_features=n_features, ngram_range=(1, ngram_max), alternate_sign=False, norm="l2",
        lowercase=True, token_pattern=TOKEN_PATTERN,
    )
    matrix = vectorizer.transform(list(texts)).tocsr().astype(np.float64)
    if not bias:
        return matrix
    scale = 1.0 / np.sqrt(2.0)
    ones = sp.csr_matrix(np.full((matrix.shape[0], 1), scale))
    return sp.hstack([matrix * scale, ones], format="csr")


def word_features(texts: Sequence[str], *, n_features: int = 2**12) -> sp.csr_matrix:
    """Which words occur (binary unigrams, lowercased), hashed into ``n_features`` columns, rows L2 norm <= 1.

    scikit-learn's public English stop-word list is dropped first, so that a record's unit norm is spread over
    the words that carry its topic rather than over "the", "and", "i". Like ``hash_features`` it learns nothing
    from the data (no vocabulary, no idf), so it costs no privacy budget.
    """
    if n_features < 1:
        raise ValueError(f"n_features must be >= 1, got {n_features}")
    vectorizer = HashingVectorizer(
        n_features=n_features, ngram_range=(1, 1), alternate_sign=False, norm="l2", binary=True,
        lowercase=True, token_pattern=TOKEN_PATTERN, stop_words="english",
    )
    return vectorizer.transform(list(texts)).tocsr().astype(np.float64)
