"""Dataset loaders: row counts and checksums of the real data (SOURCE.txt), one-line errors on bad files."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import COUNSEL_COLUMNS, SENTINEL, write_csv

from mhprivbench.datasets.io import check_utf8, read_table, resolve_files
from mhprivbench.errors import ConfigError, DataError, DatasetNotFoundError
from mhprivbench.registry import create, get

COUNSEL_SHA = "c36fbce1c12271a17f3f355f6aaeb0b04987b217b53b600c5677985f15c9f1a8"
DREADDIT_SHA = {"dreaddit-train.csv": "f93eff5fbce83f2efaa76ac5687dfa2c27f345a8737e5b59cad750d9613fa4d5",
                "dreaddit-test.csv": "9fd5664aa48ba1ceb3ae4ac5bc5e4a86bcaf12572d5d183dcb2d9621df4fb3ed"}


def load(plugin, **params):
    # registry.get, not create: create(kind, name, **params) cannot pass the generic loader's own `name` yet
    return get("dataset", plugin)(**params).load()


def one_line_error(exc_type, call, *needles):
    with pytest.raises(exc_type) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message, message
    assert SENTINEL not in message
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"
    return message


# --- real data ------------------------------------------------------------------------------------------------

@pytest.mark.realdata
def test_counsel_chat_counts_and_checksum(shared_data):
    raw = read_table(shared_data / "counsel_chat" / "20200325_counsel_chat.csv")
    assert raw.shape == (2129, 12)
    corpus = load("counsel_chat", path=str(shared_data / "counsel_chat"))
    stats = corpus.stats()
    assert stats["rows"] == 2129 - 121 == 2008
    assert len(stats["labels"]) == 31 and stats["authors"] == 307
    assert corpus.crisis_label == "self-harm" and stats["labels"]["self-harm"] == 11
    assert stats["labels"]["depression"] == 268 and stats["labels"]["counseling-fundamentals"] == 220
    assert corpus.metadata["sha256"] == COUNSEL_SHA
    assert corpus.metadata["revision"].endswith("@e202e19c5002482f4f6631af754c276dd9adf7f2")
    assert all(re.fullmatch(r"[0-9a-f]{16}", r.author) for r in corpus.records), "authors are hashed"
    uids = [r.uid for r in corpus.records]
    assert len(set(uids)) == 2008 and all(re.fullmatch(r"counsel_chat-\d+", u) for u in uids)


@pytest.mark.realdata
def test_counsel_chat_variants(shared_data):
    file = shared_data / "counsel_chat" / "20200325_counsel_chat.csv"
    questions = load("counsel_chat", path=str(file), text="question")
    assert len(questions.records) == 824 and all(r.author is None for r in questions.records)
    assert len(questions.declared_labels) == 31 and questions.crisis_label == "self-harm"
    top = load("counsel_chat", path=str(file), top_k=5)
    top5 = ("depression", "counseling-fundamentals", "anxiety", "intimacy", "relationships")  # card counts
    assert top.declared_labels == top5 and len(top.records) == 268 + 220 + 211 + 204 + 174
    assert top.crisis_label is None and top.metadata["default_variant"] is False
    top_questions = load("counsel_chat", path=str(file), top_k=5, text="question")
    assert top_questions.declared_labels == top5 and len(top_questions.records) == 126 + 10 + 86 + 100 + 101


@pytest.mark.realdata
def test_dreaddit_counts_and_checksums(shared_data):
    folder = str(shared_data / "dreaddit")
    for split, rows, stressed, calm in (("train", 2838, 1488, 1350), ("test", 715, 369, 346)):
        corpus = load("dreaddit", path=folder, split=split)
        assert corpus.stats()["rows"] == rows
        assert corpus.stats()["labels"] == {"stressed": stressed, "not_stressed": calm}
        assert len({r.group["subreddit"] for r in corpus.records}) == 10
        name = f"dreaddit-{split}.csv"
        assert corpus.metadata["files"] == {name: DREADDIT_SHA[name]}
        assert corpus.metadata["sha256"] == DREADDIT_SHA[name]
    both = load("dreaddit", path=folder)
    assert len(both.records) == 2838 + 715 and both.crisis_label == "stressed"
    assert both.metadata["files"] == DREADDIT_SHA
    threads = {part: {r.fields["thread_id"] for r in both.records if r.uid.startswith(f"dreaddit-{part}-")}
               for part in ("train", "test")}
    assert len(threads["train"]) == 2343 and len(threads["test"]) == 586
    assert not threads["train"] & threads["test"], "no post is shared between the published files"


@pytest.mark.realdata
def test_dreaddit_splits_keep_threads_together(shared_data, monkeypatch, tmp_path):
    monkeypatch.setenv("MHPRIVBENCH_DATA", str(shared_data))  # found through the search path
    monkeypatch.chdir(tmp_path)
    splits = load("dreaddit").split(seed=0)
    train = {r.fields["thread_id"] for r in splits.train}
    held_out = {r.fields["thread_id"] for r in splits.test + splits.control}
    assert not train & held_out
    assert len(splits.train) + len(splits.test) + len(splits.control) + len(splits.aux) == 3553


# --- fake files in the real formats ---------------------------------------------------------------------------

def test_counsel_chat_dedup_keeps_rarer_topic(fake_counsel_chat):
    corpus = load("counsel_chat", path=str(fake_counsel_chat))
    assert [r.uid for r in corpus.records] == [f"counsel_chat-{i}" for i in range(1, 7)]
    assert corpus.stats()["labels"] == {"alpha": 3, "beta": 2, "gamma": 1}
    assert corpus.stats()["authors"] == 3 and all("example" not in r.author for r in corpus.records)
    assert corpus.metadata["revision"].startswith("unknown"), "not the published file"
    assert len(load("counsel_chat", path=str(fake_counsel_chat), text="question").records) == 5


def test_counsel_chat_labels_and_top_k_come_from_the_card(fake_counsel_chat, tmp_path, monkeypatch):
    """The public label set is the card's, not the file's; top_k ranks by the card's counts, not the file's."""
    from mhprivbench.datasets.cards import load_card

    corpus = load("counsel_chat", path=str(fake_counsel_chat))
    assert corpus.declared_labels == tuple(load_card("counsel_chat")["labels"]) and len(corpus.declared_labels) == 31
    assert corpus.split(seed=0).labels == tuple(sorted(corpus.declared_labels))
    one_line_error(DataError, lambda: load("counsel_chat", path=str(fake_counsel_chat), top_k=2),
                   "top_k=2 keeps no record")
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "counsel_chat.md").write_text("---\nname: counsel_chat\nlabels: {gamma: 9, beta: 5, alpha: 1}\n---\n")
    monkeypatch.setenv("MHPRIVBENCH_CARDS", str(cards))
    top = load("counsel_chat", path=str(fake_counsel_chat), top_k=2)  # the file ranks alpha 3, beta 2, gamma 1
    assert top.declared_labels == ("gamma", "beta") and sorted(r.label for r in top.records) == ["beta"] * 2 + ["gamma"]


def test_dreaddit_declares_the_card_labels(fake_dreaddit):
    corpus = load("dreaddit", path=str(fake_dreaddit), split="test")
    assert corpus.declared_labels == ("stressed", "not_stressed")


def test_dreaddit_selects_columns_by_name(fake_dreaddit):
    corpus = load("dreaddit", path=str(fake_dreaddit))
    assert [r.uid for r in corpus.records] == ["dreaddit-train-0", "dreaddit-train-1", "dreaddit-train-2",
                                               "dreaddit-test-0", "dreaddit-test-1"]
    assert [r.label for r in corpus.records] == ["stressed", "not_stressed", "stressed", "not_stressed", "stressed"]
    assert [r.fields["confidence"] for r in corpus.records] == [0.8, 1.0, 0.6, 0.0, 1.0]
    assert corpus.records[3].group == {"subreddit": "anxiety"} and corpus.records[3].text == "fourth"
    assert corpus.records[0].fields["thread_id"] == corpus.records[1].fields["thread_id"] != "p1"
    assert len(load("dreaddit", path=str(fake_dreaddit), split="test").records) == 2


def test_search_order_env_then_data_dir(fake_counsel_chat, tmp_path, monkeypatch):
    work = tmp_path / "work"
    write_csv(work / "data" / "counsel_chat" / "20200325_counsel_chat.csv", COUNSEL_COLUMNS,
              [[0, 0, "t", "q", "l", "x", "i", "u", "a", 1, 1, "train"]])
    monkeypatch.chdir(work)
    monkeypatch.setenv("MHPRIVBENCH_DATA", str(fake_counsel_chat.parent))
    assert resolve_files("counsel_chat", ["20200325_counsel_chat.csv"], dataset="c")[0].parent == fake_counsel_chat
    monkeypatch.delenv("MHPRIVBENCH_DATA")
    assert resolve_files("counsel_chat", ["20200325_counsel_chat.csv"], dataset="c")[0].parent == (
        work / "data" / "counsel_chat").resolve()


def test_not_found_lists_every_place_tried(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MHPRIVBENCH_DATA", raising=False)
    one_line_error(DatasetNotFoundError, lambda: load("dreaddit"), "dataset 'dreaddit' not found",
                   "$MHPRIVBENCH_DATA (unset)", str(tmp_path / "data" / "dreaddit"), "shared/data/dreaddit")
    one_line_error(DatasetNotFoundError, lambda: load("counsel_chat", path=str(tmp_path / "nope")),
                   "does not exist", str(tmp_path / "nope"))
    (tmp_path / "dreaddit").mkdir()
    one_line_error(DatasetNotFoundError, lambda: load("dreaddit", path=str(tmp_path / "dreaddit")),
                   "lacks dreaddit-train.csv, dreaddit-test.csv")


# --- one-line errors ------------------------------------------------------------------------------------------

def test_missing_column(tmp_path):
    file = write_csv(tmp_path / "d.csv", ["body", "label"], [[SENTINEL, "a"], ["x", "b"]])
    one_line_error(DataError, lambda: load("generic", path=str(file)), "missing column 'text'", str(file),
                   "columns present: body, label")


def test_empty_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    one_line_error(DataError, lambda: load("generic", path=str(empty)), str(empty), "empty file (0 bytes)")
    header_only = write_csv(tmp_path / "header.csv", ["text", "label"], [])
    one_line_error(DataError, lambda: load("generic", path=str(header_only)), str(header_only), "no data rows")
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n")
    one_line_error(DataError, lambda: load("generic", path=str(blank)), "empty file")


def test_non_utf8_names_byte_offset(tmp_path):
    file = tmp_path / "latin1.csv"
    file.write_bytes(b"text,label\nok,a\ncaf\xe9,b\n")
    one_line_error(DataError, lambda: load("generic", path=str(file)), str(file), "not UTF-8",
                   "offset 19")  # len(b"text,label\nok,a\ncaf") == 19


def test_utf8_check_across_chunk_boundary(tmp_path):
    file = tmp_path / "big.csv"
    head = b"a" * ((1 << 20) - 1) + "é".encode()  # the 2-byte character straddles the first 1 MiB chunk
    file.write_bytes(head + b"b" * 10)
    check_utf8(file)
    file.write_bytes(head + b"b" * 10 + b"\xff")
    one_line_error(DataError, lambda: check_utf8(file), f"offset {len(head) + 10}")


def test_malformed_csv_and_json(tmp_path):
    file = tmp_path / "bad.csv"
    file.write_text(f"text,label\n{SENTINEL},a\nx,b,extra\n")
    one_line_error(DataError, lambda: load("generic", path=str(file)), "malformed CSV", "line 3 has 3 fields")
    quote = tmp_path / "quote.csv"
    quote.write_text(f'text,label\n"{SENTINEL},a\n')
    one_line_error(DataError, lambda: load("generic", path=str(quote)), "malformed CSV", "never closed")
    lines = tmp_path / "bad.jsonl"
    lines.write_text(json.dumps({"text": SENTINEL, "label": "a"}) + "\n{\"text\": oops}\n")
    one_line_error(DataError, lambda: load("generic", path=str(lines)), "malformed JSON on line 2")
    parquet = tmp_path / "bad.parquet"
    parquet.write_bytes(b"not parquet at all")
    one_line_error(DataError, lambda: load("generic", path=str(parquet)), "not a readable Parquet file")


def test_single_class_label(tmp_path):
    file = write_csv(tmp_path / "one.csv", ["text", "label"], [[SENTINEL, "same"], ["b", "same"], ["c", "same"]])
    one_line_error(DataError, lambda: load("generic", path=str(file)), str(file),
                   "label column 'label' has a single class across 3 rows")


def test_empty_text_names_row(tmp_path):
    file = write_csv(tmp_path / "gap.csv", ["text", "label"], [[SENTINEL, "a"], ["b", "b"], ["   ", "a"]])
    one_line_error(DataError, lambda: load("generic", path=str(file)), str(file), "empty text in row 3",
                   "column 'text'")
    empty_label = write_csv(tmp_path / "nolabel.csv", ["text", "label"], [["a", "x"], ["b", ""]])
    one_line_error(DataError, lambda: load("generic", path=str(empty_label)), "empty label in row 2")


def test_dreaddit_bad_label_value(fake_dreaddit):
    file = fake_dreaddit / "dreaddit-test.csv"
    file.write_text(file.read_text().replace("\n2,22,1,", "\n2,22,7,"))
    one_line_error(DataError, lambda: load("dreaddit", path=str(fake_dreaddit), split="test"),
                   "label in row 2 is not 0 or 1")


@pytest.mark.parametrize("name, params", [
    ("counsel_chat", {"top_k": 1}), ("counsel_chat", {"text": "both"}), ("counsel_chat", {"inject_pii": 1.5}),
    ("dreaddit", {"split": "dev"}), ("dreaddit", {"seed": -1}), ("generic", {"path": ""}),
    ("generic", {"path": "x.csv", "group_columns": "site"}),
])
def test_bad_params(name, params):
    with pytest.raises(ConfigError):
        create("dataset", name, **params)


# --- generic loader -------------------------------------------------------------------------------------------

FRAME = pd.DataFrame({"post": ["one", "two", "three", "four"], "y": [0, 1, 1, 0],
                      "user": ["u1", "u1", "u2", None], "site": ["a", "b", "a", "b"]})
GENERIC = {"text_column": "post", "label_column": "y", "author_column": "user", "group_columns": ["site"],
           "name": "mine"}


def _check_generic(corpus, n=4):
    assert [r.uid for r in corpus.records] == [f"mine-{i}" for i in range(n)]
    assert [r.label for r in corpus.records][:4] == ["0", "1", "1", "0"]
    authors = [r.author for r in corpus.records][:4]
    assert authors[0] == authors[1] != authors[2] and authors[3] is None and "u1" not in authors
    assert corpus.records[1].group == {"site": "b"} and corpus.name == "mine"
    assert len(corpus.metadata["sha256"]) == 64


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".json", ".parquet"])
def test_generic_formats(tmp_path, suffix):
    file = tmp_path / f"data{suffix}"
    if suffix == ".csv":
        FRAME.to_csv(file, index=False)
    elif suffix == ".tsv":
        FRAME.to_csv(file, index=False, sep="\t")
    elif suffix == ".jsonl":
        FRAME.to_json(file, orient="records", lines=True)
    elif suffix == ".json":
        FRAME.to_json(file, orient="records")
    else:
        FRAME.to_parquet(file)
    _check_generic(load("generic", path=str(file), **GENERIC))


def _save_to_disk(folder, frame):
    """What datasets.Dataset.save_to_disk writes: an Arrow IPC stream plus state.json."""
    import pyarrow as pa

    folder.mkdir(parents=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with pa.OSFile(str(folder / "data-00000-of-00001.arrow"), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    (folder / "state.json").write_text(json.dumps({"_data_files": [{"filename": "data-00000-of-00001.arrow"}]}))
    (folder / "dataset_info.json").write_text("{}")


def test_generic_hf_saved_dataset(tmp_path):
    _save_to_disk(tmp_path / "single", FRAME)
    _check_generic(load("generic", path=str(tmp_path / "single"), **GENERIC))
    _save_to_disk(tmp_path / "dict" / "train", FRAME)
    _save_to_disk(tmp_path / "dict" / "test", FRAME.iloc[:2])
    (tmp_path / "dict" / "dataset_dict.json").write_text(json.dumps({"splits": ["train", "test"]}))
    both = load("generic", path=str(tmp_path / "dict"), **GENERIC)
    assert len(both.records) == 6 and sorted(both.metadata["files"]) == ["test/data-00000-of-00001.arrow",
                                                                         "train/data-00000-of-00001.arrow"]
    assert len(load("generic", path=str(tmp_path / "dict"), split="test", **GENERIC).records) == 2
    one_line_error(DataError, lambda: load("generic", path=str(tmp_path / "dict"), split="dev", **GENERIC),
                   "no split 'dev'", "splits: train, test")


def test_generic_hub_offline_is_one_line(monkeypatch):
    pytest.importorskip("datasets")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    one_line_error(DataError, lambda: load("generic", path="hf:someone/some-data"), "hf:someone/some-data",
                   "offline", "save_to_disk")


def test_generic_hub_needs_datasets_package():
    try:
        import datasets  # noqa: F401
        pytest.skip("the datasets package is installed here")
    except ImportError:
        pass
    one_line_error(DataError, lambda: load("generic", path="hf:someone/some-data"), "'datasets'", "save_to_disk")


def test_generic_name_param_through_create(tmp_path):
    file = tmp_path / "d.csv"
    FRAME.to_csv(file, index=False)
    plugin = create("dataset", "generic", path=str(file), **{**GENERIC, "name": "mine"})
    assert plugin.load().name == "mine"


def test_generic_declared_labels(tmp_path):
    file = tmp_path / "d.csv"
    FRAME.to_csv(file, index=False)
    assert load("generic", path=str(file), **GENERIC).declared_labels is None
    corpus = load("generic", path=str(file), labels=["1", "0", "2"], crisis_label="2", **GENERIC)
    assert corpus.declared_labels == ("1", "0", "2") and corpus.crisis_label == "2"  # "2" declared, not present
    assert corpus.split(seed=0, train=0.5, test=0.25, control=0.25).labels == ("0", "1", "2")


def test_generic_labels_must_cover_the_file(tmp_path):
    file = write_csv(tmp_path / "d.csv", ["text", "label"],
                     [[SENTINEL, "a"], ["b", "b"], ["c", "c"], ["d", "c"], ["e", "d" * 60], ["f", "e"], ["g", "f"]])
    message = one_line_error(DataError, lambda: load("generic", path=str(file), labels=["a", "b"]), str(file),
                             "4 values of label column 'label' (5 rows) are not in the declared labels")
    # label-like values only (up to 3); a long value may be record text and is counted, never shown
    assert message.endswith("e.g. 'c', 'e', 'f'; 1 not shown: they do not look like labels (is label_column the "
                            "right column?)") and "dddd" not in message


@pytest.mark.parametrize("labels", ["a,b", ["a"], ["a", "a"], ["a", None], ["a", ""], ["1", 1.0]])
def test_generic_bad_labels_param(labels):
    with pytest.raises(ConfigError, match="labels must"):
        create("dataset", "generic", path="x.csv", labels=labels)
    with pytest.raises(ConfigError, match="crisis_label 'z' is not one of the declared labels"):
        create("dataset", "generic", path="x.csv", labels=["a", "b"], crisis_label="z")


def test_generic_crisis_label_must_exist(tmp_path):
    file = tmp_path / "d.csv"
    FRAME.to_csv(file, index=False)
    assert load("generic", path=str(file), crisis_label="1", **GENERIC).crisis_label == "1"
    one_line_error(DataError, lambda: load("generic", path=str(file), crisis_label="9", **GENERIC),
                   "crisis_label '9'")


def test_inject_pii_adds_spans(fake_counsel_chat):
    pytest.importorskip("mhprivbench.datasets.inject")
    corpus = load("counsel_chat", path=str(fake_counsel_chat), inject_pii=1.0, seed=1)
    assert sum(len(r.spans) for r in corpus.records) > 0
    assert corpus.metadata["sha256"] == load("counsel_chat", path=str(fake_counsel_chat)).metadata["sha256"]


def test_generic_header_none_names_columns_by_position(tmp_path):
    """A header-less CSV: without `header: none` the error hides the first row and points at the option; with it,
    columns are "0", "1", ... and the file loads."""
    from mhprivbench.errors import DataError
    from mhprivbench.registry import create

    secret = "Maya Patel called 555-201-4037 about her panic"
    path = tmp_path / "posts.csv"
    path.write_text(f"anxiety,{secret}\nnone,a calm day at work\nanxiety,panic again tonight\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        create("dataset", "generic", path=str(path)).load()
    assert "header: none" in str(error.value) and "Maya" not in str(error.value) and "555" not in str(error.value)
    corpus = create("dataset", "generic", path=str(path), header="none", text_column="1", label_column="0").load()
    assert [r.label for r in corpus.records] == ["anxiety", "none", "anxiety"]
    assert corpus.records[1].text == "a calm day at work"


def test_generic_header_rejects_unknown_value(tmp_path):
    from mhprivbench.errors import ConfigError
    from mhprivbench.registry import create

    with pytest.raises(ConfigError, match="header must be 'first_row' or 'none'"):
        create("dataset", "generic", path="x.csv", header="no")


def test_generic_id_column_hashes_ids_and_rejects_duplicates(tmp_path):
    from mhprivbench.errors import DataError
    from mhprivbench.registry import create

    path = tmp_path / "posts.csv"
    path.write_text("pid,text,label\nu-17,first post,a\nu-18,second post,b\nu-17,third post,a\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"rows 1 and 3 have the same id") as error:
        create("dataset", "generic", path=str(path), id_column="pid").load()
    assert "u-17" not in str(error.value)
    path.write_text("pid,text,label\nu-17,first post,a\nu-18,second post,b\n", encoding="utf-8")
    corpus = create("dataset", "generic", path=str(path), id_column="pid").load()
    assert len({r.uid for r in corpus.records}) == 2 and not any("u-17" in r.uid for r in corpus.records)
