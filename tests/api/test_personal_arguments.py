"""Personal data cannot be learnt below the editor role (issue 11 #1), over real HTTP on both stores.

Masking mentors' `email` and `phone` in answers (tests/api/test_auth.py) is not enough: filtering
or sorting by them is an oracle (`startsWith: "z"`, then `"zh"` … gave the whole address away in
534 requests). Every argument that names a personal property is refused with FORBIDDEN for
anonymous callers and readers, wherever it sits: directly, through every relationship filter of
every kind that reaches mentors (`some`/`none`), inside `AND`/`OR`/`NOT`, in variables and their
defaults, in fragments, in `orderBy`. Editors keep every one of these. Search, analytics, networks
and exports take no argument that could name personal data, and their answers hold none.

Which properties are personal comes from the model; the paths to them from the served schema."""

from __future__ import annotations

from collections import deque
from typing import Any

import httpx
import pytest
from graphql import GraphQLInputObjectType, get_named_type

from graph.model import NODE_KINDS
from tests.api.conftest import Api, global_id
from tests.api.dataset import FUDAN, SEIT, SJTU, SMIC, USST
from tests.api.personal import (
    BELOW_EDITOR,
    EDITORS,
    PERSONAL_KINDS,
    PERSONAL_PROPS,
    PERSONAL_VALUES,
    SCHEMA,
    input_type,
    is_list,
    literal,
    refused,
)
from tests.api.secured import EDITOR, role_headers


def test_personal_properties_are_those_of_the_model() -> None:
    """The tests below follow the model; this pins what it says today."""
    assert {("Mentor", "email"), ("Mentor", "phone")} == PERSONAL_PROPS


# ---- every way from a kind's `where` to a personal property, read from the schema -----------------


def table_of(label: str) -> str:
    """The connection field of a kind: the root field whose `where` is `<label>Where`."""
    assert SCHEMA.query_type is not None
    return next(name for name, field in SCHEMA.query_type.fields.items()
                if "where" in field.args and get_named_type(field.args["where"].type).name == f"{label}Where")


def _steps(source: str) -> dict[str, list[tuple[str, bool]]]:
    """Shortest input-field paths from the input type `source` to every input type it reaches:
    type → [(field, is a list)…]."""
    paths: dict[str, list[tuple[str, bool]]] = {source: []}
    queue = deque([source])
    while queue:
        name = queue.popleft()
        for field_name, field in input_type(name).fields.items():
            target = get_named_type(field.type)
            if isinstance(target, GraphQLInputObjectType) and target.name not in paths:
                paths[target.name] = [*paths[name], (field_name, is_list(field.type))]
                queue.append(target.name)
    return paths


def _into_personal_kinds() -> list[tuple[str, str, str]]:
    """Every input field (type, field, kind) whose values are conditions on a kind with personal data."""
    wheres = {f"{label}Where": label for label in PERSONAL_KINDS}
    return sorted(
        (name, field_name, wheres[get_named_type(field.type).name])
        for name, graphql_type in SCHEMA.type_map.items() if isinstance(graphql_type, GraphQLInputObjectType)
        for field_name, field in graphql_type.fields.items() if get_named_type(field.type).name in wheres
    )


def _wrap(steps: list[tuple[str, bool]], inner: Any) -> Any:
    for field_name, listed in reversed(steps):
        inner = {field_name: [inner] if listed else inner}
    return inner


def _where_cases() -> list[tuple[str, str, Any]]:
    """(case id, kind, `where` value): for every kind, every field leading into a kind with personal
    data that its `where` reaches, ending in one of that kind's personal properties (in turn)."""
    cases = []
    for kind in NODE_KINDS:
        reach = _steps(f"{kind.label}Where")
        for number, (holder, field_name, label) in enumerate(_into_personal_kinds()):
            if holder in reach:
                props = sorted(prop for owner, prop in PERSONAL_PROPS if owner == label)
                prop = props[number % len(props)]
                step = (field_name, is_list(input_type(holder).fields[field_name].type))
                value = _wrap([*reach[holder], step], {prop: {"startsWith": "z"}})
                cases.append((f"{kind.table}:{holder}.{field_name}.{prop}", kind.label, value))
        for label, prop in sorted(PERSONAL_PROPS):
            if label == kind.label:
                cases.append((f"{kind.table}:{prop}", kind.label, {prop: {"startsWith": "1"}}))
    return cases


