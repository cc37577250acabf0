"""The embedded store's in-memory graph and the change operations that mutate it.

Nodes live in a per-label dict (key → properties) for O(1) lookups and as `(label, key)` nodes of a
networkx `MultiDiGraph`; a relationship is an edge keyed by `(rel_type, key values)`, so two
`OFFERS` of different years between the same school and discipline are two edges.

Every mutation is an operation (a JSON list) so the same code applies a local write, replays a
batch another process committed, and loads a snapshot:

- `["n", label, key, props]` sets a node's full property map (creating it if needed);
- `["r", rel_type, source_label, source_key, target_label, target_key, key_values, props]` sets a
  relationship's full property map;
- `["dn", label, key]` deletes a node with its relationships;
- `["dr", rel_type, source_label, source_key, target_label, target_key, key_values]`;
- `["clear"]` empties the graph.

Property maps are replaced, never mutated in place, so a map handed to a reader stays as it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, Final

import networkx as nx

from graph.model import LOAD_RUN_LABEL, NODES
from graph.records import Direction

NodeId = tuple[str, str]
KeyValues = tuple[Any, ...]
EdgeKey = tuple[str, KeyValues]
Props = dict[str, Any]
Op = list[Any]

SET_NODE: Final = "n"
SET_REL: Final = "r"
DELETE_NODE: Final = "dn"
DELETE_REL: Final = "dr"
CLEAR: Final = "clear"

STORED_LABELS: Final = (*NODES, LOAD_RUN_LABEL)


class MemoryGraph:
    """The committed state, as of the last change batch applied."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Props]] = {}
        self.graph = nx.MultiDiGraph()
        self.rel_counts: Counter[str] = Counter()
        self.clear()

    def size(self) -> int:
        """Nodes plus relationships: the operations a snapshot of this graph holds."""
        return sum(map(len, self.nodes.values())) + sum(self.rel_counts.values())

    def node_props(self, label: str, key: str) -> Props | None:
        return self.nodes[label].get(key)

    def rel_props(self, rel_type: str, source: NodeId, target: NodeId, key_values: KeyValues) -> Props | None:
        data = self.graph.get_edge_data(source, target, key=(rel_type, key_values))
        return None if data is None else data["props"]

    def edges(self, node: NodeId, rel_type: str, direction: Direction) -> Iterator[tuple[NodeId, KeyValues, Props]]:
        """`(other end, key values, props)` of each `rel_type` relationship of `node` in `direction`."""
        # networkx's own adjacency dicts: its read-only views cost more than the walk itself.
        adjacency = (self.graph._succ if direction == Direction.OUT else self.graph._pred).get(node)
        if adjacency is None:
            return
        for other, keyed in adjacency.items():
            for (edge_type, key_values), data in keyed.items():
                if edge_type == rel_type:
                    yield other, key_values, data["props"]

    def apply(self, ops: Iterable[Op]) -> None:
        for op in ops:
            kind = op[0]
            if kind == SET_NODE:
                self._set_node(op[1], op[2], op[3])
            elif kind == SET_REL:
                self._set_rel(op[1], (op[2], op[3]), (op[4], op[5]), tuple(op[6]), op[7])
            elif kind == DELETE_REL:
                self._delete_rel(op[1], (op[2], op[3]), (op[4], op[5]), tuple(op[6]))
            elif kind == DELETE_NODE:
                self._delete_node((op[1], op[2]))
            elif kind == CLEAR:
                self.clear()
            else:
                raise ValueError(f"unknown change operation {kind!r} in the embedded store's log")

    def clear(self) -> None:
        self.nodes = {label: {} for label in STORED_LABELS}
        self.graph = nx.MultiDiGraph()
        self.rel_counts = Counter()

    def export_ops(self) -> Iterator[Op]:
        """The whole graph as operations that rebuild it (a snapshot)."""
        for label, by_key in self.nodes.items():
            for key, props in by_key.items():
                yield [SET_NODE, label, key, props]
        for source, target, (rel_type, key_values), props in self.graph.edges(keys=True, data="props"):
            yield [SET_REL, rel_type, *source, *target, list(key_values), props]

    def _set_node(self, label: str, key: str, props: Props) -> None:
        by_key = self.nodes[label]
        if key not in by_key:
            self.graph.add_node((label, key))
        by_key[key] = props

    def _set_rel(self, rel_type: str, source: NodeId, target: NodeId, key_values: KeyValues, props: Props) -> None:
        edge_key = (rel_type, key_values)
        data = self.graph.get_edge_data(source, target, key=edge_key)
        if data is None:
            self.rel_counts[rel_type] += 1
            self.graph.add_edge(source, target, key=edge_key, props=props)
        else:
            data["props"] = props

    def _delete_rel(self, rel_type: str, source: NodeId, target: NodeId, key_values: KeyValues) -> None:
        edge_key = (rel_type, key_values)
        if self.graph.has_edge(source, target, key=edge_key):
            self.graph.remove_edge(source, target, key=edge_key)
            self.rel_counts[rel_type] -= 1

    def _delete_node(self, node: NodeId) -> None:
        if node not in self.graph:
            return
        for _, _, (rel_type, _) in self.graph.out_edges(node, keys=True):
            self.rel_counts[rel_type] -= 1
        for source, _, (rel_type, _) in self.graph.in_edges(node, keys=True):
            if source != node:  # a self-loop was counted with the outgoing edges
                self.rel_counts[rel_type] -= 1
        self.graph.remove_node(node)
        del self.nodes[node[0]][node[1]]
