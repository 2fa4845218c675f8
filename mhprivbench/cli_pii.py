"""``mhprivbench evaluate-pii`` and ``mhprivbench anonymize``: PII detection quality on your own annotations, and
anonymizing your own CSV / JSONL file with any registered anonymizer.

Wire them into the main app with ``add_pii_commands(app)``. Bad input (unknown method, parameter, operator or
entity type, a malformed gold or input file, a missing column) ends with a one-line ``error: ...`` and exit code 2;
nothing here prints raw text or the surface string of a span: only counts and rates.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from mhprivbench.errors import ConfigError, DataError, clip

console = Console()
errors = Console(stderr=True)
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def parse_params(pairs: list[str] | None) -> dict[str, Any]:
    """``["k=v", ...]`` -> {k: v}, each value read as a YAML scalar or flow list (``entities=[PERSON,URL]``)."""
    import yaml

    params: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(f"--param {clip(pair)}: expected KEY=VALUE, e.g. operator=mask")
        try:
            params[key] = yaml.safe_load(raw) if raw.strip() else raw
        except yaml.YAMLError:
            raise ConfigError(f"--param {clip(key)}: cannot read the value {clip(raw)}") from None
    return params


def build_anonymizer(method: str, pairs: list[str] | None) -> Any:
    from mhprivbench.registry import create

    return create("anonymizer", method, **parse_params(pairs))


# ------------------------------------------------------------------------------------------------- evaluate-pii

def evaluate_pii(
    method: Annotated[str, typer.Option("--method", help="registered anonymizer, e.g. regex")],
    gold: Annotated[Path | None, typer.Option("--gold", help='JSONL: {"text": ..., "spans": [{"start", "end", '
                                              '"entity"}]}')] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", help="instead of --gold: a registered dataset with "
                                                "ground-truth spans, e.g. synthmh (default parameters)")] = None,
    n_docs: Annotated[int, typer.Option("--n-docs", min=1, help="with --dataset: its first N records")] = 300,
    param: Annotated[list[str] | None, typer.Option("--param", help="KEY=VALUE parameter of the method (repeatable)")] = None,
    entity_map: Annotated[list[str] | None, typer.Option("--entity-map", help="FROM=TO: rename an entity type on both "
                                                         "sides before scoring; TO=O drops it (repeatable)")] = None,
    iou: Annotated[float, typer.Option("--iou", help="span match: IoU at least this (0: any overlap)")] = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Precision, recall and F2 of METHOD's detections against gold spans, type-agnostic and per type, at span
    level (IoU >= --iou) and token level (Presidio evaluator definitions), and docs per second."""
    from mhprivbench.identifiers import ENTITY_KINDS
    from mhprivbench.pii_eval import evaluate_detector, parse_entity_map

    detector = build_anonymizer(method, param)
    docs = _gold_docs(gold, dataset, n_docs)
    known = {s.entity for d in docs for s in d.spans} | set(ENTITY_KINDS) | set(getattr(detector, "active_entities", ()))
    mapping = parse_entity_map(entity_map or [], known)
    if not 0 <= iou <= 1:
        raise ConfigError(f"--iou must be between 0 and 1, got {iou}")
    report = {"method": method, "params": parse_params(param), "gold": str(gold) if gold else f"dataset:{dataset}",
              **evaluate_detector(detector, docs, iou_threshold=iou, entity_map=mapping)}
    if as_json:
        print(json.dumps(report, indent=2, default=str))
        return
    _print_report(report)


def _gold_docs(gold: Path | None, dataset: str | None, n_docs: int) -> list:
    from mhprivbench.pii_eval import docs_from_records, load_gold

    if (gold is None) == (dataset is None):
        raise ConfigError("give exactly one of --gold FILE and --dataset NAME")
    if gold is not None:
        return load_gold(gold)
    from mhprivbench.registry import create

    records = create("dataset", dataset).load().records[:n_docs]
    if not any(r.spans for r in records):
        raise DataError(f"dataset {clip(dataset)} has no ground-truth spans in its first {n_docs} records")
    return docs_from_records(records)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _print_report(report: dict[str, Any]) -> None:
    console.print(f"{report['method']} on {report['docs']} documents: {report['gold_spans']} gold spans, "
                  f"{report['predicted_spans']} predicted; {report['docs_per_second']} docs/s; span match: IoU >= "
                  f"{report['iou_threshold']}", markup=False, highlight=False, soft_wrap=True)
    for level in ("span", "token"):
        table = Table(title=f"{level} level")
        for column in ("entity", "precision", "recall", "F2", "TP", "FP", "FN"):
            table.add_column(column, justify="left" if column == "entity" else "right")
        rows = [("all (type-agnostic)", report[level]["all"]), *report[level]["per_type"].items()]
        for name, s in rows:
            table.add_row(name, _fmt(s["precision"]), _fmt(s["recall"]), _fmt(s["f2"]), str(s["tp"]), str(s["fp"]),
                          str(s["fn"]))
        console.print(table)


# ------------------------------------------------------------------------------------------------- anonymize

