"""`indicators` on both stores against counts worked out by hand on the graph of tests/indicator_graph.py
(repeated here):

Districts 310115 浦东 and 310114 嘉定; zone Z1 (new_town) covers 嘉定, Z2 (new_area) covers both.
Enterprises: E1 浦东 national, chains IC and AI, synthetic; E2 浦东 municipal, IC; E3 嘉定 none, no
chain; E4 no district, national. Schools S1 浦东, S2 嘉定. Disciplines X1 (needed by IC and AI) and
X2 (needed by AI). DEMANDS: E1→X1 2024 10 (synthetic), E1→X1 2023 5, E2→X2 2024 7, E3→X1 2024 3.
OFFERS: S1→X1 2024 20 graduates, S2→X2 2024 8, S2→X1 2023 4 (synthetic).
Bases: B1 嘉定 teaching, B2 嘉定 practice, B3 浦东 teaching. SERVES: B1→IC and alliance A1 (founded 2020)→AI.
"""

from __future__ import annotations

import re

import pytest

from graph.labels import Lang
from graph.store import GraphStore
from queries.indicators import Indicator, Measure, dimensions, indicators
from tests import indicator_graph
from tests.indicator_graph import JIADING, PUDONG


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    return indicator_graph.write(store)


def table(found: Indicator) -> list[tuple[object, ...]]:
    return [(*[v.value for v in row.group], row.count, row.sum, row.synthetic.synthetic) for row in found.rows]


def one(graph: GraphStore, of: str, group_by: tuple[str, ...], total: str | None = None) -> Indicator:
    return indicators(graph, [Measure(of, group_by, total)])[0]


def test_certified_enterprises_per_district(graph: GraphStore) -> None:
    found = one(graph, "Enterprise", ("district", "integration_level"))
    assert table(found) == [(JIADING, "none", 1, None, 0), (PUDONG, "municipal", 1, None, 0),
                            (PUDONG, "national", 1, None, 1), (None, "national", 1, None, 0)]
    assert (found.count, found.synthetic.synthetic, found.synthetic.share) == (4, 1, 0.25)
    assert [(v.label) for v in found.rows[2].group] == ["浦东新区", "国家级"]
    assert [(v.label) for v in found.rows[3].group] == ["（无）", "国家级"]


def test_bases_per_zone_by_type_count_in_every_zone_covering_their_district(graph: GraphStore) -> None:
    found = one(graph, "Base", ("zone", "type"))
    assert table(found) == [("Z1", "practice", 1, None, 0), ("Z1", "teaching", 1, None, 0),
                            ("Z2", "practice", 1, None, 0), ("Z2", "teaching", 2, None, 0)]


def test_openings_per_chain_and_year_follow_the_enterprise_chains(graph: GraphStore) -> None:
    found = one(graph, "DEMANDS", ("chain", "year"), "openings")
    assert table(found) == [("AI", "2023", 1, 5, 0), ("AI", "2024", 1, 10, 1), ("IC", "2023", 1, 5, 0),
                            ("IC", "2024", 2, 17, 1), (None, "2024", 1, 3, 0)]
    assert found.rows[3].synthetic.share == 0.5


def test_graduates_per_chain_follow_the_chains_needing_the_discipline(graph: GraphStore) -> None:
    found = one(graph, "OFFERS", ("chain", "year"), "graduates")
    assert table(found) == [("AI", "2023", 1, 4, 1), ("AI", "2024", 2, 28, 0), ("IC", "2023", 1, 4, 1),
                            ("IC", "2024", 1, 20, 0)]


def test_several_measures_in_one_call_and_english_labels(graph: GraphStore) -> None:
    offers, zones, everything = indicators(graph, [Measure("OFFERS", ("district",), "graduates"), Measure("Zone", ("district",)),
                                                   Measure("Enterprise")], Lang.EN)
    assert table(offers) == [(JIADING, 2, 12, 1), (PUDONG, 1, 20, 0)]
    assert table(zones) == [(JIADING, 2, None, 0), (PUDONG, 1, None, 0)]
    assert table(everything) == [(4, None, 1)]
    assert [v.label for v in indicators(graph, [Measure("Enterprise", ("integration_level",))], Lang.EN)[0].rows[0].group] == ["Municipal"]


def test_a_relationship_whose_ends_have_no_district_counts_without_one(graph: GraphStore) -> None:
    # SERVES from a base has the base's district; from an alliance (and to a chain) there is none
    assert table(one(graph, "SERVES", ("district", "chain"))) == [(JIADING, "IC", 1, None, 0), (None, "AI", 1, None, 0)]


@pytest.mark.parametrize(("measure", "message"), [
    (Measure("Nope"), "measures[0].of: 'Nope' is neither a node kind"),
    (Measure("Mentor", ("district",)), "Mentor cannot be grouped by 'district'; expected one of tier, in_municipal_pool"),
    (Measure("Enterprise", ("name",)), "Enterprise cannot be grouped by 'name'"),
    (Measure("DEMANDS", (), "year"), "measures[0].sum: DEMANDS has no amount 'year'; expected one of openings"),
    (Measure("Base", ("type", "type")), "groupBy: at most 3 different dimensions"),
])
def test_bad_measures_are_refused_naming_what_and_why(measure: Measure, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        indicators(None, [measure])  # type: ignore[arg-type]  # refused before the store is read


def test_dimensions_come_from_the_model() -> None:
    assert dimensions("Enterprise") == ["district", "zone", "chain", "size", "integration_level", "leading"]
    assert dimensions("OFFERS") == ["district", "zone", "chain", "year"]
    assert dimensions("Alliance") == ["chain", "founded"]
