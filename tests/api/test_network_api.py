"""`partnerNetwork`, `connectionPaths`, `analytics` and `GET /export` over HTTP, on both stores,
against the hand-written dataset of `tests/api/dataset.py`."""

from __future__ import annotations

import io

import httpx
import networkx as nx
import pytest

from api.app import create_app
from chanjiao.settings import Settings
from graph.store import GraphStore
from tests.api.conftest import Api, ServerThread, free_port, global_id
from tests.api.dataset import FUDAN, SEIT, SJTU, SMIC, USST

NETWORK = """query($center: ID!, $depth: Int, $first: Int, $rels: [String!]) {
  partnerNetwork(center: $center, depth: $depth, first: $first, relationships: $rels) {
    truncated nodes { id kind key name hops node { id } } edges { id source target type properties } } }"""


def test_partner_network_of_an_enterprise(api: Api) -> None:
    found = api.query(NETWORK, {"center": global_id("Enterprise", SMIC), "depth": 1})["partnerNetwork"]
    # Ties of SMIC: IN_CHAIN IC, DEMANDS 080704 and 080901, EMPLOYED_BY M001 and M002, MEMBER_OF A-IC
    # (its district is geography, not a tie).
    assert [(n["kind"], n["key"], n["hops"]) for n in found["nodes"]] == [
        ("Enterprise", SMIC, 0), ("Alliance", "A-IC", 1), ("Discipline", "080704", 1), ("Discipline", "080901", 1),
        ("IndustryChain", "IC", 1), ("Mentor", "M001", 1), ("Mentor", "M002", 1),
    ]
    assert found["nodes"][0]["node"]["id"] == global_id("Enterprise", SMIC)
    # Six ties of SMIC, and three among its neighbours: A-IC SERVES IC, IC NEEDS 080704 and 080901.
    assert len(found["edges"]) == 9 and not found["truncated"]
    ids = {node["id"] for node in found["nodes"]}
    assert all(edge["source"] in ids and edge["target"] in ids for edge in found["edges"])
    demand = next(edge for edge in found["edges"] if edge["id"].endswith("DEMANDS:2023|Discipline:080704"))
    assert demand["properties"]["openings"] == 120


def test_partner_network_refuses_bad_arguments(api: Api) -> None:
    body = api.post(NETWORK, {"center": global_id("Enterprise", SMIC), "depth": 9}).json()
    assert body["errors"][0]["message"] == "depth must be between 1 and 4, not 9"
    body = api.post(NETWORK, {"center": global_id("School", "1234567890")}).json()
    assert body["errors"][0]["message"] == "no School has key '1234567890'"


def test_connection_paths(api: Api) -> None:
    query = """query($a: ID!, $b: ID!) { connectionPaths(from: $a, to: $b) {
        length paths { nodes edges length } nodes { key } edges { type } } }"""
    found = api.query(query, {"a": global_id("School", SJTU), "b": global_id("Enterprise", SMIC)})["connectionPaths"]
    assert found["length"] == 2
    middles = [path["nodes"][1] for path in found["paths"]]
    assert middles == [
        global_id("Alliance", "A-IC"), global_id("Discipline", "080704"),
        global_id("Discipline", "080901"), global_id("Mentor", "M001"),
    ]
    # SJTU offers 080901 in 2022 and 2023: one path, three edges.
    assert len(found["paths"][2]["edges"]) == 3


ANALYTICS = """{ analytics { linkPrediction(method: COMMON_NEIGHBOURS, first: 4) {
    run { algorithm engine dataVersion computedAt cached nodes relationships }
    rows { source { key } target { key } score shared } } } }"""


def test_link_prediction_recommends_partners_and_caches(api: Api) -> None:
    found = api.query(ANALYTICS)["analytics"]["linkPrediction"]
    # SJTU and SMIC share district 310112, disciplines 080901 and 080704, mentor M001 and alliance A-IC.
    assert [(r["source"]["key"], r["target"]["key"], r["score"]) for r in found["rows"]] == [
        (SJTU, SMIC, 5), (FUDAN, SMIC, 1), (USST, SMIC, 1), (SEIT, SMIC, 1),
    ]
    run = found["run"]
    assert (run["algorithm"], run["engine"], run["nodes"], run["cached"]) == ("common_neighbours", "scipy", 21, False)
    again = api.query(ANALYTICS)["analytics"]["linkPrediction"]["run"]
    assert again["cached"] and again["computedAt"] == run["computedAt"] and again["dataVersion"] == run["dataVersion"]


