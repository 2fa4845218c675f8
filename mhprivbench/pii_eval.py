"""PII detection quality against gold annotations: precision, recall and F2, type-agnostic and per type, at span
level and at token level, with the definitions of Presidio's evaluator (presidio-research).

Gold files are JSON lines ``{"text": ..., "spans": [{"start": .., "end": .., "entity": ..}]}`` (``load_gold``:
character offsets, ``text[start:end]`` is the mention; every malformed line is a one-line ``DataError`` naming the
file and the line, never quoting the text). Reports hold counts and rates only, never text or span strings.

**Span level** (after presidio-research's ``SpanEvaluator``): a predicted span matches a gold span when their
character IoU (intersection over union) is at least ``iou`` (default 0.5); ``iou=0`` accepts any overlap. Matching
is one-to-one and greedy: all pairs at or above the threshold, highest IoU first (ties: earlier gold span, then
earlier prediction). Type-agnostic: a match is a true positive whatever the two types, an unmatched prediction a
false positive, an unmatched gold span a false negative. Per type: a match of the same type is a TP of that type;
a match of different types is a FN of the gold type and a FP of the predicted type.

**Token level** (after presidio-research's token ``Evaluator``): tokens are runs of letters or digits; a token is
labelled with the entity of the span that covers most of it ("O" when none). Per type E: TP = gold E and predicted
E, FP = predicted E and gold not E, FN = gold E and predicted not E. Type-agnostic: TP = PII predicted as any PII,
FP = "O" predicted as PII, FN = PII predicted "O".

``precision = TP / (TP + FP)``, ``recall = TP / (TP + FN)`` (None when the denominator is 0),
``F2 = 5 P R / (4 P + R)`` (recall weighs four times as much as precision; 0 when TP = 0).

``entity_map`` renames entity types on both sides before scoring (``{"ADDRESS": "LOCATION"}`` scores a detected
ADDRESS as a LOCATION); mapping a type to ``"O"`` drops its spans.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mhprivbench.errors import ConfigError, DataError, clip
from mhprivbench.types import Span

GOLD_KEYS = frozenset({"text", "spans"})
SPAN_KEYS = frozenset({"start", "end", "entity"})
OUTSIDE = "O"
_TOKEN = re.compile(r"[^\W_]+")
_ENTITY_NAME = re.compile(r"[A-Z][A-Z0-9_]{0,63}")


@dataclass(frozen=True)
class GoldDoc:
    text: str
    spans: tuple[Span, ...]


# ------------------------------------------------------------------------------------------------- gold files

def load_gold(path: str | Path) -> list[GoldDoc]:
    """The documents of a gold JSONL file; DataError (one line: file, line number, what is wrong) on bad input."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataError(f"{path}: gold file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: cannot read the gold file as UTF-8 text ({type(error).__name__})") from None
    docs = [_gold_line(path, number, line) for number, line in enumerate(lines, 1) if line.strip()]
    if not docs:
        raise DataError(f"{path}: no documents (expected one JSON object per line)")
    return docs


def json_object(line: str, where: str, expected: str = "a JSON object") -> dict:
    """One JSONL line that must hold a JSON object; one-line ``DataError``s naming ``where`` otherwise."""
    try:
        row = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        raise DataError(f"{where}: not valid JSON") from None
    if not isinstance(row, dict):
        raise DataError(f"{where}: expected {expected}")
    return row


def _gold_line(path: Path, number: int, line: str) -> GoldDoc:
    where = f"{path} line {number}"
    row = json_object(line, where, "a JSON object with keys text and spans")
    _check_keys(row, GOLD_KEYS, where)
    text, spans = row.get("text"), row.get("spans")
    if not isinstance(text, str):
        raise DataError(f"{where}: 'text' must be a string")
    if not isinstance(spans, list):
        raise DataError(f"{where}: 'spans' must be a list")
    parsed = sorted((_gold_span(span, len(text), f"{where} span {i}") for i, span in enumerate(spans)),
                    key=lambda s: (s.start, s.end))
    for before, after in zip(parsed, parsed[1:], strict=False):
        if after.start < before.end:
            raise DataError(f"{where}: spans overlap (characters {after.start}-{before.end})")
    return GoldDoc(text, tuple(parsed))


