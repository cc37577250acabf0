"""Tree reads (`GraphStore.read_tree`): the total of a filtered page, whether the page is full
(the database counts) or not (the page tells), the same on both stores."""

from __future__ import annotations

import pytest

from graph.filters import Compare, Op
from graph.records import Direction, Provenance
from graph.store import GraphStore
from graph.trees import RelationRead, TreeRead
from tests.contract.test_store_contract import SHU, SJTU, seed

SEED = Provenance("seed.csv", "2025-01-01T00:00:00+08:00")
# Seven districts, five of them with a code starting 31011.
CODES = ["310101", "310104", "310110", "310112", "310113", "310114", "310115"]


@pytest.mark.parametrize(("offset", "limit", "codes", "total"), [
    (0, 10, ["310110", "310112", "310113", "310114", "310115"], 5),  # not full: the page tells
    (0, 2, ["310110", "310112"], 5),  # full: counted
    (4, 2, ["310115"], 5),  # the last page, not full
    (8, 2, [], 5),  # past the end: counted
])
def test_a_filtered_page_reports_every_match(store: GraphStore, offset: int, limit: int, codes: list[str], total: int) -> None:
    store.upsert_nodes("District", [{"code": code, "name": f"区{code}"} for code in CODES], SEED)
    tree = TreeRead("District", Compare("code", Op.STARTS_WITH, "31011"), (), offset, limit, True)
    found, items = store.read_tree(tree)
    assert found == total
    assert [item[1]["code"] for item in items[:limit]] == codes


def test_a_distinct_relation_read_has_an_item_per_node_with_its_relationships(store: GraphStore) -> None:
    """Over the contract seed: SJTU offers 080901 (2023, 2024) and 0854 (2024); SHU 080901 (2023).
    Each discipline comes once, its `rel` the list of its OFFERS by year; totals count nodes."""
    seed(store)
    schools = RelationRead("OFFERS", Direction.IN, None, 0, 5, True, (), distinct=True)
    for counted in (True, False):
        offers = RelationRead("OFFERS", Direction.OUT, None, 0, 1, counted, (schools,), distinct=True)
        total, items = store.read_tree(TreeRead("School", Compare("code", Op.EQ, SJTU), (), 0, 1, False, (offers,)))
        assert total is None and len(items) == 1
        found, related = items[0][2][0]
        assert found == (2 if counted else None)
        # one item more than the limit: 0854 tells that another page follows
        assert [(item[1]["code"], [rel["year"] for rel in item[0]]) for item in related] == [("080901", [2023, 2024]), ("0854", [2024])]
        offered_by, by_school = related[0][2][0]
        assert offered_by == 2
        assert [(item[1]["code"], [rel["year"] for rel in item[0]]) for item in by_school] == [(SJTU, [2023, 2024]), (SHU, [2023])]
    only_count = RelationRead("OFFERS", Direction.OUT, Compare("year", Op.EQ, 2024), 0, None, True, distinct=True)
    _, items = store.read_tree(TreeRead("School", Compare("code", Op.EQ, SJTU), (), 0, 1, False, (only_count,)))
    assert items[0][2][0] == [2, []]


def test_a_read_returns_exactly_the_properties_it_names(store: GraphStore) -> None:
    """`fields` and `rel_fields` (graph.trees): the named keys only, None where a node lacks one,
    `rel_fields=()` leaves `rel` None; distinct reads keep one projected row per relationship."""
    seed(store)
    discipline_fields = ("code", "major_class")  # the seed's disciplines have no major class
    plain = RelationRead("OFFERS", Direction.OUT, None, 0, 5, True, (), fields=discipline_fields, rel_fields=("year",))
    bare = RelationRead("OFFERS", Direction.OUT, None, 0, 5, False, (), fields=(), rel_fields=())
    rows = RelationRead("OFFERS", Direction.OUT, None, 0, 5, True, (), distinct=True, fields=("code",), rel_fields=("year",))
    nodes_only = RelationRead("OFFERS", Direction.OUT, None, 0, 5, False, (), distinct=True, fields=("name",), rel_fields=())
    tree = TreeRead("School", Compare("code", Op.EQ, SJTU), (), 0, 1, False, (plain, bare, rows, nodes_only), fields=("name",))
    _, items = store.read_tree(tree)
    school = items[0]
    assert school[1] == {"name": "上海交通大学"}
    by_relationship, unnamed, by_node, named = (block[1] for block in school[2])
    assert [item[:2] for item in by_relationship] == [
        [{"year": 2023}, {"code": "080901", "major_class": None}],
        [{"year": 2024}, {"code": "080901", "major_class": None}],
        [{"year": 2024}, {"code": "0854", "major_class": None}]]
    assert [item[:2] for item in unnamed] == [[None, {}]] * 3
    assert [item[:2] for item in by_node] == [[[{"year": 2023}, {"year": 2024}], {"code": "080901"}], [[{"year": 2024}], {"code": "0854"}]]
    assert [item[0] for item in named] == [None, None]
    assert all(set(item[1]) == {"name"} and item[1]["name"] for item in named)
