"""Suite -> cells -> results/runs/<suite>/<cell-id>.json.

A cell is (dataset, mechanism, evaluator, seed); its id hashes the fully resolved specs, the dataset's content
hash, the split settings and the mhprivbench version, so a changed input gives a new cell and an unchanged one is
skipped (resume). Files are written atomically.

Seeds: the splits use the suite seed itself, so ``corpus.split(seed=s)`` in a notebook gives the splits of seed s
of a suite (and every mechanism on a dataset and seed is scored on the same records). Every other random choice
derives from (suite seed, cell id) in two separate streams: ``mechanism_seed`` for the mechanism's noise (the
release and any retraining through ``retrain``) and ``attack_seed`` for the evaluator (reference classifier,
bootstraps, attacks), so attack randomness never shares draws with the mechanism's noise.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import platform
import re
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from mhprivbench import __version__
from mhprivbench.datasets.corpus import Corpus
from mhprivbench.errors import DatasetNotFoundError, MhPrivBenchError
from mhprivbench.evaluator import Evaluator
from mhprivbench.group_privacy import author_level, max_contribution
from mhprivbench.mechanisms import release as make_release
from mhprivbench.results import (
    ComponentRef,
    DatasetRef,
    ReleaseRef,
    Result,
    check_out_folder,
    heal_runs,
    write_result,
)
from mhprivbench.specs import ComponentSpec, EvaluatorEntry, Suite
from mhprivbench.types import Release, Splits

_VERSIONED = ("mhprivbench", "numpy", "pandas", "scikit-learn", "scipy", "diffprivlib", "torch", "opacus", "transformers",
              "sentence-transformers", "presidio-analyzer", "spacy", "sdv", "sdmetrics", "anonymeter")  # read from package metadata, never imported
_SEEDING = "splits=suite-seed; streams=mechanism,attack"  # part of the cell id: another scheme, other numbers


def derive_seed(*parts: Any) -> int:
    """A 32-bit seed from any JSON-able parts (stable across processes and Python versions)."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).digest()
    return int.from_bytes(digest[:4], "little")


@dataclass(frozen=True)
class Cell:
    suite: str
    dataset: ComponentSpec
    dataset_hash: str
    mechanism: ComponentSpec
    evaluator: dict[str, Any]
    split: dict[str, Any]
    seed: int

    @property
    def cell_id(self) -> str:
        identity = [self.dataset.key(), self.dataset_hash, self.mechanism.key(), self.evaluator, self.split,
                    self.seed, __version__, _SEEDING]  # a new release of the metrics code never reuses old cells
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:20]

    @property
    def mechanism_seed(self) -> int:
        """Seed of the mechanism's randomness (DP noise, sampling), also used by ``retrain``."""
        return derive_seed("mechanism", self.seed, self.cell_id)

    @property
    def attack_seed(self) -> int:
        """Seed of the evaluator's randomness (reference classifier, bootstraps, attacks)."""
        return derive_seed("attack", self.seed, self.cell_id)


@dataclass
class Plan:
    cells: list[Cell]
    corpora: dict[str, Corpus]  # dataset spec key -> corpus
    skipped_datasets: list[str] = field(default_factory=list)  # one-line reasons


def load_corpora(suite: Suite) -> tuple[list[tuple[ComponentSpec, Corpus]], list[str]]:
    from mhprivbench.datasets.io import paths_relative_to

    loaded, skipped = [], []
    for spec, skip_if_missing in suite.dataset_specs():
        try:
            with paths_relative_to(suite.folder):  # a relative dataset path is next to the suite file
                corpus = spec.build().load()
        except DatasetNotFoundError as error:
            if not skip_if_missing:
                raise
            skipped.append(f"skipping dataset {spec.label()}: {error}")
            continue
        loaded.append((spec.resolved(), corpus))
    return loaded, skipped


def plan_suite(suite: Suite) -> Plan:
    corpora, skipped = load_corpora(suite)
    evaluator = suite.evaluator.model_dump()
    split = suite.split.model_dump()
    mechanisms = [(spec.resolved(), only) for spec, only in suite.mechanism_plan()]
    cells = [Cell(suite.name, dataset, corpus.content_hash, mechanism, evaluator, split, seed)
             for dataset, corpus in corpora for mechanism, only in mechanisms if only is None or corpus.name in only
             for seed in suite.seeds]
    return Plan(cells=cells, corpora={spec.key(): corpus for spec, corpus in corpora}, skipped_datasets=skipped)


