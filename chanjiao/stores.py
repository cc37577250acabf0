"""The configured store: `graph.open.open_store` with the URI and credentials of the settings."""

from __future__ import annotations

from chanjiao.settings import Settings, get_settings
from graph.open import open_store
from graph.store import GraphStore


def open_configured(uri: str | None = None, settings: Settings | None = None) -> GraphStore:
    """The store at `uri` (the settings' `CHANJIAO_STORE` when None) with the settings' Neo4j
    credentials and database."""
    settings = settings or get_settings()
    password = settings.neo4j_password.get_secret_value()
    auth = (settings.neo4j_user, password) if password else None
    return open_store(uri or settings.store, auth=auth, database=settings.neo4j_database)
