"""Search by the names people use: English names in any case, abbreviations and pinyin, on both
stores, over the 70 real schools and 16 districts of the bundled reference data."""

from __future__ import annotations

import pytest

from graph.aliases import alias_table, expansions, sort_key, spellings
from graph.model import NODES
from graph.records import Provenance
from graph.store import GraphStore
from graph.validation import validate_node
from loaders.reference import load_reference

SOURCE = Provenance("data/reference", "2025-01-01T00:00:00+08:00")


@pytest.fixture
def schools(store: GraphStore) -> GraphStore:
    reference = load_reference()
    for label, rows in (("School", reference.schools), ("District", reference.districts)):
        typed = []
        for row in rows:
            props, errors = validate_node(NODES[label], {k: v for k, v in row.items() if k != "district"})
            assert errors == {}
            typed.append(props)
        store.upsert_nodes(label, typed, SOURCE)
    return store


def first(store: GraphStore, text: str, labels: tuple[str, ...] = ()) -> str:
    (node, _), *_ = store.search(text, list(labels), 5)
    return str(node.props["name"])


@pytest.mark.parametrize(("text", "school"), [
    ("Fudan", "复旦大学"), ("fudan", "复旦大学"), ("复旦", "复旦大学"), ("FUDAN UNIVERSITY", "复旦大学"),
    ("上海交大", "上海交通大学"), ("SJTU", "上海交通大学"), ("sjtu", "上海交通大学"), ("交大", "上海交通大学"),
    ("jiao tong", "上海交通大学"), ("shanghaijiaotongdaxue", "上海交通大学"), ("Tongji", "同济大学"),
    ("ECNU", "华东师范大学"), ("ShanghaiTech", "上海科技大学"), ("上海体育学院", "上海体育大学"),
])
def test_search_puts_the_school_people_mean_first(schools: GraphStore, text: str, school: str) -> None:
    assert first(schools, text) == school
    assert first(schools, text, ("School",)) == school


def test_pinyin_finds_districts_and_their_several_readings(schools: GraphStore) -> None:
    assert first(schools, "minhang") == "闵行区"
    assert first(schools, "Changning") == "长宁区"  # 长 also reads zhang: every reading is kept


def test_aliases_stand_for_real_names_only() -> None:
    names = {row["name"] for row in load_reference().schools} | {row["name"] for row in load_reference().districts}
    table = alias_table()
    assert {name for canonical in table.values() for name in canonical} <= names
    assert expansions(" SJTU ") == expansions("sjtu") == ("上海交通大学",)
    assert expansions("不存在的学校") == ()
    assert "changning" in spellings("长宁") and "zhangning" in spellings("长宁")


def test_sort_key_orders_chinese_by_pinyin() -> None:
    names = ["复旦大学", "闵行区", "安徽", "上海大学", "北京", "Zhangjiang"]
    assert sorted(names, key=sort_key) == ["安徽", "北京", "复旦大学", "闵行区", "上海大学", "Zhangjiang"]
