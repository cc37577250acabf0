"""Upsert throughput of each store through the `GraphStore` protocol, against a raw baseline
measured in the same run.

    .venv/bin/python benchmarks/bench_upsert.py                      # embedded store in a temp dir
    .venv/bin/python benchmarks/bench_upsert.py --store embedded:/tmp/bench --store bolt://127.0.0.1:7687

Synthetic data: `--nodes` nodes (half School, half Discipline) and `--rels` OFFERS relationships
over five years, written in batches of `--batch`. Phases: the baseline (embedded: bare networkx
inserts, no diff and no disk; Neo4j: `UNWIND $rows CREATE`, no MERGE), the first upsert pass (all
created), a second pass of the same rows (all unchanged), and reopening the store.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

import networkx as nx

from chanjiao.stores import open_configured
from graph.open import NEO4J_SCHEMES
from graph.records import NodeRef, Provenance, RelRow, WriteCounts
from graph.store import GraphStore

T = TypeVar("T")
YEARS = 5
PROVENANCE = Provenance("bench_upsert", "2025-01-01T00:00:00+08:00")


@dataclass(frozen=True)
class Workload:
    nodes: int
    rels: int
    batch: int

    @property
    def per_label(self) -> int:
        return self.nodes // 2

    def node_rows(self, label: str) -> Iterator[dict[str, object]]:
        level = "undergraduate"
        for i in range(self.per_label):
            yield {"code": f"{i:010d}", "name": f"{label} {i}", "level": level, "rank": i % 97}

    def rel_rows(self) -> Iterator[RelRow]:
        """OFFERS rows, unique by (school, discipline, year): each year block pairs every school
        with a different discipline per pass over the schools."""
        n = self.per_label
        per_year = self.rels // YEARS
        for r in range(self.rels):
            year, within = divmod(r, per_year)
            school, lap = within % n, within // n
            target = (school * 31 + lap * 17 + year) % n
            yield RelRow("OFFERS", NodeRef("School", f"{school:010d}"), NodeRef("Discipline", f"{target:010d}"),
                         {"year": 2020 + year}, {"graduates": (r * 13) % 500})


@dataclass
class Phase:
    """One timed phase: wall seconds, and this process's CPU seconds (on a shared machine the
    CPU figure is the steadier one for the embedded store; a server's work is not in it)."""

    name: str
    rows: int
    seconds: float
    cpu: float
    baseline: float | None = None  # wall rows/s of the baseline for the same kind of rows

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")

    def line(self) -> str:
        ratio = f"{self.rate / self.baseline:7.2f}x baseline" if self.baseline else ""
        cpu_rate = self.rows / self.cpu if self.cpu else float("inf")
        return (f"  {self.name:<32} {self.rows:>10,} rows {self.seconds:>7.2f} s {self.rate:>10,.0f} rows/s"
                f" | cpu {self.cpu:>7.2f} s {cpu_rate:>10,.0f} rows/cpu-s {ratio}")


def timed(work: Callable[[], int]) -> tuple[int, float, float]:
    """(rows, wall seconds, CPU seconds of this process) of `work`."""
    start, start_cpu = time.perf_counter(), time.process_time()
    rows = work()
    return rows, time.perf_counter() - start, time.process_time() - start_cpu


@dataclass(frozen=True)
class Batches:
    """The workload's rows, generated before timing so that only the store is measured."""

    nodes: list[tuple[str, list[dict[str, object]]]]
    rels: list[list[RelRow]]

    @classmethod
    def of(cls, load: Workload) -> Batches:
        nodes = [(label, rows) for label in ("School", "Discipline") for rows in batched(load.node_rows(label), load.batch)]
        return cls(nodes, list(batched(load.rel_rows(), load.batch)))


def upsert_nodes(store: GraphStore, batches: Batches, expect: str) -> int:
    total = WriteCounts()
    for label, rows in batches.nodes:
        total += store.upsert_nodes(label, rows, PROVENANCE)
    return check(total, expect, sum(len(rows) for _, rows in batches.nodes))


def upsert_rels(store: GraphStore, batches: Batches, expect: str) -> int:
    total = WriteCounts()
    for rows in batches.rels:
        total += store.upsert_relationships(rows, PROVENANCE)
    return check(total, expect, sum(len(rows) for rows in batches.rels))


def check(counts: WriteCounts, outcome: str, rows: int) -> int:
    if getattr(counts, outcome) != rows:
        raise AssertionError(f"expected {rows} rows {outcome}, got {counts}")
    return rows