def _check_keys(row: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    missing = sorted(allowed - set(row))
    unknown = sorted(str(key) for key in set(row) - allowed)
    if unknown:
        raise DataError(f"{where}: unknown key {clip(unknown[0])} (allowed: {', '.join(sorted(allowed))})")
    if missing:
        raise DataError(f"{where}: missing key {missing[0]!r}")


def _gold_span(span: Any, length: int, where: str) -> Span:
    if not isinstance(span, dict):
        raise DataError(f"{where}: expected an object with start, end, entity")
    _check_keys(span, SPAN_KEYS, where)
    start, end, entity = span["start"], span["end"], span["entity"]
    if any(isinstance(v, bool) or not isinstance(v, int) for v in (start, end)):
        raise DataError(f"{where}: start and end must be integers")
    if not 0 <= start < end:
        raise DataError(f"{where}: needs 0 <= start < end, got start {start} and end {end}")
    if end > length:
        raise DataError(f"{where}: end {end} is outside the text ({length} characters)")
    if not isinstance(entity, str) or not entity.strip():
        raise DataError(f"{where}: entity must be a non-empty string")
    return Span(start, end, entity.strip().upper())


# ------------------------------------------------------------------------------------------------- entity map

def parse_entity_map(pairs: Iterable[str], known: Iterable[str]) -> dict[str, str]:
    """``["FROM=TO", ...]`` -> {FROM: TO}; ConfigError (one line) on a malformed pair or an unknown FROM type.
    TO is an entity name (upper case, digits, underscores) or "O" to drop the type."""
    known = {k.upper() for k in known}
    mapping: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        source, target = source.strip().upper(), target.strip().upper()
        if not sep or not source or not target:
            raise ConfigError(f"--entity-map {clip(pair)}: expected FROM=TO, e.g. ADDRESS=LOCATION")
        if source not in known:
            raise ConfigError(f"--entity-map: unknown entity type {clip(source)} (known: {', '.join(sorted(known))})")
        if target != OUTSIDE and not _ENTITY_NAME.fullmatch(target):
            raise ConfigError(f"--entity-map: {clip(target)} is not an entity name (A-Z, 0-9, _) or O")
        mapping[source] = target
    return mapping


def _mapped(spans: Iterable[Span], mapping: Mapping[str, str]) -> list[Span]:
    out = []
    for span in spans:
        entity = mapping.get(span.entity.upper(), span.entity.upper())
        if entity != OUTSIDE:
            out.append(Span(span.start, span.end, entity))
    return out


# ------------------------------------------------------------------------------------------------- counting

def iou(a: Span, b: Span) -> float:
    inter = min(a.end, b.end) - max(a.start, b.start)
    if inter <= 0:
        return 0.0
    return inter / (max(a.end, b.end) - min(a.start, b.start))


def match_spans(gold: Sequence[Span], pred: Sequence[Span], threshold: float = 0.5) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) matches, greedy by IoU (see the module docstring)."""
    pairs = [(iou(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)]
    pairs = [(v, i, j) for v, i, j in pairs if v > 0 and v >= threshold]
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matches = []
    for _, i, j in pairs:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            matches.append((i, j))
    return sorted(matches)


class Tally:
    """TP / FP / FN counts, type-agnostic (key "all") and per entity type."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = {"all": Counter()}

    def add(self, key: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(key, Counter())[outcome] += n

    def report(self) -> dict[str, Any]:
        per_type = {k: scores(c["tp"], c["fp"], c["fn"]) for k, c in sorted(self.counts.items()) if k != "all"}
        c = self.counts["all"]
        return {"all": scores(c["tp"], c["fp"], c["fn"]), "per_type": per_type}


def span_counts(gold: Sequence[Span], pred: Sequence[Span], tally: Tally, threshold: float) -> None:
    matches = match_spans(gold, pred, threshold)
    matched_gold = {i for i, _ in matches}
    matched_pred = {j for _, j in matches}
    tally.add("all", "tp", len(matches))
    tally.add("all", "fn", len(gold) - len(matches))
    tally.add("all", "fp", len(pred) - len(matches))
    for i, j in matches:
        g, p = gold[i].entity, pred[j].entity
        if g == p:
            tally.add(g, "tp")
        else:
            tally.add(g, "fn")
            tally.add(p, "fp")
    for i in set(range(len(gold))) - matched_gold:
        tally.add(gold[i].entity, "fn")
    for j in set(range(len(pred))) - matched_pred:
        tally.add(pred[j].entity, "fp")


def token_labels(text: str, spans: Sequence[Span]) -> list[str]:
    """The entity of each letter/digit token (the span covering most of it), or "O"."""
    labels = []
    for token in _TOKEN.finditer(text):
        best, label = 0, OUTSIDE
        for span in spans:
            cover = min(token.end(), span.end) - max(token.start(), span.start)
            if cover > best:
                best, label = cover, span.entity
        labels.append(label)
    return labels


def token_counts(text: str, gold: Sequence[Span], pred: Sequence[Span], tally: Tally) -> None:
    for g, p in zip(token_labels(text, gold), token_labels(text, pred), strict=True):
        if g != OUTSIDE and p != OUTSIDE:
            tally.add("all", "tp")
        elif p != OUTSIDE:
            tally.add("all", "fp")
        elif g != OUTSIDE:
            tally.add("all", "fn")
        if g == p and g != OUTSIDE:
            tally.add(g, "tp")
            continue
        if g != OUTSIDE:
            tally.add(g, "fn")
        if p != OUTSIDE:
            tally.add(p, "fp")


def scores(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    if tp == 0:
        f2 = 0.0 if (tp + fp or tp + fn) else None
    else:
        f2 = 5 * precision * recall / (4 * precision + recall)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f2": f2}


# ------------------------------------------------------------------------------------------------- evaluation

def evaluate(docs: Sequence[GoldDoc], predicted: Sequence[Sequence[Span]], *, iou_threshold: float = 0.5,
             entity_map: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Span-level and token-level scores of ``predicted`` (one span list per document) against ``docs``."""
    if len(docs) != len(predicted):
        raise ValueError(f"got {len(docs)} documents but {len(predicted)} prediction lists")
    if not 0 <= iou_threshold <= 1:
        raise ConfigError(f"iou must be between 0 and 1, got {iou_threshold!r}")
    mapping = dict(entity_map or {})
    spans, tokens = Tally(), Tally()
    n_gold = n_pred = 0
    for doc, pred in zip(docs, predicted, strict=True):
        gold_spans, pred_spans = _mapped(doc.spans, mapping), _mapped(pred, mapping)
        n_gold, n_pred = n_gold + len(gold_spans), n_pred + len(pred_spans)
        span_counts(gold_spans, pred_spans, spans, iou_threshold)
        token_counts(doc.text, gold_spans, pred_spans, tokens)
    return {"docs": len(docs), "gold_spans": n_gold, "predicted_spans": n_pred, "iou_threshold": iou_threshold,
            "entity_map": mapping, "span": spans.report(), "token": tokens.report()}


def evaluate_detector(detector: Any, docs: Sequence[GoldDoc], **options: Any) -> dict[str, Any]:
    """``evaluate`` of ``detector.detect`` on the documents' texts, with its speed (detection only)."""
    start = time.perf_counter()
    predicted = detector.detect([doc.text for doc in docs])
    seconds = time.perf_counter() - start
    report = evaluate(docs, predicted, **options)
    report["seconds"] = round(seconds, 4)
    report["docs_per_second"] = round(len(docs) / seconds, 1) if seconds > 0 else None
    return report


def docs_from_records(records: Iterable[Any]) -> list[GoldDoc]:
    """Gold documents from records that carry ground-truth spans (e.g. synthmh)."""
    return [GoldDoc(r.text, tuple(Span(s.start, s.end, s.entity.upper()) for s in r.spans)) for r in records]
