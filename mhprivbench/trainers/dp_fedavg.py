"""The ``dp_fedavg`` trainer: federated averaging with **local** DP, simulated in-process (numpy only).

Protocol. Clients are authors (``client_key="author"``: records grouped by ``splits.group_key``, i.e. author, else
thread, else the record alone) or single records (``client_key="record"``). The global model is multinomial
logistic regression (weights and biases) over the public features (frozen MiniLM embeddings by default, see
``_torch_head.featurize``), starting at zero. Each of ``rounds`` rounds takes the next ``clients_per_round``
clients of a schedule made of concatenated random permutations of all clients; each takes the current global
model, runs ``local_steps`` full-batch gradient steps (learning rate ``lr``) on its own records, clips its model
update (the whole parameter vector) to L2 norm ``clip_norm``, adds Gaussian noise of std ``noise_std_`` to every
coordinate **before the update leaves the client**, and sends it; the server adds the mean of the received
updates to the global model. The server is untrusted: it sees every noisy update.

Privacy accounting (per client, local DP):

- **Neighbouring relation: replace one client's data** (``neighbouring = "replace_one"``), i.e. the local-DP
  notion: for any two datasets D, D' of the same client, everything that client sends over the whole protocol has
  (epsilon, delta)-indistinguishable distributions, whatever the other clients and the server do. A clipped update
  lies in the ball of radius C = ``clip_norm``, so replacing the data moves it by at most **Delta = 2 C** (L2).
- **Privacy unit: the client** (``privacy_unit`` = ``"author"`` for ``client_key="author"``, else ``"record"``).
- **Composition over participations.** The schedule visits every client once per permutation, so a client sends
  at most ``k = ceil(rounds * m / N)`` updates (m = min(``clients_per_round``, N), N clients; the schedule depends
  only on N and the seed, never on the data). No amplification by subsampling is claimed: the server knows who
  participates. Each update is a Gaussian mechanism with sensitivity Delta and noise std sigma, i.e.
  rho = Delta^2 / (2 sigma^2)-zCDP (Bun and Steinke 2016, Prop. 1.6); adaptive composition adds rho (Lemma 2.3),
  so the client's transcript is rho_k = k Delta^2 / (2 sigma^2)-zCDP, hence (epsilon, delta)-DP with
  ``epsilon = rho_k + 2 sqrt(rho_k log(1/delta))`` (Prop. 1.3). We solve this for sigma:
  ``rho = (sqrt(log(1/delta) + epsilon) - sqrt(log(1/delta)))^2`` and ``sigma = Delta sqrt(k / (2 rho))``.
  ``spent_epsilon_`` is recomputed from sigma by the same formula (``zcdp_epsilon``); it equals the requested
  epsilon up to float rounding (checked), and ``epsilon_`` declares the request.
- **Every public label is an output class**; a label no client holds still gets a logit (and probability > 0).
- **Released model** (``EmbeddingHead``): the final global weights and biases as numpy arrays and the public
  classes. The transcript of noisy updates is what the server sees; the model is a function of it (post-processing).
- **Noise source.** ``seed=None`` (a real release) draws schedule and noise from OS entropy (numpy
  ``default_rng(None)``); an int seed makes the run deterministic (benchmark cells), which is no protection.
"""

from __future__ import annotations

import math
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

CLIENT_KEYS = ("author", "record")


def zcdp_rho(epsilon: float, delta: float) -> float:
    """The largest rho whose rho-zCDP implies (epsilon, delta)-DP by eps = rho + 2 sqrt(rho log(1/delta))."""
    log_term = math.log(1.0 / delta)
    return (math.sqrt(log_term + epsilon) - math.sqrt(log_term)) ** 2


def zcdp_epsilon(sigma: float, sensitivity: float, k: int, delta: float) -> float:
    """epsilon of k adaptively composed Gaussian mechanisms (L2 sensitivity, noise std sigma) at this delta."""
    rho = k * sensitivity**2 / (2.0 * sigma**2)
    return rho + 2.0 * math.sqrt(rho * math.log(1.0 / delta))


def gaussian_sigma(epsilon: float, delta: float, sensitivity: float, k: int) -> float:
    """Noise std that makes k Gaussian releases of this sensitivity (epsilon, delta)-DP (zCDP composition)."""
    return sensitivity * math.sqrt(k / (2.0 * zcdp_rho(epsilon, delta)))


def max_participations(rounds: int, per_round: int, n_clients: int) -> int:
    """k: the most updates one client sends under the permutation schedule (one per permutation touched)."""
    return math.ceil(rounds * min(per_round, n_clients) / n_clients)


def schedule(rng: np.random.Generator, rounds: int, per_round: int, n_clients: int) -> list[np.ndarray]:
    """Client indices per round: consecutive chunks of concatenated random permutations of all clients."""
    m = min(per_round, n_clients)
    passes = math.ceil(rounds * m / n_clients)
    order = np.concatenate([rng.permutation(n_clients) for _ in range(passes)])
    return [order[r * m:(r + 1) * m] for r in range(rounds)]


