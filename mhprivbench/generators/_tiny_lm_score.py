"""White-box next-token log-probabilities of a fitted ``tiny_lm`` network, for audits (``canary_exposure``).

The distribution is the network's next-token softmax without the tokens sampling never draws (PAD, UNK, label
tokens), renormalized: what ``sample`` draws from at temperature 1 without nucleus cut.
``next_log_probs``: one forward pass over ``[label] + history``. ``tree_log_probs``: the next-token distributions
at every node of the full tree of continuations of a root sequence by ``b`` child tokens, ``depth`` levels deep
(b^0 + ... + b^(depth-1) nodes: 111,111 for six digits). Each node is fed once, as one token on top of its
parent's key/value cache (nodes processed in chunks of at most ``max_rows``, depth first, so memory stays
bounded), instead of re-reading the whole sequence: a few seconds per root on a CPU at the default size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

MAX_ROWS = 4096


def _log_softmax(logits: Any, banned: Sequence[int]) -> Any:
    """Log-probabilities with the ``banned`` ids (never sampled: PAD, UNK, label tokens) removed."""
    import torch

    logits = logits.float().clone()
    logits[:, list(banned)] = -float("inf")
    return torch.log_softmax(logits, dim=-1)


def next_log_probs(model: Any, ids: Sequence[int], banned: Sequence[int], device: str) -> np.ndarray:
    """log P(token | ids) for every token id of the model's vocabulary (float64; -inf for ``banned``)."""
    import torch

    with torch.inference_mode():
        logits = model(input_ids=torch.tensor([list(ids)], device=device), use_cache=False).logits[:, -1]
        return _log_softmax(logits, banned)[0].double().cpu().numpy()


def _layers(cache: Any) -> list[tuple[Any, Any]]:
    return [(layer.keys, layer.values) for layer in cache.layers]


def _cache(layers: Sequence[tuple[Any, Any]], rows: slice, repeats: int) -> Any:
    from transformers import DynamicCache

    cache = DynamicCache()
    for index, (keys, values) in enumerate(layers):
        cache.update(keys[rows].repeat_interleave(repeats, dim=0), values[rows].repeat_interleave(repeats, dim=0),
                     index)
    return cache


def tree_log_probs(model: Any, root: Sequence[int], children: Sequence[int], depth: int, banned: Sequence[int],
                   device: str, max_rows: int = MAX_ROWS) -> list[np.ndarray]:
    """``tables[k][i, j]`` = log P(children[j] | root + path_i), path_i = node i of level k written in base
    b = len(children), most significant first (k = 0: the root alone; shape (b^k, b))."""
    import torch

    b = len(children)
    tables = [np.empty((b ** level, b)) for level in range(depth)]
    with torch.inference_mode():
        found = model(input_ids=torch.tensor([list(root)], device=device), use_cache=True)
        tables[0][:] = _log_softmax(found.logits[:, -1], banned)[:, list(children)].double().cpu().numpy()
        tokens = torch.tensor(list(children), device=device)
        _expand(model, _layers(found.past_key_values), 0, 0, tables, tokens, (max(1, max_rows // b), banned))
    return tables


def _expand(model: Any, layers: list, level: int, first: int, tables: list[np.ndarray], tokens: Any,
            options: tuple[int, Sequence[int]]) -> None:
    """Fill the rows of level ``level + 1`` (and below) under the parents ``first ..`` (caches ``layers``);
    ``options``: (parents per forward pass, banned ids)."""
    if level + 1 >= len(tables):
        return
    (step, banned), b, parents = options, len(tokens), layers[0][0].shape[0]
    for a in range(0, parents, step):
        z = min(parents, a + step)
        found = model(input_ids=tokens.repeat(z - a)[:, None], past_key_values=_cache(layers, slice(a, z), b),
                      use_cache=True)
        logp = _log_softmax(found.logits[:, -1], banned)[:, tokens]
        tables[level + 1][(first + a) * b:(first + z) * b] = logp.double().cpu().numpy()
        _expand(model, _layers(found.past_key_values), level + 1, (first + a) * b, tables, tokens, options)
