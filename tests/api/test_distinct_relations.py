"""Relationship fields over keyed relationships (issue 12): `school.disciplines` over OFFERS by
year lists each discipline once, with one row per year; `year:` restricts; `totalCount` counts
disciplines, not OFFERS. The compiled tree read and the resolvers (made to answer by selecting
`nodeKind`, which the compiler leaves to them) answer alike, on both stores.

From `tests/api/dataset.py`: SJTU offers 080704 (2023: 90 graduates), 080901 (2022: 175,
2023: 180) and 100201 (2023: 140); 080901 is offered by Fudan (2023), SJTU (2022, 2023) and
USST (2023); SMIC demands 080704 and 080901 in 2023.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, global_id
from tests.api.dataset import FUDAN, SJTU, SMIC, USST

PATHS = {"compiled": "", "resolvers": "nodeKind"}

SCHOOL = """query($id: ID!, $after: String, $year: Int, $where: OffersWhere) { node(id: $id) { ... on School { %s
  disciplines(first: 1, after: $after, year: $year, where: $where) {
    totalCount edges { node { code } rows { year graduates } } pageInfo { hasNextPage endCursor } } } } }"""


def answer(api: Api, path: str, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The data of `document` answered by `path`, checked to have been taken by the store calls."""
    response = api.post(document % PATHS[path], variables or {})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    calls = response.headers["x-store-call-detail"]
    assert ("read_tree" in calls) == (path == "compiled"), calls
    data: dict[str, Any] = body["data"]
    return data


def sjtu_disciplines(api: Api, path: str, **variables: Any) -> tuple[int, list[tuple[str, list[Any]]], bool, str]:
    page = answer(api, path, SCHOOL, {"id": global_id("School", SJTU), **variables})["node"]["disciplines"]
    edges = [(edge["node"]["code"], edge["rows"]) for edge in page["edges"]]
    return page["totalCount"], edges, page["pageInfo"]["hasNextPage"], page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("path", PATHS)
def test_a_discipline_of_several_years_is_listed_once_and_paged_as_one(api: Api, path: str) -> None:
    pages, after, more = [], None, True
    while more:
        total, edges, more, after = sjtu_disciplines(api, path, after=after)
        assert total == 3
        pages.append(edges)
    assert pages == [
        [("080704", [{"year": 2023, "graduates": 90}])],
        [("080901", [{"year": 2022, "graduates": 175}, {"year": 2023, "graduates": 180}])],
        [("100201", [{"year": 2023, "graduates": 140}])],
    ]


@pytest.mark.parametrize("path", PATHS)
def test_year_and_where_restrict_the_rows_and_the_nodes(api: Api, path: str) -> None:
    assert sjtu_disciplines(api, path, year=2022)[:3] == (1, [("080901", [{"year": 2022, "graduates": 175}])], False)
    big = {"graduates": {"gte": 150}}
    assert sjtu_disciplines(api, path, where=big)[:3] == (
        1, [("080901", [{"year": 2022, "graduates": 175}, {"year": 2023, "graduates": 180}])], False)
    assert sjtu_disciplines(api, path, where=big, year=2023)[:3] == (1, [("080901", [{"year": 2023, "graduates": 180}])], False)
    assert sjtu_disciplines(api, path, year=2030)[:3] == (0, [], False)


@pytest.mark.parametrize("path", PATHS)
def test_the_incoming_side_counts_schools_once(api: Api, path: str) -> None:
    document = """{ disciplines(where: {code: {eq: "080901"}}) { nodes { %s
        schools { totalCount edges { node { code } rows { year } } }
        y2022: schools(year: 2022) { totalCount nodes { code } } } } }"""
    found = answer(api, path, document)["disciplines"]["nodes"][0]
    assert found["schools"] == {"totalCount": 3, "edges": [
        {"node": {"code": FUDAN}, "rows": [{"year": 2023}]},
        {"node": {"code": SJTU}, "rows": [{"year": 2022}, {"year": 2023}]},
        {"node": {"code": USST}, "rows": [{"year": 2023}]},
    ]}
    assert found["y2022"] == {"totalCount": 1, "nodes": [{"code": SJTU}]}


@pytest.mark.parametrize("path", PATHS)
def test_filters_and_order_of_the_parents_still_apply(api: Api, path: str) -> None:
    document = """{ schools(where: {disciplines: {some: {code: {startsWith: "08"}}, edge: {year: {eq: 2023}}}},
                          orderBy: [{field: NAME, direction: DESC}], first: 2) {
        totalCount nodes { %s code disciplines(year: 2023) { totalCount nodes { code } } } } }"""
    found = answer(api, path, document)["schools"]
    # Schools offering an 08… discipline in 2023: Fudan 复旦大学, SJTU 上海交通大学, USST 上海理工大学;
    # names in pinyin order, descending: shanghai ligong, shanghai jiaotong, fudan.
    assert found["totalCount"] == 3
    assert [(school["code"], school["disciplines"]["totalCount"], [d["code"] for d in school["disciplines"]["nodes"]])
            for school in found["nodes"]] == [(USST, 1, ["080901"]), (SJTU, 3, ["080704", "080901", "100201"])]


def test_both_paths_give_the_same_answer_to_every_part_of_a_row(api: Api) -> None:
    document = '{ enterprises(where: {uscc: {eq: "' + SMIC + '"}}) { nodes { %s uscc' + """
        demands(year: 2023) { totalCount edges { cursor node { code name } rows { __typename year openings level
          source loadedAt synthetic provenance { source synthetic loadedAt } } } pageInfo { hasNextPage endCursor } } } } }"""
    compiled, resolved = (answer(api, path, document)["enterprises"]["nodes"][0] for path in PATHS)
    resolved.pop("nodeKind")
    assert compiled == resolved
    assert compiled["demands"]["totalCount"] == 2
    assert [(edge["node"]["code"], [row["openings"] for row in edge["rows"]]) for edge in compiled["demands"]["edges"]] == [
        ("080704", [120]), ("080901", [60])]
    assert compiled["demands"]["edges"][0]["rows"][0]["__typename"] == "DemandsRow"


@pytest.mark.parametrize("path", PATHS)
def test_rows_that_name_no_property_still_come_one_per_year(api: Api, path: str) -> None:
    """The compiled read asks the store only for the properties the selection reads; rows that
    read none still list every year, and edges that read no rows still page by node."""
    document = """query($id: ID!) { node(id: $id) { ... on School { %s
        disciplines { edges { node { code } rows { __typename } } }
        plain: disciplines { edges { cursor node { name } } } } } }"""
    found = answer(api, path, document, {"id": global_id("School", SJTU)})["node"]
    assert [(edge["node"]["code"], len(edge["rows"])) for edge in found["disciplines"]["edges"]] == [
        ("080704", 1), ("080901", 2), ("100201", 1)]
    assert [bool(edge["node"]["name"]) for edge in found["plain"]["edges"]] == [True, True, True]
