"""What the gap and matching parts of the schema share: running a `queries/` call on an
expensive-work thread (bad arguments become `UserInputError`), and fields that return a store record as its
generated node type."""

from __future__ import annotations

from collections.abc import Callable
from types import GenericAlias
from typing import Any, TypeVar

import strawberry
from strawberry import Info

from api.entities.pages import wrap
from api.entities.types import NODE_TYPES
from api.errors import UserInputError
from graph import records

T = TypeVar("T")


async def run_insight(info: Info, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`work(store, *args, **kwargs)` on an expensive-work thread (`api.expensive`), within its
    time limit, counted as one insight call."""
    info.context.store.calls["insights"] += 1
    try:
        return await info.context.expensive.run(work, info.context.store.store, *args, **kwargs)
    except ValueError as error:
        raise UserInputError(str(error)) from None


def node_field(label: str, get: Callable[[Any], records.Node | None], description: str, optional: bool = False) -> Any:
    """A field returning the record `get(root)` as the generated `label` type."""
    def resolve(root: strawberry.Parent[Any]) -> Any:
        record = get(root)
        return None if record is None else wrap(record)

    graphql_type = NODE_TYPES[label] | None if optional else NODE_TYPES[label]
    return strawberry.field(resolver=resolve, graphql_type=graphql_type, description=description)


def node_list_field(label: str, get: Callable[[Any], list[records.Node]], description: str) -> Any:
    def resolve(root: strawberry.Parent[Any]) -> list[Any]:
        return [wrap(record) for record in get(root)]

    return strawberry.field(resolver=resolve, graphql_type=GenericAlias(list, (NODE_TYPES[label],)), description=description)
