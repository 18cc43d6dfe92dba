"""Run a function over many items in worker processes, results in input order.

Validation, the build and the pre-annotator work document by document; each document's
result depends only on the document and on state shared by all (the taxonomy, the metadata's
outlets, a gazetteer). :func:`ordered_map` hands batches of items to ``workers`` processes and
yields the results in the order of the items, so that what is written from them is the same
bytes for any number of workers. At most a few batches per worker are in flight, so memory does
not grow with the number of items.

Workers are forked (where the platform can): the shared ``state`` is inherited, not pickled,
and the modules already imported (spaCy, pyarrow) need not be imported again. With one worker,
or where fork is not available, everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

BATCH = 16
"""Items per task sent to a worker: enough to amortize the transfer, small enough to balance."""
IN_FLIGHT = 4
"""Batches waiting or running per worker: bounds memory."""

_STATE: Any = None
_FUNC: Any = None


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int | None) -> int:
    """``workers`` as given (at least 1), or all the cores when None or 0."""
    return default_workers() if not workers else max(1, workers)


def can_fork() -> bool:
    """Whether worker processes can inherit this process's state."""
    return "fork" in multiprocessing.get_all_start_methods()


def _run_batch(batch: list[Any]) -> list[Any]:
    return [_FUNC(_STATE, item) for item in batch]


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def ordered_map(
    func: Callable[[S, T], R], state: S, items: Iterable[T], workers: int = 1, *, batch: int = BATCH
) -> Generator[R, None, None]:
    """``func(state, item)`` for every item, in the order of ``items``.

    ``func`` must be a module-level function (workers look it up by name); ``state`` is shared
    with the workers by forking. Exceptions raised by ``func`` come back to the caller.
    """
    if workers <= 1 or not can_fork():
        for item in items:
            yield func(state, item)
        return
    global _STATE, _FUNC
    _STATE, _FUNC = state, func
    context = multiprocessing.get_context("fork")
    pool = context.Pool(workers)
    try:
        pending: deque[AsyncResult[list[R]]] = deque()
        for chunk in batches(items, batch):
            pending.append(pool.apply_async(_run_batch, (chunk,)))
            while len(pending) >= workers * IN_FLIGHT:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _STATE = _FUNC = None


__all__ = ["batches", "default_workers", "ordered_map", "resolve_workers"]
