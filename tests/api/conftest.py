"""Real uvicorn servers on free ports serving the API over both stores (embedded and Neo4j), with
the tiny dataset of `tests/api/dataset.py` loaded.

`api` serves one store per test module that reading tests share (loading Neo4j per test would
dominate the run); tests that write build their own server over `loaded_store`, a fresh store
per test from the `store`/`store_uri` fixtures."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from chanjiao.neo4j_local import free_port
from chanjiao.settings import Settings
from graph.open import open_store
from graph.store import GraphStore
from tests.api import dataset

STARTUP_SECONDS = 20.0


class ServerThread:
    """uvicorn serving `app` from a background thread (no signal handlers there)."""

    def __init__(self, app: Any, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name=f"uvicorn-{port}", daemon=True)
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class Api:
    """A client of the running server."""

    client: httpx.Client

    def post(self, query: str, variables: dict[str, Any] | None = None, /, **headers: str) -> httpx.Response:
        """POST a document; keyword arguments are HTTP headers (`accept=…`, `**EDITOR`)."""
        return self.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)

    def query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """`data` of a query that must succeed."""
        response = self.post(query, variables)
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data


def global_id(label: str, key: str) -> str:
    """Written out here rather than imported, so the test pins the ID format itself."""
    return base64.b64encode(f"{label}:{key}".encode()).decode()


@pytest.fixture
def loaded_store(store: GraphStore) -> GraphStore:
    """A fresh store (per test, both implementations) holding the dataset: for tests that write."""
    dataset.load(store)
    return store


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def shared_store_uri(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Like `store_uri`, but one store per test module: reading tests share its data."""
    if request.param == "embedded":
        return f"embedded:{tmp_path_factory.mktemp('api-store') / 'store'}"
    return str(request.getfixturevalue("neo4j_uri"))


@pytest.fixture(scope="module")
def shared_store(shared_store_uri: str) -> Iterator[GraphStore]:
    """The dataset, loaded once per module; tests using it must not write."""
    graph = open_store(shared_store_uri)
    graph.ensure_schema()
    graph.clear()
    dataset.load(graph)
    try:
        yield graph
    finally:
        graph.close()


@pytest.fixture(scope="module")
def server(shared_store: GraphStore, shared_store_uri: str) -> Iterator[ServerThread]:
    settings = Settings.model_validate({"CHANJIAO_STORE": shared_store_uri})
    with ServerThread(create_app(settings, store=shared_store), free_port()) as running:
        yield running


@pytest.fixture(scope="module")
def api(server: ServerThread) -> Iterator[Api]:
    """A client of a server over the shared, read-only dataset."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield Api(client)


@pytest.fixture(scope="module")
def secured_api(shared_store: GraphStore, shared_store_uri: str) -> Iterator[Api]:
    """A server with API keys and JWTs (tests/api/secured.py) over the shared, read-only dataset."""
    from tests.api.secured import serve  # secured.py builds on this module

    with serve(shared_store, shared_store_uri) as client:
        yield client


@pytest.fixture(scope="module")
def unlimited_api(shared_store: GraphStore, shared_store_uri: str) -> Iterator[Api]:
    """A client of a server over the shared dataset without a rate limit, for tests sending hundreds of requests."""
    settings = Settings.model_validate({"CHANJIAO_STORE": shared_store_uri, "CHANJIAO_RATE_LIMIT": 0})
    with ServerThread(create_app(settings, store=shared_store), free_port()) as running, \
            httpx.Client(base_url=running.url, timeout=30) as client:
        yield Api(client)
