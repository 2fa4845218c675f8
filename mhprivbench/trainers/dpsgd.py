"""The ``dpsgd`` trainer: opacus DP-SGD on a linear or one-hidden-layer head over frozen MiniLM embeddings.

Privacy accounting:

- **Features cost nothing.** The embeddings come from public pretrained weights that never see the private data
  (``_torch_head.features``); only the head is trained, and only through DP-SGD.
- **DP-SGD** (Abadi et al. 2016) through opacus 1.6: each step samples every example independently with
  probability ``q = 1 / ceil(n / batch_size)`` (about ``batch_size / n``: Poisson sampling, opacus's default), clips
  each example's gradient to L2 norm ``max_grad_norm``, sums, adds Gaussian noise of std
  ``noise_multiplier * max_grad_norm`` and steps (SGD with momentum 0.9: post-processing of the noisy sums). The
  noise multiplier is calibrated from (``epsilon``, ``delta``, q, ``epochs``) with the chosen ``accountant``
  (``"rdp"``: Mironov 2017 / Mironov, Talwar and Zhang 2019; ``"prv"``: Gopi, Lee and Wutschitz 2021) by
  opacus's ``get_noise_multiplier``, exactly as ``PrivacyEngine.make_private_with_epsilon`` does (same sample rate
  ``1 / len(loader)``, same epochs), then passed to ``make_private``. We call the two steps ourselves only to give
  the RDP accountant orders up to 4096: with opacus's default orders (<= 63) no epsilon below about 0.19 at
  delta = 1e-5 is reachable, and ``make_private_with_epsilon`` cannot forward the orders. The multiplier gives
  an accounted epsilon <= the requested one, which is what we declare (``epsilon_``, ``delta_``);
  ``spent_epsilon_`` is the accountant's value after training (same orders).
- **Neighbouring relation: add or remove one unit** (``neighbouring = "add_remove"``): the relation opacus's
  accountants analyse for Poisson-sampled Gaussian mechanisms. As usual (and as opacus does) the sampling rate is
  set from the dataset size, which is treated as public.
- **Privacy unit** (``unit``): ``"record"`` (one example per record) or ``"author"`` (**user-level DP**). With
  ``unit="author"`` every author's records become **one example**: its loss is the mean of the cross-entropy of
  the author's records, so its gradient is the average of their per-record gradients, and that one vector is
  clipped to ``max_grad_norm``. Poisson sampling draws authors, not records. Adding or removing an author then
  changes exactly one example of bounded (clipped) gradient, so the same accountant gives (epsilon, delta)-DP for
  adding/removing a whole author, whatever their number of records; an author with many records gets no more
  weight than one with a single record. Records without an author are grouped by ``splits.group_key`` (thread,
  else the record alone). ``privacy_unit`` is a property that follows ``unit``.
- **Every public label is an output class** (the task's declared label set, ``labels``; a DP fit without it
  raises ``ConfigError``). A class with no train record still gets a logit and probability > 0.
- **Released model** (``EmbeddingHead``): the head's weights as numpy arrays and the public classes, nothing
  else; ``predict_proba`` is a numpy softmax and runs without torch or opacus.
- **Noise source.** ``seed=None`` (a real release) seeds torch's generator from 64 bits of OS entropy; an int seed
  makes the fit deterministic (benchmark cells), which is no protection. opacus's ``secure_mode`` (a
  cryptographic generator, and protection against floating-point attacks on the noise) needs ``torchcsprng``,
  which is not available for torch 2.13: this trainer does not claim it.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench.base import Trainer, check_epsilon
from mhprivbench.datasets.splits import group_key
from mhprivbench.errors import ConfigError, DataError
from mhprivbench.public_labels import check_record_labels, public_label_set
from mhprivbench.registry import register
from mhprivbench.trainers import _torch_head
from mhprivbench.types import Record
from mhprivbench.validation import check_int, check_open_unit, check_positive

ACCOUNTANTS = ("rdp", "prv")
UNITS = ("record", "author")
RDP_ORDERS = ([1 + x / 10.0 for x in range(1, 100)] + list(range(12, 64)) + list(range(64, 256, 8))
              + [256, 384, 512, 768, 1024, 2048, 4096])  # opacus's default orders, extended


def accountant_options(accountant: str) -> dict:
    """RDP: orders up to 4096 (opacus's default orders stop at 63, which floors epsilon near 0.19 at
    delta = 1e-5); PRV: opacus's defaults."""
    return {"alphas": RDP_ORDERS} if accountant == "rdp" else {}


