"""Running demand totals, kept by every Neo4j write transaction, so that
`talentGap` reads a few hundred totals instead of summing every `DEMANDS` of a chain's subtree.

A write first works out what it may change. When an enterprise's districts or chains change, when
it is deleted, or when a discipline, district or chain of it is deleted or re-parented, its every
`DEMANDS` counts anew; otherwise only the `DEMANDS` rows the write upserts or deletes do. It locks
those enterprises, subtracts the contribution, writes, and adds the contribution again, all in the
one transaction. Enterprises are locked before they are read, so two writers of the same
enterprise take turns and no change is counted twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction, Session

from graph.neo4j.cypher import totals as ct
from graph.neo4j.cypher.rows import RelGroup

# Deleting one of these changes the contribution of the enterprises linked to it.
LINKED_LABELS = ("Discipline", "District", "IndustryChain")
REBUILD_HOLDERS = 5_000


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
def totals_kept(tx: ManagedTransaction, groups: Sequence[RelGroup], doomed: Mapping[str, list[str]]) -> Iterator[None]:
    """Keeps the totals right across the writes done inside the `with` block."""
    for label in LINKED_LABELS:
        _lock(tx, label, doomed.get(label, []))
    affected = _affected(tx, groups, doomed)
    _lock(tx, "Enterprise", sorted({*affected.holders, *(row["source"] for row in affected.rows)}))
    affected.apply(tx, adding=False)
    yield
    affected.apply(tx, adding=True)


def ensure_totals(session: Session) -> bool:
    """Rebuilds the totals if they are missing or of an older format; whether it did."""
    record = session.execute_read(lambda tx: tx.run(ct.TOTALS_FORMAT, {"name": ct.META_NAME}).single())
    if record is not None and record["format"] == ct.FORMAT:
        return False
    rebuild_totals(session)
    return True


def rebuild_totals(session: Session) -> None:
    """Every total from scratch, in transactions of `REBUILD_HOLDERS` enterprises (a million-node
    graph's totals outgrow the server's memory for one transaction). Writers must wait: this runs
    when a store's schema is ensured, before it serves."""
    session.run(ct.CLEAR).consume()
    keys = session.execute_read(_all_enterprises)
    for start in range(0, len(keys), REBUILD_HOLDERS):
        session.execute_write(Affected(keys[start : start + REBUILD_HOLDERS], []).apply, True)
    session.execute_write(lambda tx: tx.run(ct.SET_TOTALS_FORMAT, {"name": ct.META_NAME, "format": ct.FORMAT}).consume())


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


def _all_enterprises(tx: ManagedTransaction) -> list[str]:
    keys: list[str] = tx.run(ct.ALL_ENTERPRISES).single(strict=True)["keys"]
    return keys


def _lock(tx: ManagedTransaction, label: str, keys: Sequence[str]) -> None:
    if keys:
        tx.run(ct.lock_query(label), {"keys": list(keys)}).consume()
