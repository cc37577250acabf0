"""Parameters for the write queries of `graph.neo4j.cypher.statements`: rows checked, normalised and merged in
Python before a transaction starts, with the same rules as the embedded store's write plan.

- A node row must hold its key (stored as text); None values and the stamp are dropped, and
  rows repeating a key are merged (last value wins) so each node is written and counted once.
- A relationship's key properties (e.g. OFFERS.year) are coerced by the model's rules and must
  be present; rows repeating a relationship are merged the same way.
- Values must be storable: text, numbers, yes/no, or a list of one of those.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from graph.model import STAMPED, RelKind, check_endpoints
from graph.neo4j.cypher.statements import stored_key
from graph.records import NodeRef, RelRow
from graph.validation import coerce

T = TypeVar("T")
SCALARS: Final = (str, int, float, bool)
GroupKey = tuple[str, str, str]  # (rel_type, source label, target label)


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def node_rows(items: Sequence[tuple[str, Mapping[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Per label, `{key, props}` rows for `upsert_nodes_query`, one per distinct key."""
    merged: dict[str, dict[str, dict[str, Any]]] = {}
    for index, (label, row) in enumerate(items):
        key_name = stored_key(label)
        where = f"{label} rows[{index}]"
        key = _node_key(key_name, row, where)
        props = merged.setdefault(label, {}).setdefault(key, {})
        props.update(clean_props(row, where, skip=(key_name,)))
    return {label: [{"key": key, "props": props} for key, props in by_key.items()] for label, by_key in merged.items()}


def _node_key(key_name: str, row: Mapping[str, Any], where: str) -> str:
    value = row.get(key_name)
    if value is None or str(value).strip() == "":
        raise ValueError(f"{where}: the key property {key_name!r} is missing")
    return str(value)


def clean_props(row: Mapping[str, Any], where: str, skip: Sequence[str] = ()) -> dict[str, Any]:
    """The row's storable properties without None values, the stamp (`source`, `loaded_at`) and `skip`."""
    return {
        name: storable(value, f"{where}.{name}")
        for name, value in row.items()
        if value is not None and name not in STAMPED and name not in skip
    }


def storable(value: Any, where: str) -> Any:
    if isinstance(value, SCALARS):
        return value
    if isinstance(value, list | tuple) and all(isinstance(item, SCALARS) for item in value):
        if len({type(item) for item in value}) > 1:  # Neo4j stores homogeneous arrays only
            raise ValueError(f"{where}: {value!r} mixes types; a list must hold one type of value")
        return list(value)
    raise ValueError(f"{where}: {value!r} cannot be stored (use text, numbers, yes/no or a list of those)")


@dataclass
class RelGroup:
    """The rows of one (type, source label, target label) for `upsert_rels_query` and
    `delete_rels_query`, with the input index of each for error messages."""

    kind: RelKind
    source_label: str
    target_label: str
    rows: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    origins: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def add(self, identity: tuple[Any, ...], row: dict[str, Any], index: int) -> None:
        if identity in self.rows:
            self.rows[identity]["props"].update(row["props"])
        else:
            self.rows[identity] = row
            self.origins[identity] = index


def rel_groups(rows: Sequence[RelRow], with_props: bool = True) -> dict[GroupKey, RelGroup]:
    """Relationship rows grouped by type and endpoint labels, merged per relationship."""
    groups: dict[GroupKey, RelGroup] = {}
    for index, row in enumerate(rows):
        where = f"{row.rel_type} rows[{index}]"
        kind = check_endpoints(row.rel_type, row.source.label, row.target.label)
        key = rel_key(kind, row, where)
        props = clean_props(row.props, where, skip=kind.key) if with_props else {}
        group_key = (kind.type, row.source.label, row.target.label)
        group = groups.setdefault(group_key, RelGroup(kind, row.source.label, row.target.label))
        identity = (row.source.key, row.target.key, *key.values())
        group.add(identity, {"source": row.source.key, "target": row.target.key, "key": key, "props": props}, index)
    return groups


def rel_key(kind: RelKind, row: RelRow, where: str) -> dict[str, Any]:
    """The relationship's key properties (beyond its endpoints), coerced by the model."""
    values = {}
    for name in kind.key:
        raw = row.key.get(name, row.props.get(name))
        try:
            values[name] = coerce(kind.prop(name), raw)
        except ValueError as error:
            raise ValueError(f"{where}: key property {name!r}: {error}") from None
    return values


def delete_keys(refs: Sequence[NodeRef]) -> dict[str, list[str]]:
    """Per label, the distinct keys to delete (unknown labels raise ValueError)."""
    by_label: dict[str, dict[str, None]] = {}
    for ref in refs:
        stored_key(ref.label)
        by_label.setdefault(ref.label, {})[ref.key] = None
    return {label: list(keys) for label, keys in by_label.items()}


def missing_endpoints(group: RelGroup, missing: Mapping[str, set[Any]], shown: int = 5) -> str:
    """A message naming the rows whose endpoints do not exist (at most `shown` of them)."""
    problems = []
    for identity, row in group.rows.items():
        where = f"{group.kind.type} rows[{group.origins[identity]}]"
        for end, label in (("source", group.source_label), ("target", group.target_label)):
            if row[end] in missing.get(label, set()):
                problems.append(f"{where}: {end} node {label} {row[end]!r} does not exist (create it first)")
    more = f"; and {len(problems) - shown} more" if len(problems) > shown else ""
    return "; ".join(problems[:shown]) + more
