"""Turning a table's raw rows into validated node rows and relationship rows, with every bad cell
located.

Only the cells are checked here (types, choices, ranges, key formats, reference formats); whether a
referenced node exists is settled later, against the store and the whole load (`loaders.references`).
A validator is prepared once per table (each column's coercer chosen, each code text remembered
for the load), because big tables repeat the same work millions of times.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from graph.model import NODES, PROVENANCE_PROPS, RELS, KeyRule, NodeKind, Reference, RelTable
from graph.records import NodeRef, RelRow
from graph.validation import LIST_SEPARATOR, check_key
from loaders.cells import KeyChecker, column_coercer
from loaders.readers import InputError, SourceRow, TableSource
from loaders.tables import ERROR_COLUMN, SYNTHETIC_COLUMN, TableSpec, table_spec

ROW_COLUMN = "*"  # the column of an error about the whole row (unreadable JSON, too many cells)
DIGIT_RULES = (KeyRule.ADCODE, KeyRule.SCHOOL_CODE, KeyRule.DISCIPLINE_CODE)
coerce_synthetic = column_coercer(next(prop for prop in PROVENANCE_PROPS if prop.name == SYNTHETIC_COLUMN))


@dataclass(frozen=True, slots=True)
class CellError:
    row: int
    column: str
    message: str


@dataclass(slots=True)
class NodeRow:
    """A node row whose cells are valid: its properties and the keys each reference column names."""

    number: int
    key: str
    props: dict[str, Any]
    refs: dict[str, tuple[str, ...]]


class RelTableRow(NamedTuple):
    """A relationship row whose cells are valid: its endpoints and its table's property columns
    (`RelTable.columns`, in order); `RelRowMaker` turns it into the `RelRow` written."""

    number: int
    source: NodeRef
    target: NodeRef
    values: tuple[Any, ...]
    synthetic: bool | None = None  # the row's own `synthetic` cell, if any


def check_header(source: TableSource, header: Sequence[str]) -> list[CellError]:
    """Warnings for unknown columns; InputError when a column repeats or a required one is missing."""
    spec = table_spec(source.table)
    repeated = sorted(name for name, count in Counter(name for name in header if name).items() if count > 1)
    if repeated:
        raise InputError(f"{source.where}:1: column {', '.join(map(repr, repeated))} appears more than once")
    missing = [name for name in spec.required if name not in header]
    if missing:
        raise InputError(
            f"{source.where}:1: missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"the expected header of {source.table} is: {spec.header}"
        )
    return [CellError(1, name, "warning: unknown column, ignored") for name in unknown_columns(spec, header)]


def unknown_columns(spec: TableSpec, names: Iterable[str]) -> list[str]:
    known = {*spec.column_names, ERROR_COLUMN, SYNTHETIC_COLUMN, ""}
    return [name for name in names if name not in known]


# -- node tables ---------------------------------------------------------------------------------


class NodeRowValidator:
    """The properties and reference keys of one kind's rows, or the errors of their bad cells."""

    def __init__(self, kind: NodeKind, keys: KeyChecker) -> None:
        self.kind, self.keys = kind, keys
        # None marks the key column, checked by its key rule; every other property has its coercer
        self.columns = [(prop.name, None if prop.name == kind.key else column_coercer(prop)) for prop in kind.properties]

    def __call__(self, row: SourceRow) -> tuple[NodeRow | None, list[CellError]]:
        if row.problem:
            return None, [CellError(row.number, ROW_COLUMN, row.problem)]
        props, errors = self._props(row)
        refs: dict[str, tuple[str, ...]] = {}
        for ref in self.kind.references:
            try:
                keys = reference_keys(ref, row.cells.get(ref.column), self.keys)
            except ValueError as error:
                errors.append(CellError(row.number, ref.column, str(error)))
                continue
            if keys:
                refs[ref.column] = keys
        if errors:
            return None, errors
        return NodeRow(row.number, props[self.kind.key], props, refs), []

    def _props(self, row: SourceRow) -> tuple[dict[str, Any], list[CellError]]:
        props: dict[str, Any] = {}
        errors: list[CellError] = []
        cells, kind = row.cells, self.kind
        for name, coerce_cell in self.columns:
            raw = cells.get(name)
            try:
                value = check_key(kind.key_rule, raw) if coerce_cell is None else coerce_cell(raw)
            except ValueError as error:
                errors.append(CellError(row.number, name, _hinted(str(error), raw, kind, name)))
                continue
            if value is not None:
                props[name] = value
        synthetic = _synthetic_cell(row, errors)
        if synthetic is not None:
            props[SYNTHETIC_COLUMN] = synthetic
        return props, errors


