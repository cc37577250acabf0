"""Analyses with known answers on both stores, and the fast engines against networkx."""

from __future__ import annotations

import math
import random

import leidenalg
import networkx as nx
import numpy as np
import pytest

from graph.projection import Selection
from graph.store import GraphStore
from queries import algorithms, analytics
from queries.analysis_graph import analysis_graph
from tests.network_graphs import (
    add_nodes,
    add_rels,
    alliance,
    discipline,
    enterprise,
    link,
    nid,
    school,
    star,
    two_cliques,
)

ALL = Selection.of()


@pytest.mark.parametrize("measure", ["degree", "betweenness", "pagerank"])
def test_star_hub_has_top_centrality(store: GraphStore, measure: str) -> None:
    hub = star(store, leaves=5)
    ranking = analytics.centrality(store, ALL, measure, first=6)
    assert ranking.rows[0].node.id == nid(hub)
    assert ranking.rows[0].score > ranking.rows[1].score
    # Hand-computed: the hub touches all 5 others (degree 5/5) and sits on all 10 leaf pairs' paths.
    if measure in ("degree", "betweenness"):
        assert ranking.rows[0].score == pytest.approx(1.0)
        assert ranking.rows[1].score == pytest.approx(0.2 if measure == "degree" else 0.0)


def test_two_cliques_give_two_communities(store: GraphStore) -> None:
    first, second = two_cliques(store)
    for method in ("louvain", "leiden"):
        found = analytics.communities(store, ALL, method)
        assert found.count == 2
        assert [{node.id for node in c.members} for c in found.communities] == [
            {nid(ref) for ref in first},
            {nid(ref) for ref in second},
        ]
        # 13 edges; each clique has 6 inside and degree sum 13: Q = 2·(6/13 − (13/26)²).
        assert found.modularity == pytest.approx(2 * (6 / 13 - 0.25))


def test_bridge_endpoints_have_top_betweenness(store: GraphStore) -> None:
    two_cliques(store)
    ranking = analytics.centrality(store, ALL, "betweenness", first=3)
    # 12 pairs cross the bridge through each endpoint: 12 / (7·6/2) = 4/7; nobody else is between.
    assert {row.node.id for row in ranking.rows[:2]} == {nid(school(1)), nid(enterprise(2))}
    assert [row.score for row in ranking.rows] == pytest.approx([4 / 7, 4 / 7, 0.0])


def partner_graph(store: GraphStore) -> None:
    """S1 offers D1–D3 and is in A1; E1 demands D1, D2 and is in A1; E2 demands D3; E3 demands
    D1, D2; S2 offers D1 and already cooperates with E1."""
    s1, s2, e1, e2, e3 = school(1), school(2), enterprise(1), enterprise(2), enterprise(3)
    d1, d2, d3, a1 = discipline(1), discipline(2), discipline(3), alliance(1)
    add_nodes(store, s1, s2, e1, e2, e3, d1, d2, d3, a1)
    year = {"year": 2024}
    add_rels(
        store,
        *(link("OFFERS", s1, d, year, graduates=20) for d in (d1, d2, d3)),
        link("OFFERS", s2, d1, year, graduates=20),
        *(link("DEMANDS", e1, d, year, openings=5) for d in (d1, d2)),
        link("DEMANDS", e2, d3, year, openings=5),
        *(link("DEMANDS", e3, d, year, openings=5) for d in (d1, d2)),
        link("MEMBER_OF", s1, a1, role="lead"),
        link("MEMBER_OF", e1, a1, role="member"),
        link("COOPERATES_WITH", s2, e1, since=2020),
    )


def test_link_prediction_ranks_most_shared_first(store: GraphStore) -> None:
    partner_graph(store)
    pair = lambda row: (row.source.id, row.target.id)  # noqa: E731
    common = analytics.link_prediction(store, ALL, "common_neighbours")
    # S2–E1 share D1 but already cooperate, so they are not a candidate.
    assert [(pair(row), row.score) for row in common.rows] == [
        ((nid(school(1)), nid(enterprise(1))), 3),
        ((nid(school(1)), nid(enterprise(3))), 2),
        ((nid(school(1)), nid(enterprise(2))), 1),
        ((nid(school(2)), nid(enterprise(3))), 1),
    ]
    # Degrees of the shared neighbours: D1 4, D2 3, D3 2, A1 2.
    adamic = analytics.link_prediction(store, ALL, "adamic_adar", first=1)
    assert pair(adamic.rows[0]) == (nid(school(1)), nid(enterprise(1)))
    assert adamic.rows[0].score == pytest.approx(1 / math.log(4) + 1 / math.log(3) + 1 / math.log(2))
    assert adamic.rows[0].shared == 3
    allocation = analytics.link_prediction(store, ALL, "resource_allocation", first=1)
    assert allocation.rows[0].score == pytest.approx(1 / 4 + 1 / 3 + 1 / 2)


