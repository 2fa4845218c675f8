"""The ``synthmh`` dataset plugin: a deterministic synthetic mental-health corpus with ground-truth PII."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from typing import Any

from mhprivbench.datasets.corpus import Corpus
from mhprivbench.datasets.synthmh import labels
from mhprivbench.datasets.synthmh.compose import Author
from mhprivbench.datasets.synthmh.persona import PersonaFactory, age_band
from mhprivbench.datasets.synthmh.posts import POST_KIND_WEIGHTS, POST_KINDS, write_post
from mhprivbench.datasets.synthmh.style import sample_style
from mhprivbench.registry import register
from mhprivbench.types import Persona, Record

GENERATOR_VERSION = "1.1.0"  # 1.1: street addresses are direct identifiers and unique per persona
MAX_PERSONAS = 1_000_000


def _check_int(name: str, value: Any, low: int, high: int = MAX_PERSONAS) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"synthmh: {name} must be an integer in [{low}, {high}], got {value!r}")


@register("dataset", "synthmh")
@dataclass
class SynthMH:
    """Synthetic peer-support posts, journal entries and intake answers by personas with known identities.

    n_personas authors write about ``posts_per_persona`` posts each (the count varies per author around that
    mean); ``n_decoys`` further personas sit in the registry without writing anything. ``label_noise`` is
    the share of posts whose label an annotator got wrong (to a confusable class).
    """

    n_personas: int = 400
    posts_per_persona: int = 6
    n_decoys: int = 400
    label_noise: float = 0.08
    seed: int = 0

    def __post_init__(self) -> None:
        _check_int("n_personas", self.n_personas, 4)
        _check_int("posts_per_persona", self.posts_per_persona, 1, 1000)
        _check_int("n_decoys", self.n_decoys, 0)
        _check_int("seed", self.seed, 0, 2**63 - 1)
        noise = self.label_noise
        if isinstance(noise, bool) or not isinstance(noise, int | float) or not 0 <= noise <= 0.5:
            raise ValueError(f"synthmh: label_noise must be a number in [0, 0.5], got {noise!r}")

    def load(self) -> Corpus:
        factory = PersonaFactory(random.Random(f"synthmh:{self.seed}:personas"))
        total = self.n_personas + self.n_decoys
        width = max(5, len(str(total - 1)))
        pids = [f"p{k:0{width}d}" for k in random.Random(f"synthmh:{self.seed}:pids").sample(range(total), total)]
        author_width = max(4, len(str(self.n_personas - 1)))
        rows: list[tuple[Any, ...]] = []
        personas: list[Persona] = []
        persona_of: dict[str, str] = {}
        for index in range(self.n_personas):
            persona, context = factory.make_identity(pids[index])
            rng = random.Random(f"synthmh:{self.seed}:author:{index}")
            author = Author(f"a{index:0{author_width}d}", persona, context, sample_style(rng),
                            labels.sample_profile(rng))
            rows.extend(self._posts(author, rng))
            personas.append(persona)
            persona_of[author.author_id] = persona.pid
        personas.extend(factory.make(pid) for pid in pids[self.n_personas:])
        random.Random(f"synthmh:{self.seed}:order").shuffle(rows)
        uid_width = max(6, len(str(len(rows) - 1)))
        records = tuple(Record(f"synthmh-{i:0{uid_width}d}", *row) for i, row in enumerate(rows))
        return Corpus(
            name="synthmh", records=records, personas=tuple(sorted(personas, key=lambda p: p.pid)),
            persona_of=persona_of, crisis_label=labels.CRISIS, declared_labels=labels.CONDITIONS,
            metadata={"revision": f"synthmh-{GENERATOR_VERSION}", "generator_version": GENERATOR_VERSION,
                      "params": dataclasses.asdict(self), "license": "CC0-1.0 (synthetic)", "synthetic": True},
        )

    def _posts(self, author: Author, rng: random.Random) -> list[tuple[Any, ...]]:
        """(text, label, author, group, fields, spans) for each post of one author."""
        mean = self.posts_per_persona
        spread = min(3, mean - 1)
        attrs = author.persona.attributes
        group = {"gender": attrs["gender"], "age_band": age_band(int(attrs["age"]))}
        rows = []
        for _ in range(rng.randint(mean - spread, mean + spread)):
            condition = labels.post_condition(author.profile, rng)
            phq9, gad7 = labels.scores(condition, rng)
            kind = rng.choices(POST_KINDS, POST_KIND_WEIGHTS)[0]
            text, spans = write_post(author, kind, condition, rng, phq9, gad7)
            fields = {**group, "phq9": phq9, "gad7": gad7, "post_kind": kind}
            rows.append((text, labels.noisy_label(condition, self.label_noise, rng), author.author_id,
                         group, fields, spans))
        return rows
