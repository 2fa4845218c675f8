"""docs/leaderboard.md documents every field of the leaderboard models (a new field without a line fails here)."""

import re
from pathlib import Path

import pytest

from mhprivbench.leaderboard import AggregateScore, Entry, Leaderboard

DOC = Path(__file__).resolve().parents[1] / "docs" / "leaderboard.md"


def _documented(section: str) -> set[str]:
    text = DOC.read_text(encoding="utf-8").split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return {name for line in text.splitlines() if line.startswith("| `")
            for name in re.findall(r"`([a-z_0-9]+)`", line.split("|")[1])}


@pytest.mark.parametrize("model, section", [(Leaderboard, "Top level"), (Entry, "Entry"),
                                            (AggregateScore, "AggregateScore")])
def test_every_field_has_a_line(model, section):
    assert set(model.model_fields) == _documented(section)


def test_committed_leaderboard_carries_provenance():
    import json

    board = json.loads((DOC.parents[1] / "results" / "leaderboard.json").read_text())
    assert board["versions"]["mhprivbench"] and board["versions"]["scikit-learn"] == "1.7.2"
    assert all(len(entry["dataset_sha256"]) == 64 for entry in board["entries"])
