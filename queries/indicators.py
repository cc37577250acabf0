"""`indicators`: counts (and sums) of nodes or relationships grouped by place, chain and coded
properties, for dashboards: one call instead of many aliased `totalCount`s.

A measure counts the nodes of one kind (`of: "Enterprise"`) or the relationships of one type
(`of: "DEMANDS"`), optionally sums one of their numeric properties (`sum: "openings"`), and groups
by any of these dimensions:

- `district`: the district a node is LOCATED_IN (a zone: the districts it COVERS);
- `zone`: the zones that COVER that district;
- `chain`: the chains an enterprise is IN_CHAIN with, a base, alliance or project SERVES, or a
  discipline is NEEDed by (NEEDS);
- a property of what is counted that has choices (`level`, `integration_level`, `tier`, `type`…),
  is yes/no (`leading`) or is a year (`year`, `founded`, `start_year`…).

A relationship takes district, zone and chain from its source when the source has them, otherwise
from its target: DEMANDS by the enterprise's district and chains, OFFERS by the school's district
and by the chains that need the discipline. Something in several groups (an enterprise in two
chains) counts in each; something with no value counts in the group whose value is None. Every row
says how much of what it counted was synthetic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

from graph.labels import Lang, value_label
from graph.model import NODES, RELS, Prop, PropType
from graph.records import Direction, NodeRef
from graph.store import GraphStore
from queries.synthetic import SyntheticShare, share_of

DISTRICT, ZONE, CHAIN = "district", "zone", "chain"
MAX_MEASURES = 20
MAX_DIMENSIONS = 3
NO_VALUE = {Lang.ZH: "（无）", Lang.EN: "(none)"}

Hops = tuple[tuple[str, Direction], ...]
OUT, IN = Direction.OUT, Direction.IN
# How each place or chain dimension is reached from a node of each kind.
PATHS: Mapping[str, Mapping[str, Hops]] = {
    DISTRICT: {**{label: (("LOCATED_IN", OUT),) for label in RELS["LOCATED_IN"].sources}, "Zone": (("COVERS", OUT),)},
    ZONE: {label: (("LOCATED_IN", OUT), ("COVERS", IN)) for label in RELS["LOCATED_IN"].sources},
    CHAIN: {"Enterprise": (("IN_CHAIN", OUT),), **{label: (("SERVES", OUT),) for label in RELS["SERVES"].sources},
            "Discipline": (("NEEDS", IN),)},
}


@dataclass(frozen=True)
class Measure:
    of: str
    group_by: tuple[str, ...] = ()
    sum: str | None = None


@dataclass(frozen=True)
class GroupValue:
    dimension: str
    value: str | None
    label: str


@dataclass(frozen=True)
class IndicatorRow:
    group: tuple[GroupValue, ...]
    count: int
    sum: float | None
    synthetic: SyntheticShare


@dataclass(frozen=True)
class Indicator:
    measure: Measure
    rows: list[IndicatorRow]
    count: int  # everything counted, each once
    synthetic: SyntheticShare


@dataclass(frozen=True)
class Item:
    """One node or relationship counted: its properties and the nodes its places and chains come from."""

    props: Mapping[str, Any]
    ends: tuple[NodeRef, ...]  # the node itself, or a relationship's source then target


def indicators(store: GraphStore, measures: Sequence[Measure], lang: Lang = Lang.ZH) -> list[Indicator]:
    if not 1 <= len(measures) <= MAX_MEASURES:
        raise ValueError(f"measures: expected 1 to {MAX_MEASURES}, not {len(measures)}")
    for index, measure in enumerate(measures):
        check_measure(measure, f"measures[{index}]")
    return [indicator(store, measure, lang) for measure in measures]


def indicator(store: GraphStore, measure: Measure, lang: Lang) -> Indicator:
    items = _items(store, measure.of)
    places = {dimension: _reach(store, dimension, items) for dimension in measure.group_by if dimension in PATHS}
    grouped: dict[tuple[GroupValue, ...], list[Item]] = defaultdict(list)
    for item in items:
        options = [_values(item, dimension, places.get(dimension), lang) for dimension in measure.group_by]
        for group in product(*options):
            grouped[group].append(item)
    counted = f"{measure.of} counted"
    rows = [IndicatorRow(group, len(found), _sum(found, measure.sum), share_of((i.props for i in found), counted))
            for group, found in sorted(grouped.items(), key=lambda entry: [_order(v) for v in entry[0]])]
    return Indicator(measure, rows, len(items), share_of((item.props for item in items), counted))


def check_measure(measure: Measure, where: str) -> None:
    """ValueError naming the measure, the argument and what is allowed."""
    if measure.of not in NODES and measure.of not in RELS:
        raise ValueError(f"{where}.of: {measure.of!r} is neither a node kind ({', '.join(NODES)}) "
                         f"nor a relationship type ({', '.join(RELS)})")
    if len(measure.group_by) > MAX_DIMENSIONS or len(set(measure.group_by)) != len(measure.group_by):
        raise ValueError(f"{where}.groupBy: at most {MAX_DIMENSIONS} different dimensions, not {list(measure.group_by)}")
    allowed = dimensions(measure.of)
    for dimension in measure.group_by:
        if dimension not in allowed:
            raise ValueError(f"{where}.groupBy: {measure.of} cannot be grouped by {dimension!r}; "
                             f"expected one of {', '.join(allowed)}")
    if measure.sum is not None:
        summable = [prop.name for prop in _props(measure.of) if prop.type in (PropType.INT, PropType.FLOAT)
                    and not _is_year(prop)]
        if measure.sum not in summable:
            raise ValueError(f"{where}.sum: {measure.of} has no amount {measure.sum!r}; "
                             f"expected one of {', '.join(summable) or 'none (count only)'}")


def dimensions(of: str) -> list[str]:
    """What `of` (a node kind or relationship type) can be grouped by, in order."""
    ends = [of] if of in NODES else [*RELS[of].sources, RELS[of].target]
    places = [dimension for dimension, paths in PATHS.items() if any(label in paths for label in ends)]
    return places + [prop.name for prop in _props(of) if prop.choices or prop.type is PropType.BOOL or _is_year(prop)]


def _props(of: str) -> tuple[Prop, ...]:
    return NODES[of].properties if of in NODES else RELS[of].properties


def _is_year(prop: Prop) -> bool:
    return prop.type is PropType.INT and prop.minimum == 1900


def _items(store: GraphStore, of: str) -> list[Item]:
    if of in NODES:
        return [Item(node.props, (node.ref,)) for node in store.find_nodes(of).nodes]
    items = []
    for source in RELS[of].sources:
        refs = [node.ref for node in store.find_nodes(source).nodes]
        for ref, found in store.neighbours(refs, of, OUT).items():
            items += [Item(neighbour.rel.props, (ref, neighbour.node.ref)) for neighbour in found]
    return items


Reached = dict[NodeRef, list[tuple[str, str]]]  # node → [(key, name)] of the districts, zones or chains it reaches


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
        reached.update({ref: sorted((end.key, names[end]) for end in ends) for ref, ends in frontier.items()})
    return reached


def _ref_order(ref: NodeRef) -> tuple[str, str]:
    return ref.label, ref.key


def _values(item: Item, dimension: str, reached: Reached | None, lang: Lang) -> list[GroupValue]:
    if reached is not None:
        # the first end (source, then target) with a path to this dimension decides; none: no value
        end = next((end for end in item.ends if end.label in PATHS[dimension]), None)
        found = [] if end is None else reached.get(end, [])
        return [GroupValue(dimension, key, name) for key, name in found] or [GroupValue(dimension, None, NO_VALUE[lang])]
    value = item.props.get(dimension)
    if value is None:
        return [GroupValue(dimension, None, NO_VALUE[lang])]
    if isinstance(value, bool):
        return [GroupValue(dimension, str(value).lower(), ("是" if value else "否") if lang is Lang.ZH else ("yes" if value else "no"))]
    return [GroupValue(dimension, str(value), value_label(str(value), lang))]


def _sum(items: list[Item], amount: str | None) -> float | None:
    if amount is None:
        return None
    return sum(float(item.props.get(amount) or 0) for item in items)


def _order(value: GroupValue) -> tuple[bool, str]:
    """Groups without a value last; years and codes in their natural order."""
    text = value.value or ""
    return value.value is None, text.zfill(12) if text.isdigit() else text
