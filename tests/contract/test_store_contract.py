"""The `GraphStore` contract (graph/store.py), run against every store through the `store` fixture.

A small Shanghai graph is seeded for each test; every expected value below is worked out by hand
from that seed. Keys sort as text, so the schools' key order is
FUDAN < SJTU < SHU < STIEI < SAC and the disciplines' is 080703 < 080901 < 0854 < 510201.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.filters import And, Compare, Filter, Not, Op, Or, Related
from graph.records import Direction, NodeRef, OrderBy, Provenance, RelRow, WriteCounts
from graph.store import ChangeCounts, ChangeSet, GraphStore

SEED = Provenance("seed.csv", "2025-01-01T00:00:00+08:00")
LATER = Provenance("fix.csv", "2025-02-01T00:00:00+08:00")

FUDAN, SJTU, SHU, STIEI, SAC = "4131010246", "4131010248", "4131010280", "4131013961", "4131014046"
E1, E2 = "91310000132200821H", "91310115MA1FL4111A"
SCHOOLS: list[dict[str, Any]] = [
    {"code": SJTU, "name": "上海交通大学", "name_en": "Shanghai Jiao Tong University", "level": "undergraduate",
     "double_first_class": True},
    {"code": FUDAN, "name": "复旦大学", "name_en": "Fudan University", "level": "undergraduate",
     "double_first_class": True},
    {"code": SHU, "name": "上海大学", "name_en": "Shanghai University", "level": "undergraduate",
     "double_first_class": True},
    {"code": STIEI, "name": "上海电子信息职业技术学院", "name_en": "Shanghai Technical Institute of Electronics",
     "level": "higher_vocational", "double_first_class": False},
    {"code": SAC, "name": "上海工艺美术职业学院", "name_en": "Shanghai Arts and Crafts Vocational College",
     "level": "higher_vocational"},
]
DISCIPLINES: list[dict[str, Any]] = [
    {"code": "080901", "name": "计算机科学与技术", "level": "undergraduate"},
    {"code": "080703", "name": "通信工程", "level": "undergraduate"},
    {"code": "510201", "name": "计算机应用技术", "level": "higher_vocational"},
    {"code": "0854", "name": "电子信息", "level": "graduate_professional"},
]
DISTRICTS: list[dict[str, Any]] = [{"code": "310104", "name": "徐汇区"}, {"code": "310110", "name": "杨浦区"},
             {"code": "310112", "name": "闵行区"}, {"code": "310113", "name": "宝山区"}]
ALLIANCES: list[dict[str, Any]] = [
    {"id": "AL-1", "name": "集成电路产教融合联盟", "founded": 2015},
    {"id": "AL-2", "name": "人工智能产教融合联盟", "founded": 2018},
    {"id": "AL-3", "name": "生物医药产教融合联盟", "founded": 2021},
    {"id": "AL-4", "name": "汽车产教融合联盟"},
]
ENTERPRISES: list[dict[str, Any]] = [{"uscc": E1, "name": "华虹集团"}, {"uscc": E2, "name": "交通大学出版社"}]
CHAINS: list[dict[str, Any]] = [{"code": "IC", "name": "集成电路", "tier": "leading"}, {"code": "AI", "name": "人工智能", "tier": "leading"}]
BASES: list[dict[str, Any]] = [{"id": "BASE-1", "name": "集成电路实训基地", "type": "practice"}]
OFFERS = [(SJTU, "080901", 2023, 300), (SJTU, "080901", 2024, 320), (SJTU, "0854", 2024, 500),
          (SHU, "080901", 2023, 200), (FUDAN, "080703", 2024, 150), (STIEI, "510201", 2024, 400)]
LOCATED_IN = [(SJTU, "310104"), (FUDAN, "310110"), (SHU, "310113"), (STIEI, "310112")]
COOPERATIONS = [(SJTU, E1, ["internship", "joint_lab"]), (STIEI, E1, ["order_training"]), (STIEI, E2, ["internship"])]


def school(key: str) -> NodeRef:
    return NodeRef("School", key)


def discipline(key: str) -> NodeRef:
    return NodeRef("Discipline", key)


def offer(school_key: str, discipline_key: str, year: int, graduates: int | None = None) -> RelRow:
    props = {} if graduates is None else {"graduates": graduates}
    return RelRow("OFFERS", school(school_key), discipline(discipline_key), {"year": year}, props)


def seed(store: GraphStore) -> None:
    tables: list[tuple[str, list[dict[str, Any]]]] = [
        ("School", SCHOOLS), ("Discipline", DISCIPLINES), ("District", DISTRICTS), ("Alliance", ALLIANCES),
        ("Enterprise", ENTERPRISES), ("IndustryChain", CHAINS), ("Base", BASES)]
    for label, rows in tables:
        store.upsert_nodes(label, rows, SEED)
    rels = [offer(*row) for row in OFFERS]
    rels += [RelRow("LOCATED_IN", school(s), NodeRef("District", d)) for s, d in LOCATED_IN]
    rels += [RelRow("COOPERATES_WITH", school(s), NodeRef("Enterprise", e), props={"kinds": k}) for s, e, k in COOPERATIONS]
    rels += [RelRow("SERVES", NodeRef("Alliance", "AL-1"), NodeRef("IndustryChain", "IC")),
             RelRow("SERVES", NodeRef("Base", "BASE-1"), NodeRef("IndustryChain", "IC")),
             RelRow("SERVES", NodeRef("Alliance", "AL-2"), NodeRef("IndustryChain", "AI"))]
    store.upsert_relationships(rels, SEED)


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    seed(store)
    return store


def keys(store: GraphStore, label: str, where: Filter | None = None, order_by: list[OrderBy] | None = None) -> list[str]:
    return [node.key for node in store.find_nodes(label, where, order_by or []).nodes]


# -- upserts -------------------------------------------------------------------------------------


def test_upsert_counts_created_updated_unchanged(store: GraphStore) -> None:
    first = [{"code": "310104", "name": "徐汇区"}, {"code": "310110", "name": "杨浦区"}]
    assert store.upsert_nodes("District", first, SEED) == WriteCounts(created=2)
    second = [{"code": "310104", "name": "徐汇区"}, {"code": "310110", "name": "杨浦"}, {"code": "310112", "name": "闵行区"}]
    assert store.upsert_nodes("District", second, LATER) == WriteCounts(created=1, updated=1, unchanged=1)
    names = {key: node.props["name"] for key, node in store.get_nodes("District", ["310104", "310110", "310112"]).items()}
    assert names == {"310104": "徐汇区", "310110": "杨浦", "310112": "闵行区"}


def test_upserting_the_same_rows_twice_changes_nothing(seeded: GraphStore) -> None:
    before = seeded.stats()
    assert seeded.upsert_nodes("School", SCHOOLS, LATER) == WriteCounts(unchanged=5)
    assert seeded.upsert_relationships([offer(*row) for row in OFFERS], LATER) == WriteCounts(unchanged=6)
    assert seeded.stats() == before
    assert seeded.get_nodes("School", [SJTU])[SJTU].props["source"] == "seed.csv"


def test_upsert_merges_properties_and_ignores_none(seeded: GraphStore) -> None:
    counts = seeded.upsert_nodes("School", [{"code": SJTU, "name": None, "name_en": "SJTU", "authority": None}], LATER)
    assert counts == WriteCounts(updated=1)
    props = seeded.get_nodes("School", [SJTU])[SJTU].props
    assert (props["name"], props["name_en"], props["level"]) == ("上海交通大学", "SJTU", "undergraduate")
    assert "authority" not in props
    assert seeded.upsert_nodes("School", [{"code": SJTU, "name": None}], LATER) == WriteCounts(unchanged=1)


def test_provenance_is_stamped_only_on_change(seeded: GraphStore) -> None:
    seeded.upsert_nodes("School", [{"code": FUDAN, "name": "复旦大学"}, {"code": SHU, "name": "上海大学 (SHU)"}], LATER)
    nodes = seeded.get_nodes("School", [FUDAN, SHU])
    assert (nodes[FUDAN].props["source"], nodes[FUDAN].props["loaded_at"]) == ("seed.csv", SEED.loaded_at)
    assert (nodes[SHU].props["source"], nodes[SHU].props["loaded_at"]) == ("fix.csv", LATER.loaded_at)


def test_duplicate_keys_in_one_batch_last_wins_counted_once(store: GraphStore) -> None:
    rows = [{"code": "310104", "name": "徐汇"}, {"code": "310104", "name": "徐汇区"}]
    assert store.upsert_nodes("District", rows, SEED) == WriteCounts(created=1)
    assert store.get_nodes("District", ["310104"])["310104"].props["name"] == "徐汇区"
    assert store.stats().nodes["District"] == 1


def test_the_key_is_stored_as_text(store: GraphStore) -> None:
    store.upsert_nodes("District", [{"code": 310104, "name": "徐汇区"}], SEED)
    node = store.get_nodes("District", ["310104"])["310104"]
    assert (node.key, node.props["code"]) == ("310104", "310104")


def test_unknown_label_and_missing_key_are_errors(store: GraphStore) -> None:
    with pytest.raises(ValueError, match="University"):
        store.upsert_nodes("University", [{"code": "1"}], SEED)
    with pytest.raises(ValueError, match="code"):
        store.upsert_nodes("District", [{"name": "徐汇区"}], SEED)
    assert store.stats().nodes["District"] == 0


def test_get_nodes_returns_only_existing_keys(seeded: GraphStore) -> None:
    found = seeded.get_nodes("School", [SJTU, "0000000000", SAC])
    assert sorted(found) == [SJTU, SAC]
    assert found[SAC].label == "School" and found[SAC].props["name"] == "上海工艺美术职业学院"


# -- relationships -----------------------------------------------------------------------------


def test_relationship_key_properties_make_separate_relationships(seeded: GraphStore) -> None:
    offers = seeded.neighbours([school(SJTU)], "OFFERS", Direction.OUT)[school(SJTU)]
    assert [(n.node.key, n.rel.props["year"], n.rel.props["graduates"]) for n in offers] == [
        ("080901", 2023, 300), ("080901", 2024, 320), ("0854", 2024, 500)]
    assert seeded.stats().relationships["OFFERS"] == 6


def test_relationship_upsert_counts_and_provenance(seeded: GraphStore) -> None:
    rows = [offer(SJTU, "080901", 2023, 300), offer(SJTU, "080901", 2024, 333), offer(SJTU, "080901", 2025, 340)]
    assert seeded.upsert_relationships(rows, LATER) == WriteCounts(created=1, updated=1, unchanged=1)
    by_year = {n.rel.props["year"]: n.rel.props for n in seeded.neighbours([school(SJTU)], "OFFERS", Direction.OUT,
                                                                           Compare("year", Op.GTE, 2023))[school(SJTU)]
               if n.node.key == "080901"}
    assert {year: (p["graduates"], p["source"]) for year, p in by_year.items()} == {
        2023: (300, "seed.csv"), 2024: (333, "fix.csv"), 2025: (340, "fix.csv")}


def test_missing_endpoint_is_an_error_naming_it_and_nothing_is_written(seeded: GraphStore) -> None:
    rows = [offer(SAC, "080901", 2024, 10), offer(SAC, "999999", 2024, 10)]
    with pytest.raises(ValueError, match="999999"):
        seeded.upsert_relationships(rows, LATER)
    assert seeded.count_neighbours([school(SAC)], "OFFERS", Direction.OUT) == {school(SAC): 0}


def test_endpoints_must_be_of_the_kinds_the_model_joins(seeded: GraphStore) -> None:
    with pytest.raises(ValueError, match="OFFERS"):
        seeded.upsert_relationships([RelRow("OFFERS", NodeRef("Enterprise", E1), discipline("080901"), {"year": 2024})], LATER)


# -- apply and deletes ---------------------------------------------------------------------------


def test_apply_with_one_bad_relationship_writes_nothing(seeded: GraphStore) -> None:
    before = seeded.stats()
    changes = ChangeSet(
        nodes=[("School", {"code": "4131099999", "name": "新学校", "level": "undergraduate"}),
               ("Discipline", {"code": "080910", "name": "数据科学与大数据技术", "level": "undergraduate"})],
        rels=[offer("4131099999", "080910", 2024, 50), offer("4131099999", "080999", 2024, 50)],
        delete_nodes=[school(SAC)],
    )
    with pytest.raises(ValueError, match="080999"):
        seeded.apply(changes, LATER)
    assert seeded.stats() == before
    assert seeded.get_nodes("School", ["4131099999", SAC]).keys() == {SAC}


def test_apply_upserts_then_deletes(seeded: GraphStore) -> None:
    changes = ChangeSet(
        nodes=[("School", {"code": "4131099999", "name": "新学校", "level": "undergraduate"}),
               ("Discipline", {"code": "080910", "name": "数据科学与大数据技术", "level": "undergraduate"}),
               ("School", {"code": SJTU, "name": "上海交通大学"})],
        rels=[offer("4131099999", "080910", 2024, 50), offer("4131099999", "080910", 2025, 60)],
        delete_rels=[offer(SJTU, "080901", 2023), offer(SJTU, "080901", 2019)],
        delete_nodes=[school(SAC), school("0000000000")],
    )
    counts = seeded.apply(changes, LATER)
    assert counts == ChangeCounts(nodes=WriteCounts(created=2, unchanged=1, deleted=1), rels=WriteCounts(created=2, deleted=1))
    stats = seeded.stats()
    assert (stats.nodes["School"], stats.nodes["Discipline"], stats.relationships["OFFERS"]) == (5, 5, 7)


def test_apply_returns_the_upserted_nodes_as_stored(seeded: GraphStore) -> None:
    """`ChangeCounts.written`: what a read after the write would find, merged properties and
    provenance stamps included; a node the same change deletes is left out."""
    changes = ChangeSet(
        nodes=[("School", {"code": SJTU, "name_en": "SJTU"}), ("School", {"code": FUDAN, "name": "复旦大学"}),
               ("District", {"code": "310120", "name": "奉贤区"}), ("School", {"code": SAC, "name": "上音"})],
        delete_nodes=[school(SAC)],
    )
    written = seeded.apply(changes, LATER).written
    assert set(written) == {school(SJTU), school(FUDAN), NodeRef("District", "310120")}
    for ref, node in written.items():
        assert node == seeded.get_nodes(ref.label, [ref.key])[ref.key]
    assert (written[school(SJTU)].props["name"], written[school(SJTU)].props["name_en"]) == ("上海交通大学", "SJTU")
    assert written[school(SJTU)].props["source"] == LATER.source
    assert written[school(FUDAN)].props["source"] == "seed.csv"  # unchanged: not stamped again


def test_deleting_a_node_deletes_its_relationships(seeded: GraphStore) -> None:
    assert seeded.delete_nodes([school(SJTU), school("0000000000")]) == 1
    stats = seeded.stats()
    assert (stats.nodes["School"], stats.relationships["OFFERS"]) == (4, 3)
    assert (stats.relationships["LOCATED_IN"], stats.relationships["COOPERATES_WITH"]) == (3, 2)
    assert seeded.delete_nodes([school(SJTU)]) == 0
    assert seeded.count_neighbours([discipline("080901")], "OFFERS", Direction.IN) == {discipline("080901"): 1}


def test_delete_relationships_by_type_endpoints_and_key(seeded: GraphStore) -> None:
    assert seeded.delete_relationships([offer(SJTU, "080901", 2023), offer(SJTU, "080901", 2022)]) == 1
    assert seeded.delete_relationships([offer(SJTU, "080901", 2023)]) == 0
    remaining = seeded.neighbours([school(SJTU)], "OFFERS", Direction.OUT)[school(SJTU)]
    assert [(n.node.key, n.rel.props["year"]) for n in remaining] == [("080901", 2024), ("0854", 2024)]


# -- find_nodes --------------------------------------------------------------------------------


@pytest.mark.parametrize(("where", "expected"), [
    (Compare("founded", Op.EQ, 2018), ["AL-2"]),
    (Compare("founded", Op.IN, [2015, 2021, 1999]), ["AL-1", "AL-3"]),
    (Compare("founded", Op.GT, 2018), ["AL-3"]),
    (Compare("founded", Op.GTE, 2018), ["AL-2", "AL-3"]),
    (Compare("founded", Op.LT, 2018), ["AL-1"]),
    (Compare("founded", Op.LTE, 2018), ["AL-1", "AL-2"]),
    (Compare("name", Op.CONTAINS, "人工智能"), ["AL-2"]),
    (Compare("name", Op.CONTAINS, "产教融合"), ["AL-1", "AL-2", "AL-3", "AL-4"]),
    (Compare("name", Op.STARTS_WITH, "生物"), ["AL-3"]),
    (Not(Compare("founded", Op.GT, 2018)), ["AL-1", "AL-2", "AL-4"]),
    (Compare("id", Op.EQ, "AL-3"), ["AL-3"]),
    (Compare("id", Op.IN, ["AL-4", "AL-9", "AL-1"]), ["AL-1", "AL-4"]),
    (And((Compare("id", Op.IN, ["AL-1", "AL-2"]), Compare("founded", Op.GT, 2016))), ["AL-2"]),
], ids=lambda value: str(value) if isinstance(value, list) else None)
def test_find_nodes_operators(seeded: GraphStore, where: Filter, expected: list[str]) -> None:
    assert keys(seeded, "Alliance", where) == expected


@pytest.mark.parametrize(("where", "expected"), [
    (And((Compare("level", Op.EQ, "undergraduate"), Compare("double_first_class", Op.EQ, True))), [FUDAN, SJTU, SHU]),
    (Or((Compare("level", Op.EQ, "higher_vocational"), Compare("name", Op.CONTAINS, "交通"))), [SJTU, STIEI, SAC]),
    (Not(Compare("double_first_class", Op.EQ, True)), [STIEI, SAC]),
    (And((Not(Compare("level", Op.EQ, "undergraduate")),
          Or((Compare("name_en", Op.STARTS_WITH, "Shanghai A"), Compare("name_en", Op.CONTAINS, "Electronics"))))),
     [STIEI, SAC]),
])
def test_find_nodes_boolean_logic(seeded: GraphStore, where: Filter, expected: list[str]) -> None:
    assert keys(seeded, "School", where) == expected


def test_find_nodes_related_some_and_none(seeded: GraphStore) -> None:
    offered_2023 = Related("OFFERS", Direction.OUT, "Discipline", rel_where=Compare("year", Op.EQ, 2023))
    assert keys(seeded, "School", offered_2023) == [SJTU, SHU]
    none_2024 = Related("OFFERS", Direction.OUT, "Discipline", rel_where=Compare("year", Op.EQ, 2024), none=True)
    assert keys(seeded, "School", none_2024) == [SHU, SAC]
    vocational = Related("OFFERS", Direction.OUT, "Discipline", where=Compare("level", Op.EQ, "higher_vocational"))
    assert keys(seeded, "School", vocational) == [STIEI]
    big_cs = Related("OFFERS", Direction.OUT, "Discipline", where=Compare("code", Op.EQ, "080901"),
                     rel_where=Compare("graduates", Op.GTE, 250))
    assert keys(seeded, "School", big_cs) == [SJTU]
    internships = Related("COOPERATES_WITH", Direction.OUT, "Enterprise", rel_where=Compare("kinds", Op.CONTAINS, "internship"))
    assert keys(seeded, "School", internships) == [SJTU, STIEI]


def test_find_nodes_related_inbound_and_nested(seeded: GraphStore) -> None:
    by_top_school = Related("OFFERS", Direction.IN, "School", where=Compare("double_first_class", Op.EQ, True))
    assert keys(seeded, "Discipline", by_top_school) == ["080703", "080901", "0854"]
    offers_0854 = Related("OFFERS", Direction.OUT, "Discipline", where=Compare("code", Op.EQ, "0854"))
    assert keys(seeded, "District", Related("LOCATED_IN", Direction.IN, "School", where=offers_0854)) == ["310104"]
    no_school = Related("LOCATED_IN", Direction.IN, "School", none=True)
    assert keys(seeded, "District", no_school) == []
    assert seeded.count_nodes("Alliance", Related("SERVES", Direction.OUT, "IndustryChain")) == 2


@pytest.mark.parametrize(("order_by", "expected"), [
    ([OrderBy("level"), OrderBy("name_en", descending=True)], [STIEI, SAC, SHU, SJTU, FUDAN]),
    ([OrderBy("level", descending=True)], [FUDAN, SJTU, SHU, STIEI, SAC]),
    ([OrderBy("double_first_class", descending=True)], [FUDAN, SJTU, SHU, STIEI, SAC]),
    ([OrderBy("double_first_class")], [STIEI, FUDAN, SJTU, SHU, SAC]),
    ([OrderBy("name_en")], [FUDAN, SAC, SJTU, STIEI, SHU]),
    ([], [FUDAN, SJTU, SHU, STIEI, SAC]),
], ids=["level-asc-name-desc", "level-desc-ties-by-key", "bool-desc-missing-last", "bool-asc-missing-last",
        "name-asc", "key"])
def test_find_nodes_ordering(seeded: GraphStore, order_by: list[OrderBy], expected: list[str]) -> None:
    assert keys(seeded, "School", order_by=order_by) == expected


def test_find_nodes_pagination(seeded: GraphStore) -> None:
    page = seeded.find_nodes("School", offset=1, limit=2)
    assert ([n.key for n in page.nodes], page.total_count, page.offset, page.has_next) == ([SJTU, SHU], 5, 1, True)
    last = seeded.find_nodes("School", order_by=[OrderBy("name_en")], offset=3, limit=2)
    assert ([n.key for n in last.nodes], last.total_count, last.has_next) == ([STIEI, SHU], 5, False)
    beyond = seeded.find_nodes("School", Compare("level", Op.EQ, "undergraduate"), offset=5, limit=2)
    assert (beyond.nodes, beyond.total_count, beyond.has_next) == ([], 3, False)


@pytest.mark.parametrize(("offset", "limit"), [(-1, None), (0, -2)])
def test_a_negative_window_fails_alike_on_both_stores(seeded: GraphStore, offset: int, limit: int | None) -> None:
    message = f"offset and limit must be 0 or more, not {offset} and {limit}"
    with pytest.raises(ValueError, match=message):
        seeded.find_nodes("School", offset=offset, limit=limit)
    with pytest.raises(ValueError, match=message):
        seeded.neighbours([school(SJTU)], "OFFERS", Direction.OUT, offset=offset, limit=limit)
    with pytest.raises(ValueError, match="direction must be 'out' or 'in', not 'up'"):
        seeded.neighbours([school(SJTU)], "OFFERS", "up")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="search limit must be 0 or more, not -1"):
        seeded.search("交通", ["School"], -1)


def test_count_nodes(seeded: GraphStore) -> None:
    assert seeded.count_nodes("School") == 5
    assert seeded.count_nodes("School", Compare("level", Op.EQ, "higher_vocational")) == 2
    assert seeded.count_nodes("Mentor") == 0


# -- neighbours ----------------------------------------------------------------------------------


def test_neighbours_outbound_per_ref_with_limits(seeded: GraphStore) -> None:
    refs = [school(SJTU), school(SHU), school(SAC)]
    found = seeded.neighbours(refs, "OFFERS", Direction.OUT, limit=2)
    assert {ref: [(n.node.key, n.rel.props["year"]) for n in found[ref]] for ref in refs} == {
        school(SJTU): [("080901", 2023), ("080901", 2024)], school(SHU): [("080901", 2023)], school(SAC): []}
    second = seeded.neighbours(refs[:1], "OFFERS", Direction.OUT, offset=1, limit=1)[school(SJTU)]
    assert [(n.node.key, n.rel.props["year"]) for n in second] == [("080901", 2024)]
    rel = second[0].rel
    assert (rel.rel_type, rel.source, rel.target, second[0].node.props["name"]) == (
        "OFFERS", school(SJTU), discipline("080901"), "计算机科学与技术")


def test_neighbours_inbound_ordered_by_label_then_key(seeded: GraphStore) -> None:
    found = seeded.neighbours([discipline("080901")], "OFFERS", Direction.IN)[discipline("080901")]
    assert [(n.node.key, n.rel.props["year"]) for n in found] == [(SJTU, 2023), (SJTU, 2024), (SHU, 2023)]
    assert (found[0].rel.source, found[0].rel.target) == (school(SJTU), discipline("080901"))
    chain = NodeRef("IndustryChain", "IC")
    served = seeded.neighbours([chain], "SERVES", Direction.IN)[chain]
    assert [n.node.ref for n in served] == [NodeRef("Alliance", "AL-1"), NodeRef("Base", "BASE-1")]
    in_2024 = seeded.neighbours([discipline("080901")], "OFFERS", Direction.IN, Compare("year", Op.EQ, 2024))
    assert [n.node.key for n in in_2024[discipline("080901")]] == [SJTU]


def test_count_neighbours(seeded: GraphStore) -> None:
    refs = [school(SJTU), school(SHU), school(SAC)]
    assert seeded.count_neighbours(refs, "OFFERS", Direction.OUT) == {school(SJTU): 3, school(SHU): 1, school(SAC): 0}
    in_2024 = seeded.count_neighbours(refs, "OFFERS", Direction.OUT, Compare("year", Op.EQ, 2024))
    assert in_2024 == {school(SJTU): 2, school(SHU): 0, school(SAC): 0}
    assert seeded.count_neighbours([NodeRef("Enterprise", E1)], "COOPERATES_WITH", Direction.IN) == {
        NodeRef("Enterprise", E1): 2}


# -- search, stats, versions -------------------------------------------------------------------


def test_search_ranks_chinese_names(seeded: GraphStore) -> None:
    seeded.upsert_nodes("School", [{"code": "4161010698", "name": "西安交通大学", "level": "undergraduate"},
                                   {"code": "4131010255", "name": "东华大学", "level": "undergraduate"}], SEED)
    # 交通大学出版社 starts with the text; 上海/西安交通大学 contain it (ties by key); 复旦/东华/上海大学
    # share one of its three bigrams (大学); 上海工艺美术职业学院 shares none.
    found = seeded.search("交通大学", [], 10)
    assert [(node.label, node.key) for node, _ in found] == [
        ("Enterprise", E2), ("School", SJTU), ("School", "4161010698"),
        ("School", FUDAN), ("School", "4131010255"), ("School", SHU)]
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] < scores[2] < scores[0] <= 1
    assert [node.key for node, _ in seeded.search("交通大学", ["School"], 2)] == [SJTU, "4161010698"]
    # As many names containing the text as asked for: those, and no name sharing only a bigram.
    assert [node.key for node, _ in seeded.search("交通大学", [], 3)] == [E2, SJTU, "4161010698"]


def test_search_exact_key_and_case_insensitive(seeded: GraphStore) -> None:
    seeded.upsert_nodes("Enterprise", [{"uscc": "91310000607200000G", "name": "SMIC 中芯国际"}], SEED)
    (node, score), *_ = seeded.search(SJTU, ["School"], 5)
    assert (node.key, score) == (SJTU, 1.0)
    assert [node.key for node, _ in seeded.search("smic", [], 5)] == ["91310000607200000G"]
    assert seeded.search("量子计算", [], 5) == []


def test_stats_counts_every_model_kind(store: GraphStore) -> None:
    empty = store.stats()
    assert set(empty.nodes.values()) == {0} and set(empty.relationships.values()) == {0}
    assert len(empty.nodes) == 11 and len(empty.relationships) == 22
    seed(store)
    store.upsert_nodes("LoadRun", [{"id": "run-1", "files": ["schools.csv"]}], SEED)
    stats = store.stats().as_json()
    assert {k: v for k, v in stats["nodes"].items() if v} == {
        "School": 5, "Discipline": 4, "District": 4, "Alliance": 4, "Enterprise": 2, "IndustryChain": 2, "Base": 1}
    assert {k: v for k, v in stats["relationships"].items() if v} == {
        "OFFERS": 6, "LOCATED_IN": 4, "COOPERATES_WITH": 3, "SERVES": 3}
    assert "LoadRun" not in stats["nodes"]
    assert store.get_nodes("LoadRun", ["run-1"])["run-1"].props["files"] == ["schools.csv"]


def test_data_version_changes_with_committed_data(seeded: GraphStore) -> None:
    before = seeded.data_version()
    seeded.upsert_nodes("District", [{"code": "310115", "name": "浦东新区"}], LATER)
    after = seeded.data_version()
    assert after != before
    seeded.delete_nodes([NodeRef("District", "310115")])
    assert seeded.data_version() not in (before, after)


def test_clear_deletes_everything(seeded: GraphStore) -> None:
    seeded.clear()
    stats = seeded.stats()
    assert set(stats.nodes.values()) == {0} and set(stats.relationships.values()) == {0}
    assert seeded.find_nodes("School").total_count == 0


def test_a_single_related_node_matches_its_one_neighbour(seeded: GraphStore) -> None:
    in_yangpu = Related("LOCATED_IN", Direction.OUT, "District", Compare("name", Op.EQ, "杨浦区"), single=True)
    assert keys(seeded, "School", in_yangpu) == [FUDAN]
    assert keys(seeded, "School", Not(Related("LOCATED_IN", Direction.OUT, "District", single=True))) == [SAC]


@pytest.mark.parametrize(("where", "message"), [
    (Related("OFFERS", Direction.OUT, "Discipline", single=True), "School may have many Discipline nodes over OFFERS"),
    (Related("PARTNERS_WITH", Direction.IN, "Base", single=True), "School may have many Base nodes over PARTNERS_WITH"),
    (Related("LOCATED_IN", Direction.OUT, "District", none=True, single=True), "takes no 'none': negate it with Not"),
], ids=["to-many", "incoming", "none"])
def test_a_single_related_node_where_many_may_be_is_refused(seeded: GraphStore, where: Filter, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        seeded.find_nodes("School", where)
    with pytest.raises(ValueError, match=message):
        seeded.count_nodes("School", where)