# --- executing one cell (in a worker process) ---------------------------------------------------------

_WORKER_CORPORA: dict[str, Corpus] = {}
_SPLITS_CACHE: dict[tuple[str, str, int], Splits] = {}


def _init_worker(corpora: dict[str, Corpus], parent: int | None = None) -> None:
    _WORKER_CORPORA.clear()
    _WORKER_CORPORA.update(corpora)
    if parent is not None:
        _watch_parent(parent)


def _watch_parent(parent: int, interval: float = 1.0) -> None:
    """End this worker process once the main process is gone (e.g. killed with SIGKILL, which leaves pool
    workers running otherwise): a daemon thread compares ``os.getppid()`` with the parent's pid."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="mhprivbench-parent-watch", daemon=True).start()


def _splits_for(cell: Cell) -> Splits:
    """``corpus.split(seed=cell.seed, **split settings)``: exactly what a notebook gets for that seed."""
    key = (cell.dataset.key(), cell.dataset_hash, json.dumps(cell.split, sort_keys=True), cell.seed)
    if key not in _SPLITS_CACHE:
        _SPLITS_CACHE[key] = _WORKER_CORPORA[cell.dataset.key()].split(seed=cell.seed, **cell.split)
    return _SPLITS_CACHE[key]


def build_evaluator(settings: dict[str, Any]) -> Evaluator:
    """The Evaluator of a cell's evaluator settings (``EvaluatorEntry.model_dump()``): its own fields by name, and
    every other key as an attack's parameters."""
    known = set(EvaluatorEntry.model_fields)
    return Evaluator(**{k: v for k, v in settings.items() if k in known},
                     attack_params={k: v for k, v in settings.items() if k not in known})


def run_cell(cell: Cell) -> Result:
    started = time.perf_counter()
    corpus = _WORKER_CORPORA[cell.dataset.key()]
    splits = _splits_for(cell)
    mechanism_seed = cell.mechanism_seed
    release = make_release(cell.mechanism.build(), splits.train, seed=mechanism_seed, labels=splits.labels)
    release_seconds = time.perf_counter() - started

    def retrain(records, seed=None):
        """The mechanism on other records; ``seed`` (e.g. a reference model's index) names an independent draw of
        the mechanism's randomness, derived from the cell's mechanism seed (None: the release's own seed)."""
        own = mechanism_seed if seed is None else derive_seed("retrain", mechanism_seed, seed)
        return make_release(cell.mechanism.build(), records, seed=own, labels=splits.labels)

    evaluation = build_evaluator(cell.evaluator).evaluate(release, splits, seed=cell.attack_seed, retrain=retrain)
    return Result(
        run_id=cell.cell_id, suite=cell.suite, seed=cell.seed, evaluator=cell.evaluator,
        dataset=DatasetRef(name=corpus.name, params=cell.dataset.params,  # the loader's name (generic: `name`)
                           revision=corpus.metadata.get("revision"), sha256=cell.dataset_hash, sizes=splits.sizes()),
        mechanism=ComponentRef(**cell.mechanism.model_dump()),
        release=release_ref(release, splits),
        scores={name: score.as_dict() for name, score in sorted(evaluation.scores.items())},
        not_applicable=evaluation.not_applicable, warnings=evaluation.warnings,
        timings={"release": release_seconds, **evaluation.timings, "total": time.perf_counter() - started},
        versions=package_versions(),
    )


def release_ref(release: Release, splits: Splits) -> ReleaseRef:
    """The release's summary for the result file, with the author-level guarantee its declared one implies."""
    k = max_contribution(splits.train)
    epsilon_author, delta_author = None, None
    if release.epsilon is not None and release.privacy_unit == "author":
        epsilon_author, delta_author = release.epsilon, release.delta
    elif release.epsilon is not None and k >= 1:  # record level (an undeclared unit is treated as a record)
        epsilon_author, delta_author = author_level(release.epsilon, release.delta, k)
    return ReleaseRef(
        kind=release.kind, epsilon=release.epsilon, delta=release.delta,
        n_records=_n_released(release),
        neighbouring=release.neighbouring, privacy_unit=release.privacy_unit, max_contribution=k,
        epsilon_author=epsilon_author, delta_author=delta_author,
    )


