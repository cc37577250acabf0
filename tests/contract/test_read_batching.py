"""Reads that the stores answer in fewer round trips must answer exactly as the plain calls do:
`neighbour_batch` (a whole level of a GraphQL query at once) and the totals of filtered pages
(which the Neo4j store may take from the page itself instead of counting).

The seed is the contract suite's (`tests/contract/test_store_contract.py`); every expected
value below is worked out by hand from it.
"""

from __future__ import annotations

import pytest

from graph.filters import Compare, Op, Related
from graph.records import Direction, Neighbour, NodeRef
from graph.store import GraphStore, NeighbourRead
from tests.contract.test_store_contract import E1, SAC, SHU, SJTU, discipline, school, seed

IC = NodeRef("IndustryChain", "IC")


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    seed(store)
    return store


def test_a_batch_answers_each_read_as_its_single_call(seeded: GraphStore) -> None:
    refs = (school(SJTU), school(SHU), school(SAC))
    pages = [
        NeighbourRead(refs, "OFFERS", Direction.OUT, limit=2),
        NeighbourRead(refs[:1], "OFFERS", Direction.OUT, offset=1, limit=1),
        NeighbourRead((IC,), "SERVES", Direction.IN),
    ]
    counts = [
        NeighbourRead(refs, "OFFERS", Direction.OUT, Compare("year", Op.EQ, 2024)),
        NeighbourRead((NodeRef("Enterprise", E1),), "COOPERATES_WITH", Direction.IN),
    ]
    found_pages, found_counts = seeded.neighbour_batch(pages, counts)
    first, second, served = found_pages
    assert {ref: [(n.node.key, n.rel.props["year"]) for n in first[ref]] for ref in refs} == {
        school(SJTU): [("080901", 2023), ("080901", 2024)], school(SHU): [("080901", 2023)], school(SAC): []}
    assert [(n.node.key, n.rel.props["year"]) for n in second[school(SJTU)]] == [("080901", 2024)]
    assert (second[school(SJTU)][0].rel.source, second[school(SJTU)][0].rel.target) == (school(SJTU), discipline("080901"))
    assert [n.node.ref for n in served[IC]] == [NodeRef("Alliance", "AL-1"), NodeRef("Base", "BASE-1")]
    assert found_counts == [{school(SJTU): 2, school(SHU): 0, school(SAC): 0}, {NodeRef("Enterprise", E1): 2}]


def test_a_read_over_refs_of_several_labels(seeded: GraphStore) -> None:
    # Alliances and bases serve chains; a school cannot, so it has none rather than failing.
    refs = (NodeRef("Alliance", "AL-1"), NodeRef("Base", "BASE-1"), school(SJTU), NodeRef("Alliance", "AL-3"))
    (found,), (counted,) = seeded.neighbour_batch(
        [NeighbourRead(refs, "SERVES", Direction.OUT)], [NeighbourRead(refs, "SERVES", Direction.OUT)])
    assert {ref: [n.node.ref for n in found[ref]] for ref in refs} == {
        refs[0]: [IC], refs[1]: [IC], refs[2]: [], refs[3]: []}
    assert counted == {refs[0]: 1, refs[1]: 1, refs[2]: 0, refs[3]: 0}


def test_empty_batches_and_reads(seeded: GraphStore) -> None:
    assert seeded.neighbour_batch([], []) == ([], [])
    empty = NeighbourRead((), "OFFERS", Direction.OUT)
    assert seeded.neighbour_batch([empty], [empty]) == ([{}], [{}])