def test_projection_weights_shared_disciplines_and_alliances(store: GraphStore) -> None:
    partner_graph(store)
    found = analytics.school_enterprise_projection(store, ALL, first=3)
    rows = [(row.source.id, row.target.id, row.score, row.parts) for row in found.rows]
    assert rows == [
        (nid(school(1)), nid(enterprise(1)), 3, {"disciplines": 2, "alliances": 1}),
        (nid(school(1)), nid(enterprise(3)), 2, {"disciplines": 2, "alliances": 0}),
        (nid(school(1)), nid(enterprise(2)), 1, {"disciplines": 1, "alliances": 0}),
    ]


def test_similarity_and_k_core(store: GraphStore) -> None:
    partner_graph(store)
    # E3's neighbours {D1, D2}; E1's {D1, D2, A1, S2}: 2 shared of 4.
    similar = analytics.similarity(store, ALL, node=enterprise(3))
    assert (similar.rows[0].target.id, similar.rows[0].score) == (nid(enterprise(1)), pytest.approx(0.5))
    core = analytics.k_core(store, ALL)
    # Peeling E2 then D3 leaves everyone with ≥ 2 neighbours; peeling S2, E3, A1 from that
    # leaves nobody with 3, so the 2-core is the 7 nodes left and there is no 3-core.
    assert core.max_core == 2
    assert {row.node.id for row in core.rows} == {
        nid(school(1)), nid(enterprise(1)), nid(enterprise(3)), nid(discipline(1)), nid(discipline(2)),
        nid(school(2)), nid(alliance(1)),
    }


def test_results_are_cached_until_the_data_changes(store: GraphStore) -> None:
    star(store, leaves=3)
    first = analytics.centrality(store, ALL, "pagerank")
    again = analytics.centrality(store, ALL, "pagerank")
    assert (first.computed.cached, again.computed.cached) == (False, True)
    assert again.computed.computed_at == first.computed.computed_at
    assert again.computed.data_version == store.data_version()
    add_nodes(store, enterprise(9))
    fresh = analytics.centrality(store, ALL, "pagerank")
    assert not fresh.computed.cached
    assert fresh.computed.data_version != first.computed.data_version
    assert fresh.computed.nodes == 5


def test_selection_narrows_the_analysis(store: GraphStore) -> None:
    partner_graph(store)
    only_schools = Selection.of(labels=["School", "Discipline"])
    ranking = analytics.centrality(store, only_schools, "degree", first=10)
    assert {row.node.label for row in ranking.rows} == {"School", "Discipline"}
    assert ranking.computed.nodes == 5 and ranking.computed.relationships == 4


def test_bad_arguments_say_what_is_wrong(store: GraphStore) -> None:
    with pytest.raises(ValueError, match="unknown centrality 'fame'"):
        analytics.centrality(store, ALL, "fame")
    with pytest.raises(ValueError, match="unknown node kind 'Shcool'"):
        Selection.of(labels=["Shcool"])
    with pytest.raises(ValueError, match="unknown relationship kind"):
        Selection.of(rel_types=["LIKES"])


# -- the engines against networkx on small graphs (no store needed) ---------------------------


def random_projection(seed: int, n: int = 30, p: float = 0.15) -> tuple[nx.MultiDiGraph, nx.Graph]:
    """A random graph as a projection (alternating School/Enterprise labels) and as nx.Graph."""
    simple = nx.gnp_random_graph(n, p, seed=seed)
    labels = {i: "School" if i % 2 else "Enterprise" for i in simple}
    ids = {i: f"{labels[i]}:{i:04d}" for i in simple}
    projection = nx.MultiDiGraph()
    for i in simple:
        projection.add_node(ids[i], label=labels[i], key=f"{i:04d}", properties={"name": str(i)})
    for u, v in simple.edges():
        projection.add_edge(ids[u], ids[v], key="X", type="COOPERATES_WITH", properties={})
        projection.add_edge(ids[u], ids[v], key="Y", type="MEMBER_OF", properties={})  # parallel: one tie
    return projection, nx.relabel_nodes(simple, ids)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_centrality_equals_networkx(seed: int) -> None:
    projection, simple = random_projection(seed)
    graph = analysis_graph(projection)
    expected = {
        "degree": nx.degree_centrality(simple),
        "betweenness": nx.betweenness_centrality(simple),
        "pagerank": nx.pagerank(simple, tol=1e-12),
        "kcore": nx.core_number(simple),
    }
    computed = {
        "degree": algorithms.degree(graph),
        "betweenness": algorithms.betweenness(graph),
        "pagerank": algorithms.pagerank(graph),
        "kcore": algorithms.k_core(graph),
    }
    for name, values in expected.items():
        assert computed[name] == pytest.approx([values[i] for i in graph.ids], abs=1e-9), name


