"""A small filter language shared by both stores: comparisons, boolean logic and relationship
filters. The GraphQL `where` input compiles to it; the embedded store evaluates it in Python and
the Neo4j store compiles it to a parameterised Cypher predicate."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph.records import Direction


class Op(StrEnum):
    EQ = "eq"
    IN = "in"
    CONTAINS = "contains"
    STARTS_WITH = "startsWith"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"


@dataclass(frozen=True)
class Compare:
    """`field op value`; a missing property never matches (except under NOT)."""

    field: str
    op: Op
    value: Any


@dataclass(frozen=True)
class And:
    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class Not:
    part: Filter


@dataclass(frozen=True)
class Related:
    """True when some (or, with `none`, no) neighbour over `rel_type` in `direction` with label
    `label` matches `where` (None: any neighbour). `rel_where` filters the relationship's own
    properties (e.g. OFFERS.year)."""

    rel_type: str
    direction: Direction
    label: str
    where: Filter | None = None
    rel_where: Filter | None = None
    none: bool = False


Filter = Compare | And | Or | Not | Related


def compare(value: Any, op: Op, expected: Any) -> bool:
    """The one definition of each operator, used by the embedded store."""
    if value is None:
        return False
    if op is Op.EQ:
        return bool(value == expected)
    if op is Op.IN:
        return value in expected
    if op is Op.CONTAINS:
        return (isinstance(value, str) and str(expected) in value) or (isinstance(value, list) and expected in value)
    if op is Op.STARTS_WITH:
        return isinstance(value, str) and value.startswith(str(expected))
    try:
        if op is Op.GT:
            return bool(value > expected)
        if op is Op.GTE:
            return bool(value >= expected)
        if op is Op.LT:
            return bool(value < expected)
        return bool(value <= expected)
    except TypeError:
        return False
