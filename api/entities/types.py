"""The output types, generated from `graph.model`: the `Node` interface, one object type per
node kind (its properties, provenance and relationship fields), and the Relay connection and
edge types of every list, with relationship properties on the edges."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry import Info

from api.entities.generate import define, enum, lazy, list_of
from api.entities.pages import BUILDERS, NeighbourSlice, NodeSlice, wrap
from api.entities.personal import personal_field
from api.entities.relations import RelationField, pascal, python_name, relation_fields
from api.entities.resolvers import relation_resolver
from api.entities.scalar_filters import scalar_type
from api.provenance_types import Provenance, provenance_of
from api.relay import PageInfo, offset_cursor, page_info, to_global_id
from graph import records
from graph.model import NODE_KINDS, PROVENANCE_PROPS, STAMPED, NodeKind, Prop, RelKind
from graph.records import Direction

MODULE = __name__


def _upper_snake(label: str) -> str:
    return "".join(f"_{char}" if char.isupper() else char for char in label).lstrip("_").upper()


Kind = enum("Kind", {_upper_snake(kind.label): kind.label for kind in NODE_KINDS}, "A node kind of the model")


@strawberry.interface(description="An object with a global ID (Relay); `node(id:)` fetches any node by it")
class Node:
    record: strawberry.Private[records.Node]

    @strawberry.field(description="Global ID: base64 of `Label:key`")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(self.record.label, self.record.key))

    @strawberry.field(description="The node's kind, so a list of mixed nodes needs no `__typename` (not `kind`: "
                                  "a Zone's `kind` is its zone kind)")
    def node_kind(self) -> Kind:  # type: ignore[valid-type]
        return Kind(self.record.label)

    @strawberry.field(description="The node's name (every kind has one)")
    def name(self) -> str | None:
        name = self.record.props.get("name")
        return None if name is None else str(name)




@strawberry.type(description="A search hit: the node and how well it matches (higher is better)")
class SearchResult:
    node: Node = strawberry.field(description="The node found")
    score: float = strawberry.field(description="Relevance; only comparable within one search")


# ---- property fields -----------------------------------------------------------------------
# Properties are plain attributes filled when a record is wrapped: Strawberry reads those on a
# fast path, many times cheaper than a resolver per field, which matters on pages of thousands
# of edges. Personal properties keep a resolver, so one function decides who sees them.


@dataclass(frozen=True)
class PropertyFields:
    """The plain fields of a generated type and how to fill them from a record's properties."""

    annotations: dict[str, Any]
    attributes: dict[str, Any]
    sources: tuple[tuple[str, str], ...]  # (attribute, property)

    def values(self, props: Mapping[str, Any]) -> dict[str, Any]:
        values = {attr: props.get(name) for attr, name in self.sources}
        for name in STAMPED:  # loaded_at may come back as a temporal value
            found = values[python_name(name)]
            values[python_name(name)] = None if found is None else str(found)
        values[PROVENANCE_FIELD] = provenance_of(props)
        return values


PROVENANCE_FIELD = "provenance"
PROVENANCE_HELP = "Where it came from: source, whether it is synthetic, when it was loaded"


def _property_fields(props: tuple[Prop, ...], describe: Callable[[Prop], str]) -> PropertyFields:
    plain = [prop for prop in (*props, *PROVENANCE_PROPS) if not prop.personal]
    return PropertyFields(
        annotations={**{python_name(prop.name): scalar_type(prop) for prop in plain}, PROVENANCE_FIELD: Provenance},
        attributes={**{python_name(prop.name): strawberry.field(description=describe(prop)) for prop in plain},
                    PROVENANCE_FIELD: strawberry.field(description=PROVENANCE_HELP)},
        sources=tuple((python_name(prop.name), prop.name) for prop in plain),
    )


def _personal_resolver(prop: Prop) -> Callable[..., Any]:
    def personal(root: Any, info: Info) -> Any:
        return personal_field(info, root.record, prop.name)
    return personal


