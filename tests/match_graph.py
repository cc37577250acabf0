"""The small graph of the matching tests; the docstring of `write` is what the tests'
hand-computed scores rest on."""

from __future__ import annotations

from graph.store import GraphStore
from tests.insight_graphs import GraphWriter, uscc

A, B, C = "310101", "310104", "310151"
S1, S2, S3, S4, S5 = (f"413101000{n}" for n in range(1, 6))
E, E2, E3 = uscc(1), uscc(2), uscc(3)


def write(store: GraphStore) -> GraphStore:
    """Districts A, B, C lie on one meridian (121.5°E at 31.0°, 31.2° and 32.0°N), so A–B is
    6371.0088 km × 0.2° = 22.239 km (proximity 1 − 22.239/50 = 0.555220) and A–C is 111.2 km (0).

    E (A) demands in 2024 080901 ×100, 080703 ×50, 080704 ×50 (and 080704 ×20 in 2023);
    E2 (B) demands 080901 ×30, 100701 ×20; E3 (C) demands nothing. E, E3 and S1 are in alliance AL1;
    S1 cooperates with E.
    S1 (A) offers in 2024 080901 ×60, 080703 ×60; S2 (B) 080901 ×200, 080704 ×10, 100701 ×30;
    S3 (C) 080901 ×150; S4 (A) 080901 ×40 in 2023 only; S5 (no district) 080703 ×50.
    M1 works for E, is expert in 080901 and 100701 and mentors at S2; M2 (no employer) is expert in
    080703 and mentors at S1; M3 works for E2, expert in 080901 and 080704.
    B1 (A, hosted by E, capacity 100) trains 080901, 080703, 100701 and partners S2;
    B2 (C, no host, capacity 10) trains 080703 and partners S1."""
    w = GraphWriter(store)
    district = {code: w.node("District", code, name=name, longitude=121.5, latitude=lat)
                for code, name, lat in [(A, "甲区", 31.0), (B, "乙区", 31.2), (C, "丙区", 32.0)]}
    discipline = {code: w.node("Discipline", code, name=name, level="undergraduate") for code, name in
                  [("080901", "计算机科学与技术"), ("080703", "通信工程"), ("080704", "微电子科学与工程"), ("100701", "药学")]}
    firm = {key: w.node("Enterprise", key, name=name) for key, name in [(E, "华虹"), (E2, "商汤"), (E3, "上汽")]}
    school = {key: w.node("School", key, name=f"学校{key[-1]}", level="undergraduate") for key in [S1, S2, S3, S4, S5]}
    for node, where in [(firm[E], A), (firm[E2], B), (firm[E3], C), (school[S1], A), (school[S2], B),
                        (school[S3], C), (school[S4], A)]:
        w.rel("LOCATED_IN", node, district[where])
    for key, code, year, openings in [(E, "080901", 2024, 100), (E, "080703", 2024, 50), (E, "080704", 2024, 50),
                                      (E, "080704", 2023, 20), (E2, "080901", 2024, 30), (E2, "100701", 2024, 20)]:
        w.rel("DEMANDS", firm[key], discipline[code], year=year, openings=openings)
    for key, code, year, graduates in [(S1, "080901", 2024, 60), (S1, "080703", 2024, 60), (S2, "080901", 2024, 200),
                                       (S2, "080704", 2024, 10), (S2, "100701", 2024, 30), (S3, "080901", 2024, 150),
                                       (S4, "080901", 2023, 40), (S5, "080703", 2024, 50)]:
        w.rel("OFFERS", school[key], discipline[code], year=year, graduates=graduates)
    alliance = w.node("Alliance", "AL1", name="集成电路联盟")
    for member in (firm[E], firm[E3], school[S1]):
        w.rel("MEMBER_OF", member, alliance, role="member")
    w.rel("COOPERATES_WITH", school[S1], firm[E], since=2020)
    for key, employer, codes, at in [("M1", E, ["080901", "100701"], S2), ("M2", None, ["080703"], S1),
                                     ("M3", E2, ["080901", "080704"], None)]:
        mentor = w.node("Mentor", key, name=f"导师{key}", tier="industry_mentor")
        if employer:
            w.rel("EMPLOYED_BY", mentor, firm[employer])
        if at:
            w.rel("MENTORS_AT", mentor, school[at])
        for code in codes:
            w.rel("EXPERT_IN", mentor, discipline[code])
    for key, host, where, capacity, codes, partner in [("B1", E, A, 100, ["080901", "080703", "100701"], S2),
                                                       ("B2", None, C, 10, ["080703"], S1)]:
        base = w.node("Base", key, name=f"基地{key}", type="practice", capacity=capacity)
        w.rel("LOCATED_IN", base, district[where])
        w.rel("PARTNERS_WITH", base, school[partner])
        if host:
            w.rel("HOSTED_BY", base, firm[host])
        for code in codes:
            w.rel("TRAINS", base, discipline[code])
    w.write()
    return store
