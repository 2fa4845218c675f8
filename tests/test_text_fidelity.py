"""``text_fidelity``: hand-computed token retention outside gold spans, identity = 1.0, texts of other records at
the baseline, applicability."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from mhprivbench.attacks.text_fidelity import derangement, non_pii_tokens, retained
from mhprivbench.mechanisms import release
from mhprivbench.registry import create
from mhprivbench.testing import check_scores, tiny_splits
from mhprivbench.types import Record, Release, Span, Splits


def test_non_pii_tokens_skip_gold_spans_and_retention_counts_a_multiset():
    record = Record("u", "Anna feels sad, sad today", "x", spans=(Span(0, 4, "PERSON"),))
    tokens = non_pii_tokens(record)
    assert tokens == Counter({"sad": 2, "feels": 1, "today": 1})
    assert retained(tokens, "<PERSON> feels SAD today") == 3  # one "sad" of two survives
    assert retained(tokens, "anna anna anna") == 0


def test_derangement_has_no_fixed_point_and_is_seeded():
    for n in (2, 3, 10, 101):
        partner = derangement(n, seed=n)
        assert sorted(partner) == list(range(n)) and not np.any(partner == np.arange(n))
    assert derangement(50, 1).tolist() == derangement(50, 1).tolist() != derangement(50, 2).tolist()


@pytest.mark.slow
def test_hand_computed_retention_and_identity_similarity():
    train = (Record("u1", "Anna feels sad today", "x", spans=(Span(0, 4, "PERSON"),)),
             Record("u2", "work was fine", "x"))
    rewrites = (Record("u1", "<PERSON> feels sad", "x"), Record("u2", "work was fine", "x"))
    splits = Splits(train=train, test=(), control=(), aux=())
    scores = create("attack", "text_fidelity", n_bootstrap=50).run(
        Release(kind="records", records=rewrites, aligned=True), splits, seed=0)
    retention = scores["fidelity.token_retention"]
    assert retention.value == pytest.approx(5 / 6) and retention.n == 6  # feels sad + work was fine of 6 tokens
    assert retention.baseline == pytest.approx(0.0)  # the two texts share no token
    assert 0.0 < scores["fidelity.semantic_similarity"].value < 1.0
    assert retention.higher_is_better and scores["fidelity.semantic_similarity"].higher_is_better


@pytest.mark.slow
def test_identity_scores_one_and_other_records_score_at_the_baseline():
    import mhprivbench.testing.controls  # noqa: F401  (registers ctrl_swap_authors)

    splits = tiny_splits(seed=2)
    attack = create("attack", "text_fidelity", n_bootstrap=100)
    same = attack.run(release(create("anonymizer", "identity"), splits.train, seed=0), splits, seed=0)
    check_scores(same, secrets=[r.text[s.start:s.end] for r in splits.train for s in r.spans],
                 texts=[r.text for r in splits.train])
    for key in ("fidelity.token_retention", "fidelity.semantic_similarity"):
        assert same[key].value == pytest.approx(1.0, abs=1e-5) and same[key].baseline < 0.6
    swapped = attack.run(release(create("anonymizer", "ctrl_swap_authors"), splits.train, seed=0), splits, seed=0)
    for key in ("fidelity.token_retention", "fidelity.semantic_similarity"):
        assert abs(swapped[key].value - swapped[key].baseline) < 0.08, key
        assert swapped[key].ci_high < same[key].value


def test_applies_only_to_aligned_records_releases():
    attack = create("attack", "text_fidelity")
    splits = Splits(train=(Record("u1", "hello there", "x"),), test=(), control=(), aux=())
    assert not attack.applies(Release(kind="records", records=splits.train, aligned=False), splits)
    assert not attack.applies(Release(kind="model", model=object()), splits)
    assert attack.uses_embeddings is True
