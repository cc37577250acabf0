"""The columns of every table of DESIGN §3, derived from the model: which are required, which are
references, what each means. Header checks, validation messages and templates all read them here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter

from graph.model import NODE_KINDS, NODES, NODES_BY_TABLE, REL_TABLES, REL_TABLES_BY_NAME, RELS, Prop, PropType

ERROR_COLUMN = "error"  # added to reject files; ignored when they are loaded again
SYNTHETIC_COLUMN = "synthetic"  # optional in every table: overrides the manifest row by row
MANIFEST = "provenance.csv"  # a dataset folder's provenance manifest (`loaders.provenance`), no table
TARGET_FIRST = frozenset({"memberships"})  # DESIGN §3 writes memberships(alliance, member, role)


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()  # labels a reference column may name

    @property
    def help(self) -> str:
        """One line for README files and cell comments."""
        parts = [self.description or self.name, f"type: {self.type}"]
        if self.required:
            parts.append("required")
        if self.choices:
            parts.append("one of: " + ", ".join(self.choices))
        return "; ".join(parts)


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    is_node_table: bool

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    @property
    def header(self) -> str:
        return ",".join(self.column_names)


def _prop_column(prop: Prop, required: bool = False) -> Column:
    return Column(prop.name, prop.description, _type_name(prop.type), prop.required or required, prop.choices)


def _type_name(prop_type: PropType) -> str:
    return {
        PropType.STR: "text",
        PropType.INT: "whole number",
        PropType.FLOAT: "number",
        PropType.BOOL: "yes/no (是/否, true/false, 1/0)",
        PropType.STR_LIST: "';'-separated list",
    }[prop_type]


def _node_spec(table: str) -> TableSpec:
    kind = NODES_BY_TABLE[table]
    columns = [_prop_column(prop, prop.name == kind.key) for prop in kind.properties]
    for ref in kind.references:
        target = NODES[ref.target]
        names = f"';'-separated {ref.target} {target.key}s" if ref.many else _possessive(ref.target, target.key)
        columns.append(Column(ref.column, ref.description, names, targets=(ref.target,)))
    return TableSpec(table, tuple(columns), True)


def _rel_spec(table: str) -> TableSpec:
    rel_table = REL_TABLES_BY_NAME[table]
    kind = RELS[rel_table.rel_type]
    columns = [
        _endpoint_column(rel_table.source_column, kind.sources),
        _endpoint_column(rel_table.target_column, (kind.target,)),
    ]
    if table in TARGET_FIRST:
        columns.reverse()
    columns += [_prop_column(kind.prop(name), name in kind.key) for name in rel_table.columns]
    return TableSpec(table, tuple(columns), False)


def _endpoint_column(name: str, labels: tuple[str, ...]) -> Column:
    keys = " or ".join(_possessive(label, NODES[label].key) for label in labels)
    return Column(name, f"The {name}: {keys}", "text", True, targets=labels)


def _possessive(label: str, key: str) -> str:
    article = "an" if label[0] in "AEIOU" else "a"
    return f"{article} {label}'s {key}"


@cache
def table_spec(table: str) -> TableSpec:
    """The spec of a node or relationship table; KeyError for an unknown name."""
    if table in NODES_BY_TABLE:
        return _node_spec(table)
    if table in REL_TABLES_BY_NAME:
        return _rel_spec(table)
    raise KeyError(table)


def table_names() -> tuple[str, ...]:
    """Node tables in dependency order (targets of references first), then relationship tables."""
    return (*(NODES[label].table for label in node_label_order()), *(table.table for table in REL_TABLES))


@cache
def node_label_order() -> tuple[str, ...]:
    """Node labels so that every label comes after the labels its references name (self
    references, such as a chain's parent, are resolved within the table)."""
    graph = {kind.label: {ref.target for ref in kind.references if ref.target != kind.label} for kind in NODE_KINDS}
    sorter = TopologicalSorter(graph)
    return tuple(sorter.static_order())
