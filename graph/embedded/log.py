"""The embedded store on disk: an append-only log of committed change batches in SQLite.

One SQLite database (`graph.db`, WAL journal, `synchronous=FULL`) per data directory:

- `batches(seq, body)`: one row per committed write, its change operations as JSON; `seq` counts
  up by one per batch, so a gap before the first unseen batch means a compaction removed it;
- `snapshot(part, body)`: the whole graph as of `meta.snapshot_seq`, in chunks of operations;
- `meta(name, value)`: format version, store id, the snapshot's sequence and size and the number
  of operations logged since it (in operations: the replay work on open).

`BEGIN IMMEDIATE` is the cross-process writer lock: a second writer waits up to the busy timeout
for its turn. A batch is visible once its transaction commits and durable once `COMMIT` returns
(the WAL is fsynced), so a write acknowledged to a caller survives `kill -9` and a torn one is
never seen. A compaction writes a snapshot and drops the batches it covers, keeping the newest so
that `max(seq)` always names the head of the log.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Final

from graph.embedded.memory import CLEAR, Op

DB_NAME: Final = "graph.db"
FORMAT: Final = "1"
SNAPSHOT_CHUNK: Final = 20_000


@dataclass(frozen=True)
class Compaction:
    """When a write also compacts: once at least `min_ops` operations were logged since the
    snapshot and replaying snapshot plus log would take more than `ratio` times the operations
    the live graph needs. A bulk load of new data (log = live) never compacts; reloading changed
    files or deleting does, with work proportional to what was written."""

    min_ops: int = 200_000
    ratio: float = 2.0

    def due(self, snapshot_ops: int, log_ops: int, live_ops: int) -> bool:
        return log_ops >= self.min_ops and snapshot_ops + log_ops > self.ratio * live_ops


DEFAULT_COMPACTION: Final = Compaction()

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshot (part INTEGER PRIMARY KEY, body TEXT NOT NULL);
"""


class StoreBusyError(RuntimeError):
    """Another process held the embedded store's writer lock for longer than the busy timeout."""


class ChangeLog:
    def __init__(self, directory: Path, busy_timeout: float = 30.0, compaction: Compaction = DEFAULT_COMPACTION) -> None:
        if directory.exists() and not directory.is_dir():
            raise ValueError(f"embedded store path {directory} is a file; give a directory for the data")
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.busy_timeout = busy_timeout
        self.compaction = compaction
        self._db = sqlite3.connect(
            directory / DB_NAME, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        try:
            self._configure()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise ValueError(f"{directory / DB_NAME} is not an embedded Chanjiao store: {error}") from None
        self.store_id = self._meta("store_id")

    def _configure(self) -> None:
        self._db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        if not self._has_schema():  # only a new store needs the writer lock to open
            with self.writing():
                for statement in SCHEMA.strip().split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                defaults = {"format": FORMAT, "store_id": uuid.uuid4().hex, "snapshot_seq": "0"}
                defaults |= {"snapshot_ops": "0", "log_ops": "0"}
                self._db.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", defaults.items())
        if (found := self._meta("format")) != FORMAT:
            raise sqlite3.DatabaseError(f"format {found!r}, this version reads format {FORMAT!r}")

    def _has_schema(self) -> bool:
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'batches', 'snapshot')"
        return bool(self._db.execute(query).fetchone()[0] == 3)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """A write transaction holding the cross-process writer lock; rolled back on error."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise StoreBusyError(
                    f"the embedded store at {self.directory} is locked by another writer "
                    f"(waited {self.busy_timeout:g} s); is a `chanjiao load` still running?"
                ) from error
            raise
        yield from self._finishing()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """A read transaction: one consistent view of the log across several statements."""
        self._db.execute("BEGIN")
        yield from self._finishing()

    def _finishing(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def data_version(self) -> int:
        """A number that changes when another connection commits (cheap: reads the WAL index)."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def head(self) -> int:
        return int(self._db.execute("SELECT coalesce(max(seq), 0) FROM batches").fetchone()[0])

    def batches_since(self, seq: int) -> Iterator[tuple[int, list[Op]]]:
        """`(seq, operations)` bringing a reader at `seq` up to the head: the snapshot first (after
        a `clear`) when a compaction dropped batches the reader has not seen."""
        head = self.head()
        if head == seq:
            return
        first = self._db.execute("SELECT min(seq) FROM batches WHERE seq > ?", (seq,)).fetchone()[0]
        if head < seq or first != seq + 1:
            seq = int(self._meta("snapshot_seq"))
            yield seq, [[CLEAR]]
            for (body,) in self._db.execute("SELECT body FROM snapshot ORDER BY part"):
                yield seq, json.loads(body)
        for batch_seq, body in self._db.execute("SELECT seq, body FROM batches WHERE seq > ? ORDER BY seq", (seq,)):
            yield batch_seq, json.loads(body)

    def append(self, seq: int, ops: list[Op]) -> None:
        """Insert batch `seq` (inside `writing()`)."""
        body = json.dumps(ops, ensure_ascii=False, separators=(",", ":"))
        self._db.execute("INSERT INTO batches (seq, body) VALUES (?, ?)", (seq, body))
        self._db.execute("UPDATE meta SET value = value + ? WHERE name = 'log_ops'", (len(ops),))

    def wants_compaction(self, live_ops: int) -> bool:
        snapshot_ops, log_ops = int(self._meta("snapshot_ops")), int(self._meta("log_ops"))
        return self.compaction.due(snapshot_ops, log_ops, live_ops)

    def write_snapshot(self, seq: int, ops: Iterable[Op]) -> None:
        """Replace the snapshot with `ops` (the state at batch `seq`) and drop the batches before
        `seq` (inside `writing()`)."""
        self._db.execute("DELETE FROM snapshot")
        count, part, chunks = 0, 0, iter(ops)
        while chunk := list(islice(chunks, SNAPSHOT_CHUNK)):
            body = json.dumps(chunk, ensure_ascii=False, separators=(",", ":"))
            self._db.execute("INSERT INTO snapshot (part, body) VALUES (?, ?)", (part, body))
            count, part = count + len(chunk), part + 1
        self._db.execute("DELETE FROM batches WHERE seq < ?", (seq,))
        updates = {"snapshot_seq": str(seq), "snapshot_ops": str(count), "log_ops": "0"}
        self._db.executemany("UPDATE meta SET value = ? WHERE name = ?", [(v, k) for k, v in updates.items()])

    def _meta(self, name: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise sqlite3.DatabaseError(f"meta entry {name!r} is missing")
        return str(row[0])