def anonymize(
    source: Annotated[Path, typer.Argument(metavar="IN", help="input CSV or JSONL file")],
    target: Annotated[Path, typer.Argument(metavar="OUT", help="output file (same format; written atomically)")],
    method: Annotated[str, typer.Option("--method", help="registered anonymizer, e.g. regex")],
    param: Annotated[list[str] | None, typer.Option("--param", help="KEY=VALUE parameter of the method (repeatable)")] = None,
    text_column: Annotated[str, typer.Option("--text-column", help="column / key holding the text")] = "text",
    file_format: Annotated[str | None, typer.Option("--format", help="csv or jsonl (default: from IN's suffix)")] = None,
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help="rows per batch")] = 1000,
    seed: Annotated[int | None, typer.Option("--seed", help="seed of the rewrite (default: fresh randomness)")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
) -> None:
    """Rewrite the text column of IN with METHOD and write OUT (other columns unchanged), streaming in chunks;
    OUT appears only when every row is done."""
    anonymizer = build_anonymizer(method, param)
    kind = _format_of(source, file_format)
    if source.resolve() == target.resolve():
        raise ConfigError(f"{target}: OUT must differ from IN")
    if not source.is_file():
        raise DataError(f"{source}: input file not found")
    if not target.parent.is_dir():
        raise DataError(f"{target.parent}: output folder not found")
    rewrite_seed = secrets.randbits(63) if seed is None else seed
    reader = _csv_chunks if kind == "csv" else _jsonl_chunks
    counts: Counter = Counter()
    rows = 0
    with _progress(quiet) as progress, _atomic(target) as handle:
        task = progress.add_task("anonymizing", total=_estimate_rows(source))
        for i, chunk in enumerate(reader(source, text_column, chunk_size)):
            rows += chunk.rewrite(anonymizer, rewrite_seed, counts)
            chunk.write(handle, first=i == 0)
            progress.update(task, completed=rows)
    detected = ", ".join(f"{entity} {n}" for entity, n in sorted(counts.items())) or "none"
    errors.print(f"anonymized {rows} rows with {method} -> {target} (detected: {detected})", markup=False,
                 highlight=False, soft_wrap=True)


def _format_of(source: Path, file_format: str | None) -> str:
    if file_format is not None:
        if file_format not in ("csv", "jsonl"):
            raise ConfigError(f"--format must be csv or jsonl, got {clip(file_format)}")
        return file_format
    kind = FORMATS.get(source.suffix.lower())
    if kind is None:
        raise ConfigError(f"{source}: cannot tell the format from the suffix; use .csv or .jsonl, or --format")
    return kind


def _estimate_rows(source: Path) -> int | None:
    try:
        with source.open("rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) or None
    except OSError:
        return None


def _progress(quiet: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=errors, disable=quiet or not errors.is_terminal, transient=True)


class _atomic:
    """A temp file next to ``target``, renamed onto it on success and removed on any error."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __enter__(self):
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
        return self.handle

    def __exit__(self, kind, value, traceback) -> None:
        self.handle.close()
        if kind is None:
            os.replace(self.tmp, self.target)
        else:
            Path(self.tmp).unlink(missing_ok=True)


class _Chunk:
    """Rows of one batch and their texts; ``rewrite`` replaces the texts, ``write`` appends the rows."""

    def __init__(self, rows: Any, texts: list[str], writer) -> None:
        self.rows, self.texts, self.writer = rows, texts, writer

    def rewrite(self, anonymizer: Any, seed: int, counts: Counter) -> int:
        from mhprivbench.types import Record

        records = [Record(f"row{i}", text, "") for i, text in enumerate(self.texts)]
        detected = anonymizer.detect(self.texts)
        counts.update(span.entity for spans in detected for span in spans)
        self.texts = [r.text for r in anonymizer.rewrite(records, detected, seed=seed)]
        return len(self.texts)

    def write(self, handle, *, first: bool) -> None:
        self.writer(self, handle, first)


def _csv_chunks(source: Path, column: str, size: int) -> Iterator[_Chunk]:
    import pandas as pd

    def write(chunk: _Chunk, handle, first: bool) -> None:
        chunk.rows[column] = chunk.texts
        chunk.rows.to_csv(handle, index=False, header=first)

    try:
        for frame in pd.read_csv(source, dtype=str, keep_default_na=False, chunksize=size):
            if column not in frame.columns:
                names = ", ".join(clip(str(c), 40) for c in list(frame.columns)[:20])
                raise DataError(f"{source}: no column {clip(column)} (columns: {names}); use --text-column")
            yield _Chunk(frame, [str(t) for t in frame[column]], write)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise DataError(f"{source}: malformed CSV ({type(error).__name__})") from None


def _jsonl_chunks(source: Path, column: str, size: int) -> Iterator[_Chunk]:
    def write(chunk: _Chunk, handle, first: bool) -> None:
        for row, text in zip(chunk.rows, chunk.texts, strict=True):
            handle.write(json.dumps({**row, column: text}, ensure_ascii=False) + "\n")

    rows: list[dict] = []
    try:
        with source.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    rows.append(_jsonl_row(source, number, line, column))
                if len(rows) >= size:
                    yield _Chunk(rows, [r[column] for r in rows], write)
                    rows = []
    except UnicodeDecodeError:
        raise DataError(f"{source}: not UTF-8 text") from None
    if rows:
        yield _Chunk(rows, [r[column] for r in rows], write)


def _jsonl_row(source: Path, number: int, line: str, column: str) -> dict:
    from mhprivbench.pii_eval import json_object

    row = json_object(line, f"{source} line {number}")
    if column not in row:
        raise DataError(f"{source} line {number}: no key {clip(column)}; use --text-column")
    if not isinstance(row[column], str):
        raise DataError(f"{source} line {number}: {clip(column)} must be a string")
    return row


def add_pii_commands(app: typer.Typer) -> None:
    """Register ``evaluate-pii`` and ``anonymize`` on ``app`` (once)."""
    names = {command.name for command in app.registered_commands}
    if "evaluate-pii" not in names:
        app.command("evaluate-pii")(evaluate_pii)
    if "anonymize" not in names:
        app.command("anonymize")(anonymize)
