"""Throughput of `chanjiao load` (read, validate, resolve references, upsert) on the generated
dataset, into Neo4j and into the embedded store, against a raw `UNWIND $rows CREATE` baseline of
the same rows on the same server in the same run.

    .venv/bin/python benchmarks/bench_load.py                  # scale 500: ~1.0M nodes, ~7.2M relationships
    .venv/bin/python benchmarks/bench_load.py --scale 20       # a smaller run, with a linear extrapolation
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python benchmarks/bench_load.py --stores neo4j

Without NEO4J_URI a local Neo4j 5.26 is started for the run (chanjiao/neo4j_local/__init__.py, --heap 1g) on a
fresh data directory and stopped at the end. The dataset is generated once per scale and seed and
cached under --cache. Every phase runs in a child process of its own, so that its peak memory
(ru_maxrss) is its own:

- baseline: the loader's dry run yields the validated batches in the order a load writes them
  (nodes, then relationships); each batch goes to Neo4j as one `UNWIND $rows CREATE` transaction
  (relationships MATCH their endpoints by key, on the key constraints' indexes) and only those
  transactions are timed. It is the floor: no MERGE, no diff, no counts, no parsing.
- neo4j / embedded: the whole load, files to committed upserts, into an emptied store.

The ratio is the load's written elements per second over the baseline's: 1.0 would mean the loader
adds nothing to bare inserts of the same rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FULL_SCALE = 500  # ~1.0M nodes and ~7.2M relationships
DEFAULT_CACHE = Path("/tmp/chanjiao-bench-load")
ROOT = Path(__file__).resolve().parents[1]


# -- the phases, each run in a child process -------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


class WrittenProgress:
    """One line on stderr per table and kind once written: long runs show where they are."""

    def reading(self, source: Any, rows: int) -> None:
        pass

    def writing(self, source: Any, kind: str, done: int, total: int | None) -> None:
        if done == total:
            print(f"    {source.source_name} {kind}: {done:,} written", file=sys.stderr, flush=True)


def child_load(uri: str, data: Path, batch: int, scratch: Path) -> dict[str, Any]:
    """The whole load into an emptied store, timed from the files to the last commit."""
    from chanjiao.stores import open_configured
    from loaders.run import LoadOptions, load, prepare

    store = open_configured(uri)
    try:
        store.ensure_schema()
        store.clear()
        options = LoadOptions(rejects_dir=scratch / "rejects", batch_size=batch)
        started, started_cpu = time.perf_counter(), time.process_time()
        report = load(prepare([data], options), store, options, WrittenProgress())
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    finally:
        store.close()
    totals = report.totals()
    return {
        "rows": sum(table.rows for table in report.tables), "rejected": report.rejected,
        "written": totals.created + totals.updated + totals.unchanged, "created": totals.created,
        "seconds": seconds, "cpu": cpu, "peak_mb": peak_rss_mb(),
    }


class RawCreateSink:
    """The loader's batches as `UNWIND $rows CREATE` transactions; only those are timed."""

    def __init__(self, store: Any) -> None:
        self._session = store.driver.session(**store.session_args)
        self.seconds = {"nodes": 0.0, "relationships": 0.0}
        self.written = {"nodes": 0, "relationships": 0}

    def nodes(self, label: str, rows: Sequence[Mapping[str, Any]], provenance: Any) -> Any:
        from benchmarks.raw_cypher import raw_create_nodes_query
        from graph.records import WriteCounts

        self._write("nodes", raw_create_nodes_query(label), [dict(row) for row in rows], provenance)
        return WriteCounts(created=len(rows))

    def rels(self, rows: Sequence[Any], provenance: Any) -> Any:
        from benchmarks.raw_cypher import raw_create_rels_query
        from graph.records import WriteCounts

        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            groups[(row.rel_type, row.source.label, row.target.label)].append(
                {"source": row.source.key, "target": row.target.key, "key": dict(row.key), "props": dict(row.props)}
            )
        for (rel_type, source, target), params in groups.items():
            self._write("relationships", raw_create_rels_query(rel_type, source, target), params, provenance)
        return WriteCounts(created=len(rows))

    def _write(self, kind: str, query: str, rows: list[dict[str, Any]], provenance: Any) -> None:
        params = {"rows": rows, "source": provenance.source, "loaded_at": provenance.loaded_at}
        started = time.perf_counter()
        self._session.execute_write(lambda tx: tx.run(query, params).consume())
        self.seconds[kind] += time.perf_counter() - started
        self.written[kind] += len(rows)

    def close(self) -> None:
        self._session.close()


