"""GraphQL execution with two fast paths: compiled root entity fields and plain leaf fields.

A root entity field (`schools(…)`, `node(id:)`) whose selection `api.entities.compiled` can
compile is answered from one tree read of the store (one Cypher statement on Neo4j) and built
as plain JSON, without resolvers; any other field, and any such field the compiler declines,
takes the general path below.

Most fields of a large answer are properties (`name`, `code`, `graduates`…): attributes of the
object, with no arguments and no resolver. graphql-core still builds a resolve info object, looks
for arguments and walks its completion steps for each of them, which on pages of thousands of
fields costs more than the store. Fields that Strawberry itself treats as basic (no resolver, no
extensions, its default attribute getter) and whose type is a scalar or an enum are read and
serialised directly here. Anything unusual (a missing or null value of a non-null field, a value
the type cannot serialise, arguments, middleware) takes graphql-core's own path, so errors,
their messages and their locations are exactly graphql-core's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from api.auth import context_caller, may_see_personal_data
from api.entities.compiled import CompiledField, Compiler

PLAIN_LEAF = "chanjiao-plain-leaf"  # key in a GraphQLField's extensions


@dataclass(frozen=True)
class PlainLeaf:
    """How to answer a plain leaf field: the attribute, the type that serialises it, and whether
    null is allowed."""

    attribute: str
    leaf_type: GraphQLScalarType | GraphQLEnumType
    nullable: bool


def mark_plain_leaves(schema: GraphQLSchema) -> None:
    """Tag every field of the schema that the fast path may answer (once, when the app is built)."""
    for named in schema.type_map.values():
        if isinstance(named, GraphQLObjectType) and not named.name.startswith("__"):
            for field in named.fields.values():
                leaf = _plain_leaf(field)
                if leaf is not None:
                    field.extensions = {**(field.extensions or {}), PLAIN_LEAF: leaf}


def _plain_leaf(field: GraphQLField) -> PlainLeaf | None:
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or not getattr(field.resolve, "_is_default", False) or field.args:
        return None
    if not definition.is_basic_field or definition.default_resolver is not getattr:
        return None
    nullable = not isinstance(field.type, GraphQLNonNull)
    leaf_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if not isinstance(leaf_type, GraphQLScalarType | GraphQLEnumType):
        return None
    return PlainLeaf(definition.python_name, leaf_type, nullable)


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, answering plain leaf fields without the general path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Strawberry always hands over a middleware manager; only one that wraps resolvers
        # (it has middleware) must see every field.
        manager = self.middleware_manager
        self.plain_leaves = manager is None or manager.get_field_resolver(_probe) is _probe
        self.compiler: Compiler | None = None

    def execute_field(
        self, parent_type: GraphQLObjectType, source: Any, field_details_list: Any, path: Any, position_context: Any
    ) -> Any:
        if parent_type is self.schema.query_type and self.plain_leaves:
            compiled = self._compiled(parent_type, field_details_list)
            if compiled is not None:
                return self._answer(compiled, parent_type, source, field_details_list, path, position_context)
        node = field_details_list[0].node
        field = parent_type.fields.get(node.name.value)
        leaf = field.extensions.get(PLAIN_LEAF) if field is not None and field.extensions else None
        if leaf is not None and self.plain_leaves and not node.arguments:
            value = getattr(source, leaf.attribute, Undefined)
            if value is None and leaf.nullable:
                return None
            if value is not None and value is not Undefined:
                try:
                    serialized = leaf.leaf_type.serialize(value)
                except Exception:
                    serialized = None
                if serialized is not None and serialized is not Undefined:
                    return serialized
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def _compiled(self, parent_type: GraphQLObjectType, field_details_list: Any) -> CompiledField | None:
        """The root field compiled into one tree read, when it can be (api.entities.compiled)."""
        field_def = parent_type.fields.get(field_details_list[0].node.name.value)
        if field_def is None:
            return None
        if self.compiler is None:
            self.compiler = Compiler(self, may_see_personal_data(context_caller(self.context_value)))
        try:
            return self.compiler.root(field_def, field_details_list)
        except Exception:  # an argument the resolvers reject: they answer, with their own error
            return None

    async def _answer(self, compiled: CompiledField, parent_type: GraphQLObjectType, source: Any,
                      field_details_list: Any, path: Any, position_context: Any) -> Any:
        try:
            return compiled.build(await self.context_value.store.read_tree(compiled.tree))
        except Exception:  # what the compiled path cannot answer, the resolvers do, errors included
            result = super().execute_field(parent_type, source, field_details_list, path, position_context)
            return await result if self.is_awaitable(result) else result


def _probe(source: Any, info: Any, **args: Any) -> Any:
    return None
