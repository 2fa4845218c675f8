"""Built-in generators (importing this package registers them)."""

from mhprivbench.generators import dp_marginals, dp_ngram, hybrid, ngram, sdv_tables, tiny_lm  # noqa: F401  (registration)
