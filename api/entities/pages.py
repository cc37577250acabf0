"""What connection resolvers hand to the generated connection types, and the label → type map
that turns store records into GraphQL objects."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from strawberry import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from graph.records import Neighbour, Node

PAGE_FIELDS = frozenset({"edges", "nodes", "pageInfo"})
COUNT_FIELD = "totalCount"

# Filled by api.entities.types as it generates one class per node kind: record → GraphQL object.
BUILDERS: dict[str, Callable[[Node], Any]] = {}


@dataclass(frozen=True)
class NodeSlice:
    """A page of a top-level connection; `total` is None when the caller did not ask for it."""

    nodes: list[Node]
    offset: int
    has_next: bool
    total: int | None


@dataclass(frozen=True)
class NeighbourSlice:
    """A page of a relationship connection: the related nodes with their relationships."""

    items: list[Neighbour]
    offset: int
    has_next: bool
    total: int | None


def wrap(node: Node) -> Any:
    """The GraphQL object of a store record."""
    return BUILDERS[node.label](node)


def selected_names(info: Info) -> set[str]:
    """Names of the fields selected on the current field's result, through fragments; lets a
    connection fetch only what the query reads (a page, a count, or both)."""
    names: set[str] = set()
    for field in info.selected_fields:
        _collect(field.selections, names)
    return names


def _collect(selections: Iterable[Selection], names: set[str]) -> None:
    for selection in selections:
        if isinstance(selection, SelectedField):
            names.add(selection.name)
        elif isinstance(selection, FragmentSpread | InlineFragment):
            _collect(selection.selections, names)
