"""The conformance checks themselves can fail (issue 6, item 12c): secrets planted where the runner would write them
are caught, and the failure message does not repeat them."""

import dataclasses

import pytest

from mhprivbench import registry
from mhprivbench.mechanisms import release as make_release
from mhprivbench.testing import check_scores, serialized_scores, tiny_splits
from mhprivbench.types import Score

SECRET = "Maya Patel"
TEXT = "I am Maya and my chest gets tight on the bus every single morning"


def _score(value=0.25):
    return Score(value=value, ci_low=value - 0.15, ci_high=value + 0.15, higher_is_better=False, baseline=0.0, n=20)


def _assert_caught(match, **kwargs):
    with pytest.raises(AssertionError, match=match) as caught:
        check_scores(**kwargs)
    assert SECRET.casefold() not in str(caught.value).casefold()  # the message names neither secret nor score
    assert "chest gets tight" not in str(caught.value)


def test_clean_scores_pass():
    scores = {"pii.leak_rate": _score(), "pii.recall": _score(0.75)}
    check_scores(scores, secrets=[SECRET, "Leeds", "555-201-4037"], texts=[TEXT])  # raises nothing


def test_secret_planted_in_a_score_name_is_caught():
    _assert_caught("ground-truth PII string #1 of 2", scores={f"pii.leak_rate[{SECRET}]": _score()},
                   secrets=["Leeds", SECRET])


def test_secret_rewritten_as_an_identifier_in_a_name_is_caught():
    # "maya_patel" is not the raw surface, but its token sequence is
    _assert_caught("ground-truth PII string", scores={"pii.leak_rate_maya_patel": _score()}, secrets=[SECRET])


def test_text_sequence_in_a_not_applicable_message_is_caught():
    class Attack:
        not_applicable_ = {"pii.precision": "skipped: my chest gets tight on the bus every day"}

    scores = {"pii.leak_rate": _score()}
    check_scores(scores, texts=[TEXT])  # the attack's messages are not read unless it is passed
    _assert_caught("6-word sequence of text #0 of 1", scores=scores, texts=[TEXT], attack=Attack())
    _assert_caught("6-word sequence", scores=scores, texts=[TEXT],
                   not_applicable={"reid_linkage": "no persona for Maya and my chest gets tight"})


def test_five_words_and_short_or_digit_secrets_are_not_flagged():
    scores = {"pii.leak_rate": _score(), "pii.note_chest_gets_tight_on": _score()}  # 5 words of TEXT
    check_scores(scores, secrets=["Bo", "2019", "25"], texts=[TEXT])  # short, 4-digit, inside a float
    with pytest.raises(AssertionError):
        check_scores({"pii.x_5552014037": _score()}, secrets=["5552014037"])  # >= 7 digits are checked


def test_serialized_scores_is_what_the_runner_writes():
    text = serialized_scores({"b.x": _score(), "a.y": _score(0.5)}, not_applicable=["n/a"])
    assert text.index('"a.y"') < text.index('"b.x"') and '"ci_high": 0.4' in text and '"n/a"' in text
    assert "control" not in text  # as_dict drops None fields, like the result files


def test_numeric_checks_still_fail():
    with pytest.raises(AssertionError, match="outside its interval"):
        check_scores({"pii.leak_rate": dataclasses.replace(_score(), value=0.9)})
    with pytest.raises(AssertionError, match="needs a baseline"):
        check_scores({"pii.leak_rate": dataclasses.replace(_score(), baseline=None)})


def test_pii_leak_scores_pass_on_real_splits():
    splits = tiny_splits(seed=0)
    attack = registry.create("attack", "pii_leak")
    released = make_release(registry.create("anonymizer", "identity"), splits.train, seed=0)
    scores = attack.run(released, splits, seed=0)
    assert len(scores) >= 12
    check_scores(scores, secrets=[r.text[s.start:s.end] for r in splits.train for s in r.spans],
                 texts=[r.text for r in splits.train], attack=attack)
    words = splits.train[0].text.split()[:6]
    with pytest.raises(AssertionError, match="6-word sequence of text #0"):
        check_scores({"pii." + "_".join(words): scores["pii.leak_rate"]}, texts=[r.text for r in splits.train])
