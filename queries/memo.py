"""A per-store memo of expensive reads, valid for one data version: `GraphStore.data_version()`
changes whenever committed data changes, so a repeated question on unchanged data is answered
from memory (a dashboard asking for the same chain again) and the first one after a write
recomputes. Values are shared between callers and must be treated as read-only."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from graph.store import GraphStore

T = TypeVar("T")


class VersionedMemo:
    def __init__(self, size: int) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.stores: weakref.WeakKeyDictionary[GraphStore, tuple[str, OrderedDict[Hashable, Any]]] = weakref.WeakKeyDictionary()

    def get(self, store: GraphStore, key: Hashable, compute: Callable[[str], T], version: str | None = None) -> T:
        """The value of `key` at the store's data version (read unless given), computed by
        `compute(version)` unless remembered."""
        version = store.data_version() if version is None else version
        with self.lock:
            known, entries = self.stores.get(store, (None, OrderedDict()))
            if known != version:  # older versions are never asked for again
                entries = OrderedDict()
                self.stores[store] = (version, entries)
            if key in entries:
                entries.move_to_end(key)
                found: T = entries[key]
                return found
        value = compute(version)  # outside the lock: other questions need not wait for this one
        with self.lock:
            entries[key] = value
            while len(entries) > self.size:
                entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.stores.clear()
