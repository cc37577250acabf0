"""Provenance on both stores: a load marks rows real or synthetic from the dataset's manifest
(`provenance.csv`) and per-row `synthetic` cells; answers state the share of synthetic input they
used; a real row never merges onto a synthetic node; `dataCoverage` and the talent gap's notes say
which years have data. Expected figures are worked out by hand from the tables written here.

The tables: districts 310104 徐汇区, 310115 浦东新区; schools 复旦 (4131010246, 徐汇) and 交大
(4131010248, 浦东); disciplines 080901, 080702; chain IC needing both; enterprises E1 (浦东) and
E2 (徐汇), both IN_CHAIN IC; offers 复旦 080901 2024 (110), 交大 080702 2024 (85), 交大 080901
2023 (40); demands E1 080702 2024 (100), E2 080901 2024 (60); projects P1 (training camp, 2024,
500 trained) and P2 (joint_rd doctoral 2023–2024, 10).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chanjiao.cli import app
from graph.projection import Selection
from graph.records import Direction, NodeRef
from graph.store import GraphStore
from loaders.report import LoadReport
from loaders.run import LoadOptions, load, prepare
from queries import analytics, coverage, data_coverage, gaps, matching, network, targets
from queries.exports import export_share

E1, E2 = "91310115MA1H000011", "91310110MA1G000029"
TABLES = {
    "districts": "code,name\n310104,徐汇区\n310115,浦东新区\n",
    "schools": "code,name,level,district\n4131010246,复旦大学,undergraduate,310104\n4131010248,上海交通大学,undergraduate,310115\n",
    "disciplines": "code,name,level\n080901,计算机科学与技术,undergraduate\n080702,电子科学与技术,undergraduate\n",
    "industry_chains": "code,name,tier\nIC,集成电路,leading\n",
    "chain_needs": "chain,discipline,weight\nIC,080702,1.0\nIC,080901,0.5\n",
    "enterprises": f"uscc,name,district,chains\n{E1},浦东芯片有限公司,310115,IC\n{E2},徐汇软件有限公司,310104,IC\n",
    "offers": "school,discipline,year,enrollment,graduates\n4131010246,080901,2024,120,110\n"
              "4131010248,080702,2024,90,85\n4131010248,080901,2023,50,40\n",
    "demands": f"enterprise,discipline,year,openings,level\n{E1},080702,2024,100,undergraduate\n{E2},080901,2024,60,undergraduate\n",
    "projects": "id,name,type,status,degree_level,start_year,end_year,trained,chains\n"
                "P1,芯片训练营,training_camp,running,vocational,2024,2024,500,IC\nP2,博士专项,joint_rd,running,doctoral,2023,2024,10,IC\n",
}
MANIFEST = ("table,synthetic,source\nschools,false,MoE list (test)\noffers,true,synthetic (test)\n"
            "enterprises,true,synthetic (test)\n")
# The demands table marks its first row synthetic itself; the manifest does not name demands.
MARKED_DEMANDS = (f"enterprise,discipline,year,openings,level,synthetic\n{E1},080702,2024,100,undergraduate,true\n"
                  f"{E2},080901,2024,60,undergraduate,\n")


def write(folder: Path, tables: dict[str, str], manifest: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table, text in tables.items():
        (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    if manifest is not None:
        (folder / "provenance.csv").write_text(manifest, encoding="utf-8")
    return folder


def load_folder(store: GraphStore, folder: Path, tmp_path: Path, replace_synthetic: bool = False) -> LoadReport:
    options = LoadOptions(rejects_dir=tmp_path / "rejects", replace_synthetic=replace_synthetic)
    return load(prepare([folder], options), store, options)


def node(store: GraphStore, label: str, key: str) -> dict[str, object]:
    return dict(store.get_nodes(label, [key])[key].props)


def test_real_data_has_no_synthetic_share_anywhere(store: GraphStore, tmp_path: Path) -> None:
    report = load_folder(store, write(tmp_path / "real", TABLES), tmp_path)
    assert not report.errors
    school = node(store, "School", "4131010246")
    assert (school["synthetic"], school["source"]) == (False, "schools.csv")
    gap = gaps.talent_gap(store, 2024)
    assert (gap.synthetic.inputs, gap.synthetic.synthetic, gap.synthetic.share) == (4, 0, 0.0)  # 2 demands, 2 offers
    # OFFERS of the needed disciplines (all three); no SERVES from bases or alliances, no mentors, no members.
    assert (coverage.coverage_gaps(store, "IC").synthetic.inputs, coverage.coverage_gaps(store, "IC").synthetic.synthetic) == (3, 0)
    plan = targets.plan_targets(store, 2021, 2025)
    assert (plan.synthetic.inputs, plan.synthetic.synthetic) == (3, 0)  # P1 in 2024, P2 in 2023 and 2024
    match = matching.partner_matches(store, NodeRef("Enterprise", E1), "SCHOOL")
    # E1 and 交大 (the one school offering 080702), E1's demand of 080702 and 交大's offer of it, both of 2024
    assert (match.synthetic.inputs, match.synthetic.synthetic) == (4, 0)
    assert data_coverage.data_coverage(store).synthetic.synthetic == 0
    assert export_share(store.projection().subgraph(Selection.of())).share == 0.0


def test_the_manifest_and_row_cells_mark_what_is_synthetic(store: GraphStore, tmp_path: Path) -> None:
    report = load_folder(store, write(tmp_path / "mixed", {**TABLES, "demands": MARKED_DEMANDS}, MANIFEST), tmp_path)
    assert not report.errors and not report.warnings
    assert {k: node(store, "School", "4131010248")[k] for k in ("synthetic", "source")} == {"synthetic": False, "source": "MoE list (test)"}
    assert {k: node(store, "Enterprise", E1)[k] for k in ("synthetic", "source")} == {"synthetic": True, "source": "synthetic (test)"}
    located = store.neighbours([NodeRef("Enterprise", E1)], "LOCATED_IN", Direction.OUT)[NodeRef("Enterprise", E1)]
    assert [hit.rel.props["synthetic"] for hit in located] == [True]  # a synthetic table's references are synthetic
    demands = store.neighbours([NodeRef("Enterprise", E2)], "DEMANDS", Direction.OUT)[NodeRef("Enterprise", E2)]
    assert [(hit.rel.props["synthetic"], hit.rel.props["source"]) for hit in demands] == [(False, "demands.csv")]
    gap = gaps.talent_gap(store, 2024)
    assert (gap.synthetic.inputs, gap.synthetic.synthetic, gap.synthetic.share) == (4, 3, 0.75)  # 2 offers + E1's demand
    assert coverage.coverage_gaps(store, "IC").synthetic.share == 1.0  # the three offers
    facts = data_coverage.data_coverage(store)
    years = {rel.rel_type: [(y.year, y.total, y.synthetic) for y in rel.years] for rel in facts.years}
    assert years == {"OFFERS": [(2023, 1, 1), (2024, 2, 2)], "DEMANDS": [(2024, 2, 1)]}
    nodes = {kind.name: (kind.total, kind.synthetic) for kind in facts.nodes}
    assert nodes["Enterprise"] == (2, 2) and nodes["School"] == (2, 0) and nodes["Mentor"] == (0, 0)
    rels = {kind.name: (kind.total, kind.synthetic) for kind in facts.relationships}
    assert rels["IN_CHAIN"] == (2, 2) and rels["NEEDS"] == (2, 0) and rels["OFFERS"] == (3, 3)


def test_every_insight_counts_the_synthetic_rows_it_used(store: GraphStore, tmp_path: Path) -> None:
    """Matches count the nodes and the OFFERS/DEMANDS they compared, the district breakdown each
    district's rows, networks and analyses their nodes and relationships."""
    load_folder(store, write(tmp_path / "mixed", {**TABLES, "demands": MARKED_DEMANDS}, MANIFEST), tmp_path)
    # E1 (synthetic) and its synthetic 080702 demand of 2024; 交大 (real) and its 080702 offer of 2024 (synthetic).
    found = matching.partner_matches(store, NodeRef("Enterprise", E1), "SCHOOL")
    assert (found.synthetic.inputs, found.synthetic.synthetic) == (4, 3)
    [match] = found.matches
    assert (match.synthetic.inputs, match.synthetic.synthetic) == (4, 3)
    # 徐汇: 复旦's offer (synthetic) and E2's demand (real); 浦东: 交大's offer and E1's demand, both synthetic.
    parts = gaps.talent_gap_by_district(store, 2024)
    assert {part.code: (part.synthetic.inputs, part.synthetic.synthetic) for part in parts} == {"310104": (2, 1), "310115": (2, 2)}
    # 交大, 080702 and 080901 (real) and its two offers (synthetic); LOCATED_IN is not followed.
    around = network.partner_network(store, NodeRef("School", "4131010248"), depth=1)
    assert (around.synthetic.inputs, around.synthetic.synthetic) == (5, 2)
    # Schools, disciplines and the three offers between them.
    ranked = analytics.centrality(store, Selection.of(["School", "Discipline"], ["OFFERS"]), "degree", 5)
    assert (ranked.computed.synthetic.inputs, ranked.computed.synthetic.synthetic) == (4 + 3, 3)


