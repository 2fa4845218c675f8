"""PII evaluation (mhprivbench.pii_eval): hand-computed span- and token-level counts and P / R / F2, gold-file
validation as one-line errors that never quote the text, and the hand-written evaluation set in tests/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mhprivbench.anonymizers.regex import RegexAnonymizer
from mhprivbench.errors import ConfigError, DataError
from mhprivbench.pii_eval import (
    GoldDoc,
    docs_from_records,
    evaluate,
    evaluate_detector,
    load_gold,
    match_spans,
    parse_entity_map,
    scores,
)
from mhprivbench.types import Span

EVAL_SET = Path(__file__).parent / "data" / "pii_eval.jsonl"
DECLARED = {"PERSON", "LOCATION", "ORGANIZATION", "DATE_TIME", "AGE", "PHONE_NUMBER", "EMAIL_ADDRESS", "URL",
            "USERNAME", "ADDRESS", "US_SSN", "UK_NHS", "ID", "IP_ADDRESS", "IBAN_CODE", "CREDIT_CARD"}


def test_f2_by_hand():
    # P = 2/3, R = 1/2: F2 = 5 * (2/3) * (1/2) / (4 * (2/3) + 1/2) = (5/3) / (19/6) = 10/19
    assert scores(2, 1, 2)["f2"] == pytest.approx(10 / 19)
    assert scores(0, 0, 3) == {"tp": 0, "fp": 0, "fn": 3, "precision": None, "recall": 0.0, "f2": 0.0}
    assert scores(0, 0, 0)["f2"] is None


TEXT = "x" * 40
GOLD = [GoldDoc(TEXT, (Span(0, 5, "PERSON"), Span(10, 15, "LOCATION"), Span(20, 25, "AGE")))]
PRED = [[Span(0, 5, "PERSON"), Span(10, 14, "PERSON"), Span(30, 35, "URL")]]


def test_span_level_by_hand():
    report = evaluate(GOLD, PRED)["span"]
    # type-agnostic: (0,5) exact, (10,14) IoU 4/5 -> 2 TP; (30,35) FP; (20,25) FN: P = R = F2 = 2/3
    assert report["all"] == pytest.approx({"tp": 2, "fp": 1, "fn": 1, "precision": 2 / 3, "recall": 2 / 3,
                                           "f2": 2 / 3})
    per = report["per_type"]
    # PERSON: one exact TP, the PERSON predicted over a LOCATION is a FP of PERSON and a FN of LOCATION
    assert per["PERSON"] == pytest.approx({"tp": 1, "fp": 1, "fn": 0, "precision": 0.5, "recall": 1.0,
                                           "f2": 5 * 0.5 / (4 * 0.5 + 1)})
    assert per["LOCATION"] == {"tp": 0, "fp": 0, "fn": 1, "precision": None, "recall": 0.0, "f2": 0.0}
    assert (per["AGE"]["fn"], per["URL"]["fp"]) == (1, 1)


def test_iou_threshold_and_one_to_one_matching():
    gold, short = [Span(0, 10, "PERSON")], [Span(0, 4, "PERSON")]  # IoU 0.4
    assert match_spans(gold, short, 0.5) == [] and match_spans(gold, short, 0.4) == [(0, 0)]
    assert match_spans(gold, short, 0.0) == [(0, 0)]  # iou 0: any overlap
    assert match_spans(gold, [Span(10, 12, "PERSON")], 0.0) == []  # touching is not overlapping
    # one prediction over two gold spans matches one of them (the higher IoU), the other is a FN
    two = [Span(0, 4, "AGE"), Span(4, 5, "GENDER")]
    assert match_spans(two, [Span(0, 5, "AGE")], 0.5) == [(0, 0)]
    counts = evaluate([GoldDoc("34F is me", tuple(two))], [[Span(0, 5, "AGE")]])["span"]["all"]
    assert (counts["tp"], counts["fp"], counts["fn"]) == (1, 0, 1)


def test_token_level_by_hand():
    text = "Ann Lee lives in Leeds now"
    gold = [GoldDoc(text, (Span(0, 7, "PERSON"), Span(17, 22, "LOCATION")))]
    pred = [[Span(0, 3, "PERSON"), Span(4, 13, "LOCATION")]]  # "Ann" PERSON, "Lee lives" LOCATION
    report = evaluate(gold, pred)["token"]
    # tokens Ann Lee lives in Leeds now; gold P P O O L O; predicted P L L O O O
    assert report["all"] == pytest.approx({"tp": 2, "fp": 1, "fn": 1, "precision": 2 / 3, "recall": 2 / 3,
                                           "f2": 2 / 3})
    assert report["per_type"]["PERSON"] == pytest.approx({"tp": 1, "fp": 0, "fn": 1, "precision": 1.0,
                                                          "recall": 0.5, "f2": 2.5 / 4.5})
    assert report["per_type"]["LOCATION"] == {"tp": 0, "fp": 2, "fn": 1, "precision": 0.0, "recall": 0.0,
                                              "f2": 0.0}


def test_entity_map_renames_both_sides_and_o_drops():
    gold = [GoldDoc(TEXT, (Span(0, 5, "LOCATION"), Span(10, 15, "GENDER")))]
    pred = [[Span(0, 5, "ADDRESS")]]
    plain = evaluate(gold, pred)["span"]["per_type"]
    assert plain["ADDRESS"]["fp"] == 1 and plain["LOCATION"]["fn"] == 1
    mapped = evaluate(gold, pred, entity_map={"ADDRESS": "LOCATION", "GENDER": "O"})
    assert mapped["span"]["per_type"] == {"LOCATION": scores(1, 0, 0)}
    assert mapped["gold_spans"] == 1


@pytest.mark.parametrize(("pairs", "needle"), [
    (["PLACE=LOCATION"], "unknown entity type 'PLACE'"), (["ADDRESS"], "expected FROM=TO"),
    (["ADDRESS=lo-cation"], "not an entity name")])
def test_entity_map_errors_are_one_line(pairs, needle):
    with pytest.raises(ConfigError, match=needle) as caught:
        parse_entity_map(pairs, {"ADDRESS", "LOCATION"})
    assert "\n" not in str(caught.value)


SECRET = "Zebulon Quartermaine of 7 Fictive Lane"


@pytest.mark.parametrize(("line", "needle"), [
    (json.dumps({"text": SECRET, "spans": [{"start": 0, "end": 99, "entity": "PERSON"}]}), "outside the text"),
    (json.dumps({"text": SECRET, "spans": [{"start": 5, "end": 5, "entity": "PERSON"}]}), "start < end"),
    (json.dumps({"text": SECRET, "spans": [{"start": -1, "end": 3, "entity": "PERSON"}]}), "start < end"),
    (json.dumps({"text": SECRET, "spans": [{"start": 0, "end": 7, "entity": "PERSON", "note": SECRET}]}),
     "unknown key 'note'"),
    (json.dumps({"text": SECRET, "spans": [], "label": "x"}), "unknown key 'label'"),
    (json.dumps({"text": SECRET, "spans": [{"start": "0", "end": 7, "entity": "PERSON"}]}), "integers"),
    (json.dumps({"text": SECRET, "spans": [{"start": 0, "end": 7, "entity": ""}]}), "entity"),
    (json.dumps({"text": SECRET, "spans": [{"start": 0, "end": 7, "entity": "PERSON"},
                                           {"start": 3, "end": 9, "entity": "PERSON"}]}), "overlap"),
    (json.dumps({"spans": []}), "missing key 'text'"),
    (json.dumps([SECRET]), "JSON object"),
    ('{"text": "' + SECRET + '", "spans": [', "not valid JSON"),
])
def test_bad_gold_lines_are_one_line_errors_naming_file_and_line(tmp_path, line, needle):
    path = tmp_path / "gold.jsonl"
    good = json.dumps({"text": "fine", "spans": []})
    path.write_text(f"{good}\n\n{line}\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_gold(path)
    message = str(caught.value)
    assert "\n" not in message and needle in message and f"{path} line 3" in message
    assert "Zebulon" not in message and "Fictive" not in message


def test_empty_and_missing_gold_files(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(DataError, match="no documents"):
        load_gold(tmp_path / "empty.jsonl")
    with pytest.raises(DataError, match="not found"):
        load_gold(tmp_path / "nope.jsonl")


def test_hand_written_eval_set_is_well_formed():
    """The check the README of tests/data promises: offsets inside the text, spans not overlapping, entity types
    from the declared set, some posts without PII; load_gold accepts it."""
    rows = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert 40 <= len(rows) <= 60
    for row in rows:
        assert set(row) == {"text", "spans"}
        spans = sorted(row["spans"], key=lambda s: s["start"])
        for span in spans:
            assert set(span) == {"start", "end", "entity"} and span["entity"] in DECLARED
            assert 0 <= span["start"] < span["end"] <= len(row["text"])
            assert row["text"][span["start"]:span["end"]].strip() == row["text"][span["start"]:span["end"]]
        assert all(a["end"] <= b["start"] for a, b in zip(spans, spans[1:], strict=False))
    assert sum(not row["spans"] for row in rows) >= 4
    types = {s["entity"] for row in rows for s in row["spans"]}
    assert {"PERSON", "LOCATION", "ORGANIZATION", "DATE_TIME", "AGE", "PHONE_NUMBER", "EMAIL_ADDRESS", "URL",
            "USERNAME", "ADDRESS", "ID"} <= types
    assert len(load_gold(EVAL_SET)) == len(rows)


def test_regex_on_the_hand_written_set_finds_the_structured_identifiers():
    report = evaluate_detector(RegexAnonymizer(), load_gold(EVAL_SET))
    per = report["span"]["per_type"]
    for entity in ("EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE", "CREDIT_CARD", "IP_ADDRESS", "US_SSN", "URL"):
        assert per[entity]["recall"] == 1.0, entity
    assert report["span"]["all"]["precision"] >= 0.9
    assert per["PERSON"]["recall"] < 0.2  # names in free prose are for NER, not regex
    assert report["docs_per_second"] > 0


def test_synthmh_records_as_gold():
    from mhprivbench.testing import tiny_corpus

    records = tiny_corpus(seed=1).records[:60]
    docs = docs_from_records(records)
    assert sum(len(d.spans) for d in docs) == sum(len(r.spans) for r in records) > 0
    report = evaluate_detector(RegexAnonymizer(), docs)
    assert report["docs"] == 60 and report["span"]["per_type"]["EMAIL_ADDRESS"]["f2"] == 1.0
