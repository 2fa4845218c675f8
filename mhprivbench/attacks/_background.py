"""Attacker background knowledge that depends only on the splits (the persona index built from the registry, author
profiles built from aux posts) is the same for every release scored on those splits: build it once per Splits.

The runner reuses one Splits object for every mechanism and seed on a dataset, so each worker builds each piece
once. Entries die with their Splits object (weak reference), and a key must name every parameter the piece
depends on.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from mhprivbench.types import Splits

T = TypeVar("T")
_STORE: dict[int, tuple[weakref.ref, dict[Hashable, Any]]] = {}


def background(splits: Splits, key: Hashable, build: Callable[[], T]) -> T:
    """``build()`` once per (splits object, key); later calls return the same object."""
    ident = id(splits)
    entry = _STORE.get(ident)
    if entry is None or entry[0]() is not splits:
        entry = _STORE[ident] = (weakref.ref(splits, lambda _, store=_STORE: store.pop(ident, None)), {})
    pieces = entry[1]
    if key not in pieces:
        pieces[key] = build()
    return pieces[key]
