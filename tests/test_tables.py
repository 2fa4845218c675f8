"""Table releases: frame conversion, the table generators (sdv, dp_marginals, hybrid, copy_table), the fields
classifier, the evaluator on tables, and a suite with table generators end to end."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mhprivbench import registry
from mhprivbench.errors import ConfigError, DataError
from mhprivbench.evaluator import Evaluator
from mhprivbench.generators._table_domains import SYNTHMH_BOUNDS, Column, synthmh_domains
from mhprivbench.generators._table_text import texts_for_labels
from mhprivbench.generators.dp_marginals import _noisy
from mhprivbench.mechanisms import release
from mhprivbench.tables import LABEL, feature_frame, frame_rows, records_to_frame
from mhprivbench.testing import tiny_splits
from mhprivbench.types import Record, Release

SYNTHMH_DOMAINS = synthmh_domains()

COLUMNS = ["age_band", "gad7", "gender", "phq9", "post_kind", LABEL]


@pytest.fixture(scope="module")
def splits():
    return tiny_splits(seed=0)


def _record(uid: str, label: str, **fields) -> Record:
    return Record(uid, "some text", label, group={"gender": fields.get("gender", "female")}, fields=fields)


# --- frames -------------------------------------------------------------------------------------------------

def test_frame_conversion_round_trip() -> None:
    records = [_record("a", "none", gender="male", phq9=3), _record("b", "anxiety", phq9=12, extra="x")]
    frame = records_to_frame(records)
    assert list(frame.columns) == ["gender", "phq9", LABEL]  # shared fields, sorted, then the label
    assert frame.to_dict("list") == {"gender": ["male", "female"], "phq9": [3, 12], LABEL: ["none", "anxiety"]}
    assert list(feature_frame(records, ["phq9", "extra"]).columns) == ["phq9", "extra"]
    assert feature_frame(records, ["extra"])["extra"].tolist() == [None, "x"]
    rows = frame_rows(pd.DataFrame({"phq9": np.array([3, 4]), "x": [1.5, np.nan], LABEL: ["a", "b"]}))
    assert rows == [{"phq9": 3, "x": 1.5, LABEL: "a"}, {"phq9": 4, LABEL: "b"}]
    assert type(rows[0]["phq9"]) is int  # plain Python scalars, not numpy


# --- generators: schema, labels, determinism ------------------------------------------------------------------

@pytest.mark.parametrize("name, params", [("copy_table", {}), ("sdv", {}), ("dp_marginals", {"epsilon": 2.0}),
                                          ("sdv", {"synthesizer": "tvae", "epochs": 2})])
def test_table_generators_release_the_train_schema(name, params, splits) -> None:
    released = release(registry.create("generator", name, **params), splits.train, seed=4, labels=splits.labels)
    assert released.kind == "table" and released.records is None
    table = released.table
    assert list(table.columns) == COLUMNS
    assert set(table[LABEL]) <= set(splits.labels) and table[LABEL].nunique() >= 2
    for name_, domain in SYNTHMH_DOMAINS.items():
        assert set(table[name_]) <= set(domain), name_
    for name_, (low, high) in SYNTHMH_BOUNDS.items():
        assert table[name_].between(low, high).all() and pd.api.types.is_integer_dtype(table[name_]), name_


def test_ctgan_samples_the_schema(splits) -> None:
    gen = registry.create("generator", "sdv", synthesizer="ctgan", epochs=2)
    table = release(gen, splits.train, seed=1, labels=splits.labels).table
    assert list(table.columns) == COLUMNS and len(table) == len(splits.train)


def test_copy_table_is_the_train_table(splits) -> None:
    table = release(registry.create("generator", "copy_table"), splits.train, seed=0).table
    assert table.equals(records_to_frame(splits.train))


@pytest.mark.parametrize("name, params", [("sdv", {}), ("dp_marginals", {"epsilon": 1.0})])
def test_seeded_determinism(name, params, splits) -> None:
    def table(seed):
        return release(registry.create("generator", name, **params), splits.train, seed=seed,
                       labels=splits.labels).table

    state = np.random.get_state()[1].copy()
    assert table(7).equals(table(7))
    assert not table(7).equals(table(8))
    assert (np.random.get_state()[1] == state).all(), "global seeds are restored after fit and sample"


def test_hybrid_releases_complete_records(splits) -> None:
    released = release(registry.create("generator", "hybrid"), splits.train, seed=2, labels=splits.labels)
    assert released.kind == "records" and released.epsilon is None
    assert len(released.records) == len(splits.train)
    for record in released.records:
        assert set(record.fields) == set(COLUMNS) - {LABEL} and set(record.group) == {"gender", "age_band"}
        assert record.author is None and record.text.strip() and record.label in splits.labels
    assert records_to_frame(released.records).shape == (len(splits.train), len(COLUMNS))


def test_texts_are_drawn_for_their_label() -> None:
    words = {"anxiety": "worry panic racing", "depression": "empty tired numb"}
    train = [Record(f"r{i}", f"{words[label]} {words[label]}", label)
             for i, label in enumerate(["anxiety", "depression"] * 10)]
    ngram = registry.create("generator", "ngram", order=2).fit(train)
    labels = ["depression", "anxiety", "anxiety", "depression"] * 5
    texts = texts_for_labels(ngram, labels, seed=3)
    for label, text in zip(labels, texts, strict=True):
        assert set(text.split()) <= set(words[label].split()), "a text uses only its label's words"
    assert texts == texts_for_labels(ngram, labels, seed=3)

    class OnlyAnxiety:  # no label-conditional sampling: rejection; a label it never writes gets ""
        def sample(self, n, *, seed):
            return [Record(str(i), "worry", "anxiety") for i in range(n)]

    assert texts_for_labels(OnlyAnxiety(), ["anxiety", "depression"], seed=0) == ["worry", ""]


# --- dp_marginals -----------------------------------------------------------------------------------------------

PUBLIC = ["anxiety", "depression", "none"]


def test_dp_marginals_never_leaves_the_declared_domain() -> None:
    odd = [_record(f"o{i}", "anxiety", gender="other", age_band="99+", phq9=400, gad7=-7, post_kind="secret")
           for i in range(60)]
    gen = registry.create("generator", "dp_marginals", epsilon=0.5)
    released = release(gen, odd, seed=1, labels=PUBLIC)
    table = released.table
    assert set(table[LABEL]) <= set(PUBLIC)
    assert set(table["gender"]) <= set(SYNTHMH_DOMAINS["gender"]) and "secret" not in set(table["post_kind"])
    assert table["phq9"].between(0, 27).all() and table["gad7"].between(0, 21).all()
    assert (released.epsilon, released.delta, released.neighbouring, released.privacy_unit) == (
        0.5, 0.0, "add_remove", "record")
    assert gen.release_size(60) != 60 or gen.label_counts_.sum() == 60  # the size is the noisy label total


def test_dp_marginals_counts_are_exact_without_noise() -> None:
    """With an enormous epsilon the geometric noise is 0: the released counts are the hand counts (a value out
    of the domain adds to no cell, a numeric one is clipped into the bounds)."""
    records = [_record("a", "none", gender="male", phq9=3), _record("b", "none", gender="other", phq9=40),
               _record("c", "anxiety", gender="female", phq9=12)]
    gen = registry.create("generator", "dp_marginals", epsilon=1e6, domains={"gender": ["female", "male"]},
                          bounds={"phq9": [0, 27]}, bin_width=10).fit(records, seed=0, labels=PUBLIC)
    assert gen.label_counts_.tolist() == [1, 0, 2]  # anxiety, depression, none
    assert gen.marginals_["gender"].tolist() == [[1, 0], [0, 0], [0, 1]]  # "other" is dropped
    assert gen.marginals_["phq9"].tolist() == [[0, 1, 0], [0, 0, 0], [1, 0, 1]]  # bins 0-9, 10-19, 20-27 (40 -> 27)
    assert gen.release_size(3) == 3
    table = gen.sample_table(300, seed=0)
    anxiety = table[table[LABEL] == "anxiety"]
    assert set(anxiety["gender"]) == {"female"} and anxiety["phq9"].between(10, 19).all()


def test_geometric_noise_has_the_declared_scale() -> None:
    """Two-sided geometric noise with epsilon: variance 2a / (1 - a)^2, a = exp(-epsilon)."""
    for epsilon in (0.5, 2.0):
        noise = _noisy(np.zeros(20_000, dtype=int), epsilon, np.random.RandomState(0))
        a = math.exp(-epsilon)
        assert noise.var() == pytest.approx(2 * a / (1 - a) ** 2, rel=0.05)
        assert abs(noise.mean()) < 0.05 and np.array_equal(noise, np.round(noise))


def test_budget_split_and_public_label_set() -> None:
    gen = registry.create("generator", "dp_marginals", epsilon=2.0, label_share=0.25)
    records = [_record("a", "none", gender="male", phq9=3)] * 5
    with pytest.raises(ConfigError, match="public label set"):
        gen.fit(records, seed=0, labels=None)
    with pytest.raises(DataError, match="outside the public label set"):
        gen.fit([_record("z", "unknown_label")], seed=0, labels=PUBLIC)
    first = gen.fit(records, seed=None, labels=PUBLIC).marginals_["phq9"].copy()  # a real release: OS entropy
    assert not np.array_equal(first, gen.fit(records, seed=None, labels=PUBLIC).marginals_["phq9"])
    gen.fit(records, seed=0, labels=PUBLIC)
    assert gen.labels_ == PUBLIC and gen.label_counts_.shape == (3,)  # every public label, absent ones too
    assert [m.shape for m in gen.marginals_.values()] == [(3, 5), (3, 22), (3, 3), (3, 28), (3, 3)]


def test_domain_cells() -> None:
    band = Column("age_band", values=("18-24", "25-34"))
    assert (band.cell("25-34"), band.cell("55+"), band.cell(None)) == (1, None, None)
    score = Column("phq9", low=0, high=27, bin_width=5)
    assert score.n_cells == 6 and [score.cell(v) for v in (0, 4, 5, 27, 99, -3, "x")] == [0, 0, 1, 5, 5, 0, None]
    drawn = score.draw(np.array([5] * 50), np.random.default_rng(0))
    assert set(drawn) <= {25, 26, 27}
    real = Column("x", low=0.0, high=1.0, bin_width=0.25)
    assert real.n_cells == 4 and real.cell(1.0) == 3


@pytest.mark.parametrize("name, params, message", [
    ("dp_marginals", {"epsilon": 0}, "epsilon must be a finite number > 0"),
    ("dp_marginals", {"epsilon": -1}, "epsilon must be a finite number > 0"),
    ("dp_marginals", {}, "epsilon is required"),
    ("dp_marginals", {"epsilon": 1, "domains": {"gender": []}}, "domains['gender'] must be a non-empty list"),
    ("dp_marginals", {"epsilon": 1, "bounds": {"phq9": [27, 0]}}, "bounds['phq9'] must have low < high"),
    ("dp_marginals", {"epsilon": 1, "bounds": {"phq9": [0]}}, "bounds['phq9'] must be [low, high]"),
    ("dp_marginals", {"epsilon": 1, "domains": {"label": ["a"]}}, "'label' is the label column"),
    ("dp_marginals", {"epsilon": 1, "domains": {"phq9": [1, 2]}}, "field 'phq9' is in both domains and bounds"),
    ("dp_marginals", {"epsilon": 1, "domains": {}, "bounds": {}}, "declare no field"),
    ("dp_marginals", {"epsilon": 1, "label_share": 1}, "label_share must be a number in (0, 1)"),
    ("sdv", {"synthesizer": "gan"}, "synthesizer must be one of gaussian_copula, ctgan, tvae"),
    ("sdv", {"epochs": 0}, "epochs must be an integer >= 1"),
    ("sdv", {"label_encoding": "x"}, "label_encoding must be one of"),
    ("hybrid", {"text_generator": "copy_table"}, "text_generator must be a generator of texts"),
    ("hybrid", {"text_generator": "nope"}, "unknown generator 'nope'"),
    ("hybrid", {"text_params": {"order": 0}}, "order must be an integer >= 1"),
])
def test_bad_parameters_give_one_line_config_errors(name, params, message) -> None:
    with pytest.raises(ConfigError) as error:
        registry.create("generator", name, **params)
    assert message in str(error.value) and "\n" not in str(error.value)


# --- utility of a table release --------------------------------------------------------------------------------

def test_fields_classifier_on_hand_made_rows() -> None:
    frame = pd.DataFrame({"phq9": [1, 2, 3, 20, 21, 22], "kind": ["a", "b", "a", "b", "a", "b"]})
    labels = ["none", "none", "none", "depression", "depression", "depression"]
    model = registry.create("classifier", "fields_logreg", C=10.0).fit(frame, labels, seed=0)
    assert model.classes_ == ["depression", "none"]
    test = pd.DataFrame({"phq9": [0, 25, None], "kind": ["unseen", "a", "b"]})
    assert model.predict(test)[:2] == ["none", "depression"]
    assert np.allclose(model.predict_proba(test).sum(axis=1), 1.0)
    records = [Record("r", "t", "none", fields={"phq9": 2})]  # records work too; a missing column is imputed
    assert model.predict(records) == ["none"]
    constant = registry.create("classifier", "fields_logreg").fit(frame, ["none"] * 6)
    assert constant.predict_proba(test).tolist() == [[1.0]] * 3
    with pytest.raises(TypeError, match="not texts"):
        model.predict_proba(["i feel sad"])


def _utility(table_release: Release, splits) -> dict:
    evaluation = Evaluator(attacks=["mia_loss", "reid_linkage"], n_bootstrap=50).evaluate(table_release, splits, seed=0)
    return evaluation


def test_table_utility_beats_majority_and_text_attacks_do_not_apply(splits) -> None:
    results = {}
    for name, params in [("copy_table", {}), ("sdv", {})]:
        released = release(registry.create("generator", name, **params), splits.train, seed=0, labels=splits.labels)
        evaluation = _utility(released, splits)
        f1 = evaluation.scores["utility.macro_f1"]
        assert f1.ci_low <= f1.value <= f1.ci_high and f1.n == len(splits.test)
        results[name] = f1.value - f1.baseline
        assert {"utility.accuracy", "utility.auroc", "utility.crisis_recall"} <= set(evaluation.scores)
        assert not [k for k in evaluation.scores if not k.startswith("utility.")]
        assert "does not apply to a table release" in evaluation.not_applicable["mia_loss"]
        assert "does not apply to a table release" in evaluation.not_applicable["reid_linkage"]
    assert results["copy_table"] > 0.3 and results["sdv"] > 0.2, results  # phq9/gad7 predict the label well


def test_empty_table_has_no_utility(splits) -> None:
    empty = Release(kind="table", table=records_to_frame(splits.train).iloc[:0])
    evaluation = _utility(empty, splits)
    assert "utility" in evaluation.not_applicable and evaluation.warnings == ["the release holds no rows"]


def test_table_columns_the_test_records_lack_are_reported(splits) -> None:
    import dataclasses

    bare = dataclasses.replace(splits, test=tuple(dataclasses.replace(r, group={}, fields={}) for r in splits.test))
    table = records_to_frame(splits.train)
    warnings = _utility(Release(kind="table", table=table), bare).warnings
    assert warnings == ["5 of 5 table columns are not fields of the test records (age_band, gad7, gender, phq9, "
                        "post_kind): the table classifier cannot use them"]
    assert _utility(Release(kind="table", table=table[[LABEL]]), splits).warnings == [
        "the table release holds no structured field, only labels"]
    assert _utility(Release(kind="table", table=table), splits).warnings == []


def test_fields_classifier_as_the_records_classifier(splits) -> None:
    """A records release scored by its fields (e.g. hybrid or an anonymizer that keeps fields)."""
    released = release(registry.create("anonymizer", "identity"), splits.train, seed=0)
    evaluator = Evaluator(classifier="fields_logreg", attacks=["mia_loss"], n_bootstrap=50)
    evaluation = evaluator.evaluate(released, splits, seed=0)
    f1 = evaluation.scores["utility.macro_f1"]
    assert f1.value > f1.baseline + 0.3
    assert "mia_loss" in evaluation.not_applicable  # it queries a model of texts: none to query here


# --- end to end ---------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_suite_with_table_generators_end_to_end(tmp_path) -> None:
    import json

    from mhprivbench.leaderboard import read_leaderboard, runs_folder, write_leaderboard
    from mhprivbench.runner import plan_suite, run_plan
    from mhprivbench.specs import parse_suite

    suite = {"name": "tables", "seeds": [0],
             "datasets": [{"name": "synthmh", "params": {"n_personas": 40, "posts_per_persona": 5, "n_decoys": 40}}],
             "mechanisms": [{"kind": "generator", "name": "sdv"},
                            {"kind": "generator", "name": "dp_marginals", "params": {"epsilon": 4}}],
             "evaluator": {"attacks": ["mia_loss", "reid_linkage"], "n_bootstrap": 50}}
    plan = plan_suite(parse_suite(suite))
    summary = run_plan(plan, tmp_path, jobs=1)
    assert summary.done == 2 and not summary.failed, summary.failed
    for path in (tmp_path / "runs" / "tables").glob("*.json"):
        result = json.loads(path.read_text())
        assert result["release"]["kind"] == "table" and result["release"]["n_records"] > 0
        assert "does not apply to a table release" in result["not_applicable"]["mia_loss"]
    board = write_leaderboard(runs_folder(tmp_path, "tables"), tmp_path / "leaderboard-tables.json")
    board = read_leaderboard(tmp_path / "leaderboard-tables.json")
    by_name = {entry.mechanism.name: entry for entry in board.entries}
    assert set(by_name) == {"sdv", "dp_marginals"}
    for entry in by_name.values():
        assert 0 <= entry.scores["utility.macro_f1"].mean <= 1
    assert by_name["dp_marginals"].epsilon == 4.0 and by_name["dp_marginals"].privacy_unit == "record"
    assert by_name["sdv"].epsilon is None


def test_text_only_records_such_as_planted_canaries_are_no_table_rows():
    """A split with planted canaries (text only, no structured field) keeps the table's schema: the canaries
    neither empty the shared columns nor become rows, and a fields classifier still predicts for every record."""
    from mhprivbench.tables import feature_frame, field_columns, records_to_frame

    splits = registry.create("dataset", "synthmh", n_personas=30).load().split(seed=0, canaries=5)
    canaries = [r for r in splits.train if r.uid in set(splits.canaries)]
    assert canaries and all(not r.fields and not r.group for r in canaries)
    assert field_columns(splits.train) == ["age_band", "gad7", "gender", "phq9", "post_kind"]
    assert len(records_to_frame(splits.train)) == len(splits.train) - len(canaries)
    assert len(feature_frame(splits.train, field_columns(splits.train))) == len(splits.train)
    table = release(registry.create("generator", "sdv"), splits.train, seed=0, labels=splits.labels).table
    assert list(table.columns) == ["age_band", "gad7", "gender", "phq9", "post_kind", "label"]


def _marginals_audit(epsilon: float, runs: int) -> tuple[float, float]:
    """Multi-run audit of dp_marginals (Jagielski et al. 2020) on one field: ``runs`` fits with and as many
    without a canary record (label "b", post kind "intake": a cell no other record touches), scored by the
    likelihood-ratio test of two-sided geometric noise: each released count the canary raises adds its epsilon
    when it reads at least the canary-free count + 1. Returns (lower bound, ceiling)."""
    from mhprivbench import eps_audit
    from mhprivbench.types import Record

    kinds = ["intake", "journal", "peer_support"]
    base = [Record(f"r{i}", "x", "ab"[i % 2], fields={"post_kind": "journal"}) for i in range(10)]
    canary = Record("canary", "x", "b", fields={"post_kind": "intake"})
    share = 0.2
    weights = (share * epsilon, (1 - share) * epsilon)  # label counts, the one field's histogram

    def score(records, seed):
        mechanism = registry.create("generator", "dp_marginals", epsilon=epsilon, label_share=share,
                                    domains={"post_kind": kinds}, bounds={})
        mechanism.fit(records, seed=seed, labels=["a", "b"])
        raised = (mechanism.label_counts_[1] >= 5 + 1, mechanism.marginals_["post_kind"][1, 0] >= 1)
        return sum(w for w, hit in zip(weights, raised, strict=True) if hit)

    members = [score(base + [canary], seed) for seed in range(runs)]
    nonmembers = [score(base, runs + seed) for seed in range(runs)]
    audit = eps_audit.eps_audit(members, nonmembers)
    return audit.lower_bound, audit.ceiling


def test_dp_marginals_audit_stays_below_its_epsilon_and_catches_a_broken_noise(monkeypatch) -> None:
    """The honest mechanism's audited bound never exceeds its declared epsilon; the same mechanism with noise
    calibrated to 10x the epsilon it declares (a deliberately broken one) is caught above it."""
    from mhprivbench.generators import dp_marginals

    honest, ceiling = _marginals_audit(1.0, runs=400)
    assert honest <= 1.0 < ceiling
    honest_noise = dp_marginals._noisy
    monkeypatch.setattr(dp_marginals, "_noisy", lambda counts, eps, rs: honest_noise(counts, 10 * eps, rs))
    broken, _ = _marginals_audit(1.0, runs=400)
    assert broken > 1.0
