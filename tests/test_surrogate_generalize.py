"""``surrogate``, ``generalize`` and ``pipeline``: consistent fake values never drawn from the input, hand-computed
bands and coarsenings, step order, the union of detections, one-line errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mhprivbench.anonymizers import surrogate_pools as pools
from mhprivbench.anonymizers.dates import coarsen, format_core, parse_date, shift
from mhprivbench.anonymizers.generalize import age_band, place, sector
from mhprivbench.errors import ConfigError
from mhprivbench.registry import create
from mhprivbench.types import Record


def _release(anonymizer, records, seed=0):
    return anonymizer.rewrite(records, anonymizer.detect([r.text for r in records]), seed=seed)


def _rec(uid, text, author=None):
    return Record(uid, text, "x", author=author)


REGEX_SURROGATE = {"detector": "regex"}


# ------------------------------------------------------------------------------------------------- surrogate

def test_same_original_same_surrogate_within_a_document():
    text = "call 555-201-3344 now, yes 555-201-3344, or 555-201-9999"
    out = _release(create("anonymizer", "surrogate", **REGEX_SURROGATE), [_rec("a", text)])[0].text
    phones = re.findall(r"\d{3}-555-01\d\d", out)
    assert len(phones) == 3 and phones[0] == phones[1] != phones[2]
    assert "555-201" not in out


def test_author_consistency_spans_records_and_document_consistency_does_not():
    records = [_rec(f"r{i}", "my email is jo.smith@gmail.com ok", author="u1") for i in range(4)]
    by_author = _release(create("anonymizer", "surrogate", consistency="author", **REGEX_SURROGATE), records)
    by_doc = _release(create("anonymizer", "surrogate", **REGEX_SURROGATE), records)
    assert len({r.text for r in by_author}) == 1
    assert len({r.text for r in by_doc}) > 1
    assert all("jo.smith" not in r.text for r in by_author + by_doc)


def test_surrogates_are_never_drawn_from_the_input():
    kept_out = set(pools.FIRST_NAMES[-10:])
    listed = " ".join(pools.FIRST_NAMES[:-10])  # every other pool name occurs in the document
    records = [_rec(f"r{i}", f"My name is Tom. Friends: {listed}.") for i in range(5)]
    for out in _release(create("anonymizer", "surrogate", **REGEX_SURROGATE), records, seed=3):
        name = re.match(r"My name is (\w+)\.", out.text).group(1)
        assert name in kept_out, "the surrogate is a pool value that does not occur in the input"


def test_surrogate_formats_and_seeding():
    text = "email jo.smith@gmail.com, call (415) 555-2671, see www.jo-smith.net, I'm 34M"
    anonymizer = create("anonymizer", "surrogate", **REGEX_SURROGATE)
    out = _release(anonymizer, [_rec("a", text)], seed=1)[0].text
    assert re.search(r"@example\.(com|org|net)", out) and re.search(r"\d{3}-555-01\d\d", out)
    assert re.search(r"I'm \d\dM", out) and "34M" not in out
    assert out == _release(anonymizer, [_rec("a", text)], seed=1)[0].text
    assert out != _release(anonymizer, [_rec("a", text)], seed=2)[0].text


def test_dates_move_together_so_intervals_survive():
    text = "It happened on March 3, 2021 and again on March 10, 2021."
    out = _release(create("anonymizer", "surrogate", **REGEX_SURROGATE), [_rec("a", text)], seed=5)[0].text
    dates = [dt.datetime.strptime(d, "%B %d, %Y") for d in re.findall(r"[A-Z][a-z]+ \d{1,2}, \d{4}", out)]
    assert len(dates) == 2 and (dates[1] - dates[0]).days == 7
    assert "March 3, 2021" not in out


def test_surrogate_errors_are_one_line():
    for params, message in [({"consistency": "user"}, "consistency must be one of document, author"),
                            ({"detector": "ner"}, "detector must be one of presidio, regex"),
                            ({"detector": "regex", "detector_params": {"entities": ["NAME"]}}, "unknown entity 'NAME'")]:
        with pytest.raises(ConfigError) as error:
            create("anonymizer", "surrogate", **params)
        assert message in str(error.value) and "\n" not in str(error.value)


# ------------------------------------------------------------------------------------------------- dates

@pytest.mark.parametrize("surface, shifted, level1, level2", [
    ("March 3rd, 2021", "March 13th, 2021", "March 2021", "2021"),
    ("2021-03-12", "2021-03-22", "March 2021", "2021"),
    ("25/03/21", "04/04/21", "March 2021", "2021"),
    ("12/03/2021", "12/13/2021", "2021", "2021"),  # day and month ambiguous: read month-first, coarsened to year
    ("last March", "last April", "March", "some time"),
    ("next Tuesday", "next Friday", "some time", "some time"),
])
def test_dates_shift_and_coarsen(surface, shifted, level1, level2):
    mention = parse_date(surface)
    assert mention.before + format_core(shift(mention, 10)) + mention.after == shifted
    assert coarsen(mention, 1) == level1 and coarsen(mention, 2) == level2


def test_unreadable_dates():
    assert parse_date("two weeks ago") is None and coarsen(None, 1) == "some time"


# ------------------------------------------------------------------------------------------------- generalize

@pytest.mark.parametrize("surface, level1, level2", [
    ("34", "30-39", "18-39"), ("34M", "30-39", "18-39"), ("19", "18-19", "18-39"), ("16", "under 18", "under 18"),
    ("47 years old", "40-49", "40-59"), ("sixty-one", "60-69", "60-79"), ("85", "80+", "80+"),
])
def test_age_bands(surface, level1, level2):
    assert age_band(surface, 1) == level1 and age_band(surface, 2) == level2


def test_places_and_sectors():
    assert place("Leeds", 1) == "Yorkshire" and place("Leeds", 2) == "the UK"
    assert place("grand rapids", 1) == "Michigan" and place("Yorkshire", 2) == "the UK"
    assert place("Port Ellery", 1) == "a city" == place("Port Ellery", 2)
    assert sector("Leeds General Infirmary") == "a healthcare provider"
    assert sector("Tesco") == "a shop" and sector("Brookfield Community College") == "a university"
    assert sector("Acme Widgets") == "an organisation"


def test_generalize_end_to_end_with_the_regex_detector():
    anonymizer = create("anonymizer", "generalize", detector="regex")
    text = "I'm 34M and moved to Leeds on March 3rd, 2021. Call 555-201-3344."
    out = _release(anonymizer, [_rec("a", text)])[0].text
    assert out == "I'm 30-39 and moved to Yorkshire on March 2021. Call 555-201-3344."
    coarse = _release(create("anonymizer", "generalize", detector="regex", level=2), [_rec("a", text)])[0].text
    assert coarse == "I'm 18-39 and moved to the UK on 2021. Call 555-201-3344."


def test_generalize_errors_are_one_line():
    for params, message in [({"level": 3}, "level must be 1 or 2"),
                            ({"entities": ["PERSON"]}, "unknown entity 'PERSON' (known: AGE, DATE_TIME, LOCATION,"),
                            ({"detector": "spacy"}, "detector must be one of presidio, regex")]:
        with pytest.raises(ConfigError) as error:
            create("anonymizer", "generalize", **params)
        assert message in str(error.value) and "\n" not in str(error.value)


# ------------------------------------------------------------------------------------------------- pipeline

TEXT = "I'm 34M, call 555-201-3344."
GENERALIZE_REGEX = {"name": "generalize", "params": {"detector": "regex"}}


def test_pipeline_applies_steps_in_order():
    generalize_first = create("anonymizer", "pipeline", steps=[
        GENERALIZE_REGEX, {"name": "regex", "params": {"entities": ["PHONE_NUMBER"]}}])
    regex_first = create("anonymizer", "pipeline", steps=[
        {"name": "regex", "params": {"entities": ["AGE", "PHONE_NUMBER"]}}, GENERALIZE_REGEX])
    assert _release(generalize_first, [_rec("a", TEXT)])[0].text == "I'm 30-39, call <PHONE_NUMBER>."
    assert _release(regex_first, [_rec("a", TEXT)])[0].text == "I'm <AGE>, call <PHONE_NUMBER>."


def test_pipeline_detect_is_the_union_and_the_first_step_is_not_run_twice(monkeypatch):
    pipeline = create("anonymizer", "pipeline", steps=[
        {"name": "regex", "params": {"entities": ["PHONE_NUMBER"]}}, GENERALIZE_REGEX])
    detected = pipeline.detect([TEXT])[0]
    assert {(TEXT[s.start:s.end], s.entity) for s in detected} == {("34M", "AGE"), ("555-201-3344", "PHONE_NUMBER")}
    first = pipeline._steps[0]
    calls = []
    monkeypatch.setattr(first, "detect", lambda texts: calls.append(texts) or [[] for _ in texts])
    pipeline.rewrite([_rec("a", TEXT)], [detected])
    assert calls == [], "the first step reuses the detections of detect()"


def test_pipeline_keeps_the_release_policy_once():
    records = [_rec("a", TEXT, author="alice")]
    out = _release(create("anonymizer", "pipeline", steps=[GENERALIZE_REGEX], pseudonym="drop"), records)
    assert out[0].author is None


@pytest.mark.parametrize("steps, message", [
    ([{"name": "presido"}], "steps[0]: unknown anonymizer 'presido'; did you mean 'presidio'?"),
    ([GENERALIZE_REGEX, {"name": "regex", "params": {"pseudonym": "drop"}}], "steps[1]: set pseudonym"),
    ([{"name": "regex", "options": {}}], "steps[0]: unknown key 'options' (allowed: name, params)"),
    ([], "steps must be a non-empty list"),
    ([{"name": "regex", "params": {"operator": "shred"}}], "steps[0]: anonymizer 'regex': operator must be one of"),
])
def test_pipeline_errors_are_one_line(steps, message):
    with pytest.raises(ConfigError) as error:
        create("anonymizer", "pipeline", steps=steps)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_default_pipeline_replaces_names_and_generalizes_the_rest():
    pytest.importorskip("presidio_analyzer")
    text = "I'm 34M from Leeds. My therapist Dr. Okafor said call 020 7946 0958 on March 3rd, 2021."
    out = _release(create("anonymizer", "pipeline"), [_rec("a", text)])[0].text
    # level 2: a 20-year band, the country, the year (a region or a month would still narrow the registry down)
    assert out == "I'm 18-39 from the UK. My therapist Dr. <PERSON> said call <PHONE_NUMBER> on 2021."


def test_align_places_the_unchanged_text_only_when_the_placement_is_unique():
    from mhprivbench.anonymizers.pipeline import align

    assert align(["a", " b ", "c"], "aXX b YYc") == [0, 3, 8]  # hand-computed
    assert align(["", " ", ""], "an organisation an organisation") is None  # the space could be either one
    assert align(["I'm ", ", call ", "."], "I'm 30-39, call <PHONE_NUMBER>.") == [0, 9, 30]
    assert align(["x"], "y") is None


def test_a_step_that_rewrites_outside_its_spans_makes_later_steps_detect_again():
    from mhprivbench.anonymizers.pipeline import follow

    assert follow([(0, 9, 0)], "I'm 34M. ", [], "i'm 34m. ") is None
    assert follow([(0, 9, 0)], "I'm 34M. ", [], "I'm 34M. ") == [(0, 9, 0)]


def test_later_steps_reuse_their_detections_on_the_original_text(monkeypatch):
    pipeline = create("anonymizer", "pipeline", steps=[
        {"name": "regex", "params": {"entities": ["PHONE_NUMBER"]}}, GENERALIZE_REGEX])
    detected = pipeline.detect([TEXT])
    second = pipeline._steps[1]
    calls = []
    monkeypatch.setattr(second, "detect", lambda texts: calls.append(texts) or [[] for _ in texts])
    out = pipeline.rewrite([_rec("a", TEXT)], detected)
    assert calls == [] and out[0].text == "I'm 30-39, call <PHONE_NUMBER>."
    # other texts than detect() saw: every step detects on the text the previous one wrote
    pipeline.rewrite([_rec("b", "I'm 34M.")], [[]])
    assert calls == [["I'm 34M."]]
