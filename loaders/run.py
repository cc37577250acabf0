"""One load, start to finish (DESIGN §3).

1. `prepare`: find the tables, check every header (unusable input fails here, before any row).
2. `Intake`: read and validate every table completely (node tables, references, relationship
   tables), so that unusable input anywhere and `--strict` leave the store untouched.
3. Writes in batches: nodes, then the relationships their reference columns describe, then the
   relationship tables. `--strict` stops before this step on any error; `--dry-run` sends the
   batches to a predictor instead of the store.
4. Reject files (default mode) and a `LoadRun` node recording files, checksums, counts and times.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from graph.model import NODES_BY_TABLE, REL_TABLES_BY_NAME
from graph.records import NodeRef, Provenance, RelRow, WriteCounts
from graph.store import GraphStore
from loaders.batches import batched
from loaders.intake import Intake, LoadProgress, located
from loaders.load_run import new_run_id, record_load_run
from loaders.provenance import Origins, TableOrigin
from loaders.readers import InputError, TableSource, close_workbooks, discover, open_table
from loaders.references import KeyIndex
from loaders.rejects import write_rejects
from loaders.report import LoadReport, LocatedError, TableReport
from loaders.rows import NodeRow, RelRowMaker, RelTableRow, check_header
from loaders.tables import SYNTHETIC_COLUMN, table_names
from loaders.writes import PredictingSink, Sink, StoreSink

BULK_GC_THRESHOLDS = (100_000, 50, 1000)  # instead of Python's (700, 10, 10) while a load runs

__all__ = ["LoadOptions", "LoadPlan", "LoadProgress", "NoProgress", "Sink", "load", "prepare"]


@dataclass(frozen=True)
class LoadOptions:
    dry_run: bool = False
    strict: bool = False
    rejects_dir: Path = Path("rejects")
    batch_size: int = 5000
    replace_synthetic: bool = False  # real rows may turn synthetic nodes real (see `loaders.provenance`)

    @property
    def writes_rejects(self) -> bool:
        return not (self.dry_run or self.strict)


class NoProgress:
    def reading(self, source: TableSource, rows: int) -> None:
        pass

    def writing(self, source: TableSource, kind: str, done: int, total: int | None) -> None:
        pass


@dataclass(frozen=True)
class LoadPlan:
    sources: list[TableSource]  # node tables in dependency order, then relationship tables
    warnings: list[LocatedError]


def prepare(paths: Sequence[Path], options: LoadOptions) -> LoadPlan:
    """The tables to load, every header checked; InputError (exit 2) on unusable input."""
    order = {name: index for index, name in enumerate(table_names())}
    sources = sorted(discover(paths), key=lambda source: order[source.table])
    warnings: list[LocatedError] = []
    try:
        for source in sources:
            with open_table(source) as (header, _rows):
                warnings += [located(source, warning) for warning in check_header(source, header)]
        if options.writes_rejects:
            _check_rejects_dir(options.rejects_dir, sources)
    except BaseException:
        close_workbooks(sources)
        raise
    return LoadPlan(sources, warnings)


def _check_rejects_dir(directory: Path, sources: Iterable[TableSource]) -> None:
    folders = {source.path.resolve().parent for source in sources}
    if directory.resolve() in folders:
        raise InputError(f"--rejects {directory}: reject files would overwrite the inputs there; choose another folder")


def load(
    plan: LoadPlan, store: GraphStore, options: LoadOptions, progress: LoadProgress | None = None, sink: Sink | None = None
) -> LoadReport:
    """Run the load of `plan` against `store`; the report says what was (or would be) written.
    InputError (unusable input) is raised before anything is written. `sink` replaces where the
    batches go (the store, or a predictor in a dry run): benchmarks send them to a baseline."""
    try:
        with _rare_collections():
            return _Load(plan, store, options, progress or NoProgress(), sink).run()
    finally:
        close_workbooks(plan.sources)  # each was opened once, for all its sheets and passes


@contextmanager
def _rare_collections() -> Iterator[None]:
    """A load allocates millions of long-lived objects without cycles, which the cyclic garbage
    collector would otherwise re-scan over and over: measured, as much CPU as the rest of the
    load. Collections still happen meanwhile, only far less often."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*BULK_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


