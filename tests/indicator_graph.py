"""The small graph of the `indicators` tests (tests/test_indicators.py, tests/api/test_indicators_api.py):

Districts 310115 浦东 and 310114 嘉定; zone Z1 (new_town) covers 嘉定, Z2 (new_area) covers both.
Enterprises: E1 浦东 national, chains IC and AI, synthetic; E2 浦东 municipal, IC; E3 嘉定 none, no
chain; E4 no district, national. Schools S1 浦东, S2 嘉定. Disciplines X1 (needed by IC and AI) and
X2 (needed by AI). DEMANDS: E1→X1 2024 10 (synthetic), E1→X1 2023 5, E2→X2 2024 7, E3→X1 2024 3.
OFFERS: S1→X1 2024 20 graduates, S2→X2 2024 8, S2→X1 2023 4 (synthetic).
Bases: B1 嘉定 teaching, B2 嘉定 practice, B3 浦东 teaching. SERVES: B1→IC and alliance A1 (founded 2020)→AI.
"""

from __future__ import annotations

from graph.records import NodeRef
from graph.store import GraphStore
from tests.insight_graphs import GraphWriter, uscc

PUDONG, JIADING = "310115", "310114"
E1, E2, E3, E4 = (uscc(n) for n in (1, 2, 3, 4))


def write(store: GraphStore) -> GraphStore:
    w = GraphWriter(store)
    pudong, jiading = w.node("District", PUDONG, name="浦东新区"), w.node("District", JIADING, name="嘉定区")
    for code, kind, covered in [("Z1", "new_town", [jiading]), ("Z2", "new_area", [pudong, jiading])]:
        zone = w.node("Zone", code, name=code, kind=kind)
        for area in covered:
            w.rel("COVERS", zone, area)
    ic, ai = (w.node("IndustryChain", code, name=code, tier="leading") for code in ("IC", "AI"))
    x1 = w.node("Discipline", "080901", name="计算机科学与技术", level="undergraduate")
    x2 = w.node("Discipline", "510201", name="计算机应用技术", level="higher_vocational")
    for chain, discipline in [(ic, x1), (ai, x1), (ai, x2)]:
        w.rel("NEEDS", chain, discipline, weight=1.0)
    enterprises = {}
    for key, district, level, chains, synthetic in [(E1, pudong, "national", [ic, ai], True), (E2, pudong, "municipal", [ic], False),
                                                    (E3, jiading, "none", [], False), (E4, None, "national", [], False)]:
        enterprise = enterprises[key] = w.node("Enterprise", key, name=key, integration_level=level, synthetic=synthetic)
        if district:
            w.rel("LOCATED_IN", enterprise, district)
        for chain in chains:
            w.rel("IN_CHAIN", enterprise, chain)
    for key, discipline, year, openings, synthetic in [(E1, x1, 2024, 10, True), (E1, x1, 2023, 5, False),
                                                       (E2, x2, 2024, 7, False), (E3, x1, 2024, 3, False)]:
        w.rel("DEMANDS", enterprises[key], discipline, year=year, openings=openings, synthetic=synthetic)
    s1 = w.node("School", "4131010001", name="S1", level="undergraduate")
    s2 = w.node("School", "4131010002", name="S2", level="higher_vocational")
    w.rel("LOCATED_IN", s1, pudong)
    w.rel("LOCATED_IN", s2, jiading)
    for school, discipline, year, graduates, synthetic in [(s1, x1, 2024, 20, False), (s2, x2, 2024, 8, False),
                                                           (s2, x1, 2023, 4, True)]:
        w.rel("OFFERS", school, discipline, year=year, graduates=graduates, synthetic=synthetic)
    for key, place, kind in [("B1", jiading, "teaching"), ("B2", jiading, "practice"), ("B3", pudong, "teaching")]:
        w.rel("LOCATED_IN", w.node("Base", key, name=key, type=kind), place)
    w.rel("SERVES", NodeRef("Base", "B1"), ic)
    w.rel("SERVES", w.node("Alliance", "A1", name="A1", founded=2020), ai)
    w.write()
    return store
