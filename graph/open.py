"""Open a store from a URI: `embedded:PATH` (the default) or `bolt://…` / `neo4j://…`."""

from __future__ import annotations

from pathlib import Path

from chanjiao.settings import Settings, get_settings
from graph.store import GraphStore

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def open_store(uri: str | None = None, settings: Settings | None = None) -> GraphStore:
    settings = settings or get_settings()
    uri = uri or settings.store
    if uri.startswith("embedded:"):
        from graph.embedded import EmbeddedStore

        return EmbeddedStore(Path(uri.removeprefix("embedded:")).expanduser())
    if uri.startswith(NEO4J_SCHEMES):
        from graph.neo4j_store import Neo4jStore

        password = settings.neo4j_password.get_secret_value()
        auth = (settings.neo4j_user, password) if password else None
        return Neo4jStore(uri, auth=auth, database=settings.neo4j_database)
    raise ValueError(f"unknown store {uri!r}: use embedded:PATH, bolt://HOST:PORT or neo4j://HOST:PORT")
