"""The heap of a long-running process (the API server) once it has started."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def settled_heap() -> Iterator[None]:
    """While serving, the objects alive at startup (modules, the schema, an embedded store's graph)
    are out of the garbage collector's reach: collected once, then frozen, so that a full
    collection scans only what requests leave behind. Over the startup heap alone a full
    collection takes 20–40 ms on the 2-core reference machine, and one fell inside about one
    `talentGap` in twenty (`benchmarks/bench_insights.py`). Unfrozen when serving ends."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
