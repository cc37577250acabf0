"""Per-request DataLoaders, so a list of N parents costs one store call per field, not N.

Keys that share everything but the parent (same relationship, direction, edge filter and page
window) are answered by one batched `neighbours` or `count_neighbours` call.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from strawberry.dataloader import DataLoader

from api.store_access import RequestStore
from graph.filters import Filter
from graph.records import Direction, Neighbour, Node, NodeRef

Spec = TypeVar("Spec", bound=Hashable)
Result = TypeVar("Result")


@dataclass(frozen=True)
class NeighbourQuery:
    """What a relationship field asks of each parent (filters hold tuples, so this hashes)."""

    rel_type: str
    direction: Direction
    rel_where: Filter | None = None
    offset: int = 0
    limit: int | None = None


class Loaders:
    def __init__(self, store: RequestStore) -> None:
        self.store = store
        self.nodes: DataLoader[NodeRef, Node | None] = DataLoader(load_fn=self._load_nodes)
        self.neighbours: DataLoader[tuple[NodeRef, NeighbourQuery], list[Neighbour]] = DataLoader(
            load_fn=self._load_neighbours
        )
        self.neighbour_counts: DataLoader[tuple[NodeRef, NeighbourQuery], int] = DataLoader(
            load_fn=self._load_neighbour_counts
        )

    def prime(self, nodes: Sequence[Node]) -> None:
        """Nodes a page already fetched need no second read when asked for by id."""
        self.nodes.prime_many({node.ref: node for node in nodes})

    async def _load_nodes(self, refs: list[NodeRef]) -> list[Node | None]:
        by_label: dict[str, set[str]] = defaultdict(set)
        for ref in refs:
            by_label[ref.label].add(ref.key)
        labels = list(by_label)
        found = await asyncio.gather(*(self.store.get_nodes(label, sorted(by_label[label])) for label in labels))
        nodes = dict(zip(labels, found, strict=True))
        return [nodes[ref.label].get(ref.key) for ref in refs]

    async def _load_neighbours(self, keys: list[tuple[NodeRef, NeighbourQuery]]) -> list[list[Neighbour]]:
        async def fetch(refs: list[NodeRef], query: NeighbourQuery) -> dict[NodeRef, list[Neighbour]]:
            return await self.store.neighbours(
                refs, query.rel_type, query.direction, query.rel_where, query.offset, query.limit
            )

        return await _per_query(keys, fetch, default=list)

    async def _load_neighbour_counts(self, keys: list[tuple[NodeRef, NeighbourQuery]]) -> list[int]:
        async def fetch(refs: list[NodeRef], query: NeighbourQuery) -> dict[NodeRef, int]:
            return await self.store.count_neighbours(refs, query.rel_type, query.direction, query.rel_where)

        return await _per_query(keys, fetch, default=int)


async def _per_query(
    keys: list[tuple[NodeRef, Spec]],
    fetch: Callable[[list[NodeRef], Spec], Awaitable[dict[NodeRef, Result]]],
    default: Callable[[], Result],
) -> list[Result]:
    """One `fetch` per distinct query with all its parents; answers in the order of `keys`."""
    refs_by_query: dict[Spec, dict[NodeRef, None]] = defaultdict(dict)  # an ordered set per query
    for ref, query in keys:
        refs_by_query[query][ref] = None
    queries = list(refs_by_query)
    answers = await asyncio.gather(*(fetch(list(refs_by_query[query]), query) for query in queries))
    by_query = dict(zip(queries, answers, strict=True))
    return [by_query[query].get(ref, default()) for ref, query in keys]
