"""Counsel Chat loader: therapist answers (or help-seekers' questions) labelled with the question's topic.

Rows: the published file has 2,129 answers. 121 (therapist, answer text) pairs occur twice: the same answer to
the same question filed under two topics (120 pairs) or posted under two questions (1 pair). De-duplication keeps
one row per pair, the one whose topic is rarer in the whole file (ties: the earlier row), so the specific topic
wins over the generic one (self-harm over depression, professional-ethics over counseling-fundamentals) and no
topic disappears: 2,129 - 121 = **2,008 records, 31 topics, 307 authors**. With ``text="question"`` there is one
record per question (``questionLink``, 824 records), the topic chosen by the same rule, and no author (the
help-seekers are anonymous, the therapist did not write the question).

The author is ``hash_id(therapistURL)``: the profile URL itself never leaves this module. ``crisis_label`` is
``self-harm`` (11 answers), the one topic about acute risk; it is None when ``top_k`` drops it.

The task's public label set (``Corpus.declared_labels``) is the card's ``labels:``
(``datasets_cards/counsel_chat.md``), never the topics found in the file; None when no card is found. ``top_k``
keeps the k topics with the most answers *according to the card* (ties by name), in both text modes, so the
reduced task is a declaration too: it does not depend on the records. A file whose topics differ from the card's
still loads (``mhprivbench datasets show`` reports the difference); DP mechanisms then refuse train records whose
topic the card does not declare.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from mhprivbench.datasets.cards import declared_labels, load_card
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
from mhprivbench.errors import ConfigError, DataError
from mhprivbench.registry import register
from mhprivbench.types import Record, hash_id

NAME = "counsel_chat"
FOLDER = "counsel_chat"
FILENAME = "20200325_counsel_chat.csv"
SHA256 = "c36fbce1c12271a17f3f355f6aaeb0b04987b217b53b600c5677985f15c9f1a8"
REVISION = "github.com/nbertagnolli/counsel-chat@e202e19c5002482f4f6631af754c276dd9adf7f2"
SOURCE = "https://github.com/nbertagnolli/counsel-chat (data/20200325_counsel_chat.csv)"
LICENSE = "MIT"
CRISIS_LABEL = "self-harm"
TEXT_MODES = ("answer", "question")
_COLUMNS = {
    "answer": ("answerText", "topic", "therapistURL"),
    "question": ("questionTitle", "questionText", "questionLink", "topic"),
}


@register("dataset", NAME)
@dataclass
class CounselChat:
    """Counsel Chat (Bertagnolli 2020), topic classification; see the module docstring for row counts."""

    path: str | None = None
    top_k: int | None = None
    text: str = "answer"
    inject_pii: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        check_loader_params(self.inject_pii, self.seed, self.path)
        if self.text not in TEXT_MODES:
            raise ValueError(f"text must be one of {', '.join(TEXT_MODES)}, got {self.text!r}")
        if self.top_k is not None and (isinstance(self.top_k, bool) or not isinstance(self.top_k, int)
                                       or self.top_k < 2):
            raise ValueError(f"top_k must be an integer >= 2 or None, got {self.top_k!r}")

    def load(self) -> Corpus:
        (file,) = resolve_files(FOLDER, [FILENAME], self.path, dataset=NAME)
        frame = read_table(file)
        require_columns(frame, _COLUMNS[self.text], file)
        frame = _checked(frame, self.text, file)
        frame = _deduplicate(frame, ["therapistURL", "answerText"] if self.text == "answer" else ["questionLink"])
        complete = len(frame)
        declared = declared_labels(NAME)
        if self.top_k is not None:
            declared = top_card_topics(self.top_k)
            frame = frame[frame["topic"].isin(declared)]
            if frame.empty:
                raise DataError(f"{file}: top_k={self.top_k} keeps no record (none of the card's top "
                                f"{len(declared)} topics occurs in this file)")
        records = tuple(_record(row, self.text) for row in frame.itertuples(index=False))
        metadata = provenance([file], revision=REVISION, source=SOURCE, license=LICENSE, known={FILENAME: SHA256})
        metadata["default_variant"] = self.text == "answer" and len(frame) == complete  # the card's rows
        crisis = CRISIS_LABEL if declared is None or CRISIS_LABEL in declared else None  # declared, not seen
        corpus = Corpus(name=NAME, records=records, metadata=metadata, crisis_label=crisis,
                        declared_labels=declared)
        return finish(corpus, inject_pii=self.inject_pii, seed=self.seed)


def top_card_topics(k: int) -> tuple[str, ...]:
    """The k topics with the most answers according to the card (ties by name): a declaration, not the data's."""
    try:
        counts = load_card(NAME).get("labels")
    except ConfigError:
        counts = None
    if not isinstance(counts, Mapping) or not all(isinstance(v, int) for v in counts.values()):
        raise ConfigError(f"{NAME}: top_k ranks topics by the label counts of the dataset card {NAME!r} "
                          "(labels: topic -> count); no card with counts found (see $MHPRIVBENCH_CARDS)")
    ranked = sorted(counts, key=lambda topic: (-counts[topic], str(topic)))
    return tuple(str(topic) for topic in ranked[:k])


def _checked(frame: pd.DataFrame, mode: str, file) -> pd.DataFrame:
    """Validate the columns in use (one-line errors naming the row) and keep only those, plus the row index."""
    out = pd.DataFrame({"row": range(len(frame))})
    out["topic"] = label_values(frame, "topic", file)
    if mode == "answer":
        out["answerText"] = text_values(frame, "answerText", file)
        out["therapistURL"] = text_values(frame, "therapistURL", file, what="therapistURL")
    else:
        out["questionLink"] = text_values(frame, "questionLink", file, what="questionLink")
        titles = text_values(frame, "questionTitle", file, what="question title")
        bodies = frame["questionText"].fillna("").astype(str).tolist()  # a title alone is a question
        out["questionText"] = [f"{t.strip()}\n\n{b.strip()}".strip() for t, b in zip(titles, bodies, strict=True)]
    return out


def _deduplicate(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """One row per ``key``: the row whose topic is rarest in the file, ties broken by file order."""
    frequency = frame["topic"].map(frame["topic"].value_counts())
    ranked = frame.assign(_frequency=frequency).sort_values(["_frequency", "row"], kind="stable")
    return ranked.drop_duplicates(key).sort_values("row").drop(columns="_frequency")


def _record(row, mode: str) -> Record:
    uid = f"{NAME}-{row.row}"
    if mode == "answer":
        return Record(uid=uid, text=row.answerText, label=row.topic, author=hash_id(row.therapistURL))
    return Record(uid=uid, text=row.questionText, label=row.topic)
