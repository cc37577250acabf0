"""Turning a table's raw rows into validated node rows and `RelRow`s, with every bad cell located.

Only the cells are checked here (types, choices, ranges, key formats, reference formats); whether a
referenced node exists is settled later, against the store and the whole load (`loaders.references`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph.model import NODES, RELS, KeyRule, NodeKind, Reference, RelTable
from graph.records import NodeRef, RelRow
from graph.validation import LIST_SEPARATOR, check_key, coerce, validate_node
from loaders.readers import InputError, SourceRow, TableSource
from loaders.tables import ERROR_COLUMN, TableSpec, table_spec

ROW_COLUMN = "*"  # the column of an error about the whole row (unreadable JSON, too many cells)
DIGIT_RULES = (KeyRule.ADCODE, KeyRule.SCHOOL_CODE, KeyRule.DISCIPLINE_CODE)


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


@dataclass(frozen=True, slots=True)
class RelTableRow:
    number: int
    rel: RelRow


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
    known = {*spec.column_names, ERROR_COLUMN, ""}
    return [name for name in names if name not in known]


def validate_node_row(kind: NodeKind, row: SourceRow) -> tuple[NodeRow | None, list[CellError]]:
    """The row's properties and reference keys, or the errors of its bad cells."""
    if row.problem:
        return None, [CellError(row.number, ROW_COLUMN, row.problem)]
    props, bad = validate_node(kind, row.cells)
    errors = [CellError(row.number, column, _hinted(message, row.cells.get(column), kind, column)) for column, message in bad.items()]
    refs: dict[str, tuple[str, ...]] = {}
    for ref in kind.references:
        try:
            keys = reference_keys(ref, row.cells.get(ref.column))
        except ValueError as error:
            errors.append(CellError(row.number, ref.column, str(error)))
            continue
        if keys:
            refs[ref.column] = keys
    if errors:
        return None, errors
    return NodeRow(row.number, props[kind.key], props, refs), []


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


def checked_key(rule: KeyRule, raw: Any) -> str:
    """`check_key`, remembered for text cells: relationship tables repeat the same codes
    thousands of times, and the credit-code checksum is not free."""
    return _cached_key(rule, raw) if isinstance(raw, str) else check_key(rule, raw)


@lru_cache(maxsize=1 << 16)
def _cached_key(rule: KeyRule, raw: str) -> str:
    return check_key(rule, raw)


def reference_keys(ref: Reference, raw: Any) -> tuple[str, ...]:
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
            keys.append(checked_key(rule, item))
        except ValueError as error:
            problems.append(_leading_zero_hint(str(error), item, rule))
    if problems:
        raise ValueError("; ".join(problems))
    if not ref.many and len(keys) > 1:
        raise ValueError(f"{raw!r} names {len(keys)} {ref.target} keys; {ref.column} takes one")
    return tuple(dict.fromkeys(keys))


def validate_rel_row(table: RelTable, row: SourceRow) -> tuple[RelTableRow | None, list[CellError]]:
    """The relationship a row of a relationship table describes, or the errors of its bad cells."""
    if row.problem:
        return None, [CellError(row.number, ROW_COLUMN, row.problem)]
    kind = RELS[table.rel_type]
    errors: list[CellError] = []
    source = _endpoint(row, table.source_column, kind.sources, errors)
    target = _endpoint(row, table.target_column, (kind.target,), errors)
    values: dict[str, Any] = {}
    for column in table.columns:
        try:
            values[column] = coerce(kind.prop(column), row.cells.get(column))
        except ValueError as error:
            errors.append(CellError(row.number, column, str(error)))
    if errors or source is None or target is None:
        return None, errors
    key = {name: values[name] for name in kind.key}
    props = {name: value for name, value in values.items() if value is not None and name not in kind.key}
    return RelTableRow(row.number, RelRow(kind.type, source, target, key, props)), []


def _endpoint(row: SourceRow, column: str, labels: tuple[str, ...], errors: list[CellError]) -> NodeRef | None:
    """The node an endpoint cell names; with several possible labels (a membership's member), the
    first whose key format fits: a 10-digit code is a School, a credit code an Enterprise."""
    raw = row.cells.get(column)
    if raw is None or not str(raw).strip():
        errors.append(CellError(row.number, column, f"{column} is required"))
        return None
    problems: list[str] = []
    for label in labels:
        rule = NODES[label].key_rule
        try:
            return NodeRef(label, checked_key(rule, raw))
        except ValueError as error:
            problems.append(_leading_zero_hint(str(error), raw, rule))
    errors.append(CellError(row.number, column, _likeliest(problems, raw)))
    return None


def _likeliest(problems: list[str], raw: Any) -> str:
    """Of the reasons why no label fits, the one for the code the editor most likely meant: a
    short all-digit value was meant as the first label's code (a school's), anything else as the
    last's (a credit code)."""
    text = str(raw).strip()
    return problems[0] if text.isdigit() and len(text) < 18 else problems[-1]
