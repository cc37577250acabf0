"""Every guardrail over real HTTP on both stores, allowing at its limit and refusing at limit + 1:
depth, aliases, tokens, page size (literal and variable), cost, body size, rate; then field
suggestions, error masking, introspection and the WebSocket refusal.

Depths, token counts and costs of the documents below are counted by hand in the comments."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets.exceptions
import websockets.sync.client

from graph.open import open_store
from graph.store import GraphStore
from tests.api.conftest import Api, global_id
from tests.api.dataset import SJTU
from tests.api.secured import EDITOR, READER, errors, key_header, serve


@pytest.fixture
def guarded(loaded_store: GraphStore, store_uri: str) -> Iterator[Any]:
    """`guarded(**settings)`: a server over the test store with these settings."""
    servers: list[Any] = []

    def start(**overrides: Any) -> Api:
        server = serve(loaded_store, store_uri, **overrides)
        servers.append(server)
        return server.__enter__()

    yield start
    for server in reversed(servers):
        server.__exit__(None, None, None)


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def refused(response: httpx.Response, status: int = 400) -> str:
    """The message of the one error of a request refused before execution (no `data` entry)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    message: str = error["message"]
    return message


# ---- limits on the document ------------------------------------------------------------------


def test_depth(guarded: Any) -> None:
    api = guarded(CHANJIAO_MAX_DEPTH=3)
    # depth counts from 0 at the root field: schools 0, nodes 1, district 2, code 3
    assert ok(api.post("{ schools(first: 1) { nodes { district { code } } } }")) == {
        "schools": {"nodes": [{"district": {"code": "310110"}}]}}
    # schools 0, nodes 1, district 2, locatedHere 3, totalCount 4; through a fragment as well
    assert "exceeds maximum operation depth of 3" in refused(api.post("{ schools { nodes { district { locatedHere { totalCount } } } } }"))
    deep_fragment = "{ schools { nodes { ...Where } } } fragment Where on School { district { locatedHere { totalCount } } }"
    assert "exceeds maximum operation depth of 3" in refused(api.post(deep_fragment))


def test_aliases(guarded: Any) -> None:
    api = guarded(CHANJIAO_MAX_ALIASES=2)
    assert ok(api.post("{ a: schools { totalCount } b: schools { totalCount } }")) == {
        "a": {"totalCount": 4}, "b": {"totalCount": 4}}
    assert refused(api.post("{ a: schools { totalCount } b: schools { totalCount } c: schools { totalCount } }")) == \
        "3 aliases found. Allowed: 2"


def test_tokens(guarded: Any) -> None:
    api = guarded(CHANJIAO_MAX_TOKENS=6)
    # `{` `schools` `{` `totalCount` `}` `}`: 6 tokens
    assert ok(api.post("{ schools { totalCount } }")) == {"schools": {"totalCount": 4}}
    # one more word: 7 tokens
    assert refused(api.post("{ schools { totalCount __typename } }")) == \
        "Syntax Error: Document contains more than 6 tokens. Parsing aborted."


def test_page_size_as_literal_and_as_variable(guarded: Any) -> None:
    api = guarded(CHANJIAO_MAX_PAGE_SIZE=3)
    codes = ok(api.post("{ schools(first: 3) { nodes { code } } }"))["schools"]["nodes"]
    assert len(codes) == 3
    by_variable = "query($n: Int) { schools(first: $n) { nodes { code } } }"
    assert len(ok(api.post(by_variable, {"n": 3}))["schools"]["nodes"]) == 3
    expected = "page size above the maximum of 3: schools(first: 4); page through the list with `after` instead"
    assert refused(api.post("{ schools(first: 4) { nodes { code } } }")) == expected
    assert refused(api.post(by_variable, {"n": 4})) == expected
    assert refused(api.post("query($n: Int = 4) { schools(first: $n) { nodes { code } } }")) == expected


