"""Every answer built from data states how much of it was synthetic (issue 14): each root field
of the schema (and each analysis under `analytics`) either has a document here that selects its
`synthetic` share, or is listed as not data-derived with the reason. Each document runs over real
HTTP on both stores twice: on the bundled dataset (real schools and majors, synthetic offers,
demands, enterprises…) it must state a share above 0; on a load of the real tables only it must
state 0, with real input behind it where the reference data gives some. `/export` states it in
its headers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import GraphQLInterfaceType, GraphQLNamedType, GraphQLObjectType, get_named_type

from api.app import create_app
from api.schema import build_schema
from chanjiao.neo4j_local import free_port
from chanjiao.settings import Settings
from graph.open import open_store
from loaders.bundled import SHANGHAI_DIR
from loaders.run import LoadOptions, load, prepare
from tests.api.conftest import Api, ServerThread, global_id

SJTU, FUDAN = "4131010248", "4131010246"
SHARE = "synthetic { inputs syntheticInputs share }"
GAP_ARGS = 'year: 2024, chain: "IC"'
# Schools, majors and districts with offers: real nodes, synthetic offers (a small projection on Neo4j).
ANALYSED = 'analytics(kinds: [SCHOOL, DISCIPLINE, DISTRICT], relationships: ["OFFERS", "LOCATED_IN"])'

# The documents, one per data-derived root field (`analytics.x` for each analysis).
DOCUMENTS: dict[str, str] = {
    "talentGap": f"talentGap({GAP_ARGS}) {{ {SHARE} }}",
    "talentGapTrend": f'talentGapTrend(fromYear: 2023, toYear: 2024, chain: "IC") {{ {SHARE} }}',
    "talentGapByDistrict": f'talentGapByDistrict({GAP_ARGS}, districts: ["310112", "310104"]) {{ code {SHARE} }}',
    "talentGapWhatIf": f'talentGapWhatIf({GAP_ARGS}, changes: [{{discipline: "080901", graduates: 10}}]) '
                       f"{{ baseline {{ {SHARE} }} scenario {{ {SHARE} }} }}",
    "coverageGaps": f'coverageGaps(chain: "IC") {{ {SHARE} }}',
    "planTargets": f"planTargets(fromYear: 2021, toYear: 2025) {{ {SHARE} }}",
    "partnerMatches": f'partnerMatches(id: "{global_id("School", SJTU)}", kind: ENTERPRISE) {{ score {SHARE} }}',
    "partnerMatchReport": f'partnerMatchReport(id: "{global_id("School", SJTU)}", kind: ENTERPRISE) '
                          f"{{ {SHARE} matches {{ {SHARE} }} }}",
    "partnerNetwork": f'partnerNetwork(center: "{global_id("School", SJTU)}", depth: 1, first: 50) {{ {SHARE} }}',
    "connectionPaths": f'connectionPaths(from: "{global_id("School", SJTU)}", to: "{global_id("School", FUDAN)}", '
                       f"maxLength: 2, first: 3) {{ {SHARE} }}",
    "dataCoverage": f"dataCoverage {{ {SHARE} }}",
    "indicators": f'indicators(measures: [{{of: "School", groupBy: ["district"]}}, {{of: "OFFERS", groupBy: ["year"]}}]) '
                  f"{{ {SHARE} rows {{ {SHARE} }} }}",
    "analytics.centrality": f"{ANALYSED} {{ centrality(first: 3) {{ run {{ {SHARE} }} }} }}",
    "analytics.communities": f"{ANALYSED} {{ communities(first: 3, members: 1) {{ run {{ {SHARE} }} }} }}",
    "analytics.kCore": f"{ANALYSED} {{ kCore(first: 3) {{ run {{ {SHARE} }} }} }}",
    "analytics.linkPrediction": f"{ANALYSED} {{ linkPrediction(between: [SCHOOL, DISCIPLINE], first: 3) {{ run {{ {SHARE} }} }} }}",
    "analytics.similarity": f"{ANALYSED} {{ similarity(kind: SCHOOL, first: 3) {{ run {{ {SHARE} }} }} }}",
    "analytics.projection": f"{ANALYSED} {{ projection(between: [SCHOOL, DISCIPLINE], first: 3) {{ run {{ {SHARE} }} }} }}",
}
# Fields that are not an answer computed from rows, and why.
NOT_DATA_DERIVED: dict[str, str] = {
    "labels": "the names of kinds, relationships and coded values, from the model (graph/labels.py), not from data",
    "analytics.subgraph": "the selection analysed, as text",
}
# Fields whose answer is the nodes themselves: each states its own `provenance { synthetic }`.
NODE_ANSWERS = "node, nodes, search and the connection of each kind"
# On the real tables alone, these still have input (nodes, LOCATED_IN, NEEDS…), so their 0 is no empty 0.
REAL_INPUT = {"dataCoverage", "indicators", "partnerNetwork", "partnerMatchReport", *(f for f in DOCUMENTS if f.startswith("analytics."))}
# The reference data holds no enterprise, mentor or base: a school has no partner to rank.
EMPTY_ON_REAL = {"partnerMatches"}


def data_fields() -> tuple[set[str], set[str]]:
    """The root fields (and analyses) of the schema that answer from data, and those whose
    answers are nodes."""
    schema = build_schema()._schema
    query = schema.query_type
    assert query is not None
    fields: set[str] = set()
    nodes: set[str] = set()
    for name, field in query.fields.items():
        named: GraphQLNamedType = get_named_type(field.type)
        if named.name in ("Node", "SearchResult") or named.name.endswith("Connection"):
            nodes.add(name)
        elif isinstance(named, GraphQLObjectType) and name == "analytics":
            fields |= {f"analytics.{sub}" for sub in named.fields}
        else:
            fields.add(name)
    return fields, nodes


def test_every_data_derived_field_has_a_document_or_a_reason() -> None:
    fields, nodes = data_fields()
    missing = fields - set(DOCUMENTS) - set(NOT_DATA_DERIVED)
    assert not missing, f"state the synthetic share of {sorted(missing)} and add a document here, or list it in NOT_DATA_DERIVED with why"
    assert set(DOCUMENTS) | set(NOT_DATA_DERIVED) <= fields, "a listed field is gone from the schema"
    assert {"node", "nodes", "search", "schools", "enterprises"} <= nodes, NODE_ANSWERS
    interface = build_schema()._schema.get_type("Node")
    assert isinstance(interface, GraphQLInterfaceType) and "provenance" in interface.fields


def real_tables(into: Path) -> Path:
    """The bundled dataset's real tables (its manifest's `synthetic false` rows) and their manifest."""
    with (SHANGHAI_DIR / "provenance.csv").open(encoding="utf-8", newline="") as file:
        rows = [row for row in csv.DictReader(file) if row["synthetic"] == "false"]
    with (into / "provenance.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, ["table", "synthetic", "source"])
        writer.writeheader()
        writer.writerows(rows)
    for row in rows:
        (into / f"{row['table']}.csv").write_bytes((SHANGHAI_DIR / f"{row['table']}.csv").read_bytes())
    return into


@pytest.fixture(scope="module", params=[("embedded", "mixed"), ("embedded", "real"), ("neo4j", "mixed"), ("neo4j", "real")],
                ids=lambda param: "-".join(param))
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Api]]:
    kind, dataset = request.param
    uri = f"embedded:{tmp_path_factory.mktemp('shares') / 'store'}" if kind == "embedded" else str(request.getfixturevalue("neo4j_uri"))
    folder = SHANGHAI_DIR if dataset == "mixed" else real_tables(tmp_path_factory.mktemp("real"))
    store = open_store(uri)
    store.ensure_schema()
    store.clear()
    options = LoadOptions(rejects_dir=tmp_path_factory.mktemp("rejects"))
    assert not load(prepare([folder], options), store, options).errors
    # Analyses project the whole selection first: allow for a machine shared with other test runs.
    settings = Settings.model_validate({"CHANJIAO_STORE": uri, "CHANJIAO_RATE_LIMIT": 0, "CHANJIAO_EXPENSIVE_TIMEOUT": 300})
    try:
        with ServerThread(create_app(settings, store=store), free_port()) as running, \
                httpx.Client(base_url=running.url, timeout=120) as client:
            yield dataset, Api(client)
    finally:
        store.close()


def shares(value: Any) -> list[dict[str, Any]]:
    """Every `synthetic { inputs syntheticInputs share }` in an answer."""
    if isinstance(value, dict):
        if set(value) == {"inputs", "syntheticInputs", "share"}:
            return [value]
        return [found for item in value.values() for found in shares(item)]
    if isinstance(value, list):
        return [found for item in value for found in shares(item)]
    return []


@pytest.mark.parametrize("field", sorted(DOCUMENTS))
def test_the_answer_states_its_synthetic_share(served: tuple[str, Api], field: str) -> None:
    dataset, api = served
    answer = api.query(f"{{ {DOCUMENTS[field]} }}")
    stated = shares(answer)
    for share in stated:
        assert 0 <= share["syntheticInputs"] <= share["inputs"]
        assert share["share"] == (round(share["syntheticInputs"] / share["inputs"], 4) if share["inputs"] else 0)
    if dataset == "real" and field in EMPTY_ON_REAL:
        assert answer == {field: []}
        return
    assert stated, f"{field} states no synthetic share: {answer}"
    if dataset == "mixed":
        assert max(share["share"] for share in stated) > 0, f"{field} rests on synthetic rows yet says 0: {stated}"
    else:
        assert all(share["syntheticInputs"] == 0 and share["share"] == 0 for share in stated), stated
        if field in REAL_INPUT:
            assert max(share["inputs"] for share in stated) > 0, f"{field} counted no real input: {stated}"


def test_export_states_its_synthetic_share(served: tuple[str, Api]) -> None:
    dataset, api = served
    response = api.client.get("/export", params={"format": "json", "labels": "School,Discipline,District"})
    assert response.status_code == 200
    made_up, share = int(response.headers["X-Synthetic"]), float(response.headers["X-Synthetic-Share"])
    assert int(response.headers["X-Nodes"]) > 0
    assert (made_up > 0 and share > 0) if dataset == "mixed" else (made_up == 0 and share == 0)


def test_search_hits_say_whether_they_are_synthetic(served: tuple[str, Api]) -> None:
    """Node answers carry their own provenance, on the `Node` interface itself."""
    dataset, api = served
    found = api.query('{ real: search(text: "交通大学", kinds: [SCHOOL], first: 5) { node { name provenance { synthetic } } } '
                      'made: search(text: "示例", first: 5) { node { name provenance { synthetic } } } '
                      f'sjtu: node(id: "{global_id("School", SJTU)}") {{ provenance {{ synthetic source }} }} }}')
    assert found["sjtu"]["provenance"]["synthetic"] is False and "shanghai_schools.csv" in found["sjtu"]["provenance"]["source"]
    assert found["real"] and not any(hit["node"]["provenance"]["synthetic"] for hit in found["real"])
    made = found["made"] if dataset == "mixed" else []
    assert found["made"] == made
    assert all(hit["node"]["provenance"]["synthetic"] and hit["node"]["name"].startswith("【示例】") for hit in made)
    assert len(made) == (5 if dataset == "mixed" else 0)
