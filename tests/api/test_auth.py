"""Auth over real HTTP on both stores: who may mutate (anonymous, reader and editor keys, JWTs
good and bad), mentors' personal data on every path, and the settings that refuse unsafe setups."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from graphql import GraphQLObjectType
from pydantic import ValidationError

from api.auth import ANONYMOUS, AuthenticationError, Authenticator, Role
from api.schema import build_schema
from chanjiao.settings import DEVELOPMENT_JWT_SECRET, Settings
from graph.store import GraphStore
from tests.api.conftest import Api, global_id
from tests.api.secured import (
    ADMIN,
    ADMIN_KEY,
    EDITOR,
    EDITOR_KEY,
    READER,
    READER_KEY,
    bearer,
    digest,
    errors,
    key_header,
    serve,
    settings,
    token,
)

UPSERT_DISTRICT = """mutation { upsertDistrict(input: {code: "310101", name: "黄浦区"}) {
  node { code name source } info { nodesCreated } } }"""
COUNT_DISTRICTS = "{ districts { totalCount } }"
SMIC = "913100006073349865"


@pytest.fixture
def api(loaded_store: GraphStore, store_uri: str) -> Iterator[Api]:
    with serve(loaded_store, store_uri) as client:
        yield client


def district_count(api: Api) -> int:
    count: int = api.query(COUNT_DISTRICTS)["districts"]["totalCount"]
    return count


# ---- who may mutate ------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, READER, bearer(READER_KEY), bearer(token("reader"))],
                         ids=["anonymous", "reader key", "reader key as bearer", "reader jwt"])
def test_mutations_need_editor(api: Api, headers: dict[str, str]) -> None:
    response = api.post(UPSERT_DISTRICT, **headers)
    assert response.status_code == 200
    assert response.json()["data"] is None
    [error] = errors(response)
    assert error["extensions"] == {"code": "FORBIDDEN"}
    assert "needs the editor role" in error["message"]
    assert district_count(api) == 3  # nothing written


@pytest.mark.parametrize(("headers", "source"), [
    (EDITOR, "api:key:xuhui-office"),
    (bearer(EDITOR_KEY), "api:key:xuhui-office"),
    (bearer(token("editor", subject="alice")), "api:jwt:alice"),
    (bearer(token(["reader", "editor"], subject="bob")), "api:jwt:bob"),
    (ADMIN, f"api:key:{digest(ADMIN_KEY)[:12]}"),  # a key without a name is named by its digest
    (bearer(token("admin", subject="root")), "api:jwt:root"),
], ids=["editor key", "editor key as bearer", "editor jwt", "jwt with role list", "admin key", "admin jwt"])
def test_editors_and_admins_mutate_with_their_name_as_provenance(api: Api, headers: dict[str, str], source: str) -> None:
    response = api.post(UPSERT_DISTRICT, **headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"upsertDistrict": {
        "node": {"code": "310101", "name": "黄浦区", "source": source}, "info": {"nodesCreated": 1}}}}
    assert district_count(api) == 4


@pytest.mark.parametrize(("credential", "reason"), [
    (token(expires_in=-120), "Signature has expired"),
    (token(audience="someone-else"), "Audience doesn't match"),
    (token(issuer="https://evil.example.org"), "Invalid issuer"),
    (token(algorithm="none", secret=None), "alg value is not allowed"),
    (token(algorithm="HS512", secret="s" * 64), "alg value is not allowed"),
    (token(secret="another-secret-of-more-than-32-bytes!!"), "Signature verification failed"),
    (token(role=None), "claim 'role' must name one of reader, editor, admin"),
    (token(role="superuser"), "claim 'role' must name one of reader, editor, admin"),
    ("not-a-key-we-issued", "unknown API key"),
], ids=["expired", "wrong audience", "wrong issuer", "alg none", "alg not in list", "bad signature",
        "no role", "unknown role", "unknown key"])
def test_bad_credentials_are_refused_with_401(api: Api, credential: str, reason: str) -> None:
    response = api.post(UPSERT_DISTRICT, **bearer(credential))
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    [error] = errors(response)
    assert reason in error["message"] and error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert district_count(api) == 3


def test_bad_key_header_and_two_credentials_are_refused(api: Api) -> None:
    assert api.post(COUNT_DISTRICTS, **key_header("guess")).status_code == 401
    both = api.post(COUNT_DISTRICTS, **EDITOR, **bearer(token()))
    assert both.status_code == 401 and "send one credential" in errors(both)[0]["message"]
    basic = api.post(COUNT_DISTRICTS, authorization="Basic dXNlcjpwYXNz")
    assert basic.status_code == 401 and "Bearer" in errors(basic)[0]["message"]


def test_anonymous_and_readers_read(api: Api) -> None:
    for headers in ({}, READER, bearer(token("reader"))):
        assert api.post(COUNT_DISTRICTS, **headers).json() == {"data": {"districts": {"totalCount": 3}}}


# ---- personal data -----------------------------------------------------------------------------

M001 = global_id("Mentor", "M001")
MENTOR_FIELDS = "key name email phone"
PATHS: dict[str, str] = {
    "connection nodes": f"{{ mentors(where: {{key: {{eq: \"M001\"}}}}) {{ nodes {{ {MENTOR_FIELDS} }} }} }}",
    "connection edges": f"{{ mentors(where: {{key: {{eq: \"M001\"}}}}) {{ edges {{ node {{ {MENTOR_FIELDS} }} }} }} }}",
    "node(id)": f'{{ node(id: "{M001}") {{ ... on Mentor {{ {MENTOR_FIELDS} }} }} }}',
    "nodes(ids)": f'{{ nodes(ids: ["{M001}"]) {{ ... on Mentor {{ {MENTOR_FIELDS} }} }} }}',
    "enterprise.mentors": f'{{ enterprises(where: {{uscc: {{eq: "{SMIC}"}}}}) {{ nodes {{ mentors(first: 1) {{ nodes {{ {MENTOR_FIELDS} }} }} }} }} }}',
    "school.mentors edges": f'{{ schools(where: {{code: {{eq: "1024810248"}}}}) {{ nodes {{ mentors {{ edges {{ node {{ {MENTOR_FIELDS} }} }} }} }} }} }}',
    "node(id) → school.mentors": f'{{ node(id: "{global_id("School", "1024810248")}") {{ ... on School {{ mentors {{ nodes {{ {MENTOR_FIELDS} }} }} }} }} }}',
    "search": f'{{ search(text: "张伟", kinds: [MENTOR]) {{ node {{ ... on Mentor {{ {MENTOR_FIELDS} }} }} }} }}',
    "partnerMatches": f'{{ partnerMatches(id: "{global_id("School", "1024810248")}", kind: MENTOR) {{ partner {{ ... on Mentor {{ {MENTOR_FIELDS} }} }} }} }}',
}
# Networks are drawn from a projection that leaves personal data out for everyone (graph/projection.py).
NETWORK_PATHS: dict[str, str] = {
    "partnerNetwork": f'{{ partnerNetwork(center: "{M001}", depth: 1) {{ nodes {{ node {{ ... on Mentor {{ {MENTOR_FIELDS} }} }} }} }} }}',
    "connectionPaths": f'{{ connectionPaths(from: "{M001}", to: "{global_id("School", "1024810248")}") {{ nodes {{ node {{ ... on Mentor {{ {MENTOR_FIELDS} }} }} }} }} }}',
}


def mentors_in(data: Any) -> list[dict[str, Any]]:
    """Every object with a mentor's `key` anywhere in the answer."""
    if isinstance(data, list):
        return [found for item in data for found in mentors_in(item)]
    if not isinstance(data, dict):
        return []
    here = [data] if data.get("key") == "M001" else []
    return here + [found for value in data.values() for found in mentors_in(value)]


