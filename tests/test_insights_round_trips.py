"""On Neo4j each insight query is a fixed, small number of Cypher round trips that aggregate in
the database, whatever the data size: pinned here by counting `Neo4jInsights.read` calls (the
real reads run; the count is only observed)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest

from graph.neo4j.insights import Neo4jInsights
from graph.open import open_store
from graph.records import NodeRef
from graph.store import GraphStore
from queries import coverage, data_coverage, gaps, matching, targets
from queries.indicators import Measure, indicators
from tests import gap_graph, indicator_graph, match_graph


@pytest.fixture
def neo4j(neo4j_uri: str) -> Iterator[GraphStore]:
    store = open_store(neo4j_uri)
    store.ensure_schema()
    store.clear()
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = Neo4jInsights.read

    def counted(self: Neo4jInsights, query: str, params: Any) -> Any:
        seen.append(query.splitlines()[0])
        return real(self, query, params)

    monkeypatch.setattr(Neo4jInsights, "read", counted)
    return seen


def count(reads: list[str], work: Callable[[], Any]) -> int:
    gaps.FACTS.clear()
    data_coverage.FACTS.clear()
    reads.clear()
    work()
    return len(reads)


def test_gap_queries(neo4j: GraphStore, reads: list[str]) -> None:
    gap_graph.write(neo4j)
    chain = gaps.GapRequest(chain="IC")
    assert count(reads, lambda: gaps.talent_gap(neo4j, 2024, chain)) == 1  # scope, demand and supply at once
    assert count(reads, lambda: gaps.talent_gap(neo4j, 2024)) == 2
    # ten years at once, and one read of the years with data, for the years without any (notes)
    assert count(reads, lambda: gaps.talent_gap_trend(neo4j, 2015, 2024, chain)) == 2
    assert count(reads, lambda: gaps.talent_gap_by_district(neo4j, 2024, chain)) == 1
    assert count(reads, lambda: gaps.talent_gap(neo4j, 2024, chain) and gaps.talent_gap(neo4j, 2024, chain)) == 1
    # the subtree, then one per kind and zones, and the inputs looked for (synthetic share)
    assert count(reads, lambda: coverage.coverage_gaps(neo4j, "IC")) == 8
    assert count(reads, lambda: data_coverage.data_coverage(neo4j)) == 1
    assert count(reads, lambda: targets.plan_targets(neo4j, 2021, 2025)) == 1


def test_partner_matches_is_one_read(neo4j: GraphStore, reads: list[str]) -> None:
    match_graph.write(neo4j)
    for subject, kind in [(NodeRef("Enterprise", match_graph.E), "SCHOOL"), (NodeRef("School", match_graph.S1), "MENTOR"),
                          (NodeRef("District", match_graph.A), "BASE")]:
        assert count(reads, partial(matching.partner_matches, neo4j, subject, kind)) == 1


def test_indicators_is_one_read_however_many_measures(neo4j: GraphStore, reads: list[str]) -> None:
    indicator_graph.write(neo4j)
    measures = [Measure("Enterprise", ("district", "zone", "chain")), Measure("DEMANDS", ("chain", "year"), "openings"),
                Measure("SERVES", ("district", "chain")), Measure("Zone")]
    found = indicators(neo4j, measures)
    assert [item.count for item in found] == [4, 4, 2, 2]  # read, not only counted
    assert count(reads, lambda: indicators(neo4j, measures)) == 1