def test_centrality_on_a_selection(api: Api) -> None:
    query = """{ analytics(kinds: [SCHOOL, DISCIPLINE]) { subgraph
        centrality(measure: DEGREE, first: 2) { rows { node { kind key } score } } } }"""
    found = api.query(query)["analytics"]
    # 8 nodes; 080901 is offered by three schools and SJTU offers three disciplines: 3 / 7 each.
    assert [(r["node"]["key"], r["score"]) for r in found["centrality"]["rows"]] == [
        ("080901", pytest.approx(3 / 7)), (SJTU, pytest.approx(3 / 7)),
    ]
    assert found["subgraph"] == "labels=Discipline,School relationships=all"


def test_analysed_nodes_resolve_every_field_of_the_node(api: Api) -> None:
    """Issue 11 #8: asking an analysed node for a required field other than its name (`level`,
    `tier`) blanked the whole answer; the node is now read in full."""
    query = """{ analytics(kinds: [SCHOOL, INDUSTRY_CHAIN, MENTOR]) { centrality(measure: DEGREE, first: 20) { rows { node {
        key node { ... on School { level } ... on IndustryChain { tier } ... on Mentor { tier inMunicipalPool } } } } } } }"""
    rows = api.query(query)["analytics"]["centrality"]["rows"]
    found = {row["node"]["key"]: row["node"]["node"] for row in rows}
    # From tests/api/dataset.py: four schools, four chains and two mentors.
    assert found == {
        SJTU: {"level": "undergraduate"}, FUDAN: {"level": "undergraduate"}, USST: {"level": "undergraduate"},
        SEIT: {"level": "higher_vocational"},
        "IC": {"tier": "leading"}, "BIO": {"tier": "leading"}, "AI": {"tier": "leading"}, "IC-DESIGN": {"tier": "segment"},
        "M001": {"tier": "industry_professor", "inMunicipalPool": None}, "M002": {"tier": "industry_mentor", "inMunicipalPool": None},
    }


def test_communities_and_k_core(api: Api) -> None:
    query = "{ analytics { communities(method: LOUVAIN) { count modularity communities { size } } kCore { k maxCore size } } }"
    found = api.query(query)["analytics"]
    assert found["communities"]["count"] >= 2 and found["communities"]["modularity"] > 0
    assert sum(c["size"] for c in found["communities"]["communities"]) == 21
    assert found["kCore"]["k"] == found["kCore"]["maxCore"] >= 2


def test_export_streams_a_selection(api: Api) -> None:
    response = api.client.get("/export", params={"format": "graphml", "labels": "School,Discipline"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/graphml+xml")
    graph = nx.read_graphml(io.BytesIO(response.content), force_multigraph=True)
    # Offers: SJTU 080901 (2022, 2023), 080704, 100201; Fudan 080901, 100201; USST 080901; SEIT 510201.
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (8, 8)
    assert graph.nodes[f"School:{SJTU}"]["label"] == "上海交通大学"
    bad = api.client.get("/export", params={"format": "xlsx"})
    assert bad.status_code == 400 and "unknown export format 'xlsx'" in bad.json()["detail"]


def test_export_over_the_limit_is_refused(loaded_store: GraphStore, store_uri: str) -> None:
    settings = Settings.model_validate({"CHANJIAO_STORE": store_uri, "CHANJIAO_EXPORT_MAX_ELEMENTS": 10})
    with ServerThread(create_app(settings, store=loaded_store), free_port()) as server:
        response = httpx.get(f"{server.url}/export", params={"format": "json"}, timeout=30)
        small = httpx.get(f"{server.url}/export", params={"format": "edgelist", "labels": "Alliance"}, timeout=30)
    assert response.status_code == 413 and "more than 10 nodes and relationships" in response.json()["detail"]
    assert small.status_code == 200 and small.text.startswith("# source,target")