class _Load:
    def __init__(
        self, plan: LoadPlan, store: GraphStore, options: LoadOptions, progress: LoadProgress, sink: Sink | None
    ) -> None:
        self.plan, self.store, self.options, self.progress = plan, store, options, progress
        self.sink = sink or (PredictingSink(store) if options.dry_run else StoreSink(store))
        started = datetime.now(UTC)
        self.report = LoadReport(started.isoformat(timespec="milliseconds"), options.dry_run, options.strict)
        self.report.warnings.extend(plan.warnings)
        self.run_id = new_run_id(started)
        self.tables = {source: TableReport(source) for source in plan.sources}
        self.report.tables = list(self.tables.values())
        self.origins = Origins()
        self.intake = Intake(self.report, KeyIndex(store, options.batch_size), progress, self._origin,
                             options.replace_synthetic)
        self.node_rows: dict[TableSource, list[NodeRow]] = {}
        self.rel_rows: dict[TableSource, list[RelTableRow]] = {}

    def run(self) -> LoadReport:
        self._read_everything()
        if self.options.strict and self.report.errors:
            return self._finish()
        with nullcontext() if self.options.dry_run else self.store.bulk_load():
            self._write_nodes(self.sink)
            self._write_reference_rels(self.sink)
            self._write_rel_tables(self.sink)
        self.report.written = not self.options.dry_run
        if self.options.writes_rejects:
            write_rejects(self.report.tables, self.options.rejects_dir)
        return self._finish()

    def _read_everything(self) -> None:
        for source in self._sources(node_tables=True):
            self.node_rows[source] = self.intake.node_table(source)
        self.intake.resolve_references(self.node_rows)
        for source in self._sources(node_tables=False):
            self.rel_rows[source] = self.intake.rel_table(source)

    def _finish(self) -> LoadReport:
        self.report.finished_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        self.report.sort_errors()
        if self.report.written:
            self.report.load_run = record_load_run(self.store, self.run_id, self.report)
        return self.report

    def _sources(self, node_tables: bool) -> list[TableSource]:
        return [source for source in self.plan.sources if (source.table in NODES_BY_TABLE) == node_tables]

    def _origin(self, source: TableSource) -> TableOrigin:
        return self.origins.of(source.path, source.table, source.source_name)

    def _provenance(self, source: TableSource) -> Provenance:
        origin = self._origin(source)
        return Provenance(origin.source, self.report.started_at, origin.synthetic)

    # -- writes ------------------------------------------------------------------------------------

    def _write_nodes(self, sink: Sink) -> None:
        for source, rows in self.node_rows.items():
            label = NODES_BY_TABLE[source.table].label
            done = 0
            self.tables[source].add_counts(label, WriteCounts())
            for batch in batched(rows, self.options.batch_size):
                self.tables[source].add_counts(label, sink.nodes(label, [row.props for row in batch], self._provenance(source)))
                done += len(batch)
                self.progress.writing(source, label, done, len(rows))

    def _write_reference_rels(self, sink: Sink) -> None:
        for source, rows in self.node_rows.items():
            kind = NODES_BY_TABLE[source.table]
            for ref in kind.references:
                total = sum(len(row.refs.get(ref.column, ())) for row in rows)
                rels = (
                    RelRow(ref.rel_type, NodeRef(kind.label, row.key), NodeRef(ref.target, key), props=_marked(row))
                    for row in rows
                    for key in row.refs.get(ref.column, ())
                )
                self._write_rels(sink, source, ref.rel_type, rels, total)

    def _write_rel_tables(self, sink: Sink) -> None:
        for source in list(self.rel_rows):
            rel_table = REL_TABLES_BY_NAME[source.table]
            rows = self.rel_rows.pop(source)  # written once: let the memory go table by table
            self.tables[source].add_counts(rel_table.rel_type, WriteCounts())
            make = RelRowMaker(rel_table)
            self._write_rels(sink, source, rel_table.rel_type, (make(row) for row in rows), len(rows))

    def _write_rels(self, sink: Sink, source: TableSource, rel_type: str, rels: Iterable[RelRow], total: int) -> None:
        done = 0
        for batch in batched(rels, self.options.batch_size):
            self.tables[source].add_counts(rel_type, sink.rels(batch, self._provenance(source)))
            done += len(batch)
            self.progress.writing(source, rel_type, done, total)


NOT_MARKED: dict[str, bool] = {}


def _marked(row: NodeRow) -> dict[str, bool]:
    """A node row's own `synthetic` cell, for the relationships its references make."""
    synthetic = row.props.get(SYNTHETIC_COLUMN)
    return NOT_MARKED if synthetic is None else {SYNTHETIC_COLUMN: synthetic}
