"""The FastAPI application: GraphQL (with the product's GraphiQL) at `/graphql`, the explorer at
`/explorer/` (`/` leads there), probes and metrics, CORS for the allowed origins.

The store is opened in the lifespan and closed there (one per process); tests and benchmarks may
hand in a store they opened themselves, which the app then leaves open.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from strawberry.extensions import ParserCache

from api import annual_report, exports, guards, health, web
from api.context import context_getter
from api.document_cache import ValidDocuments, validation_cache
from api.expensive import ExpensiveWork
from api.http import AllowOnMethodNotAllowed, GraphQLHTTPRouter
from api.metrics import ApiMetrics, OperationMetrics
from api.schema import build_schema
from chanjiao.runtime import settled_heap
from chanjiao.settings import Settings, get_settings
from chanjiao.stores import open_configured
from graph.store import GraphStore

log = logging.getLogger(__name__)
GRAPHQL_PATH = "/graphql"


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="Chanjiao Graph (产教图谱)", lifespan=_lifespan(settings, store), docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.metrics = ApiMetrics()
    app.state.store = None
    extensions = [OperationMetrics, validation_cache(ValidDocuments()), ParserCache, *guards.schema_extensions(settings)]
    schema = build_schema(extensions=extensions)
    app.include_router(GraphQLHTTPRouter(schema, web_dir=settings.web_dir, context_getter=context_getter), prefix=GRAPHQL_PATH)
    app.include_router(health.router)
    app.include_router(exports.router)
    app.include_router(annual_report.router)
    web.install_pages(app, settings)
    guards.install_middleware(app, settings)
    app.add_middleware(AllowOnMethodNotAllowed, path=GRAPHQL_PATH)
    web.install_cors(app, settings)
    return app


def _lifespan(settings: Settings, given: GraphStore | None) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = given if given is not None else await asyncio.to_thread(_open, settings)
        app.state.store = store
        app.state.expensive = ExpensiveWork.of(settings)
        try:
            with settled_heap():
                yield
        finally:
            app.state.expensive.close()
            app.state.store = None
            if given is None:
                await asyncio.to_thread(store.close)

    return lifespan


def _open(settings: Settings) -> GraphStore:
    """The store, with its indexes (full-text search among them) ensured; a store that is down
    now may be up later, and `/readyz` says so meanwhile."""
    store = open_configured(settings.store, settings)
    try:
        store.ensure_schema()
    except Exception as error:
        log.warning("could not ensure the store's schema: %s", error)
    return store
