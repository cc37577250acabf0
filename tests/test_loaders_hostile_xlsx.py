"""Hostile workbooks that stay under the zip-bomb guards: millions of tiny shared strings or cells
in a few hundred kilobytes, a lone cell far to the right of every row, a declared dimension of a
billion cells. Each is refused (or read) with bounded work: a clear error naming the limit within
a fraction of the CPU time the attack used to cost, with little memory; and a load opens each
workbook once, whatever its number of sheets and passes."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph.store import GraphStore
from loaders import workbooks
from loaders.readers import InputError
from loaders.run import LoadOptions, load, prepare
from loaders.workbooks import MAX_SHARED_STRINGS, MAX_WORKBOOK_CELLS
from tests.test_loaders import basic_tables, nonzero, write_workbook
from tests.xlsx_attacks import declared_dimension, far_right_cells, header_sheet, repeated_cells, tiny_shared_strings
from tests.xlsx_attacks import write_workbook as write_attack

CPU_SECONDS = 2.0  # what refusing may cost; the same files used to cost minutes
PEAK_BYTES = 32 << 20  # Python allocations while refusing; the same files used to take gigabytes


def cost(work: Callable[[], Any]) -> tuple[BaseException | None, float, int]:
    """What `work` raised, its CPU seconds (unlike wall time, not inflated by a busy machine) and
    its peak of Python allocations."""
    tracemalloc.start()
    started = time.process_time()
    try:
        work()
    except Exception as error:
        raised: BaseException | None = error
    else:
        raised = None
    seconds = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return raised, seconds, peak


def refused_cheaply(path: Path) -> str:
    raised, seconds, peak = cost(lambda: prepare([path], LoadOptions()))
    assert isinstance(raised, InputError), raised
    assert seconds < CPU_SECONDS and peak < PEAK_BYTES, (seconds, peak)
    return str(raised)


def test_millions_of_tiny_shared_strings_are_refused_fast(tmp_path: Path) -> None:
    path = write_attack(tmp_path / "districts.xlsx", {"districts": header_sheet()}, tiny_shared_strings(2 * MAX_SHARED_STRINGS))
    assert path.stat().st_size < 300_000  # 34 MB of shared strings, compressed 170:1
    assert refused_cheaply(path) == (
        f"{path}: xl/sharedStrings.xml: more than 1,000,000 shared strings, over the limit a workbook may hold "
        "(MAX_SHARED_STRINGS); split the workbook, or save its tables as CSV, which has no such limit"
    )


def test_millions_of_repeated_cells_are_refused_fast(tmp_path: Path) -> None:
    path = write_attack(tmp_path / "districts.xlsx", {"districts": header_sheet(repeated_cells(2 * MAX_WORKBOOK_CELLS // 10, 10))})
    assert path.stat().st_size < 600_000
    assert refused_cheaply(path) == (
        f"{path}: xl/worksheets/sheet1.xml: more than 1,000,000 cells, over the limit a workbook may hold "
        "(MAX_WORKBOOK_CELLS); split the workbook, or save its tables as CSV, which has no such limit"
    )


def test_cells_far_to_the_right_count_with_the_blanks_that_fill_their_rows(store: GraphStore, tmp_path: Path) -> None:
    path = write_attack(tmp_path / "districts.xlsx", {"districts": header_sheet(far_right_cells(100))})
    options = LoadOptions(rejects_dir=tmp_path / "rejects")
    raised, seconds, _ = cost(lambda: load(prepare([path], options), store, options))
    # row 1 holds 2 cells and each row after it 16,384: past 1,000,000 at row 63 (2 + 62 × 16,384)
    assert isinstance(raised, InputError) and str(raised).startswith(
        f"{path}:districts:63: more than 1,000,000 cells, counting the blanks that fill its rows, over the limit")
    assert seconds < 10 * CPU_SECONDS
    assert nonzero(store.stats().nodes) == {}


def test_a_declared_dimension_does_not_pad_the_sheet(store: GraphStore, tmp_path: Path) -> None:
    path = write_attack(tmp_path / "districts.xlsx", {"districts": declared_dimension(200_000)})
    options = LoadOptions(rejects_dir=tmp_path / "rejects")
    raised, seconds, _ = cost(lambda: load(prepare([path], options), store, options))
    assert raised is None and seconds < 10 * CPU_SECONDS  # it used to walk 200,000 × 16,384 blank cells
    assert set(store.get_nodes("District", ["310104"])) == {"310104"}


@pytest.fixture
def openings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every workbook openpyxl opens, by path (the real function still does the work)."""
    opened: list[Path] = []
    real = openpyxl.load_workbook

    def counted(filename: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(Path(filename))
        return real(filename, *args, **kwargs)

    monkeypatch.setattr(workbooks.openpyxl, "load_workbook", counted)
    yield opened


def test_a_load_opens_each_workbook_once(store: GraphStore, tmp_path: Path, openings: list[Path]) -> None:
    tables = basic_tables()
    tables["districts"].append({"code": "3101", "name": "错误"})  # a rejected row: the reject file re-reads its sheet
    path = tmp_path / "dataset.xlsx"
    write_workbook(path, tables)
    options = LoadOptions(rejects_dir=tmp_path / "rejects")
    report = load(prepare([path], options), store, options)
    assert len(report.tables) == len(tables) > 5 and report.rejected == 1
    assert (tmp_path / "rejects" / "dataset.xlsx").exists()
    assert openings == [path]  # not once per sheet and pass
