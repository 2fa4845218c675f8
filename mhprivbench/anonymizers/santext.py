"""The ``santext`` anonymizer: differentially private word substitution (SanText, Yue et al. 2021, after
Feyisetan et al. 2020).

Every word (a run of letters or of digits) is replaced by a word drawn from a public output vocabulary with
probability proportional to exp(-epsilon * d(w, w') / 2), d the Euclidean distance between public word vectors
(``_santext_vectors``: MiniLM's input word embeddings; the offline spaCy model has no vectors). The draw may return
the word itself: the larger epsilon, the more words survive. Words outside the vocabulary (names, rare words) go
through the same mechanism with the mean vector of their WordPiece tokens, so they are replaced too.

Privacy notion: metric DP (epsilon * d_chi privacy) **per word**: for any two input words w, w' and any output y,
P(y | w) <= exp(epsilon * d(w, w')) P(y | w'). It is not (epsilon, delta)-DP over records or authors: a record of
n words gets n * epsilon * d, and words far apart in the embedding space (a name and a common word) are barely
protected at large epsilon. So the release declares no record-level epsilon (``epsilon_`` is None,
``neighbouring`` and ``privacy_unit`` are None: "word" is not one of ``types.PrivacyUnit``); ``privacy_notion``
says what epsilon means. What is released besides the words: their number, and with ``layout: keep`` the text's
whitespace and punctuation (measured on synthmh, 400 personas, epsilon 5: ``reid.authorship_top1`` 0.06 with the
layout kept, 0.001 with ``layout: words``, chance 0.005). Output words are lowercase (the vocabulary is uncased).
SanText+ (keeping frequent words with a probability, "frequent" learned from the private corpus) is left out: it
would learn from the records.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench.anonymizers.operators import resolve_overlaps
from mhprivbench.anonymizers.policy import ReleasePolicy
from mhprivbench.base import Anonymizer, check_epsilon
from mhprivbench.registry import register
from mhprivbench.types import Record, Span
from mhprivbench.validation import check_int

WORD = re.compile(r"[^\W\d_]+|\d+")  # the words santext replaces (as attacks/_text tokenizes)
ENTITY = "WORD"
MAX_VOCAB = 20_000
LAYOUTS = ("words", "keep")
_CHUNK = 512  # distinct words per distance/probability block (memory: _CHUNK * vocab_size * 8 bytes)


@register("anonymizer", "santext")
@dataclass
class SanText(ReleasePolicy, Anonymizer):
    """DP word substitution: each word becomes a public-vocabulary word w' with probability proportional to
    exp(-epsilon * d(w, w') / 2) (metric DP per word; no record-level epsilon is declared).

    ``epsilon``: per-word metric-DP parameter (> 0; with MiniLM distances, about 5 replaces nearly every word and
    about 20 keeps nearly every in-vocabulary word). ``vocab_size``: output vocabulary, the most common whole words
    of MiniLM's vocabulary (100-20000). ``layout``: "words" (default) releases the new words joined by single
    spaces (only the word count is left of the original's form); "keep" also keeps the text's whitespace and
    punctuation, which are stylometric evidence outside the guarantee.
    """

    epsilon: float | None = None
    vocab_size: int = 10_000
    layout: str = "words"  # words | keep: only the words, space-separated, or whitespace and punctuation kept

    privacy_notion: ClassVar[str] = "metric-DP per word (d_chi)"
    neighbouring: ClassVar[None] = None  # no record- or author-level relation: see the module docstring
    privacy_unit: ClassVar[None] = None  # the unit is one word, which types.PrivacyUnit does not list
    epsilon_: ClassVar[None] = None  # the release declares no (epsilon, delta)-DP guarantee

    def __post_init__(self) -> None:
        self.check_policy()
        check_epsilon(self.epsilon)
        check_int("vocab_size", self.vocab_size, 100)
        if self.vocab_size > MAX_VOCAB:
            raise ValueError(f"vocab_size must be an integer in [100, {MAX_VOCAB}], got {self.vocab_size!r}")
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {self.layout!r}")

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        """Every word: santext rewrites them all (a draw may give the word back)."""
        return [[Span(m.start(), m.end(), ENTITY) for m in WORD.finditer(text)] for text in texts]

    def rewrite(self, records: Sequence[Record], detected: Sequence[Sequence[Span]], *, seed: int = 0) -> list[Record]:
        if len(records) != len(detected):
            raise ValueError(f"got {len(records)} records but {len(detected)} span lists")
        spans = [resolve_overlaps(found) for found in detected]
        surfaces = [record.text[s.start:s.end] for record, found in zip(records, spans, strict=True) for s in found]
        replacements = iter(self.substitute(surfaces, seed=seed))
        splice = _splice if self.layout == "keep" else _words_only
        rewritten = [dataclasses.replace(record, text=splice(record.text, found, replacements), spans=())
                     for record, found in zip(records, spans, strict=True)]
        return self.apply_policy(rewritten, seed)

    def substitute(self, words: Sequence[str], *, seed: int | None) -> list[str]:
        """One independent draw of the mechanism per word (in order)."""
        from mhprivbench.anonymizers._santext_vectors import sample, word_vectors

        vectors = word_vectors(self.vocab_size)
        keys = [w.casefold() for w in words]
        distinct, inverse = np.unique(np.asarray(keys, dtype=object), return_inverse=True)
        order = np.argsort(inverse, kind="stable")  # occurrences grouped by distinct word, in text order
        counts = np.bincount(inverse, minlength=len(distinct))
        rng = np.random.default_rng(seed)
        drawn = np.empty(len(words), dtype=np.intp)
        position = 0
        for start in range(0, len(distinct), _CHUNK):
            block = [str(w) for w in distinct[start:start + _CHUNK]]
            block_counts = counts[start:start + _CHUNK]
            n = int(block_counts.sum())
            drawn[order[position:position + n]] = sample(vectors.distances(block), float(self.epsilon),
                                                         block_counts, rng)
            position += n
        return [vectors.words[i] for i in drawn]


def _splice(text: str, spans: Sequence[Span], replacements) -> str:
    pieces: list[str] = []
    cursor = 0
    for span in spans:
        pieces.append(text[cursor:span.start])
        pieces.append(next(replacements))
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _words_only(text: str, spans: Sequence[Span], replacements) -> str:
    return " ".join(next(replacements) for _ in spans)
