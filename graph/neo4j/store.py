"""The Neo4j `GraphStore`: the official driver and the Cypher of `graph.neo4j.cypher`.

One driver per store and one session per unit of work; writes run in `execute_write` (the
driver retries them on transient errors, which is safe because every write is an idempotent
merge on keys, recomputed from scratch). A read of one statement is an auto-commit transaction
(one round trip) and a read of several runs in `execute_read`; both are routed to readers on
`neo4j://` and retried on transient errors. Every transaction that changes data also bumps a
counter on a `_Meta` node, which `data_version` reads, and keeps the running demand
totals of `graph.neo4j.totals` right. Search takes full-text candidates and ranks them with
`graph.relevance`, as the embedded store does, so both return the same order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, TypeVar

from neo4j import (
    READ_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationMinimumSeverity,
    Record,
    Result,
    Session,
)
from neo4j.exceptions import DriverError, Neo4jError

from graph.aliases import expansions, pinyin_ordered
from graph.filters import Filter
from graph.insights import InsightSource
from graph.model import NODE_KINDS, NODES, REL_KINDS, RelKind, rel_kind
from graph.neo4j.cypher import batch, reads, statements, totals, trees
from graph.neo4j.cypher import sort_names as cs
from graph.neo4j.cypher.filters import check_compiles
from graph.neo4j.cypher.rows import RelGroup, chunks, delete_keys, missing_endpoints, node_rows, rel_groups
from graph.neo4j.insights import Neo4jInsights
from graph.neo4j.projection import Neo4jProjection
from graph.neo4j.sort_names import ensure_sort_names, with_sort_names
from graph.neo4j.totals import ensure_totals, rebuild_totals, totals_kept
from graph.projection import Projection
from graph.records import (
    Direction,
    Neighbour,
    Node,
    NodeRef,
    OrderBy,
    Page,
    Provenance,
    Rel,
    RelRow,
    Stats,
    WriteCounts,
)
from graph.relevance import normalise, relevance
from graph.store import (
    ChangeCounts,
    ChangeSet,
    NeighbourCounts,
    NeighbourPages,
    NeighbourRead,
    check_search_limit,
    checked_read,
)
from graph.trees import Block, RelationRead, TreeRead

T = TypeVar("T")
NO_PROVENANCE = Provenance(source="", loaded_at="")  # deletions stamp nothing
Work = Callable[[ManagedTransaction], T]
DEFAULT_BATCH_ROWS = 10_000
READ_ATTEMPTS = 5
READ_RETRY_DELAY = 0.1  # seconds, doubled on each retry


class Neo4jStore:
    """A `GraphStore` on a Neo4j 5 server (bolt:// or neo4j://)."""

    def __init__(
        self,
        uri: str,
        auth: tuple[str, str] | None = None,
        database: str | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> None:
        self.uri = uri
        # Server notifications (e.g. "label does not exist yet" on an empty graph) are noise here.
        self.driver: Driver = GraphDatabase.driver(
            uri, auth=auth, notifications_min_severity=NotificationMinimumSeverity.OFF
        )
        self.session_args: dict[str, Any] = {"database": database}
        self.batch_rows = batch_rows
        self.totals_checked = False
        self.sort_names_checked = False
        self.totals_deferred = False  # inside `bulk_load`
        self.totals_stale = False  # a deferred write marked them stale

    def _session(self) -> Session:
        return self.driver.session(**self.session_args)

    def _read(self, work: Work[T]) -> T:
        with self._session() as session, _pipelined_begin(session):
            return session.execute_read(work)

    def read_statement(self, query: str, params: Mapping[str, Any], answer: Callable[[Result], T]) -> T:
        """A read of one statement as an auto-commit transaction: one round trip, where a managed
        transaction takes a second one to commit. Retried like `execute_read` on errors the
        driver calls retryable (a leader change, a transient server error)."""
        for attempt in range(READ_ATTEMPTS):
            try:
                with self.driver.session(**self.session_args, default_access_mode=READ_ACCESS) as session:
                    return answer(session.run(query, dict(params)))
            except (Neo4jError, DriverError) as error:
                if not error.is_retryable() or attempt == READ_ATTEMPTS - 1:
                    raise
                time.sleep(READ_RETRY_DELAY * 2**attempt)
        raise AssertionError("unreachable")

    def _write(self, work: Work[T]) -> T:
        with self._session() as session, _pipelined_begin(session):
            return session.execute_write(work)

    # -- schema and housekeeping -------------------------------------------------------------

    def ensure_schema(self) -> None:
        with self._session() as session:
            for statement in [*statements.schema_statements(), *totals.schema_statements(), *cs.SCHEMA]:
                session.run(statement).consume()
            for index in statements.RETIRED_INDEXES:
                session.run(f"DROP INDEX {index} IF EXISTS").consume()
            session.run(statements.AWAIT_INDEXES).consume()
        self.ensure_totals()
        self.ensure_sort_names()

    def ensure_totals(self) -> None:
        """Makes sure the running totals of `graph.neo4j.totals` are there (rebuilt on a database
        written by an older version); checked once per store object."""
        if not self.totals_checked:
            ensure_totals(self._session)
            self.totals_checked = True

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """A load's batches are written inside: their upserts leave the demand totals as they are
        (marking them stale, so that readers sum the relationships meanwhile), and the totals are
        rebuilt once at the end, also when the load fails half-way. Measured on a generated scale
        20 load: keeping them batch by batch took 84 s where the load alone takes 38 s."""
        self.totals_deferred, self.totals_stale = True, False
        try:
            yield
        finally:
            self.totals_deferred = False
            if self.totals_stale:
                rebuild_totals(self._session)

    def ensure_sort_names(self) -> None:
        """Makes sure every stored name has its pinyin sort key (`graph.neo4j.sort_names`: rebuilt
        on a database written by an older version); checked once per store object."""
        if not self.sort_names_checked:
            with self._session() as session:
                ensure_sort_names(session)
            self.sort_names_checked = True

    def _ordering(self, order_by: Sequence[OrderBy]) -> None:
        """Before a read sorts by a pinyin-ordered property: the keys it looks up are there."""
        if any(pinyin_ordered(order.field) for order in order_by):
            self.ensure_sort_names()

    def clear(self) -> None:
        # CALL { … } IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
        with self._session() as session:
            session.run(statements.CLEAR_RELATIONSHIPS).consume()
            session.run(statements.CLEAR_NODES).consume()
        self._write(lambda tx: tx.run(statements.BUMP_DATA_VERSION).consume())

    def close(self) -> None:
        self.driver.close()

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r})"

    # -- writes ------------------------------------------------------------------------------

    def upsert_nodes(self, label: str, rows: Sequence[Mapping[str, Any]], provenance: Provenance) -> WriteCounts:
        return self._change(node_rows([(label, row) for row in rows]), provenance=provenance).nodes

    def upsert_relationships(self, rows: Sequence[RelRow], provenance: Provenance) -> WriteCounts:
        return self._change(rels=rel_groups(rows), provenance=provenance).rels

    def apply(self, changes: ChangeSet, provenance: Provenance) -> ChangeCounts:
        return self._change(
            node_rows(changes.nodes), rel_groups(changes.rels), rel_groups(changes.delete_rels, with_props=False),
            delete_keys(changes.delete_nodes), provenance, returning=True,
        )

    def delete_nodes(self, refs: Sequence[NodeRef]) -> int:
        return self._change(doomed_nodes=delete_keys(refs)).nodes.deleted

    def delete_relationships(self, rows: Sequence[RelRow]) -> int:
        return self._change(doomed_rels=rel_groups(rows, with_props=False)).rels.deleted

    def _change(
        self,
        nodes: Mapping[str, list[dict[str, Any]]] | None = None,
        rels: Mapping[Any, RelGroup] | None = None,
        doomed_rels: Mapping[Any, RelGroup] | None = None,
        doomed_nodes: Mapping[str, list[str]] | None = None,
        provenance: Provenance = NO_PROVENANCE,
        returning: bool = False,
    ) -> ChangeCounts:
        """Every write: one transaction that upserts, then deletes, keeps the demand
        totals right (`graph.neo4j.totals`) and bumps the data version if anything changed;
        `returning` the upserted nodes come back as written (`ChangeCounts.written`)."""
        nodes, rels, doomed_rels, doomed_nodes = nodes or {}, rels or {}, doomed_rels or {}, doomed_nodes or {}

        def work(tx: ManagedTransaction) -> ChangeCounts:
            with totals_kept(tx, [*rels.values(), *doomed_rels.values()], doomed_nodes, self.totals_deferred) as stale:
                self.totals_stale |= stale
                written: dict[NodeRef, Node] | None = {} if returning else None
                counts = ChangeCounts(self._upsert_nodes(tx, nodes, provenance, written), self._upsert_rels(tx, rels, provenance))
                counts.rels.deleted = self._delete_rels(tx, doomed_rels)
                counts.nodes.deleted = self._delete_nodes(tx, doomed_nodes)
            doomed = {NodeRef(label, key) for label, keys in doomed_nodes.items() for key in keys}
            counts.written = {ref: node for ref, node in (written or {}).items() if ref not in doomed}
            if any(count.created or count.updated or count.deleted for count in (counts.nodes, counts.rels)):
                tx.run(statements.BUMP_DATA_VERSION).consume()
            return counts

        return self._write(work)

    def _upsert_nodes(
        self, tx: ManagedTransaction, batches: Mapping[str, list[dict[str, Any]]], provenance: Provenance,
        written: dict[NodeRef, Node] | None = None,
    ) -> WriteCounts:
        """The upserts, batch by batch; the nodes as written are added to `written` when given."""
        counts = WriteCounts()
        for label, rows in batches.items():
            key_name = statements.stored_key(label)
            query = statements.upsert_nodes_query(label, cs.WRITE_EACH_ROW, returning=written is not None)
            for chunk in chunks(rows, self.batch_rows):
                records = list(tx.run(query, _stamped(with_sort_names(chunk), provenance)))
                counts += _outcomes(records)
                if written is not None:
                    nodes = (_node(label, key_name, props) for record in records for props in record["written"])
                    written.update((node.ref, node) for node in nodes)
        return counts

    def _upsert_rels(self, tx: ManagedTransaction, groups: Mapping[Any, RelGroup], provenance: Provenance) -> WriteCounts:
        counts = WriteCounts()
        for group in groups.values():
            query = statements.upsert_rels_query(group.kind.type, group.source_label, group.target_label)
            for chunk in chunks(list(group.rows.values()), self.batch_rows):
                done = _outcomes(tx.run(query, _stamped(chunk, provenance)))
                if done.created + done.updated + done.unchanged < len(chunk):
                    raise ValueError(_missing_message(tx, group))  # raising rolls the transaction back
                counts += done
        return counts

    def _delete_rels(self, tx: ManagedTransaction, groups: Mapping[Any, RelGroup]) -> int:
        deleted = 0
        for group in groups.values():
            query = statements.delete_rels_query(group.kind.type, group.source_label, group.target_label)
            for chunk in chunks(list(group.rows.values()), self.batch_rows):
                deleted += tx.run(query, {"rows": list(chunk)}).single(strict=True)["deleted"]
        return deleted

    def _delete_nodes(self, tx: ManagedTransaction, doomed: Mapping[str, list[str]]) -> int:
        deleted = 0
        for label, keys in doomed.items():
            for chunk in chunks(keys, self.batch_rows):
                deleted += tx.run(statements.delete_nodes_query(label), {"keys": list(chunk)}).single(strict=True)["deleted"]
        return deleted

    # -- reads -------------------------------------------------------------------------------

    def get_nodes(self, label: str, keys: Sequence[str]) -> dict[str, Node]:
        query, params = reads.get_nodes_query(label, keys)
        key_name = statements.stored_key(label)
        records = self.read_statement(query, params, list)
        return {str(record["props"][key_name]): _node(label, key_name, record["props"]) for record in records}

    def find_nodes(
        self,
        label: str,
        where: Filter | None = None,
        order_by: Sequence[OrderBy] = (),
        offset: int = 0,
        limit: int | None = None,
    ) -> Page:
        self._ordering(order_by)
        query, params = reads.page_query(label, where, order_by, offset, limit)
        key_name = statements.stored_key(label)
        record = self.read_statement(query, params, _single)
        nodes = [_node(label, key_name, props) for props in record["page"]]
        total = reads.page_total(offset, limit, len(nodes), record["counted"], filtered=where is not None)
        return Page(nodes, total_count=total, offset=offset, has_next=offset + len(nodes) < total)

    def count_nodes(self, label: str, where: Filter | None = None) -> int:
        query, params = reads.count_nodes_query(label, where)
        return int(self.read_statement(query, params, _single)["total"])

    def neighbours(
        self,
        refs: Sequence[NodeRef],
        rel_type: str,
        direction: Direction,
        rel_where: Filter | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> dict[NodeRef, list[Neighbour]]:
        (found,), _ = self.neighbour_batch([NeighbourRead(tuple(refs), rel_type, direction, rel_where, offset, limit)], [])
        return found

    def count_neighbours(
        self, refs: Sequence[NodeRef], rel_type: str, direction: Direction, rel_where: Filter | None = None
    ) -> dict[NodeRef, int]:
        _, (counts,) = self.neighbour_batch([], [NeighbourRead(tuple(refs), rel_type, direction, rel_where)])
        return counts

    def read_tree(self, tree: TreeRead) -> Block:
        """The whole tree in one statement (graph.neo4j.cypher.trees): one round trip."""
        _check_relation_filters(tree.relations)
        self._ordering(tree.order_by)
        query, params = trees.tree_query(tree)
        record = self.read_statement(query, params, _single)
        return [trees.tree_total(tree, record["items"], record["total"]), record["items"]]

    def neighbour_batch(
        self, pages: Sequence[NeighbourRead], counts: Sequence[NeighbourRead]
    ) -> tuple[list[NeighbourPages], list[NeighbourCounts]]:
        """Every read as branches (one per start label) of a single `UNION ALL` statement: one
        round trip for the whole batch."""
        plan = _plan(pages, counts)
        query, params = batch.neighbour_batch_query([planned.branch for planned in plan])

        def answer(records: Iterable[Any]) -> tuple[list[NeighbourPages], list[NeighbourCounts]]:
            found_pages: list[NeighbourPages] = [{ref: [] for ref in read.refs} for read in pages]
            found_counts: list[NeighbourCounts] = [dict.fromkeys(read.refs, 0) for read in counts]
            for record in records:
                planned = plan[record["read"]]
                for key, found, total in record["rows"]:
                    ref = NodeRef(planned.branch.label, key)
                    if planned.page is not None:
                        found_pages[planned.page][ref] = _neighbours(ref, planned.branch.read, found)
                    if planned.count is not None:
                        found_counts[planned.count][ref] = total
            return found_pages, found_counts

        return self.read_statement(query, params, answer) if plan else answer(())

    def search(self, text: str, labels: Sequence[str], limit: int) -> list[tuple[Node, float]]:
        """Full-text candidates re-ranked by `graph.relevance`, as the embedded store ranks. A text
        that is no alias and that few names share is answered in one round trip (its candidates
        come with their properties); otherwise the best candidates are read after the ranking,
        in the same transaction."""
        check_search_limit(limit)
        canonical = expansions(text)
        # The text's own candidates, then (for an alias: SJTU, 上海交大) those of the names it stands for.
        queries = [found for wanted in (text, *canonical)
                   if (found := reads.search_candidates_query(wanted, labels, limit)) is not None]
        if limit == 0 or not queries or not normalise(text):
            return []
        if len(queries) == 1:
            record = self.read_statement(*reads.with_properties(queries[0]), _single)
            best = _ranked(text, canonical, [record["candidates"]], limit)
            props = dict(record["found"])
            if all(node_id in props for *_, node_id in best):
                return _hits(best, props)

        def work(tx: ManagedTransaction) -> list[tuple[Node, float]]:
            best = _ranked(text, canonical, [tx.run(query, params).single(strict=True)["candidates"] for query, params in queries],
                           limit)
            if not best:
                return []
            found = tx.run(reads.NODES_BY_ID, {"ids": [b[3] for b in best]}).single(strict=True)["found"]
            return _hits(best, dict(found))

        return self._read(work)

    def stats(self) -> Stats:
        record = self.read_statement(statements.stats_query(), {}, _single)
        nodes = {kind.label: int(record[kind.label]) for kind in NODE_KINDS}
        rels = {kind.type: int(record[kind.type]) for kind in REL_KINDS}
        return Stats(nodes, rels)

    def data_version(self) -> str:
        record = self.read_statement(statements.DATA_VERSION, {}, lambda result: result.single())
        return "initial" if record is None else str(record["version"])

    def insights(self) -> InsightSource:
        return Neo4jInsights(self)

    def projection(self) -> Projection:
        return Neo4jProjection(self)


# -- mapping records and arguments ---------------------------------------------------------------


def _stamped(rows: Sequence[dict[str, Any]], provenance: Provenance) -> dict[str, Any]:
    """The rows with `synthetic` among their compared properties (a row's own value wins), and
    the stamp."""
    default = {"synthetic": provenance.synthetic}
    marked = [{**row, "props": {**default, **row["props"]}} for row in rows]
    return {"rows": marked, "source": provenance.source, "loaded_at": provenance.loaded_at}


def _outcomes(records: Iterable[Any]) -> WriteCounts:
    """Counts from `(outcome, rows)` records: 0 created, 1 updated, 2 unchanged."""
    by_outcome = {record["outcome"]: record["rows"] for record in records}
    return WriteCounts(created=by_outcome.get(0, 0), updated=by_outcome.get(1, 0), unchanged=by_outcome.get(2, 0))


def _missing_message(tx: ManagedTransaction, group: RelGroup) -> str:
    ends = {group.source_label: {row["source"] for row in group.rows.values()}}
    ends.setdefault(group.target_label, set()).update(row["target"] for row in group.rows.values())
    missing = {
        label: set(tx.run(statements.missing_keys_query(label), {"keys": list(keys)}).single(strict=True)["missing"])
        for label, keys in ends.items()
    }
    return missing_endpoints(group, missing)


def _check_relation_filters(reads: Sequence[RelationRead]) -> None:
    for read in reads:
        check_compiles(rel_kind(read.rel_type), read.rel_where)
        _check_relation_filters(read.relations)


def _single(result: Result) -> Record:
    return result.single(strict=True)


def _pipelined_begin(session: Session) -> AbstractContextManager[Any]:
    """Inside it, a managed transaction sends its BEGIN with its first statement, as the driver's
    own `execute_query` does, instead of waiting for BEGIN's answer first: one network round
    trip fewer per transaction (a write of one statement takes two, BEGIN+RUN and COMMIT). The
    switch is the driver's private one (pinned by the lock files and checked by
    tests/test_neo4j_round_trips.py); a driver without it begins as before."""
    switch = getattr(session, "_pipelined_begin", None)
    return switch if isinstance(switch, AbstractContextManager) else nullcontext()


Ranked = list[tuple[float, str, str, str]]  # (-score, label, key, element id), best first


def _ranked(text: str, canonical: Sequence[str], candidate_lists: Iterable[Sequence[Any]], limit: int) -> Ranked:
    """The best `limit` of the candidates (`[id, labels, name, English name, key]`, the first
    occurrence of a node counting) by `graph.relevance`, then label and key."""
    scored, seen = [], set()
    for candidates in candidate_lists:
        for node_id, node_labels, name, name_en, key in candidates:
            if node_id not in seen and (score := relevance(text, (name, name_en), str(key), canonical)) > 0:
                seen.add(node_id)
                scored.append((-score, _model_label(node_labels), str(key), node_id))
    return sorted(scored)[:limit]


def _hits(best: Ranked, props: Mapping[str, Mapping[str, Any]]) -> list[tuple[Node, float]]:
    return [(Node(label, key, dict(props[node_id])), -score) for score, label, key, node_id in best]


def _node(label: str, key_name: str, props: Mapping[str, Any]) -> Node:
    return Node(label, str(props[key_name]), dict(props))


def _model_label(labels: Sequence[str]) -> str:
    return next(label for label in labels if label in NODES)


def _start_labels(refs: Sequence[NodeRef], kind: RelKind, direction: Direction, rel_where: Filter | None) -> list[str]:
    """The labels among `refs` that can have `kind` relationships in `direction` (others have
    none); the filter is checked first so a bad one fails even when no ref qualifies."""
    check_compiles(kind, rel_where)
    labels = dict.fromkeys(ref.label for ref in refs)
    return [label for label in labels if reads.starts_at(kind, direction, label)]


@dataclass(frozen=True)
class _Planned:
    """A branch of `neighbour_batch`'s statement and which page and count read it answers."""

    branch: batch.Branch
    page: int | None
    count: int | None


def _plan(pages: Sequence[NeighbourRead], counts: Sequence[NeighbourRead]) -> list[_Planned]:
    """The branches for a batch. Every read is checked first, so a bad one fails even when none of
    its refs qualifies. A filtered count of the same relationships as a page joins the page's
    branch (both need every match expanded); an unfiltered count stays apart, where the degree
    store answers it."""
    checked_pages, checked_counts = [checked_read(read, True) for read in pages], [checked_read(read, False) for read in counts]
    joined: dict[int, int] = {}  # page → count
    for number, read in enumerate(checked_counts):
        same = next((i for i, page in enumerate(checked_pages) if _same_relationships(page, read) and i not in joined), None)
        if read.rel_where is not None and same is not None:
            joined[same] = number
    plan = [_Planned(branch, number, joined.get(number))
            for number, read in enumerate(checked_pages) for branch in _read_branches(read, True, number in joined)]
    plan += [_Planned(branch, None, number) for number, read in enumerate(checked_counts)
             if number not in joined.values() for branch in _read_branches(read, False, True)]
    return plan


def _same_relationships(one: NeighbourRead, other: NeighbourRead) -> bool:
    return ((one.refs, one.rel_type, one.direction, one.rel_where, one.distinct)
            == (other.refs, other.rel_type, other.direction, other.rel_where, other.distinct))


def _read_branches(read: NeighbourRead, paged: bool, counted: bool) -> list[batch.Branch]:
    """One branch per label among the read's refs that can have such relationships."""
    kind = rel_kind(read.rel_type)
    return [batch.Branch(label, _keys_of(read.refs, label), read, paged, counted)
            for label in _start_labels(read.refs, kind, Direction(read.direction), read.rel_where)]


def _keys_of(refs: Sequence[NodeRef], label: str) -> list[str]:
    return list(dict.fromkeys(ref.key for ref in refs if ref.label == label))


def _neighbours(ref: NodeRef, read: NeighbourRead, found: Sequence[Sequence[Any]]) -> list[Neighbour]:
    """The neighbours of a page's items; a distinct read's item lists several relationships."""
    if not read.distinct:
        return [_neighbour(ref, read, *item) for item in found]
    return [_neighbour(ref, read, rel, labels, props) for rels, labels, props in found for rel in rels]


def _neighbour(ref: NodeRef, read: NeighbourRead, rel: Mapping[str, Any], labels: Sequence[str],
               props: Mapping[str, Any]) -> Neighbour:
    """A neighbour of `ref` found by `read`, from the relationship's and the node's properties."""
    label = _model_label(labels)
    node = _node(label, NODES[label].key, props)
    source, target = (ref, node.ref) if read.direction is Direction.OUT else (node.ref, ref)
    return Neighbour(Rel(read.rel_type, source, target, dict(rel)), node)
