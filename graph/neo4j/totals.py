"""Running demand totals, kept by every Neo4j write transaction, so that
`talentGap` reads a few hundred totals instead of summing every `DEMANDS` of a chain's subtree.

A write first works out what it may change. When an enterprise's districts or chains change, when
it is deleted, or when a discipline, district or chain of it is deleted or re-parented, its every
`DEMANDS` counts anew; otherwise only the `DEMANDS` rows the write upserts or deletes do. It locks
those enterprises, subtracts the contribution, writes, and adds the contribution again, all in the
one transaction. Enterprises are locked before they are read, so two writers of the same
enterprise take turns and no change is counted twice.

A load defers them instead (`Neo4jStore.bulk_load`): each of its batches that may change a total
marks the totals stale in its own transaction and leaves them alone, and the load rebuilds them
once at the end, summing each part of the disciplines' `DEMANDS` and writing every total once.
While they are stale, `talentGap` sums the relationships themselves, so no reader sees a total
that misses a committed write. They are marked exact again only by a rebuild that no write
overlapped; a load that died half-way leaves them stale, and the next store to check them
(`ensure_totals`) rebuilds them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from neo4j import ManagedTransaction, Session

from graph.neo4j.cypher import totals as ct
from graph.neo4j.cypher.rows import RelGroup

Sessions = Callable[[], Session]  # opens a session on the store's database

# Deleting one of these changes the contribution of the enterprises linked to it.
LINKED_LABELS = ("Discipline", "District", "IndustryChain")
REBUILD_PASSES = 5
REBUILD_RELS = 250_000
REBUILD_WORKERS = 2


@dataclass
class Affected:
    """What a write may change: every `DEMANDS` of the enterprises `holders`, and the single
    `DEMANDS` `rows` (`{source, target, year}`) of other enterprises."""

    holders: list[str]
    rows: list[dict[str, Any]]

    def apply(self, tx: ManagedTransaction, adding: bool) -> None:
        if self.holders:
            tx.run(ct.contribution_query(adding, whole=True), {"keys": self.holders}).consume()
        if self.rows:
            tx.run(ct.contribution_query(adding, whole=False), {"rows": self.rows}).consume()


@contextmanager
def totals_kept(tx: ManagedTransaction, groups: Sequence[RelGroup], doomed: Mapping[str, list[str]],
                deferred: bool = False) -> Iterator[bool]:
    """Keeps the totals right across the writes done inside the `with` block. A `deferred` write
    of upserts (a load's batch) leaves them as they are and marks them stale in the same
    transaction, when it may change them; the `with` block gets whether it did."""
    if deferred and not doomed:
        stale = any(_may_change_totals(group) for group in groups)
        if stale:
            tx.run(ct.MARK_STALE, {"name": ct.META_NAME}).consume()
        yield stale
        return
    for label in LINKED_LABELS:
        _lock(tx, label, doomed.get(label, []))
    affected = _affected(tx, groups, doomed)
    _lock(tx, "Enterprise", sorted({*affected.holders, *(row["source"] for row in affected.rows)}))
    affected.apply(tx, adding=False)
    yield False
    affected.apply(tx, adding=True)


def ensure_totals(sessions: Sessions) -> bool:
    """Rebuilds the totals if they are missing, of an older format or stale (a load that did not
    finish, or one under way); whether it did."""
    with sessions() as session:
        record = session.execute_read(lambda tx: tx.run(ct.TOTALS_STATE, {"name": ct.META_NAME}).single())
    if record is not None and record["format"] == ct.FORMAT and not record["stale"]:
        return False
    rebuild_totals(sessions)
    return True


def rebuild_totals(sessions: Sessions) -> bool:
    """Every total from scratch; whether they are exact at the end. They are marked stale first,
    so that readers sum the relationships meanwhile, and exact only once a whole rebuild ran with
    no write committed since it began: writers need not wait. After `REBUILD_PASSES` rebuilds
    that writes kept overlapping they stay stale (readers remain right) for the next rebuild."""
    with sessions() as session:
        session.execute_write(lambda tx: tx.run(ct.MARK_STALE, {"name": ct.META_NAME}).consume())
        for _ in range(REBUILD_PASSES):
            writes = session.execute_read(lambda tx: tx.run(ct.WRITES).single(strict=True)["writes"])
            session.run(ct.CLEAR).consume()  # IN TRANSACTIONS needs an auto-commit transaction
            demanded = session.execute_read(lambda tx: [(r["code"], r["rels"]) for r in tx.run(ct.DEMANDED) if r["rels"]])
            with ThreadPoolExecutor(REBUILD_WORKERS) as pool:
                list(pool.map(partial(_rebuild_part, sessions), _parts(demanded)))
            if session.execute_write(settle_totals, writes):
                return True
    return False


def _rebuild_part(sessions: Sessions, codes: list[str]) -> None:
    with sessions() as session:
        session.run(ct.REBUILD, {"codes": codes}).consume()


def _parts(demanded: Sequence[tuple[str, int]]) -> list[list[str]]:
    """The demanded discipline codes in parts of similar size, at most about `REBUILD_RELS`
    relationships each (a part's totals are summed in the server's memory before they are
    written) and as many for each worker (measured at scale 20: 3.3 s on two, 4.1-6.3 s on one)."""
    total = sum(rels for _, rels in demanded)
    count = REBUILD_WORKERS * max(1, -(-total // (REBUILD_RELS * REBUILD_WORKERS)))  # no worker idles at the end
    parts: list[list[str]] = [[] for _ in range(count)]
    sizes = [0] * count
    for code, rels in sorted(demanded, key=lambda item: -item[1]):
        smallest = sizes.index(min(sizes))
        parts[smallest].append(code)
        sizes[smallest] += rels
    return [part for part in parts if part]


def settle_totals(tx: ManagedTransaction, writes: int) -> bool:
    """Marks the totals exact, unless a write committed since the count `writes`; whether it did."""
    params = {"name": ct.META_NAME, "format": ct.FORMAT, "writes": writes}
    return bool(tx.run(ct.SETTLE, params).single(strict=True)["settled"])


def _may_change_totals(group: RelGroup) -> bool:
    """Whether upserting `group` may change a total: demand, where an enterprise is or which chain
    it is in, and how chains nest."""
    kind = group.kind.type
    return kind in ("DEMANDS", "PART_OF") or (group.source_label == "Enterprise" and kind in ("LOCATED_IN", "IN_CHAIN"))


def _affected(tx: ManagedTransaction, groups: Sequence[RelGroup], doomed: Mapping[str, list[str]]) -> Affected:
    """What the writes may change. An enterprise's every `DEMANDS` counts anew when its districts
    or chains change, when it is deleted, when a discipline, district or chain of it is, or when a
    chain above it is re-parented. Otherwise only the `DEMANDS` rows written or deleted count
    anew."""
    keys = set(doomed.get("Enterprise", ()))
    linked = {label: set(doomed.get(label, ())) for label in LINKED_LABELS}
    rows: dict[tuple[str, str, int], dict[str, Any]] = {}
    for group in groups:
        if group.source_label == "Enterprise" and group.kind.type in ("LOCATED_IN", "IN_CHAIN"):
            keys.update(row["source"] for row in group.rows.values())
        if group.kind.type == "DEMANDS":
            for row in group.rows.values():
                rows[(row["source"], row["target"], row["key"]["year"])] = {
                    "source": row["source"], "target": row["target"], "year": row["key"]["year"]}
        if group.kind.type == "PART_OF":
            linked["IndustryChain"].update(row["source"] for row in group.rows.values())
    for label, linked_keys in linked.items():
        if linked_keys:
            query = ct.holders_of_query(label)
            keys.update(tx.run(query, {"keys": sorted(linked_keys)}).single(strict=True)["keys"])
    return Affected(sorted(keys), [row for row in rows.values() if row["source"] not in keys])


def _lock(tx: ManagedTransaction, label: str, keys: Sequence[str]) -> None:
    if keys:
        tx.run(ct.lock_query(label), {"keys": list(keys)}).consume()
