"""Projection over the `GraphStore` protocol's public reads: batched `find_nodes` and
`neighbours` calls, one per kind and relationship type. It serves the embedded store (where
each call is an in-process lookup) and any other store without a specialised projection."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

import networkx as nx

from graph.filters import Compare, Filter, Op, Related
from graph.model import RELS
from graph.projection import (
    GraphBuilder,
    Paths,
    Selection,
    assemble_paths,
    order_by_hops,
    parse_node_id,
    ref_id,
)
from graph.records import Direction, Neighbour, Node, NodeRef, Rel
from graph.store import GraphStore


def by_label(refs: Iterable[NodeRef]) -> dict[str, list[NodeRef]]:
    grouped: dict[str, list[NodeRef]] = defaultdict(list)
    for ref in refs:
        grouped[ref.label].append(ref)
    return grouped


class ProtocolProjection:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    # -- subgraph -------------------------------------------------------------------------

    def subgraph(self, selection: Selection, max_elements: int | None = None) -> nx.MultiDiGraph:
        builder = GraphBuilder(max_elements)
        members = self._chain_members(selection) if selection.chain else self._all_members(selection)
        for node in members:
            builder.add_node(node.label, node.key, node.props)
        self._add_induced_edges(builder, selection.relationship_types)
        return builder.graph

    def _all_members(self, selection: Selection) -> Iterator[Node]:
        for label in selection.node_labels:
            yield from self.store.find_nodes(label, where=self._location_filter(selection, label)).nodes

    @staticmethod
    def _location_filter(selection: Selection, label: str) -> Filter | None:
        if not selection.filters_location(label):
            return None
        in_districts = Compare("code", Op.IN, list(selection.districts))
        return in_districts if label == "District" else Related("LOCATED_IN", Direction.OUT, "District", in_districts)

    def _chain_members(self, selection: Selection) -> list[Node]:
        core = self._chain_enterprises(selection)
        members = {node.ref: node for node in core}
        refs = [node.ref for node in core]
        kept_labels = set(selection.node_labels)
        candidates = {
            n.node.ref: n.node for n in self._adjacent(refs, selection.relationship_types) if n.node.label in kept_labels
        }
        kept = self._keep_located(selection, [ref for ref in candidates if ref not in members])
        members.update((ref, candidates[ref]) for ref in kept)
        return list(members.values())

    def _chain_enterprises(self, selection: Selection) -> list[Node]:
        assert selection.chain is not None
        chains = self.store.get_nodes("IndustryChain", [selection.chain])
        if not chains:
            raise ValueError(f"no industry chain has code {selection.chain!r}")
        subtree, frontier = set(), [chains[selection.chain].ref]
        while frontier:
            subtree.update(frontier)
            found = self.store.neighbours(frontier, "PART_OF", Direction.IN)
            frontier = [n.node.ref for ns in found.values() for n in ns if n.node.ref not in subtree]
        found = self.store.neighbours(sorted(subtree, key=ref_id), "IN_CHAIN", Direction.IN)
        enterprises = {n.node.ref: n.node for ns in found.values() for n in ns}
        kept = self._keep_located(selection, list(enterprises))
        return [enterprises[ref] for ref in kept]

    def _keep_located(self, selection: Selection, refs: list[NodeRef]) -> list[NodeRef]:
        """The refs that pass the selection's district filter."""
        if not selection.districts:
            return refs
        wanted = set(selection.districts)
        located = [ref for ref in refs if ref.label in RELS["LOCATED_IN"].sources]
        places = self.store.neighbours(located, "LOCATED_IN", Direction.OUT) if located else {}
        inside = {ref for ref, ns in places.items() if any(n.node.key in wanted for n in ns)}
        return [
            ref for ref in refs
            if ref in inside or (ref.label == "District" and ref.key in wanted)
            or not selection.filters_location(ref.label)
        ]

    def _add_induced_edges(self, builder: GraphBuilder, rel_types: Sequence[str]) -> None:
        """Every relationship of `rel_types` whose two ends are already in the graph."""
        refs = [parse_node_id(nid) for nid in builder.graph]
        grouped = by_label(refs)
        for rel_type in rel_types:
            for label in RELS[rel_type].sources:
                if not grouped.get(label):
                    continue
                for neighbours in self.store.neighbours(grouped[label], rel_type, Direction.OUT).values():
                    for neighbour in neighbours:
                        self._add_rel(builder, neighbour.rel)

    @staticmethod
    def _add_rel(builder: GraphBuilder, rel: Rel) -> None:
        source, target = ref_id(rel.source), ref_id(rel.target)
        if source in builder.graph and target in builder.graph:
            builder.add_edge(rel.rel_type, source, target, rel.props)

    def _adjacent(self, refs: Sequence[NodeRef], rel_types: Sequence[str]) -> Iterator[Neighbour]:
        """Neighbours of `refs` over `rel_types` in both directions, in a stable order."""
        grouped = by_label(refs)
        for rel_type in rel_types:
            kind = RELS[rel_type]
            for label, direction in [*((s, Direction.OUT) for s in kind.sources), (kind.target, Direction.IN)]:
                if grouped.get(label):
                    for neighbours in self.store.neighbours(grouped[label], rel_type, direction).values():
                        yield from neighbours

    # -- neighbourhood --------------------------------------------------------------------

    def neighbourhood(self, center: NodeRef, depth: int, rel_types: Sequence[str], limit: int) -> nx.MultiDiGraph:
        members = {ref_id(center): self._existing(center)}
        frontier = [center]
        for _ in range(depth):
            if not frontier or len(members) >= limit:
                break
            found = {ref_id(n.node.ref): n.node for n in self._adjacent(frontier, rel_types)}
            chosen = order_by_hops((nid for nid in found if nid not in members), limit - len(members))
            members.update((nid, found[nid]) for nid in chosen)
            frontier = [found[nid].ref for nid in chosen]
        builder = GraphBuilder()
        for node in members.values():
            builder.add_node(node.label, node.key, node.props)
        self._add_induced_edges(builder, rel_types)
        return builder.graph

    def _existing(self, ref: NodeRef) -> Node:
        found = self.store.get_nodes(ref.label, [ref.key])
        if ref.key not in found:
            raise KeyError(f"no {ref.label} has key {ref.key!r}")
        return found[ref.key]

    # -- shortest paths -------------------------------------------------------------------

    def shortest_paths(
        self, source: NodeRef, target: NodeRef, max_length: int, rel_types: Sequence[str], limit: int
    ) -> Paths:
        search = _PathSearch({ref_id(source): self._existing(source)}, ref_id(source), ref_id(target))
        self._existing(target)
        frontier = [source]
        for level in range(1, max_length + 1):
            if search.reached() or not frontier:
                break
            frontier = search.expand(level, self._adjacent(frontier, rel_types))
        return search.paths(limit)


