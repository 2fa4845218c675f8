"""Shared fixtures. Real-data tests use ../shared/data (relative to the repository root) and skip without it."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared real datasets (counsel_chat/, dreaddit/); never copied into the repository."""
    path = (REPO_ROOT / ".." / "shared" / "data").resolve()
    if not path.is_dir():
        pytest.skip("../shared/data not found: real-data tests need the shared datasets")
    return path


SENTINEL = "ZZSENTINELZZ"  # planted in fake record text: must never appear in errors or rendered output

COUNSEL_COLUMNS = ["", "questionID", "questionTitle", "questionText", "questionLink", "topic", "therapistInfo",
                   "therapistURL", "answerText", "upvotes", "views", "split"]
# (question, topic, therapist, answer); row 1 repeats row 0's (therapist, answer) under the rarer topic "beta"
COUNSEL_ROWS = [("q1", "alpha", "t1", "a1"), ("q1", "beta", "t1", "a1"), ("q2", "alpha", "t2", "a2"),
                ("q2", "alpha", "t3", "a3"), ("q3", "beta", "t2", "a4"), ("q4", "alpha", "t1", "a5"),
                ("q5", "gamma", "t3", "a6")]


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def fake_counsel_chat(tmp_path: Path) -> Path:
    """A folder with a 7-row file in Counsel Chat's format (invented text): 6 rows after de-duplication."""
    rows = [[i, i, f"title {q}", f"question {q} {SENTINEL}", f"https://example.org/{q}", topic, "info",
             f"https://example.org/therapist/{t}", f"answer {a}, with a comma {SENTINEL}", 1, 10, "train"]
            for i, (q, topic, t, a) in enumerate(COUNSEL_ROWS)]
    write_csv(tmp_path / "counsel_chat" / "20200325_counsel_chat.csv", COUNSEL_COLUMNS, rows)
    return tmp_path / "counsel_chat"


@pytest.fixture
def fake_dreaddit(tmp_path: Path) -> Path:
    """Dreaddit's format with its quirks: an unnamed first column, columns ordered differently per file."""
    folder = tmp_path / "dreaddit"
    train_header = ["", "subreddit", "post_id", "sentence_range", "text", "id", "label", "confidence", "lex_x"]
    train = [[1, "ptsd", "p1", "(0, 5)", f"first {SENTINEL}", 11, 1, 0.8, 0.1],
             [2, "ptsd", "p1", "(5, 9)", "second", 12, 0, 1.0, 0.2],
             [3, "stress", "p2", "(0, 3)", "third", 13, 1, 0.6, 0.3]]
    test_header = ["", "id", "label", "text", "subreddit", "confidence", "post_id", "sentence_range"]
    test = [[1, 21, 0, "fourth", "anxiety", 0.0, "p3", "(0, 2)"], [2, 22, 1, "fifth", "ptsd", 1.0, "p4", "(0, 4)"]]
    write_csv(folder / "dreaddit-train.csv", train_header, train)
    write_csv(folder / "dreaddit-test.csv", test_header, test)
    return folder
