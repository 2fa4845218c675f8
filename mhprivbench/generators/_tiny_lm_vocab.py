"""The public, fixed vocabulary of the DP ``tiny_lm`` (no token is learned from private text).

Common English words (general-language function and everyday words, written from general knowledge, not counted
from any dataset) as whole-word pieces, plus every printable ASCII character and a few typographic marks, as
word-initial pieces and, for word characters, as ``##`` continuation pieces: any ASCII word can be spelled, a
common word is one token. Digits are always single tokens (the pre-tokenizer splits them), so a secret "4 8 1"
is three tokens, as the white-box ``canary_exposure`` needs.
"""

from __future__ import annotations

import string

_WORDS = """
a about above after again against all almost alone already also always am an and angry another any anymore
anyone anything anyway are around as ask at away back bad be because bed been before being better between big
both but by call called can can't care day days did didn't do does doesn't doing don't done down each else
end enough even ever every everyone everything family feel feeling feelings feels felt few find fine first
for friend friends from get gets getting give go going gone good got had hard has have having he help her
here him his home how however if in into is isn't it it's its job just keep kind know last lately least left
less life like little long look lost lot love made make many may me might mind more morning most much must my
myself need never new next night no nobody not nothing now of off often oh ok okay old on once one only or
other our out over own past people person really right said same say school see seem seems she should since
sleep so some someone something sometimes still stop such sure take talk tell than that the their them then
there these they thing things think this those though thought through time tired to today told too tried try
trying two under until up us very want wanted was way we week weeks well were what when where which while who
why will with without work worse would year years yes yet you your
"""
COMMON_WORDS = _WORDS.split()
CAPITALIZED = ["I", "The", "My", "It", "And", "But", "So", "Today", "Sometimes"]
TYPOGRAPHIC = ["’", "‘", "“", "”", "…", "–", "—"]
WORD_CHARACTERS = string.ascii_letters + string.digits + "_"
CHARACTERS = [ch for ch in string.printable if not ch.isspace()] + TYPOGRAPHIC


def public_vocabulary(specials: list[str]) -> list[str]:
    """``specials``, then whole words, then characters and ``##`` continuation characters (fixed order)."""
    pieces = [*specials, *CHARACTERS, *(f"##{ch}" for ch in WORD_CHARACTERS if not ch.isdigit())]
    for word in [*CAPITALIZED, *COMMON_WORDS]:
        # the pre-tokenizer splits "can't" into "can", "'", "t": keep only the word-character parts
        for part in word.replace("'", " ").split():
            if part not in pieces:
                pieces.append(part)
    return pieces
