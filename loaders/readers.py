"""Reading the tables of a dataset (DESIGN §3) as numbered rows of raw cells.

A dataset is a folder (or an `.xlsx` workbook) with one table per kind; a single file works too.
CSV may be UTF-8, UTF-8 with BOM or GB18030 (detected); JSON Lines; JSON arrays of objects; XLSX
through `loaders.workbooks` (each workbook opened once per load, its work bounded by the limits
there; openpyxl parses with defusedxml when it is installed). Rows are numbered as an editor sees them:
the header is row 1 of a CSV file or sheet, a JSON Lines row is its line, a JSON row its index + 1.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, NamedTuple

from loaders.tables import MANIFEST, table_spec
from loaders.workbooks import MAX_SHEET_ROWS, MAX_WORKBOOK_CELLS, Workbook, WorkbookError, over_limit

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".json": "json", ".xlsx": "xlsx"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # spreadsheets run cells starting so as formulas
JSON_HEADER_SAMPLE = 1000  # JSON Lines objects whose keys make up the header
TOO_DEEP = "JSON nested deeper than the reader allows; a row is one object of plain values or lists of them"
NESTED_CELL = "a cell holds text, a number, yes/no or a list of those, not nested objects or lists"


class InputError(Exception):
    """Unusable input (missing file, unknown table, no key column…): the load exits with 2."""


@dataclass(frozen=True)
class TableSource:
    """One table of a load: a file, or one sheet of a workbook."""

    path: Path
    table: str
    format: str
    sha256: str
    encoding: str | None = None
    sheet: str | None = None
    workbook: Workbook | None = field(default=None, compare=False, repr=False)  # shared by a workbook's sheets

    @property
    def where(self) -> str:
        """The location prefix of error lines: FILE or FILE:SHEET."""
        return f"{self.path}:{self.sheet}" if self.sheet else str(self.path)

    @property
    def source_name(self) -> str:
        """The provenance `source` of everything this table writes."""
        return f"{self.path.name}:{self.sheet}" if self.sheet else self.path.name


class SourceRow(NamedTuple):  # a tuple: big tables make millions of them
    number: int
    cells: dict[str, Any]
    problem: str | None = None  # set when the row is no record at all (bad JSON, cells beyond the header)
    raw: str | None = None  # the unparsed text of such a row, kept for the reject file


def discover(paths: Sequence[Path]) -> list[TableSource]:
    """The tables named by `paths` (files, folders or workbooks), each once."""
    sources: dict[tuple[Path, str | None], TableSource] = {}
    for path in paths:
        for source in _sources_of(path):
            sources.setdefault((source.path.resolve(), source.sheet), source)
    return list(sources.values())


def _sources_of(path: Path) -> list[TableSource]:
    if path.is_dir():
        files = sorted(child for child in path.iterdir()
                       if child.suffix.lower() in FORMATS and not child.name.startswith(".") and child.name != MANIFEST)
        if not files:
            raise InputError(f"{path}: no .csv, .jsonl, .json or .xlsx files in this folder")
        return [source for file in files for source in _sources_of(file)]
    if not path.is_file():
        raise InputError(f"{path}: no such file or folder")
    file_format = FORMATS.get(path.suffix.lower())
    if file_format is None:
        raise InputError(f"{path}: unsupported file type {path.suffix!r}; use .csv, .jsonl, .json or .xlsx")
    if file_format == "xlsx":
        return _workbook_sources(path)
    digest, encoding = _inspect_text(path) if file_format == "csv" else (_sha256(path), "utf-8-sig")
    return [TableSource(path, _table_name(path, path.stem), file_format, digest, encoding)]


def foreign_source(path: Path, layout: str) -> TableSource:
    """A CSV file or the first sheet of a workbook in a layout other than the model's tables (an
    official list to import); `layout` names that layout in place of a table name."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    file_format = FORMATS.get(path.suffix.lower())
    if file_format == "xlsx":
        workbook = Workbook(path)
        with _unusable_workbook():
            sheet = workbook.open().sheetnames[0]
        return TableSource(path, layout, "xlsx", _sha256(path), sheet=sheet, workbook=workbook)
    if file_format != "csv":
        raise InputError(f"{path}: unsupported file type {path.suffix!r}; use .csv or .xlsx")
    digest, encoding = _inspect_text(path)
    return TableSource(path, layout, "csv", digest, encoding)


