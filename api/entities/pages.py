"""What connection resolvers hand to the generated connection types, and the label → type map
that turns store records into GraphQL objects."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry import Info

from graph.records import Neighbour, Node, NodeRef, Rel

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
class RelatedNode:
    """A node of a field over keyed relationships (`school.disciplines` over OFFERS by year),
    listed once with every relationship of the field that joins it, in key order."""

    node: Node
    rels: list[Rel]


@dataclass(frozen=True)
class NeighbourSlice:
    """A page of a relationship connection: the related nodes with their relationship (or, over
    keyed relationships, with all of theirs)."""

    items: list[Neighbour] | list[RelatedNode]
    offset: int
    has_next: bool
    total: int | None


def related_nodes(found: list[Neighbour]) -> list[RelatedNode]:
    """A distinct read's neighbours (`graph.store.NeighbourRead`) grouped by node."""
    by_node: dict[NodeRef, RelatedNode] = {}
    for neighbour in found:
        by_node.setdefault(neighbour.node.ref, RelatedNode(neighbour.node, [])).rels.append(neighbour.rel)
    return list(by_node.values())


def wrap(node: Node) -> Any:
    """The GraphQL object of a store record."""
    return BUILDERS[node.label](node)


def selected_names(info: Info) -> set[str]:
    """Names of the fields selected on the current field's result, through fragments; lets a
    connection fetch only what the query reads (a page, a count, or both). Read from the
    document itself: `info.selected_fields` would first convert the whole subtree below, with
    every argument, once per parent of a list."""
    raw = info._raw_info  # graphql-core's resolve info: the field's nodes and the fragments
    names: set[str] = set()
    for node in raw.field_nodes:
        _collect(node.selection_set, raw.fragments, names)
    return names


def _collect(selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode], names: set[str]) -> None:
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            _collect(selection.selection_set, fragments, names)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            _collect(fragments[selection.name.value].selection_set, fragments, names)
