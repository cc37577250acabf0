"""The bundled dataset (data/shanghai) and its generator: files only, no store, so these run fast."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from graph.model import NODE_KINDS, NODES, NODES_BY_TABLE, REL_TABLES, RELS, NodeKind, RelTable
from graph.validation import LIST_SEPARATOR, check_uscc, validate_node
from loaders.reference import PLAN_DIR, ReferenceDataError, load_reference
from loaders.synthetic import DEFAULT_SEED, SYNTHETIC_TABLES, generate
from loaders.tables import MANIFEST

DATASET = Path(__file__).resolve().parent.parent / "data" / "shanghai"
ALL_TABLES = (*(kind.table for kind in NODE_KINDS), *(table.table for table in REL_TABLES))
SYNTHETIC_NODE_TABLES = ("enterprises", "mentors", "bases", "alliances", "projects", "courses")


@cache
def rows(table: str) -> list[dict[str, str]]:
    with (DATASET / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def keys(label: str) -> frozenset[str]:
    kind = NODES[label]
    return frozenset(row[kind.key] for row in rows(kind.table))


def items(cell: str) -> list[str]:
    return [item for item in cell.split(LIST_SEPARATOR) if item]


def test_every_table_is_present_with_the_model_header() -> None:
    for kind in NODE_KINDS:
        with (DATASET / f"{kind.table}.csv").open(encoding="utf-8") as handle:
            header = handle.readline().rstrip("\n").split(",")
        assert header == [*kind.prop_names, *(ref.column for ref in kind.references)], kind.table
    for table in REL_TABLES:
        with (DATASET / f"{table.table}.csv").open(encoding="utf-8") as handle:
            header = handle.readline().rstrip("\n").split(",")
        assert header == [table.source_column, table.target_column, *table.columns], table.table


def test_reference_counts() -> None:
    assert len(rows("schools")) == 70
    assert len(rows("districts")) == 16
    assert len(rows("disciplines")) == 2088
    levels = Counter(row["level"] for row in rows("disciplines"))
    assert levels == {"undergraduate": 845, "higher_vocational": 771, "vocational_undergraduate": 298,
                      "graduate_academic": 107, "graduate_professional": 67}
    graduate = {row["code"]: (row["name"], row["level"], row["category"]) for row in rows("disciplines")}
    assert graduate["0812"] == ("计算机科学与技术", "graduate_academic", "工学")
    assert graduate["0854"] == ("电子信息", "graduate_professional", "工学")
    assert graduate["1401"] == ("集成电路科学与工程", "graduate_academic", "交叉学科")


def test_schools_mapping() -> None:
    by_name = {row["name"]: row for row in rows("schools")}
    fudan = by_name["复旦大学"]
    assert (fudan["code"], fudan["level"], fudan["ownership"], fudan["double_first_class"], fudan["district"]) == (
        "4131010246", "undergraduate", "public", "true", "310110")
    assert by_name["上海纽约大学"]["ownership"] == "sino_foreign"
    assert by_name["上海杉达学院"]["ownership"] == "private"
    assert by_name["上海中侨职业技术大学"]["level"] == "vocational_undergraduate"
    assert by_name["上海旅游高等专科学校"]["level"] == "higher_vocational"
    assert by_name["上海兴伟学院"]["district"] == ""
    english = {name: row["name_en"] for name, row in by_name.items()}
    assert (english["上海科技大学"], english["上海第二工业大学"], english["上海杉达学院"], english["上海电机学院"]) == (
        "ShanghaiTech University", "Shanghai Polytechnic University", "Sanda University", "Shanghai Dianji University")
    assert english["华东政法大学"] == "East China University of Political Science and Law"
    assert english["海军军医大学"] == "Naval Medical University"
    provisional = {row["name"]: row["code"] for row in rows("schools") if row["code"].startswith("99")}
    assert provisional == {
        "海军军医大学": "9931000001", "上海科创职业技术学院": "9931000002", "上海闵行职业技术学院": "9931000003",
        "上海现代化工职业学院": "9931000004", "上海建设管理职业技术学院": "9931000005", "上海浦东职业技术学院": "9931000006",
    }


def test_every_chain_the_plan_names() -> None:
    tiers = {row["code"]: (row["name"], row["tier"], row["parent"]) for row in rows("industry_chains")}
    leading = {code: name for code, (name, tier, _) in tiers.items() if tier == "leading"}
    clusters = {code: name for code, (name, tier, _) in tiers.items() if tier == "key_cluster"}
    assert sorted(leading.values()) == sorted(["集成电路", "生物医药", "人工智能"])
    assert sorted(clusters.values()) == sorted(["电子信息", "生命健康", "汽车", "高端装备", "先进材料", "时尚消费品"])
    for code in (*leading, *clusters):
        segments = [seg for seg, (_, tier, parent) in tiers.items() if parent == code and tier == "segment"]
        assert 4 <= len(segments) <= 6, code
    assert tiers["IC-DESIGN"] == ("集成电路设计", "segment", "IC")


def test_zones_the_plan_names() -> None:
    zones = {row["code"]: (row["kind"], row["districts"]) for row in rows("zones")}
    assert zones["LINGANG"] == ("new_area", "310115;310120")
    assert sorted(code for code, (kind, _) in zones.items() if kind == "new_town") == [
        "NT-FENGXIAN", "NT-JIADING", "NT-NANHUI", "NT-QINGPU", "NT-SONGJIANG"]
    assert zones["HONGQIAO"][0] == "business_district"
    assert zones["SCIP"] == ("chemical_park", "310116;310120")


def test_crosswalk_covers_three_levels_for_every_chain() -> None:
    level = {row["code"]: row["level"] for row in rows("disciplines")}
    covered: dict[str, set[str]] = {}
    for need in rows("chain_needs"):
        covered.setdefault(need["chain"], set()).add(level[need["discipline"]])
        assert 0 <= float(need["weight"]) <= 1
    assert set(covered) == keys("IndustryChain")
    wanted = {"undergraduate", "higher_vocational", "vocational_undergraduate"}
    assert all(levels == wanted for levels in covered.values())
    assert {"080704", "080710T", "510401", "310401"} <= {n["discipline"] for n in rows("chain_needs") if n["chain"].startswith("IC")}


@pytest.mark.parametrize("kind", NODE_KINDS, ids=lambda kind: kind.label)
def test_every_node_row_validates_and_keys_are_unique(kind: NodeKind) -> None:
    for number, row in enumerate(rows(kind.table), start=2):
        _, errors = validate_node(kind, row)
        assert errors == {}, f"{kind.table}.csv:{number}: {errors}"
    counts = Counter(row[kind.key] for row in rows(kind.table))
    assert [key for key, count in counts.items() if count > 1] == []


def test_every_credit_code_passes_the_checksum() -> None:
    codes = [row["uscc"] for row in rows("enterprises")]
    assert len(codes) == 500
    for code in codes:
        assert check_uscc(code) == code
        assert code[:4] == "0131"  # the reserved synthetic range (authority 0, enterprise), Shanghai


@pytest.mark.parametrize("kind", [kind for kind in NODE_KINDS if kind.references], ids=lambda kind: kind.label)
def test_every_node_reference_resolves(kind: NodeKind) -> None:
    for number, row in enumerate(rows(kind.table), start=2):
        for ref in kind.references:
            values = items(row[ref.column]) if ref.many else [row[ref.column]] if row[ref.column] else []
            assert len(values) == len(set(values)), f"{kind.table}.csv:{number}:{ref.column} repeats a key"
            missing = [value for value in values if value not in keys(ref.target)]
            assert missing == [], f"{kind.table}.csv:{number}:{ref.column}: {missing}"


@pytest.mark.parametrize("rel_table", REL_TABLES, ids=lambda table: table.table)
def test_every_relationship_row_resolves_once(rel_table: RelTable) -> None:
    kind = RELS[rel_table.rel_type]
    sources = frozenset().union(*(keys(label) for label in kind.sources))
    seen: set[tuple[str, ...]] = set()
    for number, row in enumerate(rows(rel_table.table), start=2):
        where = f"{rel_table.table}.csv:{number}"
        assert row[rel_table.source_column] in sources, where
        assert row[rel_table.target_column] in keys(kind.target), where
        identity = (row[rel_table.source_column], row[rel_table.target_column], *(row[k] for k in kind.key))
        assert identity not in seen, f"{where}: duplicate"
        seen.add(identity)


def test_schools_offer_majors_of_their_own_level() -> None:
    school_level = {row["code"]: row["level"] for row in rows("schools")}
    discipline_level = {row["code"]: row["level"] for row in rows("disciplines")}
    allowed = {"undergraduate": {"undergraduate"}, "higher_vocational": {"higher_vocational"},
               "vocational_undergraduate": {"vocational_undergraduate", "higher_vocational"}}
    for offer in rows("offers"):
        assert discipline_level[offer["discipline"]] in allowed[school_level[offer["school"]]], offer
    assert {offer["year"] for offer in rows("offers")} == {"2021", "2022", "2023", "2024", "2025"}


def test_synthetic_records_are_marked() -> None:
    for table in SYNTHETIC_NODE_TABLES:
        assert all(row["name"].startswith("【示例】") for row in rows(table)), table
    for table in ("mentors", "bases", "alliances", "projects", "courses"):
        key = NODES_BY_TABLE[table].key
        assert all(row[key].startswith("SYN-") for row in rows(table)), table
    assert all(row["email"].endswith("@chanjiao.example") for row in rows("mentors"))
    assert set(SYNTHETIC_TABLES) | {"districts", "schools", "disciplines", "industry_chains", "zones",
                                    "chain_needs"} == set(ALL_TABLES)


def test_project_degree_levels_measure_the_plan_targets() -> None:
    trained = Counter[str]()
    for project in rows("projects"):
        trained[project["degree_level"]] += int(project["trained"])
    assert set(trained) == {"doctoral", "master", "bachelor", "vocational", "on_job"}
    assert trained["doctoral"] < trained["master"] < trained["vocational"]


def test_the_generator_is_deterministic_and_matches_the_checked_in_dataset(tmp_path: Path) -> None:
    generate(tmp_path / "a", 1, DEFAULT_SEED)
    for table in ALL_TABLES:
        assert (tmp_path / "a" / f"{table}.csv").read_bytes() == (DATASET / f"{table}.csv").read_bytes(), table
    other = generate(tmp_path / "b", 1, DEFAULT_SEED + 1)
    assert other.rows["enterprises"] == 500
    assert (tmp_path / "b" / "enterprises.csv").read_bytes() != (DATASET / "enterprises.csv").read_bytes()
    assert (tmp_path / "b" / "schools.csv").read_bytes() == (DATASET / "schools.csv").read_bytes()
    assert sorted(path.name for path in (tmp_path / "a").iterdir()) == sorted([f"{t}.csv" for t in ALL_TABLES] + [MANIFEST])
    assert (tmp_path / "a" / MANIFEST).read_bytes() == (DATASET / MANIFEST).read_bytes()


def test_scale_multiplies_the_synthetic_nodes(tmp_path: Path) -> None:
    report = generate(tmp_path, 2, 7)
    expected = {"enterprises": 1000, "mentors": 1600, "bases": 400, "alliances": 60, "projects": 600, "courses": 400}
    assert {table: report.rows[table] for table in expected} == expected
    assert report.rows["schools"] == 70 and report.rows["disciplines"] == 2088
    assert report.nodes == sum(report.rows[kind.table] for kind in NODE_KINDS)


def test_bad_plan_data_names_file_row_and_column(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, plan)
    with (plan / "chain_needs.csv").open("a", encoding="utf-8") as handle:
        handle.write("IC,999999,0.5\n")
    lines = (plan / "chain_needs.csv").read_text(encoding="utf-8").count("\n")
    with pytest.raises(ReferenceDataError, match=rf"chain_needs.csv:{lines}:discipline: '999999' is not a code"):
        load_reference(plan_dir=plan)


def test_bad_scale_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale must be a whole number of at least 1, not 0"):
        generate(tmp_path, 0, 1)
    assert not any(tmp_path.iterdir())