def local_update(theta: np.ndarray, x: np.ndarray, y: np.ndarray, steps: int, lr: float) -> np.ndarray:
    """``steps`` full-batch gradient steps of softmax regression from ``theta`` (rows: [weights | bias])."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    onehot = np.eye(theta.shape[0])[y]
    local = theta.copy()
    for _ in range(steps):
        probs = _torch_head.softmax(xb @ local.T)
        local -= lr * (probs - onehot).T @ xb / len(x)
    return local - theta


def clip(update: np.ndarray, norm: float) -> np.ndarray:
    """Scale ``update`` onto the L2 ball of radius ``norm`` when it is longer."""
    length = float(np.linalg.norm(update))
    return update if length <= norm else update * (norm / length)


def client_groups(records: Sequence[Record], client_key: str) -> list[np.ndarray]:
    """Record indices per client, clients in first-appearance order."""
    if client_key == "record":
        return [np.array([i]) for i in range(len(records))]
    groups: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        groups.setdefault(group_key(record), []).append(index)
    return [np.array(rows) for rows in groups.values()]


@register("trainer", "dp_fedavg")
@dataclass
class DPFedAvg(Trainer):
    """Federated averaging with local (epsilon, delta)-DP per client; see the module docstring."""

    neighbouring: ClassVar[str] = "replace_one"

    epsilon: float | None = None  # required; None only so that a missing value gets a clear ConfigError
    delta: float = 1e-5
    rounds: int = 20
    clients_per_round: int = 50
    local_steps: int = 10
    lr: float = 2.0
    clip_norm: float = 1.0
    client_key: str = "author"
    features: str = "minilm"

    def __post_init__(self) -> None:
        check_epsilon(self.epsilon)
        check_open_unit("delta", self.delta)
        for name in ("rounds", "clients_per_round", "local_steps"):
            check_int(name, getattr(self, name), 1)
        check_positive("lr", self.lr)
        check_positive("clip_norm", self.clip_norm)
        if self.client_key not in CLIENT_KEYS:
            raise ConfigError(f"dp_fedavg: client_key must be one of {CLIENT_KEYS}, got {self.client_key!r}")
        if self.features not in _torch_head.FEATURES:
            raise ConfigError(f"dp_fedavg: features must be one of {_torch_head.FEATURES}, got {self.features!r}")

    @property
    def privacy_unit(self) -> str:
        """The client: an author (``client_key="author"``) or a record."""
        return self.client_key

    @property
    def uses_embeddings(self) -> bool:
        """Whether the features need MiniLM (the runner then embeds the dataset once before the workers start)."""
        return "minilm" in self.features

    def fit(self, records: Sequence[Record], *, seed: int | None = None,
            labels: Sequence[str] | None = None) -> _torch_head.EmbeddingHead:
        """Run the simulated protocol on every public label; ``seed=None`` draws noise from OS entropy."""
        public = public_label_set(labels, mechanism="dp_fedavg")
        if not records:
            raise DataError("dp_fedavg: cannot fit on zero records")
        check_record_labels(records, public, mechanism="dp_fedavg")
        index = {label: i for i, label in enumerate(public)}
        x = _torch_head.featurize([r.text for r in records], self.features).astype(np.float64)
        y = np.array([index[r.label] for r in records], dtype=np.int64)
        clients = client_groups(records, self.client_key)
        k = max_participations(self.rounds, self.clients_per_round, len(clients))
        sigma = gaussian_sigma(float(self.epsilon), self.delta, 2.0 * self.clip_norm, k)
        theta = self._run(x, y, clients, sigma, len(public), np.random.default_rng(seed))
        self.participations_, self.noise_std_ = k, sigma
        self.spent_epsilon_ = zcdp_epsilon(sigma, 2.0 * self.clip_norm, k, self.delta)
        if self.spent_epsilon_ > float(self.epsilon) * (1 + 1e-9):  # sigma solves for the requested epsilon
            raise RuntimeError("dp_fedavg: the noise calibration spends more than the requested epsilon")
        self.epsilon_ = float(self.epsilon)  # declared: the request (the accountant's value equals it up to rounding)
        self.delta_ = float(self.delta)
        return _torch_head.EmbeddingHead(weights=[theta[:, :-1]], biases=[theta[:, -1]], classes_=list(public),
                                         features=self.features)

    def _run(self, x: np.ndarray, y: np.ndarray, clients: list[np.ndarray], sigma: float, n_classes: int,
             rng: np.random.Generator) -> np.ndarray:
        """The rounds: local training, clipping and noise on each client, averaging on the server."""
        theta = np.zeros((n_classes, x.shape[1] + 1))
        for chosen in schedule(rng, self.rounds, self.clients_per_round, len(clients)):
            total = np.zeros_like(theta)
            for c in chosen:
                rows = clients[c]
                update = clip(local_update(theta, x[rows], y[rows], self.local_steps, self.lr), self.clip_norm)
                total += update + rng.normal(0.0, sigma, size=theta.shape)  # noised on the client
            theta = theta + total / len(chosen)
        return theta
