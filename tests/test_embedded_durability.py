"""The embedded store across processes: an acknowledged write survives `kill -9`, a torn write is
never visible, a running store sees other processes' commits, and concurrent writers take turns.

Writers are real child processes running `WRITER` below; each batch `n` is one `apply` that
creates `BATCH` alliances `B{n}-{i}`, one chain `C{n}` and a SERVES relationship from each
alliance to the chain, all stamped with `batch = n`, so a batch is recognisable and checkable
as all-or-nothing.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from graph.embedded.store import EmbeddedStore, StoreBusyError
from graph.records import Provenance, WriteCounts

ROOT = Path(__file__).resolve().parent.parent
BATCH = 200
PROVENANCE = Provenance("test", "2025-01-01T00:00:00+08:00")

WRITER = """
import json, sys
from pathlib import Path
from graph.embedded.store import Compaction, EmbeddedStore
from graph.records import NodeRef, Provenance, RelRow, WriteCounts
from graph.store import ChangeSet

path, first, count, size, prefix, every = sys.argv[1], *map(int, sys.argv[2:5]), sys.argv[5], sys.argv[6] == "1"
store = EmbeddedStore(Path(path), compaction=Compaction(min_ops=1, ratio=0) if every else Compaction())
provenance = Provenance("writer " + prefix, "2025-01-01T00:00:00+08:00")
totals = WriteCounts()
for n in range(first, first + count):
    chain = {"code": f"{prefix}C{n}", "name": f"chain {n}", "tier": "segment", "batch": n}
    alliances = [{"id": f"{prefix}B{n}-{i}", "name": f"alliance {n}/{i}", "batch": n} for i in range(size)]
    shared = [{"id": f"S{n}", "name": f"shared {n}"}]
    rels = [RelRow("SERVES", NodeRef("Alliance", a["id"]), NodeRef("IndustryChain", chain["code"])) for a in alliances]
    nodes = [("IndustryChain", chain)] + [("Alliance", a) for a in alliances + shared]
    counts = store.apply(ChangeSet(nodes=nodes, rels=rels), provenance)
    totals += counts.nodes
    print(f"ACK {n}", flush=True)
print("TOTALS " + json.dumps(totals.__dict__), flush=True)
store.close()
"""


def start_writer(path: Path, first: int, count: int, prefix: str = "", compact: bool = False) -> subprocess.Popen[str]:
    """A writer process; with `compact`, every write also rewrites the snapshot."""
    args = [sys.executable, "-c", WRITER, str(path), str(first), str(count), str(BATCH), prefix, str(int(compact))]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)


def batches_found(store: EmbeddedStore, prefix: str = "") -> Counter[int]:
    """How many alliances of each batch exist, after checking each has its chain and relationship."""
    alliances = store.find_nodes("Alliance").nodes
    found = Counter(node.props["batch"] for node in alliances if node.key.startswith(f"{prefix}B"))
    chains = {node.props["batch"] for node in store.find_nodes("IndustryChain").nodes if node.key.startswith(prefix)}
    assert chains == set(found), "a batch's chain and alliances were written apart"
    return found


@pytest.mark.parametrize("compact", [False, True], ids=["log-only", "compacting"])
def test_acknowledged_batches_survive_kill_9_and_torn_ones_are_invisible(tmp_path: Path, compact: bool) -> None:
    path, acknowledged = tmp_path / "store", -1
    for kill_after in (5, 12, 3):  # three crashes, each resuming after the last acknowledged batch
        writer = start_writer(path, acknowledged + 1, 10_000, compact=compact)
        assert writer.stdout is not None
        for _ in range(kill_after):
            line = writer.stdout.readline()
            assert line.startswith("ACK"), f"writer failed: {line}{writer.stderr.read() if writer.stderr else ''}"
            acknowledged = int(line.split()[1])
        os.kill(writer.pid, signal.SIGKILL)  # mid-stream: the next batch is being written
        writer.wait()
        acknowledged = max([acknowledged, *(int(line.split()[1]) for line in writer.stdout if line.startswith("ACK"))])
        store = EmbeddedStore(path)
        found = batches_found(store)
        store.close()
        assert all(found[n] == BATCH for n in range(acknowledged + 1)), "an acknowledged batch was lost"
        assert set(found.values()) == {BATCH}, "a partial batch is visible"
        assert max(found) <= acknowledged + 1  # at most the batch killed between commit and print
        acknowledged = max(found)


@pytest.mark.parametrize("compact", [False, True], ids=["log-only", "compacting"])
def test_an_open_store_sees_another_process_commits(tmp_path: Path, compact: bool) -> None:
    path = tmp_path / "store"
    server = EmbeddedStore(path)
    assert server.stats().nodes["Alliance"] == 0
    version = server.data_version()
    for first in (0, 3):  # twice, so the second catch-up starts from a non-empty state
        writer = start_writer(path, first, 3, compact=compact)
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
        expected = first + 3
        assert server.stats().nodes["Alliance"] == expected * BATCH + expected  # + one shared node a batch
        assert server.stats().relationships["SERVES"] == expected * BATCH
        assert server.data_version() != version
        version = server.data_version()
    assert batches_found(server) == Counter({n: BATCH for n in range(6)})
    server.close()
    with closing(sqlite3.connect(path / "graph.db")) as db:  # compacting leaves one batch and a snapshot
        logged, parts = (db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("batches", "snapshot"))
    assert (logged, parts > 0) == ((1, True) if compact else (6, False))


def test_two_concurrent_writers_both_complete_with_exact_counts(tmp_path: Path) -> None:
    path, batches = tmp_path / "store", 25
    EmbeddedStore(path).close()
    writers = [start_writer(path, 0, batches, prefix=prefix) for prefix in ("x", "y")]
    totals = WriteCounts()
    for writer in writers:
        output, errors = writer.communicate(timeout=300)
        assert writer.returncode == 0, errors
        totals += WriteCounts(**json.loads(output.splitlines()[-1].removeprefix("TOTALS ")))
    # own alliances and chain: created by each writer; each shared S{n}: created by one, unchanged for the other
    assert totals == WriteCounts(created=2 * batches * (BATCH + 1) + batches, unchanged=batches)
    store = EmbeddedStore(path)
    assert batches_found(store, "x") == Counter({n: BATCH for n in range(batches)})
    assert batches_found(store, "y") == Counter({n: BATCH for n in range(batches)})
    assert store.stats().relationships["SERVES"] == 2 * batches * BATCH
    store.close()


def test_a_writer_that_cannot_get_the_lock_fails_naming_the_data_directory(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = EmbeddedStore(path, busy_timeout=0.3)
    other = sqlite3.connect(path / "graph.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process's write in progress
    try:
        with pytest.raises(StoreBusyError, match=str(path)):
            store.upsert_nodes("District", [{"code": "310104", "name": "徐汇区"}], PROVENANCE)
        assert store.stats().nodes["District"] == 0  # reads are not blocked by the writer
        reader = EmbeddedStore(path, busy_timeout=0.3)  # nor is opening an existing store
        assert reader.stats().nodes["District"] == 0
        reader.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.upsert_nodes("District", [{"code": "310104", "name": "徐汇区"}], PROVENANCE) == WriteCounts(created=1)
    store.close()


def test_a_file_in_place_of_the_data_directory_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "store").write_text("not a directory")
    with pytest.raises(ValueError, match="is a file"):
        EmbeddedStore(tmp_path / "store")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "graph.db").write_text("not a database, just some text " * 100)
    with pytest.raises(ValueError, match="not an embedded Chanjiao store"):
        EmbeddedStore(tmp_path / "other")
