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
    ("I live at 42 Maple Ave with my mum", "42 Maple Ave", "ADDRESS"),
    ("moved to 1600 Pennsylvania Avenue, lol", "1600 Pennsylvania Avenue", "ADDRESS"),
    ("near 7 Church Lane.", "7 Church Lane", "ADDRESS"),
    ("I live off Maple Ave now", "Maple Ave", "ADDRESS"),
]


@pytest.mark.parametrize(("text", "surface", "entity"), CASES)
def test_regex_detects_each_format_with_exact_offsets(text: str, surface: str, entity: str) -> None:
    [spans] = RegexAnonymizer().detect([text])
    start = text.index(surface)
    kind = "direct" if entity in {"EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "USERNAME", "ADDRESS"} else "quasi"
    assert spans == [Span(start, start + len(surface), entity, kind)]


@pytest.mark.parametrize("text", [
    "I slept 8 hours and I'm 20 minutes late.",
    "I took 20mg for 3 weeks, maybe 2 out of 10 days; I may 2 do it.",
    "We have 3 kids and I walked 5 miles at 7 pm, it cost $34M in 2 years.",
    "I'm 30 years into recovery, I'm 10 minutes away, scored 15 on the PHQ-9.",
    "Lois Lane is on my Google Drive, no Way around it; 3 Court dates and 2 Lane changes.",
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


# ------------------------------------------------------------------ release policy: pseudonym and keep_fields

DEMOGRAPHICS = {"gender": "female", "age_band": "25-34"}
POLICY_RECORDS = [
    Record("u1", TEXT, "anxiety", author="a1", group=DEMOGRAPHICS, fields={**DEMOGRAPHICS, "phq9": 12}),
    Record("u2", "hello there", "none", author="a1", group=DEMOGRAPHICS, fields={**DEMOGRAPHICS, "phq9": 3}),
    Record("u3", "another day", "none", author="a2", group={"gender": "male"}, fields={"gender": "male"}),
    Record("u4", "no author here", "none"),
]


def _policy_anonymizers() -> list[str]:
    import mhprivbench.testing  # noqa: F401  (registers mask_all_dummy)
    from mhprivbench import registry
    from mhprivbench.anonymizers.policy import ReleasePolicy

    return [name for name, cls in registry.get_all("anonymizer").items() if issubclass(cls, ReleasePolicy)]


POLICY_NAMES = _policy_anonymizers()


REQUIRED = {"santext": {"epsilon": 10.0}}  # parameters without a default


def _release(name: str, seed: int = 0, **params) -> list[Record]:
    anonymizer = create("anonymizer", name, **REQUIRED.get(name, {}), **params)
    return anonymizer.rewrite(POLICY_RECORDS, anonymizer.detect([r.text for r in POLICY_RECORDS]), seed=seed)


def test_every_builtin_anonymizer_declares_its_release_policy() -> None:
    assert {"identity", "regex", "mask_all_dummy"} <= set(POLICY_NAMES)


@pytest.mark.parametrize("name", POLICY_NAMES)
def test_default_policy_keeps_pseudonym_and_fields(name: str) -> None:
    out = _release(name)
    assert [r.author for r in out] == ["a1", "a1", "a2", None]
    assert [(dict(r.group), dict(r.fields)) for r in out] == [(dict(r.group), dict(r.fields)) for r in POLICY_RECORDS]


@pytest.mark.parametrize("name", POLICY_NAMES)
def test_rehash_is_consistent_per_author_new_per_seed(name: str) -> None:
    first, again, other = (_release(name, seed=seed, pseudonym="rehash") for seed in (7, 7, 8))
    authors = [r.author for r in first]
    assert authors[0] == authors[1] and authors[0] != authors[2] and authors[3] is None
    assert not {"a1", "a2"} & set(authors)  # the dataset's ids are gone
    assert [r.author for r in again] == authors  # deterministic for a seed
    assert [r.author for r in other][:3] != authors[:3]  # salted per release
    assert [r.text for r in first] == [r.text for r in _release(name, seed=7)]  # the text is not affected


@pytest.mark.parametrize("name", POLICY_NAMES)
def test_drop_and_keep_fields(name: str) -> None:
    dropped = _release(name, pseudonym="drop", keep_fields=[])
    assert [r.author for r in dropped] == [None] * 4
    assert all(dict(r.group) == {} and dict(r.fields) == {} for r in dropped)
    gender_only = _release(name, keep_fields=["gender"])
    assert [dict(r.group) for r in gender_only] == [{"gender": "female"}] * 2 + [{"gender": "male"}, {}]
    assert [dict(r.fields) for r in gender_only] == [{"gender": "female"}] * 2 + [{"gender": "male"}, {}]
    assert [r.author for r in gender_only] == ["a1", "a1", "a2", None]


@pytest.mark.parametrize(("params", "option"), [
    ({"pseudonym": "hash"}, "pseudonym"), ({"pseudonym": None}, "pseudonym"), ({"keep_fields": "gender"}, "keep_fields"),
    ({"keep_fields": [3]}, "keep_fields"), ({"keep_fields": [""]}, "keep_fields"), ({"keep_fields": 1}, "keep_fields"),
])
@pytest.mark.parametrize("name", POLICY_NAMES)
def test_bad_policy_is_a_one_line_config_error(name: str, params: dict, option: str) -> None:
    with pytest.raises(ConfigError, match=option) as caught:
        create("anonymizer", name, **params)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name", POLICY_NAMES)
def test_policy_params_round_trip(name: str) -> None:
    from mhprivbench.testing import check_params_round_trip

    anonymizer = create("anonymizer", name, **REQUIRED.get(name, {}), pseudonym="rehash",
                        keep_fields=["gender", "age_band"])
    check_params_round_trip(anonymizer)
    check_params_round_trip(create("anonymizer", name, **REQUIRED.get(name, {}), pseudonym="drop", keep_fields=[]))


def test_keep_fields_list_is_one_value_in_a_suite_grid() -> None:
    from mhprivbench.specs import expand_grid

    assert len(expand_grid("anonymizer", "regex", {"keep_fields": [], "pseudonym": ["keep", "drop"]})) == 2
    assert len(expand_grid("anonymizer", "regex", {"keep_fields": ["gender", "age_band"]})) == 1
    assert [s.params["keep_fields"] for s in expand_grid("anonymizer", "regex", {"keep_fields": [["gender"], []]})
            ] == [["gender"], []]
