"""Cooperative cancellation of long computations.

The API runs expensive fields under a `Deadline`; long loops here call `check()` between steps,
so work whose caller has given up (its time limit passed, or the client went away) stops at the
next step instead of holding a worker thread and the GIL. Outside a deadline (the CLI, tests)
`check()` costs one context variable read.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class WorkCancelled(Exception):
    """Raised by `check()` in work whose deadline passed or that was cancelled."""


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    def expired(self) -> bool:
        return self._cancelled.is_set() or time.monotonic() >= self.at


_CURRENT: ContextVar[Deadline | None] = ContextVar("chanjiao_deadline", default=None)


@contextmanager
def under(deadline: Deadline) -> Iterator[None]:
    """Run the block's work under `deadline` (in this thread's context)."""
    token = _CURRENT.set(deadline)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def check() -> None:
    """Stop here (WorkCancelled) when the current work's deadline has passed or it was cancelled."""
    deadline = _CURRENT.get()
    if deadline is not None and deadline.expired():
        raise WorkCancelled(f"stopped after the time limit of {deadline.seconds:g} s")
