"""Latency of one dashboard's `indicators` request on each store, against the store-agnostic
path (`graph.protocol_indicators`: every item read through the protocol as a record, grouped in
Python) on the same store, in the same run. The store's own way: on Neo4j one Cypher statement
grouping in the database (`graph.neo4j.cypher.indicators`); on the embedded store the same
grouping in Python over its in-memory graph, no records built (`graph.embedded.indicators`).

    .venv/bin/chanjiao generate --out /tmp/bench-indicators/scale20 --scale 20
    .venv/bin/chanjiao neo4j start --port 7699 --data-dir /tmp/bench-indicators/neo4j
    .venv/bin/python benchmarks/bench_indicators.py --data data/shanghai --data /tmp/bench-indicators/scale20 \\
        --store bolt://127.0.0.1:7699 --store embedded:/tmp/bench-indicators/embedded

Each dataset is loaded into each store (cleared first), both paths are checked to give the same
counts, then each runs `--runs` times after `--warmup` with the loaded graph out of the garbage
collector's reach, as a server holds it (`settled_heap`); reported: p50 and best in milliseconds
and the store-agnostic path / the store's own at p50.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chanjiao.runtime import settled_heap
from chanjiao.stores import open_configured
from graph.indicators import IndicatorCounts, Measure
from graph.protocol_insights import ProtocolInsights
from graph.store import GraphStore
from loaders.run import LoadOptions, load, prepare
from queries.indicators import SUM_DIGITS

# The dashboard: certified enterprises per district, bases per zone by type, mentors by
# tier, alliances per chain, openings and graduates per chain and year, and a few more.
DASHBOARD = [
    Measure("Enterprise", ("district", "integration_level")),
    Measure("Base", ("zone", "type")),
    Measure("Mentor", ("tier",)),
    Measure("Alliance", ("chain",)),
    Measure("DEMANDS", ("chain", "year"), "openings"),
    Measure("OFFERS", ("chain", "year"), "graduates"),
    Measure("OFFERS", ("district", "year"), "graduates"),
    Measure("Project", ("chain", "status"), "trained"),
    Measure("School", ("district", "level")),
    Measure("Enterprise", ("chain", "size")),
]


def timed(work: Callable[[], Any], warmup: int, runs: int) -> list[float]:
    for _ in range(warmup):
        work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return times


def comparable(found: list[IndicatorCounts]) -> list[tuple[Any, ...]]:
    """Rows in one order (groups may hold None), sums to the digits `queries.indicators` keeps."""
    rows = [sorted((repr(row.group), row.count, row.amount and round(row.amount, SUM_DIGITS), row.synthetic) for row in counts.rows)
            for counts in found]
    return [(found_rows, counts.count, counts.synthetic) for found_rows, counts in zip(rows, found, strict=True)]


def loaded(uri: str, data: Path) -> GraphStore:
    store = open_configured(uri)
    store.ensure_schema()
    store.clear()
    options = LoadOptions(rejects_dir=Path("/tmp/bench-indicators-rejects"))
    report = load(prepare([data], options), store, options)
    if report.errors:
        raise SystemExit(f"{data}: {len(report.errors)} errors loading, first: {report.errors[0]}")
    return store


def bench(uri: str, data: Path, warmup: int, runs: int) -> None:
    store = loaded(uri, data)
    try:
        own, agnostic = store.insights(), ProtocolInsights(store)
        if comparable(own.indicator_counts(DASHBOARD)) != comparable(agnostic.indicator_counts(DASHBOARD)):
            raise SystemExit(f"{uri} on {data}: the two paths disagree")
        with settled_heap():
            ours = timed(lambda: own.indicator_counts(DASHBOARD), warmup, runs)
            theirs = timed(lambda: agnostic.indicator_counts(DASHBOARD), warmup, runs)
        stats = store.stats()
        size = f"{sum(stats.nodes.values()):,} nodes, {sum(stats.relationships.values()):,} relationships"
        p50, base = statistics.median(ours), statistics.median(theirs)
        print(f"{data.name} ({size}) on {uri.split(':')[0]}: {len(DASHBOARD)} measures; "
              f"store's own p50 {p50:.1f} ms (best {min(ours):.1f}), store-agnostic p50 {base:.1f} ms "
              f"(best {min(theirs):.1f}); agnostic / own at p50: {base / p50:.1f}x", flush=True)
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, action="append", required=True, help="a dataset folder (repeatable)")
    parser.add_argument("--store", action="append", required=True, help="a store URI (repeatable); it is cleared")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for data in args.data:
        for uri in args.store:
            bench(uri, data, args.warmup, args.runs)


if __name__ == "__main__":
    main()
