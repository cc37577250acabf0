"""Imports of official open data in the publishers' own layouts (not the model's tables):

- `filings`: the Ministry of Education's annual results of major filing and approval
  (普通高等学校本科专业备案和审批结果; 高等职业教育专科专业设置备案结果), one row per school and
  major with 主管部门, 学校名称, 专业代码, 专业名称, 学位授予门类, 修业年限, 备注 → an `OFFERS`
  relationship for the year given. As in the published tables, a school's name may be written
  only on the first row of its block (merged cells): a blank 学校名称 repeats the one above.
- `employment`: figures from schools' graduate employment-quality reports (毕业生就业质量年度报告):
  学校名称, 专业代码, 专业名称, 毕业生人数 → `OFFERS.graduates` for the year.
- `integration`: the national or municipal list of 产教融合型企业: 企业名称 and, where the list
  gives it, 统一社会信用代码 → the enterprise's `integration_level` (never lowered: a national
  enterprise on the municipal list stays national).

A school is found by 学校名称 or by a code column (学校标识码, 10 digits, or 院校代码, its last 5).
Files are CSV (UTF-8 or GB18030) or XLSX (first sheet). Every bad cell is reported as
`FILE[:SHEET]:ROW:COLUMN: message`; if there is any, nothing is written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.filters import Compare, Op
from graph.model import INTEGRATION_LEVELS, RELS, KeyRule
from graph.records import NodeRef, Provenance, RelRow, WriteCounts
from graph.store import GraphStore
from graph.validation import check_key, check_uscc, coerce, is_synthetic_uscc
from loaders.readers import InputError, SourceRow, TableSource, close_workbooks, foreign_source, open_table
from loaders.report import LocatedError

SCHOOL_NAME = ("学校名称", "院校名称", "学校")
SCHOOL_CODE = ("学校标识码", "学校代码", "院校代码")
MAJOR_CODE = ("专业代码",)
GRADUATES = ("毕业生人数", "毕业生数")
ENTERPRISE_NAME = ("企业名称", "名称")
CREDIT_CODE = ("统一社会信用代码", "社会信用代码", "信用代码")
LISTED_LEVELS = tuple(level for level in INTEGRATION_LEVELS if level != "none")


@dataclass
class ImportReport:
    """What an import read, what was wrong (located) and what it wrote (nothing if anything was wrong)."""

    source: TableSource
    rows: int = 0
    errors: list[LocatedError] = field(default_factory=list)
    written: WriteCounts = field(default_factory=WriteCounts)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(LocatedError(self.source.where, row, column, message))

    def in_file_order(self) -> ImportReport:
        self.errors.sort(key=lambda error: error.row)  # stable: a row's errors keep their order
        return self

    def as_json(self) -> dict[str, Any]:
        return {"file": self.source.where, "rows": self.rows, "errors": [e.line for e in self.errors],
                "created": self.written.created, "updated": self.written.updated,
                "unchanged": self.written.unchanged}


def _clean(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def _column(header: Iterable[str], names: tuple[str, ...]) -> str | None:
    """The header's column with one of these names (after NFKC and trimming), if any."""
    found = {_clean(column): column for column in header}
    return next((found[name] for name in names if name in found), None)


class _Sheet:
    """The rows of one official file with the columns this import needs, located."""

    def __init__(self, path: Path, layout: str) -> None:
        self.report = ImportReport(foreign_source(path, layout))
        try:
            with open_table(self.report.source) as (header, rows):
                self.header, self.rows = header, list(rows)
        finally:
            close_workbooks([self.report.source])
        self.report.rows = len(self.rows)

    def column(self, names: tuple[str, ...], required: bool = True) -> str | None:
        column = _column(self.header, names)
        if column is None and required:
            raise InputError(f"{self.report.source.where}:1: no {' or '.join(names)} column; header is {self.header}")
        return column


class _Schools:
    """The store's schools by name, by 10-digit code and by 5-digit 院校代码."""

    def __init__(self, store: GraphStore) -> None:
        nodes = store.find_nodes("School").nodes
        self.by_name = {_clean(node.props.get("name")): node.key for node in nodes}
        self.codes = {node.key for node in nodes}
        self.by_short = {node.key[-5:]: node.key for node in nodes}

    def find(self, name: str, code: str) -> str | None:
        if code:
            return code if code in self.codes else self.by_short.get(code) if len(code) == 5 else None
        return self.by_name.get(name)


def _school_column_reader(sheet: _Sheet, schools: _Schools) -> Callable[[SourceRow], str | None]:
    """A function giving a row's school code (None after reporting why not); a blank name repeats
    the name above, as in the ministry's merged cells."""
    name_column, code_column = sheet.column(SCHOOL_NAME, required=False), sheet.column(SCHOOL_CODE, required=False)
    if name_column is None and code_column is None:
        raise InputError(f"{sheet.report.source.where}:1: no school column ({', '.join(SCHOOL_NAME + SCHOOL_CODE)})")
    last_name = ""

    def school(row: SourceRow) -> str | None:
        nonlocal last_name
        code = _clean(row.cells.get(code_column)) if code_column else ""
        name = (_clean(row.cells.get(name_column)) if name_column else "") or last_name
        last_name = name
        found = schools.find(name, code)
        if found is None:
            column, value = (code_column or "", code) if code else (name_column or "", name)
            sheet.report.error(row.number, column, f"no school {value!r} in the store" if value else "no school given")
        return found
    return school


