"""Datasets: the embedded synthetic corpus, real-data loaders, PII injection and splits.

Importing this package registers the built-in dataset plugins.
"""

from mhprivbench.datasets.corpus import Corpus

__all__ = ["Corpus"]
