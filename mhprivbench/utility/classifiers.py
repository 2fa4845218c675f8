"""Reference classifiers: trained on a release (or its records) and tested on real unseen text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mhprivbench.registry import register
from mhprivbench.threads import single_threaded_blas
from mhprivbench.validation import check_int, check_positive

_WORD = re.compile(r"\w+")
_NO_WORDS = ("empty vocabulary", "no terms remain")  # sklearn's errors for texts without a usable term


def top_columns(counts, limit: int | None) -> np.ndarray:
    """Indices (ascending) of the ``limit`` columns of a term-count matrix with the highest corpus frequency.

    Columns must be in term order (as ``CountVectorizer`` without ``max_features`` gives them), so the stable
    sort breaks frequency ties by term: the kept set is the first ``limit`` terms by (-frequency, term), the same
    on every CPU. sklearn's ``max_features`` ranks the same frequencies with an unstable sort whose tie order
    depends on the CPU's SIMD features; without ties at the cut both keep the same terms.
    """
    n_terms = counts.shape[1]
    if limit is None or n_terms <= limit:
        return np.arange(n_terms)
    frequency = np.asarray(counts.sum(axis=0)).ravel()
    return np.sort(np.argsort(-frequency, kind="stable")[:limit])


@register("classifier", "tfidf_logreg")
@dataclass
class TfidfLogReg:
    """Word tf-idf (sublinear tf, 1..ngram_max grams) + logistic regression.

    ``classes_`` holds only the labels seen in training (sorted); evaluators map columns to their own label set.
    A training set with a single label, or without a single word, gives a constant classifier (label frequencies).
    ``max_features`` keeps the most frequent terms (total count in the training texts), ties broken by term, so
    the vocabulary and every score are the same on any CPU (equal to sklearn's ``TfidfVectorizer`` without ties).
    """

    C: float = 4.0
    ngram_max: int = 2
    min_df: int = 1
    max_features: int | None = 50000

    def __post_init__(self) -> None:
        check_positive("C", self.C)
        check_int("ngram_max", self.ngram_max, 1)
        check_int("min_df", self.min_df, 1)
        check_int("max_features", self.max_features, 1, allow_none=True)

    @single_threaded_blas
    def fit(self, texts: Sequence[str], labels: Sequence[str], *, seed: int = 0) -> TfidfLogReg:
        from sklearn.linear_model import LogisticRegression

        texts, labels = list(texts), [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ValueError(f"got {len(texts)} texts but {len(labels)} labels")
        if not texts:
            raise ValueError("cannot fit a classifier on zero records")
        self.classes_ = sorted(set(labels))
        self.prior_ = np.array([labels.count(c) for c in self.classes_], dtype=float) / len(labels)
        self.constant_ = len(self.classes_) == 1
        self.vocabulary_: dict[str, int] = {}
        try:
            features = self._fit_features(texts)
        except ValueError as error:
            if not any(message in str(error) for message in _NO_WORDS):
                raise
            self.constant_ = True  # no word at all (e.g. empty synthetic texts): predict the label frequencies
        if not self.constant_:  # a single label keeps the vocabulary so exposed_strings stays honest
            self.logreg_ = LogisticRegression(C=self.C, max_iter=2000, random_state=seed).fit(features, labels)
        return self

    def _fit_features(self, texts: list[str]):
        """Fit the vocabulary (order-stable ``max_features``) and idf; return the training tf-idf matrix."""
        from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

        ngrams = (1, self.ngram_max)
        counter = CountVectorizer(ngram_range=ngrams, min_df=self.min_df)
        counts = counter.fit_transform(texts)
        keep = top_columns(counts, self.max_features)
        terms = counter.get_feature_names_out()[keep]
        self.vocabulary_ = {str(term): i for i, term in enumerate(terms)}
        self.counter_ = CountVectorizer(ngram_range=ngrams, vocabulary=self.vocabulary_)
        self.tfidf_ = TfidfTransformer(sublinear_tf=True)
        return self.tfidf_.fit_transform(counts[:, keep])

    def _features(self, texts: list[str]):
        return self.tfidf_.transform(self.counter_.transform(texts))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if self.constant_:
            return np.tile(self.prior_, (len(texts), 1))
        proba = self.logreg_.predict_proba(self._features(texts))
        order = [list(self.logreg_.classes_).index(c) for c in self.classes_]
        return proba[:, order]

    def predict(self, texts: Sequence[str]) -> list[str]:
        proba = self.predict_proba(texts)
        return [self.classes_[i] for i in proba.argmax(axis=1)]

    def exposed_strings(self) -> frozenset[str]:
        """Tokens stored in the fitted parameters (the tf-idf vocabulary, n-grams split into words)."""
        return frozenset(token for term in self.vocabulary_ for token in _WORD.findall(term))
