"""Dataset cards: Markdown files with YAML front matter (provenance, size, labels, PII, intended use) + prose.

Where cards live: ``$MHPRIVBENCH_CARDS`` (folders separated by ``os.pathsep``, for your own datasets' cards),
then ``datasets_cards/`` at the repository root (the canonical copies: a checkout or an editable install), then
``mhprivbench/datasets/cards/`` inside the package (what ``pyproject.toml`` ships as package data, for a wheel built
after copying the canonical files there). The first folder holding ``<name>.md`` wins.

``sha256`` in a card is either a mapping file name -> sha256 (real data: checked against the files the loader
actually read) or one string (generated data: checked against ``Corpus.content_hash`` of the default params).
``size`` and ``labels`` (label -> count) describe the default load and are checked only for a default load
(``corpus.metadata["default_variant"]``, else ``metadata["params"]`` against the plugin defaults). The keys of
``labels`` are also the task's public label set (``declared_labels``): loaders of real datasets read it from the
card (``Corpus.declared_labels``), so DP mechanisms never learn the label set from the private records.

A loader card (``kind: loader``, e.g. ``generic``) describes a loader that reads data you bring: it documents
parameters instead of checksums, sizes and label counts, so ``list_cards()`` (the data cards, checked against their
data) leaves it out; ``load_card`` and ``render_card`` read it like any other.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from mhprivbench.errors import ConfigError, DataError

if TYPE_CHECKING:
    from mhprivbench.datasets.corpus import Corpus

CARDS_ENV = "MHPRIVBENCH_CARDS"
REQUIRED_KEYS = ("name", "source", "revision", "sha256", "license", "access", "size", "labels", "author_column",
                 "pii_present", "crisis_label", "intended_use", "citation")
LOADER = "loader"  # ``kind`` of a card that documents a bring-your-own-data loader


def card_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(CARDS_ENV, "").split(os.pathsep) if p]
    here = Path(__file__).resolve().parent
    return [*extra, here.parents[1] / "datasets_cards", here / "cards"]


def _card_paths() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in card_dirs():
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            if path.stem.lower() != "readme":
                found.setdefault(path.stem, path)
    return found


def load_card(name: str) -> dict[str, Any]:
    """Front matter keys plus ``prose`` (the Markdown body). ConfigError naming ``name`` when there is none."""
    paths = _card_paths()
    if name not in paths:
        raise ConfigError(f"no dataset card named {name!r} (known: {', '.join(sorted(paths)) or 'none'})")
    return parse_card(paths[name])


def parse_card(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    parts = text.split("\n---\n", 1) if text.startswith("---\n") else []
    if len(parts) != 2:
        raise DataError(f"{path}: a card starts with YAML front matter between two '---' lines")
    try:
        front = yaml.safe_load(parts[0][4:])
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise DataError(f"{path}: malformed YAML front matter{where}") from None
    if not isinstance(front, dict):
        raise DataError(f"{path}: the front matter must be a YAML mapping")
    return {**front, "prose": parts[1].strip()}


def is_loader_card(card: Mapping[str, Any]) -> bool:
    return card.get("kind") == LOADER


def list_cards(*, loaders: bool = False) -> list[dict[str, Any]]:
    """The data cards (with ``loaders=True``: the loader cards instead)."""
    cards = [parse_card(path) for _, path in sorted(_card_paths().items())]
    return [card for card in cards if is_loader_card(card) == loaders]


def declared_labels(name: str) -> tuple[str, ...] | None:
    """The public label set the card of ``name`` declares (``labels:``, a mapping label -> count or a list), in
    the card's order; None when there is no card. DataError when the card's ``labels`` is not such a collection."""
    path = _card_paths().get(name)
    card = parse_card(path) if path is not None else None
    if card is None or is_loader_card(card):
        return None
    labels = card.get("labels")
    if not isinstance(labels, Mapping | list) or len(labels) < 2:
        raise DataError(f"{path}: 'labels' must list the task's labels (a mapping label -> count, or a list of at "
                        "least 2 labels)")
    return tuple(str(label) for label in labels)


# --- validation -----------------------------------------------------------------------------------------------

def validate_card(card: Mapping[str, Any], corpus: Corpus) -> list[str]:
    """Problems found comparing the card with a loaded corpus (empty list: the card describes this data)."""
    problems = [f"card lacks key {key!r}" for key in REQUIRED_KEYS if key not in card]
    if card.get("name") != corpus.name:
        problems.append(f"card is for {card.get('name')!r}, corpus is {corpus.name!r}")
    default = is_default_load(card, corpus)
    expected = card.get("sha256")
    if isinstance(expected, Mapping):
        problems += _check_files(expected, corpus)
    elif isinstance(expected, str) and expected:
        if default and expected != corpus.content_hash:
            problems.append(f"content hash mismatch: corpus {corpus.content_hash}, card {expected}")
    else:
        problems.append("card has no sha256")
    if default:
        problems += _check_shape(card, corpus)
    return problems


def _check_files(expected: Mapping[str, str], corpus: Corpus) -> list[str]:
    files = corpus.metadata.get("files") or {}
    if not files:
        return ["corpus metadata names no source files to check the card's sha256 against"]
    problems = []
    for name, sha in sorted(files.items()):
        if name not in expected:
            problems.append(f"file {name} is not listed in the card's sha256")
        elif expected[name] != sha:
            problems.append(f"sha256 mismatch for {name}: data {sha}, card {expected[name]}")
    return problems


def _check_shape(card: Mapping[str, Any], corpus: Corpus) -> list[str]:
    problems = []
    stats = corpus.stats()
    if card.get("size") != stats["rows"]:
        problems.append(f"row count: data has {stats['rows']}, card says {card.get('size')}")
    labels = card.get("labels")
    expected = dict(labels) if isinstance(labels, Mapping) else dict.fromkeys(labels or [])
    if set(expected) != set(stats["labels"]):
        missing, extra = set(expected) - set(stats["labels"]), set(stats["labels"]) - set(expected)
        problems.append(f"label set differs: {len(missing)} card labels absent from data, "
                        f"{len(extra)} data labels absent from card")
    else:
        wrong = [k for k, v in expected.items() if v is not None and v != stats["labels"][k]]
        if wrong:
            problems.append(f"label counts differ for {len(wrong)} labels, e.g. {wrong[0]!r}: "
                            f"data {stats['labels'][wrong[0]]}, card {expected[wrong[0]]}")
    if card.get("crisis_label") != corpus.crisis_label:
        problems.append(f"crisis_label: corpus {corpus.crisis_label!r}, card {card.get('crisis_label')!r}")
    return problems


def is_default_load(card: Mapping[str, Any], corpus: Corpus) -> bool:
    """Whether the corpus was loaded with the parameters the card's size/labels/hash describe."""
    if "default_variant" in corpus.metadata:
        return bool(corpus.metadata["default_variant"])
    params = corpus.metadata.get("params")
    if not isinstance(params, Mapping):
        return True
    from mhprivbench.registry import get

    try:
        cls = get("dataset", str(card.get("name")))
    except ConfigError:
        return True
    defaults = {f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}
    return all(params.get(key, value) == value for key, value in defaults.items() if key != "path")


