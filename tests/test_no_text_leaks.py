"""No dataset text in results/: every file under results/ (JSON, HTML, markdown; not PNGs) is scanned for 6-word
sequences of the datasets' texts and for PII span surface strings (``leak_scan``). The texts are the default
suite's datasets at its parameters (synthmh, and dreaddit with its injected PII when ../shared/data has it), its
planted canaries for every seed, and counsel_chat where present. The scanner is checked on planted copies, so a
pass means something."""

from __future__ import annotations

from pathlib import Path

import pytest
from leak_scan import TextIndex, default_suite_index, distinctive

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "results"
SKIPPED_SUFFIXES = {".png"}


@pytest.fixture(scope="module")
def index() -> TextIndex:
    found = default_suite_index(REPO)
    assert found.n_texts > 2000 and found.windows and found.surfaces
    return found


def _files() -> list[Path]:
    return sorted(p for p in RESULTS.rglob("*") if p.is_file() and p.suffix.lower() not in SKIPPED_SUFFIXES)


def test_results_hold_no_dataset_text(index):
    files = _files()
    assert any(p.name == "leaderboard.json" for p in files)
    leaks = {}
    for path in files:
        hits = index.hits(path.read_text(encoding="utf-8", errors="replace"))
        if hits:
            leaks[str(path.relative_to(REPO))] = hits[:5]
    assert leaks == {}


def test_scanner_finds_planted_copies(index):
    import mhprivbench as mh

    corpus = mh.load_dataset("synthmh", n_personas=400)
    record = next(r for r in corpus.records if len(r.text.split()) > 12 and r.spans)
    words = record.text.split()
    copied = '{"note": "' + " ".join(words[3:10]).replace('"', '\\"') + '"}'
    assert any(hit.startswith("6-word window") for hit in index.hits(copied))
    surface = next(r.text[s.start:s.end] for r in corpus.records for s in r.spans
                   if s.kind == "direct" and distinctive(r.text[s.start:s.end]))
    assert any(hit.startswith("span surface") for hit in index.hits(f"<td>{surface}</td>"))
    assert index.hits("utility.macro_f1 0.782 [0.742, 0.820] pii.leak_rate baseline 0.005") == []
