"""The API server's heap: what exists at startup is frozen out of the garbage collector's reach
while it serves, and handed back when it stops (`chanjiao.runtime.settled_heap`)."""

from __future__ import annotations

import gc
from pathlib import Path

import httpx

from api.app import create_app
from chanjiao.settings import Settings
from graph.open import open_store
from tests.api.conftest import ServerThread, free_port


def test_startup_heap_is_frozen_while_serving(tmp_path: Path) -> None:
    uri = f"embedded:{tmp_path / 'store'}"
    store = open_store(uri)
    try:
        assert gc.get_freeze_count() == 0
        with ServerThread(create_app(Settings.model_validate({"CHANJIAO_STORE": uri}), store=store), free_port()) as server:
            frozen = gc.get_freeze_count()
            assert httpx.get(f"{server.url}/healthz").status_code == 200
            assert frozen > 10_000  # the modules, the schema and the store, at least
        assert gc.get_freeze_count() == 0
    finally:
        store.close()
