"""Cooperative cancellation of long computations.

The API runs expensive fields under a `Deadline`; long loops here call `check()` between steps,
so work whose caller has given up (its time limit passed, or the client went away) stops at the
next step instead of holding a worker thread and the GIL. Outside a deadline (the CLI, tests)
`check()` costs one context variable read.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
CHILD_POLL_SECONDS = 0.05


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


def in_child_process(work: Callable[[], T]) -> T:
    """`work()` in a forked child process, for a computation that is one long call into C which
    keeps the GIL (no `check()` can run inside it): this process keeps serving meanwhile, polls
    `check()` while it waits, and kills the child when the work's deadline passes."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_answer_to, args=(sender, work), daemon=True)
    child.start()
    sender.close()
    try:
        while not receiver.poll(CHILD_POLL_SECONDS):
            check()
            if not child.is_alive() and not receiver.poll(0):
                raise RuntimeError(f"the child process computing {work!r} ended without an answer (exit code {child.exitcode})")
        succeeded, value = receiver.recv()
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if not succeeded:
        raise value
    answer: T = value
    return answer


def _answer_to(sender: Connection, work: Callable[[], Any]) -> None:
    try:
        sender.send((True, work()))
    except Exception as error:
        sender.send((False, error))
