"""mia_domias: density-ratio membership inference (hand-computed densities; a copy release as positive control,
an independent corpus and independently sampled table columns as negative controls)."""

import math

import numpy as np
import pandas as pd
import pytest

from mhprivbench import load_dataset, registry
from mhprivbench.attacks import _density, mia_dcr
from mhprivbench.mechanisms import release
from mhprivbench.tables import records_to_frame
from mhprivbench.testing import check_scores, tiny_splits
from mhprivbench.testing.copy_generator import CopyGenerator
from mhprivbench.types import Release, Splits


def bow_embed(texts):
    """Stand-in for MiniLM: l2-normalized hashed bag of words (fast, deterministic, says which words occur)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(n_features=128, alternate_sign=False).transform(list(texts)).toarray()


@pytest.fixture(scope="module")
def splits():
    return tiny_splits(seed=3)


@pytest.fixture()
def stand_in(monkeypatch):
    monkeypatch.setattr(mia_dcr, "embed_texts", bow_embed)


def test_kde_and_ratio_by_hand():
    """A single point at distance 0: log N(0; 0, h^2 I_d) = -d/2 log(2 pi h^2). Equal sets give ratio 0."""
    point = np.zeros((1, 3))
    assert _density.log_density(point, point, 0.5)[0] == pytest.approx(-1.5 * math.log(2 * math.pi * 0.25))
    assert _density.scott_bandwidth(16, 4) == pytest.approx(16 ** -0.125)
    rows = np.random.default_rng(0).normal(size=(40, 5))
    ratio = _density.density_ratio(rows, rows.copy(), [rows[:7]], n_components=3, bandwidth=None, seed=0)[0]
    np.testing.assert_allclose(ratio, 0.0, atol=1e-9)
    # synthetic rows piled on the first query: its ratio is the largest
    pile = np.vstack([rows, np.repeat(rows[:1], 20, axis=0)])
    ratio = _density.density_ratio(pile, rows, [rows[:7]], n_components=3, bandwidth=None, seed=0)[0]
    assert int(np.argmax(ratio)) == 0


def test_domias_on_text_flags_a_copy_and_spares_an_independent_corpus(splits, stand_in):
    attack = registry.create("attack", "mia_domias", n_bootstrap=100)
    copy = attack.run(release(CopyGenerator(), splits.train, seed=0), splits, seed=0)
    check_scores(copy, texts=[r.text for r in splits.train], attack=attack)
    assert copy["mia.domias.auc"].value > 0.9 and copy["mia.domias.auc"].ci_low > 0.5
    assert "mia.domias.tpr_at_1pct_fpr" in attack.not_applicable_  # 65 non-members support no 1% FPR
    public = load_dataset("synthmh", n_personas=48, posts_per_persona=5, n_decoys=24, seed=99).records
    independent = Release(kind="records", records=public[:len(splits.train)])
    spared = registry.create("attack", "mia_domias", n_bootstrap=100).run(independent, splits, seed=0)
    assert abs(spared["mia.domias.auc"].value - 0.5) < 0.15
    again = registry.create("attack", "mia_domias", n_bootstrap=100).run(independent, splits, seed=0)
    assert again["mia.domias.auc"].value == spared["mia.domias.auc"].value, "seeded"


def test_domias_on_rows(splits):
    copy = Release(kind="table", table=records_to_frame(splits.train))
    test = records_to_frame(splits.test)
    rng = np.random.default_rng(0)
    clean = Release(kind="table", table=pd.DataFrame(
        {c: test[c].to_numpy()[rng.integers(0, len(test), len(splits.train))] for c in test.columns}))
    attack = registry.create("attack", "mia_domias", n_bootstrap=100)
    flagged, spared = attack.run(copy, splits, seed=0), attack.run(clean, splits, seed=0)
    assert flagged["mia.domias.auc"].value > 0.65 and flagged["mia.domias.auc"].ci_low > 0.5
    assert abs(spared["mia.domias.auc"].value - 0.5) < 0.15


def test_domias_scope_and_reference(splits, stand_in):
    """The reference is ``test`` (disjoint from the evaluated non-members): without it the attack does not apply."""
    attack = registry.create("attack", "mia_domias")
    copy = release(CopyGenerator(), splits.train, seed=0)
    assert attack.applies(copy, splits)
    no_reference = Splits(train=splits.train, test=(), control=splits.control, aux=())
    assert not attack.applies(copy, no_reference)
    assert not attack.applies(Release(kind="records", records=splits.train, aligned=True), splits)
    assert not attack.applies(Release(kind="model"), splits)
    assert registry.get("attack", "mia_domias").uses_embeddings
    for bad in ({"n_components": 0}, {"bandwidth": 0}, {"space": "x"}, {"max_per_side": 0}):
        with pytest.raises(ValueError):
            registry.create("attack", "mia_domias", **bad)
