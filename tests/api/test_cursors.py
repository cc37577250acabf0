"""Cursors the API never handed out are bad arguments on every list, top-level and nested: a
clear message naming the cursor, never an internal error (issue 11, finding 7)."""

from __future__ import annotations

import base64

import pytest
from graphql import GraphQLObjectType, get_named_type

from api.schema import build_schema
from tests.api.conftest import Api

NOT_OURS = "is not a cursor this API handed out"
SCHEMA = build_schema()._schema


def cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


BAD_CURSORS = {
    "superscript digit": cursor("offset:²"),
    "arabic-indic digits": cursor("offset:٣٤"),
    "5000 digits": cursor("offset:" + "9" * 5000),
    "beyond 64 bits": cursor(f"offset:{2**64}"),
    "just below 2**63": cursor(f"offset:{2**63 - 1}"),
    "negative": cursor("offset:-1"),
}


def connections(type_name: str) -> list[str]:
    """The fields of `type_name` that take a cursor (`after`)."""
    named = SCHEMA.get_type(type_name)
    assert isinstance(named, GraphQLObjectType)
    return [name for name, field in named.fields.items() if "after" in field.args]


def node_type(connection_field: str) -> str:
    assert SCHEMA.query_type is not None
    connection = get_named_type(SCHEMA.query_type.fields[connection_field].type)
    assert isinstance(connection, GraphQLObjectType)
    return get_named_type(connection.fields["nodes"].type).name


def assert_refused(body: dict[str, object]) -> None:
    errors = body["errors"]
    assert isinstance(errors, list) and errors
    messages = [error["message"] for error in errors]
    assert all(NOT_OURS in message and len(message) < 400 for message in messages), messages


@pytest.mark.parametrize("bad", BAD_CURSORS.values(), ids=BAD_CURSORS.keys())
def test_every_top_level_list_refuses_a_foreign_cursor(unlimited_api: Api, bad: str) -> None:
    fields = connections("Query")
    assert len(fields) >= 11
    for field in fields:
        response = unlimited_api.post(f"query($c: String) {{ {field}(after: $c) {{ totalCount }} }}", {"c": bad})
        assert response.status_code == 200
        assert_refused(response.json())


@pytest.mark.parametrize("bad", BAD_CURSORS.values(), ids=BAD_CURSORS.keys())
def test_every_nested_list_refuses_a_foreign_cursor(unlimited_api: Api, bad: str) -> None:
    covered = 0
    for top in connections("Query"):
        if not unlimited_api.query(f"{{ {top} {{ totalCount }} }}")[top]["totalCount"]:
            continue  # the dataset has no zones, bases, projects or courses
        for field in connections(node_type(top)):
            query = f"query($c: String) {{ {top}(first: 1) {{ nodes {{ {field}(after: $c) {{ totalCount }} }} }} }}"
            assert_refused(unlimited_api.post(query, {"c": bad}).json())
            covered += 1
    assert covered >= 30


def test_the_largest_offset_a_cursor_holds_still_pages(unlimited_api: Api) -> None:
    data = unlimited_api.query('query($c: String) { schools(after: $c) { totalCount nodes { code } pageInfo { hasPreviousPage } } }',
                     {"c": cursor("offset:" + "9" * 15)})
    assert data["schools"] == {"totalCount": 4, "nodes": [], "pageInfo": {"hasPreviousPage": True}}