def _synthetic_cell(row: SourceRow, errors: list[CellError]) -> bool | None:
    """The row's own `synthetic` cell (None when absent or blank)."""
    try:
        value = coerce_synthetic(row.cells.get(SYNTHETIC_COLUMN))
    except ValueError as error:
        errors.append(CellError(row.number, SYNTHETIC_COLUMN, str(error)))
        return None
    return None if value is None else bool(value)


def _hinted(message: str, raw: Any, kind: NodeKind, column: str) -> str:
    if column != kind.key:
        return message
    if message == "key is missing":
        return f"{column} is required (it is the key of {kind.label})"
    return _leading_zero_hint(message, raw, kind.key_rule)


def _leading_zero_hint(message: str, raw: Any, rule: KeyRule | None) -> str:
    """Spreadsheets store 080901 as the number 80901; say so when that is the likely cause."""
    if rule in DIGIT_RULES and isinstance(raw, int | float) and not isinstance(raw, bool):
        return f"{message} (a spreadsheet may have dropped leading zeros: format the column as text)"
    return message


def reference_keys(ref: Reference, raw: Any, checker: KeyChecker) -> tuple[str, ...]:
    """The keys a reference cell names, each checked against the target's key format."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ()
    items = raw if isinstance(raw, list) else str(raw).split(LIST_SEPARATOR) if ref.many else [raw]
    rule = NODES[ref.target].key_rule
    keys: list[str] = []
    problems: list[str] = []
    for item in items:
        if isinstance(item, str) and not item.strip():
            continue
        try:
            keys.append(checker.check(rule, item))
        except ValueError as error:
            problems.append(_leading_zero_hint(str(error), item, rule))
    if problems:
        raise ValueError("; ".join(problems))
    if not ref.many and len(keys) > 1:
        raise ValueError(f"{raw!r} names {len(keys)} {ref.target} keys; {ref.column} takes one")
    return tuple(dict.fromkeys(keys))


# -- relationship tables -----------------------------------------------------------------------------


class Endpoints:
    """The node an endpoint cell names, remembered per cell text for the whole load: the same
    `NodeRef` serves every row that names it."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, ...], dict[str, NodeRef | str]] = {}

    def memo(self, labels: tuple[str, ...]) -> dict[str, NodeRef | str]:
        """Cell text → node (or why none) for endpoints of these labels, as resolved so far."""
        return self._memo.setdefault(labels, {})

    def resolve(self, labels: tuple[str, ...], raw: Any) -> NodeRef | str:
        """The node, or the message saying why the (non-blank) cell names none."""
        if type(raw) is not str:
            return _endpoint(labels, raw)
        memo = self.memo(labels)
        found = memo.get(raw)
        if found is None:
            found = memo[raw] = _endpoint(labels, raw)
        return found


def _endpoint(labels: tuple[str, ...], raw: Any) -> NodeRef | str:
    """With several possible labels (a membership's member), the first whose key format fits: a
    10-digit code is a School, a credit code an Enterprise."""
    problems: list[str] = []
    for label in labels:
        rule = NODES[label].key_rule
        try:
            return NodeRef(label, check_key(rule, raw))
        except ValueError as error:
            problems.append(_leading_zero_hint(str(error), raw, rule))
    return _likeliest(problems, raw)


