"""The GraphQL schema against the model (the single source of truth) and the checked-in SDL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)

from api.schema import build_schema, schema_sdl
from graph.model import NODE_KINDS, REL_KINDS, NodeKind, Prop, PropType

ROOT = Path(__file__).resolve().parents[2]
SCALARS = {PropType.STR: "String", PropType.INT: "Int", PropType.FLOAT: "Float", PropType.BOOL: "Boolean"}
TABLE_FIELDS = {
    "schools", "disciplines", "enterprises", "industryChains", "mentors", "bases", "alliances",
    "districts", "zones", "projects", "courses",
}


@pytest.fixture(scope="module")
def graphql_schema() -> GraphQLSchema:
    return build_schema()._schema


def field_name(prop: Prop) -> str:
    """Written out here: camelCase, and the model's `id` key is `key` (`id` is the global ID)."""
    if prop.name == "id":
        return "key"
    head, *rest = prop.name.split("_")
    return head + "".join(word.title() for word in rest)


def type_text(prop: Prop) -> str:
    named = "[String!]" if prop.type is PropType.STR_LIST else SCALARS[prop.type]
    return f"{named}!" if prop.required else named


def object_type(schema: GraphQLSchema, name: str) -> GraphQLObjectType:
    found = schema.type_map[name]
    assert isinstance(found, GraphQLObjectType)
    return found


def test_checked_in_sdl_matches_the_code() -> None:
    checked_in = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert checked_in == schema_sdl(), "schema.graphql is stale: run `chanjiao schema --output schema.graphql`"


def test_schema_command_checks_drift() -> None:
    command = Path(sys.executable).with_name("chanjiao")
    result = subprocess.run([str(command), "schema", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("kind", NODE_KINDS, ids=lambda kind: kind.label)
def test_every_property_is_a_described_field_of_the_right_type(graphql_schema: GraphQLSchema, kind: NodeKind) -> None:
    node_type = object_type(graphql_schema, kind.label)
    assert node_type.description == kind.description
    assert [interface.name for interface in node_type.interfaces] == ["Node"]
    assert str(node_type.fields["id"].type) == "ID!"
    for prop in kind.properties:
        field = node_type.fields[field_name(prop)]
        assert str(field.type) == type_text(prop), f"{kind.label}.{prop.name}"
        assert field.description and field.description.startswith(prop.description)


@pytest.mark.parametrize("kind", NODE_KINDS, ids=lambda kind: kind.label)
def test_every_property_can_be_filtered_and_sorted(graphql_schema: GraphQLSchema, kind: NodeKind) -> None:
    where = graphql_schema.type_map[f"{kind.label}Where"]
    assert isinstance(where, GraphQLInputObjectType)
    order = graphql_schema.type_map[f"{kind.label}OrderField"]
    assert isinstance(order, GraphQLEnumType)
    for prop in kind.properties:
        assert field_name(prop) in where.fields
        if prop.type is not PropType.STR_LIST:
            assert ("KEY" if prop.name == "id" else prop.name.upper()) in order.values
    assert {"AND", "OR", "NOT"} <= set(where.fields)


def test_every_relationship_is_a_field_on_both_ends(graphql_schema: GraphQLSchema) -> None:
    for rel in REL_KINDS:
        target = object_type(graphql_schema, rel.target)
        incoming = [field for field in target.fields.values() if field.description and f"← {rel.type} " in field.description]
        assert len(incoming) == 1, f"{rel.target} lacks one incoming {rel.type} field"
        for source in rel.sources:
            outgoing = [field for field in object_type(graphql_schema, source).fields.values()
                        if field.description and f"({rel.type} →)" in field.description]
            assert len(outgoing) == 1, f"{source} lacks one outgoing {rel.type} field"


def test_relationship_properties_sit_on_the_edges(graphql_schema: GraphQLSchema) -> None:
    cooperations = object_type(graphql_schema, "SchoolCooperationsEdge")
    assert {"cursor", "node", "since", "kinds", "source", "loadedAt"} <= set(cooperations.fields)
    assert str(cooperations.fields["node"].type) == "Enterprise!"
    members = object_type(graphql_schema, "AllianceMembersEdge")
    assert str(members.fields["node"].type) == "Node!" and "role" in members.fields


def test_relationships_keyed_by_year_sit_on_the_edges_as_rows(graphql_schema: GraphQLSchema) -> None:
    """OFFERS and DEMANDS may join two nodes once a year: the edge holds the node once and its
    relationships as `rows`; the field takes `year:`."""
    for owner, name, row, node in [("School", "disciplines", "OffersRow", "Discipline"), ("Discipline", "schools", "OffersRow", "School"),
                                   ("Enterprise", "demands", "DemandsRow", "Discipline"), ("Discipline", "enterprises", "DemandsRow", "Enterprise")]:
        edge = object_type(graphql_schema, f"{owner}{name.capitalize()}Edge")
        assert set(edge.fields) == {"cursor", "node", "rows"}, owner
        assert (str(edge.fields["node"].type), str(edge.fields["rows"].type)) == (f"{node}!", f"[{row}!]!")
        assert str(object_type(graphql_schema, owner).fields[name].args["year"].type) == "Int"
    assert {"year", "enrollment", "graduates", "source", "loadedAt", "synthetic", "provenance"} == set(object_type(graphql_schema, "OffersRow").fields)
    assert {"year", "openings", "level", "source", "loadedAt", "synthetic", "provenance"} == set(object_type(graphql_schema, "DemandsRow").fields)


def test_query_has_a_connection_per_table_and_the_entity_fields(graphql_schema: GraphQLSchema) -> None:
    query = graphql_schema.query_type
    assert query is not None
    assert TABLE_FIELDS | {"node", "nodes", "search"} <= set(query.fields)
    for name in TABLE_FIELDS:
        field = query.fields[name]
        assert {"where", "orderBy", "first", "after"} <= set(field.args)
        connection = get_named_type(field.type)
        assert isinstance(connection, GraphQLObjectType)
        assert {"edges", "nodes", "pageInfo", "totalCount"} <= set(connection.fields)
    search = query.fields["search"]
    assert str(search.args["text"].type) == "String!" and str(search.args["kinds"].type) == "[Kind!]"
    assert isinstance(search.type, GraphQLNonNull) and isinstance(search.type.of_type, GraphQLList)


def test_personal_properties_resolve_through_one_function() -> None:
    from api.entities.types import NODE_TYPES

    definition = NODE_TYPES["Mentor"].__strawberry_definition__
    personal = {field.python_name: field for field in definition.fields if field.python_name in ("email", "phone")}
    assert set(personal) == {"email", "phone"}
    for field in personal.values():
        assert "personal_field" in field.base_resolver.wrapped_func.__code__.co_names
