"""The network of ``tiny_lm``: a small GPT-NeoX-style causal LM (``transformers``, built from a config, no
pretrained weights), trained from scratch, plainly or with opacus DP-SGD, and sampled with a KV cache.

GPT-NeoX because every trainable layer is an ``nn.Embedding``, ``nn.Linear`` or ``nn.LayerNorm`` (opacus has
exact per-sample gradients for all three) and positions are rotary (no parameters). Input and output embeddings
are not tied (one parameter, one layer, as opacus's per-sample gradients assume). torch, transformers and opacus
are imported inside functions: ``import mhprivbench`` must not import them.

A sequence is ``[label token] + text tokens + [EOS]``, cut to ``max_len`` tokens (EOS only when the text fits).
An example's loss is the mean cross-entropy of its next-token predictions; a batch's loss is the mean over its
examples, so with DP-SGD each example's gradient is one record's (clipped) contribution.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from mhprivbench.generators._tiny_lm_tok import EOS_ID, PAD_ID

TOP_K = 256  # tokens sorted per sampling step when they hold the whole nucleus


def build_model(n_tokens: int, *, n_layer: int, n_embd: int, n_head: int, max_len: int) -> Any:
    from transformers import GPTNeoXConfig, GPTNeoXForCausalLM

    config = GPTNeoXConfig(
        vocab_size=n_tokens, hidden_size=n_embd, num_hidden_layers=n_layer, num_attention_heads=n_head,
        intermediate_size=4 * n_embd, max_position_embeddings=max_len, hidden_dropout=0.0, attention_dropout=0.0,
        tie_word_embeddings=False, use_parallel_residual=True, pad_token_id=PAD_ID, eos_token_id=EOS_ID,
        bos_token_id=None)
    return GPTNeoXForCausalLM(config)


def sequence_tensor(encoded: Sequence[Sequence[int]], label_ids: Sequence[int], max_len: int) -> Any:
    """(n, max_len) int64 tensor of ``[label] + tokens (+ EOS)`` rows, right-padded with PAD."""
    import torch

    rows = torch.full((len(encoded), max_len), PAD_ID, dtype=torch.int64)
    for i, (tokens, label) in enumerate(zip(encoded, label_ids, strict=True)):
        body = list(tokens[: max_len - 1])
        seq = [label, *body, *([EOS_ID] if len(tokens) <= max_len - 2 else [])][:max_len]
        rows[i, : len(seq)] = torch.tensor(seq, dtype=torch.int64)
    return rows


def example_losses(model: Any, ids: Any) -> Any:
    """Per-example mean next-token cross-entropy over real (non-PAD) targets. Right padding never changes a real
    position's prediction (causal attention), so no attention mask is needed."""
    import torch

    real = ids != PAD_ID
    width = max(int(real.sum(dim=1).max()), 2)
    ids, real = ids[:, :width], real[:, :width]
    logits = model(input_ids=ids, use_cache=False).logits[:, :-1]
    target, keep = ids[:, 1:], real[:, 1:].to(logits.dtype)
    ce = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1),
                                           reduction="none").reshape(target.shape)
    return (ce * keep).sum(dim=1) / keep.sum(dim=1).clamp(min=1.0)


def train_plain(model: Any, ids: Any, *, epochs: int, batch_size: int, lr: float, device: str) -> None:
    """AdamW over shuffled mini-batches (torch's global generator: seed it first), gradient norm clipped to 1."""
    import torch

    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(ids))
        for start in range(0, len(ids), batch_size):
            optimizer.zero_grad(set_to_none=True)
            example_losses(model, ids[order[start:start + batch_size]].to(device)).mean().backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
    model.eval()


