"""`--lang zh` on the commands that print tables (`stats`, `gap`, `match`) and on `template`: the
names come from `graph.labels`, the figures and the loadable column names stay as they are."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from chanjiao.cli import app
from tests import gap_graph, match_graph
from tests.test_insights_cli import store_with

RUNNER = CliRunner(env={"COLUMNS": "200"})


def run(*arguments: str) -> str:
    result = RUNNER.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_stats_names_kinds_and_relationships_in_chinese(tmp_path: Path) -> None:
    uri = store_with(tmp_path, gap_graph.write)
    zh, en = run("stats", "--store", uri, "--lang", "zh"), run("stats", "--store", uri)
    assert "产教图谱" in zh and "学校 School" in zh and "需求（岗位） DEMANDS" in zh and "其中合成" in zh
    assert "学校" not in en and "synthetic" in en


def test_gap_headings_and_statuses_in_chinese(tmp_path: Path) -> None:
    uri = store_with(tmp_path, gap_graph.write)
    zh = run("gap", "--year", "2024", "--chain", "IC", "--store", uri, "--lang", "zh")
    assert "人才缺口 2024, 产业链 IC" in zh and "供需比" in zh and "紧缺" in zh and "过剩" in zh
    assert "微电子科学与工程" in zh and "│ SHORTAGE" not in zh  # the method text below the table stays English
    districts = run("gap", "--year", "2024", "--chain", "IC", "--by-district", "--store", uri, "--lang", "zh")
    assert "分区人才缺口" in districts and "（无区）" in districts


def test_match_headings_in_chinese(tmp_path: Path) -> None:
    uri = store_with(tmp_path, match_graph.write)
    zh = run("match", f"Enterprise:{match_graph.E}", "--kind", "school", "--store", uri, "-n", "2", "--lang", "zh")
    assert f"学校 合作伙伴推荐： 企业 {match_graph.E}" in zh and "专业匹配" in zh and "0.727" in zh


def test_chinese_templates_keep_the_column_names_and_describe_them_in_chinese(tmp_path: Path) -> None:
    run("template", "--output", str(tmp_path / "csv"), "--lang", "zh")
    assert (tmp_path / "csv" / "schools.csv").read_bytes().decode("utf-8-sig").startswith("code,name,name_en,level,")
    readme = (tmp_path / "csv" / "README.md").read_text(encoding="utf-8")
    assert "# 产教图谱数据模板" in readme and "| `integration_level` | 产教融合型企业等级 |  | 文本 | 取值：national 国家级、" in readme
    run("template", "--format", "xlsx", "--output", str(tmp_path / "xlsx"), "--lang", "zh")
    sheet = openpyxl.load_workbook(tmp_path / "xlsx" / "chanjiao-template.xlsx")["memberships"]
    assert [cell.value for cell in sheet[1]] == ["alliance", "member", "role"]
    assert sheet["C1"].comment.text == "角色（role）；类型：文本；取值：lead 牵头单位、member 成员单位"
