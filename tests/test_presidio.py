"""The ``presidio`` anonymizer: offline spaCy NER through Presidio, our recognizers for mental-health text, entity
names and kinds, operators, one-line errors, batching and the one-engine-per-process cache."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mhprivbench.errors import ConfigError
from mhprivbench.identifiers import entity_kind
from mhprivbench.registry import create
from mhprivbench.types import Record

pytest.importorskip("presidio_analyzer")


@pytest.fixture(scope="module")
def presidio():
    return create("anonymizer", "presidio")


def _found(anonymizer, text: str) -> set[tuple[str, str]]:
    return {(text[s.start:s.end], s.entity) for s in anonymizer.detect([text])[0]}


def test_age_tag_and_city_spans_are_hand_computed(presidio):
    text = "I'm 34M from Leeds"
    spans = presidio.detect([text])[0]
    assert [(s.start, s.end, s.entity, s.kind) for s in spans] == [(4, 7, "AGE", "quasi"), (13, 18, "LOCATION", "quasi")]


@pytest.mark.parametrize("text, surface, entity", [
    ("Throwaway account [28F] here, long time lurker.", "28F", "AGE"),
    ("Me (22f) and my partner have been fighting.", "22f", "AGE"),
    ("Honestly I'm nineteen and I feel so lost.", "nineteen", "AGE"),
    ("You can DM me at u/quiet_fox_77 if you want.", "u/quiet_fox_77", "USERNAME"),
    ("Find me on insta @sleepy.owl_22 ok", "@sleepy.owl_22", "USERNAME"),
    ("My therapist Dr. Okafor said it gets better.", "Okafor", "PERSON"),
    ("Only my sister, kate, knows about this.", "kate", "PERSON"),
    ("I started at Brookfield Community College last year.", "Brookfield Community College", "ORGANIZATION"),
    ("My NHS number is 943 476 5919 if that matters.", "943 476 5919", "UK_NHS"),
    ("They wrote MRN 00482913 on the form.", "00482913", "ID"),
    ("Name: jo smith\nCity: leeds\nAge: 27\n", "jo smith", "PERSON"),
    ("Name: jo smith\nCity: leeds\nAge: 27\n", "leeds", "LOCATION"),
    ("call me on +44 20 7946 0958 tonight", "+44 20 7946 0958", "PHONE_NUMBER"),
    # signatures with an age or a place, self-introductions with an age, lower-case age tags
    ("thanks for reading.\nHugo (33)", "Hugo", "PERSON"),
    ("thanks for reading.\nxo kate ([28F])", "kate", "PERSON"),
    ("ok that's all.\n\n- peter, halifax", "peter", "PERSON"),
    ("ngl i'm alejandro, 23, from Leeds", "alejandro", "PERSON"),
    ("ngl i'm alejandro, 23, from Leeds", "23", "AGE"),
    ("23m here. can't sleep again", "23m", "AGE"),
    ("f44\nUpdate on my last post.", "f44", "AGE"),
    # a street where someone lives, without a house number; a bare domain on a less common TLD
    ("I live off Oak Ct. it's quiet", "Oak Ct", "ADDRESS"),
    ("I post art at twitch.tv/wild_maple", "twitch.tv/wild_maple", "URL"),
    # occupations after "work as a", "at X as a", "I'm a ... at <Name>"
    ("I work as a paramedic in Geelong", "paramedic", "OCCUPATION"),
    ("i work at Stonebridge Salon as a hairstylist. anyway", "hairstylist", "OCCUPATION"),
    ("I'm a lab tech at Foxglove Hospital.", "lab tech", "OCCUPATION"),
])
def test_mental_health_recognizers(presidio, text, surface, entity):
    assert (surface, entity) in _found(presidio, text)


def test_title_is_not_part_of_the_name_and_kinds_follow_the_identifier_table(presidio):
    spans = presidio.detect(["Dr. Okafor moved my appointment."])[0]
    names = [s for s in spans if s.entity == "PERSON"]
    assert len(names) == 1 and (names[0].start, names[0].end) == (4, 10)
    assert names[0].kind == entity_kind("PERSON") == "direct"


@pytest.mark.parametrize("text", [
    "- sleep, eat\n- run errands\nthat is my whole list for today.",  # list items are not signatures
    "I'm a mess at work and a wreck at home",  # "I'm a <noun> at" needs a capitalised name after it
    "I'm 5 days clean, 34 days to go",
    "the M25 was closed and I'm so tired",
])
def test_new_cues_leave_ordinary_prose_alone(presidio, text):
    found = _found(presidio, text)
    assert not {e for _, e in found} & {"PERSON", "OCCUPATION", "AGE"}, found


def test_a_chain_on_the_same_texts_runs_spacy_once(presidio, monkeypatch):
    from mhprivbench.anonymizers import presidio_engine

    texts = [f"Dr. Okafor saw me on day {i} in Leeds." for i in range(5)]
    engine = presidio_engine.analyzer(presidio_engine.EngineSpec(presidio.model, presidio.recognizers))
    calls = []
    original = engine.nlp_engine.process_batch
    monkeypatch.setattr(engine.nlp_engine, "process_batch", lambda *a, **k: calls.append(1) or original(*a, **k))
    names = create("anonymizer", "presidio", entities=["PERSON"]).detect(texts)
    places = create("anonymizer", "presidio", entities=["LOCATION"]).detect(texts)
    assert len(calls) == 1
    assert names == create("anonymizer", "presidio", entities=["PERSON"]).detect(list(texts) + ["x"])[:5]
    assert {s.entity for spans in places for s in spans} == {"LOCATION"}


def test_durations_and_times_of_day_are_not_dates(presidio):
    text = "For three months I've barely slept, last night was bad, and two weeks ago I relapsed."
    dates = {s for s, e in _found(presidio, text) if e == "DATE_TIME"}
    assert "two weeks ago" in dates
    assert not dates & {"three months", "For three months", "last night"}


def test_stock_recognizers_find_no_age_or_handle():
    stock = create("anonymizer", "presidio", recognizers="stock")
    found = _found(stock, "I'm 34M, DM me u/quiet_fox_77")
    assert not any(entity in ("AGE", "USERNAME") for _, entity in found)


def test_entity_list_restricts_detection(presidio):
    only = create("anonymizer", "presidio", entities=["PHONE_NUMBER"])
    found = _found(only, "Dr. Okafor, call 555-201-3344 from Leeds")
    assert found == {("555-201-3344", "PHONE_NUMBER")}


@pytest.mark.parametrize("params, message", [
    ({"entities": ["PERSONN"]}, "unknown entity 'PERSONN' (known: EMAIL_ADDRESS,"),
    ({"entities": "PERSON"}, "entities must be a non-empty list"),
    ({"operator": "encrypt"}, "operator must be one of replace, mask, redact, hash, surrogate, got 'encrypt'"),
    ({"score_threshold": 2}, "score_threshold must be a number between 0 and 1"),
    ({"recognizers": "all"}, "recognizers must be one of custom, stock"),
    ({"model": "en_core_web_zz"}, "spaCy model 'en_core_web_zz' is not installed"),
    ({"n_process": 0}, "n_process must be an integer >= 1"),
    ({"context": "therapist"}, "context must be a list of words"),
])
def test_bad_parameters_give_one_line_errors(params, message):
    with pytest.raises(ConfigError) as error:
        create("anonymizer", "presidio", **params)
    assert message in str(error.value) and "\n" not in str(error.value)


TEXTS = [
    "I'm 34M from Leeds. My therapist Dr. Okafor at Leeds General Infirmary said to call 020 7946 0958.",
    "hi, mara here. my sister, kate, lives in Dunmore. email me: mara.k@example.com or DM u/mara_k_99",
    "Since March 3rd, 2021 things got worse. Name: Jo Smith\nCity: Leeds",
]


@pytest.mark.parametrize("operator", ["replace", "mask", "redact", "hash", "surrogate"])
def test_rewritten_texts_never_contain_detected_surface_strings(presidio, operator):
    anonymizer = create("anonymizer", "presidio", operator=operator)
    records = [Record(f"r{i}", text, "x") for i, text in enumerate(TEXTS)]
    detected = presidio.detect(TEXTS)
    rewritten = anonymizer.rewrite(records, detected, seed=7)
    for record, spans, out in zip(records, detected, rewritten, strict=True):
        assert spans and out.spans == ()
        for span in spans:
            surface = record.text[span.start:span.end]
            found = sum(1 for s in spans if record.text[s.start:s.end] == surface)
            if len(surface) >= 4:  # a detected mention is gone: fewer copies than before by its detections
                assert out.text.count(surface) <= record.text.count(surface) - found, (operator, span.entity)


def test_hash_is_keyed_and_consistent(presidio):
    records = [Record("a", "Dr. Okafor again. dr. okafor said so.", "x")]
    detected = presidio.detect([records[0].text])
    first = create("anonymizer", "presidio", operator="hash").rewrite(records, detected, seed=1)[0].text
    other = create("anonymizer", "presidio", operator="hash").rewrite(records, detected, seed=2)[0].text
    tokens = [t for t in first.replace(".", " ").split() if t.startswith("<PERSON_")]
    assert len(tokens) == 2 and tokens[0] == tokens[1], "case and spacing do not change the hash"
    assert first != other, "another release seed gives other hashes"


def test_worker_processes_give_the_same_spans(presidio):
    texts = [f"{text} ({i})" for i in range(12) for text in TEXTS]
    parallel = create("anonymizer", "presidio", n_process=2, batch_size=8)
    assert parallel.detect(texts) == presidio.detect(texts)


def test_one_engine_per_process_and_configuration(presidio):
    from mhprivbench.anonymizers import presidio_engine

    presidio.detect(["warm up"])
    before = presidio_engine.analyzer.cache_info().currsize
    again = create("anonymizer", "presidio", operator="mask", entities=["PERSON"], score_threshold=0.5)
    again.detect(["Dr. Okafor"])
    assert presidio_engine.analyzer.cache_info().currsize == before
    assert presidio_engine.nlp_engine.cache_info().currsize >= 1


def test_constructing_presidio_plugins_imports_neither_presidio_nor_spacy():
    code = ("import sys; from mhprivbench.registry import create; "
            "[create('anonymizer', n) for n in ('presidio', 'surrogate', 'generalize', 'pipeline')]; "
            "print([m for m in ('presidio_analyzer', 'spacy', 'torch') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_offline_setting_is_forced_before_presidio_loads():
    code = ("import os; os.environ['TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS'] = 'http://example.invalid/list'; "
            "import mhprivbench.anonymizers.presidio_engine; "
            "print(repr(os.environ['TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "''"