def _field(resolver: Callable[..., Any], graphql_type: Any, description: str) -> Any:
    return strawberry.field(resolver=resolver, graphql_type=graphql_type, description=description)


# ---- connections ---------------------------------------------------------------------------


def _connection_fields(edge: Any, node_type: Any, make_edges: Callable[[Any], list[Any]],
                       total_help: str = "How many items the whole list holds (counted, not fetched)") -> dict[str, Any]:
    def edges(root: Any) -> list[Any]:
        return make_edges(root)

    def nodes(root: Any) -> list[Any]:
        return [item.node for item in make_edges(root)]

    def info(root: Any) -> PageInfo:
        return page_info(root.page.offset, _length(root.page), root.page.has_next)

    def total(root: Any) -> int:
        return root.page.total or 0

    return {
        "edges": _field(edges, list[edge], "The items of this page with their cursors"),
        "nodes": _field(nodes, list[node_type], "The items of this page (without cursors)"),
        "page_info": _field(info, PageInfo, "Where this page sits in the list"),
        "total_count": _field(total, int, total_help),
    }


def _length(page: NodeSlice | NeighbourSlice) -> int:
    return len(page.nodes) if isinstance(page, NodeSlice) else len(page.items)


def _define_type(name: str, description: str, annotations: dict[str, Any], fields: dict[str, Any],
                 bases: tuple[type, ...] = ()) -> Any:
    return define(MODULE, name, annotations, fields, strawberry.type(name=name, description=description), bases)


def _define_node_connection(kind: NodeKind) -> Any:
    node_type = lazy(kind.label, MODULE)
    edge = _define_type(f"{kind.label}Edge", f"A {kind.label} in a list, with its cursor",
                        {"cursor": str, "node": node_type}, {"cursor": strawberry.field(description="Pass as `after`")})

    def make_edges(root: Any) -> list[Any]:
        start = root.page.offset
        return [edge(cursor=offset_cursor(start + index), node=wrap(node)) for index, node in enumerate(root.page.nodes)]

    fields = _connection_fields(edge, node_type, make_edges)
    return _define_type(f"{kind.label}Connection", f"A page of {kind.label} nodes",
                        {"page": strawberry.Private[NodeSlice]}, fields)


def _define_relation_connection(field: RelationField) -> Any:
    if field.keyed:
        return _define_keyed_connection(field)
    node_type = Node if field.mixed else lazy(field.targets[0], MODULE)
    prefix = f"{field.owner}{pascal(field.name)}"
    plain = _property_fields(field.properties, lambda prop: prop.description)
    annotations = {"cursor": str, "node": node_type, "rel": strawberry.Private[records.Rel], **plain.annotations}
    attributes = {"cursor": strawberry.field(description="Pass as `after`"), **plain.attributes}
    edge = _define_type(f"{prefix}Edge", f"A related node of {field.owner}.{field.name} and its {field.rel.type} relationship",
                        annotations, attributes)

    def make_edges(root: Any) -> list[Any]:
        start = root.page.offset
        return [edge(cursor=offset_cursor(start + index), node=wrap(item.node), rel=item.rel, **plain.values(item.rel.props))
                for index, item in enumerate(root.page.items)]

    return _define_type(f"{prefix}Connection", f"{field.rel.description}: a page of {field.owner}.{field.name}",
                        {"page": strawberry.Private[NeighbourSlice]}, _connection_fields(edge, node_type, make_edges))


ROW_TYPES: dict[str, tuple[Any, PropertyFields]] = {}  # by relationship type: `OffersRow`, `DemandsRow`


def _row_type(rel: RelKind) -> tuple[Any, PropertyFields]:
    """The object type of one keyed relationship (`OffersRow`: a year's figures and provenance)."""
    if rel.type not in ROW_TYPES:
        plain = _property_fields(rel.properties, lambda prop: prop.description)
        row = _define_type(f"{pascal(rel.type)}Row", f"One {rel.type} relationship: {rel.description}",
                           plain.annotations, plain.attributes)
        ROW_TYPES[rel.type] = row, plain
    return ROW_TYPES[rel.type]