def test_sampled_betweenness_equals_networkx_subset() -> None:
    projection, simple = random_projection(6, n=40)
    graph = analysis_graph(projection)
    sources = random.Random(0).sample(range(graph.size), 10)
    # The sum over 10 sources of all-target dependencies, scaled by n / 10, then normalised.
    subset = nx.betweenness_centrality_subset(simple, [graph.ids[i] for i in sources], list(simple), normalized=False)
    scale = 40 / 10 * 2 / (39 * 38)
    assert algorithms.betweenness(graph, sample=10, seed=0) == pytest.approx([subset[i] * scale for i in graph.ids])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_link_scores_equal_networkx(seed: int) -> None:
    projection, simple = random_projection(seed)
    graph = analysis_graph(projection)
    schools = [i for i in graph.ids if i.startswith("School")]
    enterprises = [i for i in graph.ids if i.startswith("Enterprise")]
    pairs = [(s, e) for s in schools for e in enterprises if not simple.has_edge(s, e)]
    functions = {
        "adamic_adar": nx.adamic_adar_index,
        "resource_allocation": nx.resource_allocation_index,
        "common_neighbours": lambda g, ebunch: ((u, v, len(list(nx.common_neighbors(g, u, v)))) for u, v in ebunch),
    }
    for method, function in functions.items():
        expected = {(u, v): score for u, v, score in function(simple, pairs) if score > 0}
        found = algorithms.link_scores(graph, method, ("School", "Enterprise"), len(pairs))
        got = {(graph.ids[i], graph.ids[j]): score for i, j, score in zip(found.source, found.target, found.score, strict=True)}
        assert got.keys() == expected.keys(), method
        assert [got[key] for key in expected] == pytest.approx(list(expected.values())), method


@pytest.mark.parametrize("seed", [1, 2])
def test_jaccard_equals_networkx(seed: int) -> None:
    projection, simple = random_projection(seed)
    graph = analysis_graph(projection)
    schools = graph.of_label("School")
    found = algorithms.jaccard_scores(graph, schools, schools, 10_000)
    got = {(graph.ids[i], graph.ids[j]): score for i, j, score in zip(found.source, found.target, found.score, strict=True)}
    ids = [graph.ids[i] for i in schools]
    pairs = [(u, v) for k, u in enumerate(ids) for v in ids[k + 1:]]
    expected = {(u, v): score for u, v, score in nx.jaccard_coefficient(simple, pairs) if score > 0}
    assert got.keys() == expected.keys()
    assert [got[key] for key in expected] == pytest.approx(list(expected.values()))


def test_projection_equals_networkx_weighted_projection() -> None:
    rng = random.Random(4)
    actors = [f"School:{i}" for i in range(8)] + [f"Enterprise:{i}" for i in range(8)]
    middles = [f"Discipline:{i}" for i in range(6)] + [f"Alliance:{i}" for i in range(3)]
    bipartite = nx.Graph()
    bipartite.add_nodes_from(actors + middles)
    bipartite.add_edges_from((a, m) for a in actors for m in middles if rng.random() < 0.3)
    projection = nx.MultiDiGraph()
    for node in bipartite:
        projection.add_node(node, label=node.split(":")[0], key=node, properties={})
    for actor, middle in bipartite.edges():
        actor, middle = (actor, middle) if actor in actors else (middle, actor)
        rel_type = "MEMBER_OF" if middle.startswith("Alliance") else "OFFERS" if actor.startswith("School") else "DEMANDS"
        projection.add_edge(actor, middle, key=rel_type, type=rel_type, properties={})
    graph = analysis_graph(projection)
    best, _ = algorithms.projection_scores(graph, ("School", "Enterprise"), 10_000)
    got = {(graph.ids[i], graph.ids[j]): w for i, j, w in zip(best.source, best.target, best.score, strict=True)}
    expected = nx.bipartite.weighted_projected_graph(bipartite, actors)
    want = {
        (u, v) if u.startswith("School") else (v, u): data["weight"]
        for u, v, data in expected.edges(data=True)
        if {u.split(":")[0], v.split(":")[0]} == {"School", "Enterprise"}
    }
    assert got == want and len(want) > 10


@pytest.mark.parametrize("method", ["louvain", "leiden"])
def test_community_modularity_equals_networkx(method: str) -> None:
    projection, simple = random_projection(5, n=60, p=0.08)
    graph = analysis_graph(projection)
    partition = algorithms.louvain(graph) if method == "louvain" else algorithms.leiden(graph)
    groups: dict[int, set[str]] = {}
    for index, community in enumerate(partition.membership):
        groups.setdefault(int(community), set()).add(graph.ids[index])
    assert partition.modularity == pytest.approx(nx.community.modularity(simple, groups.values()))
    # networkx's own Louvain finds a partition of about the same quality.
    reference = nx.community.modularity(simple, nx.community.louvain_communities(simple, seed=1))
    assert partition.modularity >= reference - 0.02
    # …and so does leidenalg, the reference Leiden implementation.
    leiden_reference = leidenalg.find_partition(graph.graph, leidenalg.ModularityVertexPartition, seed=1)
    assert partition.modularity >= leiden_reference.modularity - 0.02
    assert list(np.bincount(partition.membership)) == sorted(np.bincount(partition.membership), reverse=True)
