"""The embedded `GraphStore`: networkx in process, persisted under a data directory.

Writes go through the SQLite change log (`graph.embedded.log`) before memory: take the writer
lock, catch up on batches other processes committed, plan the change against memory
(`graph.embedded.plan`), append it, commit, and only then apply it to memory. Reads first check,
cheaply, whether another process committed and replay what is new, so a running server sees a
concurrent `chanjiao load` without a restart. One lock serialises the threads of a process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from graph.embedded.eval import Reader, distinct_ends
from graph.embedded.insights import EmbeddedInsights
from graph.embedded.log import DEFAULT_COMPACTION, ChangeLog, Compaction, StoreBusyError
from graph.embedded.memory import CLEAR, MemoryGraph
from graph.embedded.plan import WritePlan, key_property
from graph.filters import Filter, check_filter
from graph.insights import InsightSource
from graph.model import NODE_KINDS, REL_KINDS
from graph.projection import Projection
from graph.protocol_projection import ProtocolProjection
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
from graph.store import ChangeCounts, ChangeSet, NeighbourCounts, NeighbourPages, NeighbourRead, checked_read
from graph.tree_levels import read_tree_in_levels
from graph.trees import Block, TreeRead

__all__ = ["Compaction", "EmbeddedStore", "StoreBusyError"]

T = TypeVar("T")
logger = logging.getLogger(__name__)


class EmbeddedStore:
    """A `GraphStore` kept in memory and in `path/graph.db`; several processes may open the same
    directory (one writes at a time, every one sees the others' commits)."""

    def __init__(self, path: Path, busy_timeout: float = 30.0, compaction: Compaction = DEFAULT_COMPACTION) -> None:
        """`busy_timeout`: seconds a write waits for another process's write; `compaction`: when a
        write also rewrites the snapshot."""
        self.path = path
        self._lock = threading.RLock()
        self._log = ChangeLog(path, busy_timeout, compaction)
        self._memory = MemoryGraph()
        self._reader = Reader(self._memory)
        self._seq = 0
        self._seen_version: int | None = None
        self._refresh()

    # -- writes ------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Nothing to do: the log's tables are created on open, and lookups are by key."""

    def upsert_nodes(self, label: str, rows: Sequence[Mapping[str, Any]], provenance: Provenance) -> WriteCounts:
        key_property(label)
        return self._write(provenance, lambda plan: plan.upsert_nodes([(label, row) for row in rows]))

    def upsert_relationships(self, rows: Sequence[RelRow], provenance: Provenance) -> WriteCounts:
        return self._write(provenance, lambda plan: plan.upsert_rels(rows))

    def apply(self, changes: ChangeSet, provenance: Provenance) -> ChangeCounts:
        def plan_changes(plan: WritePlan) -> ChangeCounts:
            counts = ChangeCounts(plan.upsert_nodes(changes.nodes), plan.upsert_rels(changes.rels))
            counts.rels.deleted = plan.delete_rels(changes.delete_rels)
            counts.nodes.deleted = plan.delete_nodes(changes.delete_nodes)
            return counts

        with self._lock:
            counts = self._write(provenance, plan_changes)
            doomed = set(changes.delete_nodes)
            for label, props in changes.nodes:
                ref = NodeRef(label, str(props[key_property(label)]))
                if ref not in doomed:
                    counts.written[ref] = Node(label, ref.key, dict(self._memory.nodes[label][ref.key]))
            return counts

    def bulk_load(self) -> AbstractContextManager[None]:
        """Nothing is derived from the batches: they are written as they come."""
        return nullcontext()

    def delete_nodes(self, refs: Sequence[NodeRef]) -> int:
        return self._write(None, lambda plan: plan.delete_nodes(refs))

    def delete_relationships(self, rows: Sequence[RelRow]) -> int:
        return self._write(None, lambda plan: plan.delete_rels(rows))

    def clear(self) -> None:
        with self._lock:
            self._write(None, lambda plan: plan.ops.append([CLEAR]))
            self._compact(force=True)

    def _write(self, provenance: Provenance | None, planner: Callable[[WritePlan], T]) -> T:
        with self._lock:
            with self._log.writing():
                self._catch_up()
                plan = WritePlan(self._memory, provenance)
                result = planner(plan)
                if plan.ops:
                    self._log.append(self._seq + 1, plan.ops)
            if plan.ops:  # committed: now memory may follow
                self._memory.apply(plan.ops)
                self._seq += 1
                self._compact()
            return result

    def _compact(self, force: bool = False) -> None:
        """Rewrite the snapshot when due. The write before it is already committed, so a busy
        writer lock only postpones this to a later write rather than failing that write."""
        if not force and not self._log.wants_compaction(self._memory.size()):
            return
        try:
            with self._log.writing():
                self._catch_up()
                self._log.write_snapshot(self._seq, self._memory.export_ops())
        except StoreBusyError as busy:
            logger.warning("compaction postponed: %s", busy)

    # -- keeping up with other processes ----------------------------------------------------

    def _refresh(self) -> None:
        """Replay what other processes committed since our last look (a no-op most of the time)."""
        with self._lock:
            version = self._log.data_version()  # read first: a commit after it is seen next time
            if version != self._seen_version:
                with self._log.reading():
                    self._catch_up()
                self._seen_version = version

    def _catch_up(self) -> None:
        for seq, ops in self._log.batches_since(self._seq):
            self._memory.apply(ops)
            self._seq = seq

    # -- reads -------------------------------------------------------------------------------

    def get_nodes(self, label: str, keys: Sequence[str]) -> dict[str, Node]:
        key_property(label)
        with self._lock:
            self._refresh()
            by_key = self._memory.nodes[label]
            return {key: Node(label, key, dict(by_key[key])) for key in keys if key in by_key}

    def find_nodes(
        self,
        label: str,
        where: Filter | None = None,
        order_by: Sequence[OrderBy] = (),
        offset: int = 0,
        limit: int | None = None,
    ) -> Page:
        key_property(label)
        check_filter(label, where)
        with self._lock:
            self._refresh()
            return self._reader.page(label, self._reader.matching(label, where), order_by, offset, limit)

    def count_nodes(self, label: str, where: Filter | None = None) -> int:
        key_property(label)
        check_filter(label, where)
        with self._lock:
            self._refresh()
            if where is None:
                return len(self._memory.nodes[label])
            return len(self._reader.matching(label, where))

    def neighbours(
        self,
        refs: Sequence[NodeRef],
        rel_type: str,
        direction: Direction,
        rel_where: Filter | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> dict[NodeRef, list[Neighbour]]:
        read = checked_read(NeighbourRead(tuple(refs), rel_type, direction, rel_where, offset, limit), paged=True)
        with self._lock:
            self._refresh()
            return self._page(read)

    def count_neighbours(
        self, refs: Sequence[NodeRef], rel_type: str, direction: Direction, rel_where: Filter | None = None
    ) -> dict[NodeRef, int]:
        read = checked_read(NeighbourRead(tuple(refs), rel_type, direction, rel_where), paged=False)
        with self._lock:
            self._refresh()
            return self._count(read)

    def read_tree(self, tree: TreeRead) -> Block:
        return read_tree_in_levels(self, tree)

    def neighbour_batch(
        self, pages: Sequence[NeighbourRead], counts: Sequence[NeighbourRead]
    ) -> tuple[list[NeighbourPages], list[NeighbourCounts]]:
        checked_pages = [checked_read(read, paged=True) for read in pages]
        checked_counts = [checked_read(read, paged=False) for read in counts]
        with self._lock:
            self._refresh()
            return [self._page(read) for read in checked_pages], [self._count(read) for read in checked_counts]

    def _page(self, read: NeighbourRead) -> NeighbourPages:
        return {
            ref: self._reader.neighbours(
                ref, read.rel_type, read.direction,
                self._reader.edges(ref, read.rel_type, read.direction, read.rel_where), read.offset, read.limit,
                read.distinct,
            )
            for ref in read.refs
        }

    def _count(self, read: NeighbourRead) -> NeighbourCounts:
        size = distinct_ends if read.distinct else len
        return {ref: size(self._reader.edges(ref, read.rel_type, read.direction, read.rel_where)) for ref in read.refs}

    def search(self, text: str, labels: Sequence[str], limit: int) -> list[tuple[Node, float]]:
        with self._lock:
            self._refresh()
            return self._reader.search(text, labels, limit)

    def stats(self) -> Stats:
        with self._lock:
            self._refresh()
            nodes = {kind.label: len(self._memory.nodes[kind.label]) for kind in NODE_KINDS}
            rels = {kind.type: self._memory.rel_counts[kind.type] for kind in REL_KINDS}
            return Stats(nodes, rels)

    def data_version(self) -> str:
        with self._lock:
            self._refresh()
            return f"{self._log.store_id}:{self._seq}"

    def insights(self) -> InsightSource:
        return EmbeddedInsights(self)

    def read_memory(self, read: Callable[[MemoryGraph], T]) -> T:
        """`read` over the in-memory graph as of now, under the store's lock (for the reads of
        `graph.embedded` that walk memory themselves)."""
        with self._lock:
            self._refresh()
            return read(self._memory)

    def projection(self) -> Projection:
        return ProtocolProjection(self)

    def close(self) -> None:
        with self._lock:
            self._log.close()

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path)!r})"