@pytest.mark.parametrize(("read", "message"), [
    (NeighbourRead((IC,), "OFFERS", Direction.OUT, Related("TEACHES", Direction.IN, "Course")),
     "a relationship filter cannot follow relationships"),
    (NeighbourRead((school(SJTU),), "TAUGHT", Direction.OUT), "unknown relationship kind 'TAUGHT'"),
    (NeighbourRead((school(SJTU),), "OFFERS", Direction.OUT, limit=-1), "offset and limit must be 0 or more"),
])
def test_a_bad_read_fails_the_batch(seeded: GraphStore, read: NeighbourRead, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        seeded.neighbour_batch([NeighbourRead((school(SHU),), "OFFERS", Direction.OUT), read], [])


@pytest.mark.parametrize(("offset", "limit", "expected", "has_next"), [
    (0, 5, [SJTU, SHU], False),  # a first page that is not full
    (1, 5, [SHU], False),  # past the start, not full
    (0, 1, [SJTU], True),  # full: counted
    (0, 0, [], True),
    (2, 2, [], False),  # empty past the end: counted
    (0, None, [SJTU, SHU], False),
])
def test_filtered_pages_report_the_total_of_every_match(
    seeded: GraphStore, offset: int, limit: int | None, expected: list[str], has_next: bool
) -> None:
    offered_2023 = Related("OFFERS", Direction.OUT, "Discipline", rel_where=Compare("year", Op.EQ, 2023))
    page = seeded.find_nodes("School", offered_2023, offset=offset, limit=limit)
    assert ([node.key for node in page.nodes], page.total_count, page.has_next) == (expected, 2, has_next)


def test_nested_some_and_none_filters(seeded: GraphStore) -> None:
    in_xuhui = Related("LOCATED_IN", Direction.OUT, "District", where=Compare("code", Op.EQ, "310104"))
    assert [n.key for n in seeded.find_nodes("Discipline", Related("OFFERS", Direction.IN, "School", where=in_xuhui)).nodes] == [
        "080901", "0854"]
    nowhere = Related("LOCATED_IN", Direction.OUT, "District", none=True)
    assert seeded.find_nodes("Discipline", Related("OFFERS", Direction.IN, "School", where=nowhere)).nodes == []
    anywhere = Related("OFFERS", Direction.IN, "School", where=Related("LOCATED_IN", Direction.OUT, "District"))
    assert seeded.count_nodes("Discipline", anywhere) == 4
    assert seeded.count_nodes("Discipline", Related("OFFERS", Direction.IN, "School", where=nowhere, none=True)) == 4


@pytest.mark.parametrize("rest_first", [False, True])
def test_a_filtered_page_and_count_of_the_same_relationships(seeded: GraphStore, rest_first: bool) -> None:
    # The Neo4j store answers a count with the first page of the same relationships, from one
    # expansion (with a window, or to the end); the answers must not change.
    refs = (school(SJTU), school(SHU), school(SAC))
    in_2024 = Compare("year", Op.EQ, 2024)
    first, rest = NeighbourRead(refs, "OFFERS", Direction.OUT, in_2024, 0, 1), NeighbourRead(refs, "OFFERS", Direction.OUT, in_2024, 1)
    pages, (counted,) = seeded.neighbour_batch([rest, first] if rest_first else [first, rest],
                                               [NeighbourRead(refs, "OFFERS", Direction.OUT, in_2024)])
    found_first, found_rest = (pages[1], pages[0]) if rest_first else (pages[0], pages[1])
    assert {ref: [n.node.key for n in found_first[ref]] for ref in refs} == {school(SJTU): ["080901"], school(SHU): [], school(SAC): []}
    assert {ref: [n.node.key for n in found_rest[ref]] for ref in refs} == {school(SJTU): ["0854"], school(SHU): [], school(SAC): []}
    assert counted == {school(SJTU): 2, school(SHU): 0, school(SAC): 0}
    assert [n.rel.props["year"] for n in found_rest[school(SJTU)]] == [2024]


def _years(found: list[Neighbour]) -> list[tuple[str, int]]:
    return [(n.node.key, n.rel.props["year"]) for n in found]


def test_a_distinct_read_pages_and_counts_nodes_with_all_their_relationships(seeded: GraphStore) -> None:
    """SJTU offers 080901 in 2023 and 2024 and 0854 in 2024; SHU offers 080901 in 2023."""
    refs, cs = (school(SJTU), school(SHU), school(SAC)), discipline("080901")
    in_2024 = Compare("year", Op.EQ, 2024)
    pages = [
        NeighbourRead(refs, "OFFERS", Direction.OUT, limit=1, distinct=True),
        NeighbourRead(refs[:1], "OFFERS", Direction.OUT, offset=1, limit=1, distinct=True),
        NeighbourRead((cs,), "OFFERS", Direction.IN, Compare("year", Op.GTE, 2023), distinct=True),
        NeighbourRead(refs[:1], "OFFERS", Direction.OUT, in_2024, limit=5, distinct=True),
    ]
    counts = [
        NeighbourRead(refs, "OFFERS", Direction.OUT, distinct=True),
        NeighbourRead(refs[:1], "OFFERS", Direction.OUT, in_2024, distinct=True),  # joins the last page on Neo4j
        NeighbourRead((cs,), "OFFERS", Direction.IN, distinct=True),
        NeighbourRead((cs,), "OFFERS", Direction.IN),  # relationships, as before
    ]
    (first, second, schools, of_2024), found_counts = seeded.neighbour_batch(pages, counts)
    assert {ref: _years(first[ref]) for ref in refs} == {
        school(SJTU): [("080901", 2023), ("080901", 2024)], school(SHU): [("080901", 2023)], school(SAC): []}
    assert _years(second[school(SJTU)]) == [("0854", 2024)]
    assert _years(schools[cs]) == [(SJTU, 2023), (SJTU, 2024), (SHU, 2023)]
    assert _years(of_2024[school(SJTU)]) == [("080901", 2024), ("0854", 2024)]
    assert found_counts == [{school(SJTU): 2, school(SHU): 1, school(SAC): 0}, {school(SJTU): 2}, {cs: 2}, {cs: 3}]
