"""Relationship fields (both directions, with edge properties, own pagination and counts),
`node(id:)`/`nodes(ids:)` and Chinese full-text `search`, over HTTP on both stores."""

from __future__ import annotations

from tests.api.conftest import Api, global_id
from tests.api.dataset import FUDAN, SEIT, SJTU, SMIC, UNITED, USST

SCHOOL = """query($id: ID!, $after: String, $year: Int) {
  node(id: $id) {
    ... on School {
      name
      district { code name }
      disciplines(first: 2, after: $after, where: {year: {eq: $year}}) {
        totalCount
        edges { rows { year enrollment graduates source } node { code } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}"""


def test_school_disciplines_with_offers_properties_paged(api: Api) -> None:
    variables = {"id": global_id("School", SJTU), "year": 2023}
    school = api.query(SCHOOL, variables)["node"]
    assert school["name"] == "上海交通大学"
    assert school["district"] == {"code": "310112", "name": "闵行区"}
    page = school["disciplines"]
    # Neighbours come in key order: 080704, 080901, 100201 (2023 only).
    assert page["totalCount"] == 3
    source = "tests/api/dataset.py"
    assert page["edges"] == [
        {"rows": [{"year": 2023, "enrollment": 100, "graduates": 90, "source": source}], "node": {"code": "080704"}},
        {"rows": [{"year": 2023, "enrollment": 200, "graduates": 180, "source": source}], "node": {"code": "080901"}},
    ]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = api.query(SCHOOL, {**variables, "after": page["pageInfo"]["endCursor"]})["node"]["disciplines"]
    assert [(edge["node"]["code"], [row["graduates"] for row in edge["rows"]]) for edge in rest["edges"]] == [("100201", [140])]
    assert rest["pageInfo"]["hasNextPage"] is False


def test_a_discipline_offered_in_several_years_is_one_edge_with_a_row_per_year(api: Api) -> None:
    """Issue 12: SJTU offers 080901 in 2022 and 2023; the discipline comes once, its rows carry
    each year, and `totalCount` counts disciplines (3), not OFFERS relationships (4)."""
    query = "query($id: ID!) { node(id: $id) { ... on School { disciplines { totalCount edges { rows { year graduates } node { code } } } } } }"
    found = api.query(query, {"id": global_id("School", SJTU)})["node"]["disciplines"]
    assert found == {"totalCount": 3, "edges": [
        {"rows": [{"year": 2023, "graduates": 90}], "node": {"code": "080704"}},
        {"rows": [{"year": 2022, "graduates": 175}, {"year": 2023, "graduates": 180}], "node": {"code": "080901"}},
        {"rows": [{"year": 2023, "graduates": 140}], "node": {"code": "100201"}},
    ]}


def test_incoming_direction_and_counts_per_parent(api: Api) -> None:
    query = """{ disciplines(orderBy: [{field: CODE}]) { nodes { code
        schools(where: {year: {eq: 2023}}) { totalCount nodes { code } }
        chains { totalCount nodes { code } } } } }"""
    rows = {node["code"]: node for node in api.query(query)["disciplines"]["nodes"]}
    assert {code: row["schools"]["totalCount"] for code, row in rows.items()} == {
        "080704": 1, "080901": 3, "100201": 2, "510201": 1,
    }
    assert [school["code"] for school in rows["080901"]["schools"]["nodes"]] == [FUDAN, SJTU, USST]
    assert [chain["code"] for chain in rows["080901"]["chains"]["nodes"]] == ["AI", "IC"]
    assert rows["510201"]["chains"] == {"totalCount": 0, "nodes": []}
    assert rows["510201"]["schools"]["nodes"] == [{"code": SEIT}]


def test_chain_hierarchy_and_enterprise_neighbourhood(api: Api) -> None:
    query = """{ industryChains(where: {code: {eq: "IC"}}, first: 1) { nodes {
        parent { code }
        segments(first: 5) { nodes { code parent { code } } }
        disciplines(first: 5) { edges { weight node { code } } }
        enterprises(first: 5) { totalCount nodes { uscc
          chains(first: 5) { nodes { code } }
          demands(first: 5) { edges { rows { year openings level } node { code } } }
          mentors(first: 5) { totalCount nodes { key name } }
          alliances(first: 5) { edges { role node { key } } }
        } }
        servedBy(first: 5) { nodes { __typename ... on Alliance { key } } }
    } } }"""
    chain = api.query(query)["industryChains"]["nodes"][0]
    assert chain["parent"] is None
    assert chain["segments"]["nodes"] == [{"code": "IC-DESIGN", "parent": {"code": "IC"}}]
    assert chain["disciplines"]["edges"] == [
        {"weight": 1.0, "node": {"code": "080704"}}, {"weight": 0.5, "node": {"code": "080901"}},
    ]
    assert chain["servedBy"]["nodes"] == [{"__typename": "Alliance", "key": "A-IC"}]
    smic = chain["enterprises"]["nodes"][0]
    assert chain["enterprises"]["totalCount"] == 1 and smic["uscc"] == SMIC
    assert smic["chains"]["nodes"] == [{"code": "IC"}]
    assert smic["demands"]["edges"] == [
        {"rows": [{"year": 2023, "openings": 120, "level": "undergraduate"}], "node": {"code": "080704"}},
        {"rows": [{"year": 2023, "openings": 60, "level": None}], "node": {"code": "080901"}},
    ]
    assert smic["mentors"] == {"totalCount": 2, "nodes": [{"key": "M001", "name": "张伟"}, {"key": "M002", "name": "李娜"}]}
    assert smic["alliances"]["edges"] == [{"role": "member", "node": {"key": "A-IC"}}]


