"""`talentGap`, its trend, district breakdown and what-if, and `coverageGaps` on the small graph of
`tests/gap_graph.py` (read its `write` docstring), on both stores; every expectation is worked out
by hand from that graph.
"""

from __future__ import annotations

import pytest

from graph.records import NodeRef
from graph.store import GraphStore
from queries.coverage import coverage_gaps
from queries.gaps import (
    GapRequest,
    GapStatus,
    TalentGap,
    gap_request,
    talent_gap,
    talent_gap_by_district,
    talent_gap_trend,
)
from queries.whatif import GapChange, talent_gap_what_if
from tests import gap_graph
from tests.gap_graph import E1, E3, MINHANG, PUDONG, S1, S2, YANGPU
from tests.insight_graphs import GraphWriter

SHORTAGE, SURPLUS, BALANCED = GapStatus.SHORTAGE, GapStatus.SURPLUS, GapStatus.BALANCED


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    return gap_graph.write(store)


Row = tuple[str, int, int, int, float | None, GapStatus]


def rows(report: TalentGap) -> list[Row]:
    return [(r.discipline.key, r.demand, r.supply, r.gap, r.ratio, r.status) for r in report.rows]


def test_chain_subtree_scope_counts_needs_and_demand_once(graph: GraphStore) -> None:
    report = talent_gap(graph, 2024, GapRequest(chain="IC"))
    # 100701 is not needed but E1 demands it; E1 is in two chains of the subtree and counts once;
    # E2's 30 openings of 080901 are AI's, not IC's; S3's 5 graduates count (no district filter).
    assert rows(report) == [
        ("080704", 100, 40, 60, 0.4, SHORTAGE),
        ("100701", 10, 0, 10, 0.0, SHORTAGE),
        ("510201", 0, 20, -20, None, SURPLUS),
        ("080901", 60, 95, -35, 95 / 60, SURPLUS),
    ]
    assert (report.total_demand, report.total_supply) == (170, 155)
    assert report.chains == ("IC", "IC-D", "IC-D-X")
    assert report.rows[0].discipline.props["name"] == "微电子科学与工程"


def test_without_chain_every_discipline_with_demand_or_supply(graph: GraphStore) -> None:
    report = talent_gap(graph, 2024)
    assert rows(report) == [
        ("080704", 100, 40, 60, 0.4, SHORTAGE),
        ("100701", 10, 0, 10, 0.0, SHORTAGE),
        ("080901", 90, 95, -5, 95 / 90, BALANCED),
        ("080703", 40, 50, -10, 1.25, SURPLUS),
        ("510201", 0, 20, -20, None, SURPLUS),
    ]
    assert (report.total_demand, report.total_supply) == (240, 205)


def test_district_filter_keeps_scope_and_ties_order_by_code(graph: GraphStore) -> None:
    report = talent_gap(graph, 2024, gap_request(graph, chain="IC", districts=[YANGPU]))
    # In 杨浦 only E3 and S1 count; 100701 and 510201 fall to zero demand and supply and are left out.
    assert rows(report) == [("080704", 0, 30, -30, None, SURPLUS), ("080901", 60, 90, -30, 1.5, SURPLUS)]


def test_zero_demand_and_zero_supply_rows_are_left_out(graph: GraphStore) -> None:
    report = talent_gap(graph, 2024, GapRequest(chain="AI"))
    assert rows(report) == [("080703", 40, 50, -10, 1.25, SURPLUS), ("080901", 30, 95, -65, 95 / 30, SURPLUS)]


def test_thresholds_and_level(graph: GraphStore) -> None:
    report = talent_gap(graph, 2024, gap_request(graph, shortage_below=0.3, surplus_above=1.3))
    assert [(r.discipline.key, r.status) for r in report.rows] == [
        ("080704", BALANCED), ("100701", SHORTAGE), ("080901", BALANCED), ("080703", BALANCED), ("510201", SURPLUS)]
    vocational = talent_gap(graph, 2024, gap_request(graph, level="higher_vocational"))
    assert rows(vocational) == [("510201", 0, 20, -20, None, SURPLUS)]