def test_a_year_without_data_says_so(store: GraphStore, tmp_path: Path) -> None:
    load_folder(store, write(tmp_path / "mixed", TABLES), tmp_path)
    assert gaps.talent_gap(store, 2024).notes == ()
    [note] = gaps.talent_gap(store, 2023).notes  # offers of 2023 exist, demands do not
    assert note.startswith("No data: the store holds no DEMANDS of 2023 (DEMANDS has data for 2024)")
    assert len(gaps.talent_gap(store, 2030).notes) == 2


def test_a_real_row_never_merges_onto_a_synthetic_node(store: GraphStore, tmp_path: Path) -> None:
    load_folder(store, write(tmp_path / "mixed", TABLES, MANIFEST), tmp_path)
    real = write(tmp_path / "real", {"enterprises": f"uscc,name,district\n{E1},浦东芯片股份有限公司,310115\n"})
    report = load_folder(store, real, tmp_path)
    [error] = report.errors
    assert (error.row, error.column) == (2, "uscc") and "is a synthetic node in the store" in error.message
    assert "--replace-synthetic" in error.message
    assert node(store, "Enterprise", E1)["name"] == "浦东芯片有限公司"
    report = load_folder(store, real, tmp_path, replace_synthetic=True)
    assert not report.errors
    replaced = node(store, "Enterprise", E1)
    assert (replaced["name"], replaced["synthetic"], replaced["source"]) == ("浦东芯片股份有限公司", False, "enterprises.csv")


