"""Shared span handling for anonymizers: overlap resolution and the rewrite operators."""

from __future__ import annotations

from collections.abc import Sequence

from mhprivbench.types import Span

OPERATORS = ("replace", "mask", "redact")


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


def replacement(span: Span, surface: str, operator: str) -> str:
    if operator == "replace":
        return f"<{span.entity}>"
    if operator == "mask":
        return "*" * len(surface)
    if operator == "redact":
        return ""
    raise ValueError(f"unknown operator {operator!r}")


def apply_operator(text: str, spans: Sequence[Span], operator: str) -> str:
    """Rewrite ``text`` with every (non-overlapping) span replaced as ``operator`` says."""
    pieces: list[str] = []
    cursor = 0
    for span in resolve_overlaps(spans):
        pieces.append(text[cursor:span.start])
        pieces.append(replacement(span, text[span.start:span.end], operator))
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)
