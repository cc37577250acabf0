"""Partner networks and connection paths (DESIGN §4 `partnerNetwork`, `connectionPaths`): bounded
subgraphs around organisations, as node and edge lists ready to draw.

Both follow the "tie" relationships by default, every kind except `LOCATED_IN` and `COVERS`:
sharing a district is not a partnership, and a district would otherwise join everything.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx

from graph.projection import (
    MAX_DEPTH,
    MAX_PATH_LENGTH,
    check_bound,
    check_rel_types,
    ref_id,
)
from graph.records import NodeRef
from graph.store import GraphStore
from queries.synthetic import SyntheticShare, subgraph_share

DEFAULT_NETWORK_NODES: Final = 100
MAX_NETWORK_NODES: Final = 2000
DEFAULT_PATH_LENGTH: Final = 4
DEFAULT_PATHS: Final = 10
MAX_PATHS: Final = 100


@dataclass(frozen=True)
class NetworkNode:
    id: str
    label: str
    key: str
    name: str | None
    hops: int | None
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NetworkEdge:
    id: str
    source: str
    target: str
    type: str
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Network:
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    synthetic: SyntheticShare  # of its nodes and edges
    truncated: bool = False


@dataclass(frozen=True)
class ConnectionPath:
    nodes: list[str]
    edges: list[str]

    @property
    def length(self) -> int:
        return len(self.nodes) - 1


@dataclass(frozen=True)
class Connections:
    """The shortest paths (all of the same `length`) with the nodes and edges they use."""

    length: int | None
    paths: list[ConnectionPath]
    network: Network


def network_of(graph: nx.MultiDiGraph, center: str | None = None, truncated: bool = False) -> Network:
    """Nodes (nearest to `center` first, then by label and key) and edges (by ends and key)."""
    undirected = graph.to_undirected(as_view=True)
    hops = nx.single_source_shortest_path_length(undirected, center) if center in graph else {}
    nodes = [
        NetworkNode(nid, data["label"], data["key"], data["properties"].get("name"), hops.get(nid), data["properties"])
        for nid, data in graph.nodes(data=True)
    ]
    nodes.sort(key=lambda node: (node.hops if node.hops is not None else 0, node.label, node.key))
    edges = [
        NetworkEdge(f"{source}|{key}|{target}", source, target, data["type"], data["properties"])
        for source, target, key, data in graph.edges(keys=True, data=True)
    ]
    edges.sort(key=lambda edge: edge.id)
    return Network(nodes, edges, subgraph_share(graph, "nodes and relationships in the network"), truncated)


def partner_network(
    store: GraphStore,
    center: NodeRef,
    depth: int = 2,
    rel_types: Sequence[str] | None = None,
    first: int | None = None,
) -> Network:
    """Everything within `depth` hops of `center` over `rel_types`, at most `first` nodes.
    KeyError when the center does not exist; ValueError for out-of-range arguments."""
    check_bound("depth", depth, 1, MAX_DEPTH)
    limit = check_bound("first", DEFAULT_NETWORK_NODES if first is None else first, 1, MAX_NETWORK_NODES)
    graph = store.projection().neighbourhood(center, depth, check_rel_types(rel_types), limit)
    return network_of(graph, ref_id(center), truncated=graph.number_of_nodes() >= limit)


def connection_paths(
    store: GraphStore,
    source: NodeRef,
    target: NodeRef,
    max_length: int | None = None,
    rel_types: Sequence[str] | None = None,
    first: int | None = None,
) -> Connections:
    """The shortest ways `source` and `target` are connected over `rel_types`, in either
    direction, within `max_length` hops: at most `first` distinct node sequences."""
    length = check_bound("maxLength", DEFAULT_PATH_LENGTH if max_length is None else max_length, 1, MAX_PATH_LENGTH)
    limit = check_bound("first", DEFAULT_PATHS if first is None else first, 1, MAX_PATHS)
    found = store.projection().shortest_paths(source, target, length, check_rel_types(rel_types), limit)
    paths = [ConnectionPath(list(path), _path_edges(found.graph, path)) for path in found.paths]
    return Connections(found.length, paths, network_of(found.graph, ref_id(source)))


def _path_edges(graph: nx.MultiDiGraph, path: tuple[str, ...]) -> list[str]:
    """Ids of every edge between consecutive nodes of `path`, whichever way it points."""
    ids = []
    for before, after in itertools.pairwise(path):
        for source, target in ((before, after), (after, before)):
            ids += sorted(f"{source}|{key}|{target}" for key in graph.get_edge_data(source, target, default={}))
    return ids
