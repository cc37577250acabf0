"""Personal data (the model's `personal=True` properties, e.g. mentors' `email` and `phone`):
below the editor role it can be neither read nor learnt.

- Read: every output field holding such a property resolves it through `personal_field`,
  null below editor.
- Learnt: filtering or sorting by a value one may not read gives it away a character at a time
  (`startsWith`, `gt`, the order of a sorted page). The generated inputs that name a personal
  property (`MentorWhere.email`, `MentorOrderField.EMAIL`…) are noted here as they are built
  from the model (`note_personal_inputs`), and `PersonalArguments` refuses, before anything
  runs, an operation of a caller below editor that names one anywhere: as a literal, in a
  variable's value or default, at any depth of `AND`/`OR`/`NOT` and relationship filters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any

from graphql import (
    DocumentNode,
    EnumValueNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLSchema,
    Node,
    ObjectFieldNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    visit,
)
from strawberry import Info
from strawberry.extensions import SchemaExtension

from api.auth import caller_of, context_caller, may_see_personal_data
from api.entities.relations import python_name
from graph import records
from graph.model import Prop

EDITORS_ONLY = "editors only (FORBIDDEN below that role)"

# GraphQL input or enum type name → the personal properties its fields or values stand for.
_PERSONAL_INPUTS: dict[str, frozenset[str]] = {}


def personal_field(info: Info, record: records.Node, prop_name: str) -> Any:
    """The value of a personal property of `record` for the caller of this request: null below editor."""
    return record.props.get(prop_name) if may_see_personal_data(caller_of(info)) else None


def note_personal_inputs(type_name: str, props: Iterable[Prop]) -> frozenset[str]:
    """Records that the generated input or enum `type_name`, built from `props`, names those of
    them that are personal; returns their property names."""
    names = frozenset(prop.name for prop in props if prop.personal)
    if names:
        _PERSONAL_INPUTS[type_name] = names
    return names


@cache
def personal_inputs(schema: GraphQLSchema) -> Mapping[str, frozenset[str]]:
    """GraphQL type name → the GraphQL names of its personal input fields or enum values."""
    found: dict[str, frozenset[str]] = {}
    for type_name, props in _PERSONAL_INPUTS.items():
        graphql_type = schema.type_map.get(type_name)
        if isinstance(graphql_type, GraphQLInputObjectType):
            attributes = {python_name(prop) for prop in props}
            found[type_name] = frozenset(
                name for name, field in graphql_type.fields.items() if _python_name(field.extensions, name) in attributes
            )
        elif isinstance(graphql_type, GraphQLEnumType):
            found[type_name] = frozenset(
                name for name, value in graphql_type.values.items() if getattr(value.value, "value", value.value) in props
            )
    return found


def _python_name(extensions: Mapping[str, Any], graphql_name: str) -> str:
    definition = extensions.get("strawberry-definition")
    return getattr(definition, "python_name", graphql_name)


def personal_values(value: Any, input_type: GraphQLInputType, personal: Mapping[str, frozenset[str]]) -> Iterator[str]:
    """`Type.name` for every personal input field or enum value named in a variable's `value`
    (JSON as sent) of type `input_type`. Iterative: a deeply nested value costs no recursion."""
    pending: list[tuple[Any, GraphQLInputType]] = [(value, input_type)]
    while pending:
        value, input_type = pending.pop()
        nullable = get_nullable_type(input_type)
        if isinstance(nullable, GraphQLList):
            items = value if isinstance(value, list) else [value]  # one item stands for a list of one
            pending.extend((item, nullable.of_type) for item in items)
        elif isinstance(nullable, GraphQLInputObjectType) and isinstance(value, dict):
            named = personal.get(nullable.name, frozenset())
            for key, inner in value.items():
                if key in named:
                    yield f"{nullable.name}.{key}"
                field = nullable.fields.get(key)
                if field is not None:
                    pending.append((inner, field.type))
        elif isinstance(nullable, GraphQLEnumType) and isinstance(value, str) and value in personal.get(nullable.name, ()):
            yield f"{nullable.name}.{value}"


class _PersonalUses(Visitor):
    """Collects where a document names personal inputs, by `Type.name`."""

    def __init__(self, type_info: TypeInfo, personal: Mapping[str, frozenset[str]], variables: Mapping[str, Any]) -> None:
        super().__init__()
        self.type_info, self.personal, self.variables = type_info, personal, variables
        self.found: dict[str, list[Node]] = {}

    def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
        self._check(self.type_info.get_parent_input_type(), node.name.value, node)

    def enter_enum_value(self, node: EnumValueNode, *_: Any) -> None:
        self._check(self.type_info.get_input_type(), node.value, node)

    def enter_variable(self, node: VariableNode, _key: Any, parent: Any, *_: Any) -> None:
        input_type = self.type_info.get_input_type()
        if isinstance(parent, VariableDefinitionNode) or input_type is None:
            return  # a definition, not a use (its default value is visited as a literal)
        for name in personal_values(self.variables.get(node.name.value), input_type, self.personal):
            self.found.setdefault(name, []).append(node)

    def _check(self, input_type: GraphQLInputType | None, name: str, node: Node) -> None:
        named = get_named_type(input_type)
        if named is not None and name in self.personal.get(named.name, ()):
            self.found.setdefault(f"{named.name}.{name}", []).append(node)


def personal_uses(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                  variables: Mapping[str, Any] | None) -> dict[str, list[Node]]:
    """Every personal input the operation to run (and the fragments) names, with where: literals,
    variables, defaults. Other operations of the document do not run, so they do not count."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return {}  # graphql-core reports the missing or ambiguous operation
    fragments = tuple(node for node in document.definitions if isinstance(node, FragmentDefinitionNode))
    type_info = TypeInfo(schema)
    uses = _PersonalUses(type_info, personal_inputs(schema), variables if isinstance(variables, dict) else {})
    visit(DocumentNode(definitions=(operation, *fragments)), TypeInfoVisitor(type_info, uses))
    return uses.found


class PersonalArguments(SchemaExtension):
    """Refuses, after validation and before execution, an operation of a caller below editor
    whose arguments name personal data (see the module's docstring)."""

    def on_validate(self) -> Iterator[None]:
        yield
        context = self.execution_context
        document = context.graphql_document
        if context.pre_execution_errors or document is None or may_see_personal_data(context_caller(context.context)):
            return
        uses = personal_uses(context.schema._schema, document, context.operation_name, context.variables)
        if uses:
            names = sorted(uses)
            raise GraphQLError(
                f"filtering or sorting by personal data needs the editor role: {', '.join(names)} would reveal what "
                "only editors may read; send an editor's API key (X-API-Key) or JWT (Authorization: Bearer), or leave them out",
                nodes=[node for name in names for node in uses[name]],
                extensions={"code": "FORBIDDEN", "personalInputs": names},
            )
