"""`chanjiao load` and `chanjiao template` from the outside: exit codes, output, templates, unsafe
workbooks, and a load killed mid-way then re-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from chanjiao.cli import app
from graph.open import open_store
from loaders.readers import InputError
from loaders.run import LoadOptions, prepare
from tests.test_loaders import (
    BASIC,
    BASIC_NODES,
    BASIC_RELS,
    bad_school_rows,
    basic_tables,
    nonzero,
    write_dataset,
    write_offers_broken_deep_inside,
)

runner = CliRunner()


@pytest.fixture
def cli_store(store_uri: str) -> str:
    """A store URI whose store starts empty; the command opens it itself."""
    graph = open_store(store_uri)
    graph.ensure_schema()
    graph.clear()
    graph.close()
    return store_uri


def stats_of(uri: str) -> tuple[dict[str, int], dict[str, int]]:
    graph = open_store(uri)
    try:
        stats = graph.stats()
    finally:
        graph.close()
    return nonzero(stats.nodes), nonzero(stats.relationships)


def test_exit_0_when_every_row_loads(cli_store: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["load", str(BASIC), "--store", cli_store, "--rejects", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "chanjiao load (written)" in result.stdout
    assert stats_of(cli_store) == (BASIC_NODES, BASIC_RELS)


def test_exit_1_with_error_lines_on_stdout_and_a_reject_file(cli_store: str, tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "in", {"districts": basic_tables()["districts"], "schools": bad_school_rows()}, "csv")
    result = runner.invoke(app, ["load", str(path), "--store", cli_store, "--rejects", str(tmp_path / "rejects")])
    assert result.exit_code == 1
    error_lines = [line for line in result.stdout.splitlines() if line.startswith(str(path))]
    assert len(error_lines) == 6
    assert error_lines[0] == f"{path / 'schools.csv'}:2:code: '413101024' is not a 10-digit MoE institution code"
    assert (tmp_path / "rejects" / "schools.csv").exists()


def test_json_report_is_one_object(cli_store: str, tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "in", {"districts": basic_tables()["districts"], "schools": bad_school_rows()}, "csv")
    args = ["load", str(path), "--store", cli_store, "--json", "--dry-run"]
    result = runner.invoke(app, args)
    report = json.loads(result.stdout)
    assert (result.exit_code, report["exit_code"], report["dry_run"], report["written"]) == (1, 1, True, False)
    # 3 districts + the one good school + its LOCATED_IN would be created; 6 rows rejected
    assert report["totals"] == {"created": 5, "updated": 0, "unchanged": 0, "rejected": 6}
    assert [error["row"] for error in report["errors"]] == [2, 3, 4, 5, 6, 8]
    assert stats_of(cli_store) == ({}, {})


def test_strict_exits_1_and_writes_nothing(cli_store: str, tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "in", {"districts": basic_tables()["districts"], "schools": bad_school_rows()}, "csv")
    result = runner.invoke(app, ["load", str(path), "--store", cli_store, "--strict"])
    assert result.exit_code == 1
    assert "strict: nothing written" in result.stdout
    assert stats_of(cli_store) == ({}, {})


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "no such file or folder"),
        ({"schools.csv": "name,level\n"}, "missing required column code; the expected header of schools is: code,name,"),
        ({"colleges.csv": "code\n"}, "unknown table 'colleges'"),
    ],
)
def test_exit_2_on_unusable_input(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    target = tmp_path / next(iter(files), "missing.csv")
    result = runner.invoke(app, ["load", str(target), "--store", f"embedded:{tmp_path / 'store'}"])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    json_result = runner.invoke(app, ["load", str(target), "--store", f"embedded:{tmp_path / 'store'}", "--json"])
    assert json.loads(json_result.stdout)["exit_code"] == 2


def test_help_says_where_error_lines_go() -> None:
    result = runner.invoke(app, ["load", "--help"])
    assert "standard output" in result.stdout and "Exit status" in result.stdout



def test_exit_2_on_unusable_input_deep_inside_a_file_with_nothing_written(cli_store: str, tmp_path: Path) -> None:
    path = write_offers_broken_deep_inside(tmp_path / "in", "csv")
    result = runner.invoke(app, ["load", str(path), "--store", cli_store, "--rejects", str(tmp_path / "rejects")])
    assert result.exit_code == 2
    assert "offers.csv: starts like UTF-16 text but is not" in " ".join(result.stderr.split())
    assert stats_of(cli_store) == ({}, {})

# -- templates -----------------------------------------------------------------------------------------------


def test_csv_templates_have_headers_and_a_readme(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "--output", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "schools.csv").read_bytes().decode("utf-8-sig") == (
        "code,name,name_en,level,ownership,authority,double_first_class,benchmark,district\r\n"
    )
    assert (tmp_path / "offers.csv").read_bytes().decode("utf-8-sig") == "school,discipline,year,enrollment,graduates\r\n"
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "| `uscc` | yes | text | Unified social credit code (GB 32100-2015) |" in readme
    assert len(list(tmp_path.glob("*.csv"))) == 17  # 11 node tables + 6 relationship tables


def test_xlsx_template_has_commented_headers(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "--format", "xlsx", "--output", str(tmp_path)])
    assert result.exit_code == 0
    workbook = openpyxl.load_workbook(tmp_path / "chanjiao-template.xlsx")
    assert len(workbook.sheetnames) == 17
    sheet = workbook["memberships"]
    assert [cell.value for cell in sheet[1]] == ["alliance", "member", "role"]
    assert sheet["B1"].comment.text == "The member: a School's code or an Enterprise's uscc; type: text; required"
    assert sheet["C1"].comment.text == "lead or member; type: text; one of: lead, member"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_empty_templates_load_as_they_are(tmp_path: Path, file_format: str) -> None:
    runner.invoke(app, ["template", "--format", file_format, "--output", str(tmp_path / "t")])
    target = tmp_path / "t" / "chanjiao-template.xlsx" if file_format == "xlsx" else tmp_path / "t"
    result = runner.invoke(app, ["load", str(target), "--store", f"embedded:{tmp_path / 'store'}", "--json"])
    report = json.loads(result.stdout)
    assert (result.exit_code, report["errors"], report["warnings"], len(report["tables"])) == (0, [], [], 17)


# -- unsafe workbooks ------------------------------------------------------------------------------------------


def test_a_zip_bomb_workbook_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "schools.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 20_000_000 + b"</a>")
    with pytest.raises(InputError, match="a likely zip bomb"):
        prepare([path], LoadOptions())


def test_openpyxl_parses_with_defusedxml() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


# -- a load killed mid-way -------------------------------------------------------------------------------------


def test_a_killed_load_rerun_ends_with_exact_counts(tmp_path: Path) -> None:
    districts = [f"{310000 + n},区{n}" for n in range(1, 1001)]  # 1,000 districts
    schools = [f"{4131000000 + n},学校{n},undergraduate,{310000 + n}" for n in range(1, 301)]  # 300 schools
    data = tmp_path / "data"
    data.mkdir()
    (data / "districts.csv").write_text("code,name\n" + "\n".join(districts) + "\n", encoding="utf-8")
    (data / "schools.csv").write_text("code,name,level,district\n" + "\n".join(schools) + "\n", encoding="utf-8")
    uri = f"embedded:{tmp_path / 'store'}"
    command = [str(Path(sys.executable).parent / "chanjiao"), "load", str(data), "--store", uri, "--rejects", str(tmp_path / "r")]
    env = {**os.environ, "CHANJIAO_BATCH_SIZE": "5"}

    loading = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert loading.stderr is not None
    said = []
    for line in loading.stderr:
        said.append(line)
        if "written" in line:  # the first batch is committed: kill the loader mid-way
            loading.send_signal(signal.SIGKILL)
            break
    assert loading.wait(timeout=60) == -signal.SIGKILL, "".join(said)
    partial, _ = stats_of(uri)
    assert 0 < partial.get("District", 0) < 1000

    rerun = subprocess.run([*command, "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    district_counts = report["tables"][0]["counts"]["District"]
    assert district_counts["created"] + district_counts["unchanged"] == 1000
    assert district_counts["created"] == 1000 - partial["District"]
    assert stats_of(uri) == ({"District": 1000, "School": 300}, {"LOCATED_IN": 300})
