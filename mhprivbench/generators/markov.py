"""Word n-gram (Markov chain) machinery shared by the ``ngram`` and ``dp_ngram`` generators.

A model is, per label, a histogram of padded n-grams of one order (``BOS * (order-1) + tokens + EOS``). Lower-order
tables used for backoff are marginals of that histogram, so a DP release of the histogram covers them for free.
"""

from __future__ import annotations

import gc
import math
import random
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import accumulate

from mhprivbench.types import Record

BOS, EOS = "\x02", "\x03"  # control characters: never produced by the tokenizer
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_NO_SPACE_BEFORE = re.compile(r" ([.,!?;:%)\]}])")
_NO_SPACE_AFTER = re.compile(r"([(\[{$]) ")

NGram = tuple[str, ...]
Table = dict[NGram, tuple[list[str], list[float]]]  # context -> (next tokens, cumulative weights)


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def detokenize(tokens: Sequence[str]) -> str:
    text = " ".join(tokens)
    return _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", text))


def padded_ngrams(text: str, order: int) -> list[NGram]:
    tokens = [BOS] * (order - 1) + tokenize(text) + [EOS]
    return [tuple(tokens[i:i + order]) for i in range(len(tokens) - order + 1)]


def count_ngrams(records: Iterable[Record], order: int) -> dict[str, Counter[NGram]]:
    counts: dict[str, Counter[NGram]] = defaultdict(Counter)
    for record in records:
        counts[record.label].update(padded_ngrams(record.text, order))
    return dict(counts)


def build_tables(histogram: Mapping[NGram, float], order: int) -> list[Table]:
    """Backoff tables: ``tables[k]`` maps a context of k tokens to its next-token distribution (k < order)."""
    items = [(ngram, weight) for ngram, weight in histogram.items() if weight > 0]
    tables: list[Table] = []
    with _gc_paused():  # hundreds of thousands of small containers: cyclic GC passes would dominate the time
        for k in range(order):
            tables.append(_level(items, order, k))
    return tables


def _level(items: Sequence[tuple[NGram, float]], order: int, k: int) -> Table:
    level: dict[NGram, dict[str, float]] = {}
    for ngram, weight in items:
        context, target = ngram[order - 1 - k:order - 1], ngram[-1]
        nexts = level.get(context)
        if nexts is None:
            level[context] = nexts = {}
        nexts[target] = nexts.get(target, 0.0) + weight
    return {c: (list(nexts), list(accumulate(nexts.values()))) for c, nexts in level.items()}


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _lookup(tables: Sequence[Table], history: Sequence[str]) -> tuple[list[str], list[float]] | None:
    """The next-token entry of the longest context (at most ``order - 1`` last tokens of ``history``, which is
    BOS-padded) that the tables know; None for an empty model."""
    for k in range(len(tables) - 1, -1, -1):
        entry = tables[k].get(tuple(history[len(history) - k:]) if k else ())
        if entry is not None:
            return entry
    return None


def generate(tables: Sequence[Table], rng: random.Random, max_words: int) -> str:
    """Walk the chain from BOS, backing off to shorter contexts when one is unseen, until EOS or max_words."""
    order = len(tables)
    history = [BOS] * (order - 1)
    words: list[str] = []
    while len(words) < max_words:
        entry = _lookup(tables, history)
        if entry is None:
            break  # empty model
        tokens, cumulative = entry
        token = tokens[min(bisect_right(cumulative, rng.random() * cumulative[-1]), len(tokens) - 1)]
        if token == EOS:
            break
        words.append(token)
        history.append(token)
    return detokenize(words)


def sample_records(
    priors: Mapping[str, float], tables: Mapping[str, Sequence[Table]], n: int, *, seed: int, max_words: int,
) -> list[Record]:
    """Draw n labels from ``priors`` and a text per label from its tables (no tables: an empty text)."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    rng = random.Random(seed)
    labels = sorted(priors)
    weights = [max(priors[label], 0.0) for label in labels]
    if not labels:
        raise ValueError("the generator has no labels: fit it on at least one record")
    if sum(weights) <= 0:
        weights = [1.0] * len(labels)
    drawn = rng.choices(labels, weights=weights, k=n)
    records = []
    for i, label in enumerate(drawn):
        text = generate(tables.get(label, ()), rng, max_words)
        records.append(Record(uid=f"synth-{i}", text=text, label=label))
    return records


def tables_per_label(histograms: Mapping[str, Mapping[NGram, float]], order: int) -> dict[str, list[Table]]:
    """Tables of each label; a label left with no n-gram (after DP thresholding) borrows the pooled tables."""
    tables = {label: build_tables(h, order) for label, h in histograms.items()}
    empty = [label for label, t in tables.items() if not t[0]]
    if empty:
        merged: dict[NGram, float] = defaultdict(float)
        for histogram in histograms.values():
            for ngram, weight in histogram.items():
                merged[ngram] += weight
        pooled = build_tables(merged, order)
        tables.update({label: pooled for label in empty})
    return tables


class MarkovScoring:
    """White-box likelihood of a fitted Markov generator (``tables_`` per label, ``order``), for audits such as
    ``canary_exposure``: exactly the distribution ``generate`` samples from (backoff to the longest known context,
    probability = weight / total weight of that context; the ``max_words`` cap is ignored). For a DP generator
    this is post-processing of its released tables."""

    def tokenize(self, text: str) -> list[str]:
        return tokenize(text)

    @property
    def context_size(self) -> int:
        """The next-token distribution depends on the last ``order - 1`` tokens only."""
        return self.order - 1

    def next_log_probs(self, history: Sequence[str], label: str) -> dict[str, float]:
        """{token: log P(token | history, label)} over the tokens with non-zero probability (EOS included);
        ``history`` is the text's tokens so far (no padding); {} for a label without tables."""
        tables = self.tables_.get(label)
        entry = _lookup(tables, [BOS] * (self.order - 1) + list(history)) if tables else None
        if entry is None:
            return {}
        tokens, cumulative = entry
        total, previous, out = cumulative[-1], 0.0, {}
        for token, bound in zip(tokens, cumulative, strict=True):
            if bound > previous:
                out[token] = math.log((bound - previous) / total)
            previous = bound
        return out

    def log_prob(self, text: str, label: str) -> float:
        """log P(text | label): every token of ``text`` then the end token; -inf when one is impossible."""
        tokens = tokenize(text)
        total = 0.0
        for i, token in enumerate([*tokens, EOS]):
            total += self.next_log_probs(tokens[:i], label).get(token, -math.inf)
        return total
