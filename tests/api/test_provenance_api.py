"""Provenance in API answers over real HTTP on both stores: `provenance { source synthetic
loadedAt }` on nodes and relationship rows, `dataCoverage`, and the synthetic share of the
insights. Expected values are worked out by hand from `tests/api/dataset.py` (all of it real)."""

from __future__ import annotations

from tests.api.conftest import Api, global_id
from tests.api.dataset import SJTU, SMIC

REAL = {"source": "tests/api/dataset.py", "synthetic": False, "loadedAt": "2025-01-01T00:00:00Z"}
SHARE = "synthetic { inputs syntheticInputs share }"


def test_nodes_and_relationship_rows_carry_their_provenance(api: Api) -> None:
    data = api.query(f"""{{ node(id: "{global_id('School', SJTU)}") {{ ... on School {{
        provenance {{ source synthetic loadedAt }}
        disciplines(first: 1) {{ edges {{ rows {{ year provenance {{ source synthetic loadedAt }} }} }} }} }} }} }}""")["node"]
    assert data["provenance"] == REAL
    assert data["disciplines"]["edges"] == [{"rows": [{"year": 2023, "provenance": REAL}]}]  # 080704 comes first


def test_data_coverage_counts_kinds_relationships_and_years(api: Api) -> None:
    data = api.query(f"""{{ dataCoverage {{ nodes {{ name count synthetic }} relationships {{ name count synthetic }}
        years {{ relationship years {{ year count synthetic }} }} {SHARE} }} }}""")["dataCoverage"]
    nodes = {item["name"]: item["count"] for item in data["nodes"]}
    assert nodes == {"District": 3, "Zone": 0, "School": 4, "Discipline": 4, "Enterprise": 2, "IndustryChain": 4,
                     "Mentor": 2, "Base": 0, "Alliance": 2, "Project": 0, "Course": 0}
    assert {item["name"]: item["count"] for item in data["relationships"]}["OFFERS"] == 8
    assert data["years"] == [
        {"relationship": "OFFERS", "years": [{"year": 2022, "count": 1, "synthetic": 0}, {"year": 2023, "count": 7, "synthetic": 0}]},
        {"relationship": "DEMANDS", "years": [{"year": 2023, "count": 2, "synthetic": 0}]},
    ]
    # 21 nodes and 29 relationships, none synthetic
    assert data["synthetic"] == {"inputs": 21 + 29, "syntheticInputs": 0, "share": 0.0}


def test_insights_state_their_synthetic_share(api: Api) -> None:
    data = api.query(f"""{{ talentGap(year: 2023, chain: "IC") {{ notes {SHARE} }}
        empty: talentGap(year: 2030) {{ notes totalDemand }}
        coverageGaps(chain: "IC") {{ {SHARE} }}
        planTargets(fromYear: 2021, toYear: 2025) {{ {SHARE} targets {{ target basis goal trained yearsMet }} }}
        partnerMatchReport(id: "{global_id('Enterprise', SMIC)}", kind: SCHOOL) {{ {SHARE} }} }}""")
    # IC in 2023: SMIC's two demands, offers of 080704 (SJTU) and 080901 (SJTU, Fudan, USST)
    assert data["talentGap"] == {"notes": [], "synthetic": {"inputs": 6, "syntheticInputs": 0, "share": 0.0}}
    assert data["empty"]["totalDemand"] == 0 and len(data["empty"]["notes"]) == 2
    assert data["coverageGaps"]["synthetic"]["syntheticInputs"] == 0
    assert data["planTargets"]["targets"] == [
        {"target": "doctoral", "basis": "PERIOD", "goal": 100, "trained": 0, "yearsMet": None},
        {"target": "master", "basis": "PERIOD", "goal": 1000, "trained": 0, "yearsMet": None},
        {"target": "skilled", "basis": "YEAR", "goal": 10000, "trained": 0, "yearsMet": 0},
    ]
    assert data["partnerMatchReport"]["synthetic"]["syntheticInputs"] == 0
