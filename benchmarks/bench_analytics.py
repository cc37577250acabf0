"""Analyses at scale: projection time, each algorithm through `queries.algorithms` against
networkx and against the engine called directly (igraph, leidenalg, scipy), and peak memory.

    .venv/bin/python benchmarks/bench_analytics.py --scale 450 --work /tmp/bench-analytics
    .venv/bin/python benchmarks/bench_analytics.py --scale 450 --store bolt://127.0.0.1:7687

The dataset is `loaders.synthetic` at `--scale` (about 2,200 nodes per unit: 450 ≈ 1M nodes),
generated and loaded once into `--work` (or into `--store`). networkx runs an algorithm only
where it can finish: on graphs above `--networkx-max-nodes` it gets a random sample of the work
(`*` marks a time extrapolated linearly from that sample). Ratios above 1 mean that many times
slower than ours. Peak memory is the process's maximum resident set after each phase.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import igraph as ig
import leidenalg
import networkx as nx
import numpy as np
import scipy.sparse as sp

from chanjiao.stores import open_configured
from graph.model import NODE_KINDS, REL_TABLES, RELS
from graph.projection import Selection
from graph.store import GraphStore
from queries import algorithms
from queries.analysis_graph import AnalysisGraph, analysis_graph, simple_pairs

SAMPLE_SOURCES = 64


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


@dataclass
class Row:
    algorithm: str
    ours: float
    networkx: float | None = None
    direct: float | None = None
    extrapolated: bool = False

    def line(self) -> str:
        nx_text = "n/a" if self.networkx is None else f"{self.networkx:9.2f}{'*' if self.extrapolated else ' '}"
        nx_ratio = "" if self.networkx is None else f"{self.networkx / self.ours:8.1f}x"
        direct = "n/a" if self.direct is None else f"{self.direct:8.2f}"
        direct_ratio = "" if self.direct is None else f"{self.ours / self.direct:6.2f}x"
        return f"{self.algorithm:<20}{self.ours:9.2f}  {nx_text:>11}{nx_ratio:>10}  {direct:>9}{direct_ratio:>8}  {peak_mb():8.0f}"


def prepare(args: argparse.Namespace) -> GraphStore:
    """The store holding the dataset at `--scale`: generated and loaded on first use."""
    from loaders.run import LoadOptions, load
    from loaders.run import prepare as plan_load
    from loaders.synthetic import generate

    data = args.work / f"data-{args.scale}"
    store = open_configured(args.store or f"embedded:{args.work / f'store-{args.scale}'}")
    if sum(store.stats().nodes.values()) == 0:
        if not data.exists():
            seconds, _ = timed(lambda: generate(data, scale=args.scale))
            print(f"generated scale {args.scale} in {seconds:.0f} s", flush=True)
        options = LoadOptions(rejects_dir=args.work / "rejects", batch_size=20_000)
        store.ensure_schema()
        seconds, _ = timed(lambda: load(plan_load([data], options), store, options))
        print(f"loaded in {seconds:.0f} s", flush=True)
    return store


def graph_from_files(data: Path) -> AnalysisGraph:
    """The dataset's tables straight into arrays, without a store: for algorithm timings at
    sizes whose projection does not fit beside a store in this machine's memory."""
    labels: dict[str, str] = {}
    typed: dict[str, list[tuple[str, str]]] = {}
    for kind in NODE_KINDS:
        for row in _rows(data / f"{kind.table}.csv"):
            key = f"{kind.label}:{row[kind.key]}"
            labels[key] = kind.label
            for ref in kind.references:
                for target in filter(None, (row.get(ref.column) or "").split(";")):
                    typed.setdefault(ref.rel_type, []).append((key, f"{ref.target}:{target}"))
    for table in REL_TABLES:
        sources = RELS[table.rel_type].sources
        for row in _rows(data / f"{table.table}.csv"):
            source = next((f"{s}:{row[table.source_column]}" for s in sources if f"{s}:{row[table.source_column]}" in labels), None)
            if source:
                typed.setdefault(table.rel_type, []).append((source, f"{RELS[table.rel_type].target}:{row[table.target_column]}"))
    ids = sorted(labels)
    index = {nid: i for i, nid in enumerate(ids)}
    arrays = {t: np.asarray([(index[a], index[b]) for a, b in edges if a in index and b in index], dtype=np.int64).reshape(-1, 2)
              for t, edges in typed.items()}
    count = sum(len(edges) for edges in arrays.values())
    return AnalysisGraph(ids, [labels[i] for i in ids], [None] * len(ids), simple_pairs(arrays.values(), len(ids)), arrays, count)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from csv.DictReader(handle)


