"""A small filter language shared by both stores: comparisons, boolean logic and relationship
filters. The GraphQL `where` input compiles to it; the embedded store evaluates it in Python and
the Neo4j store compiles it to a parameterised Cypher predicate."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph.model import check_endpoints, single_reference
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
    properties (e.g. OFFERS.year).

    `single` states that the relationship is to-one from this end (a school's district: the
    model's single references, `graph.model.single_reference`), so `where` is about the one
    related node: it matches as `some` does, and `check_filter` refuses it on a to-many
    relationship or with `none` (say `Not(…)`)."""

    rel_type: str
    direction: Direction
    label: str
    where: Filter | None = None
    rel_where: Filter | None = None
    none: bool = False
    single: bool = False


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


def check_filter(label: str, where: Filter | None) -> None:
    """Raise ValueError for a filter no store could answer: unknown operators, a relationship
    or label the model does not join to `label`, a non-list `in`."""
    if where is None:
        return
    if isinstance(where, Compare):
        _check_compare(where)
    elif isinstance(where, And | Or):
        for part in where.parts:
            check_filter(label, part)
    elif isinstance(where, Not):
        check_filter(label, where.part)
    elif isinstance(where, Related):
        _check_related(label, where)
    else:
        raise ValueError(f"{where!r} is not a filter (Compare, And, Or, Not or Related)")


def check_rel_filter(where: Filter | None) -> None:
    if isinstance(where, Related):
        raise ValueError(f"a relationship filter cannot follow relationships ({where.rel_type})")
    if isinstance(where, And | Or):
        for part in where.parts:
            check_rel_filter(part)
    elif isinstance(where, Not):
        check_rel_filter(where.part)
    check_filter("", where)


def _check_compare(where: Compare) -> None:
    if not isinstance(where.op, Op):
        raise ValueError(f"filter on {where.field!r}: unknown operator {where.op!r}; expected one of {', '.join(Op)}")
    if where.op is Op.IN and not isinstance(where.value, list | tuple | set | frozenset):
        raise ValueError(f"filter on {where.field!r}: 'in' needs a list of values, not {where.value!r}")


def _check_related(label: str, where: Related) -> None:
    if Direction(where.direction) is Direction.OUT:
        check_endpoints(where.rel_type, label, where.label)
    else:
        check_endpoints(where.rel_type, where.label, label)
    if where.single:
        _check_single(label, where)
    check_filter(where.label, where.where)
    check_rel_filter(where.rel_where)


def _check_single(label: str, where: Related) -> None:
    direction = Direction(where.direction)
    if direction is not Direction.OUT or single_reference(label, where.rel_type) is None:
        raise ValueError(
            f"{label} may have many {where.label} nodes over {where.rel_type} ({direction.value}): "
            "filter them with some/none (Related without single), not as a single related node"
        )
    if where.none:
        raise ValueError(f"a single related node ({label} {where.rel_type} {where.label}) takes no 'none': negate it with Not")
