"""The content-addressed cache: location, file modes, concurrent writers, info and purge (CLI included)."""

import os
import stat
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from typer.testing import CliRunner

from mhprivbench import cache
from mhprivbench.cli_cache import cache_app


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MHPRIVBENCH_CACHE", str(tmp_path / "c"))
    return tmp_path / "c"


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_location_and_modes(folder, monkeypatch):
    assert cache.cache_dir() == folder and mode(folder) == 0o700
    cache.VectorStore(4).put_many({"k1": np.ones(4)})
    with cache.compute_lock():
        pass
    files = [p for p in folder.iterdir()]
    assert {p.name for p in files} >= {"vectors.sqlite", "compute.lock"}
    assert all(mode(p) == 0o600 for p in files), {p.name: oct(mode(p)) for p in files}
    monkeypatch.delenv("MHPRIVBENCH_CACHE")
    monkeypatch.setenv("HOME", str(folder.parent / "home"))
    assert cache.cache_dir(create=False) == folder.parent / "home" / ".cache" / "mhprivbench"


def test_store_round_trip_first_write_wins(folder):
    store = cache.VectorStore(3)
    store.put_many({"a": np.array([1, 2, 3]), "b": np.array([4, 5, 6])})
    store.put_many({"a": np.array([9, 9, 9])})  # same key again: ignored, nothing corrupted
    found = store.get_many(["a", "b", "zzz"])
    assert set(found) == {"a", "b"} and found["a"].tolist() == [1, 2, 3] and found["b"].dtype == np.float32
    assert cache.VectorStore(2).get_many(["a"]) == {}  # another dimension never matches
    with pytest.raises(ValueError, match="3 float32"):
        store.put_many({"c": np.ones(5)})
    assert len(store.get_many([f"k{i}" for i in range(1200)] + ["b"])) == 1  # more keys than one SELECT


def test_info_and_purge(folder):
    assert cache.info()["entries"] == 0 and not folder.exists()  # info creates nothing
    cache.VectorStore(8).put_many({f"k{i}": np.zeros(8) for i in range(10)})
    found = cache.info()
    assert found["location"] == str(folder) and found["entries"] == 10 and found["bytes"] > 10 * 32
    (folder / "someone_elses.txt").write_text("keep")
    assert "vectors.sqlite" in cache.purge()
    assert cache.info()["entries"] == 0 and (folder / "someone_elses.txt").exists()


def test_cli_info_and_purge(folder):
    cache.VectorStore(8).put_many({f"k{i}": np.zeros(8) for i in range(3)})
    runner = CliRunner()
    shown = runner.invoke(cache_app, ["info"])
    assert shown.exit_code == 0 and "entries: 3" in shown.output and str(folder) in shown.output
    purged = runner.invoke(cache_app, ["purge"])
    assert purged.exit_code == 0 and "purged" in purged.output
    assert "entries: 0" in runner.invoke(cache_app, ["info"]).output


def test_main_cli_has_cache_command(folder):
    out = subprocess.run([sys.executable, "-m", "mhprivbench.cli", "cache", "info"], capture_output=True, text=True,
                         env={**os.environ, "MHPRIVBENCH_CACHE": str(folder)})
    assert out.returncode == 0 and "entries: 0" in out.stdout, out.stderr


WORKER = textwrap.dedent("""
    import sys, time, numpy as np
    from mhprivbench import embeddings

    def encode(texts):
        with open(sys.argv[1], "a") as log:
            log.write(f"{len(texts)}\\n")
        time.sleep(0.5)  # long enough for the other worker to arrive while this one computes
        return embeddings._unit_rows(np.array([[len(t), int(t.split()[-1]), 1.0] + [0.0] * 381 for t in texts]))

    embeddings._encode = encode
    vectors = embeddings.embed([f"shared text {i}" for i in range(300)])
    np.save(sys.argv[2], vectors)
""")


def test_concurrent_workers_compute_once(folder, tmp_path):
    log = tmp_path / "calls.log"
    env = {**os.environ, "MHPRIVBENCH_CACHE": str(folder), "PYTHONPATH": os.getcwd()}
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(log), str(tmp_path / f"v{i}.npy")], env=env)
               for i in range(2)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    computed = sum(int(line) for line in log.read_text().split())
    assert computed == 300  # the second worker waited for the lock and read the cache
    first, second = np.load(tmp_path / "v0.npy"), np.load(tmp_path / "v1.npy")
    assert np.array_equal(first, second) and cache.info()["entries"] == 300
