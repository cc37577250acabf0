"""What an operation may ask for before it runs: page sizes and an estimated cost.

Both are read from the parsed document *and the variables*, so `first: $n` is held to the same
limits as `first: 100`. The estimate: every field costs 1, and a list holds as many items as the
nearest `first` (or `ids`) above it allows, so the cost of a list's selection is multiplied by
that number, and nested lists multiply. A connection's own fields (`totalCount`, `pageInfo`)
are not repeated; its lists (`nodes`, `edges`) are:

    schools(first: 100) { totalCount nodes { name disciplines(first: 20) { nodes { name } } } }
    = schools 1 + totalCount 1 + nodes (1 + 100 × (name 1 + disciplines (1 + nodes (1 + 20 × name 1))))
    = 1 + 1 + 1 + 100 × (1 + 1 + 1 + 20) = 2303

When `first` is omitted, the argument's default in the schema counts (or `DEFAULT_PAGE_SIZE`).

Fields that compute over a whole graph or a large part of it (analyses, networks, paths, gaps,
matches) cost what `EXPENSIVE_FIELDS` says instead of 1, and each one is counted, so an operation
may run only a few of them (`CHANJIAO_MAX_EXPENSIVE_FIELDS`) however cheap the rest of it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)
from graphql.type.definition import GraphQLInterfaceType

from api.relay import DEFAULT_PAGE_SIZE

PAGE_ARGUMENT = "first"
# Fields whose `first` bounds the nodes of one result rather than a page (no `after` follows):
# held to `max_network_nodes`, so that a network of hundreds of nodes comes in one request
NETWORK_FIELDS = frozenset({"partnerNetwork"})
IDS_ARGUMENT = "ids"
META_FIELD_PREFIX = "__"
ANALYSIS_COST = 1000  # a computation over the selected subgraph: seconds on the bundled data (betweenness)
INSIGHT_COST = 200  # gaps, targets and matches: many store reads and a report over one chain or all
NETWORK_COST = 100  # a breadth-first search from one node, bounded by `first` and `depth`/`maxLength`
# What each expensive field costs (its selection comes on top), by `Type.field`; the one list of them.
EXPENSIVE_FIELDS: Mapping[str, int] = {
    **{f"Analytics.{name}": ANALYSIS_COST
       for name in ("centrality", "communities", "kCore", "linkPrediction", "similarity", "projection")},
    **{f"Query.{name}": INSIGHT_COST
       for name in ("talentGap", "talentGapTrend", "talentGapByDistrict", "talentGapWhatIf", "coverageGaps",
                    "planTargets", "partnerMatches", "partnerMatchReport", "indicators")},
    "Query.partnerNetwork": NETWORK_COST,
    "Query.connectionPaths": NETWORK_COST,
}


@dataclass
class Estimate:
    cost: int = 0
    oversized: list[str] = field(default_factory=list)  # "schools(first: 101)" for each page too large
    too_many_nodes: list[str] = field(default_factory=list)  # "partnerNetwork(first: 501)" for each network too large
    expensive: list[str] = field(default_factory=list)  # the path of each expensive field, as often as it runs


@dataclass(frozen=True)
class Request:
    """One operation as the analysis sees it: the schema, fragments and raw variable values."""

    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    max_page_size: int
    max_network_nodes: int


def estimate(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode],
             variables: Mapping[str, Any] | None, max_page_size: int, max_network_nodes: int) -> Estimate:
    """The cost of `operation`, every page size above `max_page_size` and every network above
    `max_network_nodes`."""
    values = {**_variable_defaults(operation), **(variables or {})}
    request = Request(schema, fragments, values, max_page_size, max_network_nodes)
    found = Estimate()
    root = schema.get_root_type(operation.operation)
    if root is None:
        return found  # an operation type the schema lacks fails validation first
    found.cost = _selection_cost(request, operation.selection_set, root, Scope("", None), found)
    return found


@dataclass(frozen=True)
class Scope:
    """Where a selection sits: its path (for messages) and the length of the lists in it, set by
    the nearest `first` above that no list has consumed yet."""

    path: str
    items: int | None


def _variable_defaults(operation: OperationDefinitionNode) -> dict[str, Any]:
    return {
        definition.variable.name.value: value_from_ast_untyped(definition.default_value)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }


def _selection_cost(request: Request, selections: SelectionSetNode | None, parent: GraphQLNamedType, scope: Scope,
                    found: Estimate) -> int:
    total = 0
    for selection in selections.selections if selections else ():
        if isinstance(selection, FieldNode):
            total += _field_cost(request, selection, parent, scope, found)
        elif isinstance(selection, InlineFragmentNode):
            inner = _named(request, selection.type_condition.name.value) if selection.type_condition else parent
            total += _selection_cost(request, selection.selection_set, inner, scope, found)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = request.fragments.get(selection.name.value)
            if fragment is not None:
                inner = _named(request, fragment.type_condition.name.value)
                total += _selection_cost(request, fragment.selection_set, inner, scope, found)
    return total


def _field_cost(request: Request, node: FieldNode, parent: GraphQLNamedType, scope: Scope, found: Estimate) -> int:
    name = node.name.value
    definition = _field_definition(parent, name)
    if name.startswith(META_FIELD_PREFIX) or definition is None:
        return 1  # introspection and __typename are cheap; unknown fields fail validation anyway
    here = f"{scope.path}.{name}" if scope.path else name
    weight = EXPENSIVE_FIELDS.get(f"{parent.name}.{name}", 1)
    if weight > 1:
        found.expensive.append(f"{here}: {node.alias.value}" if node.alias else here)
    own = _items(request, node, definition, here, found)
    items = own if own is not None else scope.items
    if _is_list(definition):  # the list consumes the page size: its items hold their own lists
        inner = _selection_cost(request, node.selection_set, get_named_type(definition.type), Scope(here, None), found)
        return weight + (items if items is not None else 1) * inner
    return weight + _selection_cost(request, node.selection_set, get_named_type(definition.type), Scope(here, items), found)


def _is_list(definition: GraphQLField) -> bool:
    kind = definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else definition.type
    return isinstance(kind, GraphQLList)


def _items(request: Request, node: FieldNode, definition: GraphQLField, here: str, found: Estimate) -> int | None:
    """How many items the field's lists hold: its `first`, or its `ids`' length (None: neither)."""
    if PAGE_ARGUMENT in definition.args:
        items = _argument(request, node, PAGE_ARGUMENT)
        if items is None:
            items = definition.args[PAGE_ARGUMENT].default_value
        count = items if isinstance(items, int) and not isinstance(items, bool) else DEFAULT_PAGE_SIZE
        argument = PAGE_ARGUMENT
    elif IDS_ARGUMENT in definition.args:
        ids = _argument(request, node, IDS_ARGUMENT)
        count, argument = (len(ids) if isinstance(ids, list) else 1), IDS_ARGUMENT
    else:
        return None
    if node.name.value in NETWORK_FIELDS and argument == PAGE_ARGUMENT:
        if count > request.max_network_nodes:
            found.too_many_nodes.append(f"{here}({argument}: {count})")
    elif count > request.max_page_size:
        found.oversized.append(f"{here}({argument}: {count})")
    return max(count, 0)


def _argument(request: Request, node: FieldNode, name: str) -> Any:
    """The argument's value as sent: a literal, or the variable's value (None when absent)."""
    for argument in node.arguments or ():
        if argument.name.value == name:
            return _value(request, argument.value)
    return None


def _value(request: Request, value: ValueNode) -> Any:
    if isinstance(value, VariableNode):
        return request.variables.get(value.name.value)
    if isinstance(value, ListValueNode):
        return [_value(request, item) for item in value.values]
    return value_from_ast_untyped(value)


def _field_definition(parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return parent.fields.get(name)
    return None


def _named(request: Request, name: str) -> GraphQLNamedType:
    found = request.schema.get_type(name)
    if found is None:
        raise ValueError(f"unknown type {name!r}")  # validation runs first, so this is a bug
    return found
