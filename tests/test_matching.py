"""`partnerMatches` on the small graph of `tests/match_graph.py` (read its `write` docstring), on
both stores; every score is worked out by hand from the component definitions in
queries/matching.py (default weights 0.4/0.2/0.2/0.2).
"""

from __future__ import annotations

import pytest

from graph.records import NodeRef
from graph.store import GraphStore
from queries.matching import PartnerMatches, Weights, partner_matches
from tests import match_graph
from tests.match_graph import E2, E3, S1, S2, S3, S5, A, E

AB = 1 - 6371.0088 * 0.2 * 3.141592653589793 / 180 / 50  # proximity between A and B


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    return match_graph.write(store)


def ranking(result: PartnerMatches) -> list[tuple[str, float]]:
    return [(match.partner.key, match.score) for match in result.matches]


def values(result: PartnerMatches, key: str) -> dict[str, float]:
    match = next(match for match in result.matches if match.partner.key == key)
    return {part.name: part.value for part in match.components}


def check_scores_are_weighted_means(result: PartnerMatches) -> None:
    for match in result.matches:
        total = sum(part.weight for part in match.components)
        assert match.score == pytest.approx(sum(part.weight * part.value for part in match.components) / total)
        assert 0 <= match.score <= 1 and all(0 <= part.value <= 1 for part in match.components)


def test_schools_for_an_enterprise(graph: GraphStore) -> None:
    result = partner_matches(graph, NodeRef("Enterprise", E), "SCHOOL")
    assert result.year == 2024  # E's latest year of demand
    assert ranking(result) == [
        (S1, pytest.approx(0.4 * 2 / 3 + 0.2 * 0.8 + 0.2 * 1 + 0.2 * 0.5)),
        (S2, pytest.approx(0.4 * 2 / 3 + 0.2 * 1 + 0.2 * AB + 0.2 * 0.5)),
        (S3, pytest.approx(0.4 / 3 + 0.2)),  # S3 and S5 tie: the key decides
        (S5, pytest.approx(0.4 / 3 + 0.2)),
    ]
    assert values(result, S2) == pytest.approx({"discipline_fit": 2 / 3, "capacity": 1.0, "proximity": AB, "ties": 0.5})
    check_scores_are_weighted_means(result)
    fit, capacity, proximity, ties = result.matches[0].components
    assert fit.evidence == "2 of 3 disciplines 华虹 demands are offered by 学校1: 080703 通信工程, 080901 计算机科学与技术"
    assert [(item.key, item.name, item.amount) for item in fit.items] == [("080703", "通信工程", 60), ("080901", "计算机科学与技术", 60)]
    assert capacity.evidence == "120 graduates against 150 openings in the shared disciplines in 2024"
    assert proximity.evidence == "both in 甲区"
    assert [(item.role, item.key) for item in ties.items] == [("alliance", "AL1"), ("cooperation", f"{S1}|{E}")]
    second = result.matches[1].components
    assert second[2].evidence == "甲区 to 乙区: 22.2 km between centroids"
    assert [(item.role, item.key) for item in second[3].items] == [("base", "B1"), ("mentor", "M1")]
    assert [match.existing for match in result.matches] == [True, False, False, False]


def test_existing_partners_can_be_left_out(graph: GraphStore) -> None:
    result = partner_matches(graph, NodeRef("Enterprise", E), "SCHOOL", exclude_existing=True, first=2)
    assert [key for key, _ in ranking(result)] == [S2, S3]
    assert result.candidates == 3


def test_enterprises_for_a_school(graph: GraphStore) -> None:
    result = partner_matches(graph, NodeRef("School", S1), "ENTERPRISE")
    assert ranking(result) == [
        (E, pytest.approx(0.4 * 2 / 3 + 0.2 + 0.2 + 0.2 * 0.5)),
        (E2, pytest.approx(0.4 * 0.5 + 0.2 * 0.5 + 0.2 * AB)),
        (E3, pytest.approx(0.2 * 0.25)),  # only the shared alliance ties it
    ]
    assert result.matches[1].components[1].evidence == "60 graduates against 30 openings in the shared disciplines in 2024"
    check_scores_are_weighted_means(result)