def personal_data_on_every_path(api: Api, headers: dict[str, str], paths: dict[str, str]) -> set[tuple[Any, Any]]:
    seen = set()
    for path, query in paths.items():
        response = api.post(query, **headers)
        assert response.status_code == 200 and "errors" not in response.json(), (path, response.text)
        found = mentors_in(response.json()["data"])
        assert found, f"{path} reached no mentor"
        assert all(mentor["name"] == "张伟" for mentor in found), path
        seen |= {(mentor["email"], mentor["phone"]) for mentor in found}
    return seen


@pytest.mark.parametrize("headers", [{}, READER, bearer(token("reader"))], ids=["anonymous", "reader key", "reader jwt"])
def test_personal_data_is_null_below_editor_on_every_path(api: Api, headers: dict[str, str]) -> None:
    assert personal_data_on_every_path(api, headers, {**PATHS, **NETWORK_PATHS}) == {(None, None)}


@pytest.mark.parametrize("headers", [EDITOR, bearer(token("editor")), ADMIN], ids=["editor key", "editor jwt", "admin key"])
def test_personal_data_is_visible_to_editors_on_every_path(api: Api, headers: dict[str, str]) -> None:
    assert personal_data_on_every_path(api, headers, PATHS) == {("zhang.wei@example.com", "13800000001")}


