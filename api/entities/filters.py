"""`where` and `orderBy` inputs, generated from the model, and their translation into the
store's filter language (`graph.filters`).

Per node kind: `<Kind>Where` with one condition input per property, `AND`/`OR`/`NOT`, and one
relationship filter per relationship field: a field that relates many nodes takes `some`/`none`
over them (and `edge` over the relationship's own properties); a field that relates one node
(`school.district`, the model's single references) takes that node's `<Target>Where` directly
(`district: {name: {eq: "闵行区"}}`; `{}` for any, `NOT: {district: {}}` for none).
`<Kind>OrderBy` has a field enum and a direction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from api.arguments import given
from api.entities.generate import define, enum, lazy, list_of
from api.entities.personal import EDITORS_ONLY, note_personal_inputs
from api.entities.relations import YEAR, RelationField, pascal, python_name, relation_fields
from api.entities.scalar_filters import OPERATORS, filter_input
from graph.filters import And, Compare, Filter, Not, Op, Or, Related
from graph.model import NODE_KINDS, NODES, PROVENANCE_PROPS, REL_KINDS, NodeKind, Prop, PropType, RelKind
from graph.records import OrderBy

MODULE = __name__


@strawberry.enum(description="Sort direction")
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"


def _here(name: str) -> Any:
    return lazy(name, MODULE)


def where_name(label: str) -> str:
    return f"{label}Where"


def edge_where_name(rel: RelKind) -> str:
    return f"{pascal(rel.type)}Where"


def relation_filter_name(field: RelationField) -> str:
    return f"{field.owner}{pascal(field.name)}Filter"


def _optional(annotation: Any, description: str, name: str | None = None) -> tuple[Any, Any]:
    return annotation | None, strawberry.field(default=strawberry.UNSET, description=description, name=name)


def _logic_fields(name: str, subject: str) -> dict[str, tuple[Any, Any]]:
    """`AND`, `OR` and `NOT` over inputs of the same type."""
    return {
        "AND": _optional(list_of(_here(name)), f"Every one of these {subject} filters holds", "AND"),
        "OR": _optional(list_of(_here(name)), f"At least one of these {subject} filters holds", "OR"),
        "NOT": _optional(_here(name), f"This {subject} filter does not hold", "NOT"),
    }


def _property_fields(props: tuple[Prop, ...]) -> dict[str, tuple[Any, Any]]:
    return {python_name(prop.name): _optional(filter_input(prop.type), _condition_help(prop)) for prop in props}


def _condition_help(prop: Prop) -> str:
    return f"{prop.description}; {EDITORS_ONLY}" if prop.personal else prop.description


def _define_input(name: str, description: str, fields: dict[str, tuple[Any, Any]]) -> Any:
    annotations = {attr: annotation for attr, (annotation, _) in fields.items()}
    attributes = {attr: default for attr, (_, default) in fields.items()}
    return define(MODULE, name, annotations, attributes, strawberry.input(name=name, description=description))


def _define_edge_where(rel: RelKind) -> None:
    note_personal_inputs(edge_where_name(rel), rel.properties)
    fields = {**_property_fields(rel.properties + PROVENANCE_PROPS), **_logic_fields(edge_where_name(rel), rel.type)}
    _define_input(edge_where_name(rel), f"Conditions on the properties of {rel.type} ({rel.description})", fields)


def _define_node_where(kind: NodeKind) -> None:
    note_personal_inputs(where_name(kind.label), kind.properties)
    relations = {field.name: _relation_input(field) for field in relation_fields(kind.label)}
    fields = {**_property_fields(kind.properties + PROVENANCE_PROPS), **relations, **_logic_fields(where_name(kind.label), kind.label)}
    description = f"Conditions on {kind.label} nodes ({kind.description}); all given conditions must hold"
    _define_input(where_name(kind.label), description, fields)


def _relation_input(field: RelationField) -> tuple[Any, Any]:
    """The input of one relationship field in `<Kind>Where`: the related node's own `Where` when
    the field relates one node, else `some`/`none` (`<Owner><Field>Filter`)."""
    if not field.single:
        return _optional(_here(relation_filter_name(field)), field.rel.description)
    target = field.targets[0]
    help_text = (f"{field.rel.description}: conditions on the one related {target} ({{}} for any; "
                 f"NOT: {{{field.name}: {{}}}} for none)")
    return _optional(_here(where_name(target)), help_text)


def _define_relation_filter(field: RelationField) -> None:
    target = _here(f"{field.owner}{pascal(field.name)}Where") if field.mixed else _here(where_name(field.targets[0]))
    fields = {
        "some": _optional(target, "Matches when at least one related node satisfies this filter ({} for any)"),
        "none": _optional(target, "Matches when no related node satisfies this filter ({} for no related node)"),
    }
    if field.properties:
        edge_help = f"Only {field.rel.type} relationships whose properties satisfy this filter count"
        fields["edge"] = _optional(_here(edge_where_name(field.rel)), edge_help)
    if field.mixed:
        _define_mixed_target_where(field)
    description = f"A filter over {field.owner}.{field.name}: {field.rel.description}"
    _define_input(relation_filter_name(field), description, fields)


def _define_mixed_target_where(field: RelationField) -> None:
    fields = {kind_field(label): _optional(_here(where_name(label)), f"Related {label} nodes matching this")
              for label in field.targets}
    description = f"Related nodes of {field.owner}.{field.name}: give one kind to consider only that kind ({{}} for any node of it); give none for any kind"
    _define_input(f"{field.owner}{pascal(field.name)}Where", description, fields)


def kind_field(label: str) -> str:
    """The field naming one kind in a filter over several kinds: `IndustryChain` → `industryChain`."""
    return label[0].lower() + label[1:]


def _define_order_by(kind: NodeKind) -> None:
    sortable = [prop for prop in kind.properties + PROVENANCE_PROPS if prop.type is not PropType.STR_LIST]
    members = {"KEY" if prop.name == "id" else prop.name.upper(): prop.name for prop in sortable}
    personal = note_personal_inputs(f"{kind.label}OrderField", sortable)
    help_text = f"Properties {kind.label} can be sorted by" + (f"; {', '.join(sorted(personal)).upper()}: {EDITORS_ONLY}" if personal else "")
    field_enum = enum(f"{kind.label}OrderField", members, help_text)
    fields = {
        "field": (field_enum, strawberry.field(description="Property to sort by")),
        "direction": (OrderDirection, strawberry.field(default=OrderDirection.ASC, description="Sort direction")),
    }
    _define_input(f"{kind.label}OrderBy", f"One sort key for {kind.label}; later keys break ties, then the key property", fields)


def _define_all() -> None:
    for rel in REL_KINDS:
        if rel.properties:
            _define_edge_where(rel)
    for kind in NODE_KINDS:
        _define_node_where(kind)
        _define_order_by(kind)
        for field in relation_fields(kind.label):
            if not field.single:
                _define_relation_filter(field)


_define_all()


def input_class(name: str) -> Any:
    """A generated input class by GraphQL name (`SchoolWhere`, `OffersWhere`, `SchoolOrderBy`)."""
    return globals()[name]


# ---- translation into graph.filters -------------------------------------------------------


def node_filter(label: str, where: Any) -> Filter | None:
    """A `<Label>Where` as a store filter; None when it sets no condition."""
    if given(where) is None:
        return None
    parts = _property_parts(NODES[label].properties + PROVENANCE_PROPS, where)
    for field in relation_fields(label):
        relation = given(getattr(where, field.name))
        if relation is not None:
            parts.append(_relation_part(field, relation))
    parts += _logic_parts(where, lambda inner: node_filter(label, inner))
    return _all_of(parts)


def edge_filter(rel: RelKind, where: Any, year: Any = None) -> Filter | None:
    """A `<Rel>Where` (relationship properties) as a store filter, with the `year:` of a field
    over relationships keyed by year when given."""
    parts: list[Filter] = [] if given(year) is None else [Compare(YEAR, Op.EQ, year)]
    if given(where) is not None:
        parts += _property_parts(rel.properties + PROVENANCE_PROPS, where)
        parts += _logic_parts(where, lambda inner: edge_filter(rel, inner))
    return _all_of(parts)


def _property_parts(props: tuple[Prop, ...], where: Any) -> list[Filter]:
    parts: list[Filter] = []
    for prop in props:
        conditions = given(getattr(where, python_name(prop.name)))
        if conditions is None:
            continue
        for attr, op in OPERATORS:
            value = given(getattr(conditions, attr, None))
            if value is not None:
                parts.append(Compare(prop.name, op, tuple(value) if isinstance(value, list) else value))
    return parts


def _logic_parts(where: Any, translate: Any) -> list[Filter]:
    parts: list[Filter] = []
    every, some, negated = given(where.AND), given(where.OR), given(where.NOT)
    if every is not None:
        parts.append(And(tuple(part for part in map(translate, every) if part is not None)))
    if some is not None:
        parts.append(Or(tuple(_match_all(translate(inner)) for inner in some)))
    if negated is not None:
        parts.append(Not(_match_all(translate(negated))))
    return parts


def _match_all(part: Filter | None) -> Filter:
    """An empty filter inside OR/NOT still means "matches everything"."""
    return part if part is not None else And(())


def _relation_part(field: RelationField, relation: Any) -> Filter:
    if field.single:
        target = field.targets[0]
        return Related(field.rel.type, field.direction, target, node_filter(target, relation), single=True)
    rel_where = edge_filter(field.rel, getattr(relation, "edge", None))
    some, none = given(relation.some), given(relation.none)
    parts: list[Filter] = []
    if some is not None or none is None:
        parts.append(_related(field, some, rel_where, none=False))
    if none is not None:
        parts.append(_related(field, none, rel_where, none=True))
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def _related(field: RelationField, where: Any, rel_where: Filter | None, none: bool) -> Filter:
    """`some`/`none` for one relationship field; over a field of several kinds, per kind."""
    if not field.mixed:
        condition = node_filter(field.targets[0], where)
        return Related(field.rel.type, field.direction, field.targets[0], condition, rel_where, none)
    chosen = [(label, given(getattr(where, kind_field(label)))) for label in field.targets] if where else []
    chosen = [(label, inner) for label, inner in chosen if inner is not None] or [(label, None) for label in field.targets]
    related = [Related(field.rel.type, field.direction, label, node_filter(label, inner), rel_where, none)
               for label, inner in chosen]
    combined = And(tuple(related)) if none else Or(tuple(related))
    return related[0] if len(related) == 1 else combined


def _all_of(parts: list[Filter]) -> Filter | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts))


# graphql-core's words for a `some`/`none`/`edge` given where a single related node's conditions go.
_MISPLACED = re.compile(r"Expected value of type '(?P<type>\w+)Where' not to include unknown field '(?P<field>some|none|edge)'")


def single_relation_hint(message: str) -> str | None:
    """`message` with the reason added, when it refuses `some`/`none`/`edge` under a field that
    relates one node (`schools(where: {district: {some: …}}})`); None for other messages."""
    found = _MISPLACED.search(message)
    holders = [f"{where_name(kind.label)}.{field.name}" for kind in NODE_KINDS for field in relation_fields(kind.label)
               if field.single and found is not None and field.targets[0] == found["type"]]
    if not holders:
        return None
    target = found["type"]  # type: ignore[index]
    return (f"{message} {', '.join(holders)}: each relates one {target}, so it takes that node's conditions directly "
            f"(e.g. {{name: {{eq: …}}}}), without some/none/edge; {{}} matches any {target}, NOT: {{field: {{}}}} none.")


class SingleRelationHints(SchemaExtension):
    """Says why `some`/`none` is refused under a to-one relationship field: it is the one place a
    filter written for the many-node form fails, and graphql-core's words do not tell why."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [_hinted(error) for error in errors]  # type: ignore[union-attr]


def _hinted(error: GraphQLError) -> GraphQLError:
    hinted = single_relation_hint(error.message)
    if hinted is None:
        return error
    return GraphQLError(hinted, error.nodes, error.source, error.positions, error.path, error.original_error, error.extensions)


def order_by(items: list[Any] | None) -> list[OrderBy]:
    """`[<Kind>OrderBy!]` as store sort keys, in the order given."""
    return [OrderBy(item.field.value, item.direction is OrderDirection.DESC) for item in given(items) or ()]


