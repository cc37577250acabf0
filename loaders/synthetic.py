"""The bundled Shanghai dataset: real reference tables plus a seeded, synthetic ecosystem.

`generate(out_dir, scale, seed)` writes every table of DESIGN §3 as UTF-8 CSV. The same seed and
scale give byte-identical files; scale 1 is the demo size (about 2,000 synthetic nodes), and the
node and relationship counts grow linearly with it (scale 500 ≈ 1M nodes). Rows are streamed to
the files, and each record is recomputed from (seed, index) when another one refers to it, so
memory stays small at any scale. Files are written under temporary names and renamed at the end,
so a failed run leaves the previous dataset whole.

Synthetic records are visible as such: their names start with 【示例】, their identifiers with
`SYN-`, mentors' contact details are unreachable, and `SYNTHETIC_TABLES` lists the tables. The
dataset's provenance manifest (`provenance.csv`, `loaders.provenance`) says so to the loader, which
marks every row of those tables `synthetic` and the real tables' rows with their sources.
"""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from graph.model import NODES_BY_TABLE, REL_TABLES_BY_NAME, NodeKind
from graph.validation import LIST_SEPARATOR
from loaders.provenance import TableOrigin, synthetic_source, write_manifest
from loaders.reference import PLAN_DIR, REFERENCE_DIR, REFERENCE_SOURCES, ReferenceData, load_reference
from loaders.synthetic_enterprises import Enterprises
from loaders.synthetic_programmes import Programmes
from loaders.synthetic_world import World

DEFAULT_SEED = 2021
# Synthetic records per unit of scale.
PER_SCALE = {"enterprises": 500, "mentors": 800, "bases": 200, "alliances": 30, "projects": 300, "courses": 200}
REFERENCE_TABLES = ReferenceData.TABLES
SYNTHETIC_TABLES = ("offers", "enterprises", "demands", "cooperations", "mentors", "mentorships", "bases",
                    "alliances", "memberships", "projects", "courses")

Row = dict[str, Any]
Progress = Callable[[str, int], None]


def table_columns(table: str) -> tuple[str, ...]:
    """The header of a table, from the model: properties then reference columns, or the
    relationship table's endpoints then its columns."""
    if table in NODES_BY_TABLE:
        kind = NODES_BY_TABLE[table]
        return (*kind.prop_names, *(ref.column for ref in kind.references))
    rel_table = REL_TABLES_BY_NAME[table]
    return (rel_table.source_column, rel_table.target_column, *rel_table.columns)


def _cell(value: Any) -> Any:
    """A value as the csv module should write it (it writes ints itself and None as empty)."""
    kind = type(value)
    if kind is str or kind is int or value is None:  # most cells: skip the checks below
        return value
    if kind is bool:
        return "true" if value else "false"
    if kind is list or kind is tuple:
        return LIST_SEPARATOR.join(value)
    return str(value)


def _references(kind: NodeKind, row: Row) -> int:
    """How many relationships the reference columns of a node row make."""
    total = 0
    for ref in kind.references:
        value = row.get(ref.column)
        if isinstance(value, list):
            total += len(value)
        elif value:
            total += len(str(value).split(LIST_SEPARATOR)) if ref.many else 1
    return total


@dataclass
class GenerateReport:
    out_dir: Path
    scale: int
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    nodes: int = 0
    relationships: int = 0  # relationship-table rows plus every reference a node row makes
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {"out_dir": str(self.out_dir), "scale": self.scale, "seed": self.seed, "rows": self.rows,
                "nodes": self.nodes, "relationships": self.relationships, "seconds": round(self.seconds, 2)}


