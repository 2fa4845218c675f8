"""``mhprivbench cache info|purge``: where the content-addressed cache is, what it holds, and deleting it.

Wire it into the main app with ``app.add_typer(cache_app, name="cache")``. The cache holds vectors derived from
record text (embeddings) under hashed keys, never the text itself.
"""

from __future__ import annotations

import typer
from rich.console import Console

cache_app = typer.Typer(help="The content-addressed cache of embeddings ($MHPRIVBENCH_CACHE or ~/.cache/mhprivbench).",
                        no_args_is_help=True)
console = Console()


def _size(n_bytes: int) -> str:
    """Bytes in human units (KiB, MiB, ...)."""
    size, unit = float(n_bytes), "B"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            break
        size /= 1024
    return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"


@cache_app.command("info")
def info() -> None:
    """Print the cache location, the number of cached vectors and the bytes on disk."""
    from mhprivbench import cache

    found = cache.info()
    console.print(f"location: {found['location']}\nentries: {found['entries']}\nsize: {_size(found['bytes'])}",
                  highlight=False, markup=False)


@cache_app.command("purge")
def purge() -> None:
    """Delete the cached files (embeddings are recomputed on the next run)."""
    from mhprivbench import cache

    removed = cache.purge()
    console.print(f"purged {len(removed)} files from {cache.cache_dir(create=False)}", highlight=False, markup=False)
