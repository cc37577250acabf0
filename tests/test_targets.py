"""Progress against the "百千万" targets of 沪教委高〔2021〕64号 §12, on both stores, hand-computed:
100 doctoral and 1,000 master's talents over the plan period, at least 10,000 skilled people a year
through training camps (type training_camp) only.

Chains: IC ← IC-D (PART_OF), AI. Projects (type, degree level, years, trained, status, chains):
P1 joint_rd doctoral 2023–2024, 41, IC-D (21 in 2023, 20 in 2024: the odd one to the first year);
P2 order_training master 2024, 300, IC and IC-D (counted once for IC); P3 training_camp vocational
2022–2025, 4,002, AI, synthetic (1,001 in 2022 and 2023, 1,000 in 2024 and 2025); P4 training_camp
bachelor 2024, 500, IC; P5 doctoral 2024, 10, proposed (never counted); P6 on_job_training on_job
2024, 1,000, IC (no target); P7 joint_enrollment master, start 2024 without end, 30, no chain;
P8 apprenticeship vocational 2024, 700, IC (vocational but no training camp: not skilled);
P9 training_camp master 2024, 50, AI (a camp: skilled, not master).
"""

from __future__ import annotations

import pytest

from graph.records import NodeRef
from graph.store import GraphStore
from queries.targets import Basis, TargetProgress, plan_targets
from tests.insight_graphs import GraphWriter

PROJECTS = [
    ("P1", "joint_rd", "doctoral", 2023, 2024, 41, "running", ["IC-D"]),
    ("P2", "order_training", "master", 2024, 2024, 300, "completed", ["IC", "IC-D"]),
    ("P3", "training_camp", "vocational", 2022, 2025, 4002, "running", ["AI"]),
    ("P4", "training_camp", "bachelor", 2024, 2024, 500, "evaluated", ["IC"]),
    ("P5", "joint_rd", "doctoral", 2024, 2024, 10, "proposed", ["IC"]),
    ("P6", "on_job_training", "on_job", 2024, 2024, 1000, "running", ["IC"]),
    ("P7", "joint_enrollment", "master", 2024, None, 30, "approved", []),
    ("P8", "apprenticeship", "vocational", 2024, 2024, 700, "running", ["IC"]),
    ("P9", "training_camp", "master", 2024, 2024, 50, "running", ["AI"]),
]


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    w = GraphWriter(store)
    for code, tier in [("IC", "leading"), ("IC-D", "segment"), ("AI", "leading")]:
        w.node("IndustryChain", code, name=code, tier=tier)
    w.rel("PART_OF", NodeRef("IndustryChain", "IC-D"), NodeRef("IndustryChain", "IC"))
    for key, kind, level, start, end, trained, status, chains in PROJECTS:
        props = {"end_year": end} if end else {}
        project = w.node("Project", key, name=key, type=kind, degree_level=level, start_year=start,
                         trained=trained, status=status, synthetic=key == "P3", **props)
        for chain in chains:
            w.rel("SERVES", project, NodeRef("IndustryChain", chain))
    w.write()
    return store


def summary(found: list[TargetProgress]) -> list[tuple[object, ...]]:
    return [(t.target.name, t.target.basis, t.target.goal, [(y.year, y.trained) for y in t.years], t.trained,
             t.progress, t.years_met) for t in found]


def test_period_and_yearly_targets_count_what_the_plan_says(graph: GraphStore) -> None:
    report = plan_targets(graph, 2023, 2024)
    assert summary(report.targets) == [
        ("doctoral", Basis.PERIOD, 100, [(2023, 21), (2024, 20)], 41, 0.41, None),
        ("master", Basis.PERIOD, 1000, [(2023, 0), (2024, 330)], 330, 0.33, None),  # P2 + P7; not the camp P9
        # P3 1,001 + 0 in 2023; P3 1,000 + P4 500 + P9 50 in 2024; P8 is no camp: 2,551 / (10,000 × 2)
        ("skilled", Basis.YEAR, 10_000, [(2023, 1001), (2024, 1550)], 2551, 0.12755, 0),
    ]
    assert all(isinstance(y.trained, int) for t in report.targets for y in t.years)
    # Project-years counted: P1 ×2, P2, P7, P3 ×2 (synthetic), P4, P9 = 8, of which 2 synthetic.
    assert (report.synthetic.inputs, report.synthetic.synthetic, report.synthetic.share) == (8, 2, 0.25)
    assert "over the plan period 2021–2025" in report.method and "沪教委高〔2021〕64号" in report.method
    # Without a chain the breakdown is per top-level chain.
    assert [(part.chain.key, [(t.target.name, t.trained) for t in part.targets]) for part in report.by_chain] == [
        ("AI", [("doctoral", 0), ("master", 0), ("skilled", 1001 + 1000 + 50)]),
        ("IC", [("doctoral", 41), ("master", 300), ("skilled", 500)]),
    ]


def test_one_chain_counts_each_project_once(graph: GraphStore) -> None:
    report = plan_targets(graph, 2024, 2024, chain="IC")
    assert [(t.target.name, t.trained) for t in report.targets] == [("doctoral", 20), ("master", 300), ("skilled", 500)]
    assert [(part.chain.key, [(t.target.name, t.trained) for t in part.targets]) for part in report.by_chain] == [
        ("IC-D", [("doctoral", 20), ("master", 300), ("skilled", 0)])]
    assert report.chain is not None and report.chain.key == "IC" and report.synthetic.synthetic == 0


def test_the_plan_period_in_whole_people_and_a_year_that_meets_its_goal(graph: GraphStore) -> None:
    w = GraphWriter(graph)
    w.node("Project", "P10", name="P10", type="other", degree_level="doctoral", start_year=2024, end_year=2026, trained=10)
    w.node("Project", "P11", name="P11", type="training_camp", degree_level="vocational", start_year=2021, trained=12_000)
    w.write()
    report = plan_targets(graph, 2021, 2025)
    doctoral, _, skilled = report.targets
    assert [(y.year, y.trained) for y in doctoral.years] == [(2021, 0), (2022, 0), (2023, 21), (2024, 24), (2025, 3)]
    assert doctoral.trained == 48 and doctoral.progress == 0.48
    assert [(y.year, y.trained) for y in skilled.years] == [(2021, 12_000), (2022, 1001), (2023, 1001), (2024, 1550), (2025, 1000)]
    assert skilled.years_met == 1 and skilled.trained == 16_552


def test_bad_arguments(graph: GraphStore) -> None:
    with pytest.raises(ValueError, match="no industry chain has the code 'XX'"):
        plan_targets(graph, 2024, 2024, chain="XX")
    with pytest.raises(ValueError, match="toYear 2023 is before fromYear 2024"):
        plan_targets(graph, 2024, 2023)
