"""Content-addressed cache of expensive intermediates (DESIGN.md section 5), e.g. sentence embeddings.

Location: ``$MHPRIVBENCH_CACHE`` or ``~/.cache/mhprivbench``; the folder is mode 0700, every file 0600.

Vectors live in one SQLite table (``vectors.sqlite``: key TEXT PRIMARY KEY, float32 BLOB). SQLite's own locking makes
concurrent writers safe (worker processes of the runner), and ``INSERT OR IGNORE`` makes a second write of the same
key a no-op. Keys are hashes (e.g. sha256 of model fingerprint + text): the cache never holds raw text, only
values derived from it. ``compute_lock`` is an exclusive file lock for "compute what is missing": a second
process that wants the same vectors waits for the first and then reads them instead of recomputing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ENV_VAR = "MHPRIVBENCH_CACHE"
VECTORS_FILE = "vectors.sqlite"
LOCK_FILE = "compute.lock"
_OWNED = (VECTORS_FILE, f"{VECTORS_FILE}-wal", f"{VECTORS_FILE}-shm", f"{VECTORS_FILE}-journal", LOCK_FILE)
_CHUNK = 500  # keys per SELECT (well under SQLite's host-parameter limit)


def cache_dir(*, create: bool = True) -> Path:
    """The cache folder (``$MHPRIVBENCH_CACHE`` or ``~/.cache/mhprivbench``), created with mode 0700."""
    folder = Path(os.environ.get(ENV_VAR) or Path.home() / ".cache" / "mhprivbench").expanduser()
    if create:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
    return folder


def _private_file(path: Path) -> Path:
    """Create ``path`` (if absent) with mode 0600 before any library opens it with the umask's mode."""
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)
    return path


@contextlib.contextmanager
def compute_lock(name: str = LOCK_FILE) -> Iterator[None]:
    """Exclusive inter-process lock (``flock``) on a file in the cache folder; blocks until it is free."""
    import fcntl

    path = _private_file(cache_dir() / name)
    with open(path, "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


SQLITE_TIMEOUT = 120.0  # seconds a connection waits for another process's lock


def _retry_locked(statement, *, timeout: float = SQLITE_TIMEOUT, pause: float = 0.05):
    """Run ``statement()``, retrying while SQLite says "database is locked". Switching a new file to WAL takes an
    exclusive lock that SQLite's busy timeout does not wait for, so two workers opening a fresh cache at once could
    fail (seen in tests/test_cache.py::test_concurrent_workers_compute_once)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return statement()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(pause)


@dataclass
class VectorStore:
    """float32 vectors of one fixed dimension by hashed key, in the cache's SQLite file."""

    dim: int

    def _connect(self) -> sqlite3.Connection:
        path = _private_file(cache_dir() / VECTORS_FILE)
        connection = sqlite3.connect(path, timeout=SQLITE_TIMEOUT)
        _retry_locked(lambda: connection.execute("PRAGMA journal_mode=WAL"))  # readers never block the writer
        _retry_locked(lambda: connection.execute(
            "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)"))
        return connection

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of ``keys`` (missing keys are absent from the result)."""
        found: dict[str, np.ndarray] = {}
        with contextlib.closing(self._connect()) as connection:
            for start in range(0, len(keys), _CHUNK):
                chunk = list(keys[start:start + _CHUNK])
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    f"SELECT key, vec FROM vectors WHERE dim = ? AND key IN ({marks})", [self.dim, *chunk])
                found.update((key, np.frombuffer(blob, dtype=np.float32)) for key, blob in rows)
        return found

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        """Store vectors (one transaction); a key already present keeps its first value."""
        rows = [(key, self.dim, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for key, v in items.items()]
        if any(len(blob) != 4 * self.dim for _, _, blob in rows):
            raise ValueError(f"every vector must have {self.dim} float32 values")
        with contextlib.closing(self._connect()) as connection, connection:
            connection.executemany("INSERT OR IGNORE INTO vectors (key, dim, vec) VALUES (?, ?, ?)", rows)


def info() -> dict[str, object]:
    """Location, number of cached vectors and bytes on disk (nothing is created when the cache is absent)."""
    folder = cache_dir(create=False)
    files = [folder / name for name in _OWNED if (folder / name).exists()]
    entries = 0
    if (folder / VECTORS_FILE).exists():
        with (contextlib.closing(sqlite3.connect(folder / VECTORS_FILE, timeout=120.0)) as connection,
              contextlib.suppress(sqlite3.OperationalError)):  # no table yet
            entries = connection.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
    return {"location": str(folder), "entries": int(entries), "bytes": sum(f.stat().st_size for f in files)}


def purge() -> list[str]:
    """Delete the cache's own files (never anything else in the folder); returns the names removed."""
    folder = cache_dir(create=False)
    removed = []
    for name in _OWNED:
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
            removed.append(name)
    return removed


def missing(keys: Iterable[str], have: Mapping[str, object]) -> list[str]:
    """Keys not in ``have``, first occurrence order, without duplicates."""
    return list(dict.fromkeys(k for k in keys if k not in have))
