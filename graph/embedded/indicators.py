"""`indicator_counts` over the embedded store's in-memory graph: the nodes and relationships
measured are walked in place (their property maps as memory holds them, never copied into
records) and counted with `graph.indicators.tally`, as the protocol version
(`graph.protocol_indicators`) counts them. Places and chains are found backwards, from each
district, zone or chain along its paths (`PATHS`) reversed: those few nodes' relationships are
far fewer than the relationships of every node counted."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from graph.embedded.memory import MemoryGraph, NodeId
from graph.indicators import (
    OUT,
    PATHS,
    PLACES,
    Grouped,
    Hops,
    IndicatorCounts,
    Item,
    Measure,
    Reached,
    place_name,
    tally,
)
from graph.model import NODES, RELS
from graph.records import Direction

BACK = {Direction.OUT: Direction.IN, Direction.IN: Direction.OUT}


def indicator_counts(memory: MemoryGraph, measures: Sequence[Measure]) -> list[IndicatorCounts]:
    """Each measure counted; every dimension's places are found once for all of them. The caller
    holds the store's lock for as long as this reads memory."""
    placed: dict[str, Reached] = {}

    def reach(dimension: str, starts: set[NodeId]) -> Reached:
        if dimension not in placed:
            placed[dimension] = _placed(memory, dimension)
        return placed[dimension]

    return [tally(measure, _items(memory, measure.of), reach) for measure in measures]


def _items(memory: MemoryGraph, of: str) -> Iterator[Item]:
    if of in NODES:
        yield from ((props, ((of, key),)) for key, props in memory.nodes[of].items())
        return
    for source in RELS[of].sources:
        for key in memory.nodes[source]:
            node = (source, key)
            yield from ((props, (node, other)) for other, _, props in memory.edges(node, of, OUT))


def _placed(memory: MemoryGraph, dimension: str) -> Reached:
    """Every node with a path to `dimension` → the places or chains it reaches, in key order."""
    kinds: dict[Hops, set[str]] = defaultdict(set)  # a path → the kinds of node it starts from
    for label, hops in PATHS[dimension].items():
        kinds[hops].add(label)
    place = PLACES[dimension]
    placed: dict[NodeId, list[Grouped]] = defaultdict(list)
    by_key = memory.nodes[place]
    for key in sorted(by_key):
        grouped = Grouped(key, place_name(key, by_key[key]))
        for hops, labels in kinds.items():
            for node in _back(memory, (place, key), hops):
                if node[0] in labels:
                    placed[node].append(grouped)
    return placed


def _back(memory: MemoryGraph, end: NodeId, hops: Hops) -> set[NodeId]:
    """The nodes whose path `hops` ends at `end`."""
    frontier = {end}
    for rel_type, direction in reversed(hops):
        frontier = {other for node in frontier for other, _, _ in memory.edges(node, rel_type, BACK[direction])}
    return frontier
