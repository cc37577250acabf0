"""Reading and validating every table of a load before anything is written (DESIGN §3: nothing
half-written). Unusable input found anywhere, even deep inside the last relationship table, stops
the load while the store is still untouched; `--strict` decides on the complete list of errors.

1. Node tables: every cell validated; keys go into the load's index.
2. References, in dependency order: each must name a node accepted in this load or in the store;
   a dangling one rejects its row, and rows naming a rejected node are rejected in turn.
3. Relationship tables: every cell validated, endpoints looked up in the store in big batches (one
   `get_nodes` per batch of keys per label), repeats of an earlier row rejected. The valid rows are
   kept, compactly, for the writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from graph.model import NODES, NODES_BY_TABLE, REL_TABLES_BY_NAME, RELS, NodeKind, RelTable
from loaders.cells import KeyChecker
from loaders.provenance import TableOrigin
from loaders.readers import JSON_HEADER_SAMPLE, SourceRow, TableSource, open_table
from loaders.references import KeyIndex
from loaders.report import LoadReport, LocatedError
from loaders.rows import (
    CellError,
    Endpoints,
    NodeRow,
    NodeRowValidator,
    RelRowValidator,
    RelTableRow,
    unknown_columns,
)
from loaders.tables import SYNTHETIC_COLUMN, node_label_order, table_spec

READ_PROGRESS_EVERY = 1000  # rows between progress updates while reading


class LoadProgress(Protocol):
    def reading(self, source: TableSource, rows: int) -> None: ...

    def writing(self, source: TableSource, kind: str, done: int, total: int | None) -> None: ...


def located(source: TableSource, error: CellError) -> LocatedError:
    return LocatedError(source.where, error.row, error.column, error.message)


class Intake:
    """The validated rows of a load's tables, with every bad row rejected into `report`."""

    def __init__(self, report: LoadReport, index: KeyIndex, progress: LoadProgress,
                 origin: Callable[[TableSource], TableOrigin], replace_synthetic: bool = False) -> None:
        self.report, self.index, self.progress = report, index, progress
        self.origin, self.replace_synthetic = origin, replace_synthetic
        self.tables = {table.source: table for table in report.tables}
        self.keys = KeyChecker()
        self.endpoints = Endpoints()
        self.seen_rels: set[int] = set()  # hashes of relationship identities, for repeated rows

    # -- rejected rows ---------------------------------------------------------------------------

    def reject(self, source: TableSource, errors: Sequence[CellError]) -> None:
        table = self.tables[source]
        for error in errors:
            self.report.errors.append(located(source, error))
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
        count = table.rows
        for row in rows:
            count += 1
            if check_keys and count > JSON_HEADER_SAMPLE:
                self._warn_new_columns(source, row, known)
            if count % READ_PROGRESS_EVERY == 0:
                table.rows = count
                self.progress.reading(source, count)
            yield row
        table.rows = count
        self.progress.reading(source, count)

    # -- node tables -------------------------------------------------------------------------------

    def node_table(self, source: TableSource) -> list[NodeRow]:
        """The table's valid rows; repeated keys and bad cells rejected."""
        kind = NODES_BY_TABLE[source.table]
        validate = NodeRowValidator(kind, self.keys)
        accepted: list[NodeRow] = []
        with open_table(source) as (header, rows):
            for raw in self._rows(source, rows, header):
                row, errors = validate(raw)
                if row is not None:
                    errors = self._duplicate_key(source, kind, row)
                if row is None or errors:
                    self.reject(source, errors)
                else:
                    accepted.append(row)
        return accepted if self.replace_synthetic else self._not_onto_synthetic(source, kind, accepted)

    def _not_onto_synthetic(self, source: TableSource, kind: NodeKind, rows: list[NodeRow]) -> list[NodeRow]:
        """A real row never merges silently onto a synthetic node of the store: it is rejected,
        unless the load replaces synthetic nodes (`--replace-synthetic`)."""
        default = self.origin(source).synthetic
        real = {row.key for row in rows if not row.props.get(SYNTHETIC_COLUMN, default)}
        clashes = self.index.synthetic_in_store(kind.label, real) if real else {}
        if not clashes:
            return rows
        kept = []
        for row in rows:
            if row.key in real and row.key in clashes:
                message = (f"{kind.label} {row.key!r} is a synthetic node in the store (source {clashes[row.key]}); "
                           "a real row does not merge onto made-up data: delete that node first, "
                           "or load with --replace-synthetic to make it real")
                self.reject(source, [CellError(row.number, kind.key, message)])
                self.index.reject(kind.label, row.key)
            else:
                kept.append(row)
        return kept

    def _duplicate_key(self, source: TableSource, kind: NodeKind, row: NodeRow) -> list[CellError]:
        earlier = self.index.add(kind.label, row.key, f"{source.where}:{row.number}")
        if earlier is None:
            return []
        return [CellError(row.number, kind.key, f"{kind.label} {row.key!r} is also in {earlier}")]

    def resolve_references(self, node_rows: dict[TableSource, list[NodeRow]]) -> None:
        """Check references label by label, targets first, dropping rejected rows from
        `node_rows`; a table naming itself (a chain's parent) is re-checked until no more of its
        rows fall."""
        for label in node_label_order():
            kind = NODES[label]
            sources = [source for source in node_rows if source.table == kind.table]
            if not (kind.references and sources):
                continue
            self_referencing = any(ref.target == label for ref in kind.references)
            while self._reject_dangling(kind, sources, node_rows) and self_referencing:
                continue

    def _reject_dangling(self, kind: NodeKind, sources: list[TableSource], node_rows: dict[TableSource, list[NodeRow]]) -> bool:
        """Reject rows whose references name no node; True when some row was rejected."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for source in sources:
            for row in node_rows[source]:
                for ref in kind.references:
                    wanted[ref.target].update(row.refs.get(ref.column, ()))
        for target, keys in wanted.items():
            self.index.look_up(target, keys)
        rejected_any = False
        for source in sources:
            kept = []
            for row in node_rows[source]:
                errors = self._dangling_refs(kind, row)
                if errors:
                    self.reject(source, errors)
                    self.index.reject(kind.label, row.key)
                    rejected_any = True
                else:
                    kept.append(row)
            node_rows[source] = kept
        return rejected_any

    def _dangling_refs(self, kind: NodeKind, row: NodeRow) -> list[CellError]:
        errors = []
        for ref in kind.references:
            message = self.index.missing(ref.target, row.refs.get(ref.column, ()))
            if message:
                errors.append(CellError(row.number, ref.column, message))
        return errors

    # -- relationship tables ---------------------------------------------------------------------

    def rel_table(self, source: TableSource) -> list[RelTableRow]:
        """The table's valid rows: cells valid, both endpoints existing, no repeat of an earlier row."""
        rel_table = REL_TABLES_BY_NAME[source.table]
        validate = RelRowValidator(rel_table, self.endpoints)
        valid: list[RelTableRow] = []
        with open_table(source) as (header, rows):
            for raw in self._rows(source, rows, header):
                row, errors = validate(raw)
                if row is None:
                    self.reject(source, errors)
                else:
                    valid.append(row)
        self._look_up_endpoints(valid)
        return self._accepted(source, rel_table, valid)

    def _look_up_endpoints(self, rows: list[RelTableRow]) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            wanted[row.source.label].add(row.source.key)
            wanted[row.target.label].add(row.target.key)
        for label, keys in wanted.items():
            self.index.look_up(label, keys)

    def _accepted(self, source: TableSource, rel_table: RelTable, rows: list[RelTableRow]) -> list[RelTableRow]:
        kind = RELS[rel_table.rel_type]
        known = {label: self.index.known(label) for label in (*kind.sources, kind.target)}
        key_at = [rel_table.columns.index(name) for name in kind.key]
        seen, accepted = self.seen_rels, []
        for row in rows:
            start, end = row.source, row.target
            (start_loaded, start_stored), (end_loaded, end_stored) = known[start.label], known[end.label]
            if not (
                (start.key in start_loaded or start.key in start_stored) and (end.key in end_loaded or end.key in end_stored)
            ):
                self.reject(source, self._dangling_ends(rel_table, row))
                continue
            key = tuple([row.values[index] for index in key_at])
            identity = hash((kind.type, start.label, start.key, end.label, end.key, key))
            if identity in seen:
                self.reject(source, [self._repeat(rel_table, row)])
                continue
            seen.add(identity)
            accepted.append(row)
        return accepted

    @staticmethod
    def _repeat(rel_table: RelTable, row: RelTableRow) -> CellError:
        names = [rel_table.source_column, rel_table.target_column, *RELS[rel_table.rel_type].key]
        return CellError(row.number, rel_table.target_column, f"repeats an earlier row of this load (same {', '.join(names)})")

    def _dangling_ends(self, rel_table: RelTable, row: RelTableRow) -> list[CellError]:
        errors = []
        for column, node in ((rel_table.source_column, row.source), (rel_table.target_column, row.target)):
            message = self.index.missing(node.label, (node.key,))
            if message:
                errors.append(CellError(row.number, column, message))
        return errors