def test_method_says_what_was_counted(graph: GraphStore) -> None:
    method = talent_gap(graph, 2024, gap_request(graph, chain="IC", districts=[YANGPU])).method
    for part in ["2024", "IC, IC-D, IC-D-X", "DEMANDS.openings", "OFFERS.graduates", "310110", "< 0.8", "> 1.2",
                 "Sources: demands.csv, offers.csv"]:
        assert part in method


def test_trend_returns_one_report_per_year(graph: GraphStore) -> None:
    trend = talent_gap_trend(graph, 2022, 2024, GapRequest(chain="IC"))
    assert [report.year for report in trend] == [2022, 2023, 2024]
    assert rows(trend[0]) == []
    assert rows(trend[1]) == [("080704", 50, 70, -20, 1.4, SURPLUS)]
    assert rows(trend[2]) == rows(talent_gap(graph, 2024, GapRequest(chain="IC")))


def test_breakdown_by_district(graph: GraphStore) -> None:
    parts = talent_gap_by_district(graph, 2024, GapRequest(chain="IC"))
    summary = [(p.code, p.total_demand, p.total_supply, p.gap, p.status) for p in parts]
    assert summary == [(PUDONG, 110, 30, 80, SHORTAGE), (None, 0, 5, -5, SURPLUS), (YANGPU, 60, 120, -60, SURPLUS)]
    pudong = parts[0]
    assert pudong.district is not None and pudong.district.props["name"] == "浦东新区"
    assert [(r.discipline.key, r.demand, r.supply) for r in pudong.rows] == [
        ("080704", 100, 10), ("100701", 10, 0), ("510201", 0, 20)]
    only = talent_gap_by_district(graph, 2024, gap_request(graph, chain="IC", districts=[MINHANG, YANGPU]))
    assert [(p.code, p.gap, len(p.rows)) for p in only] == [(MINHANG, 0, 0), (YANGPU, -60, 2)]


def test_what_if_applies_changes_in_memory_only(graph: GraphStore) -> None:
    changes = [
        GapChange("080704", graduates=200, district=YANGPU),
        GapChange("080703", openings=50),  # a new enterprise of the chain: 080703 joins the scope
        GapChange("120103", graduates=10),  # not in IC's scope
        GapChange("080901", openings=5, chain="AI"),  # AI is not part of IC
    ]
    result = talent_gap_what_if(graph, 2024, changes, GapRequest(chain="IC"))
    assert rows(result.scenario) == [
        ("100701", 10, 0, 10, 0.0, SHORTAGE),
        ("080703", 50, 50, 0, 1.0, BALANCED),
        ("510201", 0, 20, -20, None, SURPLUS),
        ("080901", 60, 95, -35, 95 / 60, SURPLUS),
        ("080704", 100, 240, -140, 2.4, SURPLUS),
    ]
    assert rows(result.baseline) == rows(talent_gap(graph, 2024, GapRequest(chain="IC")))
    assert len(result.applied) == 2 and len(result.ignored) == 2
    assert "not part of chain IC" in " ".join(result.ignored)
    assert rows(talent_gap(graph, 2024, GapRequest(chain="IC")))[0] == ("080704", 100, 40, 60, 0.4, SHORTAGE)


