"""Randomised parity of `find_nodes` across both stores: Hypothesis generates `where` filters
(every scalar operator, AND/OR/NOT, relationship some/none with node and edge filters, a
single related node's conditions) and
orderings over a small fixed dataset loaded into the embedded store and the real Neo4j, and both
must return the same keys in the same order with the same total count. The dataset is built so
that properties are sometimes missing, names and levels tie (the key breaks ties) and
relationships carry numeric, text and list properties."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graph.filters import And, Compare, Filter, Not, Op, Or, Related
from graph.model import SCHOOL_LEVELS
from graph.open import open_store
from graph.records import Direction, NodeRef, OrderBy, Provenance, RelRow
from graph.store import GraphStore

PROVENANCE = Provenance(source="tests/contract/test_filter_parity.py", loaded_at="2025-01-01T00:00:00Z")
DISTRICTS = [("310101", "黄浦区", 31.23), ("310104", "徐汇区", 31.19), ("310110", "杨浦区", 31.26),
             ("310112", "闵行区", 31.11), ("310115", "浦东新区", None)]
DISCIPLINES = [("080901", "计算机科学与技术", "undergraduate"), ("080704", "微电子科学与工程", "undergraduate"),
               ("100201", "临床医学", "undergraduate"), ("510201", "计算机应用技术", "higher_vocational"),
               ("085400", "电子信息", "graduate_professional")]
CITIES, FIELDS, KINDS = ["上海", "复旦", "华东", "同济"], ["理工", "交通", "电子"], ["大学", "学院"]
SCHOOLS = 24  # names repeat every 12 schools, so ordering by name needs the key to break ties
ENTERPRISES = 8
ORDERABLE = ["code", "name", "name_en", "level", "ownership", "double_first_class", "benchmark"]


def school_code(n: int) -> str:
    return f"41310{10000 + n * 37}"


def school(n: int) -> dict[str, Any]:
    row: dict[str, Any] = {"code": school_code(n), "name": CITIES[n % 4] + FIELDS[n % 3] + KINDS[n % 2],
                           "level": SCHOOL_LEVELS[n % 3]}
    optional = {"name_en": f"School {n % 5}" if n % 3 else None,
                "ownership": ["public", "private", "sino_foreign", None][n % 4],
                "double_first_class": [True, False, None][n % 3], "benchmark": {0: True, 1: False}.get(n % 5)}
    return row | {name: value for name, value in optional.items() if value is not None}


def enterprise_code(n: int) -> str:
    return f"91310000{n:09d}X"


def relationships() -> list[RelRow]:
    rows = []
    for n in range(SCHOOLS):
        here = NodeRef("School", school_code(n))
        if n % 7 != 6:
            rows.append(RelRow("LOCATED_IN", here, NodeRef("District", DISTRICTS[n % 5][0]), {}, {}))
        for d, (code, _, _) in enumerate(DISCIPLINES):
            if (n + d) % 3:
                enrollment = 50 * (n % 6) + 10 * d
                props: dict[str, Any] = {"enrollment": enrollment}
                props |= {} if (n * d) % 4 == 0 else {"graduates": enrollment - 5}
                rows.append(RelRow("OFFERS", here, NodeRef("Discipline", code), {"year": 2022 + (n + d) % 3}, props))
        if n % 2 == 0:
            kinds = [["internship"], ["joint_lab", "internship"], None][n % 3]
            props = {"since": 2015 + n % 9} | ({"kinds": kinds} if kinds else {})
            rows.append(RelRow("COOPERATES_WITH", here, NodeRef("Enterprise", enterprise_code(n % ENTERPRISES)), {}, props))
    return rows


def load(store: GraphStore) -> None:
    store.upsert_nodes("District", [{"code": code, "name": name} | ({"latitude": lat} if lat else {})
                                    for code, name, lat in DISTRICTS], PROVENANCE)
    store.upsert_nodes("Discipline", [{"code": code, "name": name, "level": level}
                                      for code, name, level in DISCIPLINES], PROVENANCE)
    store.upsert_nodes("Enterprise", [{"uscc": enterprise_code(n), "name": f"企业{n % 3}", "leading": n % 2 == 0,
                                       "size": ["large", "medium", "small", "micro"][n % 4]}
                                      for n in range(ENTERPRISES)], PROVENANCE)
    store.upsert_nodes("School", [school(n) for n in range(SCHOOLS)], PROVENANCE)
    store.upsert_relationships(relationships(), PROVENANCE)


@pytest.fixture(scope="module")
def stores(neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, GraphStore]]:
    opened = [open_store(f"embedded:{tmp_path_factory.mktemp('filters') / 'store'}"), open_store(neo4j_uri)]
    for store in opened:
        store.ensure_schema()
        store.clear()
        load(store)
    try:
        yield opened[0], opened[1]
    finally:
        for store in opened:
            store.close()


# -- generated filters --------------------------------------------------------------------------------------------

def compare(field: str, values: st.SearchStrategy[Any], ops: list[Op]) -> st.SearchStrategy[Compare]:
    def build(op: Op, value: Any, others: list[Any]) -> Compare:
        return Compare(field, op, [value, *others] if op is Op.IN else value)

    return st.builds(build, st.sampled_from(ops), values, st.lists(values, max_size=2))


TEXT_OPS = [Op.EQ, Op.IN, Op.CONTAINS, Op.STARTS_WITH, Op.GT, Op.GTE, Op.LT, Op.LTE]
ORDER_OPS = [Op.EQ, Op.IN, Op.GT, Op.GTE, Op.LT, Op.LTE]
NAMES = [school(n)["name"] for n in range(12)]
SCHOOL_COMPARES = st.one_of(
    compare("code", st.sampled_from([school_code(n) for n in (0, 5, 11, 23)] + ["413101", "41310103", "0"]), TEXT_OPS),
    compare("name", st.sampled_from(NAMES + CITIES + FIELDS + KINDS + ["华东电子", "大"]), TEXT_OPS),
    compare("name_en", st.sampled_from(["School 1", "School 3", "School", "chool 2", "Z"]), TEXT_OPS),
    compare("level", st.sampled_from(list(SCHOOL_LEVELS)), [Op.EQ, Op.IN]),
    compare("ownership", st.sampled_from(["public", "private", "sino_foreign"]), [Op.EQ, Op.IN]),
    compare("double_first_class", st.booleans(), [Op.EQ]),
    compare("benchmark", st.booleans(), [Op.EQ]),
)
DISTRICT_WHERE = st.one_of(
    st.none(),
    compare("code", st.sampled_from([code for code, _, _ in DISTRICTS]), ORDER_OPS),
    compare("name", st.sampled_from(["浦", "徐汇区", "杨浦区", "新区"]), [Op.EQ, Op.CONTAINS, Op.STARTS_WITH]),
    compare("latitude", st.sampled_from([31.1, 31.19, 31.2, 31.3]), ORDER_OPS),
)
DISCIPLINE_WHERE = st.one_of(
    st.none(),
    compare("code", st.sampled_from([code for code, _, _ in DISCIPLINES] + ["08"]), [Op.EQ, Op.IN, Op.STARTS_WITH]),
    compare("level", st.sampled_from(["undergraduate", "higher_vocational"]), [Op.EQ, Op.IN]),
)
OFFERS_WHERE = st.one_of(
    st.none(),
    compare("year", st.integers(2021, 2025), ORDER_OPS),
    compare("enrollment", st.integers(0, 300).map(lambda n: n - n % 10), ORDER_OPS),
    compare("graduates", st.integers(0, 300).map(lambda n: n - n % 5), ORDER_OPS),
)
ENTERPRISE_WHERE = st.one_of(
    st.none(),
    compare("size", st.sampled_from(["large", "medium", "small", "micro"]), [Op.EQ, Op.IN]),
    compare("leading", st.booleans(), [Op.EQ]),
)
COOPERATION_WHERE = st.one_of(
    st.none(),
    compare("since", st.integers(2014, 2024), ORDER_OPS),
    compare("kinds", st.sampled_from(["internship", "joint_lab", "training"]), [Op.CONTAINS]),
)
RELATED = st.one_of(
    st.builds(Related, st.just("LOCATED_IN"), st.just(Direction.OUT), st.just("District"), DISTRICT_WHERE,
              st.none(), none=st.booleans()),
    st.builds(Related, st.just("LOCATED_IN"), st.just(Direction.OUT), st.just("District"), DISTRICT_WHERE,
              st.none(), single=st.just(True)),  # the to-one form: `district: {name: …}`
    st.builds(Related, st.just("OFFERS"), st.just(Direction.OUT), st.just("Discipline"), DISCIPLINE_WHERE,
              OFFERS_WHERE, none=st.booleans()),
    st.builds(Related, st.just("COOPERATES_WITH"), st.just(Direction.OUT), st.just("Enterprise"), ENTERPRISE_WHERE,
              COOPERATION_WHERE, none=st.booleans()),
)


def combined(parts: st.SearchStrategy[Filter]) -> st.SearchStrategy[Filter]:
    listed = st.lists(parts, max_size=3).map(tuple)
    return st.one_of(st.builds(And, listed), st.builds(Or, listed), st.builds(Not, parts))


FILTERS: st.SearchStrategy[Filter] = st.recursive(st.one_of(SCHOOL_COMPARES, RELATED), combined, max_leaves=6)
ORDERS = st.lists(st.builds(OrderBy, st.sampled_from(ORDERABLE), st.booleans()), max_size=3, unique_by=lambda o: o.field)
WINDOWS = st.tuples(st.integers(0, 10), st.one_of(st.none(), st.integers(1, 12)))


def page(store: GraphStore, where: Filter | None, order_by: list[OrderBy], window: tuple[int, int | None]) -> Any:
    found = store.find_nodes("School", where, order_by, *window)
    return [node.key for node in found.nodes], found.total_count, found.has_next


def test_generated_filters_and_orderings_answer_alike(stores: tuple[GraphStore, GraphStore]) -> None:
    embedded, neo4j = stores
    totals: list[int] = []

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(where=FILTERS, order_by=ORDERS, window=WINDOWS)
    @example(where=None, order_by=[OrderBy("ownership", True), OrderBy("name_en")], window=(3, 9))
    def same_page(where: Filter | None, order_by: list[OrderBy], window: tuple[int, int | None]) -> None:
        everything = page(embedded, where, order_by, (0, None))
        assert page(neo4j, where, order_by, (0, None)) == everything
        assert page(neo4j, where, order_by, window) == page(embedded, where, order_by, window)
        totals.append(everything[1])

    same_page()
    some = sum(1 for total in totals if total > 0)
    some_not_all = sum(1 for total in totals if 0 < total < SCHOOLS)
    assert some >= len(totals) // 2, f"only {some} of {len(totals)} generated filters selected any school"
    assert some_not_all >= len(totals) // 4, f"only {some_not_all} of {len(totals)} generated filters told schools apart"


def test_the_dataset_has_what_the_filters_look_for(stores: tuple[GraphStore, GraphStore]) -> None:
    """Hand-counted from the rows above, so a generator silently missing its targets shows."""
    for store in stores:
        assert store.count_nodes("School") == 24
        assert store.count_nodes("School", Compare("name", Op.EQ, "上海理工大学")) == 2  # schools 0 and 12
        assert store.count_nodes("School", Not(Compare("ownership", Op.EQ, "public"))) == 18
        assert store.count_nodes("School", Related("LOCATED_IN", Direction.OUT, "District", none=True)) == 3
        in_xuhui = Related("LOCATED_IN", Direction.OUT, "District", Compare("name", Op.EQ, "徐汇区"), single=True)
        assert store.count_nodes("School", in_xuhui) == 4  # n % 5 == 1 with a district (n % 7 != 6): 1, 11, 16, 21
        rel_where = Compare("kinds", Op.CONTAINS, "joint_lab")
        assert store.count_nodes("School", Related("COOPERATES_WITH", Direction.OUT, "Enterprise",
                                                   rel_where=rel_where)) == 4  # 4, 10, 16, 22