def test_alliance_members_of_several_kinds(api: Api) -> None:
    query = """{ alliances(where: {key: {eq: "A-IC"}}) { nodes { members { totalCount edges { role node {
        __typename id ... on School { code name } ... on Enterprise { uscc } } } } } } }"""
    members = api.query(query)["alliances"]["nodes"][0]["members"]
    assert members["totalCount"] == 2
    # Ordered by the neighbour's label, then key: Enterprise before School.
    assert members["edges"] == [
        {"role": "member", "node": {"__typename": "Enterprise", "id": global_id("Enterprise", SMIC), "uscc": SMIC}},
        {"role": "lead", "node": {"__typename": "School", "id": global_id("School", SJTU), "code": SJTU, "name": "上海交通大学"}},
    ]


def test_mentor_fields_and_single_references(api: Api) -> None:
    query = """{ mentors { nodes { key name tier employer { uscc }
        schools { edges { since role node { code } } } } } }"""
    mentors = api.query(query)["mentors"]["nodes"]
    assert mentors == [
        {"key": "M001", "name": "张伟", "tier": "industry_professor", "employer": {"uscc": SMIC},
         "schools": {"edges": [{"since": 2020, "role": "产业教授", "node": {"code": SJTU}}]}},
        {"key": "M002", "name": "李娜", "tier": "industry_mentor", "employer": {"uscc": SMIC}, "schools": {"edges": []}},
    ]


def test_node_and_nodes_by_global_id(api: Api) -> None:
    query = "query($id: ID!, $ids: [ID!]!) { node(id: $id) { id __typename } nodes(ids: $ids) { id } }"
    missing = global_id("Enterprise", "91310000MA1FL1234Q")
    ids = [global_id("Enterprise", UNITED), missing, global_id("District", "310110")]
    data = api.query(query, {"id": global_id("Mentor", "M002"), "ids": ids})
    assert data["node"] == {"id": "TWVudG9yOk0wMDI=", "__typename": "Mentor"}
    assert data["nodes"] == [{"id": ids[0]}, None, {"id": ids[2]}]


def test_node_id_that_is_not_ours(api: Api) -> None:
    body = api.post('{ node(id: "U3BhY2VzaGlwOjE=") { id } }').json()  # "Spaceship:1"
    assert body["data"] == {"node": None}
    assert body["errors"][0]["message"].startswith("node id 'U3BhY2VzaGlwOjE=' names unknown kind 'Spaceship'")


def test_chinese_search_finds_a_school_by_part_of_its_name(api: Api) -> None:
    query = "query($text: String!, $kinds: [Kind!]) { search(text: $text, kinds: $kinds, first: 5) { score node { __typename ... on School { name } } } }"
    hits = api.query(query, {"text": "交通大学"})["search"]
    assert hits[0]["node"] == {"__typename": "School", "name": "上海交通大学"}
    assert all(hits[i]["score"] >= hits[i + 1]["score"] for i in range(len(hits) - 1))
    chains = api.query(query, {"text": "集成电路", "kinds": ["INDUSTRY_CHAIN"]})["search"]
    assert [hit["node"]["__typename"] for hit in chains] == ["IndustryChain"]


def test_search_by_alias_and_english_name_with_node_kind_and_name(api: Api) -> None:
    query = "query($text: String!) { search(text: $text, first: 3) { node { nodeKind name } } }"
    for text in ("SJTU", "上海交大", "jiao tong", "fudan", "Fudan University"):
        first = api.query(query, {"text": text})["search"][0]["node"]
        assert first == {"nodeKind": "SCHOOL", "name": "复旦大学" if "fudan" in text.lower() else "上海交通大学"}, text


def test_blank_search_is_refused(api: Api) -> None:
    body = api.post('{ search(text: "  ") { score } }').json()
    assert body["errors"][0]["message"] == "search text must not be blank"
