"""Per-request DataLoaders, so a list of N parents costs one store call per level, not N.

Every relationship field of a level (pages and counts alike, whatever the relationship) is read
by one `neighbour_batch` call: on Neo4j, one round trip for the whole level. Keys that share
everything but the parent (same relationship, direction, edge filter and page window) become one
read over all their parents.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import cast

from strawberry.dataloader import DataLoader

from api.store_access import RequestStore
from graph.filters import Filter
from graph.records import Direction, Neighbour, Node, NodeRef
from graph.store import NeighbourRead


@dataclass(frozen=True)
class NeighbourQuery:
    """What a relationship field asks of each parent (filters hold tuples, so this hashes)."""

    rel_type: str
    direction: Direction
    rel_where: Filter | None = None
    offset: int = 0
    limit: int | None = None
    distinct: bool = False


RelationKey = tuple[NodeRef, NeighbourQuery, bool]  # (parent, query, counting)


class Loaders:
    def __init__(self, store: RequestStore) -> None:
        self.store = store
        self.nodes: DataLoader[NodeRef, Node | None] = DataLoader(load_fn=self._load_nodes)
        self.relations: DataLoader[RelationKey, list[Neighbour] | int] = DataLoader(load_fn=self._load_relations)

    def prime(self, nodes: Sequence[Node]) -> None:
        """Nodes a page already fetched need no second read when asked for by id."""
        self.nodes.prime_many({node.ref: node for node in nodes})

    # Plain functions, not coroutines: the load is queued when the resolver asks, so every field
    # of a level joins the same batch.
    def neighbours(self, ref: NodeRef, query: NeighbourQuery) -> Awaitable[list[Neighbour]]:
        return cast(Awaitable[list[Neighbour]], self.relations.load((ref, query, False)))

    def neighbour_count(self, ref: NodeRef, query: NeighbourQuery) -> Awaitable[int]:
        return cast(Awaitable[int], self.relations.load((ref, query, True)))

    async def _load_nodes(self, refs: list[NodeRef]) -> list[Node | None]:
        by_label: dict[str, set[str]] = defaultdict(set)
        for ref in refs:
            by_label[ref.label].add(ref.key)
        labels = list(by_label)
        found = await asyncio.gather(*(self.store.get_nodes(label, sorted(by_label[label])) for label in labels))
        nodes = dict(zip(labels, found, strict=True))
        return [nodes[ref.label].get(ref.key) for ref in refs]

    async def _load_relations(self, keys: list[RelationKey]) -> list[list[Neighbour] | int]:
        """One `neighbour_batch` for every page and count asked for in this tick."""
        parents: dict[tuple[NeighbourQuery, bool], dict[NodeRef, None]] = defaultdict(dict)  # ordered sets
        for ref, query, counting in keys:
            parents[(query, counting)][ref] = None
        pages = [spec for spec in parents if not spec[1]]
        counts = [spec for spec in parents if spec[1]]
        found_pages, found_counts = await self.store.neighbour_batch(
            [_read(query, parents[(query, False)]) for query, _ in pages],
            [_read(query, parents[(query, True)]) for query, _ in counts],
        )
        by_page = dict(zip(pages, found_pages, strict=True))
        by_count = dict(zip(counts, found_counts, strict=True))
        return [
            by_count[(query, True)].get(ref, 0) if counting else by_page[(query, False)].get(ref, [])
            for ref, query, counting in keys
        ]


def _read(query: NeighbourQuery, refs: dict[NodeRef, None]) -> NeighbourRead:
    return NeighbourRead(tuple(refs), query.rel_type, query.direction, query.rel_where, query.offset, query.limit,
                         query.distinct)