def _define_keyed_connection(field: RelationField) -> Any:
    """A field over relationships keyed beyond their ends: each related node once, its
    relationships (those the field's `where` and `year` admit) as the edge's `rows`."""
    node_type = lazy(field.targets[0], MODULE)
    prefix = f"{field.owner}{pascal(field.name)}"
    row, plain = _row_type(field.rel)
    order = ", ".join(field.rel.key)
    rows_help = f"Its {field.rel.type} relationships (those `where` and `year` admit), by {order}"
    edge = _define_type(f"{prefix}Edge", f"A related node of {field.owner}.{field.name}, once, with its {field.rel.type} relationships",
                        {"cursor": str, "node": node_type, "rows": list_of(row)},
                        {"cursor": strawberry.field(description="Pass as `after`"), "rows": strawberry.field(description=rows_help)})

    def make_edges(root: Any) -> list[Any]:
        start = root.page.offset
        return [edge(cursor=offset_cursor(start + index), node=wrap(item.node),
                     rows=[row(**plain.values(rel.props)) for rel in item.rels])
                for index, item in enumerate(root.page.items)]

    fields = _connection_fields(edge, node_type, make_edges, DISTINCT_TOTAL_HELP)
    return _define_type(f"{prefix}Connection", f"{field.rel.description}: a page of {field.owner}.{field.name}, each node once",
                        {"page": strawberry.Private[NeighbourSlice]}, fields)


DISTINCT_TOTAL_HELP = "How many distinct related nodes the whole list holds (counted, not fetched), not relationships"


# ---- node types ----------------------------------------------------------------------------


def _relation_field(field: RelationField) -> Any:
    if field.single:
        target = lazy(field.targets[0], MODULE)
        return _field(relation_resolver(field, lambda page: page), target | None, relation_help(field))
    connection = _define_relation_connection(field)
    return _field(relation_resolver(field, lambda page: connection(page=page)), connection, relation_help(field))


def relation_help(field: RelationField) -> str:
    """`A school offers a discipline (OFFERS →)`, `… (← OFFERED_BY from Course)`."""
    if field.direction is Direction.OUT:
        return f"{field.rel.description} ({field.rel.type} →)"
    return f"{field.rel.description} (← {field.rel.type} from {' or '.join(field.targets)})"


def _describe(kind: NodeKind, prop: Prop) -> str:
    text = prop.description
    if prop.choices and not all(choice in text for choice in prop.choices):
        text += f"; one of: {', '.join(prop.choices)}"
    if prop.name == kind.key and prop.name == "id":
        text += " (the natural key; `id` is the global ID)"
    return text


def _define_node_type(kind: NodeKind) -> Any:
    plain = _property_fields(kind.properties, lambda prop: _describe(kind, prop))
    personal = {python_name(prop.name): _field(_personal_resolver(prop), scalar_type(prop), _describe(kind, prop))
                for prop in kind.properties if prop.personal}
    # Annotated in model order (personal fields too), so the SDL lists properties as the model does.
    annotations = {**{python_name(prop.name): scalar_type(prop) for prop in (*kind.properties, *PROVENANCE_PROPS)},
                   PROVENANCE_FIELD: Provenance}
    fields = {**plain.attributes, **personal, **{field.name: _relation_field(field) for field in relation_fields(kind.label)}}
    node_type = _define_type(kind.label, kind.description, annotations, fields, bases=(Node,))
    key_attr = python_name(kind.key)

    def build(record: records.Node) -> Any:
        return node_type(record=record, **{**plain.values(record.props), key_attr: record.key})

    BUILDERS[kind.label] = build
    return node_type


NODE_TYPES: dict[str, Any] = {kind.label: _define_node_type(kind) for kind in NODE_KINDS}
CONNECTION_TYPES: dict[str, Any] = {kind.label: _define_node_connection(kind) for kind in NODE_KINDS}

__all__ = ["CONNECTION_TYPES", "NODE_TYPES", "Kind", "Node", "SearchResult"]
