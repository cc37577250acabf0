"""One load, start to finish (DESIGN §3).

1. `prepare`: find the tables, check every header (unusable input fails here, before any row).
2. Node tables: read and validate every cell; keys go into the load's index.
3. References, in dependency order: each must name a node accepted in this load or in the store;
   a dangling one rejects its row, and rows naming a rejected node are rejected in turn.
4. Writes in batches: nodes, then the relationships their reference columns describe, then the
   relationship tables, streamed (validated, resolved and written a batch at a time).
   `--strict` first validates the relationship tables without writing and stops on any error;
   `--dry-run` sends the batches to a predictor instead of the store.
5. Reject files (default mode) and a `LoadRun` node recording files, checksums, counts and times.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from graph.model import NODES, NODES_BY_TABLE, REL_TABLES_BY_NAME, RELS, NodeKind
from graph.records import NodeRef, Provenance, RelRow, WriteCounts
from graph.store import GraphStore
from loaders.batches import batched
from loaders.load_run import new_run_id, record_load_run
from loaders.readers import JSON_HEADER_SAMPLE, InputError, SourceRow, TableSource, discover, open_table
from loaders.references import KeyIndex
from loaders.rejects import write_rejects
from loaders.report import LoadReport, LocatedError, TableReport
from loaders.rows import (
    CellError,
    NodeRow,
    RelTableRow,
    check_header,
    unknown_columns,
    validate_node_row,
    validate_rel_row,
)
from loaders.tables import node_label_order, table_names, table_spec
from loaders.writes import NullSink, PredictingSink, Sink, StoreSink

READ_PROGRESS_EVERY = 1000  # rows between progress updates while reading


@dataclass(frozen=True)
class LoadOptions:
    dry_run: bool = False
    strict: bool = False
    rejects_dir: Path = Path("rejects")
    batch_size: int = 5000

    @property
    def writes_rejects(self) -> bool:
        return not (self.dry_run or self.strict)


class LoadProgress(Protocol):
    def reading(self, source: TableSource, rows: int) -> None: ...

    def writing(self, source: TableSource, kind: str, done: int, total: int | None) -> None: ...


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
    for source in sources:
        with open_table(source) as (header, _rows):
            warnings += [_located(source, warning) for warning in check_header(source, header)]
    if options.writes_rejects:
        _check_rejects_dir(options.rejects_dir, sources)
    return LoadPlan(sources, warnings)


def _check_rejects_dir(directory: Path, sources: Iterable[TableSource]) -> None:
    folders = {source.path.resolve().parent for source in sources}
    if directory.resolve() in folders:
        raise InputError(f"--rejects {directory}: reject files would overwrite the inputs there; choose another folder")


def _located(source: TableSource, error: CellError) -> LocatedError:
    return LocatedError(source.where, error.row, error.column, error.message)


def load(plan: LoadPlan, store: GraphStore, options: LoadOptions, progress: LoadProgress | None = None) -> LoadReport:
    """Run the load of `plan` against `store`; the report says what was (or would be) written."""
    return _Load(plan, store, options, progress or NoProgress()).run()


class _Load:
    def __init__(self, plan: LoadPlan, store: GraphStore, options: LoadOptions, progress: LoadProgress) -> None:
        self.plan, self.store, self.options, self.progress = plan, store, options, progress
        started = datetime.now(UTC)
        self.report = LoadReport(started.isoformat(timespec="milliseconds"), options.dry_run, options.strict)
        self.report.warnings.extend(plan.warnings)
        self.run_id = new_run_id(started)
        self.tables = {source: TableReport(source) for source in plan.sources}
        self.report.tables = list(self.tables.values())
        self.index = KeyIndex(store, options.batch_size)
        self.node_rows: dict[TableSource, list[NodeRow]] = {}
        self.seen_rels: set[int] = set()  # hashes of relationship identities, for duplicates

    def run(self) -> LoadReport:
        for source in self._sources(node_tables=True):
            self._read_node_table(source)
        self._resolve_references()
        if self.options.strict:
            self._stream_rel_tables(NullSink())
            if self.report.errors:
                return self._finish()
            self._reset_rel_tables()
        sink: Sink = PredictingSink(self.store) if self.options.dry_run else StoreSink(self.store)
        self._write_nodes(sink)
        self._write_reference_rels(sink)
        self._stream_rel_tables(sink)
        self.report.written = not self.options.dry_run
        if self.options.writes_rejects:
            write_rejects(self.report.tables, self.options.rejects_dir)
        return self._finish()

    def _finish(self) -> LoadReport:
        self.report.finished_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        self.report.sort_errors()
        if self.report.written:
            self.report.load_run = record_load_run(self.store, self.run_id, self.report)
        return self.report

    def _sources(self, node_tables: bool) -> list[TableSource]:
        return [source for source in self.plan.sources if (source.table in NODES_BY_TABLE) == node_tables]

    def _provenance(self, source: TableSource) -> Provenance:
        return Provenance(source.source_name, self.report.started_at)

    # -- rejected rows ---------------------------------------------------------------------------

    def _reject(self, source: TableSource, errors: Sequence[CellError]) -> None:
        table = self.tables[source]
        for error in errors:
            self.report.errors.append(_located(source, error))
            table.rejected_rows.setdefault(error.row, []).append(f"{error.column}: {error.message}")

    def _warn_new_columns(self, source: TableSource, row: SourceRow, known: set[str]) -> None:
        """JSON objects may bring keys the header sample did not have: warn once per key."""
        new = unknown_columns(table_spec(source.table), (name for name in row.cells if name not in known))
        for name in new:
            self.report.warnings.append(LocatedError(source.where, row.number, name, "warning: unknown column, ignored"))
        known.update(row.cells)

    def _rows(self, source: TableSource, rows: Iterable[SourceRow], header: list[str]) -> Iterable[SourceRow]:
        """The rows, counted into the table's report, with progress and JSON key warnings."""
        table, known = self.tables[source], set(header)
        check_keys = source.format in ("json", "jsonl")
        for row in rows:
            table.rows += 1
            if check_keys and table.rows > JSON_HEADER_SAMPLE:
                self._warn_new_columns(source, row, known)
            if table.rows % READ_PROGRESS_EVERY == 0:
                self.progress.reading(source, table.rows)
            yield row
        self.progress.reading(source, table.rows)

    # -- node tables -------------------------------------------------------------------------------

    def _read_node_table(self, source: TableSource) -> None:
        kind = NODES_BY_TABLE[source.table]
        accepted: list[NodeRow] = []
        with open_table(source) as (header, rows):
            for raw in self._rows(source, rows, header):
                row, errors = validate_node_row(kind, raw)
                if row is not None:
                    errors = self._duplicate_key(source, kind, row)
                if row is None or errors:
                    self._reject(source, errors)
                else:
                    accepted.append(row)
        self.node_rows[source] = accepted

    def _duplicate_key(self, source: TableSource, kind: NodeKind, row: NodeRow) -> list[CellError]:
        earlier = self.index.add(kind.label, row.key, f"{source.where}:{row.number}")
        if earlier is None:
            return []
        return [CellError(row.number, kind.key, f"{kind.label} {row.key!r} is also in {earlier}")]

    def _resolve_references(self) -> None:
        """Check references label by label, targets first; a table naming itself (a chain's
        parent) is re-checked until no more of its rows fall."""
        for label in node_label_order():
            kind = NODES[label]
            sources = [source for source in self.node_rows if source.table == kind.table]
            if not (kind.references and sources):
                continue
            self_referencing = any(ref.target == label for ref in kind.references)
            while self._reject_dangling(kind, sources) and self_referencing:
                continue

    def _reject_dangling(self, kind: NodeKind, sources: list[TableSource]) -> bool:
        """Reject rows whose references name no node; True when some row was rejected."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for source in sources:
            for row in self.node_rows[source]:
                for ref in kind.references:
                    wanted[ref.target].update(row.refs.get(ref.column, ()))
        for target, keys in wanted.items():
            self.index.look_up(target, keys)
        rejected_any = False
        for source in sources:
            kept = []
            for row in self.node_rows[source]:
                errors = self._dangling_refs(kind, row)
                if errors:
                    self._reject(source, errors)
                    self.index.reject(kind.label, row.key)
                    rejected_any = True
                else:
                    kept.append(row)
            self.node_rows[source] = kept
        return rejected_any

    def _dangling_refs(self, kind: NodeKind, row: NodeRow) -> list[CellError]:
        errors = []
        for ref in kind.references:
            message = self.index.missing(ref.target, row.refs.get(ref.column, ()))
            if message:
                errors.append(CellError(row.number, ref.column, message))
        return errors

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
                    RelRow(ref.rel_type, NodeRef(kind.label, row.key), NodeRef(ref.target, key))
                    for row in rows
                    for key in row.refs.get(ref.column, ())
                )
                self._write_rels(sink, source, ref.rel_type, rels, total)

    def _write_rels(self, sink: Sink, source: TableSource, rel_type: str, rels: Iterable[RelRow], total: int) -> None:
        done = 0
        for batch in batched(rels, self.options.batch_size):
            self.tables[source].add_counts(rel_type, sink.rels(batch, self._provenance(source)))
            done += len(batch)
            self.progress.writing(source, rel_type, done, total)

    # -- relationship tables ---------------------------------------------------------------------

    def _reset_rel_tables(self) -> None:
        self.seen_rels.clear()
        for source in self._sources(node_tables=False):
            self.tables[source].rows = 0

    def _stream_rel_tables(self, sink: Sink) -> None:
        for source in self._sources(node_tables=False):
            rel_table = REL_TABLES_BY_NAME[source.table]
            rel_type, done = rel_table.rel_type, 0
            self.tables[source].add_counts(rel_type, WriteCounts())
            with open_table(source) as (header, rows):
                for chunk in batched(self._rows(source, rows, header), self.options.batch_size):
                    accepted = self._accept_rel_rows(source, [validate_rel_row(rel_table, row) for row in chunk])
                    if accepted:
                        self.tables[source].add_counts(rel_type, sink.rels(accepted, self._provenance(source)))
                    done += len(chunk)
                    self.progress.writing(source, rel_type, done, None)

    def _accept_rel_rows(
        self, source: TableSource, checked: list[tuple[RelTableRow | None, list[CellError]]]
    ) -> list[RelRow]:
        valid = [row for row, errors in checked if row is not None]
        for _row, errors in checked:
            if errors:
                self._reject(source, errors)
        wanted: dict[str, set[str]] = defaultdict(set)
        for row in valid:
            wanted[row.rel.source.label].add(row.rel.source.key)
            wanted[row.rel.target.label].add(row.rel.target.key)
        for label, keys in wanted.items():
            self.index.look_up(label, keys)
        accepted = []
        for row in valid:
            errors = self._rel_row_errors(source, row)
            if errors:
                self._reject(source, errors)
            else:
                accepted.append(row.rel)
        return accepted

    def _rel_row_errors(self, source: TableSource, row: RelTableRow) -> list[CellError]:
        rel_table = REL_TABLES_BY_NAME[source.table]
        errors = []
        for column, ref in ((rel_table.source_column, row.rel.source), (rel_table.target_column, row.rel.target)):
            message = self.index.missing(ref.label, (ref.key,))
            if message:
                errors.append(CellError(row.number, column, message))
        if errors:
            return errors
        identity = hash((row.rel.rel_type, row.rel.source, row.rel.target, tuple(sorted(row.rel.key.items()))))
        if identity in self.seen_rels:
            names = [rel_table.source_column, rel_table.target_column, *RELS[row.rel.rel_type].key]
            return [CellError(row.number, rel_table.target_column, f"repeats an earlier row of this load (same {', '.join(names)})")]
        self.seen_rels.add(identity)
        return []
