"""What the personal-data tests share: which properties are personal (from the model), the values
of tests/api/dataset.py that must never come out below editor, the served schema's input types,
GraphQL literals, and what a refusal looks like."""

from __future__ import annotations

import json
from typing import Any

import httpx
from graphql import GraphQLInputObjectType, GraphQLList, GraphQLNonNull

from api.schema import build_schema
from graph.model import NODE_KINDS

SCHEMA = build_schema()._schema
PERSONAL_PROPS = {(kind.label, prop.name) for kind in NODE_KINDS for prop in kind.properties if prop.personal}
PERSONAL_KINDS = sorted({label for label, _ in PERSONAL_PROPS})
# The values of tests/api/dataset.py that must never come out below editor.
PERSONAL_VALUES = ("zhang.wei@example.com", "13800000001")
BELOW_EDITOR = ("anonymous", "reader key", "reader jwt")
EDITORS = ("editor key", "admin jwt")


def input_type(name: str) -> GraphQLInputObjectType:
    graphql_type = SCHEMA.type_map[name]
    assert isinstance(graphql_type, GraphQLInputObjectType)
    return graphql_type


def is_list(field_type: Any) -> bool:
    return isinstance(field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type, GraphQLList)


class EnumValue(str):
    """An enum value: written bare in a GraphQL literal, as a string in JSON variables."""


def literal(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {literal(inner)}" for key, inner in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, EnumValue):
        return str(value)
    return json.dumps(value)


def refused(response: httpx.Response) -> bool:
    """Refused with FORBIDDEN before anything ran, and nothing personal in the answer."""
    body = response.json()
    assert not any(value in response.text for value in PERSONAL_VALUES), response.text
    return (response.status_code < 500 and body.get("data") is None
            and [error.get("extensions", {}).get("code") for error in body.get("errors", [])] == ["FORBIDDEN"])
