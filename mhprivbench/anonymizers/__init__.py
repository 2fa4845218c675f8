"""Built-in anonymizers (importing this package registers them)."""

from mhprivbench.anonymizers import identity, regex  # noqa: F401  (registration)