# --- rendering ------------------------------------------------------------------------------------------------

def render_card(name: str, corpus: Corpus | None = None) -> str:
    """The card as Markdown, followed by statistics computed from ``corpus`` (aggregates only) when given."""
    card = load_card(name)
    front = {k: v for k, v in card.items() if k != "prose"}
    lines = [f"# Dataset card: {name}", "", "```yaml",
             yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=110).rstrip(), "```", "",
             card["prose"]]
    if corpus is not None:
        lines += ["", *computed_statistics(corpus)]
    return "\n".join(lines) + "\n"


def computed_statistics(corpus: Corpus) -> list[str]:
    stats = corpus.stats()
    labels = ", ".join(f"{label} {count}" for label, count in
                       sorted(stats["labels"].items(), key=lambda item: (-item[1], item[0])))
    spans = ", ".join(f"{entity} {count}" for entity, count in stats["pii_spans"].items()) or "none"
    return [
        "## Computed statistics", "",
        f"- rows: {stats['rows']}",
        f"- labels ({len(stats['labels'])}): {labels}",
        f"- authors: {stats['authors']}",
        f"- personas: {stats['personas']}",
        f"- ground-truth PII spans per type: {spans}",
        f"- crisis label: {corpus.crisis_label or 'none'}",
        f"- sha256 of the source: {corpus.metadata.get('sha256', 'n/a')}",
        f"- content hash: {corpus.content_hash}",
    ]
