"""Imports of official open data in the publishers' layouts (loaders/official.py), on both stores,
from the sample files under data/samples/."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from chanjiao.cli import app
from graph.model import NODES
from graph.open import open_store
from graph.records import Direction, NodeRef, Provenance
from graph.store import GraphStore
from graph.validation import validate_node
from loaders.official import import_employment, import_filings, import_integration_enterprises
from loaders.readers import InputError
from loaders.reference import load_reference

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SEED = Provenance("reference", "2025-01-01T00:00:00.000+00:00")
SJTU, SHU, SDJU, STIEI = "4131010248", "4131010280", "4131011458", "4131012499"
TRANSPORT = "4131012497"
FIRM_NAME = "【示例】上海澄芯集成电路有限公司"


def seed(store: GraphStore) -> GraphStore:
    reference = load_reference()
    for label, rows in (("School", reference.schools), ("Discipline", reference.disciplines)):
        typed = []
        for row in rows:
            props, errors = validate_node(NODES[label], {k: v for k, v in row.items() if k != "district"})
            assert errors == {}
            typed.append(props)
        store.upsert_nodes(label, typed, SEED)
    return store


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    return seed(store)


def offers(store: GraphStore, school: str) -> dict[tuple[str, int], dict[str, object]]:
    found = store.neighbours([NodeRef("School", school)], "OFFERS", Direction.OUT)[NodeRef("School", school)]
    return {(n.node.key, int(n.rel.props["year"])): {k: v for k, v in n.rel.props.items() if k in ("graduates", "enrollment")}
            for n in found}


def test_filings_become_offers_for_the_year_with_merged_school_cells(seeded: GraphStore) -> None:
    report = import_filings(seeded, SAMPLES / "undergraduate_filings.csv", 2024)
    assert report.errors == [] and report.rows == 4 and report.written.created == 4
    assert set(offers(seeded, SJTU)) == {("080910T", 2024), ("080717T", 2024)}  # row 3 repeats 上海交通大学
    assert set(offers(seeded, SHU)) == {("080717T", 2024)} and set(offers(seeded, SDJU)) == {("080601", 2024)}
    vocational = import_filings(seeded, SAMPLES / "vocational_filings.csv", 2024)
    assert vocational.errors == [] and vocational.written.created == 3
    assert set(offers(seeded, STIEI)) == {("510401", 2024), ("510201", 2024)}
    assert set(offers(seeded, TRANSPORT)) == {("500201", 2024)}
    again = import_filings(seeded, SAMPLES / "undergraduate_filings.csv", 2024)
    assert (again.written.created, again.written.unchanged) == (0, 4)


def test_employment_figures_set_graduates(seeded: GraphStore) -> None:
    import_filings(seeded, SAMPLES / "vocational_filings.csv", 2024)
    report = import_employment(seeded, SAMPLES / "employment_report.csv", 2024)
    assert report.errors == [] and report.rows == 3
    assert offers(seeded, SJTU) == {("080901", 2024): {"graduates": 312}, ("080701", 2024): {"graduates": 186}}
    assert offers(seeded, STIEI)[("510201", 2024)] == {"graduates": 1024}  # "1,024" as the report writes it
    assert offers(seeded, STIEI)[("510401", 2024)] == {}


def test_bad_cells_are_located_and_nothing_is_written(seeded: GraphStore, tmp_path: Path) -> None:
    bad = tmp_path / "就业质量报告.csv"
    bad.write_text("学校名称,专业代码,专业名称,毕业生人数\n"
                   "上海交通大学,080901,计算机科学与技术,300\n"
                   "上海交通大学学院,080701,电子信息工程,100\n"
                   "复旦大学,08090,计算机,100\n"
                   "复旦大学,089999,不存在,100\n"
                   "同济大学,080901,计算机科学与技术,很多\n", encoding="gb18030")
    before = seeded.stats().relationships["OFFERS"]
    report = import_employment(seeded, bad, 2024)
    assert [error.line for error in report.errors] == [
        f"{bad}:3:学校名称: no school '上海交通大学学院' in the store",
        f"{bad}:4:专业代码: '08090' is not a 4-, 6- or 7-digit discipline code",
        f"{bad}:5:专业代码: '089999' is not a discipline in the store (load the catalogue first)",
        f"{bad}:6:毕业生人数: " + report.errors[-1].message,
    ]
    assert "很多" in report.errors[-1].message
    assert report.written.created == 0 and seeded.stats().relationships["OFFERS"] == before


def test_schools_are_found_by_institution_code_or_its_last_five_digits(seeded: GraphStore, tmp_path: Path) -> None:
    coded = tmp_path / "filings.csv"
    coded.write_text("学校标识码,专业代码,专业名称\n4131010248,080902,软件工程\n10280,080902,软件工程\n99999,080902,软件工程\n",
                     encoding="utf-8")
    report = import_filings(seeded, coded, 2023)
    assert [error.line for error in report.errors] == [f"{coded}:4:学校标识码: no school '99999' in the store"]
    coded.write_text("院校代码,专业代码\n4131010248,080902\n10280,080902\n", encoding="utf-8")
    assert import_filings(seeded, coded, 2023).written.created == 2
    assert ("080902", 2023) in offers(seeded, SHU)


def test_a_file_without_the_needed_columns_is_refused(seeded: GraphStore, tmp_path: Path) -> None:
    headless = tmp_path / "list.csv"
    headless.write_text("名称,代码\n某校,080901\n", encoding="utf-8")
    with pytest.raises(InputError, match="no school column"):
        import_filings(seeded, headless, 2024)
    with pytest.raises(ValueError, match="year: 1800 is below the minimum 1900"):
        import_filings(seeded, SAMPLES / "undergraduate_filings.csv", 1800)


def test_integration_lists_set_the_level_and_never_lower_it(seeded: GraphStore, tmp_path: Path) -> None:
    report = import_integration_enterprises(seeded, SAMPLES / "integration_enterprises.csv", "national")
    assert report.errors == [] and report.written.created == 2
    firm = seeded.find_nodes("Enterprise").nodes[0]
    assert (firm.props["name"], firm.props["integration_level"]) == (FIRM_NAME, "national")
    municipal = tmp_path / "上海市产教融合型企业名单.csv"
    municipal.write_text(f"序号,企业名称\n1,{FIRM_NAME}\n2,【示例】名单外企业\n", encoding="utf-8")
    report = import_integration_enterprises(seeded, municipal, "municipal")
    assert [error.line for error in report.errors] == [
        f"{municipal}:3:企业名称: no enterprise named '【示例】名单外企业' in the store, and no credit code to add it"]
    municipal.write_text(f"序号,企业名称\n1,{FIRM_NAME}\n", encoding="utf-8")
    assert import_integration_enterprises(seeded, municipal, "municipal").errors == []
    assert seeded.get_nodes("Enterprise", [firm.key])[firm.key].props["integration_level"] == "national"


def test_an_official_list_cannot_name_a_synthetic_credit_code(seeded: GraphStore, tmp_path: Path) -> None:
    listed = tmp_path / "list.csv"
    listed.write_text("企业名称,统一社会信用代码\n某公司,013101150000000015\n某公司,91310115MA1K000017\n", encoding="utf-8")
    report = import_integration_enterprises(seeded, listed, "municipal")
    assert [error.column for error in report.errors] == ["统一社会信用代码", "统一社会信用代码"]
    assert "is in the reserved synthetic range" in report.errors[0].message
    assert "checksum" in report.errors[1].message
    assert seeded.stats().nodes["Enterprise"] == 0


def test_the_cli_imports_and_exits_1_on_bad_cells(store_uri: str, tmp_path: Path) -> None:
    graph = open_store(store_uri)
    graph.ensure_schema()
    graph.clear()
    seed(graph)
    graph.close()
    runner = CliRunner()
    done = runner.invoke(app, ["import", "filings", str(SAMPLES / "undergraduate_filings.csv"), "--year", "2024",
                               "--store", store_uri])
    assert done.exit_code == 0, done.output
    assert "4 rows, 0 errors; written: 4 created" in done.output
    bad = tmp_path / "bad.csv"
    bad.write_text("学校名称,专业代码\n不存在大学,080901\n", encoding="utf-8")
    failed = runner.invoke(app, ["import", "filings", str(bad), "--year", "2024", "--store", store_uri])
    assert failed.exit_code == 1 and f"{bad}:2:学校名称: no school '不存在大学' in the store" in failed.output
