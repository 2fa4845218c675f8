"""Seeds (DESIGN section 5): notebook splits equal suite splits, mechanism and attack streams are separate, and a
release without a seed draws fresh randomness (DP noise from OS entropy)."""

from dataclasses import dataclass

import numpy as np
import pytest

import mhprivbench as mh
from mhprivbench import runner
from mhprivbench.base import Anonymizer, Trainer
from mhprivbench.evaluator import Evaluation
from mhprivbench.mechanisms import release
from mhprivbench.specs import parse_suite
from mhprivbench.types import Release

DATA = {"n_personas": 24, "posts_per_persona": 4, "n_decoys": 10}
SUITE = {"name": "seeds", "seeds": [3, 4], "datasets": [{"name": "synthmh", "params": DATA}],
         "mechanisms": [{"kind": "baseline", "name": "identity"}, {"kind": "anonymizer", "name": "regex"}]}
PARTS = ("train", "test", "control", "aux")


@pytest.fixture(scope="module")
def plan():
    found = runner.plan_suite(parse_suite(SUITE))
    runner._init_worker(found.corpora)
    return found


def _uids(splits):
    return {part: [r.uid for r in getattr(splits, part)] for part in PARTS}


def test_runner_splits_equal_corpus_split_with_the_suite_seed(plan):
    corpus = mh.load_dataset("synthmh", **DATA)
    by_seed = {}
    for cell in plan.cells:
        ours = _uids(runner._splits_for(cell))
        assert ours == _uids(corpus.split(seed=cell.seed)), f"seed {cell.seed}, {cell.mechanism.name}"
        by_seed.setdefault(cell.seed, ours)
    assert by_seed[3] != by_seed[4]  # the seed matters, so the comparison above could fail


def test_mechanism_and_attack_seeds_are_separate_streams(plan):
    for cell in plan.cells:
        assert cell.mechanism_seed == runner.derive_seed("mechanism", cell.seed, cell.cell_id)
        assert cell.attack_seed == runner.derive_seed("attack", cell.seed, cell.cell_id)
    seeds = [c.mechanism_seed for c in plan.cells] + [c.attack_seed for c in plan.cells]
    assert len(set(seeds)) == 2 * len(plan.cells)


def test_run_cell_gives_mechanism_and_evaluator_their_own_stream(plan, monkeypatch):
    seen: dict[str, list] = {"mechanism": [], "attack": []}

    def fake_release(mechanism, train, *, seed, labels):
        seen["mechanism"].append(seed)
        return Release(kind="records", records=tuple(train))

    class FakeEvaluator:
        def evaluate(self, released, splits, *, seed, retrain):
            seen["attack"].append(seed)
            retrain(splits.train[:3])  # reference models go through the mechanism's stream
            return Evaluation(scores={}, not_applicable={}, timings={})

    monkeypatch.setattr(runner, "make_release", fake_release)
    monkeypatch.setattr(runner, "build_evaluator", lambda settings: FakeEvaluator())
    cell = plan.cells[0]
    result = runner.run_cell(cell)
    assert seen == {"mechanism": [cell.mechanism_seed] * 2, "attack": [cell.attack_seed]}
    assert result.release.max_contribution >= 1


class _Constant:
    classes_ = ["a", "b"]

    def predict_proba(self, texts):
        return np.full((len(texts), 2), 0.5)


@dataclass
class _SeedRecorder(Trainer):
    plugin_kind = "trainer"

    def fit(self, records, *, seed=0, labels=None):
        self.seen_ = seed
        return _Constant()


@dataclass
class _DPSeedRecorder(_SeedRecorder):
    epsilon: float = 1.0
    neighbouring = "replace_one"
    privacy_unit = "record"


def test_release_without_seed_draws_fresh_randomness():
    train = mh.load_dataset("synthmh", **DATA).split(seed=0).train
    dp = _DPSeedRecorder()
    released = release(dp, train)
    assert dp.seen_ is None  # DP noise from OS entropy, never from a derived 32-bit seed
    assert (released.epsilon, released.neighbouring, released.privacy_unit) == (1.0, "replace_one", "record")
    plain = [_SeedRecorder(), _SeedRecorder()]
    for mechanism in plain:
        assert release(mechanism, train).neighbouring is None
    assert all(isinstance(m.seen_, int) and 0 <= m.seen_ < 2**32 for m in plain)
    assert plain[0].seen_ != plain[1].seen_  # fresh draws (equal with probability 2^-32)
    release(dp, train, seed=7)
    assert dp.seen_ == 7


def test_anonymizer_without_seed_gets_a_128_bit_secret():
    @dataclass
    class Recorder(Anonymizer):
        plugin_kind = "anonymizer"

        def detect(self, texts):
            return [[] for _ in texts]

        def rewrite(self, records, detected, *, seed=0):
            self.seen_ = seed
            return list(records)

    train = mh.load_dataset("synthmh", **DATA).split(seed=0).train
    mechanism = Recorder()
    release(mechanism, train)
    assert 2**32 <= mechanism.seen_ < 2**128  # below 2^32 with probability 2^-96: a key no one can enumerate
    release(mechanism, train, seed=3)
    assert mechanism.seen_ == 3


def test_dp_ngram_noise_differs_without_seed_and_repeats_with_one():
    splits = mh.load_dataset("synthmh", **DATA).split(seed=0)

    def noisy_counts(seed):
        generator = mh.create("generator", "dp_ngram", epsilon=1.0)
        release(generator, splits.train, seed=seed, labels=splits.labels)
        return generator.priors_

    assert noisy_counts(5) == noisy_counts(5)
    assert noisy_counts(None) != noisy_counts(None)


def test_check_mechanism_rejects_epsilon_without_neighbouring_or_unit(monkeypatch):
    from mhprivbench import registry
    from mhprivbench.testing import check_mechanism, tiny_splits

    @dataclass
    class NoUnit(Anonymizer):
        epsilon: float = 1.0

        def detect(self, texts):
            return [[] for _ in texts]

        def rewrite(self, records, detected, *, seed=0):
            return list(records)

    @dataclass
    class WithUnit(NoUnit):
        neighbouring = "add_remove"
        privacy_unit = "author"

    for name, cls in (("dp_no_unit_dummy", NoUnit), ("dp_with_unit_dummy", WithUnit)):
        monkeypatch.setitem(registry._REGISTRY["anonymizer"], name, cls)
        cls.plugin_kind, cls.plugin_name = "anonymizer", name
    splits = tiny_splits()
    with pytest.raises(AssertionError, match="neighbouring relation"):
        check_mechanism(NoUnit(), splits)
    assert check_mechanism(WithUnit(), splits).privacy_unit == "author"