def _likeliest(problems: list[str], raw: Any) -> str:
    """Of the reasons why no label fits, the one for the code the editor most likely meant: a
    short all-digit value was meant as the first label's code (a school's), anything else as the
    last's (a credit code)."""
    text = str(raw).strip()
    return problems[0] if text.isdigit() and len(text) < 18 else problems[-1]


class RelRowValidator:
    """The relationship each row of one relationship table describes, or its bad cells' errors."""

    def __init__(self, table: RelTable, endpoints: Endpoints) -> None:
        kind = RELS[table.rel_type]
        self.endpoints = endpoints
        self.ends = ((table.source_column, kind.sources), (table.target_column, (kind.target,)))
        self.columns = [(column, column_coercer(kind.prop(column))) for column in table.columns]
        self.source_memo, self.target_memo = endpoints.memo(kind.sources), endpoints.memo((kind.target,))

    def __call__(self, row: SourceRow) -> tuple[RelTableRow | None, list[CellError]]:
        """A good row takes the fast path (remembered endpoints, no error bookkeeping); any
        other row is checked again cell by cell to report every bad cell."""
        if row.problem:
            return None, [CellError(row.number, ROW_COLUMN, row.problem)]
        cells = row.cells
        (source_column, _), (target_column, _) = self.ends
        source, target = cells.get(source_column), cells.get(target_column)
        source = self.source_memo.get(source) if type(source) is str else None
        target = self.target_memo.get(target) if type(target) is str else None
        if type(source) is NodeRef and type(target) is NodeRef:
            try:
                values = tuple([coerce_cell(cells.get(column)) for column, coerce_cell in self.columns])
                synthetic = coerce_synthetic(cells.get(SYNTHETIC_COLUMN)) if SYNTHETIC_COLUMN in cells else None
            except ValueError:
                pass
            else:
                return RelTableRow(row.number, source, target, values, synthetic), []
        return self._checked(row)

    def _checked(self, row: SourceRow) -> tuple[RelTableRow | None, list[CellError]]:
        cells, errors = row.cells, list[CellError]()
        (source_column, sources), (target_column, targets) = self.ends
        source = self._endpoint(row, source_column, sources, errors)
        target = self._endpoint(row, target_column, targets, errors)
        values = []
        for column, coerce_cell in self.columns:
            try:
                values.append(coerce_cell(cells.get(column)))
            except ValueError as error:
                errors.append(CellError(row.number, column, str(error)))
        synthetic = _synthetic_cell(row, errors)
        if errors or source is None or target is None:
            return None, errors
        return RelTableRow(row.number, source, target, tuple(values), synthetic), []

    def _endpoint(self, row: SourceRow, column: str, labels: tuple[str, ...], errors: list[CellError]) -> NodeRef | None:
        raw = row.cells.get(column)
        if raw is None or not str(raw).strip():
            errors.append(CellError(row.number, column, f"{column} is required"))
            return None
        found = self.endpoints.resolve(labels, raw)
        if isinstance(found, str):
            errors.append(CellError(row.number, column, found))
            return None
        return found


class RelRowMaker:
    """`RelTableRow`s of one table as the `RelRow`s the store upserts: key properties in the key,
    the other non-blank columns in the properties."""

    def __init__(self, table: RelTable) -> None:
        kind = RELS[table.rel_type]
        self.rel_type = kind.type
        self.key = [(name, table.columns.index(name)) for name in kind.key]
        self.props = [(name, index) for index, name in enumerate(table.columns) if name not in kind.key]

    def __call__(self, row: RelTableRow) -> RelRow:
        values = row.values
        key = {name: values[index] for name, index in self.key}
        props = {name: values[index] for name, index in self.props if values[index] is not None}
        if row.synthetic is not None:
            props[SYNTHETIC_COLUMN] = row.synthetic
        return RelRow(self.rel_type, row.source, row.target, key, props)
