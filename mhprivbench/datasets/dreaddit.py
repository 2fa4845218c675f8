"""Dreaddit loader: Reddit post segments labelled stressed / not_stressed (Turcan and McKeown, 2019).

Rows: train 2,838 (1,488 stressed / 1,350 not), test 715 (369 / 346); ``split="all"`` gives 3,553 records, no
de-duplication (the 18 repeated texts in train keep their own rows and labels, as in the paper's benchmark).
Columns are selected by name (the two files order them differently; the extra unnamed first column, a 1-based row
number, is ignored). The data has no author column: segments of one post share ``fields["thread_id"]``, a hash
of ``post_id`` (a Reddit post id would let anyone look up the post and its author), which is what the splitter
groups by. ``uid`` is ``dreaddit-<train|test>-<0-based row in that file>``. ``crisis_label`` is ``stressed``.
The public label set (``Corpus.declared_labels``) is the card's ``labels:`` (stressed, not_stressed), whichever
split is loaded; None when no card is found.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mhprivbench.datasets.cards import declared_labels
from mhprivbench.datasets.corpus import Corpus
from mhprivbench.datasets.io import (
    check_loader_params,
    finish,
    label_values,
    provenance,
    read_table,
    require_columns,
    resolve_files,
    text_values,
)
from mhprivbench.errors import DataError
from mhprivbench.registry import register
from mhprivbench.types import Record, hash_id

NAME = "dreaddit"
FOLDER = "dreaddit"
FILES = {"train": "dreaddit-train.csv", "test": "dreaddit-test.csv"}
SHA256 = {
    "dreaddit-train.csv": "f93eff5fbce83f2efaa76ac5687dfa2c27f345a8737e5b59cad750d9613fa4d5",
    "dreaddit-test.csv": "9fd5664aa48ba1ceb3ae4ac5bc5e4a86bcaf12572d5d183dcb2d9621df4fb3ed",
}
REVISION = "github.com/ShirCohen1/Stress_Analysis_in_Social_Media@9ef1d8d4259d9f731d29fd952b9a735662f44a40"
SOURCE = "Turcan and McKeown (2019), LOUHI; files from github.com/ShirCohen1/Stress_Analysis_in_Social_Media"
LICENSE = "none stated by the authors"
CRISIS_LABEL = "stressed"
SPLITS = ("all", "train", "test")
COLUMNS = ("subreddit", "post_id", "text", "label", "confidence")
LABELS = {"1": "stressed", "0": "not_stressed"}


@register("dataset", NAME)
@dataclass
class Dreaddit:
    """Dreaddit stress detection; ``split`` picks the published train file, test file, or both."""

    path: str | None = None
    split: str = "all"
    inject_pii: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        check_loader_params(self.inject_pii, self.seed, self.path)
        if self.split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {self.split!r}")

    def load(self) -> Corpus:
        parts = list(FILES) if self.split == "all" else [self.split]
        files = resolve_files(FOLDER, [FILES[part] for part in parts], self.path, dataset=NAME)
        records: list[Record] = []
        for part, file in zip(parts, files, strict=True):
            records.extend(_read_part(part, file))
        metadata = provenance(files, revision=REVISION, source=SOURCE, license=LICENSE, known=SHA256)
        metadata["default_variant"] = self.split == "all"
        corpus = Corpus(name=NAME, records=tuple(records), metadata=metadata, crisis_label=CRISIS_LABEL,
                        declared_labels=declared_labels(NAME))
        return finish(corpus, inject_pii=self.inject_pii, seed=self.seed)


def _read_part(part: str, file: Path) -> list[Record]:
    frame = read_table(file)
    require_columns(frame, COLUMNS, file)
    texts = text_values(frame, "text", file)
    labels = [_stress_label(value, row, file) for row, value in enumerate(label_values(frame, "label", file))]
    subreddits = text_values(frame, "subreddit", file, what="subreddit")
    threads = text_values(frame, "post_id", file, what="post_id")
    confidence = _numbers(frame, "confidence", file)
    return [
        Record(uid=f"{NAME}-{part}-{row}", text=texts[row], label=labels[row], group={"subreddit": subreddits[row]},
               fields={"thread_id": hash_id(threads[row]), "confidence": confidence[row]})
        for row in range(len(frame))
    ]


def _stress_label(value: str, row: int, file: Path) -> str:
    if value not in LABELS:
        raise DataError(f"{file}: label in row {row + 1} is not 0 or 1 (column 'label')")
    return LABELS[value]


def _numbers(frame: pd.DataFrame, column: str, file: Path) -> list[float]:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna()
    if bad.any():
        row = int(bad.to_numpy().argmax()) + 1
        raise DataError(f"{file}: {column} in row {row} is not a number (column {column!r})")
    return [float(v) for v in values]
