"""Built-in anonymizers (importing this package registers them; presidio and spaCy load only on first use)."""

from mhprivbench.anonymizers import generalize, identity, pipeline, presidio, regex, santext, surrogate  # noqa: F401