def test_mentors_for_a_school(graph: GraphStore) -> None:
    result = partner_matches(graph, NodeRef("School", S1), "MENTOR")
    assert ranking(result) == [
        ("M1", pytest.approx(0.4 * 0.5 + 0.2 * 0.5 + 0.2 + 0.2 * 0.5)),
        ("M2", pytest.approx(0.4 + 0.2 * 0.5 + 0.2 * 0.25)),  # no employer: no district
        ("M3", pytest.approx(0.4 * 0.5 + 0.2 + 0.2 * AB)),
    ]
    assert result.matches[0].components[0].evidence.startswith("1 of 2 disciplines 导师M1 is expert in are offered by 学校1")
    assert [match.existing for match in result.matches] == [False, True, False]
    assert [key for key, _ in ranking(partner_matches(graph, NodeRef("School", S1), "MENTOR", exclude_existing=True))] == ["M1", "M3"]


def test_mentors_for_a_discipline_skip_proximity(graph: GraphStore) -> None:
    result = partner_matches(graph, NodeRef("Discipline", "080901"), "MENTOR")
    # Schools offering 080901 in 2024: S1, S2, S3. M1's employer E has all four kinds of ties with them.
    assert ranking(result) == [
        ("M1", pytest.approx((0.4 * 0.5 + 0.2 * 0.5 + 0.2 * 1) / 0.8)),
        ("M3", pytest.approx((0.4 * 0.5 + 0.2 * 1) / 0.8)),
        ("M2", pytest.approx((0.2 * 0.5 + 0.2 * 0.25) / 0.8)),
    ]
    proximity = result.matches[0].components[2]
    assert (proximity.weight, proximity.evidence) == (0.0, "not applicable: a discipline has no district")
    check_scores_are_weighted_means(result)


@pytest.mark.parametrize("subject", [NodeRef("School", S1), NodeRef("District", A)])
def test_bases_for_a_school_or_its_district(graph: GraphStore, subject: NodeRef) -> None:
    # District A's schools are S1 and S4; S4 offers nothing in 2024, so both see S1's offers.
    result = partner_matches(graph, subject, "BASE")
    assert ranking(result) == [
        ("B1", pytest.approx(0.4 * 2 / 3 + 0.2 * 100 / 120 + 0.2 + 0.2 * 0.5)),
        ("B2", pytest.approx(0.4 + 0.2 * 10 / 60 + 0.2 * 0.25)),
    ]
    assert result.matches[0].components[1].evidence == "capacity 100 a year against 120 graduates in the shared disciplines"


def test_bases_for_a_discipline(graph: GraphStore) -> None:
    result = partner_matches(graph, NodeRef("Discipline", "080901"), "BASE")
    assert ranking(result) == [
        ("B1", pytest.approx((0.4 / 3 + 0.2 * 100 / 410 + 0.2) / 0.8)),
        ("B2", pytest.approx(0.2 * 0.25 / 0.8)),
    ]


def test_weights_can_be_overridden(graph: GraphStore) -> None:
    result = partner_matches(graph, NodeRef("Enterprise", E), "SCHOOL", weights=Weights(1, 0, 0, 0))
    assert ranking(result) == [(S1, pytest.approx(2 / 3)), (S2, pytest.approx(2 / 3)),
                               (S3, pytest.approx(1 / 3)), (S5, pytest.approx(1 / 3))]
    older = partner_matches(graph, NodeRef("Enterprise", E), "SCHOOL", year=2023)
    # In 2023 E demands only 080704, which no school offered that year; S1 and S2 remain tied to E.
    assert [(key, values(older, key)["discipline_fit"]) for key, _ in ranking(older)] == [(S1, 0.0), (S2, 0.0)]


@pytest.mark.parametrize(
    ("subject", "kind", "options", "message"),
    [
        (NodeRef("Enterprise", E), "MENTOR", {}, "partners of kind MENTOR cannot be matched to a node of kind Enterprise"),
        (NodeRef("Enterprise", E), "TEACHER", {}, "'TEACHER' is not a partner kind"),
        (NodeRef("School", "4131019999"), "ENTERPRISE", {}, "no School has the key '4131019999'"),
        (NodeRef("School", S1), "ENTERPRISE", {"weights": Weights(capacity=-1)}, "weights: capacity is -1"),
        (NodeRef("School", S1), "ENTERPRISE", {"weights": Weights(0, 0, 0, 0)}, "at least one weight"),
        (NodeRef("School", S1), "ENTERPRISE", {"first": 101}, "first 101 is out of range"),
        (NodeRef("Discipline", "080901"), "BASE", {"weights": Weights(0, 0, 1, 0)}, "only proximity is weighted"),
    ],
)
def test_bad_arguments_say_what_is_wrong(graph: GraphStore, subject: NodeRef, kind: str, options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        partner_matches(graph, subject, kind, **options)  # type: ignore[arg-type]
