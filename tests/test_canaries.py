"""Planted canaries (suite option ``split: {canaries: N}``) and the ``canary_leak`` attack."""

from __future__ import annotations

import dataclasses

import pytest

from mhprivbench import registry
from mhprivbench.applicability import NO_CANARIES
from mhprivbench.attacks.canary_leak import CanaryLeak, planted, readable_secrets
from mhprivbench.datasets.planted import PREFIX, planted_canaries, secret_digits
from mhprivbench.evaluator import Evaluator
from mhprivbench.mechanisms import release
from mhprivbench.specs import parse_suite
from mhprivbench.testing import tiny_corpus
from mhprivbench.types import Record, Span


@pytest.fixture(scope="module")
def splits():
    return tiny_corpus(0).split(seed=0, canaries=30)


def test_canaries_are_distinct_fictional_phones_with_their_spans():
    members, outsiders = planted_canaries(40, ["a", "b"], seed=3)
    both = members + outsiders
    assert len(members) == len(outsiders) == 40
    assert len({secret_digits(r) for r in both}) == 80 and len({r.author for r in both}) == 80
    for record in both:
        span = record.spans[0]
        phone = record.text[span.start:span.end]
        assert (span.entity, span.kind) == ("PHONE_NUMBER", "direct") and phone[6:12] == "555-01"
        assert len(secret_digits(record)) == 10 and record.uid.startswith(PREFIX) and record.label in ("a", "b")
    assert {r.label for r in both} == {"a", "b"}
    again, _ = planted_canaries(40, ["a", "b"], seed=3)
    assert again == members  # seeded: the same suite and seed plant the same canaries
    assert planted_canaries(40, ["a", "b"], seed=4)[0] != members


def test_split_plants_members_in_train_and_twins_in_control(splits):
    plain = tiny_corpus(0).split(seed=0)
    assert len(splits.train) == len(plain.train) + 30 and len(splits.control) == len(plain.control) + 30
    assert splits.test == plain.test and splits.aux == plain.aux and len(splits.canaries) == 60
    members, outsiders = planted(splits)
    assert len(members) == len(outsiders) == 30
    assert not {r.uid for r in members} & {r.uid for r in outsiders}


def test_suite_option_reaches_the_splits():
    suite = parse_suite({"name": "s", "datasets": [{"name": "synthmh"}],
                         "mechanisms": [{"kind": "baseline", "name": "identity"}], "split": {"canaries": 7}})
    assert suite.split.canaries == 7
    with pytest.raises(Exception, match="canaries"):
        parse_suite({"name": "s", "datasets": [{"name": "synthmh"}],
                     "mechanisms": [{"kind": "baseline", "name": "identity"}], "split": {"canaries": -1}})


def test_readable_secrets_by_hand():
    text = "call (212) 555-0142 now - abc def"
    canary = Record("canary-0000", text, "a", spans=(Span(5, 19, "PHONE_NUMBER", "direct"),))
    assert text[5:19] == "(212) 555-0142" and secret_digits(canary) == "2125550142"
    shown = [Record("r1", "reach me at 212.555.0142", "a")]  # reformatted: still readable
    split = [Record("r1", "area 212 and later 5550142", "a")]  # the digits of one record, in order: readable
    apart = [Record("r1", "212 555", "a"), Record("r2", "0142", "a")]  # across two records: not readable
    off = [Record("r1", "212-555-0143", "a")]
    assert [readable_secrets([canary], texts) for texts in (shown, split, apart, off)] == [1, 1, 0, 0]


def _run(splits, kind, name, **params):
    released = release(registry.create(kind, name, **params), splits.train, seed=0, labels=list(splits.labels))
    target = Evaluator(n_bootstrap=100).target_model(released, seed=0)
    attack = CanaryLeak(n_bootstrap=200)
    return attack.run(released, splits, seed=0, target=target), attack


def test_identity_shows_every_secret_and_regex_none(splits):
    shown, _ = _run(splits, "anonymizer", "identity")
    leak = shown["canary.secret_leak_rate"]
    assert leak.value == 1.0 and leak.baseline == 0.0 and leak.ci_low > 0.85 and not leak.higher_is_better
    removed, _ = _run(splits, "anonymizer", "regex")
    assert removed["canary.secret_leak_rate"].value == 0.0
    # the phone is gone, but the canary itself is still learnt by the reference classifier
    assert removed["canary.mia.auc"].ci_low > 0.5


def test_canary_membership_high_without_dp_and_near_chance_with(splits):
    memorized, attack = _run(splits, "trainer", "nonprivate")
    assert memorized["canary.mia.auc"].value > 0.9 and memorized["canary.mia.auc"].ci_low > 0.5
    assert "canary.secret_leak_rate" not in memorized  # a model release shows no text
    assert "raise N in `split: {canaries: N}`" in attack.not_applicable_["canary.mia.tpr_at_1pct_fpr"]
    private, _ = _run(splits, "trainer", "dp_logreg", epsilon=0.5)
    assert private["canary.mia.auc"].ci_low <= 0.5 <= private["canary.mia.auc"].ci_high


def test_without_canaries_it_says_which_setting_to_add():
    plain = tiny_corpus(0).split(seed=0)
    released = release(registry.create("anonymizer", "identity"), plain.train, seed=0)
    evaluation = Evaluator(attacks=["canary_leak"], n_bootstrap=50).evaluate(released, plain, seed=0)
    assert not any(key.startswith("canary.") for key in evaluation.scores)
    assert evaluation.not_applicable["canary_leak"] == NO_CANARIES and "split: {canaries: N}" in NO_CANARIES


def test_canaries_hold_no_dataset_text(splits):
    texts = {r.text for r in tiny_corpus(0).records}
    members, outsiders = planted(splits)
    assert not any(r.text in texts for r in members + outsiders)
    assert all(dataclasses.is_dataclass(r) for r in members)