@dataclass(frozen=True)
class Sample:
    """How to time networkx on part of the work: `run(graph, fraction)` does about `fraction`
    of it, and its time is scaled up by 1 / fraction."""

    run: Callable[[nx.Graph, float], Any]
    fraction: Callable[[nx.Graph], float]


def networkx_timing(graph: nx.Graph, full: Callable[[nx.Graph], Any], sample: Sample | None, limit: int,
                    always: bool) -> tuple[float | None, bool]:
    """networkx's time: the whole run when the graph is small enough (or `always`), else on a
    sample scaled up; None when neither is reasonable."""
    if always or graph.number_of_nodes() <= limit:
        return timed(lambda: full(graph))[0], False
    if sample is None:
        return None, False
    fraction = sample.fraction(graph)
    seconds, _ = timed(lambda: sample.run(graph, fraction))
    return seconds / fraction, True


def simple_graph(graph: AnalysisGraph) -> nx.Graph:
    simple = nx.Graph()
    simple.add_nodes_from(range(graph.size))
    simple.add_edges_from(graph.pairs.tolist())
    return simple


def sample_of(items: list[Any], fraction: float, seed: int = 1) -> list[Any]:
    return random.Random(seed).sample(items, max(1, int(len(items) * fraction)))


def benchmark(graph: AnalysisGraph, limit: int, only: list[str] | None = None) -> list[Row]:
    rows: list[Row] = []
    g: ig.Graph = graph.graph  # built once, as the engine-direct baseline would be
    simple = simple_graph(graph)
    schools, enterprises = graph.of_label("School"), graph.of_label("Enterprise")
    sources = random.Random(0).sample(range(graph.size), SAMPLE_SOURCES)

    def add(name: str, ours: Callable[[], Any], direct: Callable[[], Any] | None,
            full: Callable[[nx.Graph], Any] | None, sample: Sample | None = None, always: bool = False) -> None:
        if only and name.split()[0] not in only:
            return
        ours_time, _ = timed(ours)
        direct_time = timed(direct)[0] if direct else None
        nx_time, extrapolated = networkx_timing(simple, full, sample, limit, always) if full else (None, False)
        rows.append(Row(name, ours_time, nx_time, direct_time, extrapolated))
        print(rows[-1].line(), flush=True)

    add("degree", lambda: algorithms.degree(graph), lambda: g.degree(), nx.degree_centrality, always=True)
    # Ours is a scipy power iteration; the engine column is igraph's PRPACK, the other fast path.
    add("pagerank", lambda: algorithms.pagerank(graph), lambda: g.pagerank(directed=False), nx.pagerank, always=True)
    add(f"betweenness k={SAMPLE_SOURCES}", lambda: algorithms.betweenness(graph, sample=SAMPLE_SOURCES),
        lambda: g.betweenness(directed=False, sources=sources),
        lambda s: nx.betweenness_centrality(s, k=SAMPLE_SOURCES, seed=0),
        Sample(lambda s, f: nx.betweenness_centrality_subset(s, sample_of(sources, f), list(s), normalized=False),
               lambda s: 4 / SAMPLE_SOURCES))
    # networkx's core_number removes from neighbour lists (quadratic in a hub's degree): at 1M
    # nodes it ran over 20 minutes without finishing, so only below the limit.
    add("kcore", lambda: algorithms.k_core(graph), lambda: g.coreness(), nx.core_number)
    add("louvain", lambda: algorithms.louvain(graph), lambda: g.community_multilevel(),
        lambda s: nx.community.louvain_communities(s, seed=0))
    add("leiden", lambda: algorithms.leiden(graph),
        lambda: g.community_leiden(objective_function="modularity", n_iterations=-1), None)
    add("leiden (leidenalg)", lambda: algorithms.leiden(graph),
        lambda: leidenalg.find_partition(g, leidenalg.ModularityVertexPartition, seed=0, n_iterations=2), None)
    pairs = [(int(s), int(e)) for s in schools for e in enterprises]
    add("adamic-adar top 20", lambda: algorithms.link_scores(graph, "adamic_adar", ("School", "Enterprise"), 20),
        lambda: _scipy_link(graph, schools, enterprises), lambda s: list(nx.adamic_adar_index(s, pairs)),
        Sample(lambda s, f: list(nx.adamic_adar_index(s, sample_of(pairs, f))), lambda s: min(1.0, 20_000 / max(1, len(pairs)))))
    one = int(enterprises[0]) if enterprises.size else 0
    add("jaccard 1 vs all ent.", lambda: algorithms.jaccard_scores(graph, np.asarray([one]), enterprises, 20),
        lambda: g.similarity_jaccard(pairs=[(one, int(e)) for e in enterprises]),
        lambda s: list(nx.jaccard_coefficient(s, [(one, int(e)) for e in enterprises])), always=True)
    add("projection top 20", lambda: algorithms.projection_scores(graph, ("School", "Enterprise"), 20),
        lambda: _scipy_projection(graph, schools, enterprises), None)
    return rows


