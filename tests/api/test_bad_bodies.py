"""Bodies that are not GraphQL requests are answered 400 with a GraphQL-shaped error naming what
is wrong, never a plain-text 500 (issue 11, finding 6)."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api

TYPENAME = '{"query": "{ __typename }", '
NOT_AN_OBJECT = "the request body must be a JSON object"

BAD_BODIES: dict[str, tuple[bytes, str]] = {
    "null": (b"null", NOT_AN_OBJECT),
    "a string": (b'"str"', NOT_AN_OBJECT),
    "a number": (b"123", NOT_AN_OBJECT),
    "nothing": (b"", NOT_AN_OBJECT),
    "10k-deep arrays in variables": ((TYPENAME + '"variables": {"a": ' + "[" * 10_000 + "]" * 10_000 + "}}").encode(),
                                     "nested too deeply"),
    "10k-deep objects in variables": ((TYPENAME + '"variables": {"a": ' + '{"a":' * 10_000 + "1" + "}" * 10_001).encode(),
                                      "nested too deeply"),
    "invalid UTF-8": (b'{"query": "{ __typename \xff }"}', "not valid UTF-8 (byte 24)"),
    "a 5000-digit number": ((TYPENAME + '"variables": {"a": ' + "9" * 5000 + "}}").encode(), "integer of 5000 digits"),
    "broken JSON": (b'{"query": ', "not valid JSON"),
    "a batch": (b'[{"query": "{ __typename }"}]', "Batching is not enabled"),
    "variables not an object": ((TYPENAME + '"variables": "x"}').encode(), "`variables` must be an object"),
}


@pytest.mark.parametrize("body, message", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_body_is_400_with_a_graphql_error(unlimited_api: Api, body: bytes, message: str) -> None:
    response = unlimited_api.client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert message in error["message"] and error["extensions"]["code"] == "BAD_REQUEST"
    assert len(response.content) < 1000


@pytest.mark.parametrize("variables, message", [("[" * 10_000, "nested too deeply"), ("9" * 5000, "integer of 5000 digits")])
def test_bad_variables_in_a_get_are_400(unlimited_api: Api, variables: str, message: str) -> None:
    response = unlimited_api.client.get("/graphql", params={"query": "{ __typename }", "variables": variables})
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]


def test_a_get_mutation_is_refused_as_a_graphql_error(unlimited_api: Api) -> None:
    response = unlimited_api.client.get("/graphql", params={"query": "mutation { __typename }"})
    assert response.status_code == 405 and response.headers["allow"] == "GET, POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


def test_a_sound_body_still_answers(unlimited_api: Api) -> None:
    assert unlimited_api.query("{ __typename }") == {"__typename": "Query"}
