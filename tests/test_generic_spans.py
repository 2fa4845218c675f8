"""Generic loader ``spans_column``: gold PII spans from CSV (JSON strings) and JSONL (lists), one-line errors that
name the file, row and column without echoing the text, and the spans reaching pii_leak and text_fidelity."""

from __future__ import annotations

import csv
import json

import pytest

from mhprivbench.errors import ConfigError, DataError
from mhprivbench.registry import create
from mhprivbench.types import Span

TEXT = "Call Maria at 555-201-3344 please"  # Maria: 5-10, phone: 14-26


def _csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label", "pii"])
        writer.writerows(rows)
    return str(path)


def _load(path, **params):
    return create("dataset", "generic", path=path, spans_column="pii", **params).load()


def test_csv_json_spans_become_record_spans_with_default_kinds(tmp_path):
    spans = [{"start": 14, "end": 26, "entity": "PHONE_NUMBER"}, {"start": 5, "end": 10, "entity": "PERSON",
                                                                    "kind": "quasi", "attribute": "name"}]
    path = _csv(tmp_path / "d.csv", [[TEXT, "a", json.dumps(spans)], ["nothing here", "b", ""]])
    first, second = _load(path).records
    assert first.spans == (Span(5, 10, "PERSON", "quasi", "name"), Span(14, 26, "PHONE_NUMBER", "direct"))
    assert first.text[5:10] == "Maria" and second.spans == ()


def test_jsonl_field_may_hold_the_list_itself(tmp_path):
    path = tmp_path / "d.jsonl"
    rows = [{"text": TEXT, "label": "a", "pii": [{"start": 5, "end": 10, "entity": "PERSON"}]},
            {"text": "fine", "label": "b", "pii": None}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    first, second = _load(str(path)).records
    assert first.spans == (Span(5, 10, "PERSON", "direct"),) and second.spans == ()


@pytest.mark.parametrize(("cell", "expected"), [
    ("[{\"start\": 5,", "malformed JSON"),
    ("{\"start\": 5, \"end\": 10, \"entity\": \"PERSON\"}", "expected a JSON list"),
    ("[{\"start\": 5, \"end\": 99, \"entity\": \"PERSON\"}]", "offsets 5-99 are outside the text (length 33)"),
    ("[{\"start\": 10, \"end\": 5, \"entity\": \"PERSON\"}]", "outside the text"),
    ("[{\"start\": \"5\", \"end\": 10, \"entity\": \"PERSON\"}]", "start and end must be integers"),
    ("[{\"start\": 5, \"end\": 10}]", "entity must be a non-empty string"),
    ("[{\"start\": 5, \"end\": 10, \"entity\": \"PERSON\", \"kind\": \"secret\"}]", "kind must be one of"),
    ("[{\"start\": 5, \"end\": 10, \"entity\": \"PERSON\", \"surface\": \"Maria\"}]", "unknown key 'surface'"),
    ("[5, 10]", "span 0: expected an object"),
])
def test_malformed_cells_name_file_row_and_column_without_text(tmp_path, cell, expected):
    path = _csv(tmp_path / "bad.csv", [["fine", "b", ""], [TEXT, "a", cell]])
    with pytest.raises(DataError) as error:
        _load(path)
    message = str(error.value)
    assert "bad.csv" in message and "row 2" in message and "'pii'" in message and expected in message
    assert "Maria" not in message and "555" not in message and "\n" not in message


def test_missing_column_and_bad_parameter(tmp_path):
    path = _csv(tmp_path / "d.csv", [[TEXT, "a", ""], ["x y", "b", ""]])
    with pytest.raises(DataError, match="nope"):
        create("dataset", "generic", path=path, spans_column="nope").load()
    with pytest.raises(ConfigError, match="spans_column must be a string"):
        create("dataset", "generic", path=path, spans_column=3)


@pytest.mark.slow
def test_gold_spans_feed_pii_leak_and_text_fidelity(tmp_path):
    """Annotated data runs end to end: identity leaks every gold span, regex masking removes the phones, and
    token retention leaves the gold spans out."""
    from mhprivbench.mechanisms import release

    names = ["Maria", "Jonas", "Priya", "Tomas", "Aisha", "Kenji"]
    rows = []
    for i in range(60):
        name, phone = names[i % 6], f"555-201-{3300 + i}"
        text = f"Call {name} at {phone} please, day {i} was rough"
        spans = [{"start": 5, "end": 5 + len(name), "entity": "PERSON"},
                 {"start": 9 + len(name), "end": 21 + len(name), "entity": "PHONE_NUMBER"}]
        rows.append([text, "ab"[i % 2], json.dumps(spans)])
    corpus = _load(_csv(tmp_path / "d.csv", rows))
    assert all(r.text[s.start:s.end] in names or s.entity == "PHONE_NUMBER" for r in corpus.records for s in r.spans)
    splits = corpus.split(seed=0)
    assert splits.train and all(len(r.spans) == 2 for r in splits.train)
    leak = create("attack", "pii_leak")
    identity = release(create("anonymizer", "identity"), splits.train, seed=0)
    assert leak.run(identity, splits, seed=0)["pii.leak_rate"].value == pytest.approx(1.0)
    masked = release(create("anonymizer", "regex", entities=["PHONE_NUMBER"], operator="mask"), splits.train, seed=0)
    assert leak.run(masked, splits, seed=0)["pii.leak_rate_direct"].value < 1.0
    fidelity = create("attack", "text_fidelity", n_bootstrap=20).run(masked, splits, seed=0)
    assert fidelity["fidelity.token_retention"].value == pytest.approx(1.0)  # only gold-span tokens were masked
