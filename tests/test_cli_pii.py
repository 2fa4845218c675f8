"""``mhprivbench evaluate-pii`` and ``mhprivbench anonymize``: reports and files, one-line errors with exit code 2,
no raw text or span surface string in any output, nothing half-written."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from mhprivbench import cli

SECRETS = ["Zebulon Quartermaine", "zq@example.org", "+44 20 7946 0321", "7 Fictive Lane"]
GOLD_ROWS = [
    {"text": "Hi, I'm Zebulon Quartermaine, mail zq@example.org or ring +44 20 7946 0321.",
     "spans": [{"start": 8, "end": 28, "entity": "PERSON"}, {"start": 35, "end": 49, "entity": "EMAIL_ADDRESS"},
               {"start": 58, "end": 74, "entity": "PHONE_NUMBER"}]},
    {"text": "We moved to 7 Fictive Lane last spring.", "spans": [{"start": 12, "end": 26, "entity": "ADDRESS"}]},
    {"text": "Nothing identifying in this one.", "spans": []},
]


def _run(capsys, *args):
    with pytest.raises(SystemExit) as caught:
        cli.main(list(args))
    out = capsys.readouterr()
    return caught.value.code, out.out, out.err


@pytest.fixture
def gold(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in GOLD_ROWS), encoding="utf-8")
    for row in GOLD_ROWS:
        for span in row["spans"]:
            assert row["text"][span["start"]:span["end"]] in SECRETS
    return path


def _no_secrets(*outputs: str) -> None:
    for output in outputs:
        for secret in SECRETS:
            assert secret.lower() not in output.lower()


def test_evaluate_pii_json_report(capsys, gold):
    code, out, err = _run(capsys, "evaluate-pii", "--method", "regex", "--gold", str(gold), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["docs"], report["gold_spans"]) == (3, 4)
    span = report["span"]
    # regex finds the self-named person, the email, the phone and the address: 4 of 4, nothing else
    assert (span["all"]["tp"], span["all"]["fp"], span["all"]["fn"]) == (4, 0, 0) and span["all"]["f2"] == 1.0
    assert report["token"]["all"]["recall"] == 1.0 and report["docs_per_second"] > 0
    _no_secrets(out, err)


def test_evaluate_pii_table_and_entity_map(capsys, gold):
    code, out, err = _run(capsys, "evaluate-pii", "--method", "regex", "--param", "entities=[EMAIL_ADDRESS]",
                          "--gold", str(gold), "--entity-map", "ADDRESS=O", "--iou", "0")
    assert code == 0, err
    assert "span level" in out and "token level" in out and "all (type-agnostic)" in out and "EMAIL_ADDRESS" in out
    assert "ADDRESS " not in out.replace("EMAIL_ADDRESS", "")  # mapped to O: dropped on both sides
    _no_secrets(out, err)


def test_evaluate_pii_on_a_dataset(capsys):
    code, out, err = _run(capsys, "evaluate-pii", "--method", "regex", "--dataset", "synthmh", "--n-docs", "40",
                          "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["docs"] == 40 and report["gold"] == "dataset:synthmh" and report["gold_spans"] > 0


@pytest.mark.parametrize(("args", "needle"), [
    (["--param", "operator=hash"], "operator must be one of"),
    (["--param", "entities=[FOO]"], "unknown entity 'FOO'"),
    (["--param", "nope=1"], "unknown parameter 'nope'"),
    (["--entity-map", "PLACE=LOCATION"], "unknown entity type 'PLACE'"),
    (["--entity-map", "ADDRESS"], "expected FROM=TO"),
    (["--iou", "1.5"], "--iou"),
])
def test_evaluate_pii_bad_options_one_line(capsys, gold, args, needle):
    code, out, err = _run(capsys, "evaluate-pii", "--method", "regex", "--gold", str(gold), *args)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], err
    _no_secrets(out, err)


def test_evaluate_pii_unknown_method_and_missing_gold(capsys, gold, tmp_path):
    code, _, err = _run(capsys, "evaluate-pii", "--method", "presidioo", "--gold", str(gold))
    assert code == 2 and "unknown anonymizer 'presidioo'" in err and len(err.strip().splitlines()) == 1
    code, _, err = _run(capsys, "evaluate-pii", "--method", "regex")
    assert code == 2 and "exactly one of --gold" in err


@pytest.mark.parametrize(("bad", "needle"), [
    ({"text": SECRETS[0], "spans": [{"start": 0, "end": 500, "entity": "PERSON"}]}, "outside the text"),
    ({"text": SECRETS[0], "spans": [{"start": 4, "end": 2, "entity": "PERSON"}]}, "start < end"),
    ({"text": SECRETS[0], "spans": [], "extra": SECRETS[1]}, "unknown key 'extra'"),
    ("{not json " + SECRETS[0], "not valid JSON"),
])
def test_evaluate_pii_bad_gold_one_line(capsys, tmp_path, bad, needle):
    path = tmp_path / "gold.jsonl"
    line = bad if isinstance(bad, str) else json.dumps(bad)
    path.write_text(json.dumps(GOLD_ROWS[2]) + "\n" + line + "\n", encoding="utf-8")
    code, out, err = _run(capsys, "evaluate-pii", "--method", "regex", "--gold", str(path))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and needle in lines[0] and f"{path} line 2" in lines[0], err
    _no_secrets(out, err)


# ------------------------------------------------------------------------------------------------- anonymize

ROWS = [{"id": "001", "text": GOLD_ROWS[0]["text"], "label": "a"},
        {"id": "002", "text": GOLD_ROWS[1]["text"], "label": "b"},
        {"id": "003", "text": "plain, nothing here", "label": "c"}]


def _leftovers(folder, keep):
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_anonymize_csv(capsys, tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    pd.DataFrame(ROWS).to_csv(source, index=False)
    code, out, err = _run(capsys, "anonymize", "--method", "regex", str(source), str(target), "--chunk-size", "2")
    assert code == 0, err
    result = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert list(result["id"]) == ["001", "002", "003"] and list(result["label"]) == ["a", "b", "c"]
    assert result["text"][0] == "Hi, I'm <PERSON>, mail <EMAIL_ADDRESS> or ring <PHONE_NUMBER>."
    assert result["text"][1] == "We moved to <ADDRESS> last spring." and result["text"][2] == ROWS[2]["text"]
    assert "anonymized 3 rows" in err and _leftovers(tmp_path, {"in.csv", "out.csv"}) == []
    _no_secrets(out, err)


def test_anonymize_jsonl_with_params_and_column(capsys, tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps({"body": r["text"], "n": i}) + "\n" for i, r in enumerate(ROWS)),
                      encoding="utf-8")
    code, out, err = _run(capsys, "anonymize", "--method", "regex", "--param", "operator=mask", "--text-column",
                          "body", str(source), str(target), "--quiet")
    assert code == 0, err
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["n"] for r in rows] == [0, 1, 2] and "*" * len("zq@example.org") in rows[0]["body"]
    _no_secrets(out, err, target.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "content", "args", "needle"), [
    ("in.csv", "id,body\n1,hello\n", [], "no column 'text'"),
    ("in.jsonl", json.dumps({"text": "ok"}) + "\n" + json.dumps({"text": "fine"}) + "\n{broken " + SECRETS[0] + "\n",
     ["--chunk-size", "1"], "line 3: not valid JSON"),
    ("in.jsonl", json.dumps({"text": 5}) + "\n", [], "line 1: 'text' must be a string"),
    ("in.jsonl", json.dumps({"body": SECRETS[0]}) + "\n", [], "line 1: no key 'text'"),
    ("in.txt", "hello\n", [], "cannot tell the format"),
    ("in.csv", "text\nhello\n", ["--param", "operator=hash"], "operator must be one of"),
])
def test_anonymize_bad_input_one_line_nothing_written(capsys, tmp_path, name, content, args, needle):
    source, target = tmp_path / name, tmp_path / "out.csv"
    source.write_text(content, encoding="utf-8")
    target.write_text("previous", encoding="utf-8")
    code, out, err = _run(capsys, "anonymize", "--method", "regex", str(source), str(target), *args)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], err
    assert target.read_text(encoding="utf-8") == "previous"  # the old file is untouched, no temp file left
    assert _leftovers(tmp_path, {name, "out.csv"}) == []
    _no_secrets(out, err)


def test_anonymize_refuses_to_overwrite_its_input(capsys, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("text\nhello\n", encoding="utf-8")
    code, _, err = _run(capsys, "anonymize", "--method", "regex", str(source), str(source))
    assert code == 2 and "OUT must differ from IN" in err and source.read_text(encoding="utf-8") == "text\nhello\n"