class DatasetWriter:
    """One CSV writer per table, written under a temporary name and renamed on success."""

    def __init__(self, out_dir: Path, report: GenerateReport, progress: Progress | None = None) -> None:
        self.out_dir, self.report, self.progress = out_dir, report, progress
        self._files: dict[str, tuple[IO[str], Any, tuple[str, ...]]] = {}

    def __enter__(self) -> DatasetWriter:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, error: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        for handle, _, _ in self._files.values():
            handle.close()
        for table in self._files:
            temporary = self._temporary(table)
            if error is None:
                os.replace(temporary, self.out_dir / f"{table}.csv")
            else:
                temporary.unlink(missing_ok=True)

    def _temporary(self, table: str) -> Path:
        return self.out_dir / f".{table}.csv.partial"

    def write(self, table: str, rows: Iterable[Row]) -> None:
        if table not in self._files:
            handle = self._temporary(table).open("w", encoding="utf-8", newline="", buffering=1 << 20)
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(table_columns(table))
            self._files[table] = (handle, writer, table_columns(table))
            self.report.rows[table] = 0
        _, writer, columns = self._files[table]
        kind = NODES_BY_TABLE.get(table)
        count = 0
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in columns])
            count += 1
            if kind is not None:
                self.report.relationships += _references(kind, row)
        self.report.rows[table] += count
        if kind is None:
            self.report.relationships += count
        else:
            self.report.nodes += count

    def done(self, *tables: str) -> None:
        if self.progress:
            for table in tables:
                self.progress(table, self.report.rows.get(table, 0))


def generate(out_dir: Path, scale: int = 1, seed: int = DEFAULT_SEED, reference_dir: Path = REFERENCE_DIR,
             plan_dir: Path = PLAN_DIR, progress: Progress | None = None) -> GenerateReport:
    """Write the whole dataset to `out_dir`; see the module docstring."""
    started = time.perf_counter()
    world = World(load_reference(reference_dir, plan_dir), scale, seed)
    counts = {table: per_scale * scale for table, per_scale in PER_SCALE.items()}
    enterprises = Enterprises(world, counts["enterprises"])
    programmes = Programmes(world, enterprises, counts["bases"])
    report = GenerateReport(out_dir, scale, seed)
    with DatasetWriter(out_dir, report, progress) as writer:
        for table in REFERENCE_TABLES:
            writer.write(table, world.reference.table(table))
            writer.done(table)
        writer.write("offers", world.offer_rows())
        writer.done("offers")
        _write_enterprises(writer, enterprises)
        _write_with_links(writer, "mentors", "mentorships", programmes.mentor, counts["mentors"])
        _write_nodes(writer, "bases", programmes.base, counts["bases"])
        _write_with_links(writer, "alliances", "memberships", programmes.alliance, counts["alliances"])
        _write_nodes(writer, "projects", programmes.project, counts["projects"])
        _write_nodes(writer, "courses", programmes.course, counts["courses"])
    write_manifest(out_dir, manifest(seed, scale))
    report.seconds = time.perf_counter() - started
    return report


def manifest(seed: int, scale: int) -> dict[str, TableOrigin]:
    """Each table's origin: the reference and plan tables real, with their sources; the rest made up."""
    made_up = TableOrigin(True, synthetic_source(seed, scale))
    real = {table: TableOrigin(False, REFERENCE_SOURCES[table]) for table in REFERENCE_TABLES}
    return {**real, **{table: made_up for table in SYNTHETIC_TABLES}}


def _write_enterprises(writer: DatasetWriter, enterprises: Enterprises) -> None:
    for table in ("enterprises", "demands", "cooperations"):
        writer.write(table, ())  # open all three so they exist even if empty
    for index in range(enterprises.count):
        row, demands, cooperations = enterprises.records(index)
        writer.write("enterprises", (row,))
        writer.write("demands", demands)
        writer.write("cooperations", cooperations)
    writer.done("enterprises", "demands", "cooperations")


def _write_nodes(writer: DatasetWriter, table: str, make: Callable[[int], Row], count: int) -> None:
    writer.write(table, (make(index) for index in range(count)))
    writer.done(table)


def _write_with_links(writer: DatasetWriter, table: str, links: str,
                      make: Callable[[int], tuple[Row, list[Row]]], count: int) -> None:
    writer.write(table, ())
    writer.write(links, ())
    for index in range(count):
        row, link_rows = make(index)
        writer.write(table, (row,))
        writer.write(links, link_rows)
    writer.done(table, links)
