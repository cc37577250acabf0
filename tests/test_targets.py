"""Progress against the "百千万" targets from projects' `trained`, on both stores, hand-computed.

Chains: IC ← IC-D (PART_OF), AI. Projects:
P1 doctoral 2023–2024, 40 trained, serves IC-D (20 a year); P2 master 2024, 300, serves IC and
IC-D (counted once for IC); P3 vocational 2022–2025, 4,000, serves AI (1,000 a year); P4 bachelor
2024, 500, serves IC; P5 doctoral 2024, 10, proposed (never counted); P6 on_job 2024, 1,000, serves
IC (not a target level); P7 master, start 2024 without end, 30, serves no chain.
"""

from __future__ import annotations

import pytest

from graph.records import NodeRef
from graph.store import GraphStore
from queries.targets import YearTargets, plan_targets
from tests.insight_graphs import GraphWriter


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    w = GraphWriter(store)
    for code, tier in [("IC", "leading"), ("IC-D", "segment"), ("AI", "leading")]:
        w.node("IndustryChain", code, name=code, tier=tier)
    w.rel("PART_OF", NodeRef("IndustryChain", "IC-D"), NodeRef("IndustryChain", "IC"))
    projects = [
        ("P1", "doctoral", 2023, 2024, 40, "running", ["IC-D"]),
        ("P2", "master", 2024, 2024, 300, "completed", ["IC", "IC-D"]),
        ("P3", "vocational", 2022, 2025, 4000, "running", ["AI"]),
        ("P4", "bachelor", 2024, 2024, 500, "evaluated", ["IC"]),
        ("P5", "doctoral", 2024, 2024, 10, "proposed", ["IC"]),
        ("P6", "on_job", 2024, 2024, 1000, "running", ["IC"]),
        ("P7", "master", 2024, None, 30, "approved", []),
    ]
    for key, level, start, end, trained, status, chains in projects:
        props = {"end_year": end} if end else {}
        project = w.node("Project", key, name=key, type="order_training", degree_level=level, start_year=start,
                         trained=trained, status=status, **props)
        for chain in chains:
            w.rel("SERVES", project, NodeRef("IndustryChain", chain))
    w.write()
    return store


def trained(years: list[YearTargets]) -> list[tuple[float, ...]]:
    return [(y.year, *(t.trained for t in y.targets)) for y in years]


def test_all_projects_by_year(graph: GraphStore) -> None:
    report = plan_targets(graph, 2023, 2024)
    assert trained(report.years) == [(2023, 20, 0, 1000), (2024, 20, 330, 1500)]
    progress = [(t.target, t.goal, t.progress) for t in report.years[1].targets]
    assert progress == [("doctoral", 100, 0.2), ("master", 1000, 0.33), ("skilled", 10_000, 0.15)]
    # Without a chain the breakdown is per top-level chain.
    assert [(part.chain.key, trained(part.years)) for part in report.by_chain] == [
        ("AI", [(2023, 0, 0, 1000), (2024, 0, 0, 1000)]),
        ("IC", [(2023, 20, 0, 0), (2024, 20, 300, 500)]),
    ]


def test_one_chain_counts_each_project_once(graph: GraphStore) -> None:
    report = plan_targets(graph, 2024, 2024, chain="IC")
    assert trained(report.years) == [(2024, 20, 300, 500)]
    assert [(part.chain.key, trained(part.years)) for part in report.by_chain] == [("IC-D", [(2024, 20, 300, 0)])]
    assert "百千万" in report.method and report.chain is not None and report.chain.key == "IC"


def test_uneven_spread_and_bad_arguments(graph: GraphStore) -> None:
    w = GraphWriter(graph)
    w.node("Project", "P8", name="P8", type="other", degree_level="doctoral", start_year=2024, end_year=2026, trained=10)
    w.write()
    assert plan_targets(graph, 2024, 2024).years[0].targets[0].trained == pytest.approx(20 + 10 / 3)
    with pytest.raises(ValueError, match="no industry chain has the code 'XX'"):
        plan_targets(graph, 2024, 2024, chain="XX")
    with pytest.raises(ValueError, match="toYear 2023 is before fromYear 2024"):
        plan_targets(graph, 2024, 2023)
