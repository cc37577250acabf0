"""The test session: a `store` fixture parametrised over both implementations.

The Neo4j half uses `NEO4J_URI` when set, otherwise it starts the local Maven-fetched server
itself (DESIGN §6) and stops it at the end. Under `CI=true` a Neo4j that cannot start is a
failure, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.open import open_store
from graph.store import GraphStore

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if uri := os.environ.get("NEO4J_URI"):
        yield uri
        return
    from chanjiao import neo4j_local

    data_dir = tmp_path_factory.mktemp("neo4j")
    try:
        server = neo4j_local.start(data_dir, port=neo4j_local.free_port())
    except Exception as error:  # Java, Maven or Neo4j missing: a skip locally, a failure in CI
        if IN_CI:
            pytest.fail(f"Neo4j could not start under CI=true: {error}")
        pytest.skip(f"Neo4j could not start: {error}")
    try:
        yield server.uri
    finally:
        neo4j_local.stop(data_dir)


@pytest.fixture(params=["embedded", "neo4j"])
def store_uri(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "embedded":
        return f"embedded:{tmp_path / 'store'}"
    return str(request.getfixturevalue("neo4j_uri"))


@pytest.fixture
def store(store_uri: str) -> Iterator[GraphStore]:
    graph = open_store(store_uri)
    graph.ensure_schema()
    graph.clear()
    try:
        yield graph
    finally:
        graph.close()
