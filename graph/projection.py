"""Projecting parts of the store into networkx for analyses, drawings and exports.

A projection is a `networkx.MultiDiGraph` whose nodes are ids `"Label:key"` with attributes
`label`, `key` and `properties`, and whose edges are keyed `"TYPE"` (or `"TYPE:key values"` for
relationships keyed beyond their endpoints, such as `OFFERS:2024`) with attributes `type` and
`properties`. Properties are those of the model plus provenance; personal data (a mentor's
e-mail and phone) is never projected, so nothing downstream can export it.

Each store names its implementation (`GraphStore.projection`): `graph.protocol_projection` over the
`GraphStore` protocol, or `graph.neo4j.projection`, which streams one Cypher read.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final, Protocol

import networkx as nx

from graph.model import NODES, PROVENANCE, RELS, node_kind, rel_kind
from graph.records import Node, NodeRef, Rel

# Where things are, not who works with whom: left out of partner networks and connection paths
# unless asked for, since every organisation of a district would otherwise be two hops apart.
GEOGRAPHY_TYPES: Final = ("LOCATED_IN", "COVERS")
TIE_TYPES: Final = tuple(rel_type for rel_type in RELS if rel_type not in GEOGRAPHY_TYPES)
LOCATED_LABELS: Final = RELS["LOCATED_IN"].sources
MAX_DEPTH: Final = 4
MAX_PATH_LENGTH: Final = 6


class SubgraphTooLarge(ValueError):
    """The selection holds more nodes and relationships than the caller allows."""


def node_id(label: str, key: str) -> str:
    return f"{label}:{key}"


def parse_node_id(text: str) -> NodeRef:
    """`"Label:key"` as a NodeRef; ValueError saying what is wrong otherwise."""
    label, separator, key = text.partition(":")
    if not separator or not key:
        raise ValueError(f"node {text!r} is not written 'Label:key', e.g. 'School:3131000001'")
    return NodeRef(node_kind(label).label, key)


def split_values(values: Iterable[str] | None) -> list[str]:
    """Options given as repeated values and as comma-separated lists alike (the CLI, a URL)."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def ref_id(ref: NodeRef) -> str:
    return node_id(ref.label, ref.key)


def _unique(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(sorted(set(values or ())))


@dataclass(frozen=True)
class Selection:
    """Which part of the graph to project; empty fields mean "all".

    - `labels`: node kinds kept; `rel_types`: relationship kinds kept (those joining kept kinds).
    - `chain`: only the enterprises `IN_CHAIN` of that chain or a chain `PART_OF` it
      (transitively), plus their neighbours over the kept relationships.
    - `districts`: schools, enterprises and bases must be `LOCATED_IN` one of them and district
      nodes must be one of them; kinds without a location are not filtered.
    """

    labels: tuple[str, ...] = ()
    rel_types: tuple[str, ...] = ()
    chain: str | None = None
    districts: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        labels: Iterable[str] | None = None,
        rel_types: Iterable[str] | None = None,
        chain: str | None = None,
        districts: Iterable[str] | None = None,
    ) -> Selection:
        """A normalised selection, or ValueError naming the unknown kind or the conflict."""
        selection = cls(_unique(labels), _unique(rel_types), chain or None, _unique(districts))
        for label in selection.labels:
            node_kind(label)
        for rel_type in selection.rel_types:
            rel_kind(rel_type)
        if selection.chain and "Enterprise" not in selection.node_labels:
            raise ValueError(f"selecting chain {selection.chain!r} needs the Enterprise kind among the labels")
        return selection

    @classmethod
    def parse(
        cls, labels: Iterable[str] | None, rel_types: Iterable[str] | None, chain: str | None, districts: Iterable[str] | None
    ) -> Selection:
        """`of` from options that may each be repeated or comma-separated (`split_values`)."""
        return cls.of(split_values(labels), split_values(rel_types), chain, split_values(districts))

    @property
    def node_labels(self) -> tuple[str, ...]:
        return self.labels or tuple(NODES)

    @property
    def relationship_types(self) -> tuple[str, ...]:
        """The kept relationship kinds that can join two kept node kinds."""
        kept = set(self.node_labels)
        wanted = self.rel_types or tuple(RELS)
        return tuple(t for t in wanted if RELS[t].target in kept and kept.intersection(RELS[t].sources))

    def sources_of(self, rel_type: str) -> tuple[str, ...]:
        return tuple(label for label in RELS[rel_type].sources if label in self.node_labels)

    def filters_location(self, label: str) -> bool:
        return bool(self.districts) and (label in LOCATED_LABELS or label == "District")

    def describe(self) -> str:
        parts = [
            f"labels={','.join(self.labels) or 'all'}",
            f"relationships={','.join(self.rel_types) or 'all'}",
        ]
        if self.chain:
            parts.append(f"chain={self.chain}")
        if self.districts:
            parts.append(f"districts={','.join(self.districts)}")
        return " ".join(parts)


def check_rel_types(rel_types: Sequence[str] | None, default: Sequence[str] = TIE_TYPES) -> tuple[str, ...]:
    """The relationship kinds to follow, validated against the model."""
    return tuple(rel_kind(t).type for t in rel_types) if rel_types else tuple(default)


def check_bound(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value}")
    return value


