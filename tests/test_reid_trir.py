"""``reid_trir``: text re-identification risk. Hand-built background with an exact answer, chance baseline,
positive (identity) and negative (texts of other authors) controls, applicability."""

from __future__ import annotations

import pytest

from mhprivbench.mechanisms import release
from mhprivbench.registry import create
from mhprivbench.testing import check_scores, tiny_splits
from mhprivbench.testing.controls import CONTROLS, IDENTITY, SWAP, Control, check_controls
from mhprivbench.types import Persona, Record, Release, Splits

TRIR_CONTROL = Control("reid_trir", "reid.trir", IDENTITY, SWAP, positive_floor=0.3, negative_tolerance=0.05)


def _splits(registry=True) -> Splits:
    people = {
        "a1": ("p1", "Ravi Okafor", "Leeds", "gardening allotment tomatoes weeds"),
        "a2": ("p2", "Mia Lindqvist", "Cork", "marathon training knee running"),
        "a3": ("p3", "Tom Becker", "Graz", "chess tournament opening blunder"),
    }
    personas = tuple(Persona(pid, {"name": name, "city": city}) for pid, name, city, _ in people.values())
    personas += (Persona("p9", {"name": "Zoe Park", "city": "Oslo"}),)  # a decoy: in the registry, never an author
    aux = tuple(Record(f"x{a}", f"my {topic} again", "x", author=a) for a, (_, _, _, topic) in people.items())
    train = (
        Record("t1", "the tomatoes and weeds took over my allotment", "x", author="a1"),  # a1's topic
        Record("t2", "my knee hurts after marathon training", "x", author="a2"),  # a2's topic
        Record("t3", "Tom Becker here, lost the chess tournament", "x", author="a3"),  # a3's name
        Record("t4", "chess opening blunder again", "x", author="a1"),  # a1 writing like a3: a miss
    )
    return Splits(train=train, test=(), control=(), aux=aux, registry=personas if registry else (),
                  persona_of={a: pid for a, (pid, _, _, _) in people.items()} if registry else {})


def _run(splits, records, seed=0):
    released = Release(kind="records", records=records, aligned=True)
    return create("attack", "reid_trir").run(released, splits, seed=seed)


def test_hand_built_background_gives_the_exact_rate_and_chance_baseline():
    splits = _splits()
    score = _run(splits, splits.train)["reid.trir"]
    assert score.value == pytest.approx(3 / 4) and score.n == 4
    assert score.baseline == pytest.approx(1 / 4)  # four registry personas, the decoy included
    assert score.ci_low < 0.75 < score.ci_high and score.higher_is_better is False


def test_without_a_registry_the_candidates_are_the_aux_authors():
    splits = _splits(registry=False)
    score = _run(splits, splits.train)["reid.trir"]
    assert score.value == pytest.approx(3 / 4) and score.baseline == pytest.approx(1 / 3)


def test_truth_comes_from_train_not_from_the_released_author():
    splits = _splits()
    relabelled = tuple(Record(r.uid, r.text, r.label, author="a2") for r in splits.train)
    assert _run(splits, relabelled)["reid.trir"].value == pytest.approx(3 / 4)


def test_applies_only_to_aligned_records_releases():
    splits = _splits()
    attack = create("attack", "reid_trir")
    assert not attack.applies(Release(kind="records", records=splits.train, aligned=False), splits)
    assert not attack.applies(Release(kind="model", model=object()), splits)
    assert attack.applies(Release(kind="records", records=splits.train, aligned=True), splits)


def test_controls_identity_far_above_and_other_authors_texts_at_chance(monkeypatch):
    monkeypatch.setitem(CONTROLS, "reid_trir", TRIR_CONTROL)
    splits = tiny_splits(seed=2)
    positive, negative = check_controls("reid_trir", splits, seed=0)
    assert positive.value > 20 * positive.baseline and positive.ci_low > 0.3
    assert negative.value <= negative.baseline + 0.05


def test_scores_hold_no_text_and_are_seeded():
    splits = tiny_splits(seed=3)
    released = release(create("anonymizer", "identity"), splits.train, seed=0)
    scores = create("attack", "reid_trir").run(released, splits, seed=1)
    check_scores(scores, secrets=[r.text[s.start:s.end] for r in splits.train for s in r.spans],
                 texts=[r.text for r in splits.train])
    assert scores == create("attack", "reid_trir").run(released, splits, seed=1)
