"""The counts behind `indicators` (`queries.indicators`): the nodes of one kind or the
relationships of one type, grouped by the district, zone or chain they reach and by their own
coded, yes/no or year properties; per group how many, the sum of an amount and how many synthetic.

Both stores answer `InsightSource.indicator_counts` with these: the protocol version
(`graph.protocol_indicators`) groups in Python over batched neighbour reads, the Neo4j one
(`graph.neo4j.cypher.indicators`) groups and counts in one Cypher statement per request.
`queries.indicators` checks the measures, names the groups and orders them.

A relationship takes district, zone and chain from its source when the source's kind has a path
to them, otherwise from its target. Something in several groups (an enterprise in two chains)
counts in each; something with no value counts in the group whose value is None."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
