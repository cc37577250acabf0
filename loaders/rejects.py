"""Reject files: the bad rows of each table, in the input's own format (CSV in the input's encoding,
a sheet of a workbook named as the input, JSON Lines, JSON), with an `error` column saying why.
Once fixed, a reject file loads like any other table (its `error` column is ignored).

Rows are copied by re-reading the input, so a load never keeps raw rows in memory. Text that a
spreadsheet would run as a formula (= + - @ tab CR) gets a leading apostrophe in CSV and XLSX; the
readers remove it again."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from graph.validation import xml_text
from loaders.readers import FORMULA_PREFIXES, SourceRow, open_table
from loaders.report import TableReport
from loaders.tables import ERROR_COLUMN


def write_rejects(tables: Sequence[TableReport], directory: Path) -> None:
    """Write a reject file for every table with rejected rows; sets each table's `reject_file`."""
    workbooks: dict[Path, list[TableReport]] = defaultdict(list)
    taken: set[Path] = set()
    for table in tables:
        if not table.rejected:
            continue
        if table.source.format == "xlsx":
            workbooks[table.source.path.resolve()].append(table)
            continue
        target = _free_path(directory, f"{table.source.table}{table.source.path.suffix}", taken)
        _write_text_rejects(table, target)
        table.reject_file = str(target)
    for sheets in workbooks.values():
        target = _free_path(directory, sheets[0].source.path.name, taken)
        _write_workbook_rejects(sheets, target)
        for table in sheets:
            table.reject_file = f"{target}:{table.source.sheet}"


def _free_path(directory: Path, name: str, taken: set[Path]) -> Path:
    """`directory/name`, or `directory/2/name`… when this load already wrote one of that name
    (two inputs of the same table); the file name stays the table's, so it loads as that table."""
    target, number = directory / name, 1
    while target in taken:
        number += 1
        target = directory / str(number) / name
    taken.add(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _rejected_rows(table: TableReport) -> Iterator[tuple[list[str], SourceRow, str]]:
    """The input's header and each rejected row with its error text, re-read from the input."""
    with open_table(table.source) as (header, rows):
        columns = [name for name in header if name != ERROR_COLUMN]
        for row in rows:
            messages = table.rejected_rows.get(row.number)
            if messages is not None:
                yield columns, row, "; ".join(messages)


def _escaped(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _write_text_rejects(table: TableReport, target: Path) -> None:
    if table.source.format == "csv":
        _write_csv(table, target)
        return
    records = [_record(columns, row, error) for columns, row, error in _rejected_rows(table)]
    with target.open("w", encoding="utf-8") as file:
        if table.source.format == "json":
            json.dump(records, file, ensure_ascii=False, indent=1)
            file.write("\n")
            return
        for record in records:
            file.write(json.dumps(record, ensure_ascii=False) + "\n")


def _record(columns: list[str], row: SourceRow, error: str) -> dict[str, Any]:
    record = {name: value for name, value in row.cells.items() if name != ERROR_COLUMN}
    if row.raw is not None:
        record["raw"] = row.raw  # an unparsable line: keep its text so that it can be fixed
    return {**record, ERROR_COLUMN: error}


def _write_csv(table: TableReport, target: Path) -> None:
    encoding = table.source.encoding or "utf-8"
    with target.open("w", encoding=encoding, newline="") as file:
        writer = csv.writer(file)
        wrote_header = False
        for columns, row, error in _rejected_rows(table):
            if not wrote_header:
                writer.writerow([*columns, ERROR_COLUMN])
                wrote_header = True
            writer.writerow([_escaped(_text(row.cells.get(name))) for name in columns] + [_escaped(error)])


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _write_workbook_rejects(tables: Sequence[TableReport], target: Path) -> None:
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(table.source.sheet or table.source.table)
        wrote_header = False
        for columns, row, error in _rejected_rows(table):
            if not wrote_header:
                sheet.append([*columns, ERROR_COLUMN])
                wrote_header = True
            sheet.append([_cell(row.cells.get(name)) for name in columns] + [_cell(error)])
    workbook.save(target)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return _escaped(xml_text(value))  # a sheet is XML: a rejected control character shows as U+FFFD
    return value
