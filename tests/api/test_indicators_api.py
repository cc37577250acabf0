"""`indicators` and `labels` over HTTP on both stores, on the graph of tests/indicator_graph.py;
the expected figures are the hand-computed ones of tests/test_indicators.py."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from api.app import create_app
from chanjiao.settings import Settings
from graph.labels import KINDS, VALUES
from graph.store import GraphStore
from tests import indicator_graph
from tests.api.conftest import Api, ServerThread, free_port

DASHBOARD = """{
  indicators(measures: [
    {of: "Enterprise", groupBy: ["district", "integration_level"]},
    {of: "DEMANDS", groupBy: ["chain", "year"], sum: "openings"},
    {of: "Base", groupBy: ["zone", "type"]}]) {
    of groupBy sum count synthetic { inputs syntheticInputs share }
    rows { group { dimension value label } count sum synthetic { inputs syntheticInputs share } } } }"""


@pytest.fixture
def api(store: GraphStore, store_uri: str) -> Iterator[Api]:
    indicator_graph.write(store)
    settings = Settings.model_validate({"CHANJIAO_STORE": store_uri})
    with ServerThread(create_app(settings, store=store), free_port()) as server, \
            httpx.Client(base_url=server.url, timeout=60) as client:
        yield Api(client)


def test_one_call_answers_several_dashboard_measures(api: Api) -> None:
    enterprises, openings, bases = api.query(DASHBOARD)["indicators"]
    assert (enterprises["count"], enterprises["synthetic"]) == (4, {"inputs": 4, "syntheticInputs": 1, "share": 0.25})
    assert enterprises["rows"][2] == {
        "group": [{"dimension": "district", "value": indicator_graph.PUDONG, "label": "浦东新区"},
                  {"dimension": "integration_level", "value": "national", "label": "国家级"}],
        "count": 1, "sum": None, "synthetic": {"inputs": 1, "syntheticInputs": 1, "share": 1.0}}
    assert [([g["value"] for g in row["group"]], row["count"], row["sum"]) for row in openings["rows"]] == [
        (["AI", "2023"], 1, 5), (["AI", "2024"], 1, 10), (["IC", "2023"], 1, 5), (["IC", "2024"], 2, 17), ([None, "2024"], 1, 3)]
    assert [([g["label"] for g in row["group"]], row["count"]) for row in bases["rows"]] == [
        (["Z1", "实践基地"], 1), (["Z1", "教学基地"], 1), (["Z2", "实践基地"], 1), (["Z2", "教学基地"], 2)]


def test_a_bad_measure_is_a_clear_error(api: Api) -> None:
    body = api.post('{ indicators(measures: [{of: "Mentor", groupBy: ["district"]}]) { count } }').json()
    assert body["errors"][0]["message"] == ("measures[0].groupBy: Mentor cannot be grouped by 'district'; "
                                            "expected one of tier, in_municipal_pool")
    assert body["errors"][0]["path"] == ["indicators"]


def test_labels_in_both_languages(api: Api) -> None:
    zh = api.query("{ labels { table code label } }")["labels"]
    en = api.query("{ labels(lang: EN) { table code label } }")["labels"]
    assert {"table": "kind", "code": "School", "label": "学校"} in zh
    assert {"table": "value", "code": "national", "label": "National"} in en
    assert len(zh) == len(en) and sum(row["table"] == "kind" for row in zh) == len(KINDS)
    assert sum(row["table"] == "value" for row in en) == len(VALUES)
