"""Turn one write (upserts, then deletes) into change operations and counts, without touching the
in-memory graph: the operations are committed to the log first and applied to memory after.

Pending changes are kept in an overlay so later parts of a write see earlier ones (relationships
to nodes created in the same `ChangeSet`, deletes of what was just upserted)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.embedded.memory import (
    DELETE_NODE,
    DELETE_REL,
    SET_NODE,
    SET_REL,
    STORED_LABELS,
    KeyValues,
    MemoryGraph,
    NodeId,
    Op,
    Props,
)
from graph.model import LOAD_RUN_LABEL, STAMPED, RelKind, check_endpoints, node_kind
from graph.records import NodeRef, Provenance, RelRow, WriteCounts
from graph.validation import changes_nothing, coerce

RelId = tuple[str, NodeId, NodeId, KeyValues]
SCALARS = (str, int, float, bool)


def key_property(label: str) -> str:
    """The key property of a stored label (a model kind or `LoadRun`)."""
    if label == LOAD_RUN_LABEL:
        return "id"
    if label not in STORED_LABELS:
        node_kind(label)  # raises, naming the allowed labels
    return node_kind(label).key


class WritePlan:
    """The operations and counts of one atomic write, computed against `memory` plus an overlay."""

    def __init__(self, memory: MemoryGraph, provenance: Provenance | None) -> None:
        self.memory = memory
        self.stamp = {"source": provenance.source, "loaded_at": provenance.loaded_at} if provenance else None
        self.synthetic = provenance.synthetic if provenance else False
        self.ops: list[Op] = []
        self._nodes: dict[NodeId, Props | None] = {}
        self._rels: dict[RelId, Props | None] = {}
        self._deleted_nodes = False

    def upsert_nodes(self, items: Sequence[tuple[str, Mapping[str, Any]]]) -> WriteCounts:
        merged: dict[NodeId, Props] = {}
        for index, (label, row) in enumerate(items):
            node = (label, _node_key(label, row, index))
            changes = merged.setdefault(node, {})
            changes.update(_clean_props(row, f"{label} rows[{index}]"))
            changes[key_property(label)] = node[1]
        counts = WriteCounts()
        for node, changes in merged.items():
            props = self._merge(self._node(node), changes, counts)
            if props is not None:
                self._nodes[node] = props
                self.ops.append([SET_NODE, *node, props])
        return counts

    def upsert_rels(self, rows: Sequence[RelRow]) -> WriteCounts:
        merged: dict[RelId, Props] = {}
        kinds: dict[tuple[str, str, str], RelKind] = {}
        for index, row in enumerate(rows):
            where = f"{row.rel_type} rows[{index}]"
            labels = (row.rel_type, row.source.label, row.target.label)
            kind = kinds.get(labels) or kinds.setdefault(labels, check_endpoints(*labels))
            rel = self._rel_id(kind, row, where)
            self._require_endpoint("source", rel[1], where)
            self._require_endpoint("target", rel[2], where)
            changes = merged.setdefault(rel, {})
            changes.update(_clean_props(row.props, where))
            changes.update(zip(kind.key, rel[3], strict=True))
        counts = WriteCounts()
        for rel, changes in merged.items():
            props = self._merge(self._rel(rel), changes, counts)
            if props is not None:
                self._rels[rel] = props
                self.ops.append([SET_REL, rel[0], *rel[1], *rel[2], list(rel[3]), props])
        return counts

    def delete_rels(self, rows: Sequence[RelRow]) -> int:
        deleted = 0
        for index, row in enumerate(rows):
            kind = check_endpoints(row.rel_type, row.source.label, row.target.label)
            rel = self._rel_id(kind, row, f"{row.rel_type} rows[{index}]")
            if self._rel(rel) is not None:
                deleted += 1
                self._rels[rel] = None
                self.ops.append([DELETE_REL, rel[0], *rel[1], *rel[2], list(rel[3])])
        return deleted

    def delete_nodes(self, refs: Sequence[NodeRef]) -> int:
        deleted = 0
        for ref in refs:
            key_property(ref.label)
            node = (ref.label, ref.key)
            if self._node(node) is not None:
                deleted += 1
                self._nodes[node] = None
                self._deleted_nodes = True
                self.ops.append([DELETE_NODE, *node])
        return deleted

    def _merge(self, old: Props | None, changes: Props, counts: WriteCounts) -> Props | None:
        """The new property map (stamped), or None when nothing but provenance would change."""
        if self.stamp is None:
            raise ValueError("an upsert needs a Provenance (source and loaded_at)")
        changes = {"synthetic": self.synthetic, **changes}  # compared like any property: real over synthetic changes it
        if old is None:
            counts.created += 1
            return {**changes, **self.stamp}
        if changes_nothing(old, changes):
            counts.unchanged += 1
            return None
        counts.updated += 1
        return {**old, **changes, **self.stamp}

    def _node(self, node: NodeId) -> Props | None:
        if node in self._nodes:
            return self._nodes[node]
        return self.memory.node_props(*node)

    def _rel(self, rel: RelId) -> Props | None:
        if rel in self._rels:
            return self._rels[rel]
        if self._deleted_nodes and (self._node(rel[1]) is None or self._node(rel[2]) is None):
            return None  # an endpoint deleted earlier in this write took the relationship with it
        return self.memory.rel_props(*rel)

    def _require_endpoint(self, end: str, node: NodeId, where: str) -> None:
        if self._node(node) is None:
            raise ValueError(f"{where}: {end} node {node[0]} {node[1]!r} does not exist (create it first)")

    @staticmethod
    def _rel_id(kind: RelKind, row: RelRow, where: str) -> RelId:
        if unknown := [name for name in row.key if name not in kind.key]:
            keyed_by = f"keyed by {', '.join(kind.key)}" if kind.key else "keyed by its endpoints only"
            raise ValueError(f"{where}: {', '.join(map(repr, unknown))} is not a key property ({kind.type} is {keyed_by})")
        values = []
        for name in kind.key:
            raw = row.key.get(name, row.props.get(name))
            try:
                values.append(coerce(kind.prop(name), raw))
            except ValueError as error:
                raise ValueError(f"{where}: key property {name!r}: {error}") from None
        return kind.type, (row.source.label, row.source.key), (row.target.label, row.target.key), tuple(values)


def _node_key(label: str, row: Mapping[str, Any], index: int) -> str:
    name = key_property(label)
    value = row.get(name)
    if value is None or str(value).strip() == "":
        raise ValueError(f"{label} rows[{index}]: the key property {name!r} is missing")
    return str(value)


def _clean_props(row: Mapping[str, Any], where: str) -> Props:
    """The row's properties without None values and the stamp (which comes from the write)."""
    return {
        name: _storable(value, f"{where}.{name}")
        for name, value in row.items()
        if value is not None and name not in STAMPED
    }


def _storable(value: Any, where: str) -> Any:
    if isinstance(value, SCALARS):
        return value
    if isinstance(value, list | tuple) and all(isinstance(item, SCALARS) for item in value):
        return list(value)
    raise ValueError(f"{where}: {value!r} cannot be stored (use text, numbers, yes/no or a list of those)")
