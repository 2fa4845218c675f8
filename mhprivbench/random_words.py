"""Random lowercase words for synthetic canaries (``dp_audit``'s canaries, the planted canaries' signatures).

Words of ``TOKEN_LETTERS`` letters drawn uniformly (26^8 ~ 2e11 possible words): with overwhelming probability
they share nothing with real text or with each other. Drawn from the caller's seeded generator only.
"""

from __future__ import annotations

import numpy as np

TOKEN_LETTERS = 8
_ALPHABET = np.array(list("abcdefghijklmnopqrstuvwxyz"))


def random_words(rng: np.random.Generator, n_tokens: int) -> str:
    """``n_tokens`` random words of ``TOKEN_LETTERS`` lowercase letters, space-separated."""
    letters = rng.choice(_ALPHABET, size=(n_tokens, TOKEN_LETTERS))
    return " ".join("".join(row) for row in letters)
