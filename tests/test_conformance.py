"""Every registered plugin passes the contract of its family (mhprivbench.testing)."""

import dataclasses

import pytest

from mhprivbench import registry
from mhprivbench.errors import DatasetNotFoundError
from mhprivbench.mechanisms import release as make_release
from mhprivbench.testing import check_dataset, check_mechanism, check_scores, tiny_splits

REQUIRED_DEFAULTS = {"epsilon": 1.0}  # test values for parameters that have no default
# the contract, not the quality: plugins whose default size takes minutes are checked at a tiny size
SMALL = {("generator", "tiny_lm"): {"n_layer": 1, "n_embd": 32, "n_head": 2, "epochs": 1, "max_len": 48}}


def _build(kind, name):
    cls = registry.get(kind, name)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    required = [f.name for f in fields if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    required += [f.name for f in fields if f.default is None and f.name in REQUIRED_DEFAULTS]
    missing = [p for p in required if p not in REQUIRED_DEFAULTS]
    if missing:
        pytest.skip(f"{kind} {name!r} needs {missing} (covered by its own tests)")
    return registry.create(kind, name, **{p: REQUIRED_DEFAULTS[p] for p in required}, **SMALL.get((kind, name), {}))


def _plugins(*kinds):
    return [(kind, name) for kind in kinds for name in registry.get_all(kind)]


@pytest.fixture(scope="module")
def splits():
    return tiny_splits(seed=3)


@pytest.mark.parametrize("kind, name", _plugins("anonymizer", "generator", "trainer"))
def test_mechanism_conformance(kind, name, splits):
    check_mechanism(_build(kind, name), splits, seed=5)


@pytest.mark.parametrize("name", list(registry.get_all("attack")))
@pytest.mark.parametrize("mechanism", [("anonymizer", "identity"), ("generator", "ngram"), ("trainer", "nonprivate"),
                                       ("generator", "sdv")])  # sdv: a table release, for the table attacks
def test_attack_conformance(name, mechanism, splits):
    from mhprivbench.evaluator import Evaluator

    released = make_release(_build(*mechanism), splits.train, seed=1)
    attack = _build("attack", name)
    if not attack.applies(released, splits):
        pytest.skip(f"{name} does not apply to a {released.kind} release")
    target = Evaluator().target_model(released, seed=1)
    scores = attack.run(released, splits, seed=1, target=target)
    check_scores(scores, secrets=[r.text[s.start:s.end] for r in splits.train for s in r.spans],
                 texts=[r.text for r in splits.train], attack=attack)
    again = _build("attack", name).run(released, splits, seed=1, target=target)
    assert {k: v.value for k, v in scores.items()} == {k: v.value for k, v in again.items()}, "attacks are seeded"


@pytest.mark.parametrize("name", list(registry.get_all("dataset")))
def test_dataset_conformance(name):
    try:
        plugin = _build("dataset", name)
        corpus = plugin.load()
    except DatasetNotFoundError as error:  # only absence skips: a loader failing on present data must fail
        pytest.skip(f"dataset {name!r} not available here: {error}")
    check_dataset(corpus)
    assert corpus.content_hash == plugin.load().content_hash, "loading twice gives the same corpus"
