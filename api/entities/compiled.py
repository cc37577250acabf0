"""Root entity fields answered from one tree read, without graphql-core's per-field work.

A root connection field (`schools(where:, orderBy:, first:, after:)`) or `node(id:)` whose whole
selection is properties, global IDs, `__typename`, single related nodes and relationship
connections (`totalCount`, `nodes`, `edges` with cursors and relationship properties, `pageInfo`)
is compiled, when the request runs, into a `graph.trees.TreeRead` and a function that turns the
store's answer into the field's JSON value. The store answers the read in one round trip (one
Cypher statement on Neo4j), and the value is built from plain dicts and lists.

Arguments go through the same translations as the resolvers' (`node_filter`, `edge_filter`,
`order_by`, `page_window`, `from_global_id`), so they are checked the same way. Whatever this
module does not handle (another field, a relationship to several kinds, a deferred fragment, a
value a non-null field lacks) raises `Unsupported`, and the field takes the resolvers' path:
its answer and its errors are then exactly theirs.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    get_named_type,
)
from graphql.execution.collect_fields import FieldDetailsList, collect_subfields
from graphql.execution.values import get_argument_values
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments

from api.entities.filters import edge_filter, node_filter, order_by
from api.entities.relations import RelationField, graphql_name, relation_fields
from api.provenance_types import provenance_of
from api.relay import from_global_id, offset_cursor, page_window, to_global_id
from graph.filters import Compare, Op
from graph.model import NODES, PROVENANCE_PROPS, STAMPED, Prop
from graph.trees import Block, Item, RelationRead, TreeRead

Build = Callable[[Item], Any]
PLANS_KEPT = 512  # compiled root fields remembered (least recently used dropped first)
PLANS: OrderedDict[tuple[Any, ...], CompiledField | None] = OrderedDict()
ENTITY_ARGS = frozenset({"where", "orderBy", "first", "after"})


class Unsupported(Exception):
    """This field is answered by the resolvers instead."""


@dataclass(frozen=True)
class CompiledField:
    """A root field as a tree read and the builder of its value from the store's answer."""

    tree: TreeRead
    build: Callable[[Block], Any]


@dataclass
class Level:
    """What one level of the tree read gathers while its selection compiles: the relation reads
    under its nodes, and the node and relationship properties its builders read (the store
    returns only those)."""

    relations: list[RelationRead] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    rel_fields: set[str] = field(default_factory=set)
    rows: bool = False  # an edge's `rows` list is read, even if none of its properties are

    def want(self, name: str, slot: int) -> None:
        """The builders read property `name` of the item's node (`slot` 1) or relationship (0)."""
        (self.fields if slot == 1 else self.rel_fields).add(name)

    def read(self) -> dict[str, Any]:
        """The level's part of its `RelationRead` or `TreeRead`."""
        return {"relations": tuple(self.relations), "fields": tuple(sorted(self.fields))}

    def rel_read(self) -> tuple[str, ...] | None:
        """The relationship properties its `RelationRead` wants (None: all, for rows of none)."""
        return None if self.rows and not self.rel_fields else tuple(sorted(self.rel_fields))


