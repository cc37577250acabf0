"""Projection on Neo4j: a subgraph is one streaming read (`execute_read` iterating the rows of
one UNION query), never a round trip per node; a neighbourhood takes one read per level; shortest
paths one read. The Cypher lives in `graph.neo4j.cypher.projection`."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeVar

import networkx as nx

from graph.neo4j.cypher.projection import (
    Query,
    center_query,
    members_query,
    next_level_query,
    shortest_paths_query,
    subgraph_query,
)
from graph.projection import GraphBuilder, Paths, Selection, SubgraphTooLarge, assemble_paths, node_id, ref_id
from graph.records import Node, NodeRef, Rel

if TYPE_CHECKING:  # the store hands itself in (`Neo4jStore.projection`)
    from graph.neo4j.store import Neo4jStore

T = TypeVar("T")
# allShortestPaths enumerates every combination of parallel relationships; stop somewhere.
PATH_ROWS_CAP: Final = 10_000
Row = tuple[str, str, Any, str | None, str | None, str | None]


class Neo4jProjection:
    def __init__(self, store: Neo4jStore) -> None:
        self.store = store

    def _read(self, query: Query, consume: Callable[[Iterable[Any]], T]) -> T:
        """Run `query` in a read transaction (routed to a reader) and let `consume` iterate its
        records as they stream; `consume` must start afresh since a transient error retries it."""
        text, params = query

        def work(tx: Any) -> T:
            return consume(tx.run(text, params))

        with self.store.driver.session(**self.store.session_args) as session:
            return session.execute_read(work)

    def subgraph(self, selection: Selection, max_elements: int | None = None) -> nx.MultiDiGraph:
        if selection.chain and not self.store.get_nodes("IndustryChain", [selection.chain]):
            raise ValueError(f"no industry chain has code {selection.chain!r}")
        # Without a chain every relationship row joins two members, so the row count is exact.
        bound = None if selection.chain else max_elements
        return self._read(subgraph_query(selection), lambda rows: build(rows, max_elements, bound))

    def neighbourhood(self, center: NodeRef, depth: int, rel_types: Sequence[str], limit: int) -> nx.MultiDiGraph:
        found = self._read(center_query(center.label, center.key), lambda rows: [row["id"] for row in rows])
        if not found:
            raise KeyError(f"no {center.label} has key {center.key!r}")
        members, frontier = list(found), list(found)
        for _ in range(depth):
            if not frontier or len(members) >= limit:
                break
            query = next_level_query(frontier, members, rel_types, limit - len(members))
            frontier = self._read(query, lambda rows: [row["id"] for row in rows])
            members += frontier
        return self._read(members_query(members, rel_types), lambda rows: build(rows, None, None))

    def shortest_paths(
        self, source: NodeRef, target: NodeRef, max_length: int, rel_types: Sequence[str], limit: int
    ) -> Paths:
        ends = (source.label, source.key), (target.label, target.key)
        query = shortest_paths_query(*ends, max_length, rel_types, PATH_ROWS_CAP)
        rows = [] if source == target else self._read(query, lambda rows: [(r["nodes"], r["rels"]) for r in rows])
        if not rows:
            self._check_exists(source, target)
        if source == target:
            node = self.store.get_nodes(source.label, [source.key])[source.key]
            return assemble_paths({ref_id(source): node}, {}, {}, (ref_id(source),) * 2, 0, limit)
        return paths_from_rows(rows, (ref_id(source), ref_id(target)), limit)

    def _check_exists(self, *refs: NodeRef) -> None:
        for ref in refs:
            if ref.key not in self.store.get_nodes(ref.label, [ref.key]):
                raise KeyError(f"no {ref.label} has key {ref.key!r}")


def build(records: Iterable[Any], max_elements: int | None, bound: int | None) -> nx.MultiDiGraph:
    """A projection from node and relationship rows. Relationship rows wait until every node has
    arrived and are kept only when both ends are nodes of the projection. `bound` stops the
    stream early once nodes plus relationships pass it."""
    builder, pending = GraphBuilder(max_elements), []
    for record in records:
        if record["type"] is None:
            builder.add_node(record["label"], record["key"], record["props"])
        else:
            pending.append(tuple(record.values(*ROW_FIELDS)))
        if bound is not None and builder.size + len(pending) > bound:
            raise SubgraphTooLarge(f"the selection holds more than {bound} nodes and relationships")
    for label, key, props, rel_type, target_label, target_key in pending:
        source, target = node_id(label, key), node_id(target_label, target_key)
        if source in builder.graph and target in builder.graph:
            builder.add_edge(rel_type, source, target, props)
    return builder.graph


ROW_FIELDS: Final = ("label", "key", "props", "type", "target_label", "target_key")


def paths_from_rows(rows: list[tuple[list[Any], list[Any]]], ends: tuple[str, str], limit: int) -> Paths:
    """`Paths` from allShortestPaths rows: node triples and relationship rows indexing them."""
    nodes: dict[str, Node] = {}
    preds: dict[str, set[str]] = defaultdict(set)
    rels: dict[frozenset[str], list[Rel]] = defaultdict(list)
    for path_nodes, path_rels in rows:
        ids = [node_id(label, key) for label, key, _ in path_nodes]
        for (label, key, props), nid in zip(path_nodes, ids, strict=True):
            nodes[nid] = Node(label, key, props)
        for before, after in itertools.pairwise(ids):
            preds[after].add(before)
        for rel_type, start, end, props in path_rels:
            rel = Rel(rel_type, nodes[ids[start]].ref, nodes[ids[end]].ref, props)
            rels[frozenset((ids[start], ids[end]))].append(rel)
    length = len(rows[0][0]) - 1 if rows else None
    return assemble_paths(nodes, preds, rels, ends, length, limit)
