"""Reads over the embedded store's in-memory graph: filter evaluation, ordering, paging,
neighbours and search. The meaning of each operator is `graph.filters.compare`; the meaning of
search relevance is `graph.relevance`."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from graph.aliases import expansions, pinyin_ordered, sort_key
from graph.embedded.memory import KeyValues, MemoryGraph, NodeId, Props
from graph.embedded.plan import key_property
from graph.filters import And, Compare, Filter, Not, Op, Or, Related, compare
from graph.model import NODES, node_kind
from graph.records import Direction, Neighbour, Node, NodeRef, OrderBy, Page, Rel
from graph.relevance import SEARCHED_PROPS, relevance
from graph.store import check_search_limit, check_window

Item = tuple[str, Props]  # (key, props) of a node of a known label
Edge = tuple[NodeId, KeyValues, Props]  # (other end, key values, props) of a relationship


class Reader:
    """Answers reads against one `MemoryGraph` (the caller holds the store's lock)."""

    def __init__(self, memory: MemoryGraph) -> None:
        self.memory = memory
        self._seen: dict[tuple[int, NodeId], bool] | None = None  # see `_node_matches`

    def matches(self, node: NodeId, props: Props, where: Filter) -> bool:
        if isinstance(where, Compare):
            return compare(props.get(where.field), where.op, where.value)
        if isinstance(where, And):
            return all(self.matches(node, props, part) for part in where.parts)
        if isinstance(where, Or):
            return any(self.matches(node, props, part) for part in where.parts)
        if isinstance(where, Not):
            return not self.matches(node, props, where.part)
        edges = self.memory.edges(node, where.rel_type, Direction(where.direction))
        found = any(self._related(other, rel_props, where) for other, _, rel_props in edges)
        return found != where.none

    def _related(self, other: NodeId, rel_props: Props, where: Related) -> bool:
        if other[0] != where.label:
            return False
        if where.rel_where is not None and not self.matches(other, rel_props, where.rel_where):
            return False
        return where.where is None or self._node_matches(other, where.where)

    def _node_matches(self, node: NodeId, where: Filter) -> bool:
        """Whether a related node matches; remembered during one `matching` call, which asks
        about the same neighbour again and again (a discipline that many schools offer)."""
        if self._seen is None:
            return self.matches(node, self.memory.nodes[node[0]][node[1]], where)
        asked = (id(where), node)
        found = self._seen.get(asked)
        if found is None:
            found = self._seen[asked] = self.matches(node, self.memory.nodes[node[0]][node[1]], where)
        return found

    def matching(self, label: str, where: Filter | None) -> list[Item]:
        items = self._candidates(label, where)
        if where is None:
            return list(items)
        self._seen = {}
        try:
            return [(key, props) for key, props in items if self.matches((label, key), props, where)]
        finally:
            self._seen = None

    def _candidates(self, label: str, where: Filter | None) -> Iterable[Item]:
        by_key = self.memory.nodes[label]
        keys = _key_lookup(key_property(label), where)
        if keys is None:
            return by_key.items()
        return [(key, by_key[key]) for key in keys if key in by_key]

    def page(self, label: str, items: list[Item], order_by: Sequence[OrderBy], offset: int, limit: int | None) -> Page:
        check_window(offset, limit)
        ordered = _ordered(items, order_by)
        end = None if limit is None else offset + limit
        nodes = [Node(label, key, dict(props)) for key, props in ordered[offset:end]]
        return Page(nodes, total_count=len(items), offset=offset, has_next=offset + len(nodes) < len(items))

    def edges(self, ref: NodeRef, rel_type: str, direction: Direction, rel_where: Filter | None) -> list[Edge]:
        found = self.memory.edges((ref.label, ref.key), rel_type, direction)
        return [edge for edge in found if rel_where is None or self.matches(edge[0], edge[2], rel_where)]

    def neighbours(
        self, ref: NodeRef, rel_type: str, direction: Direction, edges: list[Edge], offset: int, limit: int | None,
        distinct: bool = False,
    ) -> list[Neighbour]:
        """The window of `edges` (relationships, or with `distinct` related nodes, each with all
        its edges) as neighbours, ordered by node then the relationship's key."""
        edges.sort(key=lambda edge: (edge[0], edge[1]))
        end = None if limit is None else offset + limit
        window = _node_window(edges, offset, end) if distinct else edges[offset:end]
        return [self._neighbour(ref, rel_type, direction, edge) for edge in window]

    def _neighbour(self, ref: NodeRef, rel_type: str, direction: Direction, edge: Edge) -> Neighbour:
        (label, key), _, rel_props = edge
        other = NodeRef(label, key)
        source, target = (ref, other) if direction is Direction.OUT else (other, ref)
        node = Node(label, key, dict(self.memory.nodes[label][key]))
        return Neighbour(Rel(rel_type, source, target, dict(rel_props)), node)

    def search(self, text: str, labels: Sequence[str], limit: int) -> list[tuple[Node, float]]:
        check_search_limit(limit)
        for label in labels:
            node_kind(label)
        canonical = expansions(text)
        scored = (
            (-score, label, key)
            for label in (labels or NODES)
            for key, props in self.memory.nodes[label].items()
            if (score := relevance(text, [props.get(name) for name in SEARCHED_PROPS], key, canonical)) > 0
        )
        best = heapq.nsmallest(limit, scored)
        return [(Node(label, key, dict(self.memory.nodes[label][key])), -score) for score, label, key in best]



def _node_window(edges: list[Edge], offset: int, end: int | None) -> list[Edge]:
    """The edges of the distinct nodes from `offset` to `end` among sorted `edges`."""
    kept = set(list(dict.fromkeys(edge[0] for edge in edges))[offset:end])
    return [edge for edge in edges if edge[0] in kept]


def distinct_ends(edges: list[Edge]) -> int:
    """How many distinct nodes `edges` reach."""
    return len({edge[0] for edge in edges})


def _key_lookup(key_name: str, where: Filter | None) -> list[str] | None:
    """The only keys that can match a filter that pins the key (`key = x`, `key in [...]`, or an
    AND containing one), else None; the filter is still evaluated on them."""
    if isinstance(where, Compare) and where.field == key_name:
        if where.op is Op.EQ:
            return [where.value] if isinstance(where.value, str) else []
        if where.op is Op.IN and isinstance(where.value, list | tuple | set | frozenset):
            return [value for value in dict.fromkeys(where.value) if isinstance(value, str)]
    if isinstance(where, And):
        for part in where.parts:
            if (keys := _key_lookup(key_name, part)) is not None:
                return keys
    return None


def _ordered(items: list[Item], order_by: Sequence[OrderBy]) -> list[Item]:
    """Sorted by `order_by` then key, missing values last in either direction (stable passes,
    least significant first)."""
    ordered = sorted(items, key=lambda item: item[0])
    for order in reversed(order_by):
        ordered.sort(key=_sort_key(order.field, order.descending), reverse=order.descending)
    return ordered


def _sort_key(field: str, descending: bool) -> Callable[[Item], tuple[Any, ...]]:
    missing = (0,) if descending else (2,)
    by_pinyin = pinyin_ordered(field)

    def key(item: Item) -> tuple[Any, ...]:
        value = item[1].get(field)
        if value is None:
            return missing
        if isinstance(value, list):
            return (1, 3, tuple(value))
        if by_pinyin and isinstance(value, str):
            return (1, 2, sort_key(value), value)
        return (1, 0 if isinstance(value, bool) else 1 if isinstance(value, int | float) else 2, value)

    return key