def _n_released(release: Release) -> int | None:
    """How many records (or table rows) the release holds; None for a model."""
    if release.records is not None:
        return len(release.records)
    return len(release.table) if release.table is not None else None


def package_versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


# --- executing a plan -----------------------------------------------------------------------------------

def cell_path(out: Path, cell: Cell) -> Path:
    return out / "runs" / cell.suite / f"{cell.cell_id}.json"


def _execute(pending: list[Cell], corpora: dict[str, Corpus], jobs: int) -> Iterator[tuple[Cell, Result | Exception]]:
    if jobs <= 1 or len(pending) <= 1:
        _init_worker(corpora)
        for cell in pending:
            try:
                yield cell, run_cell(cell)
            except Exception as error:  # reported per cell; the others still run
                yield cell, error
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                             initargs=(corpora, os.getpid())) as pool:
        futures = {pool.submit(run_cell, cell): cell for cell in pending}
        for future in as_completed(futures):
            error = future.exception()
            yield futures[future], error if error is not None else future.result()


@dataclass
class RunSummary:
    done: int
    skipped: int
    failed: list[str]
    quarantined: list[str] = field(default_factory=list)  # one warning line per bad result file moved aside


def prepare_out(plan: Plan, out: Path) -> list[str]:
    """Check OUT before any cell is computed and heal each suite's runs folder: bad result files are moved to
    ``.quarantine/`` (so their cells are recomputed); returns one warning line per moved file."""
    warnings: list[str] = []
    for suite in sorted({cell.suite for cell in plan.cells}):
        runs = out / "runs" / suite
        check_out_folder(out, runs)
        warnings += heal_runs(runs, suite)
    return warnings


def run_plan(plan: Plan, out: str | Path, *, jobs: int = 1, force: bool = False,
             on_progress: Callable[[int, int], None] | None = None,
             on_cell: Callable[[Cell, Result | Exception], None] | None = None) -> RunSummary:
    """Run the cells not yet in ``out``; per finished cell: ``on_progress(done, total)``, ``on_cell(cell, outcome)``."""
    out = Path(out)
    quarantined = prepare_out(plan, out)
    pending = [c for c in plan.cells if force or not cell_path(out, c).exists()]
    from mhprivbench.embeddings import warm_for_cells  # embed each dataset once, here, not in every worker

    warm_for_cells(pending, plan.corpora)
    failed: list[str] = []
    for index, (cell, outcome) in enumerate(_execute(pending, plan.corpora, jobs), start=1):
        if isinstance(outcome, Exception):
            failed.append(f"cell {cell.cell_id} ({cell.dataset.name} / {cell.mechanism.label()} / seed "
                          f"{cell.seed}): {describe_failure(outcome)}")
        else:
            write_result(outcome, cell_path(out, cell))
        if on_progress:
            on_progress(index, len(pending))
        if on_cell:
            on_cell(cell, outcome)
    return RunSummary(done=len(pending) - len(failed), skipped=len(plan.cells) - len(pending), failed=sorted(failed),
                      quarantined=quarantined)


def describe_failure(error: BaseException) -> str:
    """One line about a failed cell. Messages of mhprivbench's own errors never quote data and are shown; any
    other exception (a library or a plugin) may quote record text, so only its type and where it was raised are
    shown, unless MHPRIVBENCH_DEBUG=1 asks for the message."""
    if isinstance(error, MhPrivBenchError) or os.environ.get("MHPRIVBENCH_DEBUG") == "1":
        lines = str(error).splitlines()
        return f"{type(error).__name__}: {lines[0][:300] if lines else ''}"
    return f"{type(error).__name__}{_raised_at(error)} (message withheld, it may quote data: MHPRIVBENCH_DEBUG=1 shows it)"


def _raised_at(error: BaseException) -> str:
    remote = str(error.__cause__) if error.__cause__ is not None else ""  # a worker's formatted traceback
    found = re.findall(r'File "([^"]+)", line (\d+)', remote)
    if found:
        return f" at {Path(found[-1][0]).name}:{found[-1][1]}"
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    return f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
