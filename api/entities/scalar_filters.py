"""Condition inputs for one property, by property type, and the operators they carry.

Every given operator must hold (they combine with AND); a property a node lacks matches no
condition (but does match under `NOT`).
"""

from __future__ import annotations

from typing import Any

import strawberry

from graph.filters import Op
from graph.model import Prop, PropType

OPERATORS: tuple[tuple[str, Op], ...] = (
    ("eq", Op.EQ),
    ("in_", Op.IN),
    ("contains", Op.CONTAINS),
    ("starts_with", Op.STARTS_WITH),
    ("gt", Op.GT),
    ("gte", Op.GTE),
    ("lt", Op.LT),
    ("lte", Op.LTE),
)


EQ = "Equal to"
IN = "Equal to one of"
ORDER = ("Greater than", "Greater than or equal to", "Less than", "Less than or equal to")


@strawberry.input(description="Conditions on a text property")
class StringFilter:
    eq: str | None = strawberry.field(default=strawberry.UNSET, description=EQ)
    in_: list[str] | None = strawberry.field(default=strawberry.UNSET, name="in", description=IN)
    contains: str | None = strawberry.field(default=strawberry.UNSET, description="Contains this text")
    starts_with: str | None = strawberry.field(default=strawberry.UNSET, description="Starts with this text")
    gt: str | None = strawberry.field(default=strawberry.UNSET, description=ORDER[0])
    gte: str | None = strawberry.field(default=strawberry.UNSET, description=ORDER[1])
    lt: str | None = strawberry.field(default=strawberry.UNSET, description=ORDER[2])
    lte: str | None = strawberry.field(default=strawberry.UNSET, description=ORDER[3])


@strawberry.input(description="Conditions on a whole-number property")
class IntFilter:
    eq: int | None = strawberry.field(default=strawberry.UNSET, description=EQ)
    in_: list[int] | None = strawberry.field(default=strawberry.UNSET, name="in", description=IN)
    gt: int | None = strawberry.field(default=strawberry.UNSET, description=ORDER[0])
    gte: int | None = strawberry.field(default=strawberry.UNSET, description=ORDER[1])
    lt: int | None = strawberry.field(default=strawberry.UNSET, description=ORDER[2])
    lte: int | None = strawberry.field(default=strawberry.UNSET, description=ORDER[3])


@strawberry.input(description="Conditions on a numeric property")
class FloatFilter:
    eq: float | None = strawberry.field(default=strawberry.UNSET, description=EQ)
    in_: list[float] | None = strawberry.field(default=strawberry.UNSET, name="in", description=IN)
    gt: float | None = strawberry.field(default=strawberry.UNSET, description=ORDER[0])
    gte: float | None = strawberry.field(default=strawberry.UNSET, description=ORDER[1])
    lt: float | None = strawberry.field(default=strawberry.UNSET, description=ORDER[2])
    lte: float | None = strawberry.field(default=strawberry.UNSET, description=ORDER[3])


@strawberry.input(description="Conditions on a yes/no property")
class BooleanFilter:
    eq: bool | None = strawberry.field(default=strawberry.UNSET, description=EQ)


@strawberry.input(description="Conditions on a list-of-text property")
class StringListFilter:
    contains: str | None = strawberry.field(default=strawberry.UNSET, description="Has this item")


_BY_TYPE: dict[PropType, Any] = {
    PropType.STR: StringFilter,
    PropType.INT: IntFilter,
    PropType.FLOAT: FloatFilter,
    PropType.BOOL: BooleanFilter,
    PropType.STR_LIST: StringListFilter,
}

# The Python (and so GraphQL) type of each model property type, for outputs and inputs alike.
SCALARS: dict[PropType, Any] = {
    PropType.STR: str,
    PropType.INT: int,
    PropType.FLOAT: float,
    PropType.BOOL: bool,
    PropType.STR_LIST: list[str],
}


def filter_input(prop_type: PropType) -> Any:
    return _BY_TYPE[prop_type]


def scalar_type(prop: Prop) -> Any:
    """The GraphQL output type of a property: non-null when the model requires it."""
    scalar = SCALARS[prop.type]
    return scalar if prop.required else scalar | None
