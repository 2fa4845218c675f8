"""Shared span handling for anonymizers: overlap resolution and the rewrite operators."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence

from mhprivbench.types import Span

OPERATORS = ("replace", "mask", "redact")
HASH = "hash"  # keyed: ``<ENTITY_hex8>``, the same for the same value within a release (``hash_key``)


def check_operator(operator: str, allowed: Sequence[str] = OPERATORS) -> None:
    if operator not in allowed:
        raise ValueError(f"operator must be one of {', '.join(allowed)}, got {operator!r}")


def resolve_overlaps(spans: Sequence[Span], priority: Sequence[str] = ()) -> list[Span]:
    """Keep non-overlapping spans, longest first (ties: earlier start, then ``priority`` order); sorted by start."""
    rank = {entity: i for i, entity in enumerate(priority)}

    def key(span: Span) -> tuple[int, int, int]:
        return (-(span.end - span.start), span.start, rank.get(span.entity, len(rank)))

    kept: list[Span] = []
    for span in sorted(spans, key=key):
        if span.end > span.start and all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def hash_key(seed: int | None) -> bytes:
    """The key of the ``hash`` operator for a release seed (a secret seed gives unlinkable hashes)."""
    return f"mhprivbench:hash:{seed}".encode()


def hashed(entity: str, surface: str, key: bytes) -> str:
    """``<ENTITY_hex8>``: a keyed hash of the normalised value (case and spacing ignored). Unlike an unkeyed
    hash, nobody without the key can test guesses against it."""
    value = " ".join(surface.casefold().split())
    return f"<{entity}_{hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:8]}>"


def replacement(span: Span, surface: str, operator: str, key: bytes = b"") -> str:
    if operator == HASH:
        return hashed(span.entity, surface, key)
    if operator == "replace":
        return f"<{span.entity}>"
    if operator == "mask":
        return "*" * len(surface)
    if operator == "redact":
        return ""
    raise ValueError(f"unknown operator {operator!r}")


def apply_operator(text: str, spans: Sequence[Span], operator: str, key: bytes = b"") -> str:
    """Rewrite ``text`` with every (non-overlapping) span replaced as ``operator`` says (``key``: for ``hash``)."""
    return rewrite_spans(text, spans, lambda span, surface: replacement(span, surface, operator, key))


def rewrite_spans(text: str, spans: Sequence[Span], new: Callable[[Span, str], str]) -> str:
    """``text`` with each of the (non-overlapping, longest-first) ``spans`` replaced by ``new(span, surface)``."""
    pieces: list[str] = []
    cursor = 0
    for span in resolve_overlaps(spans):
        pieces.append(text[cursor:span.start])
        pieces.append(new(span, text[span.start:span.end]))
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)
