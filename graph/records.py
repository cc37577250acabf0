"""Plain data passed across the `GraphStore` protocol: no database logic here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Value = str | int | float | bool | list[str] | None
Props = dict[str, Any]


class Direction(StrEnum):
    OUT = "out"
    IN = "in"


@dataclass(frozen=True)
class NodeRef:
    label: str
    key: str


@dataclass(frozen=True)
class Node:
    label: str
    key: str
    props: Mapping[str, Any]

    @property
    def ref(self) -> NodeRef:
        return NodeRef(self.label, self.key)


@dataclass(frozen=True)
class RelRow:
    """One relationship to upsert or delete; `key` holds the key properties beyond the endpoints."""

    rel_type: str
    source: NodeRef
    target: NodeRef
    key: Mapping[str, Any] = field(default_factory=dict)
    props: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rel:
    rel_type: str
    source: NodeRef
    target: NodeRef
    props: Mapping[str, Any]


@dataclass(frozen=True)
class Neighbour:
    """A node reached over one relationship, with that relationship's properties."""

    rel: Rel
    node: Node


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __iadd__(self, other: WriteCounts) -> WriteCounts:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted
        return self


@dataclass(frozen=True)
class Provenance:
    """Stamped on what a write changes. `synthetic` is the default of the rows' own `synthetic`
    property: a row that carries one keeps it."""

    source: str
    loaded_at: str
    synthetic: bool = False


@dataclass(frozen=True)
class OrderBy:
    field: str
    descending: bool = False


@dataclass(frozen=True)
class Page:
    nodes: list[Node]
    total_count: int
    offset: int
    has_next: bool


@dataclass(frozen=True)
class Stats:
    nodes: dict[str, int]
    relationships: dict[str, int]

    def as_json(self) -> dict[str, dict[str, int]]:
        return {"nodes": dict(self.nodes), "relationships": dict(self.relationships)}
