"""`where`, `orderBy`, `first`/`after` and `totalCount` on the top-level connections, over HTTP
on both stores. Expected answers are worked out by hand from `tests/api/dataset.py`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.dataset import FUDAN, SEIT, SJTU, SMIC, UNITED, USST

SCHOOL_CODES = "query($where: SchoolWhere) { schools(where: $where, first: 50) { totalCount nodes { code } } }"


def school_codes(api: Api, where: dict[str, Any]) -> tuple[set[str], int]:
    data = api.query(SCHOOL_CODES, {"where": where})["schools"]
    return {node["code"] for node in data["nodes"]}, data["totalCount"]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"name": {"eq": "复旦大学"}}, {FUDAN}),
        ({"code": {"in": [SJTU, USST, "0000000000"]}}, {SJTU, USST}),
        ({"name": {"contains": "上海"}}, {SJTU, USST, SEIT}),
        ({"name": {"startsWith": "复旦"}}, {FUDAN}),
        ({"code": {"gt": USST}}, {SEIT}),
        ({"code": {"gte": USST}}, {USST, SEIT}),
        ({"code": {"lt": SJTU}}, {FUDAN}),
        ({"code": {"lte": SJTU}}, {FUDAN, SJTU}),
        ({"doubleFirstClass": {"eq": True}}, {SJTU, FUDAN}),
        ({"level": {"eq": "higher_vocational"}}, {SEIT}),
        ({"nameEn": {"contains": "University"}}, {SJTU, FUDAN}),
        ({"name": {"contains": "大学", "startsWith": "上海"}}, {SJTU, USST}),
    ],
    ids=["eq", "in", "contains", "startsWith", "gt", "gte", "lt", "lte", "bool", "enum", "optional", "two-ops"],
)
def test_each_operator(api: Api, where: dict[str, Any], expected: set[str]) -> None:
    assert school_codes(api, where) == (expected, len(expected))


def test_integer_comparisons(api: Api) -> None:
    query = "query($w: AllianceWhere) { alliances(where: $w) { nodes { key } } }"
    founded = {op: api.query(query, {"w": {"founded": {op: 2021}}})["alliances"]["nodes"] for op in ("gt", "gte", "lt", "lte", "eq")}
    assert founded == {
        "gt": [], "gte": [{"key": "A-IC"}], "lt": [{"key": "A-BIO"}], "lte": [{"key": "A-BIO"}, {"key": "A-IC"}],
        "eq": [{"key": "A-IC"}],
    }


def test_and_or_not(api: Api) -> None:
    both = {"AND": [{"name": {"contains": "上海"}}, {"doubleFirstClass": {"eq": False}}]}
    either = {"OR": [{"name": {"eq": "复旦大学"}}, {"level": {"eq": "higher_vocational"}}]}
    negated = {"NOT": {"name": {"contains": "上海"}}}
    nested = {"NOT": {"OR": [{"code": {"eq": SJTU}}, {"code": {"eq": FUDAN}}]}, "name": {"contains": "学"}}
    assert school_codes(api, both) == ({USST, SEIT}, 2)
    assert school_codes(api, either) == ({FUDAN, SEIT}, 2)
    assert school_codes(api, negated) == ({FUDAN}, 1)
    assert school_codes(api, nested) == ({USST, SEIT}, 2)


def test_not_matches_nodes_without_the_property(api: Api) -> None:
    # USST and SEIT have no English name: `nameEn contains X` is false for them, so NOT is true.
    assert school_codes(api, {"NOT": {"nameEn": {"contains": "Fudan"}}}) == ({SJTU, USST, SEIT}, 3)


def test_relationship_filter_across_two_hops(api: Api) -> None:
    # BIO needs 临床医学 (100201), which SJTU and Fudan offer.
    bio = {"disciplines": {"some": {"chains": {"some": {"code": {"eq": "BIO"}}}}}}
    # IC needs 080704 and 080901: SJTU, Fudan and USST offer one of them; SEIT offers neither.
    no_ic = {"disciplines": {"none": {"chains": {"some": {"code": {"eq": "IC"}}}}}}
    assert school_codes(api, bio) == ({SJTU, FUDAN}, 2)
    assert school_codes(api, no_ic) == ({SEIT}, 1)


def test_relationship_filter_on_edge_properties(api: Api) -> None:
    # Only USST (280) and SEIT (380) have an OFFERS with 200 or more graduates.
    assert school_codes(api, {"disciplines": {"edge": {"graduates": {"gte": 200}}}}) == ({USST, SEIT}, 2)
    # SJTU offered 080901 in 2022 as well; nobody else reported 2022.
    assert school_codes(api, {"disciplines": {"edge": {"year": {"eq": 2022}}, "some": {"code": {"eq": "080901"}}}}) == ({SJTU}, 1)


def test_relationship_filter_existence_and_single_reference(api: Api) -> None:
    assert school_codes(api, {"mentors": {}}) == ({SJTU}, 1)
    assert school_codes(api, {"district": {"name": {"eq": "杨浦区"}}}) == ({FUDAN, USST}, 2)


def test_relationship_filter_over_several_kinds(api: Api) -> None:
    query = "query($w: AllianceWhere) { alliances(where: $w) { nodes { key } } }"
    with_smic = {"members": {"some": {"enterprise": {"name": {"startsWith": "中芯"}}}}}
    with_any_lead = {"members": {"edge": {"role": {"eq": "lead"}}}}
    without_schools: dict[str, Any] = {"members": {"none": {"school": {}}}}
    assert api.query(query, {"w": with_smic})["alliances"]["nodes"] == [{"key": "A-IC"}]
    assert api.query(query, {"w": with_any_lead})["alliances"]["nodes"] == [{"key": "A-BIO"}, {"key": "A-IC"}]
    assert api.query(query, {"w": without_schools})["alliances"]["nodes"] == []


def test_order_by_one_and_several_fields(api: Api) -> None:
    query = "query($o: [SchoolOrderBy!]) { schools(orderBy: $o) { nodes { name } } }"
    by_name = api.query(query, {"o": [{"field": "NAME"}]})["schools"]["nodes"]
    # Pinyin, not code points: fu dan < shang hai dian < shang hai jiao < shang hai li.
    assert [node["name"] for node in by_name] == ["复旦大学", "上海电子信息职业技术学院", "上海交通大学", "上海理工大学"]
    mixed = [{"field": "DOUBLE_FIRST_CLASS", "direction": "DESC"}, {"field": "CODE", "direction": "DESC"}]
    ordered = api.query(query, {"o": mixed})["schools"]["nodes"]
    assert [node["name"] for node in ordered] == ["上海交通大学", "复旦大学", "上海电子信息职业技术学院", "上海理工大学"]


def test_default_order_is_by_key(api: Api) -> None:
    nodes = api.query("{ schools { nodes { code } } }")["schools"]["nodes"]
    assert [node["code"] for node in nodes] == [FUDAN, SJTU, USST, SEIT]


PAGE = """query($after: String) {
  schools(first: 3, after: $after, orderBy: [{field: CODE}]) {
    totalCount
    edges { cursor node { code } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


def test_cursor_pagination(api: Api) -> None:
    first = api.query(PAGE)["schools"]
    assert [edge["node"]["code"] for edge in first["edges"]] == [FUDAN, SJTU, USST]
    assert first["totalCount"] == 4
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    second = api.query(PAGE, {"after": first["pageInfo"]["endCursor"]})["schools"]
    assert [edge["node"]["code"] for edge in second["edges"]] == [SEIT]
    assert second["totalCount"] == 4
    assert second["pageInfo"]["hasNextPage"] is False and second["pageInfo"]["hasPreviousPage"] is True


def test_total_count_alone_and_empty_page(api: Api) -> None:
    data = api.query('{ all: schools { totalCount } none: schools(first: 0) { totalCount nodes { code } pageInfo { endCursor hasNextPage } } }')
    assert data["all"] == {"totalCount": 4}
    assert data["none"] == {"totalCount": 4, "nodes": [], "pageInfo": {"endCursor": None, "hasNextPage": True}}


def test_each_kind_has_its_connection(api: Api) -> None:
    fields = ["schools", "disciplines", "enterprises", "industryChains", "mentors", "bases", "alliances",
              "districts", "zones", "projects", "courses"]
    data = api.query("{ " + " ".join(f"{field} {{ totalCount }}" for field in fields) + " }")
    assert {field: data[field]["totalCount"] for field in fields} == {
        "schools": 4, "disciplines": 4, "enterprises": 2, "industryChains": 4, "mentors": 2, "bases": 0,
        "alliances": 2, "districts": 3, "zones": 0, "projects": 0, "courses": 0,
    }


def test_bad_arguments_say_what_is_wrong(api: Api) -> None:
    body = api.post('{ schools(after: "bm9wZQ==") { totalCount } }').json()
    assert "is not a cursor this API handed out" in body["errors"][0]["message"]
    body = api.post("{ schools(first: -1) { totalCount } }").json()
    assert body["errors"][0]["message"] == "first must be 0 or more, not -1"


# ---- a single related node filters without `some` (issue 14 item 7) ------------------------------------------


def keys_of(api: Api, field: str, where: dict[str, Any], key: str = "key") -> list[str]:
    label = {"enterprises": "Enterprise", "industryChains": "IndustryChain", "mentors": "Mentor"}[field]
    query = f"query($w: {label}Where) {{ {field}(where: $w) {{ totalCount nodes {{ {key} }} }} }}"
    data = api.query(query, {"w": where})[field]
    assert data["totalCount"] == len(data["nodes"])
    return [node[key] for node in data["nodes"]]


def test_a_single_related_node_takes_its_conditions_directly(api: Api) -> None:
    # SJTU and SEIT are in 闵行区, Fudan and USST in 杨浦区; of the two enterprises only SMIC has a district.
    assert school_codes(api, {"district": {"name": {"eq": "闵行区"}}}) == ({SJTU, SEIT}, 2)
    assert school_codes(api, {"district": {"name": {"eq": "闵行区"}}, "disciplines": {"some": {"code": {"eq": "080901"}}}}) == ({SJTU}, 1)
    assert school_codes(api, {"NOT": {"district": {"code": {"eq": "310110"}}}}) == ({SJTU, SEIT}, 2)
    assert keys_of(api, "enterprises", {"district": {"code": {"startsWith": "3101"}}}, "uscc") == [SMIC]
    assert keys_of(api, "enterprises", {"NOT": {"district": {}}}, "uscc") == [UNITED]


def test_single_related_nodes_chain_and_nest(api: Api) -> None:
    # IC-DESIGN is the only chain with a parent; both mentors work for SMIC, in 闵行区.
    assert keys_of(api, "industryChains", {"parent": {"code": {"eq": "IC"}}}, "code") == ["IC-DESIGN"]
    assert keys_of(api, "industryChains", {"parent": {}}, "code") == ["IC-DESIGN"]
    assert keys_of(api, "industryChains", {"NOT": {"parent": {}}}, "code") == ["AI", "BIO", "IC"]
    assert keys_of(api, "mentors", {"employer": {"district": {"name": {"eq": "闵行区"}}}}) == ["M001", "M002"]
    assert keys_of(api, "mentors", {"employer": {"chains": {"some": {"code": {"eq": "BIO"}}}}}) == []
    assert keys_of(api, "enterprises", {"mentors": {"some": {"employer": {"leading": {"eq": True}}}}}, "uscc") == [SMIC]


def test_some_on_a_single_related_node_is_refused_with_the_reason(api: Api) -> None:
    body = api.post('{ schools(where: {district: {some: {name: {eq: "闵行区"}}}}) { totalCount } }').json()
    [error] = body["errors"]
    assert "'some'" in error["message"] and "DistrictWhere" in error["message"]
    assert "SchoolWhere.district" in error["message"] and "each relates one District" in error["message"]


ORDERED_PAGE = """query($after: String, $direction: OrderDirection!) {
  schools(first: 2, after: $after, orderBy: [{field: NAME, direction: $direction}]) {
    edges { node { name } } pageInfo { hasNextPage endCursor }
  }
}"""


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_name_order_pages_with_cursors(api: Api, direction: str) -> None:
    # fu dan < shang hai dian < shang hai jiao < shang hai li
    expected = ["复旦大学", "上海电子信息职业技术学院", "上海交通大学", "上海理工大学"]
    first = api.query(ORDERED_PAGE, {"direction": direction})["schools"]
    second = api.query(ORDERED_PAGE, {"direction": direction, "after": first["pageInfo"]["endCursor"]})["schools"]
    names = [edge["node"]["name"] for page in (first, second) for edge in page["edges"]]
    assert names == (expected if direction == "ASC" else expected[::-1])
    assert (first["pageInfo"]["hasNextPage"], second["pageInfo"]["hasNextPage"]) == (True, False)
