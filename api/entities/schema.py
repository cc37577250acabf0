"""The entity part of the root `Query` (DESIGN §4): `node`, `nodes`, `search` and one
connection field per node kind, named after its table in camelCase (`schools`, `industryChains`…)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import Info

from api.arguments import given
from api.entities.generate import define
from api.entities.pages import wrap
from api.entities.resolvers import SEARCH_PAGE_SIZE, connection_resolver, resolve_node, resolve_nodes, search_hits
from api.entities.types import CONNECTION_TYPES, Kind, Node, SearchResult
from graph.model import NODE_KINDS, NodeKind


@strawberry.type
class NodeQuery:
    @strawberry.field(description="The node with this global ID, or null if there is none")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        found: Node | None = await resolve_node(info, id)
        return found

    @strawberry.field(description="The nodes with these global IDs, in the same order (null where there is none)")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        found: list[Node | None] = await resolve_nodes(info, ids)
        return found

    @strawberry.field(description="Full-text search over names (Chinese included), best match first")
    async def search(
        self,
        info: Info,
        text: Annotated[str, strawberry.argument(description="Words or part of a name, e.g. 交通大学")],
        kinds: Annotated[list[Kind] | None, strawberry.argument(description="Only these kinds (all when omitted)")] = strawberry.UNSET,
        first: Annotated[int | None, strawberry.argument(description="How many hits to return")] = SEARCH_PAGE_SIZE,
    ) -> list[SearchResult]:
        labels = [kind.value for kind in given(kinds) or ()] or [kind.label for kind in NODE_KINDS]
        hits = await search_hits(info, text, labels, first)
        return [SearchResult(node=wrap(node), score=score) for node, score in hits]


def _connection_field(kind: NodeKind) -> Any:
    connection = CONNECTION_TYPES[kind.label]
    return strawberry.field(
        resolver=connection_resolver(kind, lambda page: connection(page=page)),
        graphql_type=connection,
        description=f"{kind.description}: `{kind.label}` nodes, filtered, sorted and paged",
    )


EntityQuery: Any = define(
    __name__,
    "EntityQuery",
    {},
    {kind.table: _connection_field(kind) for kind in NODE_KINDS},
    strawberry.type(name="EntityQuery"),
    bases=(NodeQuery,),
)
