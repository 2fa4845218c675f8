"""Datasets: the embedded synthetic corpus, real-data loaders, PII injection and splits.

Importing this package registers the built-in dataset plugins.
"""

from mhprivbench.datasets import counsel_chat, dreaddit, generic  # noqa: F401  (registers the real-data loaders)
from mhprivbench.datasets import synthmh as synthmh  # noqa: F401  (registers the synthetic corpus)
from mhprivbench.datasets.corpus import Corpus

__all__ = ["Corpus"]
