"""Pinyin sort keys of names on Neo4j (the Cypher and why it is kept this way:
`graph.neo4j.cypher.sort_names`): written with every node write, and rebuilt once on a database
written before they existed or with keys of an older format."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from neo4j import ManagedTransaction, Session

from graph.aliases import PINYIN_ORDERED, sort_key
from graph.neo4j.cypher import sort_names as cs

BATCH_NAMES = 10_000


def keyed(names: Iterable[str]) -> list[dict[str, str]]:
    """`{name, key}` rows for `cs.WRITE`, one per distinct name."""
    return [{"name": name, "key": sort_key(name)} for name in dict.fromkeys(names)]


def with_sort_names(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Node rows (`graph.neo4j.cypher.rows.node_rows`) with the keys of their pinyin-ordered
    texts as `sort_names`, which the upsert writes (`cs.WRITE_EACH_ROW`)."""
    return [{**row, "sort_names": keyed(value for prop in PINYIN_ORDERED if isinstance(value := row["props"].get(prop), str))}
            for row in rows]


def write_sort_names(tx: ManagedTransaction, names: Sequence[str]) -> None:
    """Keys for the names a write stores (a name already keyed is left alone), in statements of
    `BATCH_NAMES`."""
    for start in range(0, len(names), BATCH_NAMES):
        tx.run(cs.WRITE, {"names": keyed(names[start : start + BATCH_NAMES])}).consume()


def ensure_sort_names(session: Session) -> bool:
    """Rebuilds the keys if they are missing or of an older format; whether it did."""
    record = session.execute_read(lambda tx: tx.run(cs.STORED_FORMAT, {"name": cs.META_NAME}).single())
    if record is not None and record["format"] == cs.FORMAT:
        return False
    session.run(cs.CLEAR).consume()  # IN TRANSACTIONS needs an auto-commit transaction
    names: list[str] = session.execute_read(lambda tx: tx.run(cs.ALL_NAMES).single(strict=True)["names"])
    for start in range(0, len(names), BATCH_NAMES):  # a transaction per batch: a big graph's names outgrow one
        session.execute_write(write_sort_names, names[start : start + BATCH_NAMES])
    session.execute_write(lambda tx: tx.run(cs.SET_FORMAT, {"name": cs.META_NAME, "format": cs.FORMAT}).consume())
    return True
