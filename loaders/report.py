"""What a load reports: located error lines, counts per table and kind, and its exit status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.records import WriteCounts
from loaders.readers import TableSource

EXIT_OK, EXIT_REJECTED, EXIT_UNUSABLE = 0, 1, 2


@dataclass(frozen=True)
class LocatedError:
    """One bad cell: `FILE[:SHEET]:ROW:COLUMN: message` (ROW counts the header as row 1)."""

    where: str
    row: int
    column: str
    message: str

    @property
    def line(self) -> str:
        return f"{self.where}:{self.row}:{self.column}: {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {"where": self.where, "row": self.row, "column": self.column, "message": self.message, "line": self.line}


@dataclass
class TableReport:
    source: TableSource
    rows: int = 0
    rejected_rows: dict[int, list[str]] = field(default_factory=dict)  # row → its cells' messages
    counts: dict[str, WriteCounts] = field(default_factory=dict)  # label or relationship type → counts
    reject_file: str | None = None

    @property
    def rejected(self) -> int:
        return len(self.rejected_rows)

    def add_counts(self, kind: str, counts: WriteCounts) -> None:
        self.counts.setdefault(kind, WriteCounts())
        self.counts[kind] += counts

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.source.table,
            "file": str(self.source.path),
            "sheet": self.source.sheet,
            "format": self.source.format,
            "sha256": self.source.sha256,
            "rows": self.rows,
            "rejected": self.rejected,
            "counts": {kind: _counts_json(counts) for kind, counts in self.counts.items()},
            "reject_file": self.reject_file,
        }


def _counts_json(counts: WriteCounts) -> dict[str, int]:
    return {"created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged}


@dataclass
class LoadReport:
    started_at: str
    dry_run: bool = False
    strict: bool = False
    tables: list[TableReport] = field(default_factory=list)
    errors: list[LocatedError] = field(default_factory=list)
    warnings: list[LocatedError] = field(default_factory=list)
    written: bool = False
    load_run: str | None = None
    finished_at: str | None = None

    @property
    def rejected(self) -> int:
        return sum(table.rejected for table in self.tables)

    @property
    def exit_code(self) -> int:
        return EXIT_REJECTED if self.errors else EXIT_OK

    def totals(self) -> WriteCounts:
        total = WriteCounts()
        for table in self.tables:
            for counts in table.counts.values():
                total += counts
        return total

    def sort_errors(self) -> None:
        """Errors in file order, then row, then the column's place in the table."""
        order = {table.source.where: index for index, table in enumerate(self.tables)}
        self.errors.sort(key=lambda error: (order.get(error.where, len(order)), error.row))

    def as_json(self) -> dict[str, Any]:
        totals = self.totals()
        return {
            "exit_code": self.exit_code,
            "dry_run": self.dry_run,
            "strict": self.strict,
            "written": self.written,
            "load_run": self.load_run,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "totals": {**_counts_json(totals), "rejected": self.rejected},
            "tables": [table.as_json() for table in self.tables],
            "errors": [error.as_json() for error in self.errors],
            "warnings": [warning.as_json() for warning in self.warnings],
        }
