"""reid_trir: text re-identification risk (Manzanares-Salor, Sanchez and Lison 2024), for aligned releases.

The attacker trains a text re-identification (TRI) classifier on background documents about the candidate
individuals, then asks it who each released (anonymized) record is about or by.

- **Candidates and background**: every persona of the public registry (train authors mixed with decoys), each
  with its directory entry (the persona's attribute values as one document), plus the aux posts of the train
  author the persona belongs to (``splits.persona_of``). Without a registry (a dataset with authors but no
  personas), the candidates are the aux authors and the background is their aux posts.
- **Classifier**: tf-idf of word 1-2 grams and character 2-4 grams (``char_wb``, sublinear tf), then a
  one-vs-rest ridge classifier (``TriModel``; deterministic, no random state); built once per Splits
  (``_background``), since it depends only on what the attacker knows. Exact ties in the prediction are broken at random with the seed.
- ``reid.trir`` = share of released records whose predicted individual is their true one (from ``splits.train``
  by uid, never from the release), over records whose individual is a candidate, with a Wilson interval.
  Baseline = 1 / number of candidates: a guess among the candidates the classifier can name. (The rate on records
  of individuals without background is no chance level here: a closed-set classifier scores 0 on them.)
  Records are scored one by one (the paper's TRIR); ``reid_linkage`` is the attack that pools by pseudonym.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks._background import background
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Release, Score, Splits
from mhprivbench.validation import check_positive


class TriModel:
    """tf-idf (word and character n-grams) + a one-vs-rest ridge classifier over the candidate individuals.

    Solved in the dual: with n background documents X (n x features) and one-hot targets Y (n x candidates),
    A = (X X^T + alpha I)^-1 Y and the scores of texts T are (T X^T) A. The same weights as sklearn's
    ``RidgeClassifier`` without intercept, at the cost of one n x n solve instead of one per candidate (a
    logistic regression over 800 candidates took 86 s to fit on a shared 2-core machine).
    """

    def __init__(self, texts: list[str], labels: list[str], *, alpha: float) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion

        self.features = FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)),
        ])
        self.x = self.features.fit_transform(texts).tocsr()
        self.classes = sorted(set(labels))
        column = {label: j for j, label in enumerate(self.classes)}
        targets = np.zeros((len(labels), len(self.classes)))
        targets[np.arange(len(labels)), [column[label] for label in labels]] = 1.0
        gram = np.asarray((self.x @ self.x.T).todense(), dtype=np.float64)
        self.dual = np.linalg.solve(gram + alpha * np.eye(len(labels)), targets)

    def predict(self, texts: list[str], *, seed: int) -> list[str]:
        """The highest-scoring candidate per text (exact ties broken with the seed)."""
        scores = np.asarray((self.features.transform(texts) @ self.x.T).todense()) @ self.dual
        ties = np.isclose(scores, scores.max(axis=1, keepdims=True), rtol=0, atol=1e-12)
        keys = np.where(ties, np.random.default_rng(seed).random(scores.shape), -1.0)
        return [self.classes[i] for i in keys.argmax(axis=1)]


def background_documents(splits: Splits) -> tuple[list[str], list[str]]:
    """(texts, candidate ids): registry entries and aux posts by persona id; without a registry, aux posts by
    author."""
    aux = [r for r in splits.aux if r.author is not None and r.text.strip()]
    if not splits.registry:
        return [r.text for r in aux], [str(r.author) for r in aux]
    pids = {p.pid for p in splits.registry}
    texts = [" ; ".join(str(v) for _, v in sorted(p.attributes.items())) for p in splits.registry]
    labels = [p.pid for p in splits.registry]
    for record in aux:
        pid = splits.persona_of.get(record.author)
        if pid in pids:
            texts.append(record.text)
            labels.append(pid)
    return texts, labels


def true_candidate(author: str | None, splits: Splits) -> str | None:
    """The candidate id of a train author: their persona (registry mode) or the author id itself."""
    if author is None:
        return None
    return splits.persona_of.get(author) if splits.registry else author


@register("attack", "reid_trir")
@dataclass
class ReidTrir(Attack):
    """TRI classifier (tf-idf + ridge classifier) trained on registry entries and aux posts."""

    alpha: float = 1.0  # ridge regularization strength of the TRI classifier

    applies_to: ClassVar[frozenset[str]] = frozenset({"records"})

    def __post_init__(self) -> None:
        check_positive("alpha", self.alpha)

    def applies(self, release: Release, splits: Splits) -> bool:
        return (release.kind in self.applies_to and release.aligned and bool(release.records)
                and (bool(splits.registry) or any(r.author is not None and r.text.strip() for r in splits.aux)))

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        if not self.applies(release, splits):
            return {}
        texts, labels = background_documents(splits)
        if len(set(labels)) < 2:
            return {}
        try:
            model = background(splits, ("trir", self.alpha), lambda: TriModel(texts, labels, alpha=self.alpha))
        except ValueError:  # empty vocabulary: background texts without any word or character n-gram
            return {}
        candidates = set(model.classes)
        author_by_uid = {r.uid: r.author for r in splits.train}
        pairs = [(r.text, true_candidate(author_by_uid.get(r.uid), splits)) for r in release.records]
        pairs = [(text, truth) for text, truth in pairs if truth in candidates]
        if not pairs:
            return {}
        predicted = model.predict([text for text, _ in pairs], seed=seed)
        hits = sum(guess == truth for guess, (_, truth) in zip(predicted, pairs, strict=True))
        return {"reid.trir": stats.proportion_score(int(hits), len(pairs), higher_is_better=False,
                                                    baseline=1 / len(candidates))}