WHERE_CASES = _where_cases()


def where_query(label: str, value: Any, as_variable: bool) -> tuple[str, dict[str, Any]]:
    table = table_of(label)
    if as_variable:
        return f"query($w: {label}Where) {{ {table}(where: $w) {{ totalCount }} }}", {"w": value}
    return f"{{ {table}(where: {literal(value)}) {{ totalCount }} }}", {}


def test_every_kind_reaches_mentors_through_its_relationship_filters() -> None:
    """The cases cover the direct filter, `some` and `none` of every relationship into mentors,
    and a way there from each of the other kinds."""
    ids = [case_id for case_id, _, _ in WHERE_CASES]
    assert {"mentors:email", "mentors:phone"} <= set(ids)
    for holder in ("SchoolMentorsFilter", "EnterpriseMentorsFilter", "DisciplineMentorsFilter"):
        assert any(f"{holder}.some" in case for case in ids) and any(f"{holder}.none" in case for case in ids)
    assert {case.split(":")[0] for case in ids} == {kind.table for kind in NODE_KINDS}


@pytest.mark.parametrize("role", BELOW_EDITOR)
def test_personal_where_is_refused_below_editor_on_every_path(secured_api: Api, role: str) -> None:
    for case_id, label, value in WHERE_CASES:
        for as_variable in (False, True):
            response = secured_api.post(*where_query(label, value, as_variable), **role_headers(role))
            assert refused(response), (case_id, as_variable, response.text)


@pytest.mark.parametrize("role", EDITORS)
def test_editors_filter_by_personal_data_on_every_path(secured_api: Api, role: str) -> None:
    for case_id, label, value in WHERE_CASES:
        response = secured_api.post(*where_query(label, value, as_variable=True), **role_headers(role))
        assert response.status_code == 200 and "errors" not in response.json(), (case_id, response.text)


# Hidden in logic, fragments, defaults and orderings; each names a personal property once.
HIDDEN: dict[str, tuple[str, dict[str, Any]]] = {
    "NOT": ('{ mentors(where: {NOT: {email: {startsWith: "z"}}}) { totalCount } }', {}),
    "AND in OR in NOT": ('{ mentors(where: {NOT: {OR: [{name: {eq: "x"}}, {AND: [{phone: {gt: "1"}}]}]}}) { totalCount } }', {}),
    "single item for a list": ('{ mentors(where: {AND: {email: {eq: "x"}}}) { totalCount } }', {}),
    "none, deep": ('{ districts(where: {locatedHere: {some: {school: {mentors: {none: {NOT: {phone: {lt: "2"}}}}}}}}) { totalCount } }', {}),
    "single related node": ('{ bases(where: {host: {mentors: {some: {email: {eq: "x"}}}}}) { totalCount } }', {}),
    "single related node, twice": (
        '{ projects(where: {base: {host: {mentors: {none: {phone: {startsWith: "1"}}}}}}) { totalCount } }', {}),
    "single related node in a variable": (
        "query($e: EnterpriseWhere) { mentors(where: {employer: $e}) { totalCount } }",
        {"e": {"mentors": {"some": {"phone": {"gt": "1"}}}}}),
    "single related node, whole where in a variable": (
        "query($w: CourseWhere) { courses(where: $w) { totalCount } }",
        {"w": {"school": {"mentors": {"some": {"email": {"contains": "@"}}}}}}),
    "relation filter in a variable": (
        "query($m: SchoolMentorsFilter) { schools(where: {mentors: $m}) { totalCount } }",
        {"m": {"some": {"OR": [{"email": {"contains": "@"}}]}}}),
    "condition in a variable": (
        "query($c: StringFilter) { mentors(where: {email: $c}) { totalCount } }", {"c": {"startsWith": "z"}}),
    "null condition": ("{ mentors(where: {phone: null}) { totalCount } }", {}),
    "variable default": (
        'query($w: MentorWhere = {email: {startsWith: "z"}}) { mentors(where: $w) { totalCount } }', {}),
    "fragment": ('query { ...M } fragment M on Query { mentors(where: {phone: {eq: "1"}}) { totalCount } }', {}),
    "inline fragment": ('{ ... on Query { enterprises(where: {mentors: {some: {email: {eq: "x"}}}}) { totalCount } } }', {}),
    "relationship field of a node": (
        f'{{ node(id: "{global_id("Enterprise", SMIC)}") {{ ... on Enterprise {{ name }} }} '
        'mentors(where: {email: {eq: "x"}}) { totalCount } }', {}),
    "orderBy": ("{ mentors(orderBy: [{field: EMAIL}]) { nodes { key } } }", {}),
    "orderBy, one item": ("{ mentors(orderBy: {field: PHONE, direction: DESC}) { nodes { key } } }", {}),
    "orderBy after another key": ("{ mentors(orderBy: [{field: NAME}, {field: PHONE}]) { nodes { key } } }", {}),
    "orderBy in a variable": (
        "query($o: [MentorOrderBy!]) { mentors(orderBy: $o) { nodes { key } } }", {"o": [{"field": "EMAIL"}]}),
    "orderBy, one item in a variable": (
        "query($o: [MentorOrderBy!]) { mentors(orderBy: $o) { nodes { key } } }", {"o": {"field": "PHONE"}}),
    "order field in a variable": (
        "query($f: MentorOrderField!) { mentors(orderBy: [{field: $f}]) { nodes { key } } }", {"f": "EMAIL"}),
    "order field default": (
        "query($f: MentorOrderField = PHONE) { mentors(orderBy: [{field: $f}]) { nodes { key } } }", {}),
    "beside a harmless field": ('{ districts { totalCount } mentors(where: {email: {eq: "x"}}) { totalCount } }', {}),
}