@cache
def _public_names(label_or_type: str) -> frozenset[str]:
    kind = NODES.get(label_or_type) or RELS[label_or_type]
    return frozenset({prop.name for prop in kind.properties if not prop.personal} | set(PROVENANCE))


def public_props(label_or_type: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """The model's non-personal properties plus provenance; store internals are dropped."""
    allowed = _public_names(label_or_type)
    return {name: value for name, value in props.items() if name in allowed and value is not None}


def edge_key(rel_type: str, props: Mapping[str, Any]) -> str:
    """`TYPE`, or `TYPE:v1,v2` for relationships keyed beyond their endpoints."""
    key = RELS[rel_type].key
    return f"{rel_type}:{','.join(str(props.get(name)) for name in key)}" if key else rel_type


@dataclass
class GraphBuilder:
    """Assembles a projection, refusing to grow beyond `max_elements` nodes + edges."""

    max_elements: int | None = None
    graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    size: int = 0  # nodes + edges so far (networkx counts edges in O(nodes))

    def add_node(self, label: str, key: str, props: Mapping[str, Any]) -> str:
        nid = node_id(label, key)
        if nid not in self.graph:
            self.graph.add_node(nid, label=label, key=key, properties=public_props(label, props))
            self._grow()
        return nid

    def add_edge(self, rel_type: str, source: str, target: str, props: Mapping[str, Any]) -> None:
        key = edge_key(rel_type, props)
        if not self.graph.has_edge(source, target, key):
            self.graph.add_edge(source, target, key=key, type=rel_type, properties=public_props(rel_type, props))
            self._grow()

    def _grow(self) -> None:
        self.size += 1
        if self.max_elements is not None and self.size > self.max_elements:
            raise SubgraphTooLarge(
                f"the selection holds more than {self.max_elements} nodes and relationships; narrow it "
                "(labels, relationships, chain, districts) or raise the limit"
            )


@dataclass(frozen=True)
class Paths:
    """Shortest connections: each path a tuple of node ids; `graph` holds their nodes and every
    kept relationship between consecutive nodes of a path."""

    graph: nx.MultiDiGraph
    paths: list[tuple[str, ...]]
    length: int | None


def order_by_hops(candidates: Iterable[str], limit: int) -> list[str]:
    """The first `limit` candidates in (label, key) order: how both stores cut a BFS level."""
    return sorted(candidates, key=lambda nid: tuple(nid.split(":", 1)))[:limit]


class Projection(Protocol):
    def subgraph(self, selection: Selection, max_elements: int | None = None) -> nx.MultiDiGraph:
        """The selected nodes and every kept relationship between them; SubgraphTooLarge when
        it holds more than `max_elements` nodes + relationships."""

    def neighbourhood(self, center: NodeRef, depth: int, rel_types: Sequence[str], limit: int) -> nx.MultiDiGraph:
        """Nodes within `depth` hops of `center` (either direction) over `rel_types`, level by
        level, each level cut in (label, key) order so at most `limit` nodes are kept, with
        every kept relationship between them. KeyError when `center` does not exist."""

    def shortest_paths(
        self, source: NodeRef, target: NodeRef, max_length: int, rel_types: Sequence[str], limit: int
    ) -> Paths:
        """The shortest paths (either direction) of at most `max_length` hops, as distinct node
        sequences, the first `limit` in lexicographic order of node ids."""


def assemble_paths(
    nodes: Mapping[str, Node],
    preds: Mapping[str, set[str]],
    rels: Mapping[frozenset[str], list[Rel]],
    ends: tuple[str, str],
    length: int | None,
    limit: int,
) -> Paths:
    """`Paths` from a shortest-path predecessor DAG (`preds[node]` = the nodes one hop closer to
    the source) and the relationships found between each pair of consecutive nodes."""
    builder = GraphBuilder()
    if length is None:
        return Paths(builder.graph, [], None)
    found = first_paths(ends[0], ends[1], preds, limit)
    for path in found:
        for nid in path:
            builder.add_node(nodes[nid].label, nodes[nid].key, nodes[nid].props)
        for pair in itertools.pairwise(path):
            for rel in rels.get(frozenset(pair), ()):
                builder.add_edge(rel.rel_type, ref_id(rel.source), ref_id(rel.target), rel.props)
    return Paths(builder.graph, found, length)


def first_paths(source: str, target: str, preds: Mapping[str, set[str]], limit: int) -> list[tuple[str, ...]]:
    """The first `limit` source→target paths through the predecessor DAG in lexicographic order
    of node ids: a depth-first walk taking successors in sorted order."""
    on_path, stack = {target}, [target]
    while stack:
        for pred in preds.get(stack.pop(), ()):
            if pred not in on_path:
                on_path.add(pred)
                stack.append(pred)
    successors: dict[str, list[str]] = {}
    for nid in on_path:
        for pred in preds.get(nid, ()):
            successors.setdefault(pred, []).append(nid)
    for children in successors.values():
        children.sort()
    found: list[tuple[str, ...]] = []
    _walk((source,), target, successors, found, limit)
    return found


def _walk(path: tuple[str, ...], target: str, successors: dict[str, list[str]], found: list[tuple[str, ...]], limit: int) -> None:
    if len(found) >= limit:
        return
    if path[-1] == target:
        found.append(path)
        return
    for nxt in successors.get(path[-1], ()):
        _walk((*path, nxt), target, successors, found, limit)
