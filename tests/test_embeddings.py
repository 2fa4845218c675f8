"""MiniLM embeddings: shape, unit norm, computed once per text (memory and on-disk cache), lazy torch import."""

import hashlib
import subprocess
import sys

import numpy as np
import pytest

from mhprivbench import embeddings


def fake_vectors(texts):
    """Deterministic unit vectors from a text's hash (stands in for the model)."""
    rows = [np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)).normal(size=384)
            for t in texts]
    rows = np.array(rows).reshape(-1, 384)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def fake_model(tmp_path, monkeypatch):
    """A tmp cache, an empty memory map, and a counting fake encoder instead of the real model."""
    monkeypatch.setenv("MHPRIVBENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(embeddings, "_MEMORY", {})
    calls = []

    def encode(texts):
        calls.append(list(texts))
        return fake_vectors(texts)

    monkeypatch.setattr(embeddings, "_encode", encode)
    return calls


def test_embed_shape_norm_and_each_text_once(fake_model):
    texts = ["i feel low", "work was fine", "i feel low", ""]
    vectors = embeddings.embed(texts)
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert np.array_equal(vectors[0], vectors[2])
    assert sum(len(c) for c in fake_model) == 3  # the duplicate is computed once
    again = embeddings.embed(["work was fine", "i feel low"])
    assert np.array_equal(again, vectors[[1, 0]])
    assert sum(len(c) for c in fake_model) == 3  # memory hit


def test_second_process_reads_disk_cache(fake_model, monkeypatch):
    first = embeddings.embed(["alpha text", "beta text"])
    monkeypatch.setattr(embeddings, "_MEMORY", {})  # a new process: nothing in memory
    second = embeddings.embed(["beta text", "alpha text", "gamma text"])
    assert np.array_equal(second[:2], first[[1, 0]])
    assert [len(c) for c in fake_model] == [2, 1]  # only the new text is computed


def test_empty_input_and_cache_holds_no_text(fake_model, tmp_path):
    assert embeddings.embed([]).shape == (0, 384)
    embeddings.embed(["a distinctive sentence about zanzibar"])
    stored = (tmp_path / "cache" / "vectors.sqlite").read_bytes()
    wal = tmp_path / "cache" / "vectors.sqlite-wal"
    stored += wal.read_bytes() if wal.exists() else b""
    assert b"zanzibar" not in stored


def test_zero_row_becomes_unit():
    rows = embeddings._unit_rows(np.zeros((2, 384)))
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0)


def test_key_depends_on_model_and_text():
    assert embeddings.text_key("a") != embeddings.text_key("b")
    assert len(embeddings.text_key("a")) == 64 and embeddings.text_key("a") != "a"


def test_warm_for_cells_only_for_embedding_mechanisms(fake_model):
    import mhprivbench as mh
    from mhprivbench.specs import ComponentSpec

    class Cell:
        def __init__(self, name, params):
            self.mechanism = ComponentSpec(kind="trainer", name=name, params=params)
            self.dataset = ComponentSpec(kind="dataset", name="synthmh", params={"n_personas": 6})

    corpus = mh.load_dataset("synthmh", n_personas=6)
    corpora = {Cell("nonprivate", {}).dataset.key(): corpus}
    embeddings.warm_for_cells([Cell("nonprivate", {}), Cell("dp_logreg", {"epsilon": 1.0})], corpora)
    assert fake_model == []
    embeddings.warm_for_cells([Cell("dp_logreg", {"epsilon": 1.0, "features": "minilm"})], corpora)
    assert sum(len(c) for c in fake_model) == len({r.text for r in corpus.records})


def test_import_does_not_pull_torch():
    code = ("import sys, mhprivbench, mhprivbench.runner, mhprivbench.embeddings, mhprivbench.cache, "
            "mhprivbench.trainers; print([m for m in ('torch', 'sentence_transformers', 'transformers') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


@pytest.mark.slow
def test_real_model_on_twenty_texts(tmp_path, monkeypatch):
    monkeypatch.setenv("MHPRIVBENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(embeddings, "_MEMORY", {})
    texts = ["I can't sleep and my thoughts race all night."] + [f"Sentence number {i} about the weather."
                                                                 for i in range(18)] + [""]
    vectors = embeddings.embed(texts)
    assert vectors.shape == (20, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar = embeddings.embed(["I cannot sleep, my mind races at night."])[0]
    assert vectors[0] @ similar > 0.7 > vectors[1] @ similar  # a paraphrase is closer than another topic
    monkeypatch.setattr(embeddings, "_MEMORY", {})
    monkeypatch.setattr(embeddings, "_encode", lambda texts: pytest.fail("recomputed a cached text"))
    assert np.allclose(embeddings.embed(texts), vectors)
