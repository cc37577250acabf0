"""Where validated batches go: the store (a real load) or a prediction against the store (a dry run)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from graph.model import NODES, RELS
from graph.records import Direction, NodeRef, Provenance, RelRow, WriteCounts
from graph.store import GraphStore
from graph.validation import changes_nothing

RelIdentity = tuple[NodeRef, NodeRef, tuple[tuple[str, Any], ...]]


class Sink(Protocol):
    def nodes(self, label: str, rows: Sequence[Mapping[str, Any]], provenance: Provenance) -> WriteCounts: ...

    def rels(self, rows: Sequence[RelRow], provenance: Provenance) -> WriteCounts: ...


class StoreSink:
    """Idempotent upserts: one atomic store call per batch."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def nodes(self, label: str, rows: Sequence[Mapping[str, Any]], provenance: Provenance) -> WriteCounts:
        return self._store.upsert_nodes(label, rows, provenance)

    def rels(self, rows: Sequence[RelRow], provenance: Provenance) -> WriteCounts:
        return self._store.upsert_relationships(rows, provenance)


class PredictingSink:
    """What a real load would report, from comparing each row with what the store holds: absent →
    created; every given property equal → unchanged; otherwise updated (as the stores count).
    A source node's existing relationships are fetched once per type and kept for the run."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._rels: dict[tuple[str, NodeRef], dict[RelIdentity, Mapping[str, Any]]] = {}

    def nodes(self, label: str, rows: Sequence[Mapping[str, Any]], provenance: Provenance) -> WriteCounts:
        key = NODES[label].key
        stored = self._store.get_nodes(label, [str(row[key]) for row in rows])
        counts = WriteCounts()
        for row in rows:
            node = stored.get(str(row[key]))
            _count(counts, None if node is None else node.props, row)
        return counts

    def rels(self, rows: Sequence[RelRow], provenance: Provenance) -> WriteCounts:
        counts = WriteCounts()
        self._fetch(rows)
        for row in rows:
            existing = self._rels[(row.rel_type, row.source)]
            _count(counts, existing.get(_identity(row.source, row.target, row.key)), row.props)
        return counts

    def _fetch(self, rows: Sequence[RelRow]) -> None:
        missing: dict[str, list[NodeRef]] = defaultdict(list)
        for row in rows:
            if (row.rel_type, row.source) not in self._rels:
                self._rels[(row.rel_type, row.source)] = {}
                missing[row.rel_type].append(row.source)
        for rel_type, sources in missing.items():
            key_names = RELS[rel_type].key
            for source, neighbours in self._store.neighbours(sources, rel_type, Direction.OUT).items():
                self._rels[(rel_type, source)] = {
                    _identity(source, n.node.ref, {name: n.rel.props.get(name) for name in key_names}): n.rel.props
                    for n in neighbours
                }


def _identity(source: NodeRef, target: NodeRef, key: Mapping[str, Any]) -> RelIdentity:
    return source, target, tuple(sorted(key.items()))


def _count(counts: WriteCounts, stored: Mapping[str, Any] | None, row: Mapping[str, Any]) -> None:
    if stored is None:
        counts.created += 1
    elif changes_nothing(stored, row):
        counts.unchanged += 1
    else:
        counts.updated += 1