@functools.lru_cache(maxsize=256)
def calibrated_noise(epsilon: float, delta: float, sample_rate: float, epochs: int, accountant: str) -> float:
    """opacus's ``get_noise_multiplier`` (as ``make_private_with_epsilon`` calls it), memoized per process: the
    search evaluates the RDP of ~100 fractional orders a dozen times (seconds), and a benchmark worker asks the same
    question for every seed and dataset whose sample rate (1 / number of batches) coincides."""
    from opacus.accountants.utils import get_noise_multiplier

    return float(get_noise_multiplier(target_epsilon=epsilon, target_delta=delta, sample_rate=sample_rate,
                                      epochs=epochs, accountant=accountant, **accountant_options(accountant)))


def spent_epsilon(history: Sequence[tuple[float, float, int]], delta: float, accountant: str) -> float:
    """The accountant's epsilon after training, from its (noise multiplier, sample rate, steps) history."""
    return _spent_epsilon(tuple(tuple(step) for step in history), delta, accountant)


@functools.lru_cache(maxsize=256)
def _spent_epsilon(history: tuple, delta: float, accountant: str) -> float:
    from opacus.accountants import create_accountant

    replay = create_accountant(accountant)
    replay.history = list(history)
    return float(replay.get_epsilon(delta, **accountant_options(accountant)))


def unit_examples(features: np.ndarray, targets: np.ndarray, records: Sequence[Record], unit: str):
    """Stack records into examples: (G, K, d) features, (G, K) targets and a (G, K) mask of real rows.

    ``unit="record"``: one record per example (K = 1). ``unit="author"``: one example per ``group_key`` (author,
    else thread, else the record), padded to the largest group K; groups keep first-appearance order.
    """
    if unit == "record":
        return features[:, None, :], targets[:, None], np.ones((len(records), 1), dtype=np.float32)
    groups: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        groups.setdefault(group_key(record), []).append(index)
    size = max(len(rows) for rows in groups.values())
    x = np.zeros((len(groups), size, features.shape[1]), dtype=np.float32)
    y = np.zeros((len(groups), size), dtype=np.int64)
    mask = np.zeros((len(groups), size), dtype=np.float32)
    for g, rows in enumerate(groups.values()):
        x[g, : len(rows)], y[g, : len(rows)], mask[g, : len(rows)] = features[rows], targets[rows], 1.0
    return x, y, mask


def _example_losses(logits, targets, mask):
    """Per-example loss: the mean cross-entropy over the example's real rows (an author's records)."""
    import torch

    flat = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                                             reduction="none").reshape(targets.shape)
    return (flat * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)