def test_mutation_answers_mask_nothing_for_editors(api: Api) -> None:
    upsert = 'mutation { upsertMentor(input: {key: "M001", phone: "13900000009"}) { node { email phone } } }'
    assert api.post(upsert, **EDITOR).json() == {"data": {"upsertMentor": {"node": {
        "email": "zhang.wei@example.com", "phone": "13900000009"}}}}


def test_only_the_mentor_type_exposes_personal_fields() -> None:
    """Every path to personal data goes through the `Mentor` type, whose resolvers mask it; no
    other output type may carry such a field."""
    holders = {
        name for name, graphql_type in build_schema()._schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType) and {"email", "phone"} & set(graphql_type.fields)
    }
    assert holders == {"Mentor"}


# ---- the authenticator and the settings, without a server ----------------------------------------------


def test_authenticator_roles_and_subjects(store_uri: str) -> None:
    authenticator = Authenticator(settings(store_uri))
    assert authenticator.authenticate({}) is ANONYMOUS
    reader = authenticator.authenticate({"x-api-key": READER_KEY})
    assert reader.role is Role.READER and reader.has(Role.READER) and not reader.has(Role.EDITOR)
    admin = authenticator.authenticate({"authorization": f"bearer {token('admin', subject='root')}"})
    assert admin.subject == "jwt:root" and admin.has(Role.EDITOR) and admin.has(Role.ADMIN)
    with pytest.raises(AuthenticationError, match="not accepted by this server"):
        Authenticator(settings(store_uri, CHANJIAO_JWT_ENABLED=False)).authenticate({"authorization": f"Bearer {token()}"})


@pytest.mark.parametrize(("overrides", "message"), [
    ({"CHANJIAO_ENV": "production", "CHANJIAO_JWT_SECRET": DEVELOPMENT_JWT_SECRET}, "set CHANJIAO_JWT_SECRET to your own secret"),
    ({"CHANJIAO_ENV": "production", "CHANJIAO_JWT_SECRET": ""}, "set CHANJIAO_JWT_SECRET to your own secret"),
    ({"CHANJIAO_ENV": "production", "CHANJIAO_JWT_SECRET": "short-secret"}, "at least 32 bytes"),
    ({"CHANJIAO_JWT_ALGORITHMS": "none"}, "'none' is never accepted"),
    ({"CHANJIAO_JWT_ALGORITHMS": "HS256,RS256"}, "mixes HMAC"),
    ({"CHANJIAO_API_KEYS": '{"editor-key-in-clear": "editor"}'}, "sha256 hex digest"),
    ({"CHANJIAO_API_KEYS": '{"%s": "owner"}' % ("0" * 64)}, "'reader', 'editor' or 'admin'"),
], ids=["default secret in production", "empty secret", "short secret", "alg none", "mixed families", "clear key", "unknown role"])
def test_unsafe_settings_refuse_to_start(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        settings("embedded:/nonexistent", **overrides)
    assert "editor-key-in-clear" not in str(caught.value) and "short-secret" not in str(caught.value)  # never echoed


def test_production_refuses_jwt_without_a_secret_and_accepts_a_real_one() -> None:
    with pytest.raises(ValidationError, match="set CHANJIAO_JWT_SECRET to your own secret"):
        Settings.model_validate({"CHANJIAO_ENV": "production", "CHANJIAO_JWT_ENABLED": True})
    assert Settings.model_validate({"CHANJIAO_ENV": "production"}).jwt_enabled is False  # no JWT, no secret needed
    configured = settings("embedded:/nonexistent", CHANJIAO_ENV="production", CHANJIAO_JWT_SECRET="s" * 32)
    assert configured.jwt_enabled and not configured.is_development


def test_the_401_body_is_json_even_for_get(api: Api) -> None:
    response = api.client.get("/graphql", params={"query": COUNT_DISTRICTS}, headers=bearer(token(expires_in=-60)))
    assert response.status_code == 401 and response.headers["content-type"] == "application/json"
    assert isinstance(response.json()["errors"], list)
    assert api.client.get("/healthz").status_code == 200  # probes carry no credentials and are not limited