class _PathSearch:
    """Breadth-first search keeping every shortest predecessor and the relationships used."""

    def __init__(self, nodes: dict[str, Node], source: str, target: str) -> None:
        self.nodes, self.source, self.target = nodes, source, target
        self.depth = {source: 0}
        self.preds: dict[str, set[str]] = defaultdict(set)
        self.rels: dict[frozenset[str], list[Rel]] = defaultdict(list)

    def reached(self) -> bool:
        return self.target in self.depth

    def expand(self, level: int, neighbours: Iterable[Neighbour]) -> list[NodeRef]:
        fresh: list[NodeRef] = []
        for neighbour in neighbours:
            ends = (ref_id(neighbour.rel.source), ref_id(neighbour.rel.target))
            nid = ref_id(neighbour.node.ref)
            pred = ends[0] if ends[1] == nid else ends[1]
            if self.depth.get(pred) != level - 1 or self.depth.get(nid, level) != level:
                continue
            if nid not in self.depth:
                self.depth[nid], self.nodes[nid] = level, neighbour.node
                fresh.append(neighbour.node.ref)
            self.preds[nid].add(pred)
            self.rels[frozenset(ends)].append(neighbour.rel)
        return fresh

    def paths(self, limit: int) -> Paths:
        length = self.depth.get(self.target)
        return assemble_paths(self.nodes, self.preds, self.rels, (self.source, self.target), length, limit)


__all__ = ["ProtocolProjection"]
