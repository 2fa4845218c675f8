"""tfidf_logreg reference classifier."""

from __future__ import annotations

import numpy as np
import pytest

from mhprivbench.errors import ConfigError
from mhprivbench.registry import create
from mhprivbench.utility.classifiers import TfidfLogReg

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
