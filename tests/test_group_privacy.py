"""Author-level epsilon implied by a record-level guarantee (group privacy), hand-computed."""

import math

import pytest

from mhprivbench.group_privacy import author_level, max_contribution
from mhprivbench.runner import release_ref
from mhprivbench.types import Record, Release, Splits


def test_author_level_by_hand():
    epsilon, delta = author_level(1.0, 1e-5, 3)
    assert epsilon == 3.0
    assert delta == pytest.approx(3 * math.e**2 * 1e-5)  # 3 * 7.389056 * 1e-5 = 2.2167e-4
    assert delta == pytest.approx(2.21672e-4, rel=1e-5)
    assert author_level(0.5, 0.0, 4) == (2.0, 0.0)  # pure DP stays pure
    assert author_level(2.0, None, 1) == (2.0, None)
    assert author_level(0.25, 1e-6, 1) == (0.25, pytest.approx(1e-6))  # one record per author: unchanged


def test_author_level_delta_is_capped_and_never_overflows():
    # log(10) + 9 * 8 + log(1e-5) = 2.30 + 72 - 11.51 > 0: delta >= 1 guarantees nothing
    assert author_level(8.0, 1e-5, 10) == (80.0, 1.0)
    assert author_level(8.0, 1e-5, 500) == (4000.0, 1.0)  # e^(499 * 8) would overflow a float
    with pytest.raises(ValueError, match="k must be"):
        author_level(1.0, 1e-5, 0)


def _records(authors):
    return tuple(Record(uid=f"r{i}", text="t", label="a", author=a) for i, a in enumerate(authors))


def test_max_contribution_counts_records_per_author():
    assert max_contribution(_records(["x", "x", "y", "x", None, None])) == 3  # records without author: 1 each
    assert max_contribution(_records([None, None])) == 1
    assert max_contribution(()) == 0


def test_release_ref_states_author_level_guarantee():
    train = _records(["x", "x", "y"])
    splits = Splits(train=train, test=train, control=train, aux=())
    record_level = Release(kind="model", epsilon=0.5, delta=1e-6, neighbouring="replace_one", privacy_unit="record")
    ref = release_ref(record_level, splits)
    assert (ref.neighbouring, ref.privacy_unit, ref.max_contribution) == ("replace_one", "record", 2)
    assert ref.epsilon_author == 1.0 and ref.delta_author == pytest.approx(2 * math.exp(0.5) * 1e-6)
    author_unit = Release(kind="model", epsilon=0.5, delta=1e-6, neighbouring="add_remove", privacy_unit="author")
    ref = release_ref(author_unit, splits)
    assert (ref.epsilon_author, ref.delta_author) == (0.5, 1e-6)  # already about people
    ref = release_ref(Release(kind="records", records=train), splits)
    assert ref.epsilon_author is None and ref.delta_author is None and ref.n_records == 3
