"""Both stores give identical gap, coverage, matching and target reports on the bundled Shanghai
dataset (data/shanghai): the hand-computed tests pin the semantics on small graphs, this pins the
two implementations to each other on realistic data (500 enterprises, 70 schools, 16 districts)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from chanjiao.commands.insights import as_json
from graph.labels import Lang
from graph.model import NODES, RELS
from graph.open import open_store
from graph.protocol_insights import ProtocolInsights
from graph.records import NodeRef
from graph.store import GraphStore
from loaders.run import LoadOptions, load, prepare
from queries import coverage, data_coverage, gaps, matching, targets, whatif
from queries.indicators import MAX_DIMENSIONS, MAX_MEASURES, Measure, amounts, dimensions, indicator, indicators

DATASET = Path(__file__).resolve().parent.parent / "data" / "shanghai"


def loaded(uri: str, rejects: Path) -> GraphStore:
    store = open_store(uri)
    store.ensure_schema()
    store.clear()
    options = LoadOptions(rejects_dir=rejects)
    report = load(prepare([DATASET], options), store, options)
    assert not report.errors, report.errors[:3]
    return store


@pytest.fixture(scope="module")
def stores(neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, GraphStore]]:
    rejects = tmp_path_factory.mktemp("rejects")
    embedded = loaded(f"embedded:{tmp_path_factory.mktemp('parity') / 'store'}", rejects)
    neo4j = loaded(neo4j_uri, rejects)
    try:
        yield embedded, neo4j
    finally:
        embedded.close()
        neo4j.close()


def same(stores: tuple[GraphStore, GraphStore], query: Callable[[GraphStore], Any]) -> Any:
    embedded, neo4j = (as_json(query(store)) for store in stores)
    assert embedded == neo4j
    return embedded


@pytest.mark.parametrize("chain", [None, "IC", "IC-DESIGN", "BIO"])
@pytest.mark.parametrize("districts", [None, ["310115", "310112"]])
def test_talent_gap(stores: tuple[GraphStore, GraphStore], chain: str | None, districts: list[str] | None) -> None:
    report = same(stores, lambda s: gaps.talent_gap(s, 2024, gaps.gap_request(s, chain, districts)))
    assert report["rows"], "the dataset should give every case some rows"
    by_district = same(
        stores, lambda s: gaps.talent_gap_by_district(s, 2024, gaps.gap_request(s, chain, districts, "undergraduate"))
    )
    assert len(by_district) >= len(districts or [None]) and all(area["rows"] for area in by_district)


def test_trend_what_if_coverage_and_targets(stores: tuple[GraphStore, GraphStore]) -> None:
    trend = same(stores, lambda s: gaps.talent_gap_trend(s, 2021, 2025, gaps.GapRequest(chain="AI")))
    assert [year["year"] for year in trend if year["rows"]] == [2021, 2022, 2023, 2024, 2025]
    changes = [whatif.GapChange("080901", graduates=200), whatif.GapChange("080703", openings=50, district="310115")]
    what_if = same(stores, lambda s: whatif.talent_gap_what_if(s, 2024, changes, gaps.GapRequest(chain="IC")))
    assert what_if["baseline"]["rows"] and what_if["scenario"]["rows"] and len(what_if["applied"]) == 2
    for chain in (None, "IC"):
        found = same(stores, partial(coverage.coverage_gaps, chain=chain, districts=["310115", "310104"], first=50))
        assert found["disciplines_not_offered"]["items"] and found["areas_without_base"]["items"]
    for first, last, chain in ((2021, 2025, None), (2022, 2024, "IC")):
        planned = same(stores, partial(targets.plan_targets, from_year=first, to_year=last, chain=chain))
        assert [target["target"]["name"] for target in planned["targets"]] == ["doctoral", "master", "skilled"]
        assert all(len(target["years"]) == last - first + 1 for target in planned["targets"])
        assert sum(target["trained"] for target in planned["targets"]) > 0


def test_the_bundled_data_states_its_synthetic_share(stores: tuple[GraphStore, GraphStore]) -> None:
    """Its offers, demands, enterprises, projects… are synthetic; schools, majors, districts and
    chains real: every answer says how much it rests on the made-up part, the same on both stores."""
    gap = same(stores, lambda s: gaps.talent_gap(s, 2024, gaps.GapRequest(chain="IC")))["synthetic"]
    assert gap["inputs"] > 0 and gap["share"] == 1.0  # every DEMANDS and OFFERS is synthetic
    found = same(stores, data_coverage.data_coverage)
    assert 0 < found["synthetic"]["share"] < 1
    assert {kind["name"]: kind["synthetic"] for kind in found["nodes"]}["School"] == 0
    assert [(rel["rel_type"], [y["year"] for y in rel["years"]]) for rel in found["years"]] == [
        ("OFFERS", [2021, 2022, 2023, 2024, 2025]), ("DEMANDS", [2021, 2022, 2023, 2024, 2025])]
    assert same(stores, lambda s: coverage.coverage_gaps(s, "IC"))["synthetic"]["share"] > 0
    assert same(stores, lambda s: targets.plan_targets(s, 2021, 2025))["synthetic"]["share"] == 1.0


def first_keys(store: GraphStore, label: str, count: int) -> list[str]:
    return [node.key for node in store.find_nodes(label, limit=count).nodes]


# Subjects that have partners of every kind asked (the first districts by key have no base nearby).
SUBJECTS = {"Discipline": ["080901", "080702", "100701", "510201"], "District": ["310104", "310106", "310109", "310151"]}


@pytest.mark.parametrize(("label", "kinds"), [
    ("Enterprise", ["SCHOOL"]), ("School", ["ENTERPRISE", "MENTOR", "BASE"]),
    ("Discipline", ["MENTOR", "BASE"]), ("District", ["BASE"]),
])
def test_partner_matches(stores: tuple[GraphStore, GraphStore], label: str, kinds: list[str]) -> None:
    subjects = SUBJECTS.get(label) or first_keys(stores[0], label, 4)
    for key in subjects:
        for kind in kinds:
            found = same(stores, partial(matching.partner_matches, subject=NodeRef(label, key), kind=kind, first=20))
            scores = [match["score"] for match in found["matches"]]
            assert scores, f"{label} {key} should have {kind} partners in the dataset"
            assert scores == sorted(scores, reverse=True)


def every_measure() -> list[Measure]:
    """Every node kind and relationship type by each of its dimensions alone and by its first three
    at once, summing each of its amounts in turn."""
    measures = []
    for of in [*NODES, *RELS]:
        summed, options = [*amounts(of), None], dimensions(of)
        measures += [Measure(of, (dimension,), summed[i % len(summed)]) for i, dimension in enumerate(options)]
        measures += [Measure(of, tuple(options[:MAX_DIMENSIONS]), summed[0]), Measure(of)]
    return measures


def test_indicators_of_every_measure_and_dimension(stores: tuple[GraphStore, GraphStore]) -> None:
    measures = every_measure()
    found = []
    for start in range(0, len(measures), MAX_MEASURES):
        found += same(stores, partial(indicators, measures=measures[start:start + MAX_MEASURES]))
    assert len(found) == len(measures) > 150
    counted = {(item["measure"]["of"], tuple(item["measure"]["group_by"])) for item in found if item["rows"]}
    # the bundled data has something in every place and chain dimension of what it is grouped most by
    for of in ("Enterprise", "Base", "DEMANDS", "OFFERS", "SERVES", "Project"):
        assert all((of, (dimension,)) in counted for dimension in dimensions(of)), of
    assert any(row["sum"] for item in found if item["measure"]["sum"] for row in item["rows"])


def test_the_store_agnostic_indicators_count_as_the_stores_do(stores: tuple[GraphStore, GraphStore]) -> None:
    """`graph.protocol_indicators` (any store, through its public reads; the baseline of
    benchmarks/bench_indicators.py) against the embedded store's own counting, which the test
    above pins to Neo4j's, named and rounded as `indicators` answers."""
    embedded = stores[0]
    measures = every_measure()
    own = embedded.insights().indicator_counts(measures)
    agnostic = ProtocolInsights(embedded).indicator_counts(measures)
    assert type(embedded.insights()) is not ProtocolInsights  # two ways, compared
    for measure, ours, theirs in zip(measures, own, agnostic, strict=True):
        assert indicator(measure, theirs, Lang.EN) == indicator(measure, ours, Lang.EN), measure
