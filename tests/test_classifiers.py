"""tfidf_logreg reference classifier."""

from __future__ import annotations

import numpy as np
import pytest

from mhprivbench.errors import ConfigError
from mhprivbench.registry import create
from mhprivbench.utility.classifiers import TfidfLogReg, top_columns

TEXTS = ["i feel sad and empty", "so happy and calm today", "panic and worry all night",
         "sad empty crying", "happy calm grateful", "worry panic heart racing"]
LABELS = ["depression", "none", "anxiety", "depression", "none", "anxiety"]


def test_fit_predict_proba_shape_and_class_order() -> None:
    clf = create("classifier", "tfidf_logreg").fit(TEXTS, LABELS, seed=0)
    assert clf.classes_ == ["anxiety", "depression", "none"]
    proba = clf.predict_proba(["sad and empty", "panic worry", "happy calm"])
    assert proba.shape == (3, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(proba.argmax(axis=1)) == [1, 0, 2]
    assert clf.predict(["sad and empty"]) == ["depression"]


def test_missing_label_only_seen_classes() -> None:
    clf = TfidfLogReg().fit(TEXTS[:2] + TEXTS[3:5], LABELS[:2] + LABELS[3:5])
    assert clf.classes_ == ["depression", "none"]
    assert clf.predict_proba(["x"]).shape == (1, 2)


def test_single_label_and_empty_texts_give_constant_model() -> None:
    clf = TfidfLogReg().fit(["a b", "c d"], ["x", "x"])
    np.testing.assert_allclose(clf.predict_proba(["z", "y"]), [[1.0], [1.0]])
    clf = TfidfLogReg().fit(["", "", ""], ["x", "y", "y"])
    np.testing.assert_allclose(clf.predict_proba(["z"]), [[1 / 3, 2 / 3]])


def test_exposed_strings_are_vocabulary_tokens() -> None:
    clf = TfidfLogReg(ngram_max=2).fit(TEXTS, LABELS)
    exposed = clf.exposed_strings()
    assert {"sad", "panic", "grateful"} <= exposed
    assert not any(" " in token for token in exposed)


@pytest.mark.parametrize("params", [{"C": 0}, {"ngram_max": 0}, {"max_features": 0}, {"min_df": 1.5}])
def test_bad_params(params: dict) -> None:
    with pytest.raises(ConfigError):
        create("classifier", "tfidf_logreg", **params)


def test_top_columns_breaks_frequency_ties_by_term() -> None:
    from scipy.sparse import csr_matrix

    # columns in term order a, b, c, d with corpus frequencies 2, 3, 2, 1: top 2 = b (3), then a over c (tie at 2)
    counts = csr_matrix(np.array([[1, 2, 1, 0], [1, 1, 1, 1]]))
    assert top_columns(counts, 2).tolist() == [0, 1]
    assert top_columns(counts, 3).tolist() == [0, 1, 2]
    assert top_columns(counts, None).tolist() == top_columns(counts, 4).tolist() == [0, 1, 2, 3]


def test_max_features_with_ties_keeps_the_first_terms_by_name() -> None:
    # every word occurs exactly once: all tied, so the 3 kept are the alphabetically first (not the CPU's sort order)
    texts = ["kiwi fig", "date apple", "lime cherry", "banana grape"]
    clf = TfidfLogReg(ngram_max=1, max_features=3).fit(texts, ["x", "y", "x", "y"])
    assert clf.vocabulary_ == {"apple": 0, "banana": 1, "cherry": 2}
    assert clf.exposed_strings() == {"apple", "banana", "cherry"}


def test_equals_sklearn_tfidf_vectorizer_without_ties_at_the_cut() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts, labels = TEXTS * 3 + ["sad sad sad panic", "calm calm happy"], LABELS * 3 + ["depression", "none"]
    # term counts: sad 9, and 9, calm 8, happy 7, panic 7 | empty 6, worry 6, ... (16 terms): no tie at the cut
    # between ranks 5 and 6, so sklearn's unstable sort keeps the same 5 terms
    reference = make_pipeline(TfidfVectorizer(sublinear_tf=True, max_features=5),
                              LogisticRegression(C=4.0, max_iter=2000, random_state=0)).fit(texts, labels)
    clf = TfidfLogReg(ngram_max=1, max_features=5).fit(texts, labels, seed=0)
    assert clf.vocabulary_ == reference[0].vocabulary_ == {"and": 0, "calm": 1, "happy": 2, "panic": 3, "sad": 4}
    probe = ["sad and calm", "panic worry", "happy", "nothing known"]
    np.testing.assert_allclose(clf.predict_proba(probe), reference.predict_proba(probe), rtol=0, atol=1e-12)
    bigrams = make_pipeline(TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2)),
                            LogisticRegression(C=4.0, max_iter=2000, random_state=0)).fit(texts, labels)
    clf = TfidfLogReg().fit(texts, labels, seed=0)  # defaults: 1-2 grams, fewer terms than max_features
    assert clf.vocabulary_ == bigrams[0].vocabulary_
    np.testing.assert_allclose(clf.predict_proba(probe), bigrams.predict_proba(probe), rtol=0, atol=1e-12)


def test_min_df_pruning_every_term_gives_constant_model() -> None:
    clf = TfidfLogReg(min_df=2).fit(["a b", "c d", "e f"], ["x", "y", "y"])
    np.testing.assert_allclose(clf.predict_proba(["a"]), [[1 / 3, 2 / 3]])
