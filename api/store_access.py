"""The store as one GraphQL request sees it.

The stores are synchronous. A store that talks to a server (Neo4j) is called from a worker
thread, so the event loop serves other requests while it waits on the network; the embedded
store computes in this process under the GIL, where a thread hop only adds latency (milliseconds
of GIL hand-over per call), so it is called inline. Every call is counted: the counts are the request's
store round trips, reported in the `X-Store-Calls` header, exported as a metric and pinned per
test operation by `tests/api/query_counts.json`.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from typing import Any

from graph.filters import Filter
from graph.records import Direction, Neighbour, Node, NodeRef, OrderBy, Page
from graph.store import GraphStore, NeighbourCounts, NeighbourPages, NeighbourRead
from graph.trees import Block, TreeRead


class RequestStore:
    def __init__(self, store: GraphStore, inline: bool = False) -> None:
        self.store = store
        self.inline = inline
        self.calls: Counter[str] = Counter()

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Any `GraphStore` method by name, counted (mutations use this for `apply`)."""
        self.calls[method] += 1
        if self.inline:
            return getattr(self.store, method)(*args, **kwargs)
        return await asyncio.to_thread(getattr(self.store, method), *args, **kwargs)

    async def get_nodes(self, label: str, keys: Sequence[str]) -> dict[str, Node]:
        result: dict[str, Node] = await self.call("get_nodes", label, list(keys))
        return result

    async def find_nodes(
        self, label: str, where: Filter | None, order_by: Sequence[OrderBy], offset: int, limit: int
    ) -> Page:
        page: Page = await self.call("find_nodes", label, where, list(order_by), offset, limit)
        return page

    async def count_nodes(self, label: str, where: Filter | None) -> int:
        count: int = await self.call("count_nodes", label, where)
        return count

    async def neighbours(
        self, refs: Sequence[NodeRef], rel_type: str, direction: Direction, rel_where: Filter | None,
        offset: int, limit: int | None,
    ) -> dict[NodeRef, list[Neighbour]]:
        found: dict[NodeRef, list[Neighbour]] = await self.call(
            "neighbours", list(refs), rel_type, direction, rel_where, offset, limit
        )
        return found

    async def count_neighbours(
        self, refs: Sequence[NodeRef], rel_type: str, direction: Direction, rel_where: Filter | None
    ) -> dict[NodeRef, int]:
        counts: dict[NodeRef, int] = await self.call("count_neighbours", list(refs), rel_type, direction, rel_where)
        return counts

    async def neighbour_batch(
        self, pages: Sequence[NeighbourRead], counts: Sequence[NeighbourRead]
    ) -> tuple[list[NeighbourPages], list[NeighbourCounts]]:
        found: tuple[list[NeighbourPages], list[NeighbourCounts]] = await self.call(
            "neighbour_batch", list(pages), list(counts)
        )
        return found

    async def read_tree(self, tree: TreeRead) -> Block:
        block: Block = await self.call("read_tree", tree)
        return block

    async def search(self, text: str, labels: Sequence[str], limit: int) -> list[tuple[Node, float]]:
        hits: list[tuple[Node, float]] = await self.call("search", text, list(labels), limit)
        return hits
