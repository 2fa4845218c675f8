"""regex and identity anonymizers: exact offsets per format, no false positives on plain prose, operators."""

from __future__ import annotations

import pytest

from mhprivbench.anonymizers.identity import Identity
from mhprivbench.anonymizers.regex import RegexAnonymizer
from mhprivbench.errors import ConfigError
from mhprivbench.registry import create
from mhprivbench.types import Record, Span

CASES = [
    ("call 555-201-3344 now", "555-201-3344", "PHONE_NUMBER"),
    ("call (555) 201 3344 now", "(555) 201 3344", "PHONE_NUMBER"),
    ("call +1 555 201 3344 now", "+1 555 201 3344", "PHONE_NUMBER"),
    ("call 5552013344 now", "5552013344", "PHONE_NUMBER"),
    ("call 555.201.3344.", "555.201.3344", "PHONE_NUMBER"),
    ("ring +44 20 7946 0958 today", "+44 20 7946 0958", "PHONE_NUMBER"),
    ("mail jane.doe@gmail.com, thanks", "jane.doe@gmail.com", "EMAIL_ADDRESS"),
    ("see https://example.com/a?b=1. ok", "https://example.com/a?b=1", "URL"),
    ("see www.mysite.org, ok", "www.mysite.org", "URL"),
    ("my blog is janedoe.com/about ok", "janedoe.com/about", "URL"),
    ("find me @jane_doe99 on insta", "@jane_doe99", "USERNAME"),
    ("I'm u/sadpanda42 here", "u/sadpanda42", "USERNAME"),
    ("it was March 3rd, awful", "March 3rd", "DATE_TIME"),
    ("on 3 March 2024 it began", "3 March 2024", "DATE_TIME"),
    ("since 03/04/2021 I", "03/04/2021", "DATE_TIME"),
    ("on 2024-03-15 I", "2024-03-15", "DATE_TIME"),
    ("the 5th of May, 2023 was", "5th of May, 2023", "DATE_TIME"),
    ("in March 2024 we", "March 2024", "DATE_TIME"),
    ("me (34M) and", "34M", "AGE"),
    ("my wife [28F] says", "28F", "AGE"),
    ("a 34 yo guy", "34 yo", "AGE"),
    ("I'm 34 and tired", "34", "AGE"),
    ("at age 34 I", "34", "AGE"),
    ("I am 34 years old.", "34 years old", "AGE"),
]


@pytest.mark.parametrize(("text", "surface", "entity"), CASES)
def test_regex_detects_each_format_with_exact_offsets(text: str, surface: str, entity: str) -> None:
    [spans] = RegexAnonymizer().detect([text])
    start = text.index(surface)
    kind = "direct" if entity in {"EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "USERNAME"} else "quasi"
    assert spans == [Span(start, start + len(surface), entity, kind)]


@pytest.mark.parametrize("text", [
    "I slept 8 hours and I'm 20 minutes late.",
    "I took 20mg for 3 weeks, maybe 2 out of 10 days; I may 2 do it.",
    "We have 3 kids and I walked 5 miles at 7 pm, it cost $34M in 2 years.",
    "I'm 30 years into recovery, I'm 10 minutes away, scored 15 on the PHQ-9.",
])
def test_regex_no_false_positive_on_plain_numbers(text: str) -> None:
    assert RegexAnonymizer().detect([text]) == [[]]


def test_overlaps_resolved_longest_wins() -> None:
    text = "profile reddit.com/u/bob and me@mail.com"
    [spans] = RegexAnonymizer().detect([text])
    assert [(text[s.start:s.end], s.entity) for s in spans] == [
        ("reddit.com/u/bob", "URL"), ("me@mail.com", "EMAIL_ADDRESS")]


TEXT = "I'm 34, call 555-201-3344 or mail a@b.com"


@pytest.mark.parametrize(("operator", "expected"), [
    ("replace", "I'm <AGE>, call <PHONE_NUMBER> or mail <EMAIL_ADDRESS>"),
    ("mask", "I'm **, call ************ or mail *******"),
    ("redact", "I'm , call  or mail "),
])
def test_operators(operator: str, expected: str) -> None:
    record = Record("u1", TEXT, "anxiety", author="a1", group={"g": "x"}, fields={"phq9": 12},
                    spans=(Span(4, 6, "AGE"),))
    anonymizer = RegexAnonymizer(operator=operator)
    [out] = anonymizer.transform([record])
    assert out.text == expected
    assert (out.uid, out.label, out.author, dict(out.group), dict(out.fields), out.spans) == (
        "u1", "anxiety", "a1", {"g": "x"}, {"phq9": 12}, ())


def test_entities_subset() -> None:
    [out] = RegexAnonymizer(entities=["PHONE_NUMBER"]).transform([Record("u", TEXT, "x")])
    assert out.text == "I'm 34, call <PHONE_NUMBER> or mail a@b.com"


@pytest.mark.parametrize("params", [{"operator": "hash"}, {"entities": ["NAME"]}, {"entities": []}])
def test_regex_bad_params(params: dict) -> None:
    with pytest.raises(ConfigError, match="operator|entit"):
        create("anonymizer", "regex", **params)


def test_identity_leaves_records_equal() -> None:
    records = [Record("u1", TEXT, "x", spans=(Span(4, 6, "AGE"),)), Record("u2", "hello", "y")]
    anonymizer = create("baseline", "identity")
    assert isinstance(anonymizer, Identity)
    assert anonymizer.detect([r.text for r in records]) == [[], []]
    assert anonymizer.transform(records) == records


@pytest.mark.parametrize("text, surface", [
    ("Intake form\nName: roberto hussain\nAge: 34", "roberto hussain"),
    ("Hi all, my name is zachary yamamoto by the way", "zachary yamamoto"),
    ("I'm Patricia, 21, from Glasgow", "Patricia"),
    ("Does anyone else feel this?\n~ dennis", "dennis"),
    ("Thanks for listening!\nPatricia Greco", "Patricia Greco"),
    ("my dms are open, leila_y97", "leila_y97"),
    ("find me as wolfblue58 there", "wolfblue58"),
    ("message u/minnie.rainy anytime", "u/minnie.rainy"),
])
def test_regex_finds_self_named_people_and_handles(text, surface):
    (spans,) = RegexAnonymizer().detect([text])
    assert surface in [text[s.start:s.end] for s in spans]


@pytest.mark.parametrize("text", ["I'm so tired of this, honestly.", "The name of the game is patience.",
                                  "I slept 8 hours and felt better."])
def test_regex_person_patterns_stay_quiet_on_plain_prose(text):
    (spans,) = RegexAnonymizer().detect([text])
    assert [s for s in spans if s.entity in ("PERSON", "USERNAME")] == []