@pytest.mark.parametrize("role", BELOW_EDITOR)
@pytest.mark.parametrize("case", sorted(HIDDEN))
def test_personal_arguments_are_refused_wherever_they_hide(secured_api: Api, role: str, case: str) -> None:
    query, variables = HIDDEN[case]
    response = secured_api.post(query, variables, **role_headers(role))
    assert refused(response), response.text


@pytest.mark.parametrize("case", sorted(HIDDEN))
def test_editors_use_personal_arguments_wherever_they_hide(secured_api: Api, case: str) -> None:
    query, variables = HIDDEN[case]
    response = secured_api.post(query, variables, **EDITOR)
    assert response.status_code == 200 and "errors" not in response.json(), response.text


def test_the_refusal_names_what_where_and_why(secured_api: Api) -> None:
    response = secured_api.post('query($w: MentorWhere) { mentors(where: $w, orderBy: [{field: PHONE}]) { totalCount } }',
                            {"w": {"email": {"startsWith": "z"}}})
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "FORBIDDEN", "personalInputs": ["MentorOrderField.PHONE", "MentorWhere.email"]}
    assert error["message"].startswith("filtering or sorting by personal data needs the editor role: "
                                       "MentorOrderField.PHONE, MentorWhere.email")
    assert error["locations"] == [{"line": 1, "column": 63}, {"line": 1, "column": 41}]


def test_only_the_operation_that_runs_counts(secured_api: Api) -> None:
    document = 'query A { mentors(where: {email: {eq: "x"}}) { totalCount } } query B { districts { totalCount } }'

    def run(name: str) -> httpx.Response:
        return secured_api.client.post("/graphql", json={"query": document, "operationName": name})
    assert refused(run("A"))
    assert run("B").json() == {"data": {"districts": {"totalCount": 3}}}


def test_arguments_without_personal_data_still_work_below_editor(secured_api: Api) -> None:
    """Only personal properties are refused: other conditions on mentors, and the masked fields
    in the selection, are as before."""
    query = """{ enterprises(where: {mentors: {some: {tier: {eq: "industry_professor"}}}}) { nodes { uscc } }
                 mentors(where: {name: {startsWith: "张"}}, orderBy: [{field: TIER, direction: DESC}]) { nodes { key email phone } } }"""
    for role in BELOW_EDITOR:
        response = secured_api.post(query, **role_headers(role))
        assert response.json() == {"data": {"enterprises": {"nodes": [{"uscc": SMIC}]},
                                            "mentors": {"nodes": [{"key": "M001", "email": None, "phone": None}]}}}


def keys(data: dict[str, Any], field: str, key: str) -> list[str]:
    return [node[key] for node in data[field]["nodes"]]


