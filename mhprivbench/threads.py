"""BLAS threading: one thread per process.

scipy's L-BFGS on small problems runs ~30x slower with two OpenBLAS threads than with one on a 2-core machine
(busy-waiting threads). Parallelism comes from the runner's worker processes instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)


def single_threaded_blas(function: F) -> F:
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
