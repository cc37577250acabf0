"""Where expensive fields compute: a few dedicated worker threads, each call under a time limit.

Analyses, networks, paths, gaps and matches run here rather than on the event loop or the default
thread pool (which serves the store calls of every other request), so a burst of them queues on
`CHANJIAO_EXPENSIVE_WORKERS` threads while cheap requests keep flowing. A call that has not
finished within `CHANJIAO_EXPENSIVE_TIMEOUT` seconds (waiting for a worker included) is answered
with a `TIMEOUT` error, and its work is cancelled: it stops at its next `queries.cancellation`
check (work still queued never starts), so abandoned computations do not keep the workers busy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from graphql import GraphQLError

from chanjiao.settings import Settings
from queries.cancellation import Deadline, WorkCancelled, check, under

T = TypeVar("T")
TIMEOUT_CODE = "TIMEOUT"


class TimeLimitExceeded(GraphQLError):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"this field took longer than the time limit of {seconds:g} s and was stopped; "
            "narrow the selection (chain, districts, kinds), ask for a sampled or cut-off analysis, or try again later",
            extensions={"code": TIMEOUT_CODE, "timeLimitSeconds": seconds},
        )


class ExpensiveWork:
    def __init__(self, workers: int, timeout_seconds: float) -> None:
        self.timeout_seconds = timeout_seconds
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chanjiao-expensive")

    @classmethod
    def of(cls, settings: Settings) -> ExpensiveWork:
        return cls(settings.expensive_workers, settings.expensive_timeout_seconds)

    async def run(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`work(*args, **kwargs)` on a worker thread, within the time limit (TimeLimitExceeded)."""
        deadline = Deadline(self.timeout_seconds)
        future = asyncio.get_running_loop().run_in_executor(self.executor, partial(_within, deadline, work, *args, **kwargs))
        try:
            return await asyncio.wait_for(future, self.timeout_seconds)
        except (TimeoutError, WorkCancelled):
            deadline.cancel()
            raise TimeLimitExceeded(self.timeout_seconds) from None
        except asyncio.CancelledError:  # the client went away: nobody wants the answer
            deadline.cancel()
            raise

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def _within(deadline: Deadline, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    with under(deadline):
        check()  # it waited for a worker beyond its time limit: nobody waits for it any more
        return work(*args, **kwargs)