def test_a_write_is_counted_by_the_next_report(graph: GraphStore) -> None:
    assert rows(talent_gap(graph, 2024, GapRequest(chain="IC")))[2] == ("510201", 0, 20, -20, None, SURPLUS)
    w = GraphWriter(graph)
    w.rel("DEMANDS", NodeRef("Enterprise", E3), NodeRef("Discipline", "510201"), year=2024, openings=25)
    w.write()
    # 20 / 25 = 0.8 is not below shortageBelow 0.8: BALANCED.
    assert rows(talent_gap(graph, 2024, GapRequest(chain="IC")))[2] == ("510201", 25, 20, 5, 0.8, BALANCED)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda g: talent_gap(g, 2024, GapRequest(chain="NOPE")), "no industry chain has the code 'NOPE'"),
        (lambda g: talent_gap(g, 1800), "year 1800 is out of range"),
        (lambda g: gap_request(g, level="phd"), "level 'phd' is not a discipline level"),
        (lambda g: gap_request(g, districts=["3101"]), "'3101' is not a 6-digit"),
        (lambda g: gap_request(g, districts=["310199"]), "no district has the code '310199'"),
        (lambda g: gap_request(g, shortage_below=1.5, surplus_above=1.2), "must not be below shortageBelow"),
        (lambda g: talent_gap_trend(g, 2024, 2020), "toYear 2020 is before fromYear 2024"),
        (lambda g: talent_gap_what_if(g, 2024, [GapChange("999999", graduates=1)]), "no discipline has the code"),
    ],
)
def test_bad_arguments_say_what_is_wrong(graph: GraphStore, call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        call(graph)  # type: ignore[operator]


def test_coverage_gaps(graph: GraphStore) -> None:
    w = GraphWriter(graph)
    zone = w.node("Zone", "LG", name="临港新片区", kind="new_area")
    w.rel("COVERS", zone, NodeRef("District", PUDONG))
    base = w.node("Base", "B1", name="实训基地", type="practice")
    w.rel("SERVES", base, NodeRef("IndustryChain", "IC-D"))
    w.rel("LOCATED_IN", base, NodeRef("District", PUDONG))
    alliance = w.node("Alliance", "AL1", name="集成电路联盟")
    w.rel("SERVES", alliance, NodeRef("IndustryChain", "IC"))
    w.rel("MEMBER_OF", NodeRef("Enterprise", E3), alliance)
    mentor = w.node("Mentor", "M1", name="王工", tier="industry_mentor")
    w.rel("MENTORS_AT", mentor, NodeRef("School", S2))
    w.write()
    gaps = coverage_gaps(graph, chain="IC", districts=[PUDONG, YANGPU])
    # IC's subtree needs 080704, 080901, 510201: all offered in 浦东 or 杨浦.
    assert gaps.disciplines_not_offered.count == 0
    cells = [(c.chain.key, c.area.key, c.base_type) for c in gaps.areas_without_base.items]
    # B1 (practice, 浦东) serves IC-D, part of IC; the zone LG covers 浦东. Districts sort by code.
    assert cells == [("IC", YANGPU, "employment"), ("IC", YANGPU, "teaching"), ("IC", YANGPU, "practice"),
                     ("IC", PUDONG, "employment"), ("IC", PUDONG, "teaching"),
                     ("IC", "LG", "employment"), ("IC", "LG", "teaching")]
    assert [(s.school.key, [d.key for d in s.disciplines]) for s in gaps.schools_without_mentor.items] == [
        (S1, ["080704", "080901"])]
    assert [c.key for c in gaps.chains_without_alliance.items] == ["IC-D", "IC-D-X"]
    assert [(e.enterprise.key, [c.key for c in e.chains]) for e in gaps.enterprises_without_alliance.items] == [
        (E1, ["IC", "IC-D-X"])]
    everywhere = coverage_gaps(graph, districts=[MINHANG], first=1)
    # No school in 闵行: every needed discipline is missing there; AI (no alliance) is a lone chain.
    assert everywhere.disciplines_not_offered.count == 5
    first = everywhere.disciplines_not_offered.items[0]
    assert (first.discipline.key, [c.key for c in first.chains]) == ("080703", ["AI"])
    assert everywhere.chains_without_alliance.count == 3
    assert everywhere.areas_without_base.count == 4 * 3
