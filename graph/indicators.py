"""The counts behind `indicators` (`queries.indicators`): the nodes of one kind or the
relationships of one type, grouped by the district, zone or chain they reach and by their own
coded, yes/no or year properties; per group how many, the sum of an amount and how many synthetic.

Both stores answer `InsightSource.indicator_counts` with these: the embedded store counts over its
in-memory graph (`graph.embedded.indicators`) and the protocol version over batched neighbour reads
(`graph.protocol_indicators`), both in Python with `tally`; the Neo4j one
(`graph.neo4j.cypher.indicators`) groups and counts in one Cypher statement per request.
`queries.indicators` checks the measures, names the groups and orders them.

A relationship takes district, zone and chain from its source when the source's kind has a path
to them, otherwise from its target. Something in several groups (an enterprise in two chains)
counts in each; something with no value counts in the group whose value is None."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any, NamedTuple

from graph.model import NODES, RELS, Prop
from graph.records import Direction

DISTRICT, ZONE, CHAIN = "district", "zone", "chain"

Hops = tuple[tuple[str, Direction], ...]
OUT, IN = Direction.OUT, Direction.IN
# How each place or chain dimension is reached from a node of each kind.
PATHS: Mapping[str, Mapping[str, Hops]] = {
    DISTRICT: {**{label: (("LOCATED_IN", OUT),) for label in RELS["LOCATED_IN"].sources}, "Zone": (("COVERS", OUT),)},
    ZONE: {label: (("LOCATED_IN", OUT), ("COVERS", IN)) for label in RELS["LOCATED_IN"].sources},
    CHAIN: {"Enterprise": (("IN_CHAIN", OUT),), **{label: (("SERVES", OUT),) for label in RELS["SERVES"].sources},
            "Discipline": (("NEEDS", IN),)},
}
# The kind each path ends at.
PLACES: Mapping[str, str] = {DISTRICT: "District", ZONE: "Zone", CHAIN: "IndustryChain"}


@dataclass(frozen=True)
class Measure:
    of: str  # a node kind or a relationship type
    group_by: tuple[str, ...] = ()
    sum: str | None = None


class Grouped(NamedTuple):
    """One dimension's value of a group: a place's or chain's key and name, or a property's value
    as text (`true`/`false` for yes/no, `2024` for a year) with no name; None and None for none."""

    value: str | None
    name: str | None = None


@dataclass(frozen=True)
class GroupCount:
    group: tuple[Grouped, ...]  # one per dimension of the measure, in its order
    count: int
    amount: float | None  # the sum of the measure's amount; None without one
    synthetic: int


@dataclass(frozen=True)
class IndicatorCounts:
    """A measure's groups (in no particular order, only groups with something in them) and what it
    counted in all, each once."""

    rows: list[GroupCount]
    count: int
    synthetic: int


def ends(of: str) -> tuple[str, ...]:
    """The kinds a place or chain may be reached from: the node kind, or a relationship's sources
    then its target."""
    return (of,) if of in NODES else (*RELS[of].sources, RELS[of].target)


def properties(of: str) -> tuple[Prop, ...]:
    return NODES[of].properties if of in NODES else RELS[of].properties


def property_value(value: Any) -> str | None:
    """A property's value as a group's value: yes/no as `true`/`false`, anything else as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


# -- counting in Python --------------------------------------------------------------------------

End = tuple[str, str]  # a node as (label, key)
Item = tuple[Mapping[str, Any], tuple[End, ...]]  # what is counted: its properties, and the node
# itself or a relationship's source then target
Reached = Mapping[End, list[Grouped]]  # node → the districts, zones or chains it reaches, sorted
Reach = Callable[[str, set[End]], Reached]  # (dimension, the nodes it is looked up from)


def tally(measure: Measure, items: Iterable[Item], reach: Reach) -> IndicatorCounts:
    """`measure` counted over `items`: first per signature (the nodes that decide its places, and
    its property values), so that each node's places are looked up once, not once per item; then
    spread over the places those nodes reach."""
    values = [_deciding(PATHS[dimension]) if dimension in PATHS else _property(dimension) for dimension in measure.group_by]
    amount = measure.sum
    partial: dict[tuple[Any, ...], list[Any]] = {}  # signature → [count, amount, synthetic]
    count = synthetic = 0
    for props, item_ends in items:
        signature = tuple([value(props, item_ends) for value in values])
        made_up = props.get("synthetic") is True
        found = partial.get(signature)
        if found is None:
            found = partial[signature] = [0, 0.0, 0]
        found[0] += 1
        if amount is not None:
            found[1] += float(props.get(amount) or 0)
        found[2] += made_up
        count += 1
        synthetic += made_up
    return IndicatorCounts(_spread(measure, partial, reach), count, synthetic)


Value = Callable[[Mapping[str, Any], tuple[End, ...]], Any]  # an item's value of one dimension


def _deciding(paths: Mapping[str, Hops]) -> Value:
    """The first end (source, then target) with a path to the dimension; None: the item has no value."""
    def deciding(props: Mapping[str, Any], item_ends: tuple[End, ...]) -> End | None:
        for end in item_ends:
            if end[0] in paths:
                return end
        return None

    return deciding


def _property(name: str) -> Value:
    def value(props: Mapping[str, Any], item_ends: tuple[End, ...]) -> str | None:
        return property_value(props.get(name))

    return value


def _spread(measure: Measure, partial: Mapping[tuple[Any, ...], list[Any]], reach: Reach) -> list[GroupCount]:
    dimensions = measure.group_by
    places = {i: reach(dimension, {signature[i] for signature in partial if signature[i] is not None})
              for i, dimension in enumerate(dimensions) if dimension in PATHS}
    groups: dict[tuple[Grouped, ...], list[Any]] = {}
    for signature, (found, amount, made_up) in partial.items():
        options = [_options(places.get(i), value) for i, value in enumerate(signature)]
        for group in product(*options):
            total = groups.get(group)
            if total is None:
                total = groups[group] = [0, 0.0, 0]
            total[0] += found
            total[1] += amount
            total[2] += made_up
    return [GroupCount(group, found, None if measure.sum is None else amount, made_up)
            for group, (found, amount, made_up) in groups.items()]


def _options(reached: Reached | None, value: Any) -> list[Grouped]:
    """A signature's values of one dimension: the places its deciding node reaches (none: the
    group of None), or a property's value."""
    if reached is None:
        return [Grouped(value)]
    return (reached.get(value, []) if value is not None else []) or [Grouped(None)]


def place_name(key: str, props: Mapping[str, Any]) -> str:
    """A place's or chain's name as a group shows it: its name, or its key without one."""
    return str(props.get("name", key))