def child_baseline(uri: str, data: Path, batch: int, scratch: Path) -> dict[str, Any]:
    from chanjiao.stores import open_configured
    from loaders.run import LoadOptions, load, prepare

    store = open_configured(uri)
    sink = RawCreateSink(store)
    try:
        store.ensure_schema()
        store.clear()
        options = LoadOptions(dry_run=True, rejects_dir=scratch / "rejects", batch_size=batch)
        report = load(prepare([data], options), store, options, WrittenProgress(), sink=sink)
    finally:
        sink.close()
        store.close()
    return {
        "rows": sum(table.rows for table in report.tables), "rejected": report.rejected,
        "written": sum(sink.written.values()), "seconds": sum(sink.seconds.values()),
        "node_seconds": sink.seconds["nodes"], "rel_seconds": sink.seconds["relationships"],
        "nodes": sink.written["nodes"], "relationships": sink.written["relationships"], "peak_mb": peak_rss_mb(),
    }


CHILDREN: dict[str, Callable[[str, Path, int, Path], dict[str, Any]]] = {"load": child_load, "baseline": child_baseline}


def run_child(phase: str, uri: str, data: Path, batch: int, scratch: Path) -> dict[str, Any]:
    """`phase` in a fresh interpreter; its result is the last line it prints. It runs as a module
    from the repository's root, where `benchmarks` (not an installed package) imports."""
    command = [sys.executable, "-m", "benchmarks.bench_load", "--child", phase, "--uri", uri, "--data", str(data),
               "--batch", str(batch), "--cache", str(scratch)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- dataset and server ----------------------------------------------------------------------------


def dataset(cache: Path, scale: int, seed: int) -> Path:
    """The generated dataset of this scale and seed, generated on first use."""
    from loaders.synthetic import generate

    folder = cache / f"data-scale{scale}-seed{seed}"
    if not (folder / ".complete").exists():
        print(f"generating scale {scale} (seed {seed}) into {folder}", flush=True)
        started = time.perf_counter()
        generate(folder, scale=scale, seed=seed)
        (folder / ".complete").write_text(f"{time.perf_counter() - started:.0f} s\n", encoding="utf-8")
    return folder


@dataclass
class Server:
    uri: str
    pid: int | None  # known when this run started the server: its RSS can be read
    data_dir: Path | None = None

    def rss_mb(self, field: str = "VmRSS") -> float | None:
        """The server's resident memory now (VmRSS) or at its peak so far (VmHWM)."""
        if self.pid is None:
            return None
        for line in Path(f"/proc/{self.pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        return None


def neo4j_server(cache: Path, heap: str) -> Server:
    if uri := os.environ.get("NEO4J_URI"):
        return Server(uri, None)
    from chanjiao import neo4j_local

    data_dir = cache / "neo4j"
    shutil.rmtree(data_dir, ignore_errors=True)
    print(f"starting a local Neo4j (heap {heap}) in {data_dir}", flush=True)
    local = neo4j_local.start(data_dir, port=neo4j_local.free_port(), heap=heap)
    return Server(local.uri, local.pid, data_dir)


# -- the run ----------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    rows: int  # input rows read
    written: int  # nodes and relationships written
    seconds: float
    peak_mb: float
    cpu: float | None = None
    server_mb: float | None = None

    def line(self, baseline: Result | None) -> str:
        ratio = f"{(self.written / self.seconds) / (baseline.written / baseline.seconds):6.2f}x" if baseline else "   n/a"
        cpu = f"{self.cpu:8.1f}" if self.cpu is not None else "       -"
        server = f"{self.server_mb:8.0f}" if self.server_mb is not None else "       -"
        return (f"  {self.name:<26}{self.rows:>11,}{self.written:>11,}{self.seconds:>9.1f}{self.rows / self.seconds:>10,.0f}"
                f"{self.written / self.seconds:>10,.0f}{cpu}{self.peak_mb:>9.0f}{server}  {ratio}")


HEADER = (f"  {'phase':<26}{'rows read':>11}{'written':>11}{'wall s':>9}{'rows/s':>10}{'writes/s':>10}"
          f"{'cpu s':>8}{'peak MB':>9}{'srv MB':>8}  ratio to baseline")


def bench_neo4j(args: argparse.Namespace, data: Path) -> list[Result]:
    server = neo4j_server(args.cache, args.heap)
    try:
        # A cold server plans each query shape and compiles its code on first use: warm both
        # phases' queries on the small dataset first, so that neither pays that and the other not.
        print("warming up: both phases on the scale-1 dataset (not reported)", flush=True)
        small = dataset(args.cache, 1, args.seed)
        run_child("baseline", server.uri, small, args.batch, args.cache)
        run_child("load", server.uri, small, args.batch, args.cache)
        print("baseline: UNWIND $rows CREATE of the loader's batches", flush=True)
        raw = run_child("baseline", server.uri, data, args.batch, args.cache)
        baseline = Result("neo4j UNWIND CREATE", raw["rows"], raw["written"], raw["seconds"], raw["peak_mb"],
                          server_mb=server.rss_mb())
        print(f"  (nodes {raw['nodes']:,} in {raw['node_seconds']:.1f} s, "
              f"relationships {raw['relationships']:,} in {raw['rel_seconds']:.1f} s)", flush=True)
        print("loader into Neo4j", flush=True)
        done = run_child("load", server.uri, data, args.batch, args.cache)
        loaded = Result("neo4j chanjiao load", done["rows"], done["written"], done["seconds"], done["peak_mb"],
                        done["cpu"], server.rss_mb())
        print(f"  Neo4j server peak RSS over the run (VmHWM): {server.rss_mb('VmHWM') or float('nan'):,.0f} MB", flush=True)
    finally:
        if server.data_dir is not None:
            from chanjiao import neo4j_local

            neo4j_local.stop(server.data_dir)
            shutil.rmtree(server.data_dir, ignore_errors=True)  # gigabytes at full scale
    return [baseline, loaded]


def bench_embedded(args: argparse.Namespace, data: Path) -> Result:
    store_dir = args.cache / "embedded-store"
    shutil.rmtree(store_dir, ignore_errors=True)
    print("loader into the embedded store", flush=True)
    try:
        done = run_child("load", f"embedded:{store_dir}", data, args.batch, args.cache)
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)
    return Result("embedded chanjiao load", done["rows"], done["written"], done["seconds"], done["peak_mb"], done["cpu"])


def report(args: argparse.Namespace, results: list[Result]) -> None:
    baseline = next((result for result in results if "UNWIND" in result.name), None)
    print(f"\nscale {args.scale} (seed {args.seed}), batches of {args.batch:,}; peak MB = ru_maxrss of the "
          "loading process, srv MB = Neo4j server RSS after the phase")
    print(HEADER)
    for result in results:
        print(result.line(None if result is baseline else baseline))
    if args.scale != FULL_SCALE and results and args.extrapolate:
        full = dataset(args.cache, FULL_SCALE, args.seed)
        rows, writes = planned_writes(full)
        print(f"\nEXTRAPOLATED, not measured: scale {FULL_SCALE} has {rows:,} rows and {writes:,} writes (counted in "
              f"{full}); each phase at the writes/s measured above:")
        for result in results:
            seconds = writes / (result.written / result.seconds)
            print(f"  {result.name:<26} ~{seconds / 60:6.1f} min")


def planned_writes(folder: Path) -> tuple[int, int]:
    """(rows, nodes + relationships) a clean load of a generated folder writes: a node or a
    relationship per row, plus a relationship per key named in a node's reference columns."""
    from graph.model import NODES_BY_TABLE
    from graph.validation import LIST_SEPARATOR

    rows = writes = 0
    for path in sorted(folder.glob("*.csv")):
        kind = NODES_BY_TABLE.get(path.stem)
        columns = [ref.column for ref in kind.references] if kind else []
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                rows += 1
                writes += 1 + sum(len([key for key in (row.get(name) or "").split(LIST_SEPARATOR) if key]) for name in columns)
    return rows, writes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=FULL_SCALE, help=f"dataset scale ({FULL_SCALE} ≈ 1M nodes)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--stores", default="neo4j,embedded", help="comma-separated: neo4j, embedded")
    parser.add_argument("--batch", type=int, default=5000, help="rows per write batch (CHANJIAO_BATCH_SIZE's default)")
    parser.add_argument("--heap", default="1g", help="heap of the local Neo4j this run starts")
    parser.add_argument("--no-extrapolate", dest="extrapolate", action="store_false",
                        help=f"below scale {FULL_SCALE}, skip generating that dataset to extrapolate to it")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where datasets and scratch stores go")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--uri", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args.uri, args.data, args.batch, args.cache)))
        return
    args.cache.mkdir(parents=True, exist_ok=True)
    data = dataset(args.cache, args.scale, args.seed)
    stores = args.stores.split(",")
    results = bench_neo4j(args, data) if "neo4j" in stores else []
    if "embedded" in stores:
        results.append(bench_embedded(args, data))
    report(args, results)


if __name__ == "__main__":
    main()