def batched(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    """`itertools.batched` (Python 3.12) for 3.11."""
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


# -- baselines ---------------------------------------------------------------------------------


def baseline_networkx(batches: Batches) -> tuple[Phase, Phase]:
    """Bare networkx inserts of the same rows: what the embedded store adds is the diff, the log
    and the fsync."""
    graph = nx.MultiDiGraph()

    def nodes() -> int:
        for label, rows in batches.nodes:
            graph.add_nodes_from(((label, row["code"]), {"props": row}) for row in rows)
        return sum(len(rows) for _, rows in batches.nodes)

    def rels() -> int:
        for rows in batches.rels:
            graph.add_edges_from(
                ((r.source.label, r.source.key), (r.target.label, r.target.key), (r.rel_type, tuple(r.key.values())),
                 {"props": dict(r.props)})
                for r in rows
            )
        return sum(len(rows) for rows in batches.rels)

    return Phase("baseline networkx nodes", *timed(nodes)), Phase("baseline networkx rels", *timed(rels))


def baseline_neo4j_unwind_create(uri: str, batches: Batches) -> tuple[Phase, Phase]:
    """`UNWIND $rows AS row CREATE (n:School) SET n = row` (and CREATE for OFFERS between
    MATCHed endpoints), one transaction per batch, into a cleared database with the store's
    schema: the floor for the Neo4j store's MERGE-based upsert. Same rows, same provenance
    properties, same server, same run."""
    from graph.neo4j.store import Neo4jStore

    store = Neo4jStore(uri)
    try:
        store.ensure_schema()
        store.clear()
        nodes = Phase("baseline UNWIND CREATE nodes", *timed(lambda: neo4j_create_nodes(store, batches)))
        rels = Phase("baseline UNWIND CREATE rels", *timed(lambda: neo4j_create_rels(store, batches)))
    finally:
        store.close()
    return nodes, rels


def neo4j_create_nodes(store: Any, batches: Batches) -> int:
    from benchmarks.raw_cypher import raw_create_nodes_query

    with store.driver.session(**store.session_args) as session:
        for label, rows in batches.nodes:
            neo4j_write(session, raw_create_nodes_query(label), rows)
    return sum(len(rows) for _, rows in batches.nodes)


def neo4j_create_rels(store: Any, batches: Batches) -> int:
    from benchmarks.raw_cypher import raw_create_rels_query

    query = raw_create_rels_query("OFFERS", "School", "Discipline")
    with store.driver.session(**store.session_args) as session:
        for rows in batches.rels:
            params = [{"source": r.source.key, "target": r.target.key, "key": dict(r.key), "props": dict(r.props)}
                      for r in rows]
            neo4j_write(session, query, params)
    return sum(len(rows) for rows in batches.rels)


def neo4j_write(session: Any, query: str, rows: list[Any]) -> None:
    """One batch in one write transaction, stamped with the same provenance as the store's."""
    params = {"rows": rows, "source": PROVENANCE.source, "loaded_at": PROVENANCE.loaded_at}
    session.execute_write(lambda tx: tx.run(query, params).consume())


def baseline(uri: str, batches: Batches) -> tuple[Phase, Phase] | None:
    try:
        if uri.startswith(NEO4J_SCHEMES):
            return baseline_neo4j_unwind_create(uri, batches)
        return baseline_networkx(batches)
    except NotImplementedError as missing:
        print(f"  (no baseline: {missing})")
        return None


# -- the run -----------------------------------------------------------------------------------


def bench(uri: str, load: Workload) -> list[Phase]:
    print(f"{uri}: {load.nodes:,} nodes, {load.rels:,} relationships, batches of {load.batch:,}")
    batches = Batches.of(load)
    base = baseline(uri, batches)
    node_base, rel_base = (base[0].rate, base[1].rate) if base else (None, None)
    store = open_configured(uri)
    store.ensure_schema()
    store.clear()
    phases = [*(base or ())]
    phases.append(Phase("upsert nodes (created)", *timed(lambda: upsert_nodes(store, batches, "created")), node_base))
    phases.append(Phase("upsert rels (created)", *timed(lambda: upsert_rels(store, batches, "created")), rel_base))
    phases.append(Phase("upsert nodes again (unchanged)", *timed(lambda: upsert_nodes(store, batches, "unchanged")), node_base))
    phases.append(Phase("upsert rels again (unchanged)", *timed(lambda: upsert_rels(store, batches, "unchanged")), rel_base))
    store.close()
    phases.append(Phase("reopen and count", *timed(lambda: reopen(uri))))
    for phase in phases:
        print(phase.line())
    return phases


def reopen(uri: str) -> int:
    store = open_configured(uri)
    try:
        stats = store.stats()
        return stats.nodes["School"] + stats.nodes["Discipline"] + stats.relationships["OFFERS"]
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", action="append", help="a store URI (repeatable); default: a temporary embedded store")
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--rels", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    load = Workload(args.nodes, args.rels, args.batch)
    with tempfile.TemporaryDirectory(prefix="bench-upsert-") as scratch:
        for uri in args.store or [f"embedded:{scratch}/store"]:
            bench(uri, load)


if __name__ == "__main__":
    main()
