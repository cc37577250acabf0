"""Hostile JSON input: nesting far past the parser's stack, lines that are no UTF-8, nested cells.
Each bad JSON Lines line is a located, rejected row while the good lines load; a .json file that
cannot be parsed at all is unusable input (exit 2) with its file named, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chanjiao.cli import app
from graph.store import GraphStore
from tests.test_loaders import nonzero, run

DEEP = 100_000  # levels of nesting: far beyond Python's recursion limit
runner = CliRunner()


def hostile_districts(path: Path) -> Path:
    """Districts as JSON Lines: good lines around a 100,000-deep line, a line that is no UTF-8, a
    nested cell and a line of plain broken JSON."""
    lines = [
        json.dumps({"code": "310104", "name": "徐汇区"}, ensure_ascii=False).encode(),
        b'{"code": "310101", "name": ' + b"[" * DEEP + b"]" * DEEP + b"}",
        b'{"code": "310105", "name": "\xe9\x95\xff"}',
        json.dumps({"code": "310106", "name": [[["静安区"]]]}, ensure_ascii=False).encode(),
        b'{"code": "310107", "name": ',
        json.dumps({"code": "310110", "name": "杨浦区"}, ensure_ascii=False).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_bad_json_lines_are_located_rejected_and_the_good_ones_load(store: GraphStore, tmp_path: Path) -> None:
    path = hostile_districts(tmp_path / "districts.jsonl")
    report = run([path], store, rejects_dir=tmp_path / "rejects")
    assert [error.line for error in report.errors] == [
        f"{path}:2:*: JSON nested deeper than the reader allows; a row is one object of plain values or lists of them",
        f"{path}:3:*: not UTF-8 text at byte 29 of the line",
        f"{path}:4:*: name: a cell holds text, a number, yes/no or a list of those, not nested objects or lists",
        f"{path}:5:*: not valid JSON at column 28: Expecting value",
    ]
    assert report.exit_code == 1
    assert nonzero(store.stats().nodes) == {"District": 2}
    assert set(store.get_nodes("District", ["310104", "310110", "310101"])) == {"310104", "310110"}
    rejected = [json.loads(line) for line in (tmp_path / "rejects" / "districts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [record["error"].split(":")[0] for record in rejected] == ["*"] * 4
    assert len(rejected[0]["raw"]) == len('{"code": "310101", "name": }') + 2 * DEEP  # kept whole, to be fixed
    assert rejected[1]["raw"] == '{"code": "310105", "name": "\ufffd\ufffd"}'  # undecodable bytes marked
    assert rejected[3]["raw"] == '{"code": "310107", "name": '


def test_the_cli_reports_bad_lines_and_loads_the_rest(tmp_path: Path) -> None:
    path = hostile_districts(tmp_path / "districts.jsonl")
    result = runner.invoke(app, ["load", str(path), "--store", f"embedded:{tmp_path / 'store'}", "--rejects", str(tmp_path / "r")])
    assert result.exit_code == 1, result.output
    assert f"{path}:2:*: JSON nested deeper than the reader allows" in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_json_file_nested_past_the_stack_is_unusable_input_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "districts.json"
    path.write_text('[{"code": "310104", "name": "徐汇区"}, ' + "[" * DEEP + "]" * DEEP + "]", encoding="utf-8")
    result = runner.invoke(app, ["load", str(path), "--store", f"embedded:{tmp_path / 'store'}"])
    assert result.exit_code == 2, result.output
    assert f"{path}: JSON nested deeper than the reader allows" in " ".join(result.stderr.split())
    assert isinstance(result.exception, SystemExit)


def test_a_nested_cell_of_a_json_array_is_a_row_error(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "districts.json"
    nested: list[object] = []
    for _ in range(900):  # under the parser's limit, but deep enough to break any recursive formatting
        nested = [nested]
    path.write_text(json.dumps([{"code": "310104", "name": "徐汇区"}, {"code": "310101", "name": nested}]), encoding="utf-8")
    report = run([path], store, rejects_dir=tmp_path / "rejects")
    assert [error.line for error in report.errors] == [
        f"{path}:2:*: name: a cell holds text, a number, yes/no or a list of those, not nested objects or lists"]
    assert nonzero(store.stats().nodes) == {"District": 1}
