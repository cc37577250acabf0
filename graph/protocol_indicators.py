"""`indicator_counts` over the `GraphStore` protocol's public reads (`find_nodes`, `neighbours`):
every node or relationship measured is read, its places and chains reached in one batched
neighbour read per hop and kind, and the groups counted in Python. The embedded store answers
in process, so this is its own way; Neo4j groups in Cypher (`graph.neo4j.cypher.indicators`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any

from graph.indicators import OUT, PATHS, GroupCount, Grouped, IndicatorCounts, Measure, property_value
from graph.model import NODES, RELS
from graph.records import NodeRef
from graph.store import GraphStore


@dataclass(frozen=True)
class Item:
    """One node or relationship counted: its properties and the nodes its places and chains come from."""

    props: Mapping[str, Any]
    ends: tuple[NodeRef, ...]  # the node itself, or a relationship's source then target


Reached = dict[NodeRef, list[Grouped]]  # node → the districts, zones or chains it reaches


def indicator_counts(store: GraphStore, measure: Measure) -> IndicatorCounts:
    items = _items(store, measure.of)
    places = {dimension: _reach(store, dimension, items) for dimension in measure.group_by if dimension in PATHS}
    grouped: dict[tuple[Grouped, ...], list[Item]] = defaultdict(list)
    for item in items:
        options = [_values(item, dimension, places.get(dimension)) for dimension in measure.group_by]
        for group in product(*options):
            grouped[group].append(item)
    rows = [GroupCount(group, len(found), _sum(found, measure.sum), _synthetic(found)) for group, found in grouped.items()]
    return IndicatorCounts(rows, len(items), _synthetic(items))


def _items(store: GraphStore, of: str) -> list[Item]:
    if of in NODES:
        return [Item(node.props, (node.ref,)) for node in store.find_nodes(of).nodes]
    items = []
    for source in RELS[of].sources:
        refs = [node.ref for node in store.find_nodes(source).nodes]
        for ref, found in store.neighbours(refs, of, OUT).items():
            items += [Item(neighbour.rel.props, (ref, neighbour.node.ref)) for neighbour in found]
    return items


def _reach(store: GraphStore, dimension: str, items: Iterable[Item]) -> Reached:
    """For every end of every item with a path to `dimension`, the nodes the path ends at."""
    starts = {end for item in items for end in item.ends if end.label in PATHS[dimension]}
    reached: Reached = {}
    for label in {ref.label for ref in starts}:
        refs = [ref for ref in starts if ref.label == label]
        frontier: dict[NodeRef, set[NodeRef]] = {ref: {ref} for ref in refs}
        names: dict[NodeRef, str] = {}
        for rel_type, direction in PATHS[dimension][label]:
            step = store.neighbours(sorted({r for found in frontier.values() for r in found}, key=_ref_order),
                                    rel_type, direction)
            for found in step.values():
                names.update((n.node.ref, str(n.node.props.get("name", n.node.key))) for n in found)
            frontier = {ref: {n.node.ref for r in found for n in step.get(r, [])} for ref, found in frontier.items()}
        reached.update({ref: sorted(Grouped(end.key, names[end]) for end in ends) for ref, ends in frontier.items()})
    return reached


def _ref_order(ref: NodeRef) -> tuple[str, str]:
    return ref.label, ref.key


def _values(item: Item, dimension: str, reached: Reached | None) -> list[Grouped]:
    if reached is not None:
        # the first end (source, then target) with a path to this dimension decides; none: no value
        end = next((end for end in item.ends if end.label in PATHS[dimension]), None)
        return (reached.get(end, []) if end is not None else []) or [Grouped(None)]
    return [Grouped(property_value(item.props.get(dimension)))]


def _sum(items: list[Item], amount: str | None) -> float | None:
    if amount is None:
        return None
    return sum(float(item.props.get(amount) or 0) for item in items)


def _synthetic(items: Iterable[Item]) -> int:
    return sum(item.props.get("synthetic") is True for item in items)
