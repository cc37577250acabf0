"""Open a store from a URI: `embedded:PATH` or `bolt://…` / `neo4j://…`. The caller passes plain
values (the CLI and the API take them from their settings, `chanjiao.stores`)."""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def open_store(uri: str, auth: tuple[str, str] | None = None, database: str | None = None) -> GraphStore:
    """`auth` and `database` matter only to Neo4j (no auth, the server's default database when None)."""
    if uri.startswith("embedded:"):
        from graph.embedded.store import EmbeddedStore

        return EmbeddedStore(Path(uri.removeprefix("embedded:")).expanduser())
    if uri.startswith(NEO4J_SCHEMES):
        from graph.neo4j.store import Neo4jStore

        return Neo4jStore(uri, auth=auth, database=database)
    raise ValueError(f"unknown store {uri!r}: use embedded:PATH, bolt://HOST:PORT or neo4j://HOST:PORT")
