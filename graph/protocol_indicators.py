"""`indicator_counts` over the `GraphStore` protocol's public reads (`find_nodes`, `neighbours`):
every node or relationship measured is read, its places and chains reached in one batched
neighbour read per hop and kind, and the groups counted in Python (`graph.indicators.tally`).
Works with any store; the embedded store counts over its memory instead
(`graph.embedded.indicators`), Neo4j in Cypher (`graph.neo4j.cypher.indicators`)."""

from __future__ import annotations

from collections.abc import Iterator

from graph.indicators import OUT, PATHS, End, Grouped, IndicatorCounts, Item, Measure, Reached, place_name, tally
from graph.model import NODES, RELS
from graph.records import NodeRef
from graph.store import GraphStore


def indicator_counts(store: GraphStore, measure: Measure) -> IndicatorCounts:
    return tally(measure, _items(store, measure.of), lambda dimension, starts: _reach(store, dimension, starts))


def _items(store: GraphStore, of: str) -> Iterator[Item]:
    if of in NODES:
        yield from ((node.props, ((of, node.key),)) for node in store.find_nodes(of).nodes)
        return
    for source in RELS[of].sources:
        refs = [node.ref for node in store.find_nodes(source).nodes]
        for ref, found in store.neighbours(refs, of, OUT).items():
            yield from ((hit.rel.props, (_end(ref), _end(hit.node.ref))) for hit in found)


def _reach(store: GraphStore, dimension: str, starts: set[End]) -> Reached:
    """For each start, the places or chains at the end of `dimension`'s path from its kind
    (`PATHS`); one batched neighbour read per hop and kind of start."""
    reached: dict[End, list[Grouped]] = {}
    for label in {start[0] for start in starts}:
        frontier = {start: {start} for start in starts if start[0] == label}
        names: dict[End, str] = {}
        for rel_type, direction in PATHS[dimension][label]:
            nodes = sorted(set().union(*frontier.values()))
            step = store.neighbours([NodeRef(*node) for node in nodes], rel_type, direction)
            names.update((_end(hit.node.ref), place_name(hit.node.key, hit.node.props)) for hits in step.values() for hit in hits)
            hop = {_end(ref): [_end(hit.node.ref) for hit in hits] for ref, hits in step.items()}
            frontier = {start: {other for node in found for other in hop.get(node, ())} for start, found in frontier.items()}
        reached.update({start: sorted(Grouped(end[1], names[end]) for end in ends) for start, ends in frontier.items()})
    return reached


def _end(ref: NodeRef) -> End:
    return ref.label, ref.key
