"""The small graph of the talent-gap and coverage tests; the docstring of `write` is what the
tests' hand-computed expectations rest on."""

from __future__ import annotations

from graph.store import GraphStore
from tests.insight_graphs import GraphWriter, uscc

YANGPU, PUDONG, MINHANG = "310110", "310115", "310112"
S1, S2, S3 = "4131010001", "4131010002", "4131010003"
E1, E2, E3 = uscc(1), uscc(2), uscc(3)


def write(store: GraphStore) -> GraphStore:
    """Chains: IC ← IC-D ← IC-D-X (PART_OF, so IC's subtree is all three) and AI.
    NEEDS: IC→080704, IC-D→080901, IC-D-X→510201, AI→080703, AI→120103.
    Enterprises: E1 (浦东 310115, IN_CHAIN IC-D-X and IC), E2 (杨浦 310110, AI), E3 (杨浦, IC-D).
    DEMANDS 2024: E1→080704 100 and →100701 10; E3→080901 60; E2→080703 40 and →080901 30.
    DEMANDS 2023: E1→080704 50.
    OFFERS 2024: S1 (杨浦) →080704 30, →080901 90; S2 (浦东) →510201 20, →080703 50, →080704 10;
    S3 (no district) →080901 5. OFFERS 2023: S1→080704 70."""
    w = GraphWriter(store)
    districts = {code: w.node("District", code, name=name) for code, name in
                 [(YANGPU, "杨浦区"), (PUDONG, "浦东新区"), (MINHANG, "闵行区")]}
    chains = {code: w.node("IndustryChain", code, name=name, tier=tier) for code, name, tier in
              [("IC", "集成电路", "leading"), ("IC-D", "设计", "segment"), ("IC-D-X", "EDA", "segment"),
               ("AI", "人工智能", "leading")]}
    disciplines = {code: w.node("Discipline", code, name=name, level=level) for code, name, level in
                   [("080901", "计算机科学与技术", "undergraduate"), ("080703", "通信工程", "undergraduate"),
                    ("080704", "微电子科学与工程", "undergraduate"), ("510201", "计算机应用技术", "higher_vocational"),
                    ("100701", "药学", "undergraduate"), ("120103", "工程管理", "undergraduate")]}
    w.rel("PART_OF", chains["IC-D"], chains["IC"])
    w.rel("PART_OF", chains["IC-D-X"], chains["IC-D"])
    for chain, code in [("IC", "080704"), ("IC-D", "080901"), ("IC-D-X", "510201"), ("AI", "080703"), ("AI", "120103")]:
        w.rel("NEEDS", chains[chain], disciplines[code], weight=1.0)
    enterprises = {key: w.node("Enterprise", key, name=name) for key, name in [(E1, "华虹"), (E2, "商汤"), (E3, "芯原")]}
    for key, district, chain_codes in [(E1, PUDONG, ["IC-D-X", "IC"]), (E2, YANGPU, ["AI"]), (E3, YANGPU, ["IC-D"])]:
        w.rel("LOCATED_IN", enterprises[key], districts[district])
        for chain in chain_codes:
            w.rel("IN_CHAIN", enterprises[key], chains[chain])
    for key, code, year, openings in [(E1, "080704", 2024, 100), (E1, "100701", 2024, 10), (E3, "080901", 2024, 60),
                                      (E2, "080703", 2024, 40), (E2, "080901", 2024, 30), (E1, "080704", 2023, 50)]:
        w.rel("DEMANDS", enterprises[key], disciplines[code], "demands.csv", year=year, openings=openings)
    schools = {key: w.node("School", key, name=name, level="undergraduate") for key, name in
               [(S1, "复旦大学"), (S2, "上海电子信息职业技术学院"), (S3, "上海开放大学")]}
    w.rel("LOCATED_IN", schools[S1], districts[YANGPU])
    w.rel("LOCATED_IN", schools[S2], districts[PUDONG])
    for key, code, year, graduates in [(S1, "080704", 2024, 30), (S1, "080901", 2024, 90), (S2, "510201", 2024, 20),
                                       (S2, "080703", 2024, 50), (S2, "080704", 2024, 10), (S3, "080901", 2024, 5),
                                       (S1, "080704", 2023, 70)]:
        w.rel("OFFERS", schools[key], disciplines[code], "offers.csv", year=year, graduates=graduates)
    w.write()
    return store
