"""Partner networks, connection paths and subgraph selections on both stores.

The graph (ties drawn; every school and enterprise is also LOCATED_IN a district):

    C1a ─PART_OF→ C1          E1 (C1, 310110)   E2 (C1a, 310115)   E3 (C2, 310110)
    S1 (310110) ─COOPERATES_WITH→ E1      S2 (310115) ─COOPERATES_WITH→ E2, E3
    M1 ─EMPLOYED_BY→ E1, M1 ─MENTORS_AT→ S2      S1, E3 ─MEMBER_OF→ A1
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import pytest

from graph.neo4j.cypher.projection import Query, subgraph_query
from graph.neo4j.projection import Neo4jProjection
from graph.neo4j.store import Neo4jStore
from graph.projection import TIE_TYPES, Selection
from graph.records import NodeRef
from graph.store import GraphStore
from queries.network import connection_paths, partner_network
from tests.network_graphs import (
    add_nodes,
    add_rels,
    alliance,
    chain,
    discipline,
    district,
    enterprise,
    link,
    mentor,
    nid,
    school,
)

T = TypeVar("T")
S1, S2, E1, E2, E3 = school(1), school(2), enterprise(1), enterprise(2), enterprise(3)
C1, C1A, C2, M1, A1 = chain("C1"), chain("C1a"), chain("C2"), mentor(1), alliance(1)
D10, D15 = district(10), district(15)


@pytest.fixture
def ecosystem(store: GraphStore) -> GraphStore:
    add_nodes(store, S1, S2, E1, E2, E3, C1, C1A, C2, M1, A1, D10, D15)
    add_rels(
        store,
        link("PART_OF", C1A, C1),
        link("IN_CHAIN", E1, C1), link("IN_CHAIN", E2, C1A), link("IN_CHAIN", E3, C2),
        *(link("LOCATED_IN", ref, D10) for ref in (S1, E1, E3)),
        *(link("LOCATED_IN", ref, D15) for ref in (S2, E2)),
        link("COOPERATES_WITH", S1, E1, since=2019, kinds=["internship"]),
        link("COOPERATES_WITH", S2, E2), link("COOPERATES_WITH", S2, E3),
        link("EMPLOYED_BY", M1, E1), link("MENTORS_AT", M1, S2),
        link("MEMBER_OF", S1, A1, role="lead"), link("MEMBER_OF", E3, A1, role="member"),
    )
    return store


def ids(*refs: NodeRef) -> set[str]:
    return {nid(ref) for ref in refs}


def edge_set(graph: object) -> set[tuple[str, str, str]]:
    return {(u, key, v) for u, v, key in graph.edges(keys=True)}  # type: ignore[attr-defined]


def test_partner_network_follows_ties_level_by_level(ecosystem: GraphStore) -> None:
    network = partner_network(ecosystem, S2, depth=2)
    hops = {node.id: node.hops for node in network.nodes}
    assert hops == {
        nid(S2): 0, nid(E2): 1, nid(E3): 1, nid(M1): 1,
        nid(C1A): 2, nid(C2): 2, nid(A1): 2, nid(E1): 2,
    }
    assert {(edge.source, edge.type, edge.target) for edge in network.edges} == {
        (nid(S2), "COOPERATES_WITH", nid(E2)), (nid(S2), "COOPERATES_WITH", nid(E3)),
        (nid(M1), "MENTORS_AT", nid(S2)), (nid(E2), "IN_CHAIN", nid(C1A)),
        (nid(E3), "IN_CHAIN", nid(C2)), (nid(E3), "MEMBER_OF", nid(A1)), (nid(M1), "EMPLOYED_BY", nid(E1)),
    }
    assert not network.truncated
    assert network.nodes[0].id == nid(S2) and network.nodes[0].name == f"School {S2.key}"


def test_partner_network_is_cut_in_label_and_key_order(ecosystem: GraphStore) -> None:
    network = partner_network(ecosystem, S2, depth=2, first=5)
    # Level 1 (E2, E3, M1) fits; of level 2, Alliance sorts before Enterprise and IndustryChain.
    assert [node.id for node in network.nodes] == [nid(S2), nid(E2), nid(E3), nid(M1), nid(A1)]
    assert len(network.edges) == 4 and network.truncated


def test_partner_network_filters_relationship_kinds(ecosystem: GraphStore) -> None:
    network = partner_network(ecosystem, S1, depth=2, rel_types=["LOCATED_IN"])
    assert {node.id for node in network.nodes} == ids(S1, D10, E1, E3)
    assert {edge.type for edge in network.edges} == {"LOCATED_IN"}


def test_partner_network_bad_input(ecosystem: GraphStore) -> None:
    with pytest.raises(KeyError, match="no School has key '3131099999'"):
        partner_network(ecosystem, school(99999))
    with pytest.raises(ValueError, match="depth must be between 1 and 4, not 9"):
        partner_network(ecosystem, S1, depth=9)
    with pytest.raises(ValueError, match="unknown relationship kind 'KNOWS'"):
        partner_network(ecosystem, S1, rel_types=["KNOWS"])


def test_connection_paths_are_the_shortest(ecosystem: GraphStore) -> None:
    found = connection_paths(ecosystem, S1, S2)
    assert found.length == 3
    assert [path.nodes for path in found.paths] == [
        [nid(S1), nid(A1), nid(E3), nid(S2)],  # Alliance sorts before Enterprise
        [nid(S1), nid(E1), nid(M1), nid(S2)],
    ]
    assert found.paths[0].edges == [
        f"{nid(S1)}|MEMBER_OF|{nid(A1)}", f"{nid(E3)}|MEMBER_OF|{nid(A1)}", f"{nid(S2)}|COOPERATES_WITH|{nid(E3)}",
    ]
    assert len(found.network.nodes) == 6 and len(found.network.edges) == 6
    assert [path.nodes for path in connection_paths(ecosystem, S1, S2, first=1).paths] == [found.paths[0].nodes]


def test_connection_paths_bounds_and_kinds(ecosystem: GraphStore) -> None:
    none = connection_paths(ecosystem, S1, S2, max_length=2)
    assert (none.length, none.paths) == (None, [])
    by_place = connection_paths(ecosystem, S1, E3, rel_types=["LOCATED_IN"])
    assert [path.nodes for path in by_place.paths] == [[nid(S1), nid(D10), nid(E3)]]
    assert connection_paths(ecosystem, S1, S1).length == 0
    with pytest.raises(KeyError):
        connection_paths(ecosystem, S1, enterprise(77))


def test_parallel_relationships_make_one_path(store: GraphStore) -> None:
    d1 = discipline(1)
    add_nodes(store, S1, E1, d1)
    add_rels(
        store,
        link("OFFERS", S1, d1, {"year": 2023}, graduates=5), link("OFFERS", S1, d1, {"year": 2024}, graduates=7),
        link("DEMANDS", E1, d1, {"year": 2024}, openings=3),
    )
    found = connection_paths(store, S1, E1)
    assert [path.nodes for path in found.paths] == [[nid(S1), nid(d1), nid(E1)]]
    assert sorted(found.paths[0].edges) == sorted([
        f"{nid(S1)}|OFFERS:2023|{nid(d1)}", f"{nid(S1)}|OFFERS:2024|{nid(d1)}", f"{nid(E1)}|DEMANDS:2024|{nid(d1)}",
    ])


def test_chain_selection_takes_the_subtree_and_neighbours(ecosystem: GraphStore) -> None:
    graph = ecosystem.projection().subgraph(Selection.of(chain="C1"))
    assert set(graph) == ids(E1, E2, C1, C1A, D10, D15, S1, M1, S2)
    assert graph.number_of_edges() == 11  # every relationship among them; S2→E3 and A1 stay out
    assert graph.nodes[nid(E1)]["properties"]["name"] == f"Enterprise {E1.key}"
    edge = graph.edges[nid(S1), nid(E1), "COOPERATES_WITH"]
    assert edge == {"type": "COOPERATES_WITH", "properties": {
        "since": 2019, "kinds": ["internship"], "source": "tests", "loaded_at": "2025-01-01T00:00:00Z", "synthetic": False,
    }}


def test_chain_and_district_selection(ecosystem: GraphStore) -> None:
    graph = ecosystem.projection().subgraph(Selection.of(chain="C1", districts=["310110"]))
    assert set(graph) == ids(E1, C1, D10, S1, M1)
    assert edge_set(graph) == {
        (nid(E1), "IN_CHAIN", nid(C1)), (nid(E1), "LOCATED_IN", nid(D10)), (nid(S1), "LOCATED_IN", nid(D10)),
        (nid(S1), "COOPERATES_WITH", nid(E1)), (nid(M1), "EMPLOYED_BY", nid(E1)),
    }
    with pytest.raises(ValueError, match="no industry chain has code 'C9'"):
        ecosystem.projection().subgraph(Selection.of(chain="C9"))


def test_labels_relationships_and_districts(ecosystem: GraphStore) -> None:
    projection = ecosystem.projection()
    graph = projection.subgraph(Selection.of(labels=["School", "Enterprise"], districts=["310110"]))
    assert set(graph) == ids(S1, E1, E3)
    assert edge_set(graph) == {(nid(S1), "COOPERATES_WITH", nid(E1))}
    members = projection.subgraph(Selection.of(rel_types=["MEMBER_OF"]))
    assert members.number_of_nodes() == 12 and edge_set(members) == {
        (nid(S1), "MEMBER_OF", nid(A1)), (nid(E3), "MEMBER_OF", nid(A1)),
    }


def test_subgraph_cypher_is_one_parameterised_union() -> None:
    query, params = subgraph_query(Selection.of(labels=["School", "Discipline"], rel_types=["OFFERS"], districts=["310110"]))
    in_district = "WHERE EXISTS { (n)-[:LOCATED_IN]->(place:District) WHERE place.code IN $districts }\n"
    no_rel = "null AS type, null AS target_label, null AS target_key"
    assert query == (
        "MATCH (n:Discipline)\n"
        f"RETURN 'Discipline' AS label, n.code AS key, properties(n) AS props, {no_rel}\n"
        "UNION ALL\n"
        f"MATCH (n:School)\n{in_district}"
        f"RETURN 'School' AS label, n.code AS key, properties(n) AS props, {no_rel}\n"
        "UNION ALL\n"
        f"MATCH (n:School)-[r:OFFERS]->(m:Discipline)\n{in_district}"
        "RETURN 'School' AS label, n.code AS key, properties(r) AS props, "
        "'OFFERS' AS type, 'Discipline' AS target_label, m.code AS target_key"
    )
    assert params == {"districts": ["310110"]}


class CountingProjection(Neo4jProjection):
    """The Neo4j projection, counting its reads (each one transaction, one round trip)."""

    reads = 0

    def _read(self, query: Query, consume: Callable[[Iterable[Any]], T]) -> T:
        self.reads += 1
        return super()._read(query, consume)


def test_neo4j_projects_a_subgraph_in_one_read(ecosystem: GraphStore) -> None:
    graph = ecosystem.projection().subgraph(Selection.of())
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (12, 16)
    if not isinstance(ecosystem, Neo4jStore):
        return
    projection = CountingProjection(ecosystem)
    projection.subgraph(Selection.of())
    assert projection.reads == 1
    projection.subgraph(Selection.of(chain="C1"))
    assert projection.reads == 2  # plus one lookup that the chain exists, through the store
    projection.neighbourhood(S2, 2, TIE_TYPES, 100)
    assert projection.reads == 2 + 4  # the center, one per level, and the members
