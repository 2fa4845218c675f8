"""The ``pipeline`` anonymizer: registered anonymizers applied in order, e.g. ``presidio`` (direct identifiers and
names) then ``generalize`` (ages, dates, places, organisations to coarser values).

```yaml
- {kind: anonymizer, name: pipeline, params: {steps: [{name: presidio, params: {operator: surrogate}},
                                                      {name: generalize, params: {level: 2}}]}}
```

``detect`` is the union of what every step detects on the original texts (overlaps resolved longest-first): what
the chain as a whole finds, for ``evaluate-pii`` and the release's ``detected``. ``rewrite`` applies the steps in
order. Given the texts ``detect`` saw, each step uses its own detections on the original text, carried over to
the text the previous steps wrote: a span is kept where those steps left its stretch of text unchanged (the
unchanged stretches are located exactly; a span that overlaps a rewritten one is dropped). Detection runs once per
step, on natural text; where the stretches cannot be located unambiguously (a step that rewrites outside its
spans), the step detects on the rewritten text instead, as it does when ``rewrite`` gets other texts. What the release keeps besides the text (``pseudonym``, ``keep_fields``) is the
pipeline's to set, once, after the last step; steps may not set it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mhprivbench.anonymizers.operators import resolve_overlaps
from mhprivbench.anonymizers.policy import ReleasePolicy
from mhprivbench.base import Anonymizer
from mhprivbench.errors import ConfigError
from mhprivbench.registry import register
from mhprivbench.types import Record, Span

STEP_KEYS = ("name", "params")
_POLICY = ("pseudonym", "keep_fields")
# default: names, direct identifiers, gender and occupation replaced; ages, dates, places and organisations
# generalized at level 2 (20-year bands, years, countries, "an organisation"). Level 1 keeps regions and
# month-and-year dates, which a registry attacker links on (synthmh, 400 personas, seed 0, text-only release:
# reid.linkage_top1 0.105 at level 1, 0.032 at level 2, the same as presidio replacing everything; macro-F1
# 0.787 for all three, identity 0.790).
_DIRECT_AND_NAMES = ["EMAIL_ADDRESS", "IBAN_CODE", "CREDIT_CARD", "US_SSN", "UK_NHS", "ID", "IP_ADDRESS",
                     "PHONE_NUMBER", "URL", "USERNAME", "ADDRESS", "PERSON", "NRP", "GENDER", "OCCUPATION"]


def default_steps() -> list[dict[str, Any]]:
    return [{"name": "presidio", "params": {"entities": list(_DIRECT_AND_NAMES)}},
            {"name": "generalize", "params": {"level": 2}}]


@register("anonymizer", "pipeline")
@dataclass
class PipelineAnonymizer(ReleasePolicy, Anonymizer):
    """Registered anonymizers applied in order; the default is ``presidio`` on direct identifiers, names, gender
    and occupation, then ``generalize`` (level 2) on ages, dates, places and organisations."""

    steps: list[dict[str, Any]] = field(default_factory=default_steps)  # [{name: ANONYMIZER, params: {...}}, ...]

    def __post_init__(self) -> None:
        self.check_policy()
        if not isinstance(self.steps, list | tuple) or not self.steps:
            raise ValueError("steps must be a non-empty list of {name: <anonymizer>, params: {...}}")
        self._steps = [build_step(i, step) for i, step in enumerate(self.steps)]
        self._memo: tuple[list[str], list[list[list[Span]]]] | None = None

    @property
    def active_entities(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for step in self._steps:
            seen.update(dict.fromkeys(getattr(step, "active_entities", ())))
        return tuple(seen)

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        texts = list(texts)
        per_step = [step.detect(texts) for step in self._steps]
        self._memo = (texts, per_step)
        return [resolve_overlaps([s for spans in found for s in spans]) for found in zip(*per_step, strict=True)]

    def rewrite(self, records: Sequence[Record], detected: Sequence[Sequence[Span]], *, seed: int = 0) -> list[Record]:
        if len(records) != len(detected):
            raise ValueError(f"got {len(records)} records but {len(detected)} span lists")
        memo, self._memo = self._memo, None
        per_step = memo[1] if memo is not None and memo[0] == [r.text for r in records] else None
        current = list(records)
        kept: list[Stretches | None] = [[(0, len(r.text), 0)] for r in records]  # unchanged original text
        for i, step in enumerate(self._steps):
            texts = [r.text for r in current]
            if per_step is None:
                spans = step.detect(texts)
            else:
                spans = [carry(found, stretches) if stretches is not None else None
                         for found, stretches in zip(per_step[i], kept, strict=True)]
                todo = [j for j, found in enumerate(spans) if found is None]
                for j, found in zip(todo, step.detect([texts[j] for j in todo]) if todo else (), strict=True):
                    spans[j] = found
            rewritten = step.rewrite(current, spans, seed=seed)
            kept = [follow(stretches, before.text, found, after.text) if stretches is not None else None
                    for stretches, before, found, after in zip(kept, current, spans, rewritten, strict=True)]
            current = rewritten
        return self.apply_policy(current, seed)


Stretches = list[tuple[int, int, int]]  # (start, end) of unchanged original text, and where it starts now


def carry(spans: Sequence[Span], stretches: Stretches) -> list[Span]:
    """``spans`` of the original text moved to the current one; spans not inside one unchanged stretch dropped."""
    out = []
    for span in spans:
        for start, end, now in stretches:
            if start <= span.start and span.end <= end:
                shift = now - start
                out.append(dataclasses.replace(span, start=span.start + shift, end=span.end + shift))
                break
    return out


def follow(stretches: Stretches, before: str, spans: Sequence[Span], after: str) -> Stretches | None:
    """The unchanged stretches after a step rewrote ``spans`` of ``before`` into ``after``; None when the text
    between the spans cannot be found in ``after`` at one position only."""
    resolved = resolve_overlaps(spans)
    bounds = [0] + [x for s in resolved for x in (s.start, s.end)] + [len(before)]
    gaps = [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2)]
    where = align([before[a:b] for a, b in gaps], after)
    if where is None:
        return None
    out: Stretches = []
    for (gap_start, gap_end), moved in zip(gaps, where, strict=True):
        for start, end, now in stretches:  # original stretch [start, end) sits at [now, now + end - start)
            low, high = max(now, gap_start), min(now + end - start, gap_end)
            if low < high:
                out.append((start + low - now, start + high - now, moved + low - gap_start))
    return out


def align(pieces: list[str], text: str) -> list[int] | None:
    """Start of each of ``pieces`` in ``text``, in order, the first at 0 and the last ending the text, when only one
    such placement exists (the leftmost and the rightmost placements agree); else None."""
    first, last = pieces[0], pieces[-1]
    if len(pieces) == 1:
        return [0] if text == first else None
    tail = len(text) - len(last)
    if not text.startswith(first) or not text.endswith(last) or tail < len(first):
        return None
    left, cursor = [0], len(first)
    for piece in pieces[1:-1]:
        cursor = text.find(piece, cursor)
        if cursor < 0:
            return None
        left.append(cursor)
        cursor += len(piece)
    if cursor > tail:
        return None
    right, cursor = [tail], tail
    for piece in reversed(pieces[1:-1]):
        cursor = text.rfind(piece, 0, cursor)
        right.append(cursor)
    right.append(0)
    return left + [tail] if left + [tail] == right[::-1] else None


def build_step(index: int, step: Any) -> Anonymizer:
    """The anonymizer of ``steps[index]``; ValueError (one line, naming the step) on a bad one."""
    from mhprivbench.registry import create, get_all

    where = f"steps[{index}]"
    if not isinstance(step, dict) or "name" not in step:
        raise ValueError(f"{where}: expected {{name: <anonymizer>, params: {{...}}}}")
    unknown = sorted(str(k) for k in step if k not in STEP_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(STEP_KEYS)})")
    name, params = step["name"], step.get("params") or {}
    if not isinstance(name, str):
        raise ValueError(f"{where}: name must be the name of a registered anonymizer")
    if not isinstance(params, dict):
        raise ValueError(f"{where}: params must be a mapping")
    if any(key in params for key in _POLICY):
        raise ValueError(f"{where}: set pseudonym / keep_fields on the pipeline, not on a step")
    try:
        anonymizer = create("anonymizer", name, **params)
    except ConfigError as error:
        raise ValueError(f"{where}: {error}") from None
    if not isinstance(anonymizer, Anonymizer):
        known = ", ".join(n for n, c in get_all("anonymizer").items() if issubclass(c, Anonymizer))
        raise ValueError(f"{where}: {name!r} is not an anonymizer with detect / rewrite (known: {known})")
    return anonymizer