def test_editors_get_the_right_answers(secured_api: Api) -> None:
    """Hand-computed from tests/api/dataset.py: only M001 (张伟, SMIC, mentoring at SJTU) has an
    e-mail and a phone; M002 has neither."""
    query = """{
      byMail: mentors(where: {email: {startsWith: "zhang."}}) { nodes { key email } }
      byPhone: enterprises(where: {mentors: {some: {phone: {eq: "13800000001"}}}}) { nodes { uscc } }
      noMail: schools(where: {mentors: {none: {email: {contains: "@"}}}}, orderBy: [{field: CODE}]) { nodes { code } }
      sorted: mentors(where: {email: {gt: ""}}, orderBy: [{field: EMAIL, direction: DESC}]) { nodes { key } } }"""
    data = secured_api.post(query, **EDITOR).json()["data"]
    assert data["byMail"]["nodes"] == [{"key": "M001", "email": PERSONAL_VALUES[0]}]
    assert keys(data, "byPhone", "uscc") == [SMIC]
    assert keys(data, "noMail", "code") == sorted([FUDAN, USST, SEIT])
    assert keys(data, "sorted", "key") == ["M001"]
    assert SJTU not in keys(data, "noMail", "code")


# ---- arguments that cannot name personal data: search, analytics, networks, exports -------------


def test_search_never_reads_personal_data(secured_api: Api) -> None:
    """Search ranks by name and key only: the e-mail and the phone (or a part of them) find no
    mentor, for editors as for everyone else."""
    for text in (*PERSONAL_VALUES, "zhang.wei", "example.com", "138000"):
        query = "query($t: String!) { search(text: $t, kinds: [MENTOR]) { node { ... on Mentor { key } } } }"
        for role in (*BELOW_EDITOR, *EDITORS):
            assert secured_api.post(query, {"t": text}, **role_headers(role)).json() == {"data": {"search": []}}, (text, role)


ANALYTICS = """query($kinds: [Kind!], $rels: [String!]) { analytics(kinds: $kinds, relationships: $rels) {
  centrality(measure: DEGREE, first: 10) { rows { node { key node { ... on Mentor { key email phone } } } } }
  communities { communities { members { key name } } }
  similarity(kind: MENTOR) { rows { source { key } target { key } parts } } } }"""


@pytest.mark.parametrize("role", BELOW_EDITOR)
def test_analytics_networks_and_exports_hold_no_personal_data(secured_api: Api, role: str) -> None:
    mentor = global_id("Mentor", "M001")
    answers = [
        secured_api.post(ANALYTICS, {"kinds": ["MENTOR", "ENTERPRISE", "SCHOOL"], "rels": ["EMPLOYED_BY", "MENTORS_AT"]}, **role_headers(role)),
        secured_api.post("query($c: ID!) { partnerNetwork(center: $c) { nodes { key name } edges { properties } } }",
                     {"c": mentor}, **role_headers(role)),
        secured_api.post("query($a: ID!, $b: ID!) { connectionPaths(from: $a, to: $b) { nodes { key } edges { properties } } }",
                     {"a": mentor, "b": global_id("School", SJTU)}, **role_headers(role)),
        *(secured_api.client.get("/export", params={"format": fmt, "labels": "Mentor,Enterprise,School"}, headers=role_headers(role))
          for fmt in ("graphml", "gexf", "json", "edgelist")),
    ]
    for response in answers:
        assert response.status_code == 200, response.text
        assert not any(value in response.text for value in PERSONAL_VALUES), response.text
    rows = answers[0].json()["data"]["analytics"]["centrality"]["rows"]
    mentors = [row["node"]["node"] for row in rows if row["node"]["key"] == "M001"]
    assert mentors == [{"key": "M001", "email": None, "phone": None}]


def test_analysed_mentors_show_editors_their_personal_data(secured_api: Api) -> None:
    rows = secured_api.post(ANALYTICS, {"kinds": ["MENTOR", "ENTERPRISE"]}, **EDITOR).json()["data"]["analytics"]["centrality"]["rows"]
    assert [row["node"]["node"] for row in rows if row["node"]["key"] == "M001"] == [
        {"key": "M001", "email": PERSONAL_VALUES[0], "phone": PERSONAL_VALUES[1]}]


def test_mutations_naming_personal_data_are_refused_below_editor(secured_api: Api) -> None:
    mutation = 'mutation { upsertMentor(input: {key: "M001", email: "x@example.com"}) { node { email phone } } }'
    for role in BELOW_EDITOR:
        response = secured_api.post(mutation, **role_headers(role))
        assert refused(response), response.text
