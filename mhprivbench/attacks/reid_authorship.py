"""reid_authorship: stylometric linkage of released records to their authors through the attacker's aux posts.

Character n-gram tf-idf (char_wb, 2-4 grams, sublinear tf) fit on aux texts; an author's profile is the mean of
their aux vectors; each released record whose author has a profile goes to the nearest profile by cosine (exact
ties broken at random with the seed). ``reid.authorship_top1`` = accuracy; baseline 1 / |authors with profiles|.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks._background import background
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Release, Score, Splits
from mhprivbench.validation import check_int


class AuthorProfiles:
    """Char n-gram tf-idf fitted on the attacker's aux posts; one L2-normalized mean vector per author."""

    def __init__(self, aux_texts: list[str], aux_authors: list[str], *, ngram_max: int = 4) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, ngram_max), sublinear_tf=True)
        aux = self.vectorizer.fit_transform(aux_texts)
        self.authors = sorted(set(aux_authors))
        rows: dict[str, list[int]] = defaultdict(list)
        for i, author in enumerate(aux_authors):
            rows[author].append(i)
        self.profiles = normalize(np.vstack([np.asarray(aux[rows[a]].mean(axis=0)) for a in self.authors]))

    def nearest(self, texts: list[str], *, seed: int) -> np.ndarray:
        """Index into ``authors`` of the most similar profile per text (exact ties broken with the seed)."""
        from sklearn.preprocessing import normalize

        sims = np.asarray(normalize(self.vectorizer.transform(texts)) @ self.profiles.T)
        ties = np.isclose(sims, sims.max(axis=1, keepdims=True), rtol=0, atol=1e-12)
        keys = np.where(ties, np.random.default_rng(seed).random(sims.shape), -1.0)
        return keys.argmax(axis=1)


@register("attack", "reid_authorship")
@dataclass
class ReidAuthorship(Attack):
    """Nearest author profile by character n-gram tf-idf cosine."""

    ngram_max: int = 4

    applies_to: ClassVar[frozenset[str]] = frozenset({"records"})

    def __post_init__(self) -> None:
        check_int("ngram_max", self.ngram_max, 2)

    def applies(self, release: Release, splits: Splits) -> bool:
        return (release.kind in self.applies_to and release.aligned and bool(release.records)
                and any(r.author is not None and r.text.strip() for r in splits.aux))

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        if not self.applies(release, splits):
            return {}
        aux = [r for r in splits.aux if r.author is not None and r.text.strip()]
        profiled = {r.author for r in aux}
        author_by_uid = {r.uid: r.author for r in splits.train}
        pairs = [(record.text, author_by_uid.get(record.uid, record.author)) for record in release.records]
        pairs = [(text, author) for text, author in pairs if author in profiled]
        if not pairs:
            return {}
        try:
            profiles = background(splits, ("author_profiles", self.ngram_max), lambda: AuthorProfiles(
                [r.text for r in aux], [r.author for r in aux], ngram_max=self.ngram_max))
        except ValueError:  # empty vocabulary: aux texts without any character n-gram
            return {}
        authors, nearest = profiles.authors, profiles.nearest([t for t, _ in pairs], seed=seed)
        hits = sum(authors[i] == author for i, (_, author) in zip(nearest, pairs, strict=True))
        return {"reid.authorship_top1": stats.proportion_score(
            int(hits), len(pairs), higher_is_better=False, baseline=1 / len(authors))}
