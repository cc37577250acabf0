"""A tiny writer for the small graphs the gap, matching and target tests build through the
`GraphStore` protocol (`upsert_nodes`, `upsert_relationships`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.model import rel_kind
from graph.records import NodeRef, Provenance, RelRow
from graph.store import GraphStore
from graph.validation import uscc_check_char

LOADED_AT = "2025-01-01T00:00:00+08:00"


def uscc(number: int) -> str:
    """A checksum-valid unified social credit code."""
    first17 = f"91310000{number:09d}"
    return first17 + uscc_check_char(first17)


class GraphWriter:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.rels: dict[str, list[RelRow]] = defaultdict(list)

    def node(self, label: str, key: str, **props: Any) -> NodeRef:
        from graph.model import node_kind

        self.nodes[label].append({node_kind(label).key: key, **props})
        return NodeRef(label, key)

    def rel(self, rel_type: str, source: NodeRef, target: NodeRef, file: str = "tests", **props: Any) -> None:
        key_names = rel_kind(rel_type).key
        key = {name: props.pop(name) for name in key_names}
        self.rels[file].append(RelRow(rel_type, source, target, key, props))

    def write(self) -> None:
        for label, rows in self.nodes.items():
            self.store.upsert_nodes(label, rows, Provenance("tests", LOADED_AT))
        for file, rels in self.rels.items():
            self.store.upsert_relationships(rels, Provenance(file, LOADED_AT))

