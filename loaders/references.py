"""Which nodes a reference may name: those accepted in this load and those already in the store.

A reference to a key found in neither is an error of the referring row (DESIGN §3), never a silently
created empty node. Store look-ups go in batches and are remembered for the rest of the load.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

from graph.filters import Compare, Op
from graph.store import GraphStore
from loaders.batches import batched
from loaders.tables import SYNTHETIC_COLUMN


class KeyIndex:
    def __init__(self, store: GraphStore, batch_size: int) -> None:
        self._store = store
        self._batch_size = batch_size
        self._loaded: dict[str, dict[str, str]] = {}  # label → key → where it was loaded (FILE:ROW)
        self._rejected: dict[str, dict[str, str]] = {}
        self._in_store: dict[str, set[str]] = {}
        self._not_in_store: dict[str, set[str]] = {}

    def add(self, label: str, key: str, where: str) -> str | None:
        """Record a key of this load; returns where it was loaded before if it repeats."""
        loaded = self._loaded.setdefault(label, {})
        if key in loaded:
            return loaded[key]
        loaded[key] = where
        return None

    def reject(self, label: str, key: str) -> None:
        """A row of this load turned out bad: references to its key now need the store."""
        where = self._loaded.get(label, {}).pop(key, None)
        if where is not None:
            self._rejected.setdefault(label, {})[key] = where

    def is_loaded(self, label: str, key: str) -> bool:
        return key in self._loaded.get(label, {})

    def look_up(self, label: str, keys: Iterable[str]) -> None:
        """Ask the store, in batches, about keys that are neither loaded nor asked about yet."""
        loaded = self._loaded.get(label, {})
        in_store = self._in_store.setdefault(label, set())
        not_in_store = self._not_in_store.setdefault(label, set())
        unknown = {key for key in keys if key not in loaded and key not in in_store and key not in not_in_store}
        for batch in batched(sorted(unknown), self._batch_size):
            found = self._store.get_nodes(label, batch)
            in_store.update(found)
            not_in_store.update(key for key in batch if key not in found)

    def known(self, label: str) -> tuple[Container[str], Container[str]]:
        """The keys of `label` loaded in this run, and those found in the store (after `look_up`)."""
        return self._loaded.setdefault(label, {}), self._in_store.setdefault(label, set())

    def exists(self, label: str, key: str) -> bool:
        """Whether `key` is loaded in this run or in the store (after `look_up`)."""
        return key in self._loaded.get(label, {}) or key in self._in_store.get(label, ())

    def missing(self, label: str, keys: Iterable[str]) -> str | None:
        """Why some of `keys` cannot be referenced, or None when all exist."""
        absent = [key for key in keys if not self.exists(label, key)]
        if not absent:
            return None
        rejected = self._rejected.get(label, {})
        reasons = [
            f"{label} {key!r} is rejected in this load ({rejected[key]})" if key in rejected
            else f"{label} {key!r} is neither in the store nor in this load"
            for key in absent
        ]
        return "; ".join(reasons)

    def synthetic_in_store(self, label: str, keys: Iterable[str]) -> dict[str, str]:
        """Of `keys`, those the store holds as synthetic nodes, with their `source` (one count
        first: a store without synthetic nodes of `label` needs no look-up)."""
        if not self._store.count_nodes(label, Compare(SYNTHETIC_COLUMN, Op.EQ, True)):
            return {}
        found: dict[str, str] = {}
        for batch in batched(sorted(set(keys)), self._batch_size):
            for key, node in self._store.get_nodes(label, batch).items():
                if node.props.get(SYNTHETIC_COLUMN) is True:
                    found[key] = str(node.props.get("source", ""))
        return found
