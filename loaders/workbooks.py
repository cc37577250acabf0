"""XLSX workbooks read with bounded work: every limit a workbook must respect is here.

A workbook is a zip of XML parts. Before openpyxl parses anything, the archive's sizes and
compression ratios are checked (zip bombs) and its parts are streamed once through a counter of
cell and shared-string elements, which stops as soon as a count passes its limit: a small archive
holding millions of tiny cells or strings is refused in a fraction of a second, with constant
memory, instead of costing minutes and gigabytes. A load then opens each workbook once (its shared
strings parsed once) for all its sheets and passes, and streams the sheets (openpyxl's read-only
mode); a sheet pass also counts the cells it yields, blanks that fill a row included, against the
same limit.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl

MAX_XLSX_UNCOMPRESSED = 1 << 30  # bytes of all parts: far above any sheet of Excel's 1,048,576-row limit
MAX_XLSX_RATIO = 200  # uncompressed / compressed per part; zip bombs go far beyond
MAX_SHEET_ROWS = 1_048_576  # Excel's own limit
MAX_WORKBOOK_CELLS = 1_000_000  # cell elements in a workbook; a sheet pass yields at most this many cells
MAX_SHARED_STRINGS = 1_000_000  # entries of the shared strings table, all held in memory while loading
LIMITS_HINT = "split the workbook, or save its tables as CSV, which has no such limit"
SCAN_CHUNK = 1 << 20  # bytes of a part decompressed at a time
# How an element named `c` (a cell) or `si` (a shared string) can start, with or without a
# namespace prefix; counting these byte patterns gives an upper bound of the elements.
XML_NAME_ENDS = (b" ", b"\t", b"\r", b"\n", b"/", b">")
CELL_STARTS = tuple(start + end for start in (b"<c", b":c") for end in XML_NAME_ENDS)
SHARED_STRING_STARTS = tuple(start + end for start in (b"<si", b":si") for end in XML_NAME_ENDS)


class WorkbookError(Exception):
    """The workbook is unusable (no zip, a zip bomb, over a limit, unreadable); the message
    starts with its path."""


class Workbook:
    """One workbook of a load, shared by the tables of its sheets: checked and opened (shared
    strings parsed) on first use, then kept open until `close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._book: Any = None

    def open(self) -> Any:
        """The openpyxl workbook (read-only, cached values rather than formulas)."""
        if self._book is None:
            check_archive(self.path)
            try:
                self._book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            except Exception as error:  # openpyxl raises many types for a damaged workbook
                raise WorkbookError(f"{self.path}: cannot read the workbook: {error}") from error
        return self._book

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None


def check_archive(path: Path) -> None:
    """Refuse workbooks whose archive would expand beyond reason or hold more cells or shared
    strings than the limits, before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_sizes(path, members)
            _check_counts(path, archive, members)
    except zipfile.BadZipFile:
        raise WorkbookError(f"{path}: not an .xlsx workbook (the file is no zip archive)") from None


def _check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    total = sum(member.file_size for member in members)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise WorkbookError(f"{path}: the workbook expands to {total:,} bytes, over the {MAX_XLSX_UNCOMPRESSED:,}-byte limit")
    for member in members:
        if member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1024):
            raise WorkbookError(f"{path}: {member.filename} is compressed {member.file_size // max(member.compress_size, 1)}:1, a likely zip bomb")


def _check_counts(path: Path, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Count cells and shared strings over every XML part (whatever the parts are named: the
    package may place them anywhere), stopping at the first count past its limit."""
    cells = strings = 0
    for member in members:
        if not member.filename.lower().endswith(".xml"):
            continue
        with archive.open(member) as part:
            for text in _whole_tags(part):
                cells += sum(text.count(start) for start in CELL_STARTS)
                strings += sum(text.count(start) for start in SHARED_STRING_STARTS)
                if cells > MAX_WORKBOOK_CELLS:
                    raise WorkbookError(over_limit(f"{path}: {member.filename}", "cells", MAX_WORKBOOK_CELLS, "MAX_WORKBOOK_CELLS"))
                if strings > MAX_SHARED_STRINGS:
                    raise WorkbookError(over_limit(f"{path}: {member.filename}", "shared strings", MAX_SHARED_STRINGS, "MAX_SHARED_STRINGS"))


def over_limit(where: str, what: str, limit: int, name: str) -> str:
    """The message of a workbook past one of the limits above, naming it."""
    return f"{where}: more than {limit:,} {what}, over the limit a workbook may hold ({name}); {LIMITS_HINT}"


def _whole_tags(part: Any) -> Any:
    """The part's bytes in chunks cut before a `<`, so that no tag is split between two."""
    carried = b""
    while chunk := part.read(SCAN_CHUNK):
        text = carried + chunk
        cut = text.rfind(b"<")
        if cut <= 0:
            yield text
            carried = b""
            continue
        yield text[:cut]
        carried = text[cut:]
    if carried:
        yield carried
