"""Built-in generators (importing this package registers them)."""

from mhprivbench.generators import dp_ngram, ngram  # noqa: F401  (registration)
