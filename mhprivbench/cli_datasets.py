"""``mhprivbench datasets``: list the dataset cards, or show one with statistics computed from the data.

Wire it into the main app with ``app.add_typer(datasets_app, name="datasets")``. Exit codes: 0 fine, 1 the data
does not match its card, 2 bad input (unknown name, unreadable data) with a one-line error on stderr.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from mhprivbench.errors import MhPrivBenchError

datasets_app = typer.Typer(
    help="Dataset cards: list them (no subcommand) or show one with statistics computed from the data.",
    invoke_without_command=True,
    no_args_is_help=False,
)
console = Console()
errors = Console(stderr=True)


def _fail(error: Exception) -> typer.Exit:
    errors.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(2)


def data_location(card: Mapping[str, Any]) -> str:
    """Where the card's data is found locally: a folder, 'generated', or 'not found'."""
    from mhprivbench.datasets.io import resolve_files

    folder, hashes = card.get("folder"), card.get("sha256")
    if not folder:
        return "generated"
    files = list(hashes) if isinstance(hashes, Mapping) else []
    if not files:
        return "unknown (the card lists no files)"
    try:
        return str(resolve_files(str(folder), files, None, dataset=str(card.get("name")))[0].parent)
    except MhPrivBenchError:
        return "not found"


@datasets_app.callback()
def list_datasets(ctx: typer.Context) -> None:
    """List the dataset cards: name, rows, labels, license, and whether the data is found locally."""
    if ctx.invoked_subcommand is not None:
        return
    from mhprivbench.datasets.cards import list_cards

    try:
        cards = list_cards()
    except MhPrivBenchError as error:
        raise _fail(error) from None
    loaders = ", ".join(str(card.get("name")) for card in list_cards(loaders=True))
    table = Table(title="Datasets", caption=f"your own data: {loaders} (mhprivbench datasets show NAME)" if loaders else None)
    for column in ("name", "rows", "labels", "crisis label", "license", "data"):
        table.add_column(column, overflow="fold")
    for card in cards:
        labels = card.get("labels") or {}
        table.add_row(str(card.get("name")), str(card.get("size")), str(len(labels)),
                      str(card.get("crisis_label") or "-"), str(card.get("license", "")).split(" (")[0],
                      data_location(card))
    console.print(table)


@datasets_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="dataset name, as listed by `mhprivbench datasets`")],
    path: Annotated[str | None, typer.Option("--path", help="folder (or file) holding the data")] = None,
) -> None:
    """Print a dataset card with statistics computed from the data and the validation verdict."""
    from mhprivbench.datasets.cards import load_card, render_card, validate_card
    from mhprivbench.registry import create

    try:
        card = load_card(name)
        if card.get("kind") == "loader":  # documents parameters; there is no data to check
            console.print(Markdown(render_card(name)))
            return
        if path is None and data_location(card) == "not found":
            console.print(Markdown(render_card(name)))
            console.print("verdict: not checked, the data is not found locally (pass --path or set "
                          "$MHPRIVBENCH_DATA)", markup=False)
            return
        corpus = create("dataset", name, **({"path": path} if path is not None else {})).load()
        problems = validate_card(card, corpus)
        console.print(Markdown(render_card(name, corpus)))
    except MhPrivBenchError as error:
        raise _fail(error) from None
    if problems:
        console.print(f"verdict: {len(problems)} problem(s): the data does not match its card", markup=False)
        for problem in problems:
            console.print(f"  - {problem}", markup=False, highlight=False)
        raise typer.Exit(1)
    console.print("verdict: OK, the data matches its card (sha256, rows, labels)", markup=False)
