"""`chanjiao gap` and `chanjiao match` on an embedded store holding the graphs of
tests/gap_graph.py and tests/match_graph.py: tables, `--json` and exit status 2 on bad arguments.
The expected figures are the hand-computed ones of tests/test_gaps.py and tests/test_matching.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chanjiao.cli import app
from graph.open import open_store
from graph.records import Provenance
from graph.store import GraphStore
from tests import gap_graph, match_graph

RUNNER = CliRunner()


def store_with(tmp_path: Path, write: Callable[[GraphStore], GraphStore]) -> str:
    uri = f"embedded:{tmp_path / 'store'}"
    store = open_store(uri)
    try:
        write(store)
    finally:
        store.close()
    return uri


def test_gap_json_table_and_errors(tmp_path: Path) -> None:
    uri = store_with(tmp_path, gap_graph.write)
    result = RUNNER.invoke(app, ["gap", "--year", "2024", "--chain", "IC", "--json", "--store", uri])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(r["discipline"]["key"], r["demand"], r["supply"], r["status"]) for r in report["rows"]] == [
        ("080704", 100, 40, "SHORTAGE"), ("100701", 10, 0, "SHORTAGE"), ("510201", 0, 20, "SURPLUS"), ("080901", 60, 95, "SURPLUS")]
    assert (report["total_demand"], report["total_supply"]) == (170, 155)
    table = RUNNER.invoke(app, ["gap", "--year", "2024", "--chain", "IC", "--store", uri])
    assert "微电子科学与工程" in table.stdout and "total demand 170, total supply 155" in table.stdout
    trend = json.loads(RUNNER.invoke(app, ["gap", "-y", "2023", "--to-year", "2024", "--chain", "IC", "--json", "--store", uri]).stdout)
    assert [len(year["rows"]) for year in trend] == [1, 4]
    split = json.loads(RUNNER.invoke(app, ["gap", "-y", "2024", "--chain", "IC", "--by-district", "--json", "--store", uri]).stdout)
    assert [part["code"] for part in split] == [gap_graph.PUDONG, None, gap_graph.YANGPU]
    cells = json.loads(RUNNER.invoke(app, ["gap", "-y", "2024", "--chain", "IC", "--coverage", "--json", "--store", uri]).stdout)
    assert cells["chains_without_alliance"]["count"] == 3
    bad = RUNNER.invoke(app, ["gap", "--year", "2024", "--chain", "NOPE", "--store", uri])
    assert bad.exit_code == 2 and "error: chain: no industry chain has the code 'NOPE'" in bad.output


@pytest.mark.parametrize("as_json", [True, False])
def test_match(tmp_path: Path, as_json: bool) -> None:
    uri = store_with(tmp_path, match_graph.write)
    options = ["match", f"Enterprise:{match_graph.E}", "--kind", "school", "--store", uri, "-n", "2"]
    result = RUNNER.invoke(app, [*options, "--json"] if as_json else options)
    assert result.exit_code == 0, result.output
    if as_json:
        report = json.loads(result.stdout)
        assert [m["partner"]["key"] for m in report["matches"]] == [match_graph.S1, match_graph.S2]
        assert report["matches"][0]["score"] == pytest.approx(0.4 * 2 / 3 + 0.2 * 0.8 + 0.2 + 0.2 * 0.5)
        assert [c["name"] for c in report["matches"][0]["components"]] == ["discipline_fit", "capacity", "proximity", "ties"]
    else:
        assert "学校1" in result.stdout and "0.727" in result.stdout
    bad = RUNNER.invoke(app, [*options, "--weights", "fit=1"])
    assert bad.exit_code == 2 and "unknown component 'fit'" in bad.output


def test_names_and_aliases_stand_for_keys_and_the_nearest_are_suggested(tmp_path: Path) -> None:
    uri = store_with(tmp_path, gap_graph.write)
    by_code = json.loads(RUNNER.invoke(app, ["gap", "--year", "2024", "--chain", "IC", "--json", "--store", uri]).stdout)
    by_name = RUNNER.invoke(app, ["gap", "--year", "2024", "--chain", "集成电路", "--json", "--store", uri])
    assert by_name.exit_code == 0, by_name.output
    assert json.loads(by_name.stdout) == by_code
    near = RUNNER.invoke(app, ["gap", "--year", "2024", "--chain", "集成电", "--store", uri])
    assert near.exit_code == 2 and "no industry chain has the code '集成电' or that name; nearest: 集成电路 (IndustryChain:IC)" in near.output


def test_match_takes_a_school_by_name_or_alias(tmp_path: Path) -> None:
    def write(store: GraphStore) -> GraphStore:
        match_graph.write(store)
        store.upsert_nodes("School", [{"code": match_graph.S1, "name": "上海交通大学", "level": "undergraduate"}],
                           Provenance("test", "2025-01-01T00:00:00.000+00:00"))
        return store

    uri = store_with(tmp_path, write)
    by_key = RUNNER.invoke(app, ["match", f"School:{match_graph.S1}", "--kind", "enterprise", "--json", "--store", uri])
    for name in ("上海交通大学", "SJTU", "上海交大"):
        by_name = RUNNER.invoke(app, ["match", name, "--kind", "enterprise", "--json", "--store", uri])
        assert by_name.exit_code == 0, by_name.output
        assert json.loads(by_name.stdout) == json.loads(by_key.stdout)
    missing = RUNNER.invoke(app, ["match", "上海交通", "--kind", "enterprise", "--store", uri])
    assert missing.exit_code == 2 and f"nearest: 上海交通大学 (School:{match_graph.S1})" in missing.output