class Compiler:
    """Compiles root fields of one operation; `executor` is graphql-core's executor of it."""

    def __init__(self, executor: Any, personal: bool) -> None:
        self.executor = executor
        self.schema = executor.schema
        self.strawberry = self.schema.extensions[GraphQLCoreConverter.DEFINITION_BACKREF]
        self.personal = personal

    def root(self, field_def: GraphQLField, details: FieldDetailsList) -> CompiledField | None:
        """The compiled field, or None when the resolvers must answer it; remembered for the same
        document, operation, field, variables and caller class."""
        key = self._plan_key(details)
        if key is not None and key in PLANS:
            PLANS.move_to_end(key)
            return PLANS[key]
        compiled = self._compile(field_def, details)
        if key is not None:
            PLANS[key] = compiled
            if len(PLANS) > PLANS_KEPT:
                PLANS.popitem(last=False)
        return compiled

    def _plan_key(self, details: FieldDetailsList) -> tuple[Any, ...] | None:
        operation, node = self.executor.operation, details[0].node
        if operation.loc is None or node.loc is None:
            return None
        variables = json.dumps(self.executor.variable_values.coerced, sort_keys=True, default=repr)
        return self.schema, operation.loc.source.body, operation.loc.start, node.loc.start, variables, self.personal

    def _compile(self, field_def: GraphQLField, details: FieldDetailsList) -> CompiledField | None:
        if any(detail.defer_usage is not None for detail in details):
            return None
        named = get_named_type(field_def.type)
        label = named.name.removesuffix("Connection")
        try:
            if label in NODES and named.name != label and set(field_def.args) == ENTITY_ARGS:
                return self._connection_root(label, field_def, details)
            if details[0].node.name.value == "node" and set(field_def.args) == {"id"}:
                return self._node_root(field_def, details)
        except Unsupported:
            return None
        return None

    # ---- roots ---------------------------------------------------------------------------

    def _connection_root(self, label: str, field_def: GraphQLField, details: FieldDetailsList) -> CompiledField:
        args = self._arguments(field_def, details)
        window = page_window(args.get("first"), args.get("after"))
        level = Level()
        connection = self._connection(_object(field_def.type), details, label, (), level)
        tree = TreeRead(label, node_filter(label, args.get("where")), tuple(order_by(args.get("ordering"))),
                        window.offset, window.limit if connection.paged else None, connection.counted, **level.read())
        return CompiledField(tree, lambda block: connection.value(block, window.offset, window.limit))

    def _node_root(self, field_def: GraphQLField, details: FieldDetailsList) -> CompiledField:
        ref = from_global_id(str(self._arguments(field_def, details)["id"]))
        runtime = self.schema.get_type(ref.label)
        if not isinstance(runtime, GraphQLObjectType):
            raise Unsupported(ref.label)
        level = Level()
        build = self._node(ref.label, runtime, details, level)
        tree = TreeRead(ref.label, Compare(NODES[ref.label].key, Op.EQ, ref.key), (), 0, 1, False, **level.read())
        return CompiledField(tree, lambda block: build(block[1][0]) if block[1] else None)

    # ---- selections ----------------------------------------------------------------------

    def _fields(self, runtime: GraphQLObjectType, details: FieldDetailsList) -> dict[str, FieldDetailsList]:
        executor = self.executor
        collected = collect_subfields(self.schema, executor.fragments, executor.variable_values, executor.operation,
                                      runtime, details)
        if collected.new_defer_usages:
            raise Unsupported("@defer")
        return collected.grouped_field_set

    def _node(self, label: str, runtime: GraphQLObjectType, details: FieldDetailsList, level: Level) -> Build:
        """The builder of one node's object; its relation reads are appended to `level`'s."""
        props = {graphql_name(prop.name): prop for prop in (*NODES[label].properties, *PROVENANCE_PROPS)}
        related = {field.name: field for field in relation_fields(label)}
        key = NODES[label].key
        getters: list[tuple[str, Build]] = []
        for response_key, field_details in self._fields(runtime, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                getters.append((response_key, _constant(runtime.name)))
            elif name == "id":
                level.want(key, 1)
                getters.append((response_key, lambda item: to_global_id(label, str(item[1][key]))))
            elif name in props:
                getters.append((response_key, self._property(props[name], runtime.fields[name].type, 1, level)))
            elif name in related:
                getters.append((response_key, self._relation(related[name], runtime.fields[name], field_details, level)))
            elif name == "provenance":
                getters.append((response_key, self._provenance(runtime.fields[name].type, field_details, 1, level)))
            else:
                raise Unsupported(f"{runtime.name}.{name}")
        return lambda item: {response_key: get(item) for response_key, get in getters}

    def _provenance(self, output: GraphQLOutputType, details: FieldDetailsList, slot: int, level: Level) -> Build:
        """`provenance { source synthetic loadedAt }` of the item's node (`slot` 1) or relationship
        (`slot` 0), as `api.provenance_types.provenance_of` reads it."""
        runtime = _object(output)
        parts = tuple((key, field_details[0].node.name.value) for key, field_details in self._fields(runtime, details).items())
        if any(name not in PROVENANCE_FIELDS for _, name in parts):
            raise Unsupported("Provenance field")
        for prop in PROVENANCE_PROPS:
            level.want(prop.name, slot)

        def get(item: Item) -> dict[str, Any]:
            found = provenance_of(item[slot])
            known = {"source": found.source, "synthetic": found.synthetic, "loadedAt": found.loaded_at,
                     "__typename": runtime.name}
            return {key: known[name] for key, name in parts}

        return get

    def _property(self, prop: Prop, output: GraphQLOutputType, slot: int, level: Level) -> Build:
        """A property of the item's node (`slot` 1) or relationship (`slot` 0), serialised as
        its GraphQL type does; personal properties are null for callers below editor."""
        if prop.personal and not self.personal:
            return _constant(None)
        level.want(prop.name, slot)
        required = isinstance(output, GraphQLNonNull)
        inner = output.of_type if isinstance(output, GraphQLNonNull) else output
        serialize = _serializer(inner)
        name, text = prop.name, prop.name in STAMPED  # loaded_at may be a temporal value

        def get(item: Item) -> Any:
            value = item[slot].get(name)
            if value is None:
                if required:
                    raise Unsupported(f"{name} is missing")
                return None
            return serialize(str(value) if text else value)

        return get

    def _relation(self, field: RelationField, field_def: GraphQLField, details: FieldDetailsList,
                  level: Level) -> Build:
        """The builder of a relationship field; its read is appended to `level`'s."""
        if field.mixed:
            raise Unsupported(f"{field.owner}.{field.name} reaches several kinds")
        label, below = field.targets[0], Level()
        if field.single:
            build = self._node(label, _object(field_def.type), details, below)
            index = len(level.relations)
            level.relations.append(RelationRead(field.rel.type, field.direction, None, 0, 1, False, rel_fields=(),
                                                **below.read()))
            return lambda item: build(item[2][index][1][0]) if item[2][index][1] else None
        args = self._arguments(field_def, details)
        window = page_window(args.get("first"), args.get("after"))
        connection = self._connection(_object(field_def.type), details, label, field.properties, below)
        index = len(level.relations)
        rel_where = edge_filter(field.rel, args.get("where"), args.get("year"))
        level.relations.append(RelationRead(field.rel.type, field.direction, rel_where, window.offset,
                                            window.limit if connection.paged else None, connection.counted,
                                            distinct=field.keyed, rel_fields=below.rel_read(),
                                            **below.read()))
        return lambda item: connection.value(item[2][index], window.offset, window.limit)

    def _connection(self, runtime: GraphQLObjectType, details: FieldDetailsList, label: str,
                    rel_props: tuple[Prop, ...], level: Level) -> Connection:
        parts: list[tuple[str, str, Any]] = []
        for response_key, field_details in self._fields(runtime, details).items():
            name = field_details[0].node.name.value
            if name == "nodes":
                parts.append((response_key, name, self._node(label, _object(runtime.fields[name].type), field_details, level)))
            elif name == "edges":
                parts.append((response_key, name, self._edge(label, _object(runtime.fields[name].type), field_details,
                                                              rel_props, level)))
            elif name == "pageInfo":
                parts.append((response_key, name, self._page_info(_object(runtime.fields[name].type), field_details)))
            elif name in ("totalCount", "__typename"):
                parts.append((response_key, name, runtime.name))
            else:
                raise Unsupported(f"{runtime.name}.{name}")
        return Connection(tuple(parts))

    def _edge(self, label: str, runtime: GraphQLObjectType, details: FieldDetailsList, rel_props: tuple[Prop, ...],
              level: Level) -> Callable[[Item, int], Any]:
        props = {graphql_name(prop.name): prop for prop in (*rel_props, *PROVENANCE_PROPS)}
        getters: list[tuple[str, Callable[[Item, int], Any]]] = []
        for response_key, field_details in self._fields(runtime, details).items():
            name = field_details[0].node.name.value
            if name == "cursor":
                getters.append((response_key, lambda item, offset: offset_cursor(offset)))
            elif name == "node":
                build = self._node(label, _object(runtime.fields[name].type), field_details, level)
                getters.append((response_key, lambda item, offset, build=build: build(item)))  # type: ignore[misc]
            elif name == "__typename":
                getters.append((response_key, lambda item, offset, typename=runtime.name: typename))  # type: ignore[misc]
            elif name == "rows":
                rows = self._rows(_object(runtime.fields[name].type), field_details, rel_props, level)
                getters.append((response_key, lambda item, offset, rows=rows: rows(item)))  # type: ignore[misc]
            elif name in props or name == "provenance":
                get = (self._property(props[name], runtime.fields[name].type, 0, level) if name in props
                       else self._provenance(runtime.fields[name].type, field_details, 0, level))
                getters.append((response_key, lambda item, offset, get=get: get(item)))  # type: ignore[misc]
            else:
                raise Unsupported(f"{runtime.name}.{name}")
        return lambda item, offset: {response_key: get(item, offset) for response_key, get in getters}

    def _rows(self, runtime: GraphQLObjectType, details: FieldDetailsList, rel_props: tuple[Prop, ...], level: Level) -> Build:
        """The `rows` of an edge over keyed relationships: one object per relationship properties
        in the item's `rel` list (graph.trees, distinct reads)."""
        props = {graphql_name(prop.name): prop for prop in (*rel_props, *PROVENANCE_PROPS)}
        getters: list[tuple[str, Build]] = []
        level.rows = True
        for response_key, field_details in self._fields(runtime, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                getters.append((response_key, _constant(runtime.name)))
            elif name in props:
                getters.append((response_key, self._property(props[name], runtime.fields[name].type, 0, level)))
            elif name == "provenance":
                getters.append((response_key, self._provenance(runtime.fields[name].type, field_details, 0, level)))
            else:
                raise Unsupported(f"{runtime.name}.{name}")
        return lambda item: [{response_key: get([rel]) for response_key, get in getters} for rel in item[0]]

    def _page_info(self, runtime: GraphQLObjectType, details: FieldDetailsList) -> tuple[tuple[str, str], ...]:
        names = tuple((key, field_details[0].node.name.value) for key, field_details in self._fields(runtime, details).items())
        if any(name not in PAGE_INFO for _, name in names):
            raise Unsupported("PageInfo field")
        return names

    def _arguments(self, field_def: GraphQLField, details: FieldDetailsList) -> dict[str, Any]:
        """The field's arguments as its resolver receives them (Strawberry's input classes)."""
        raw = get_argument_values(field_def, details[0].node, self.executor.variable_values)
        definition = field_def.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if definition is None:
            raise Unsupported("no Strawberry field")
        return convert_arguments(raw, definition.arguments, self.strawberry.schema_converter.scalar_registry,
                                 self.strawberry.config)


@dataclass(frozen=True)
class Connection:
    """The parts of a connection selection: (response key, field name, how to build it)."""

    parts: tuple[tuple[str, str, Any], ...]

    @property
    def paged(self) -> bool:
        return any(name in ("nodes", "edges", "pageInfo") for _, name, _ in self.parts)

    @property
    def counted(self) -> bool:
        return any(name == "totalCount" for _, name, _ in self.parts)

    def value(self, block: Block, offset: int, limit: int) -> dict[str, Any]:
        total, found = block
        page, has_next = found[:limit], len(found) > limit
        value: dict[str, Any] = {}
        for response_key, name, part in self.parts:
            if name == "nodes":
                value[response_key] = [part(item) for item in page]
            elif name == "edges":
                value[response_key] = [part(item, offset + index) for index, item in enumerate(page)]
            elif name == "pageInfo":
                value[response_key] = _page_info_value(part, offset, len(page), has_next)
            elif name == "totalCount":
                value[response_key] = total or 0
            else:
                value[response_key] = part
        return value


PROVENANCE_FIELDS = frozenset({"source", "synthetic", "loadedAt", "__typename"})
PAGE_INFO = frozenset({"hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"})


def _page_info_value(names: tuple[tuple[str, str], ...], offset: int, count: int, has_next: bool) -> dict[str, Any]:
    known = {
        "hasNextPage": has_next,
        "hasPreviousPage": offset > 0,
        "startCursor": offset_cursor(offset) if count else None,
        "endCursor": offset_cursor(offset + count - 1) if count else None,
        "__typename": "PageInfo",
    }
    return {response_key: known[name] for response_key, name in names}


def _object(output: GraphQLOutputType) -> GraphQLObjectType:
    named = get_named_type(output)
    if not isinstance(named, GraphQLObjectType):
        raise Unsupported(f"{named} is not an object type")
    return named


def _serializer(output: GraphQLOutputType) -> Callable[[Any], Any]:
    if isinstance(output, GraphQLList):
        inner = output.of_type.of_type if isinstance(output.of_type, GraphQLNonNull) else output.of_type
        serialize_item = _serializer(inner)
        return lambda values: [serialize_item(value) for value in values]
    serialize: Callable[[Any], Any] = output.serialize  # type: ignore[union-attr]
    return serialize


def _constant(value: Any) -> Build:
    return lambda item: value
