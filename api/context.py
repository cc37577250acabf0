"""The per-request GraphQL context: settings, the counted store and fresh DataLoaders.

Built by `context_getter` (a FastAPI dependency) for every request, so no loader cache outlives
the request that filled it. The auth layer adds the caller's roles here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request
from strawberry.fastapi import BaseContext

from api.auth import ANONYMOUS, Caller, request_caller
from api.dataloaders import Loaders
from api.store_access import RequestStore
from chanjiao.settings import Settings

IN_PROCESS_SCHEME = "embedded:"  # such stores compute in this process: called without a thread hop

if TYPE_CHECKING:
    from api.expensive import ExpensiveWork
    from api.metrics import ApiMetrics


class Context(BaseContext):
    def __init__(self, settings: Settings, store: RequestStore, metrics: ApiMetrics | None = None,
                 caller: Caller | None = None, *, expensive: ExpensiveWork) -> None:
        super().__init__()
        self.caller = caller or ANONYMOUS  # who is asking (api.auth): anonymous unless authenticated
        self.settings = settings
        self.store = store
        self.loaders = Loaders(store)
        self.metrics = metrics
        self.expensive = expensive  # where expensive fields compute (api.expensive); set by the app


async def context_getter(request: Request) -> Context:
    state = request.app.state
    store = RequestStore(state.store, inline=state.settings.store.startswith(IN_PROCESS_SCHEME))
    return Context(settings=state.settings, store=store, metrics=state.metrics, caller=request_caller(request.state),
                   expensive=state.expensive)
