"""The ``tiny_lm`` generator: a small class-conditional transformer LM trained from scratch, optionally with DP-SGD.

Each record becomes ``[label token] + text tokens + [EOS]``; sampling draws a label, then a text after its label
token (temperature, nucleus ``top_p``), stopping at EOS, ``max_len`` tokens or ``max_words`` words. The network
is a GPT-NeoX-style decoder (``_tiny_lm_net``: ``n_layer`` x ``n_embd`` / ``n_head``, built from a config, no
pretrained weights). ``device="auto"`` uses CUDA when available; samples are deterministic per seed on a CPU.

**Non-private** (``epsilon=None``): its own WordPiece tokenizer of ``vocab_size`` pieces learned from the train
texts; labels sampled in proportion to the train label counts; ``release_size`` = the train size.

**DP** (``epsilon`` set). Neighbouring relation: **add or remove one record** (``neighbouring = "add_remove"``);
privacy unit: **one record** (an author with k records gets the group-privacy epsilon). The label set is public
(``labels``, from the dataset's declaration; required, never taken from the records).

1. **Tokenizer: public and fixed** (``_tiny_lm_vocab``: common English words, characters, ``##`` pieces), learned
   from nothing: it costs no budget (``vocab_size`` does not apply). Label tokens come from the public label set.
2. **Label counts** (``epsilon_labels = LABEL_SHARE * epsilon``): Laplace(1 / epsilon_labels) on the count of every
   public label (sensitivity 1): pure epsilon_labels-DP. They give the sampling priors and ``release_size`` (their
   noisy total), as in ``dp_ngram``.
3. **The network** (``epsilon - epsilon_labels``, ``delta``): opacus DP-SGD (Abadi et al. 2016): Poisson sampling at
   rate q = 1 / ceil(n / ``batch_size``) (n, the dataset size, is treated as public, as opacus does), per-record
   gradient clipping to ``max_grad_norm``, Gaussian noise with the multiplier that opacus's RDP accountant
   (orders up to 4096, as ``dpsgd``) calibrates for q and ``epochs``; AdamW on the noisy gradients.
4. **Composition**: sequential, (epsilon_labels + epsilon_sgd, delta) = (``epsilon``, ``delta``). Sampling, the
   release size and the white-box scores only read the released network and noisy counts (post-processing).

``seed=None`` (a real release) seeds torch and numpy from OS entropy; an int seed makes everything reproducible
(benchmark cells), which is no protection. No secure RNG (``torchcsprng`` does not exist for torch 2.13).
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mhprivbench.base import Generator, check_epsilon
from mhprivbench.errors import ConfigError, DataError
from mhprivbench.generators import _tiny_lm_net as net
from mhprivbench.generators import _tiny_lm_score as score
from mhprivbench.generators import _tiny_lm_tok as tok
from mhprivbench.public_labels import check_record_labels, public_label_set
from mhprivbench.registry import register
from mhprivbench.types import Record
from mhprivbench.validation import check_int, check_open_unit, check_positive

LABEL_SHARE = 0.1  # share of epsilon spent on the label counts (DP)
DEVICES = ("auto", "cpu", "cuda")


@register("generator", "tiny_lm")
@dataclass
class TinyLMGenerator(Generator):
    """Class-conditional small transformer LM, non-private or DP-SGD (see the module docstring)."""

    epsilon: float | None = None  # total DP budget (labels + DP-SGD); None: non-private
    delta: float = 1e-5  # DP delta (DP-SGD)
    max_grad_norm: float = 1.0  # DP-SGD per-record gradient clipping norm
    n_layer: int = 2  # transformer layers
    n_embd: int = 128  # hidden size (divisible by n_head)
    n_head: int = 4  # attention heads
    vocab_size: int = 2000  # learned vocabulary size (non-private only; DP uses the fixed public vocabulary)
    max_len: int = 128  # tokens per sequence, label token included (longer texts are cut)
    epochs: int = 8  # passes over train
    batch_size: int = 32  # mini-batch size (DP: expected Poisson batch size)
    lr: float = 3e-3  # AdamW learning rate
    temperature: float = 1.0  # sampling temperature
    top_p: float = 0.95  # nucleus sampling mass, in (0, 1]
    max_words: int = 120  # words per released text at most
    device: str = "auto"  # "auto" (CUDA when available), "cpu" or "cuda"

    def __post_init__(self) -> None:
        check_epsilon(self.epsilon, allow_none=True)
        check_open_unit("delta", self.delta)
        for name in ("max_grad_norm", "lr", "temperature"):
            check_positive(name, getattr(self, name))
        for name, low in (("n_layer", 1), ("n_embd", 8), ("n_head", 1), ("vocab_size", 100), ("max_len", 8),
                          ("epochs", 1), ("batch_size", 1), ("max_words", 1)):
            check_int(name, getattr(self, name), low)
        if self.n_embd % self.n_head:
            raise ConfigError(f"tiny_lm: n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})")
        if isinstance(self.top_p, bool) or not isinstance(self.top_p, int | float) or not 0 < self.top_p <= 1:
            raise ConfigError(f"tiny_lm: top_p must be a number in (0, 1], got {self.top_p!r}")
        if self.device not in DEVICES:
            raise ConfigError(f"tiny_lm: device must be one of {DEVICES}, got {self.device!r}")

    @property
    def neighbouring(self) -> str | None:
        return "add_remove" if self.epsilon is not None else None

    @property
    def privacy_unit(self) -> str | None:
        return "record" if self.epsilon is not None else None

    def _device(self) -> str:
        if self.device != "auto":
            return self.device
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"

    def fit(self, records: Sequence[Record], *, seed: int | None = None,
            labels: Sequence[str] | None = None) -> TinyLMGenerator:
        """Tokenizer, label priors, then the network (module docstring); ``labels``: the public label set."""
        if not records:
            raise DataError("tiny_lm: cannot fit on zero records")
        dp = self.epsilon is not None
        rng = np.random.default_rng(seed)
        if dp:
            self.labels_ = public_label_set(labels, mechanism="tiny_lm")
            check_record_labels(records, self.labels_, mechanism="tiny_lm")
            self.priors_ = self._noisy_priors(records, rng)
            self.tokenizer_ = tok.public_tokenizer()
        else:
            self.labels_ = sorted(set(labels or ()) | {r.label for r in records})
            counts = Counter(r.label for r in records)
            self.priors_ = {label: float(counts[label]) for label in self.labels_}
            self.tokenizer_ = tok.trained_tokenizer([r.text for r in records], self.vocab_size)
        self._train(records, int(rng.integers(2**63)) if seed is None else seed)
        self.epsilon_ = float(self.epsilon) if dp else None
        self.delta_ = float(self.delta) if dp else None
        return self

    def _noisy_priors(self, records: Sequence[Record], rng: np.random.Generator) -> dict[str, float]:
        exact = Counter(r.label for r in records)
        scale = 1.0 / (self.epsilon * LABEL_SHARE)
        return {label: max(exact[label] + float(rng.laplace(0.0, scale)), 0.0) for label in self.labels_}

    def _label_id(self, label: str) -> int:
        return self.tokenizer_.get_vocab_size() + self.labels_.index(label)

    def _train(self, records: Sequence[Record], seed: int) -> None:
        from mhprivbench.trainers._torch_head import torch_session

        device = self.device_ = self._device()
        ids = net.sequence_tensor([tok.encode(self.tokenizer_, r.text) for r in records],
                                  [self._label_id(r.label) for r in records], self.max_len)
        with torch_session(seed):
            model = net.build_model(self.tokenizer_.get_vocab_size() + len(self.labels_), n_layer=self.n_layer,
                                    n_embd=self.n_embd, n_head=self.n_head, max_len=self.max_len).to(device)
            options = {"epochs": self.epochs, "batch_size": self.batch_size, "lr": self.lr, "device": device}
            if self.epsilon is None:
                net.train_plain(model, ids, **options)
            else:
                self.accounting_ = net.train_dp(model, ids, max_grad_norm=self.max_grad_norm,
                                                noise_multiplier=self._calibrate, **options)
        self.model_ = model

    def _calibrate(self, sample_rate: float) -> float:
        """The smallest noise multiplier whose RDP-accounted epsilon is <= epsilon - epsilon_labels."""
        from opacus.accountants.utils import get_noise_multiplier

        from mhprivbench.trainers.dpsgd import RDP_ORDERS

        target = float(self.epsilon) * (1.0 - LABEL_SHARE)
        try:
            return float(get_noise_multiplier(target_epsilon=target, target_delta=float(self.delta),
                                              sample_rate=sample_rate, epochs=self.epochs, accountant="rdp",
                                              alphas=RDP_ORDERS))
        except ValueError as error:
            raise ConfigError(f"tiny_lm: no noise multiplier reaches epsilon {self.epsilon} with {self.epochs} "
                              f"epochs (opacus: {error}); use fewer epochs or a smaller batch_size") from error

    def release_size(self, n_train: int) -> int:
        """DP: the noisy total of the released label counts, not the exact train size."""
        if self.epsilon is None:
            return n_train
        return max(1, round(sum(self.priors_.values())))

    def sample(self, n: int, *, seed: int | None) -> list[Record]:
        """``n`` records: labels drawn from the priors (uniform when all are 0), then one text per label."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        seed = secrets.randbits(63) if seed is None else int(seed) % 2**63
        weights = np.array([self.priors_[label] for label in self.labels_], dtype=float)
        weights = weights / weights.sum() if weights.sum() > 0 else np.full(len(weights), 1.0 / len(weights))
        drawn = [self.labels_[i] for i in np.random.default_rng(seed).choice(len(weights), size=n, p=weights)]
        rows = net.sample_ids(self.model_, [self._label_id(label) for label in drawn], max_new=self.max_len - 1,
                              temperature=self.temperature, top_p=self.top_p, banned=self._banned(), seed=seed,
                              device=self.device_)
        return [Record(uid=f"synth-{i}", text=tok.decode(self.tokenizer_, row, self.max_words), label=label)
                for i, (row, label) in enumerate(zip(rows, drawn, strict=True))]

    def _banned(self) -> list[int]:
        """Ids never sampled (nor scored): PAD, UNK and the label tokens."""
        vocab = self.tokenizer_.get_vocab_size()
        return [tok.PAD_ID, tok.UNK_ID, *range(vocab, vocab + len(self.labels_))]

    # White-box scoring (``canary_exposure``): post-processing of the released network.

    def tokenize(self, text: str) -> list[str]:
        return tok.pieces(self.tokenizer_, text)

    def next_log_probs(self, history: Sequence[str], label: str) -> dict[str, float]:
        """{token: log P(token | history, label)} over the text tokens and EOS, as ``sample`` draws them at
        temperature 1 without nucleus cut ({} for an unknown label)."""
        if label not in self.labels_:
            return {}
        ids = [self._label_id(label), *tok.piece_ids(self.tokenizer_, history)]
        logp = score.next_log_probs(self.model_, ids, self._banned(), self.device_)
        banned = set(self._banned())
        return {self.tokenizer_.id_to_token(i): float(logp[i]) for i in range(self.tokenizer_.get_vocab_size())
                if i not in banned}

    def next_log_probs_tree(self, prefix: Sequence[str], label: str, tokens: Sequence[str],
                            depth: int) -> list[np.ndarray]:
        """``next_log_probs`` of every continuation of ``prefix`` by up to ``depth - 1`` of ``tokens``, in one
        batched pass (``_tiny_lm_score.tree_log_probs``: tables[k] has shape (len(tokens)^k, len(tokens)))."""
        if label not in self.labels_:
            raise ValueError("tiny_lm: label is not in the fitted label set")
        root = [self._label_id(label), *tok.piece_ids(self.tokenizer_, prefix)]
        return score.tree_log_probs(self.model_, root, tok.piece_ids(self.tokenizer_, tokens), depth, self._banned(),
                                    self.device_)