def test_stats_json_keeps_its_keys_and_adds_synthetic_counts_and_years(store_uri: str, store: GraphStore, tmp_path: Path) -> None:
    load_folder(store, write(tmp_path / "mixed", TABLES, MANIFEST), tmp_path)
    store.close()
    result = CliRunner().invoke(app, ["stats", "--json", "--store", store_uri])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert list(found) == ["nodes", "relationships", "synthetic", "years"]
    assert found["nodes"]["Enterprise"] == 2 and found["synthetic"]["nodes"]["Enterprise"] == 2
    assert found["years"]["OFFERS"] == {"2023": {"count": 1, "synthetic": 1}, "2024": {"count": 2, "synthetic": 2}}
    text = CliRunner().invoke(app, ["gap", "--year", "2024", "--store", store_uri])
    assert "synthetic input: 50.0% (2 of 4 DEMANDS and OFFERS relationships summed)" in text.output
    # Each district: one synthetic offer, one real demand.
    text = CliRunner().invoke(app, ["gap", "--year", "2024", "--by-district", "--store", store_uri])
    assert "synthetic input: 50.0% (2 of 4 DEMANDS and OFFERS relationships summed)" in text.output and "50.0%" in text.output
    # E1 (synthetic) with its real 080702 demand, 交大 (real) with its synthetic offer of it.
    text = CliRunner().invoke(app, ["match", f"Enterprise:{E1}", "--kind", "school", "--store", store_uri])
    assert "synthetic input: 50.0% (2 of 4 nodes and relationships compared" in text.output
    # Two schools and two disciplines, three offers.
    text = CliRunner().invoke(app, ["analyze", "degree", "--labels", "School,Discipline", "--relationships", "OFFERS", "--store", store_uri])
    assert "synthetic input: 42.9% (3 of 7 nodes and relationships analysed)" in text.output


@pytest.mark.parametrize("bad", ["maybe"])
def test_a_bad_synthetic_cell_is_located(store: GraphStore, tmp_path: Path, bad: str) -> None:
    folder = write(tmp_path / "bad", {**TABLES, "demands": MARKED_DEMANDS.replace(",true\n", f",{bad}\n")})
    [error] = load_folder(store, folder, tmp_path).errors
    assert (error.row, error.column) == (2, "synthetic") and bad in error.message
