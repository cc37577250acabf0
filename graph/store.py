"""The `GraphStore` protocol: what `loaders/`, `queries/` and `api/` may ask of a store.

Two implementations: `graph.embedded.store.EmbeddedStore` (networkx in process, persisted under a data
directory; the default) and `graph.neo4j.store.Neo4jStore` (the official driver). The contract
suite in `tests/contract/` runs unchanged against both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from graph.filters import Filter, check_rel_filter
from graph.insights import InsightSource
from graph.model import rel_kind
from graph.projection import Projection
from graph.records import (
    Direction,
    Neighbour,
    Node,
    NodeRef,
    OrderBy,
    Page,
    Provenance,
    RelRow,
    Stats,
    WriteCounts,
)
from graph.trees import Block, TreeRead


@dataclass
class ChangeSet:
    """Writes applied atomically by `GraphStore.apply`: all of them, or none."""

    nodes: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)
    rels: list[RelRow] = field(default_factory=list)
    delete_nodes: list[NodeRef] = field(default_factory=list)
    delete_rels: list[RelRow] = field(default_factory=list)


@dataclass
class ChangeCounts:
    """What a write did; from `apply`, also the nodes it upserted as stored once it committed
    (a node the same change deleted is left out), so a caller needs no read to show them."""

    nodes: WriteCounts = field(default_factory=WriteCounts)
    rels: WriteCounts = field(default_factory=WriteCounts)
    written: dict[NodeRef, Node] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class NeighbourRead:
    """One read of a `neighbour_batch`: what a `neighbours` call (or, when counting, a
    `count_neighbours` call, which ignores `offset` and `limit`) would be asked.

    `distinct` reads each related node once, although a relationship keyed beyond its endpoints
    (`OFFERS` by year) may join the same two nodes several times: the window counts distinct
    nodes, a page lists every matching relationship of each node in it (consecutively, in the
    relationship's key order), and a count counts distinct nodes."""

    refs: tuple[NodeRef, ...]
    rel_type: str
    direction: Direction
    rel_where: Filter | None = None
    offset: int = 0
    limit: int | None = None
    distinct: bool = False


NeighbourPages = dict[NodeRef, list[Neighbour]]
NeighbourCounts = dict[NodeRef, int]


@runtime_checkable
class GraphStore(Protocol):
    """Every write is an idempotent upsert on natural keys; provenance is stamped only on what
    actually changed, so writing the same rows twice reports them `unchanged` and alters nothing.
    Property values of None in a row are ignored (they never erase a stored value)."""

    def ensure_schema(self) -> None:
        """Create constraints and indexes (idempotent)."""

    def upsert_nodes(self, label: str, rows: Sequence[Mapping[str, Any]], provenance: Provenance) -> WriteCounts:
        """Upsert nodes of one kind in one atomic batch; each row holds the key property."""

    def upsert_relationships(self, rows: Sequence[RelRow], provenance: Provenance) -> WriteCounts:
        """Upsert relationships in one atomic batch; endpoints must exist (ValueError otherwise)."""

    def apply(self, changes: ChangeSet, provenance: Provenance) -> ChangeCounts:
        """Apply upserts then deletes atomically (a mutation's unit of work)."""

    def bulk_load(self) -> AbstractContextManager[None]:
        """One load's batches are written inside: the store may bring data it derives from them
        up to date once at the end instead of batch by batch (Neo4j's demand totals); reads
        stay right meanwhile."""

    def delete_nodes(self, refs: Sequence[NodeRef]) -> int:
        """Delete nodes with their relationships; returns how many existed."""

    def delete_relationships(self, rows: Sequence[RelRow]) -> int:
        """Delete relationships identified by type, endpoints and key; returns how many existed."""

    def get_nodes(self, label: str, keys: Sequence[str]) -> dict[str, Node]:
        """The nodes of `label` with these keys (missing keys are absent from the result)."""

    def find_nodes(
        self,
        label: str,
        where: Filter | None = None,
        order_by: Sequence[OrderBy] = (),
        offset: int = 0,
        limit: int | None = None,
    ) -> Page:
        """A page of matching nodes, ordered by `order_by` then key; `total_count` counts all matches."""

    def count_nodes(self, label: str, where: Filter | None = None) -> int:
        """How many nodes of `label` match, without fetching them."""

    def neighbours(
        self,
        refs: Sequence[NodeRef],
        rel_type: str,
        direction: Direction,
        rel_where: Filter | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> dict[NodeRef, list[Neighbour]]:
        """For each ref, its neighbours over `rel_type` (one batched read), ordered by the
        neighbour's label and key then the relationship's key properties; `offset`/`limit` apply
        per ref."""

    def count_neighbours(
        self, refs: Sequence[NodeRef], rel_type: str, direction: Direction, rel_where: Filter | None = None
    ) -> dict[NodeRef, int]:
        """For each ref, how many relationships of `rel_type` it has in `direction`."""

    def neighbour_batch(
        self, pages: Sequence[NeighbourRead], counts: Sequence[NeighbourRead]
    ) -> tuple[list[NeighbourPages], list[NeighbourCounts]]:
        """Several `neighbours` reads (`pages`) and `count_neighbours` reads (`counts`) at once,
        answered in their order exactly as the single calls would be: one round trip to a
        server (the API reads a whole level of a GraphQL query with it)."""

    def read_tree(self, tree: TreeRead) -> Block:
        """A page of nodes and, to any depth, pages of their related nodes (graph.trees), in one
        round trip to a server."""

    def search(self, text: str, labels: Sequence[str], limit: int) -> list[tuple[Node, float]]:
        """Nodes whose name (or key) matches `text`, best first, Chinese included."""

    def stats(self) -> Stats:
        """Counts per kind and relationship type of the model (0 for kinds without data)."""

    def data_version(self) -> str:
        """An opaque token that changes whenever committed data changes."""

    def insights(self) -> InsightSource:
        """The aggregate reads behind gaps, matching and plan targets, as this store answers them best."""

    def projection(self) -> Projection:
        """Subgraphs, neighbourhoods and paths in networkx, as this store reads them best."""

    def clear(self) -> None:
        """Delete everything (tests and benchmarks)."""

    def close(self) -> None:
        """Release files, locks and connections."""


def check_direction(direction: Direction | str) -> Direction:
    try:
        return Direction(direction)
    except ValueError:
        raise ValueError(f"direction must be 'out' or 'in', not {direction!r}") from None


def check_window(offset: int, limit: int | None) -> None:
    if offset < 0 or (limit is not None and limit < 0):
        raise ValueError(f"offset and limit must be 0 or more, not {offset} and {limit}")


def check_search_limit(limit: int) -> None:
    if limit < 0:
        raise ValueError(f"search limit must be 0 or more, not {limit}")


def checked_read(read: NeighbourRead, paged: bool) -> NeighbourRead:
    """`read` with its relationship type and direction normalised, or ValueError for arguments no
    store could answer (`paged`: its offset and limit count)."""
    kind, direction = rel_kind(read.rel_type), check_direction(read.direction)
    check_rel_filter(read.rel_where)
    if paged:
        check_window(read.offset, read.limit)
    return NeighbourRead(read.refs, kind.type, direction, read.rel_where, read.offset, read.limit, read.distinct)