def test_page_size_of_nested_lists_search_and_ids(guarded: Any) -> None:
    api = guarded(CHANJIAO_MAX_PAGE_SIZE=3)
    nested = "query($n: Int) { schools(first: 1) { nodes { disciplines(first: $n) { totalCount } } } }"
    assert ok(api.post(nested, {"n": 3})) == {"schools": {"nodes": [{"disciplines": {"totalCount": 2}}]}}
    assert "schools.nodes.disciplines(first: 4)" in refused(api.post(nested, {"n": 4}))
    assert "search(first: 4)" in refused(api.post('{ search(text: "大学", first: 4) { score } }'))
    ids = [global_id("District", code) for code in ("310104", "310110", "310112", "310113")]
    assert len(ok(api.post("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids[:3]}))["nodes"]) == 3
    assert "nodes(ids: 4)" in refused(api.post("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids}))


def test_a_network_is_held_to_its_node_budget_not_the_page_size(guarded: Any) -> None:
    """partnerNetwork's `first` bounds one result (there is no `after` to page with): the explorer
    asks for 500 nodes in one request while pages stay at 100."""
    api = guarded(CHANJIAO_MAX_PAGE_SIZE=3, CHANJIAO_MAX_NETWORK_NODES=5)
    network = "query($n: Int) { partnerNetwork(center: $center, depth: 2, first: $n) { nodes { key } } }"
    network = network.replace("$center", f'"{global_id("School", SJTU)}"')
    assert 3 < len(ok(api.post(network, {"n": 5}))["partnerNetwork"]["nodes"]) <= 5
    response = api.post(network, {"n": 6})
    assert refused(response) == "network above the maximum of 5 nodes: partnerNetwork(first: 6); ask for fewer nodes or a smaller depth"
    assert response.json()["errors"][0]["extensions"] == {"code": "NETWORK_LIMIT_EXCEEDED", "maxNetworkNodes": 5}


# cost: schools 1 + nodes (1 + 2 × (code 1 + disciplines (1 + nodes (1 + $n × code 1))))
#   $n = 2: 1 + 1 + 2 × (1 + 1 + 1 + 2) = 12;   $n = 3: 1 + 1 + 2 × 6 = 14
COSTLY = "query($n: Int!) { schools(first: 2) { nodes { code disciplines(first: $n) { nodes { code } } } } }"


def test_cost(guarded: Any) -> None:
    api = guarded(CHANJIAO_MAX_COST=12)
    assert len(ok(api.post(COSTLY, {"n": 2}))["schools"]["nodes"]) == 2
    # the same plus `totalCount` (a connection's own field is not repeated): 13
    plus_one = "{ schools(first: 2) { totalCount nodes { code disciplines(first: 2) { nodes { code } } } } }"
    response = api.post(plus_one)
    assert refused(response).startswith("estimated query cost 13 is above the maximum of 12")
    assert response.json()["errors"][0]["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "cost": 13, "maxCost": 12}
    assert refused(api.post(COSTLY, {"n": 3})).startswith("estimated query cost 14 is above the maximum of 12")


# cost: analytics 1 + centrality 1000 + rows (1 + score 1) = 1003 (`rows` is a list without `first`)
ANALYSIS = "{ analytics { centrality(measure: DEGREE, first: 1) { rows { score } } } }"


def test_expensive_fields_cost_what_they_compute(guarded: Any) -> None:
    api = guarded(CHANJIAO_MAX_COST=1003)
    assert len(ok(api.post(ANALYSIS))["analytics"]["centrality"]["rows"]) == 1
    twice = "{ analytics { a: centrality(measure: DEGREE, first: 1) { rows { score } } b: kCore { k } } }"
    # analytics 1 + a (1000 + 1 + 1) + b (1000 + k 1) = 2004
    assert refused(api.post(twice)).startswith("estimated query cost 2004 is above the maximum of 1003")


def test_expensive_field_count(guarded: Any) -> None:
    api = guarded(CHANJIAO_MAX_EXPENSIVE_FIELDS=2)
    two = "{ analytics { a: kCore { k } b: kCore(k: 1) { k } } }"
    assert ok(api.post(two))["analytics"]["a"]["k"] >= 0
    three = "{ analytics { a: kCore { k } b: kCore(k: 1) { k } } talentGap(year: 2024) { year } }"
    response = api.post(three)
    assert refused(response) == (
        "3 expensive fields (analyses, networks, paths, gaps, matches) in one operation; at most 2 may run: "
        "analytics.kCore: a, analytics.kCore: b, talentGap; send the others in separate requests"
    )
    assert response.json()["errors"][0]["extensions"] == {
        "code": "EXPENSIVE_FIELD_LIMIT_EXCEEDED", "expensiveFields": 3, "maxExpensiveFields": 2,
    }


def test_indicators_scan_everything_so_they_count_as_expensive(guarded: Any) -> None:
    api = guarded(CHANJIAO_MAX_EXPENSIVE_FIELDS=2)
    measure = '(measures: [{of: "School", groupBy: ["level"]}]) { count }'
    assert ok(api.post(f"{{ a: indicators{measure} b: indicators{measure} }}"))["a"][0]["count"] >= 0
    assert refused(api.post(f"{{ a: indicators{measure} b: indicators{measure} c: indicators{measure} }}")).startswith(
        "3 expensive fields (analyses, networks, paths, gaps, matches) in one operation; at most 2 may run: "
        "indicators: a, indicators: b, indicators: c")


# ---- limits on the request -----------------------------------------------------------------


def body_of(size: int) -> bytes:
    """A valid GraphQL request of exactly `size` bytes (the query padded with spaces)."""
    bare = json.dumps({"query": "{ schools { totalCount } }"}).encode()
    return bare.replace(b"} }", b"} }" + b" " * (size - len(bare)), 1)


def test_body_size(guarded: Any) -> None:
    api = guarded(CHANJIAO_MAX_BODY_BYTES=200)
    headers = {"content-type": "application/json"}
    assert len(body_of(200)) == 200 and len(body_of(201)) == 201
    assert ok(api.client.post("/graphql", content=body_of(200), headers=headers)) == {"schools": {"totalCount": 4}}
    too_big = api.client.post("/graphql", content=body_of(201), headers=headers)
    assert too_big.status_code == 413
    assert too_big.json() == {"errors": [{"message": "request body larger than the maximum of 200 bytes",
                                          "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]}

    def chunked(body: bytes) -> Iterator[bytes]:  # no Content-Length: the limit counts what arrives
        yield from (body[start:start + 50] for start in range(0, len(body), 50))

    assert ok(api.client.post("/graphql", content=chunked(body_of(200)), headers=headers)) == {"schools": {"totalCount": 4}}
    assert api.client.post("/graphql", content=chunked(body_of(201)), headers=headers).status_code == 413


def test_rate_limit_per_client(guarded: Any) -> None:
    api = guarded(CHANJIAO_RATE_LIMIT=1, CHANJIAO_RATE_BURST=3)  # 3 at once, then one a minute
    for _ in range(3):
        ok(api.post("{ schools { totalCount } }"))
    limited = api.post("{ schools { totalCount } }")
    assert limited.status_code == 429
    assert 59 <= int(limited.headers["retry-after"]) <= 60  # a token comes back after 60 s at 1 a minute
    assert errors(limited)[0]["extensions"] == {"code": "RATE_LIMITED"}
    assert api.post("{ schools { totalCount } }", **key_header("a guessed key")).status_code == 429  # guessing counts by address
    for _ in range(3):  # another client (an editor's key) has its own bucket
        ok(api.post("{ schools { totalCount } }", **EDITOR))
    assert api.post("{ schools { totalCount } }", **EDITOR).status_code == 429
    assert api.client.get("/export", params={"format": "json"}, headers=EDITOR).status_code == 429  # exports count too
    assert api.client.get("/healthz").status_code == 200  # probes are not limited


# ---- what errors say ---------------------------------------------------------------------------


def test_no_suggestions_for_anonymous_callers(guarded: Any) -> None:
    api = guarded()
    typo_field, typo_argument = "{ schools { nodes { nam } } }", "{ schools(firts: 1) { totalCount } }"
    assert refused(api.post(typo_field)) == "Cannot query field 'nam' on type 'School'."
    assert refused(api.post(typo_argument)) == "Unknown argument 'firts' on field 'Query.schools'."
    assert refused(api.post(typo_field, **READER)) == "Cannot query field 'nam' on type 'School'. Did you mean 'name'?"
    assert "Did you mean 'first'?" in refused(api.post(typo_argument, **READER))


def test_internal_errors_are_masked_and_expected_ones_are_not(guarded: Any, loaded_store: GraphStore, store_uri: str) -> None:
    broken = open_store(store_uri)
    broken.close()  # a store that is gone: every read fails inside the resolver
    with serve(broken, store_uri) as api:
        response = api.post("{ schools { totalCount } }")
    assert response.status_code == 200
    assert response.json() == {"data": None, "errors": [{
        "message": "Internal server error (it has been logged)", "locations": [{"line": 1, "column": 3}], "path": ["schools"]}]}
    working = guarded()
    expected = working.post('{ node(id: "not base64!") { id } }').json()["errors"][0]["message"]
    assert expected == "node id 'not base64!' is not valid base64"
    assert ok(working.post(f'{{ node(id: "{global_id("School", SJTU)}") {{ id }} }}')) == {"node": {"id": global_id("School", SJTU)}}


def test_refusals_are_logged_as_information_and_internal_errors_as_errors(
        guarded: Any, store_uri: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    guarded().post('{ node(id: "not base64!") { id } }')
    guarded(CHANJIAO_MAX_DEPTH=1).post("{ schools { edges { node { name } } } }")
    refusals = [record for record in caplog.records if record.name == "api.schema"]
    assert [record.levelno for record in refusals] == [logging.INFO, logging.INFO]
    assert "not valid base64" in refusals[0].getMessage() and "['node']" in refusals[0].getMessage()
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    broken = open_store(store_uri)
    broken.close()
    with serve(broken, store_uri) as api:
        api.post("{ schools { totalCount } }")
    [internal] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert internal.exc_info is not None  # the traceback is kept for the logs


def test_introspection_can_be_turned_off(guarded: Any) -> None:
    introspect = "{ __schema { queryType { name } } }"
    assert ok(guarded().post(introspect)) == {"__schema": {"queryType": {"name": "Query"}}}
    closed = guarded(CHANJIAO_INTROSPECTION=False)
    for document in (introspect, '{ __type(name: "School") { name } }'):
        response = closed.post(document)
        assert response.status_code == 400 and "data" not in response.json()
        assert errors(response)[0]["message"].startswith("GraphQL introspection has been disabled")
    assert ok(closed.post("{ __typename }")) == {"__typename": "Query"}


def test_websocket_transport_is_refused(guarded: Any) -> None:
    api = guarded()
    url = str(api.client.base_url).replace("http://", "ws://").rstrip("/") + "/graphql"
    with pytest.raises(websockets.exceptions.InvalidStatus, match="403"):
        websockets.sync.client.connect(url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")], open_timeout=10)