def _disciplines(store: GraphStore, sheet: _Sheet, column: str) -> dict[int, str]:
    """Row number → discipline code, for rows whose code is well formed and in the store."""
    codes: dict[int, str] = {}
    for row in sheet.rows:
        raw = _clean(row.cells.get(column))
        try:
            codes[row.number] = check_key(KeyRule.DISCIPLINE_CODE, raw)
        except ValueError as error:
            sheet.report.error(row.number, column, str(error))
    known = store.get_nodes("Discipline", sorted(set(codes.values())))
    for number, code in list(codes.items()):
        if code not in known:
            sheet.report.error(number, column, f"{code!r} is not a discipline in the store (load the catalogue first)")
            del codes[number]
    return codes


def _check_year(year: int) -> None:
    try:
        coerce(RELS["OFFERS"].prop("year"), year)
    except ValueError as error:
        raise ValueError(f"year: {error}") from None


def _offers(store: GraphStore, path: Path, year: int, layout: str,
            props: Callable[[_Sheet, SourceRow], Mapping[str, Any] | None]) -> ImportReport:
    """OFFERS rows for `year` from an official file; `props` gives a row's properties (None: bad)."""
    _check_year(year)
    sheet = _Sheet(path, layout)
    school_of = _school_column_reader(sheet, _Schools(store))
    disciplines = _disciplines(store, sheet, str(sheet.column(MAJOR_CODE)))
    rels: dict[tuple[str, str], RelRow] = {}
    for row in sheet.rows:
        school, discipline, values = school_of(row), disciplines.get(row.number), props(sheet, row)
        if school and discipline and values is not None:
            rels[(school, discipline)] = RelRow("OFFERS", NodeRef("School", school), NodeRef("Discipline", discipline),
                                                {"year": year}, dict(values))
    if not sheet.report.errors and rels:
        sheet.report.written = store.upsert_relationships(list(rels.values()), _provenance(sheet))
    return sheet.report.in_file_order()


def import_filings(store: GraphStore, path: Path, year: int) -> ImportReport:
    """The ministry's filing results (本科 or 高职专科) → OFFERS for `year`."""
    return _offers(store, path, year, "filings", lambda sheet, row: {})


def import_employment(store: GraphStore, path: Path, year: int) -> ImportReport:
    """Employment-quality report figures → OFFERS.graduates for `year`."""
    prop = RELS["OFFERS"].prop("graduates")

    def graduates(sheet: _Sheet, row: SourceRow) -> Mapping[str, Any] | None:
        column = str(sheet.column(GRADUATES))
        try:
            value = coerce(prop, _clean(row.cells.get(column)).replace(",", ""))
        except ValueError as error:
            sheet.report.error(row.number, column, str(error))
            return None
        if value is None:
            sheet.report.error(row.number, column, "the number of graduates is missing")
            return None
        return {"graduates": value}
    return _offers(store, path, year, "employment", graduates)


def import_integration_enterprises(store: GraphStore, path: Path, level: str) -> ImportReport:
    """A list of 产教融合型企业 → each enterprise's `integration_level`, found by credit code or
    name; an enterprise not in the store is created when the list gives its credit code."""
    if level not in LISTED_LEVELS:
        raise ValueError(f"level must be one of {', '.join(LISTED_LEVELS)}, not {level!r}")
    sheet = _Sheet(path, "integration")
    name_column, code_column = str(sheet.column(ENTERPRISE_NAME)), sheet.column(CREDIT_CODE, required=False)
    wanted: dict[int, tuple[str, str]] = {}
    for row in sheet.rows:
        name = _clean(row.cells.get(name_column))
        code = _clean(row.cells.get(code_column)).upper() if code_column else ""
        if not name:
            sheet.report.error(row.number, name_column, "the enterprise name is missing")
        elif code and (message := _credit_code_problem(code)):
            sheet.report.error(row.number, str(code_column), message)
        else:
            wanted[row.number] = (name, code)
    rows = _integration_rows(store, sheet, wanted, level, name_column)
    if not sheet.report.errors and rows:
        sheet.report.written = store.upsert_nodes("Enterprise", rows, _provenance(sheet))
    return sheet.report.in_file_order()


def _credit_code_problem(code: str) -> str | None:
    try:
        check_uscc(code)
    except ValueError as error:
        return str(error)
    return f"credit code {code!r} is in the reserved synthetic range; an official list cannot name it" if is_synthetic_uscc(code) else None


def _integration_rows(store: GraphStore, sheet: _Sheet, wanted: Mapping[int, tuple[str, str]], level: str,
                      name_column: str) -> list[dict[str, Any]]:
    by_code = store.get_nodes("Enterprise", sorted({code for _, code in wanted.values() if code}))
    rows: dict[str, dict[str, Any]] = {}
    for number, (name, code) in wanted.items():
        node = by_code.get(code) if code else _enterprise_named(store, name)
        if node is None and not code:
            sheet.report.error(number, name_column, f"no enterprise named {name!r} in the store, and no credit code to add it")
            continue
        current = node.props.get("integration_level") if node else None
        row = {"uscc": node.key if node else code, "integration_level": _higher(current, level)}
        if node is None:
            row["name"] = name
        rows[str(row["uscc"])] = row
    return list(rows.values())


def _enterprise_named(store: GraphStore, name: str) -> Any:
    page = store.find_nodes("Enterprise", Compare("name", Op.EQ, name), limit=2)
    return page.nodes[0] if len(page.nodes) == 1 else None


def _higher(current: Any, listed: str) -> str:
    """The higher of two levels (national > municipal > cultivating > none)."""
    if current in INTEGRATION_LEVELS and INTEGRATION_LEVELS.index(current) < INTEGRATION_LEVELS.index(listed):
        return str(current)
    return listed


def _provenance(sheet: _Sheet) -> Provenance:
    return Provenance(source=sheet.report.source.source_name, loaded_at=datetime.now(UTC).isoformat(timespec="milliseconds"))
