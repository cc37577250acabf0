"""Resolvers of the entity fields: thin translations of GraphQL arguments into `GraphStore`
calls (through the request's DataLoaders), returning pages for the connection types."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from strawberry import Info

from api.dataloaders import NeighbourQuery
from api.entities.filters import edge_filter, input_class, node_filter, order_by
from api.entities.generate import list_of
from api.entities.pages import COUNT_FIELD, PAGE_FIELDS, NeighbourSlice, NodeSlice, related_nodes, selected_names, wrap
from api.entities.relations import RelationField, pascal
from api.errors import UserInputError
from api.relay import DEFAULT_PAGE_SIZE, Window, from_global_id, page_window
from graph.filters import Filter
from graph.model import NodeKind
from graph.records import Neighbour, Node, OrderBy

FIRST_HELP = "How many items to return (the page size)"
AFTER_HELP = "Return the items after this cursor (a previous page's `endCursor`)"
SEARCH_PAGE_SIZE = 10


def _context(info: Info) -> Any:
    return info.context


def connection_resolver(kind: NodeKind, connection: Callable[[NodeSlice], Any]) -> Callable[..., Any]:
    """`schools(where:, orderBy:, first:, after:)` and its siblings."""

    async def resolve(
        info: Info, where: Any = strawberry.UNSET, ordering: Any = strawberry.UNSET, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = strawberry.UNSET
    ) -> Any:
        window = page_window(first, after)
        condition, sort = node_filter(kind.label, where), order_by(ordering)
        return connection(await _node_slice(info, kind.label, condition, sort, window))

    resolve.__annotations__.update(
        where=Annotated[input_class(f"{kind.label}Where") | None, strawberry.argument(description="Only nodes matching this filter")],
        ordering=Annotated[list_of(input_class(f"{kind.label}OrderBy")) | None, strawberry.argument(name="orderBy", description="Sort keys, most significant first; the key property breaks remaining ties")],
        first=Annotated[int | None, strawberry.argument(description=FIRST_HELP)],
        after=Annotated[str | None, strawberry.argument(description=AFTER_HELP)],
    )
    return resolve


async def _node_slice(info: Info, label: str, condition: Filter | None, sort: list[OrderBy], window: Window) -> NodeSlice:
    """A page (with its total) when the query reads one, else just the count when it reads that."""
    wanted, store = selected_names(info), _context(info).store
    if wanted & PAGE_FIELDS:
        page = await store.find_nodes(label, condition, sort, window.offset, window.limit)
        _context(info).loaders.prime(page.nodes)
        return NodeSlice(page.nodes, window.offset, page.has_next, page.total_count)
    total = await store.count_nodes(label, condition) if COUNT_FIELD in wanted else None
    return NodeSlice([], window.offset, False, total)


def relation_resolver(field: RelationField, connection: Callable[[NeighbourSlice], Any]) -> Callable[..., Any]:
    """A relationship field: a single related node, or a connection over the relationship."""
    if field.single:
        return _single_resolver(field)
    if field.by_year:
        return _connection_by_year(field, connection)
    if field.properties:
        return _connection_with_edge_filter(field, connection)

    async def resolve(root: Any, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = strawberry.UNSET) -> Any:
        return connection(await _neighbour_slice(field, root.record, info, first, after, None))

    _describe_paging(resolve)
    return resolve


def _connection_with_edge_filter(field: RelationField, connection: Callable[[NeighbourSlice], Any]) -> Callable[..., Any]:
    async def resolve(
        root: Any, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = strawberry.UNSET, where: Any = strawberry.UNSET
    ) -> Any:
        rel_where = edge_filter(field.rel, where)
        return connection(await _neighbour_slice(field, root.record, info, first, after, rel_where))

    _describe_paging(resolve)
    _describe_edge_where(resolve, field)
    return resolve


def _connection_by_year(field: RelationField, connection: Callable[[NeighbourSlice], Any]) -> Callable[..., Any]:
    async def resolve(
        root: Any, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = strawberry.UNSET,
        where: Any = strawberry.UNSET, year: int | None = strawberry.UNSET,
    ) -> Any:
        rel_where = edge_filter(field.rel, where, year)
        return connection(await _neighbour_slice(field, root.record, info, first, after, rel_where))

    _describe_paging(resolve)
    _describe_edge_where(resolve, field)
    help_text = (f"Only {field.rel.type} relationships of this year (shorthand for `where: {{year: {{eq: …}}}}`); "
                 "each related node is listed once either way")
    resolve.__annotations__["year"] = Annotated[int | None, strawberry.argument(description=help_text)]
    return resolve


def _describe_edge_where(resolve: Callable[..., Any], field: RelationField) -> None:
    edge_where = input_class(f"{pascal(field.rel.type)}Where")
    help_text = f"Only {field.rel.type} relationships whose properties match"
    if field.keyed:
        help_text += " (a related node is listed when one of its relationships matches, with those that match)"
    resolve.__annotations__["where"] = Annotated[edge_where | None, strawberry.argument(description=help_text)]


def _describe_paging(resolve: Callable[..., Any]) -> None:
    resolve.__annotations__.update(
        first=Annotated[int | None, strawberry.argument(description=FIRST_HELP)],
        after=Annotated[str | None, strawberry.argument(description=AFTER_HELP)],
    )


def _single_resolver(field: RelationField) -> Callable[..., Any]:
    query = NeighbourQuery(field.rel.type, field.direction, None, 0, 1)

    async def resolve(root: Any, info: Info) -> Any:
        found = await _context(info).loaders.neighbours(root.record.ref, query)
        return wrap(found[0].node) if found else None

    return resolve


async def _neighbour_slice(
    field: RelationField, record: Node, info: Info, first: int | None, after: str | None, rel_where: Any
) -> NeighbourSlice:
    """One parent's page and/or count; the loaders batch them over every parent in the list."""
    window = page_window(first, after)
    wanted, loaders = selected_names(info), _context(info).loaders
    # One extra item tells whether another page follows; over keyed relationships an item is a
    # related node with all its relationships (`distinct`).
    distinct = field.keyed
    page_query = NeighbourQuery(field.rel.type, field.direction, rel_where, window.offset, window.limit + 1, distinct)
    count_query = NeighbourQuery(field.rel.type, field.direction, rel_where, distinct=distinct)
    page = loaders.neighbours(record.ref, page_query) if wanted & PAGE_FIELDS else _nothing([])
    total = loaders.neighbour_count(record.ref, count_query) if COUNT_FIELD in wanted else _nothing(None)
    found, count = await asyncio.gather(page, total)
    items = related_nodes(found) if distinct else found
    return NeighbourSlice(items[: window.limit], window.offset, len(items) > window.limit, count)


async def _nothing(value: Any) -> Any:
    return value


async def resolve_node(info: Info, id: strawberry.ID) -> Any:
    """`node(id:)`: the node a global ID names, or null when it does not exist."""
    found = await _context(info).loaders.nodes.load(from_global_id(id))
    return wrap(found) if found is not None else None


async def resolve_nodes(info: Info, ids: list[strawberry.ID]) -> list[Any]:
    """`nodes(ids:)`: the nodes in the order of `ids`, null for those that do not exist."""
    refs = [from_global_id(global_id) for global_id in ids]
    found = await _context(info).loaders.nodes.load_many(refs)
    return [wrap(node) if node is not None else None for node in found]


async def search_hits(info: Info, text: str, labels: list[str], first: int | None) -> list[tuple[Node, float]]:
    if not text.strip():
        raise UserInputError("search text must not be blank")
    window = page_window(first, None, default=SEARCH_PAGE_SIZE)
    hits: list[tuple[Node, float]] = await _context(info).store.search(text.strip(), labels, window.limit)
    return hits


def neighbour_node(item: Neighbour) -> Any:
    return wrap(item.node)
