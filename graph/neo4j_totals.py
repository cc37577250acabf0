"""Running totals of demand and supply, kept by every Neo4j write transaction, so that
`talentGap` reads a few hundred totals instead of summing every `DEMANDS` of a chain's subtree.

A write first works out which holders (enterprises, schools) it may change the contribution of:
the sources of the `DEMANDS`, `OFFERS`, `IN_CHAIN` and `LOCATED_IN` rows it writes or deletes,
the holders it deletes, the holders of the disciplines and districts it deletes, and the
enterprises under the chains it deletes or re-parents. It locks them, subtracts their
contributions, writes, and adds their contributions again, all in the one transaction. Holders
are locked before they are read, so two writers of the same holder take turns and no change is
counted twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from neo4j import ManagedTransaction, Session

from graph import cypher_totals as ct
from graph.cypher_rows import RelGroup

# Deleting one of these changes the contribution of the holders linked to it.
LINKED_LABELS = ("Discipline", "District", "IndustryChain")
REBUILD_HOLDERS = 5_000


@contextmanager
def totals_kept(tx: ManagedTransaction, groups: Sequence[RelGroup], doomed: Mapping[str, list[str]]) -> Iterator[None]:
    """Keeps the totals right across the writes done inside the `with` block."""
    for label in LINKED_LABELS:
        _lock(tx, label, doomed.get(label, []))
    holders = {tally: _holders(tx, tally, groups, doomed) for tally in ct.TALLIES}
    for tally, keys in holders.items():
        _lock(tx, tally.holder, keys)
        _contribute(tx, tally, keys, adding=False)
    yield
    for tally, keys in holders.items():
        _contribute(tx, tally, keys, adding=True)


def ensure_totals(session: Session) -> bool:
    """Rebuilds the totals if they are missing or of an older format; whether it did."""
    record = session.execute_read(lambda tx: tx.run(ct.TOTALS_FORMAT, {"name": ct.META_NAME}).single())
    if record is not None and record["format"] == ct.FORMAT:
        return False
    rebuild_totals(session)
    return True


def rebuild_totals(session: Session) -> None:
    """Every total from scratch, in transactions of `REBUILD_HOLDERS` holders (a million-node
    graph's totals outgrow the server's memory for one transaction). Writers must wait: this runs
    when a store's schema is ensured, before it serves."""
    for tally in ct.TALLIES:
        session.run(ct.clear_query(tally)).consume()
        keys = session.execute_read(_all_holders, tally)
        for start in range(0, len(keys), REBUILD_HOLDERS):
            session.execute_write(_contribute, tally, keys[start : start + REBUILD_HOLDERS], True)
    session.execute_write(lambda tx: tx.run(ct.SET_TOTALS_FORMAT, {"name": ct.META_NAME, "format": ct.FORMAT}).consume())


def _holders(tx: ManagedTransaction, tally: ct.Tally, groups: Sequence[RelGroup], doomed: Mapping[str, list[str]]) -> list[str]:
    """The holders whose contribution the writes may change. For the demand tally that includes
    the enterprises under every chain whose parent changes or that is deleted: their chains'
    ancestors change."""
    links = {tally.rel_type, "LOCATED_IN", *(["IN_CHAIN"] if tally.chained else [])}
    keys = set(doomed.get(tally.holder, ()))
    linked = {label: set(doomed.get(label, ())) for label in LINKED_LABELS}
    for group in groups:
        if group.kind.type in links and group.source_label == tally.holder:
            keys.update(row["source"] for row in group.rows.values())
        if group.kind.type == "PART_OF":
            linked["IndustryChain"].update(row["source"] for row in group.rows.values())
    for label, linked_keys in linked.items():
        if linked_keys and (label != "IndustryChain" or tally.chained):
            query = ct.holders_of_query(tally, label)
            keys.update(tx.run(query, {"keys": sorted(linked_keys)}).single(strict=True)["keys"])
    return sorted(keys)  # one lock order for every writer


def _all_holders(tx: ManagedTransaction, tally: ct.Tally) -> list[str]:
    keys: list[str] = tx.run(ct.all_holders_query(tally)).single(strict=True)["keys"]
    return keys


def _lock(tx: ManagedTransaction, label: str, keys: Sequence[str]) -> None:
    if keys:
        tx.run(ct.lock_query(label), {"keys": list(keys)}).consume()


def _contribute(tx: ManagedTransaction, tally: ct.Tally, keys: Sequence[str], adding: bool) -> None:
    if keys:
        tx.run(ct.contribution_query(tally, adding), {"keys": list(keys)}).consume()
