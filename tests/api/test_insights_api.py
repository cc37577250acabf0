"""`talentGap` (with trend, breakdown and what-if), `coverageGaps` and `partnerMatches` over HTTP on
both stores, against the small graphs of `tests/gap_graph.py` and `tests/match_graph.py`; the
expected values are the hand-computed ones of tests/test_gaps.py and tests/test_matching.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from chanjiao.settings import Settings
from graph.store import GraphStore
from tests import gap_graph, match_graph
from tests.api.conftest import Api, ServerThread, free_port, global_id


@pytest.fixture
def serve(store: GraphStore, store_uri: str) -> Iterator[Callable[[Callable[[GraphStore], GraphStore]], Api]]:
    """Write a graph into the fresh store, then serve it."""
    opened: list[Any] = []

    def start(write: Callable[[GraphStore], GraphStore]) -> Api:
        write(store)
        settings = Settings.model_validate({"CHANJIAO_STORE": store_uri})
        server = ServerThread(create_app(settings, store=store), free_port()).__enter__()
        client = httpx.Client(base_url=server.url, timeout=60)
        opened.extend([server, client])
        return Api(client)

    yield start
    for thing in reversed(opened):
        thing.close() if isinstance(thing, httpx.Client) else thing.__exit__(None, None, None)


GAP = """query($chain: String, $districts: [String!]) {
  talentGap(year: 2024, chain: $chain, districts: $districts) {
    year chain { code name } chains totalDemand totalSupply totalGap rowCount method sources
    rows { discipline { code name } demand supply gap ratio status } } }"""

MORE = """{
  talentGapTrend(fromYear: 2023, toYear: 2024, chain: "IC") { year rows { discipline { code } gap } }
  talentGapByDistrict(year: 2024, chain: "IC") { code district { name } totalDemand totalSupply gap status }
  talentGapWhatIf(year: 2024, chain: "IC", changes: [{discipline: "080704", graduates: 200}, {discipline: "120103", graduates: 10}]) {
    scenario { rows(first: 1) { discipline { code } demand supply status } } applied ignored }
  coverageGaps(chain: "IC", districts: ["310110", "310115"], first: 2) {
    disciplinesNotOffered { count }
    areasWithoutBase { count items { chain { code } areaKind baseType area { ... on District { code } } } }
    schoolsWithoutMentor { count items { school { code } disciplines { code } } }
    chainsWithoutAlliance { count items { chain { code } } }
    enterprisesWithoutAlliance { count items { enterprise { uscc } chains { code } } } } }"""


def test_talent_gap_over_http(serve: Callable[..., Api]) -> None:
    api = serve(gap_graph.write)
    found = api.query(GAP, {"chain": "IC"})["talentGap"]
    assert [(r["discipline"]["code"], r["demand"], r["supply"], r["gap"], r["status"]) for r in found["rows"]] == [
        ("080704", 100, 40, 60, "SHORTAGE"), ("100701", 10, 0, 10, "SHORTAGE"),
        ("510201", 0, 20, -20, "SURPLUS"), ("080901", 60, 95, -35, "SURPLUS")]
    assert [r["ratio"] for r in found["rows"]] == [0.4, 0.0, None, pytest.approx(95 / 60)]
    assert (found["totalDemand"], found["totalSupply"], found["totalGap"], found["rowCount"]) == (170, 155, 15, 4)
    assert found["chain"] == {"code": "IC", "name": "集成电路"} and found["chains"] == ["IC", "IC-D", "IC-D-X"]
    assert found["sources"] == ["demands.csv", "offers.csv"] and "SHORTAGE when demand > 0 and ratio < 0.8" in found["method"]
    more = api.query(MORE)
    assert [(y["year"], [(r["discipline"]["code"], r["gap"]) for r in y["rows"]]) for y in more["talentGapTrend"]] == [
        (2023, [("080704", -20)]), (2024, [("080704", 60), ("100701", 10), ("510201", -20), ("080901", -35)])]
    assert [(d["code"], d["gap"], d["status"]) for d in more["talentGapByDistrict"]] == [
        ("310115", 80, "SHORTAGE"), (None, -5, "SURPLUS"), ("310110", -60, "SURPLUS")]
    what_if = more["talentGapWhatIf"]
    assert what_if["scenario"]["rows"] == [{"discipline": {"code": "100701"}, "demand": 10, "supply": 0, "status": "SHORTAGE"}]
    assert len(what_if["applied"]) == 1 and "not in chain IC's scope" in what_if["ignored"][0]
    gaps = more["coverageGaps"]
    assert gaps["disciplinesNotOffered"]["count"] == 0
    assert gaps["areasWithoutBase"]["count"] == 6  # 2 districts × 3 types: no base serves IC here
    assert gaps["areasWithoutBase"]["items"][0] == {"chain": {"code": "IC"}, "areaKind": "District", "baseType": "employment",
                                                    "area": {"code": "310110"}}
    assert gaps["schoolsWithoutMentor"]["items"] == [
        {"school": {"code": gap_graph.S1}, "disciplines": [{"code": "080704"}, {"code": "080901"}]},
        {"school": {"code": gap_graph.S2}, "disciplines": [{"code": "080704"}, {"code": "510201"}]}]
    assert gaps["chainsWithoutAlliance"]["count"] == 3
    assert gaps["enterprisesWithoutAlliance"]["count"] == 2


def test_talent_gap_refuses_bad_arguments(serve: Callable[..., Api]) -> None:
    api = serve(gap_graph.write)
    body = api.post(GAP, {"chain": "NOPE"}).json()
    assert body["errors"][0]["message"] == "chain: no industry chain has the code 'NOPE'"
    assert body["errors"][0]["path"] == ["talentGap"]
    body = api.post(GAP, {"districts": ["31011"]}).json()
    assert "'31011' is not a 6-digit" in body["errors"][0]["message"]


MATCH = """query($id: ID!, $kind: PartnerKind!, $weights: MatchWeightsInput, $exclude: Boolean!) {
  partnerMatches(id: $id, kind: $kind, weights: $weights, excludeExisting: $exclude, first: 3) {
    score existingPartner partner { id ... on School { code name } }
    components { name weight value evidence items { role kind key name amount id } } } }"""


def test_partner_matches_over_http(serve: Callable[..., Api]) -> None:
    api = serve(match_graph.write)
    variables = {"id": global_id("Enterprise", match_graph.E), "kind": "SCHOOL", "exclude": False}
    found = api.query(MATCH, variables)["partnerMatches"]
    assert [(m["partner"]["code"], m["existingPartner"]) for m in found] == [
        (match_graph.S1, True), (match_graph.S2, False), (match_graph.S3, False)]
    assert found[0]["score"] == pytest.approx(0.4 * 2 / 3 + 0.2 * 0.8 + 0.2 + 0.2 * 0.5)
    for match in found:
        parts = match["components"]
        weighted = sum(p["weight"] * p["value"] for p in parts) / sum(p["weight"] for p in parts)
        assert match["score"] == pytest.approx(weighted)
    fit = found[0]["components"][0]
    assert fit["evidence"].startswith("2 of 3 disciplines 华虹 demands are offered by 学校1")
    assert fit["items"][0] == {"role": "discipline", "kind": "Discipline", "key": "080703", "name": "通信工程",
                               "amount": 60.0, "id": global_id("Discipline", "080703")}
    assert found[0]["partner"]["id"] == global_id("School", match_graph.S1)
    only_fit = api.query(MATCH, {**variables, "weights": {"disciplineFit": 1, "capacity": 0, "proximity": 0, "ties": 0},
                                 "exclude": True})["partnerMatches"]
    assert [(m["partner"]["code"], m["score"]) for m in only_fit] == [
        (match_graph.S2, pytest.approx(2 / 3)), (match_graph.S3, pytest.approx(1 / 3)), (match_graph.S5, pytest.approx(1 / 3))]
    body = api.post(MATCH, {**variables, "kind": "MENTOR"}).json()
    assert "cannot be matched to a node of kind Enterprise" in body["errors"][0]["message"]
    body = api.post(MATCH, {**variables, "weights": {"ties": -1}}).json()
    assert body["errors"][0]["message"] == "weights: ties is -1.0; weights must be finite and 0 or more"