def _scipy_link(graph: AnalysisGraph, schools: np.ndarray, enterprises: np.ndarray) -> Any:
    """The same scores as one unchunked sparse product (no exclusion, no ranking)."""
    weights = algorithms.neighbour_weights(graph, "adamic_adar")
    adjacency = graph.adjacency
    return adjacency[schools] @ sp.diags_array(weights) @ adjacency[:, enterprises]


def _scipy_projection(graph: AnalysisGraph, schools: np.ndarray, enterprises: np.ndarray) -> Any:
    ties = graph.typed_matrix("OFFERS", "DEMANDS", "MEMBER_OF")
    return ties[schools] @ ties[enterprises].T


def generate_dataset(data: Path, scale: int) -> None:
    from loaders.synthetic import generate

    generate(data, scale=scale)


def project(store: GraphStore) -> nx.MultiDiGraph:
    try:
        projection = store.projection()
        seconds, subgraph = timed(lambda: projection.subgraph(Selection.of()))
    finally:
        store.close()
    print(f"projection ({type(projection).__name__}): {subgraph.number_of_nodes()} nodes, "
          f"{subgraph.number_of_edges()} relationships in {seconds:.1f} s; peak {peak_mb():.0f} MB", flush=True)
    return subgraph


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=450)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-analytics"))
    parser.add_argument("--store", help="a store URI instead of an embedded store under --work")
    parser.add_argument("--networkx-max-nodes", type=int, default=200_000)
    parser.add_argument("--only", nargs="*", help="run only these algorithms (names as printed)")
    parser.add_argument("--from-files", action="store_true", help="read the generated tables, no store (no projection time)")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.from_files:
        data = args.work / f"data-{args.scale}"
        if not data.exists():
            print(f"generated in {timed(lambda: generate_dataset(data, args.scale))[0]:.0f} s", flush=True)
        seconds, graph = timed(lambda: graph_from_files(data))
    else:
        subgraph = project(prepare(args))
        seconds, graph = timed(lambda: analysis_graph(subgraph))
        del subgraph
    build, _ = timed(lambda: (graph.graph, graph.adjacency))
    print(f"to arrays {seconds:.1f} s, igraph + adjacency {build:.1f} s: {graph.size} nodes, "
          f"{len(graph.pairs)} simple ties; peak {peak_mb():.0f} MB", flush=True)
    print(f"\n{'algorithm':<20}{'ours s':>9}  {'networkx s':>11}{'nx/ours':>10}  {'engine s':>9}{'ours/eng':>8}  {'peak MB':>8}")
    benchmark(graph, args.networkx_max_nodes, args.only)
    print(f"\n* extrapolated from a sample; python {sys.version.split()[0]}, igraph {ig.__version__}, networkx {nx.__version__}")


if __name__ == "__main__":
    main()
