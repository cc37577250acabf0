"""`orderBy` a name sorts Chinese by toneless pinyin, then by the name itself, then by the key,
on both stores (issue 14 item 7). Expected orders are worked out by hand in each test:
复旦 fu dan < 华东 hua dong < 上海交通 shang hai jiao < 同济 tong ji = 童济 tong ji (same
pinyin: 同 U+540C before 童 U+7AE5), and two schools both named 复旦大学 tie on the name, so the
key breaks the tie (in either direction)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.aliases import sort_key
from graph.filters import Compare, Op, Related
from graph.open import open_store
from graph.records import Direction, NodeRef, OrderBy, Provenance, RelRow
from graph.store import ChangeSet, GraphStore

PROVENANCE = Provenance("tests/contract/test_name_order.py", "2025-01-01T00:00:00Z")
SJTU, TONGJI, FUDAN, ECNU, TONGJI_2, FUDAN_2 = (
    "4131010248", "4131010247", "4131010246", "4131010269", "4131099001", "4131099002")
SCHOOLS = [
    {"code": SJTU, "name": "上海交通大学", "level": "undergraduate"},
    {"code": TONGJI, "name": "同济大学", "level": "undergraduate"},
    {"code": FUDAN, "name": "复旦大学", "level": "undergraduate"},
    {"code": ECNU, "name": "华东师范大学", "level": "undergraduate"},
    {"code": TONGJI_2, "name": "童济大学", "level": "higher_vocational"},
    {"code": FUDAN_2, "name": "复旦大学", "level": "higher_vocational"},
]
ASCENDING = [FUDAN, FUDAN_2, ECNU, SJTU, TONGJI, TONGJI_2]
DESCENDING = [TONGJI_2, TONGJI, SJTU, ECNU, FUDAN, FUDAN_2]  # equal names keep the key order
BY_NAME = [OrderBy("name")]


def keys(store: GraphStore, order_by: list[OrderBy], where: Compare | None = None,
         offset: int = 0, limit: int | None = None) -> list[str]:
    return [node.key for node in store.find_nodes("School", where, order_by, offset, limit).nodes]


@pytest.fixture
def schools(store: GraphStore) -> GraphStore:
    store.upsert_nodes("School", SCHOOLS, PROVENANCE)
    return store


def test_sort_key_is_toneless_pinyin() -> None:
    assert [sort_key(name) for name in ("复旦大学", "同济大学", "童济大学", "Fudan 大学")] == [
        "fu dan da xue", "tong ji da xue", "tong ji da xue", "fudan da xue"]


def test_names_sort_by_pinyin_then_name_then_key(schools: GraphStore) -> None:
    assert keys(schools, BY_NAME) == ASCENDING
    assert keys(schools, [OrderBy("name", descending=True)]) == DESCENDING


def test_name_order_after_another_key_and_with_a_filter(schools: GraphStore) -> None:
    assert keys(schools, [OrderBy("level", descending=True), *BY_NAME]) == [FUDAN, ECNU, SJTU, TONGJI, FUDAN_2, TONGJI_2]
    undergraduate = Compare("level", Op.EQ, "undergraduate")
    assert keys(schools, BY_NAME, undergraduate) == [FUDAN, ECNU, SJTU, TONGJI]
    assert keys(schools, [OrderBy("name", descending=True)], undergraduate) == [TONGJI, SJTU, ECNU, FUDAN]


@pytest.mark.parametrize("descending", [False, True])
def test_pages_follow_the_name_order_without_gaps_or_repeats(schools: GraphStore, descending: bool) -> None:
    order = [OrderBy("name", descending)]
    pages = [keys(schools, order, offset=offset, limit=4) for offset in (0, 4)]
    pages += [keys(schools, order, offset=offset, limit=1) for offset in range(6)]
    expected = DESCENDING if descending else ASCENDING
    assert pages[0] + pages[1] == expected
    assert [key for page in pages[2:] for key in page] == expected


def test_renaming_a_school_moves_it(schools: GraphStore) -> None:
    schools.upsert_nodes("School", [{"code": SJTU, "name": "安徽大学"}], PROVENANCE)  # an hui < fu dan
    assert keys(schools, BY_NAME)[0] == SJTU


def test_a_mutation_writes_the_order_too(schools: GraphStore) -> None:
    """`apply` (the mutations' write) keys a new name as the loaders' upserts do: 安 an < 复 fu."""
    schools.apply(ChangeSet(nodes=[("School", {"code": "4131099003", "name": "安徽大学", "level": "undergraduate"})],
                            delete_nodes=[NodeRef("School", FUDAN_2)]), PROVENANCE)
    assert keys(schools, BY_NAME) == ["4131099003", FUDAN, ECNU, SJTU, TONGJI, TONGJI_2]


def test_related_node_names_sort_by_pinyin(schools: GraphStore) -> None:
    """Districts, reached through a to-one filter, sort the same way: 闵行 min < 杨浦 yang."""
    schools.upsert_nodes("District", [{"code": "310110", "name": "杨浦区"}, {"code": "310112", "name": "闵行区"}], PROVENANCE)
    schools.upsert_relationships([RelRow("LOCATED_IN", _school(FUDAN), _district("310110")),
                                  RelRow("LOCATED_IN", _school(SJTU), _district("310112"))], PROVENANCE)
    with_school = Related("LOCATED_IN", Direction.IN, "School")
    found = schools.find_nodes("District", with_school, BY_NAME).nodes
    assert [node.props["name"] for node in found] == ["闵行区", "杨浦区"]


def _school(key: str) -> NodeRef:
    return NodeRef("School", key)


def _district(key: str) -> NodeRef:
    return NodeRef("District", key)


def test_data_written_before_sort_keys_existed_still_sorts(store_uri: str, schools: GraphStore) -> None:
    """Neo4j: a database without the `_SortName` keys (as an older version left it) gets them on
    the first sorted read of a new store object; the embedded store needs nothing stored."""
    if store_uri.startswith("bolt"):
        with schools.driver.session() as session:  # type: ignore[attr-defined]
            session.run("MATCH (k:_SortName) DELETE k").consume()
            session.run("MATCH (m:_Meta {name: 'sort_names'}) DELETE m").consume()
    reopened = open_store(store_uri)
    try:
        assert keys(reopened, BY_NAME) == ASCENDING
    finally:
        reopened.close()


# -- parity over the 70 real schools ------------------------------------------------------------------------------

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference" / "shanghai_schools.csv"


@pytest.fixture(scope="module")
def both(neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[GraphStore]]:
    with REFERENCE.open(encoding="utf-8", newline="") as handle:
        rows = [{"code": row["moe_code"] or f"9{number:09d}", "name": row["name"], "level": "undergraduate"}
                for number, row in enumerate(csv.DictReader(handle))]  # a few military schools have no MoE code
    opened = [open_store(f"embedded:{tmp_path_factory.mktemp('names') / 'store'}"), open_store(neo4j_uri)]
    for store in opened:
        store.ensure_schema()
        store.clear()
        store.upsert_nodes("School", rows, PROVENANCE)
    try:
        yield opened
    finally:
        for store in opened:
            store.close()


@pytest.mark.parametrize("descending", [False, True])
def test_both_stores_sort_the_real_schools_alike(both: list[GraphStore], descending: bool) -> None:
    embedded, neo4j = ([node.props["name"] for node in store.find_nodes("School", None, [OrderBy("name", descending)]).nodes]
                       for store in both)
    assert len(embedded) == 70 and embedded == neo4j
    ascending = embedded[::-1] if descending else embedded
    assert ascending.index("复旦大学") < ascending.index("上海交通大学") < ascending.index("同济大学")
    assert [sort_key(name) for name in ascending] == sorted(sort_key(name) for name in ascending)
