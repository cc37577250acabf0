"""The network part of the root `Query` (DESIGN §4): `partnerNetwork` and `connectionPaths`,
bounded subgraphs as node and edge lists ready to draw. Resolvers translate arguments and call
`queries.network` on an expensive-work thread (`api.expensive`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import Info
from strawberry.scalars import JSON

from api.arguments import given
from api.entities.pages import wrap
from api.entities.types import Node
from api.errors import UserInputError
from api.provenance_types import SyntheticShare, synthetic_share
from api.relay import from_global_id, to_global_id
from graph import records
from graph.projection import parse_node_id
from queries import network

T = TypeVar("T")


def global_id_of(node_id: str) -> strawberry.ID:
    """The global ID of a projection id `Label:key`."""
    ref = parse_node_id(node_id)
    return strawberry.ID(to_global_id(ref.label, ref.key))


@strawberry.type(description="A node of a drawn network")
class NetworkNode:
    record: strawberry.Private[records.Node]
    id: strawberry.ID = strawberry.field(description="Global ID of the node")
    kind: str = strawberry.field(description="Node kind (label), e.g. School")
    key: str = strawberry.field(description="Natural key")
    name: str | None = strawberry.field(description="Name to display")
    hops: int | None = strawberry.field(description="Relationships between this node and the center (or the path's start)")

    @strawberry.field(description="The node itself, with all its fields and relationships")
    def node(self) -> Node:
        found: Node = wrap(self.record)
        return found


@strawberry.type(description="A relationship of a drawn network, from `source` to `target`")
class NetworkEdge:
    id: str = strawberry.field(description="`Label:key|TYPE[:key values]|Label:key`, unique in the network")
    source: strawberry.ID = strawberry.field(description="Global ID of the start node")
    target: strawberry.ID = strawberry.field(description="Global ID of the end node")
    type: str = strawberry.field(description="Relationship kind, e.g. COOPERATES_WITH")
    properties: JSON = strawberry.field(description="The relationship's properties and provenance")


@strawberry.type(description="A bounded subgraph around a center, for drawing")
class PartnerNetwork:
    nodes: list[NetworkNode] = strawberry.field(description="Nodes, nearest to the center first")
    edges: list[NetworkEdge] = strawberry.field(description="Every followed relationship between two of the nodes")
    truncated: bool = strawberry.field(description="True when `first` cut the network short")
    synthetic: SyntheticShare = strawberry.field(description="How many of the network's nodes and relationships are synthetic")


@strawberry.type(description="One shortest way two nodes are connected")
class ConnectionPath:
    nodes: list[strawberry.ID] = strawberry.field(description="Global IDs from `from` to `to`")
    edges: list[str] = strawberry.field(description="IDs of the edges between consecutive nodes (parallel ones included)")
    length: int = strawberry.field(description="Relationships along the path")


@strawberry.type(description="The shortest paths between two nodes, with their nodes and edges")
class ConnectionPaths:
    length: int | None = strawberry.field(description="Length of the shortest paths; null when none is short enough")
    paths: list[ConnectionPath] = strawberry.field(description="Distinct node sequences, in order of node IDs")
    nodes: list[NetworkNode] = strawberry.field(description="Every node on a path")
    edges: list[NetworkEdge] = strawberry.field(description="Every relationship along a path")
    synthetic: SyntheticShare = strawberry.field(description="How many of the nodes and relationships on the paths are synthetic")


def _nodes(found: network.Network) -> list[NetworkNode]:
    return [
        NetworkNode(
            record=records.Node(node.label, node.key, node.properties), id=global_id_of(node.id),
            kind=node.label, key=node.key, name=node.name, hops=node.hops,
        )
        for node in found.nodes
    ]


def _edges(found: network.Network) -> list[NetworkEdge]:
    return [
        NetworkEdge(id=edge.id, source=global_id_of(edge.source), target=global_id_of(edge.target),
                    type=edge.type, properties=JSON(edge.properties))
        for edge in found.edges
    ]


async def run_query(info: Info, work: Callable[..., T], *args: Any) -> T:
    """`work(store, *args)` on an expensive-work thread, within its time limit; bad arguments
    become UserInputError."""
    info.context.store.calls["projection"] += 1
    try:
        return await info.context.expensive.run(work, info.context.store.store, *args)
    except KeyError as error:
        raise UserInputError(str(error.args[0])) from None
    except ValueError as error:
        raise UserInputError(str(error)) from None


RelationshipsArgument = Annotated[
    list[str] | None,
    strawberry.argument(description="Relationship kinds to follow, e.g. [\"COOPERATES_WITH\"]; all but LOCATED_IN and COVERS when omitted"),
]


@strawberry.type
class NetworkQuery:
    @strawberry.field(description="The network around a node: everything within `depth` relationships, nearest first, at most `first` nodes")
    async def partner_network(
        self,
        info: Info,
        center: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the center")],
        depth: Annotated[int, strawberry.argument(description="How many relationships away (1–4)")] = 2,
        relationships: RelationshipsArgument = strawberry.UNSET,
        first: Annotated[int | None, strawberry.argument(description="At most this many nodes, the center included")] = network.DEFAULT_NETWORK_NODES,
    ) -> PartnerNetwork:
        ref = from_global_id(center)
        found = await run_query(info, network.partner_network, ref, depth, given(relationships), first)
        return PartnerNetwork(nodes=_nodes(found), edges=_edges(found), truncated=found.truncated,
                              synthetic=synthetic_share(found.synthetic))

    @strawberry.field(description="The shortest ways two nodes are already connected, in either direction")
    async def connection_paths(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from", description="Global ID of one end")],
        to: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the other end")],
        max_length: Annotated[int | None, strawberry.argument(description="Longest path considered (1–6)")] = network.DEFAULT_PATH_LENGTH,
        relationships: RelationshipsArgument = strawberry.UNSET,
        first: Annotated[int | None, strawberry.argument(description="At most this many paths")] = network.DEFAULT_PATHS,
    ) -> ConnectionPaths:
        source, target = from_global_id(from_), from_global_id(to)
        found = await run_query(info, network.connection_paths, source, target, max_length, given(relationships), first)
        paths = [
            ConnectionPath(nodes=[global_id_of(n) for n in path.nodes], edges=path.edges, length=path.length)
            for path in found.paths
        ]
        return ConnectionPaths(length=found.length, paths=paths, nodes=_nodes(found.network), edges=_edges(found.network),
                               synthetic=synthetic_share(found.network.synthetic))