@register("trainer", "dpsgd")
@dataclass
class DPSGD(Trainer):
    """(epsilon, delta)-DP head over frozen embeddings (opacus DP-SGD); see the module docstring."""

    neighbouring: ClassVar[str] = "add_remove"
    noise_scale: ClassVar[float] = 1.0  # 1 = honest; only the test double ``broken_dpsgd`` changes it

    epsilon: float | None = None  # required; None only so that a missing value gets a clear ConfigError
    delta: float = 1e-5
    max_grad_norm: float = 1.0
    epochs: int = 50
    batch_size: int = 1024
    lr: float = 4.0
    hidden: int = 0
    accountant: str = "rdp"
    unit: str = "record"
    features: str = "minilm"

    def __post_init__(self) -> None:
        check_epsilon(self.epsilon)
        if self.features not in _torch_head.FEATURES:
            raise ConfigError(f"dpsgd: features must be one of {_torch_head.FEATURES}, got {self.features!r}")
        check_open_unit("delta", self.delta)
        check_positive("max_grad_norm", self.max_grad_norm)
        check_positive("lr", self.lr)
        check_int("epochs", self.epochs, 1)
        check_int("batch_size", self.batch_size, 1)
        check_int("hidden", self.hidden, 0)
        if self.accountant not in ACCOUNTANTS:
            raise ConfigError(f"dpsgd: accountant must be one of {ACCOUNTANTS}, got {self.accountant!r}")
        if self.unit not in UNITS:
            raise ConfigError(f"dpsgd: unit must be one of {UNITS}, got {self.unit!r}")

    @property
    def privacy_unit(self) -> str:
        """What one neighbouring step adds or removes: a record, or all records of one author."""
        return self.unit

    @property
    def uses_embeddings(self) -> bool:
        """Whether the features need MiniLM (the runner then embeds the dataset once before the workers start)."""
        return "minilm" in self.features

    def fit(self, records: Sequence[Record], *, seed: int | None = None,
            labels: Sequence[str] | None = None) -> _torch_head.EmbeddingHead:
        """Train the head with DP-SGD on every public label; ``seed=None`` draws the noise from OS entropy."""
        public = public_label_set(labels, mechanism="dpsgd")
        if not records:
            raise DataError("dpsgd: cannot fit on zero records")
        check_record_labels(records, public, mechanism="dpsgd")
        index = {label: i for i, label in enumerate(public)}
        x = _torch_head.featurize([r.text for r in records], self.features)
        y = np.array([index[r.label] for r in records], dtype=np.int64)
        examples = unit_examples(x, y, records, self.unit)
        with _torch_head.torch_session(seed), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Secure RNG turned off")  # see the module docstring
            warnings.filterwarnings("ignore", message="Full backward hook is firing")  # frozen inputs: expected
            warnings.filterwarnings("ignore", message="Optimal order is the largest alpha")  # bound stays valid
            state = self._train(examples, len(public))
        self.epsilon_, self.delta_ = float(self.epsilon), float(self.delta)
        return _torch_head.head_from_state(state, public, self.features)

    def _train(self, examples, n_classes: int) -> dict:
        """DP-SGD over the examples; returns the head's state dict (sets the accounting attributes)."""
        import torch
        from opacus import PrivacyEngine

        x, y, mask = (torch.from_numpy(a) for a in examples)
        head = _torch_head.build_head(x.shape[-1], self.hidden, n_classes)
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y, mask),
                                             batch_size=min(self.batch_size, len(x)))
        engine = PrivacyEngine(accountant=self.accountant)
        model, optimizer, loader = engine.make_private(
            module=head, optimizer=torch.optim.SGD(head.parameters(), lr=self.lr, momentum=0.9),
            data_loader=loader, noise_multiplier=self._calibrate(1.0 / len(loader)),
            max_grad_norm=self.max_grad_norm, poisson_sampling=True,
        )
        self.calibrated_noise_multiplier_ = float(optimizer.noise_multiplier)
        optimizer.noise_multiplier = self.calibrated_noise_multiplier_ * self.noise_scale
        self.noise_multiplier_, self.sample_rate_ = float(optimizer.noise_multiplier), 1.0 / len(loader)
        model.train()
        for _ in range(self.epochs):
            for xb, yb, mb in loader:
                optimizer.zero_grad(set_to_none=True)
                _example_losses(model(xb), yb, mb).mean().backward()
                optimizer.step()
        self.steps_ = self.epochs * len(loader)
        self.spent_epsilon_ = spent_epsilon(engine.accountant.history, float(self.delta), self.accountant)
        return head.state_dict()

    def _calibrate(self, sample_rate: float) -> float:
        """The smallest noise multiplier (opacus's binary search) whose accounted epsilon is <= ``epsilon``."""
        try:
            return calibrated_noise(float(self.epsilon), float(self.delta), sample_rate, self.epochs, self.accountant)
        except ValueError as error:  # opacus: "The privacy budget is too low." (noise multiplier > 1e6)
            raise ConfigError(f"dpsgd: no noise multiplier reaches epsilon {self.epsilon} with {self.epochs} epochs "
                              f"(opacus: {error}); use fewer epochs or a smaller batch_size") from error
