"""mhprivbench: privacy-utility benchmark for privacy techniques on mental-health text.

Public API (loaded lazily: importing the package does not import torch, presidio, sdv or scikit-learn)::

    load_dataset(name, **params) -> Corpus        create(kind, name, **params) -> plugin
    release(mechanism, records, seed=...) -> Release    Evaluator(...).evaluate(release, splits, seed=...)
    load_results(folder) -> list[Result]
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.3.0"

_LAZY = {
    "create": ("mhprivbench.registry", "create"),
    "register": ("mhprivbench.registry", "register"),
    "release": ("mhprivbench.mechanisms", "release"),
    "Evaluator": ("mhprivbench.evaluator", "Evaluator"),
    "load_results": ("mhprivbench.results", "load_results"),
    "Corpus": ("mhprivbench.datasets.corpus", "Corpus"),
    "Record": ("mhprivbench.types", "Record"),
    "Span": ("mhprivbench.types", "Span"),
    "Release": ("mhprivbench.types", "Release"),
    "Score": ("mhprivbench.types", "Score"),
    "Splits": ("mhprivbench.types", "Splits"),
}

__all__ = ["__version__", "load_dataset", *_LAZY]


def load_dataset(name: str, /, **params: Any):
    """Build the registered dataset ``name`` with ``params`` and load it; ``.split(seed=...)`` gives the splits."""
    from mhprivbench.registry import create

    return create("dataset", name, **params).load()


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'mhprivbench' has no attribute {name!r}")
