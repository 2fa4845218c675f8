"""reid_linkage uses everything a release keeps: records pooled by released pseudonym, released demographics and
intake fields as quasi-identifiers; ground truth still comes from splits.train."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import mhprivbench as mh
from mhprivbench import registry, stats
from mhprivbench.attacks._persona_index import PersonaIndex
from mhprivbench.attacks.reid_linkage import clustered_share, pools, rank_of
from mhprivbench.types import Persona, Record, Release, Splits

CITIES = ("Leeds", "Bristol", "Cardiff")
AGES = ("21", "30", "40", "60")
BANDS = {"21": "18-24", "30": "25-34", "40": "35-44", "60": "55+"}
N_AUTHORS = 6


def persona(i: int) -> Persona:
    """12 personas: city and age are each shared, only the pair (city, age) is unique."""
    return Persona(f"p{i:02d}", {"name": f"Person{'abcdefghijkl'[i]} Quux", "city": CITIES[i % 3],
                                 "age": AGES[i // 3], "gender": ("female", "male")[i % 2]})


def records(i: int) -> list[Record]:
    """Author i writes one post naming the city and one giving the age; the release keeps gender and age band."""
    attrs = persona(i).attributes
    shown = {"gender": attrs["gender"], "age_band": BANDS[attrs["age"]]}
    return [Record(f"r{i}-0", f"cannot sleep again. I live in {attrs['city']} these days.", "anxiety",
                   author=f"a{i}", group=shown, fields={**shown, "phq9": 11}),
            Record(f"r{i}-1", f"tired all the time. I am {attrs['age']} and it is a lot.", "depression",
                   author=f"a{i}", group=shown, fields={**shown, "phq9": 14})]


SPLITS = Splits(train=tuple(r for i in range(N_AUTHORS) for r in records(i)), test=(), control=(), aux=(),
                registry=tuple(persona(i) for i in range(12)), persona_of={f"a{i}": f"p{i:02d}" for i in range(12)})


def top1(release_records, seed: int = 0, splits: Splits = SPLITS):
    release = Release(kind="records", records=tuple(release_records), aligned=True)
    return registry.create("attack", "reid_linkage").run(release, splits, seed=seed)["reid.linkage_top1"]


def released(seed: int = 0, **policy) -> list[Record]:
    return list(mh.release(mh.create("anonymizer", "identity", **policy), SPLITS.train, seed=seed).records)


def test_pools_group_by_released_pseudonym_and_leave_anonymous_records_alone():
    rows = [Record("1", "", "x", author="b"), Record("2", "", "x"), Record("3", "", "x", author="c"),
            Record("4", "", "x", author="b"), Record("5", "", "x")]
    assert pools(rows) == [[0, 3], [1], [2], [4]]


def test_pooling_by_pseudonym_links_what_no_single_record_does():
    pooled = top1(released(keep_fields=[]))
    assert pooled.value == 1.0  # city in one post, age in the other: unique together
    alone = [top1(released(seed=seed, pseudonym="drop", keep_fields=[]), seed=seed).value for seed in range(3)]
    assert max(alone) <= 0.6 and np.mean(alone) <= 0.45  # expected 7/24: ties among 4 (city) or 3 (age) personas
    assert top1(released(pseudonym="rehash", keep_fields=[])).value == 1.0  # a new pseudonym still pools


def test_released_fields_are_quasi_identifiers():
    without = top1(released(pseudonym="drop", keep_fields=[])).value
    with_fields = top1(released(pseudonym="drop")).value  # gender and age band kept, each record alone
    assert without <= 0.5 and with_fields >= 0.75  # city + age band is unique; age + gender halves the ties
    assert top1(released(pseudonym="drop", keep_fields=["phq9"])).value == without  # not about identity


def test_field_evidence_is_consistency_weighted_by_specificity():
    index = PersonaIndex(SPLITS.registry)
    band = index.score([], [("age_band", "25-34")])
    assert sorted(band) == [3, 4, 5] and band[3] == pytest.approx(math.log(13 / 3) / math.log(13), abs=1e-6)
    assert sorted(index.score([], [("age_band", "55+")])) == [9, 10, 11]
    female = index.score([], [("gender", "female")])
    assert sorted(female) == [0, 2, 4, 6, 8, 10] and female[0] < band[3]  # 6 of 12 fit: weaker evidence
    assert index.score([], [("phq9", "11"), ("age_band", "adult"), ("gender", "unknown")]) == {}
    text = index.score(["I am 30"])[3]
    assert index.score(["I am 30"], [("age_band", "25-34")])[3] == text  # one slot: best evidence, not the sum
    assert index.score(["I am 30"], [("gender", "female")])[4] == pytest.approx(text + female[4], abs=1e-5)


def test_records_without_pseudonym_are_scored_alone():
    rows = released(seed=3, pseudonym="drop", keep_fields=[])
    index = PersonaIndex(SPLITS.registry)
    rng = np.random.default_rng(3)
    ranks = [rank_of(*index.score_arrays(r.text), int(r.uid[1]), 12, rng) for r in rows]
    assert top1(rows, seed=3).value == pytest.approx(np.mean(np.asarray(ranks) == 1))


def test_ground_truth_comes_from_train_not_from_the_release():
    rotated = [dataclasses.replace(r, author=f"a{(int(r.author[1:]) + 1) % N_AUTHORS}") for r in released()]
    assert top1(rotated).value == 1.0  # released ids point to other people; the pools are still one person each
    extra = Record("zz", "I live in Leeds and I am 21", "none", author="a0")  # not a train uid: no ground truth
    score = top1(released() + [extra])
    assert score.n == len(SPLITS.train)


def test_interval_accounts_for_records_sharing_a_pool():
    clustered = clustered_share(np.array([1.0, 0.0]), np.array([3, 3]), baseline=0.1)
    assert clustered.value == 0.5 and (clustered.ci_low, clustered.ci_high) == pytest.approx(stats.wilson(1, 2))
    plain = stats.proportion_score(3, 6, higher_is_better=False, baseline=0.1)
    assert clustered.ci_high - clustered.ci_low > plain.ci_high - plain.ci_low
    single = clustered_share(np.array([1.0, 0.0, 1.0]), np.array([1, 1, 1]), baseline=0.1)
    expected = stats.proportion_score(2, 3, higher_is_better=False, baseline=0.1)
    assert (single.value, single.ci_low, single.ci_high) == pytest.approx((2 / 3, expected.ci_low, expected.ci_high))


def test_unaligned_release_never_takes_a_generator_author_as_truth():
    def synthetic(author_of):
        return Release(kind="records", records=tuple(
            Record(f"s{k}", f"{r.text} - {persona(int(r.author[1:])).attributes['name']}", r.label,
                   author=author_of(r)) for k, r in enumerate(SPLITS.train)))

    attack = registry.create("attack", "reid_linkage")
    honest = attack.run(synthetic(lambda r: None), SPLITS, seed=0)["reid.linkage_personas"]
    assert honest.value == 1.0 and honest.control == 0.0
    # the generator labels each person's records with the author id of a non-member: pooled, never believed
    lying = attack.run(synthetic(lambda r: f"a{int(r.author[1:]) + N_AUTHORS}"), SPLITS, seed=0)
    assert lying["reid.linkage_personas"].value == 1.0 and lying["reid.linkage_personas"].control == 0.0


@pytest.fixture(scope="module")
def synthmh_splits():
    return mh.load_dataset("synthmh", n_personas=400).split(seed=0)


def _linkage(splits, **params):
    release = mh.release(mh.create("anonymizer", "regex", **params), splits.train, seed=0)
    return registry.create("attack", "reid_linkage").run(release, splits, seed=0)["reid.linkage_top1"]


def test_synthmh_regex_release_with_pseudonyms_is_linked(synthmh_splits):
    kept = _linkage(synthmh_splits, operator="replace")
    assert kept.value >= 0.95  # was 0.61 when each record was scored alone
    assert _linkage(synthmh_splits, operator="replace", pseudonym="rehash").value == kept.value
    dropped = _linkage(synthmh_splits, operator="replace", pseudonym="drop", keep_fields=[])
    assert dropped.value <= 0.75 and dropped.ci_high < kept.ci_low
