"""Tokenizers of ``tiny_lm`` (``tokenizers`` library, imported lazily).

Both kinds split text on whitespace and punctuation (``\\w+|[^\\w\\s]+``) and every digit into its own token,
then map each word to WordPiece pieces (``##`` marks a continuation); decoding joins the pieces with single spaces
(newlines and repeated spaces are not kept).

- ``trained`` (non-private): ``vocab_size`` pieces learned from the train texts: the characters seen, then the
  most frequent words (a rare word is spelled with character pieces).
- ``public`` (DP): the fixed vocabulary of ``_tiny_lm_vocab`` (common English words, characters): nothing is
  learned from private text, so it costs no privacy budget. ``vocab_size`` does not apply. A word with a
  character outside it becomes ``[UNK]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from mhprivbench.generators._tiny_lm_vocab import public_vocabulary

PAD, UNK, EOS = "[PAD]", "[UNK]", "[EOS]"
SPECIALS = [PAD, UNK, EOS]  # ids 0, 1, 2 in both kinds
PAD_ID, UNK_ID, EOS_ID = 0, 1, 2
DIGITS = "0123456789"
MAX_CHARACTERS = 300
_APOSTROPHE = re.compile(r"(\w) ([’']) (\w)")  # "i ' m" -> "i'm"


def _pipeline(model: Any) -> Any:
    from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers

    tokenizer = Tokenizer(model)
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Whitespace(), pre_tokenizers.Digits(individual_digits=True)])
    tokenizer.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    return tokenizer


def trained_tokenizer(texts: Sequence[str], vocab_size: int) -> Any:
    """A vocabulary learned from ``texts`` (private: only for the non-DP generator): the digits, the characters
    seen (word-initial and ``##`` continuation, at most ``MAX_CHARACTERS`` of each, most frequent first), then the
    most frequent whole words up to ``vocab_size`` pieces; ties broken by value (deterministic, unlike
    ``tokenizers``' WordPiece trainer, whose choice among tied merges varies from run to run)."""
    from tokenizers import models

    splitter = _pipeline(models.WordPiece(vocab={UNK: 0}, unk_token=UNK))
    words: Counter[str] = Counter()
    for text in texts:
        words.update(word for word, _ in splitter.pre_tokenizer.pre_tokenize_str(splitter.normalizer.normalize_str(text)))
    initial, inner = Counter(), Counter()
    for word, count in words.items():
        initial[word[0]] += count
        for ch in word[1:]:
            inner["##" + ch] += count
    pieces = [*SPECIALS, *DIGITS, *_most_common(initial, MAX_CHARACTERS), *_most_common(inner, MAX_CHARACTERS)]
    known = set(pieces)
    for word in _most_common(words, len(words)):
        if len(pieces) >= vocab_size:
            break
        if word not in known:
            pieces.append(word)
            known.add(word)
    vocab = {piece: i for i, piece in enumerate(dict.fromkeys(pieces))}
    return _pipeline(models.WordPiece(vocab=vocab, unk_token=UNK, max_input_chars_per_word=64))


def _most_common(counts: Counter[str], limit: int) -> list[str]:
    return [key for key, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def public_tokenizer() -> Any:
    """The fixed public tokenizer (``_tiny_lm_vocab``): the same for every dataset, learned from nothing."""
    from tokenizers import models

    vocab = {piece: i for i, piece in enumerate(public_vocabulary(SPECIALS))}
    return _pipeline(models.WordPiece(vocab=vocab, unk_token=UNK, max_input_chars_per_word=64))


def encode(tokenizer: Any, text: str) -> list[int]:
    return tokenizer.encode(text).ids


def pieces(tokenizer: Any, text: str) -> list[str]:
    """The token strings of ``text`` (what ``next_log_probs`` is keyed by)."""
    return tokenizer.encode(text).tokens


def piece_ids(tokenizer: Any, history: Sequence[str]) -> list[int]:
    """Ids of token strings (unknown strings: ``[UNK]``)."""
    found = [tokenizer.token_to_id(piece) for piece in history]
    return [UNK_ID if i is None else i for i in found]


def decode(tokenizer: Any, ids: Sequence[int], max_words: int) -> str:
    """Text of ``ids`` (special tokens dropped), cut to ``max_words`` whitespace-separated words."""
    text = tokenizer.decode(list(ids), skip_special_tokens=True).removeprefix("##")  # a text may start mid-word
    text = _APOSTROPHE.sub(r"\1\2\3", text)
    return " ".join(text.split()[:max_words])