def train_dp(model: Any, ids: Any, *, epochs: int, batch_size: int, lr: float, max_grad_norm: float,
             noise_multiplier: Any, device: str) -> dict[str, float]:
    """DP-SGD (opacus, Poisson sampling at rate 1 / ceil(n / batch_size), per-example clipping to
    ``max_grad_norm``, Gaussian noise) with AdamW on the noisy gradients (post-processing).

    ``noise_multiplier(sample_rate)`` returns the calibrated multiplier. An empty Poisson batch still takes a
    step (pure noise), as the accountant assumes. Returns the accounting facts (multiplier, rate, steps)."""
    import torch
    from opacus import PrivacyEngine

    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(ids), batch_size=min(batch_size, len(ids)))
    sample_rate = 1.0 / len(loader)
    sigma = float(noise_multiplier(sample_rate))
    model.train()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Secure RNG turned off")  # no torchcsprng for torch 2.13
        warnings.filterwarnings("ignore", message="Optimal order is the largest alpha")
        warnings.filterwarnings("ignore", message="Full backward hook is firing")  # integer inputs: expected
        engine = PrivacyEngine(accountant="rdp")
        private, optimizer, loader = engine.make_private(
            module=model, optimizer=torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0),
            data_loader=loader, noise_multiplier=sigma, max_grad_norm=max_grad_norm, poisson_sampling=True)
        steps = 0
        for _ in range(epochs):
            for (batch,) in loader:
                optimizer.zero_grad(set_to_none=True)
                if len(batch) == 0:
                    for p in model.parameters():
                        p.grad_sample = torch.zeros((0, *p.shape), device=p.device, dtype=p.dtype)
                else:
                    example_losses(private, batch.to(device)).mean().backward()
                optimizer.step()
                steps += 1
    private.to_standard_module()
    for p in model.parameters():
        p.grad_sample, p.grad = None, None
    model.eval()
    return {"noise_multiplier": sigma, "sample_rate": sample_rate, "steps": steps}


def _ranked_ids(probs: np.ndarray, top_p: float) -> np.ndarray:
    """Token ids by decreasing probability (ties by id): the ``TOP_K`` first when every row's nucleus fits."""
    k = min(TOP_K, probs.shape[1])
    if k < probs.shape[1]:
        head = np.sort(np.argpartition(-probs, k - 1, axis=1)[:, :k], axis=1)  # the k most likely, by id
        values = np.take_along_axis(probs, head, axis=1)
        order = np.take_along_axis(head, np.argsort(-values, axis=1, kind="stable"), axis=1)
        if (np.take_along_axis(probs, order, axis=1)[:, :-1].sum(axis=1) >= top_p).all():
            return order
    return np.argsort(-probs, axis=1, kind="stable")


def _draw(probs: np.ndarray, top_p: float, rng: np.random.Generator) -> np.ndarray:
    """One token per row from the smallest set of most likely tokens whose mass reaches ``top_p`` (nucleus
    sampling), by inverse CDF with ``rng``. Only the ``TOP_K`` most likely tokens are sorted when they hold the
    nucleus (else the whole row); ties are ordered by id (deterministic)."""
    order = _ranked_ids(probs, top_p)
    ranked = np.take_along_axis(probs, order, axis=1)
    ranked = np.where(np.cumsum(ranked, axis=1) - ranked < top_p, ranked, 0.0)
    cumulative = np.cumsum(ranked, axis=1)
    u = rng.random(len(probs)) * cumulative[:, -1]
    index = np.minimum((cumulative <= u[:, None]).sum(axis=1), probs.shape[1] - 1)
    return order[np.arange(len(probs)), index]


def sample_ids(model: Any, label_ids: Sequence[int], *, max_new: int, temperature: float, top_p: float,
               banned: Sequence[int], seed: int, device: str, chunk: int = 256) -> list[list[int]]:
    """One token sequence per label id (stopping at EOS or ``max_new`` tokens), sampled with a KV cache and a
    numpy generator seeded with ``seed``; ``banned`` tokens (PAD, UNK, label tokens) are never drawn, nor EOS
    first."""
    import torch

    rng = np.random.default_rng(seed)
    out: list[list[int]] = []
    with torch.inference_mode():
        for start in range(0, len(label_ids), chunk):
            x = torch.tensor(list(label_ids[start:start + chunk]), device=device)[:, None]
            cache, steps, done = None, [], np.zeros(len(x), dtype=bool)
            for step in range(max_new):
                found = model(input_ids=x, past_key_values=cache, use_cache=True)
                cache = found.past_key_values
                logits = found.logits[:, -1].double() / temperature
                logits[:, list(banned) + ([EOS_ID] if step == 0 else [])] = -float("inf")
                drawn = _draw(torch.softmax(logits, dim=-1).cpu().numpy(), top_p, rng)
                drawn[done] = PAD_ID
                steps.append(drawn)
                done |= drawn == EOS_ID
                if done.all():
                    break
                x = torch.from_numpy(drawn).to(device)[:, None]
            for row in np.stack(steps, axis=1).tolist():
                out.append(row[: row.index(EOS_ID)] if EOS_ID in row else row)
    return out
