"""GraphQL over HTTP (POST, GET, media types, status codes), GraphiQL, the probes and the
metrics endpoint, against the real server."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import Api

COUNT = "{ schools { totalCount } }"


def test_post_and_get_answer_the_same(api: Api) -> None:
    posted = api.post(COUNT)
    fetched = api.client.get("/graphql", params={"query": COUNT})
    assert posted.status_code == fetched.status_code == 200
    assert posted.json() == fetched.json() == {"data": {"schools": {"totalCount": 4}}}
    assert posted.headers["content-type"] == "application/json"


def test_get_with_variables_and_operation_name(api: Api) -> None:
    document = "query A { schools { totalCount } } query B($n: Int) { schools(first: $n) { nodes { code } } }"
    params = {"query": document, "operationName": "B", "variables": json.dumps({"n": 1})}
    response = api.client.get("/graphql", params=params)
    assert response.status_code == 200
    assert response.json() == {"data": {"schools": {"nodes": [{"code": "1024610246"}]}}}


def test_get_refuses_mutations(api: Api) -> None:
    response = api.client.get("/graphql", params={"query": "mutation { upsertSchool { id } }"})
    assert response.status_code == 405
    assert "mutations are not allowed when using GET" in response.text
    assert response.headers["allow"] == "GET, POST"


def test_parse_error_is_400_without_data(api: Api) -> None:
    response = api.post("{ schools { ")
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["message"].startswith("Syntax Error")


def test_validation_error_is_400(api: Api) -> None:
    response = api.post("{ schools { nodes { favouriteColour } } }")
    assert response.status_code == 400
    assert "Cannot query field 'favouriteColour' on type 'School'" in response.json()["errors"][0]["message"]


def test_bad_variables_are_400(api: Api) -> None:
    response = api.post("query($n: Int!) { schools(first: $n) { totalCount } }", {"n": "many"})
    assert response.status_code == 400
    assert "$n" in response.json()["errors"][0]["message"]


def test_field_errors_keep_200_and_partial_data(api: Api) -> None:
    response = api.post('{ ok: schools { totalCount } bad: node(id: "not base64!") { id } }')
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"ok": {"totalCount": 4}, "bad": None}
    assert body["errors"][0]["path"] == ["bad"]


def test_graphql_response_media_type_on_request(api: Api) -> None:
    accept = "application/graphql-response+json, application/json;q=0.9"
    good = api.post(COUNT, accept=accept)
    bad = api.post("{ nope }", accept=accept)
    assert good.status_code == 200 and good.headers["content-type"] == "application/graphql-response+json"
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/graphql-response+json"


@pytest.mark.parametrize(("accept", "media_type"), [
    ("application/graphql-response+json;q=0, application/json", "application/json"),
    ("application/json;q=0.5, application/graphql-response+json;q=0.9", "application/graphql-response+json"),
    ("application/graphql-response+json;q=0.5, application/json", "application/json"),
    ("*/*", "application/json"),
    ("application/graphql-response+json", "application/graphql-response+json"),
])
def test_media_type_follows_accept_qualities(api: Api, accept: str, media_type: str) -> None:
    assert api.post(COUNT, accept=accept).headers["content-type"] == media_type


def test_unsupported_body_is_refused(api: Api) -> None:
    response = api.client.post("/graphql", content=COUNT, headers={"content-type": "text/plain"})
    assert response.status_code == 400


def test_graphiql_is_served_to_browsers(api: Api) -> None:
    response = api.client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_probes(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "alive"}
    ready = api.client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "districts": 3}


def metric(api: Api, sample: str) -> float:
    """The value of one sample (name and labels as Prometheus prints them); 0 when absent."""
    for line in api.client.get("/metrics").text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_operations_by_name(api: Api) -> None:
    samples = [
        'chanjiao_graphql_operations_total{operation="SchoolCount",outcome="ok",type="query"}',
        'chanjiao_graphql_operations_total{operation="anonymous",outcome="error",type="query"}',
        'chanjiao_graphql_operation_seconds_count{operation="SchoolCount",type="query"}',
        'chanjiao_store_calls_total{method="read_tree",operation="SchoolCount"}',
    ]
    before = [metric(api, sample) for sample in samples]
    api.post("query SchoolCount { schools { totalCount } }")
    api.post("query SchoolCount { schools { totalCount } }")
    api.post("{ nope }")
    after = [metric(api, sample) for sample in samples]
    assert [now - then for now, then in zip(after, before, strict=True)] == [2, 1, 2, 2]


def test_store_round_trips_are_reported(api: Api) -> None:
    # alliance members may be schools or enterprises: the resolvers answer it, in two store calls
    response = api.post("{ alliances { nodes { members { nodes { id } } } } }")
    assert response.headers["x-store-calls"] == "2"
    assert response.headers["x-store-call-detail"] == "find_nodes=1, neighbour_batch=1"