def _table_name(path: Path, name: str, what: str = "file name") -> str:
    try:
        table_spec(name)
    except KeyError:
        from loaders.tables import table_names

        raise InputError(
            f"{path}: unknown table {name!r}; a {what} must be one of: {', '.join(table_names())}"
        ) from None
    return name


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _inspect_text(path: Path) -> tuple[str, str]:
    """The file's sha256 and its encoding: UTF-8 with or without BOM, UTF-16 with BOM, or GB18030."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    head, is_utf8 = b"", True
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            head = head or chunk[:4]
            digest.update(chunk)
            is_utf8 = is_utf8 and _decodes(utf8, chunk)
    is_utf8 = is_utf8 and _decodes(utf8, b"", final=True)
    if head.startswith(codecs.BOM_UTF8):
        return digest.hexdigest(), "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if not _decodes_whole(path, "utf-16"):
            raise InputError(f"{path}: starts like UTF-16 text but is not; save it as CSV UTF-8")
        return digest.hexdigest(), "utf-16"
    if is_utf8:
        return digest.hexdigest(), "utf-8"
    if _decodes_whole(path, "gb18030"):
        return digest.hexdigest(), "gb18030"
    raise InputError(f"{path}: neither UTF-8 nor GB18030 text; save it as CSV UTF-8")


def _decodes(decoder: codecs.IncrementalDecoder, chunk: bytes, final: bool = False) -> bool:
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return True


def _decodes_whole(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            if not _decodes(decoder, chunk):
                return False
    return _decodes(decoder, b"", final=True)


def _workbook_sources(path: Path) -> list[TableSource]:
    digest, workbook = _sha256(path), Workbook(path)
    with _unusable_workbook():
        names = list(workbook.open().sheetnames)
    return [TableSource(path, _table_name(path, name, "sheet name"), "xlsx", digest, sheet=name, workbook=workbook) for name in names]


@contextmanager
def _unusable_workbook() -> Iterator[None]:
    try:
        yield
    except WorkbookError as error:
        raise InputError(str(error)) from None


def close_workbooks(sources: Iterable[TableSource]) -> None:
    """Close the workbooks these tables were read from (reopened if read again)."""
    for source in sources:
        if source.workbook is not None:
            source.workbook.close()


@contextmanager
def open_table(source: TableSource) -> Iterator[tuple[list[str], Iterator[SourceRow]]]:
    """The table's header (column names as written, stripped) and its rows, blank rows skipped."""
    if source.format == "xlsx":
        workbook = source.workbook or Workbook(source.path)  # a table made by hand: opened for this read
        try:
            with _unusable_workbook():
                sheet = workbook.open()[source.sheet]
            yield _sheet_table(source, sheet)
        finally:
            if source.workbook is None:
                workbook.close()
        return
    if source.format == "json":
        yield _json_table(source)
        return
    if source.format == "jsonl":  # bytes: each line is decoded on its own, so one bad line rejects only itself
        with source.path.open("rb") as lines:
            yield _jsonl_table(lines)
        return
    with source.path.open(encoding=source.encoding, newline="") as file:
        yield _csv_table(source, file)


def unescape(value: Any) -> Any:
    """Undo the apostrophe that reject files put before formula characters."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _csv_table(source: TableSource, file: Any) -> tuple[list[str], Iterator[SourceRow]]:
    reader = csv.reader(file)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as error:
        raise InputError(f"{source.where}:1: unreadable CSV header: {error}") from None
    return header, _csv_rows(source, reader, header)


def _csv_rows(source: TableSource, reader: Any, header: list[str]) -> Iterator[SourceRow]:
    number, width = 1, len(header)
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # the reader resumes on the next line
            yield SourceRow(number, {}, f"unreadable CSV row: {error}")
            continue
        except UnicodeDecodeError as error:  # the file changed after its encoding was checked
            raise InputError(
                f"{source.where}: not {source.encoding} text after row {number - 1} ({error.reason}); save it as CSV UTF-8"
            ) from None
        text = "".join(values)
        if not text.strip():
            continue  # a blank row
        if "'" in text:
            values = [unescape(value) if value[:1] == "'" else value for value in values]
        yield SourceRow(number, dict(zip(header, values, strict=False))) if len(values) <= width else _cells_row(number, header, values)


def _cells_row(number: int, header: list[str], values: Sequence[Any]) -> SourceRow:
    cells = dict(zip(header, values, strict=False))
    if len(values) <= len(header):
        return SourceRow(number, cells)
    extra = [value for value in values[len(header) :] if value not in (None, "")]
    if extra:
        problem = f"the row has {len(header) + len(extra)} cells but the header names {len(header)} columns"
        return SourceRow(number, cells, problem)
    return SourceRow(number, cells)


def _sheet_table(source: TableSource, sheet: Any) -> tuple[list[str], Iterator[SourceRow]]:
    if (sheet.max_row or 0) > MAX_SHEET_ROWS:  # the sheet's own dimension, when it declares one
        raise InputError(f"{source.where}: {sheet.max_row:,} rows, beyond the {MAX_SHEET_ROWS:,} a sheet may hold")
    sheet.reset_dimensions()  # a declared dimension would pad every row (and every missing one) to its width
    rows = _counted(source, sheet.iter_rows(values_only=True))
    first = next(rows, ())
    header = ["" if value is None else str(value).strip() for value in first]
    while header and not header[-1]:
        header.pop()  # trailing empty header cells: formatting, not columns
    return header, _sheet_rows(source, rows, header)


def _counted(source: TableSource, rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The rows, refused once they hold more cells (blanks filling a row included) than a
    workbook may hold: a lone cell far to the right fills its whole row."""
    cells = 0
    for number, values in enumerate(rows, start=1):
        cells += len(values)
        if cells > MAX_WORKBOOK_CELLS:
            what = "cells, counting the blanks that fill its rows"
            raise InputError(over_limit(f"{source.where}:{number}", what, MAX_WORKBOOK_CELLS, "MAX_WORKBOOK_CELLS"))
        yield values


def _sheet_rows(source: TableSource, rows: Iterator[tuple[Any, ...]], header: list[str]) -> Iterator[SourceRow]:
    for number, values in enumerate(rows, start=2):
        if number > MAX_SHEET_ROWS:
            raise InputError(f"{source.where}: more than {MAX_SHEET_ROWS:,} rows, beyond what a sheet may hold")
        if any(value not in (None, "") for value in values):
            yield _cells_row(number, header, [unescape(value) if isinstance(value, str) else value for value in values])


def _json_table(source: TableSource) -> tuple[list[str], Iterator[SourceRow]]:
    try:
        with source.path.open(encoding="utf-8-sig") as file:
            data = json.load(file)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{source.where}: not valid UTF-8 JSON: {error}") from None
    except RecursionError:
        raise InputError(f"{source.where}: {TOO_DEEP}") from None
    if not isinstance(data, list):
        raise InputError(f"{source.where}: a .json table must be an array of objects, not {type(data).__name__}")
    rows = [_json_row(number, item, None) for number, item in enumerate(data, start=1)]
    return _json_header(rows), iter(rows)


def _jsonl_table(lines: Iterable[bytes]) -> tuple[list[str], Iterator[SourceRow]]:
    rows = _jsonl_rows(lines)
    sample = list(islice(rows, JSON_HEADER_SAMPLE))
    return _json_header(sample), chain(sample, rows)


def _jsonl_rows(lines: Iterable[bytes]) -> Iterator[SourceRow]:
    for number, line in enumerate(lines, start=1):
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if line.strip():
            yield _jsonl_row(number, line.rstrip(b"\r\n"))


def _jsonl_row(number: int, line: bytes) -> SourceRow:
    """One line's object, or the row's problem (not UTF-8, not JSON, nested too deeply)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        return SourceRow(number, {}, f"not UTF-8 text at byte {error.start + 1} of the line", line.decode("utf-8", "replace"))
    try:
        item = json.loads(text)
    except json.JSONDecodeError as error:
        return SourceRow(number, {}, f"not valid JSON at column {error.colno}: {error.msg}", text)
    except RecursionError:
        return SourceRow(number, {}, TOO_DEEP, text)
    return _json_row(number, item, text)


def _json_row(number: int, item: Any, line: str | None) -> SourceRow:
    if not isinstance(item, dict):
        return SourceRow(number, {}, f"expected a JSON object, found {type(item).__name__}", _raw_json(item, line))
    nested = [str(name) for name, value in item.items() if not _plain_cell(value)]
    if nested:  # refused before anything formats them: a deep value would exhaust the stack there
        return SourceRow(number, {}, f"{', '.join(nested)}: {NESTED_CELL}", _raw_json(item, line))
    return SourceRow(number, {str(name).strip(): value for name, value in item.items()})


def _plain_cell(value: Any) -> bool:
    """A cell is a plain value (text, number, yes/no, null) or a list of plain values."""
    if isinstance(value, list):
        return not any(isinstance(item, list | dict) for item in value)
    return not isinstance(value, dict)


def _raw_json(item: Any, line: str | None) -> str:
    if line is not None:
        return line
    try:
        return json.dumps(item, ensure_ascii=False)
    except RecursionError:
        return TOO_DEEP


def _json_header(rows: Sequence[SourceRow]) -> list[str]:
    header: dict[str, None] = {}
    for row in rows:
        header.update(dict.fromkeys(row.cells))
    return list(header)
