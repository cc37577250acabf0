"""The analyses themselves, on an `AnalysisGraph`: igraph for centrality,
communities and cores; sparse matrix products (scipy) for pair scores. Each returns plain arrays
indexed like `AnalysisGraph.ids`; `tests/test_analytics.py` checks them against networkx.

Scales match networkx's defaults: degree centrality is degree / (n − 1); betweenness is
normalised by (n − 1)(n − 2) / 2 pairs; PageRank uses damping 0.85.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Final, TypeVar

import igraph as ig
import numpy as np
import scipy.sparse as sp

from queries.analysis_graph import AnalysisGraph
from queries.cancellation import check, in_child_process

PAGERANK_MAX_ITERATIONS: Final = 1000
ROW_CHUNK: Final = 4096
BLOCK_ENTRIES: Final = 5_000_000
# Scores equal in exact arithmetic may differ in the last bits after summation in another order.
SCORE_DIGITS: Final = 12
_IGRAPH_RNG = threading.Lock()
T = TypeVar("T")
# igraph keeps the GIL through a call: betweenness runs from a few sources at a time, each step
# about this long, so the API's event loop gets its turn and a cancelled run stops between steps.
BETWEENNESS_STEP_SECONDS: Final = 0.005
# Community detection and core numbers are single igraph calls: on a graph with more edges than
# this (Louvain took about 1 s on 50,000 edges without community structure) they run in a forked
# child process, so the API keeps serving and a deadline can stop them.
CHILD_PROCESS_EDGES: Final = 20_000


def degree(graph: AnalysisGraph) -> np.ndarray:
    n = graph.size
    return graph.degrees / (n - 1) if n > 1 else np.ones(n)


def betweenness(graph: AnalysisGraph, cutoff: int | None = None, sample: int | None = None, seed: int = 0) -> np.ndarray:
    """Exact betweenness, or only over paths of at most `cutoff` hops, or estimated from the
    shortest paths of `sample` random sources (scaled by n / sample, as networkx's `k` does):
    exact betweenness costs a breadth-first search per node, too much for a million."""
    n = graph.size
    if cutoff is not None and cutoff >= _longest_path_bound(graph.graph):
        cutoff = None  # no shortest path is longer: the exact betweenness, which runs in steps
    if sample is not None and sample < n:
        if cutoff is not None:
            raise ValueError("betweenness takes a cutoff or a sample, not both")
        sources = random.Random(seed).sample(range(n), sample)
        raw = _betweenness_from(graph.graph, sources) * n / sample
    elif cutoff is None:
        raw = _betweenness_from(graph.graph, list(range(n)))
    else:  # igraph takes a cutoff only for all sources at once: one call that keeps the GIL
        raw = np.asarray(in_child_process(partial(graph.graph.betweenness, directed=False, cutoff=cutoff)), dtype=float)
    return raw * 2 / ((n - 1) * (n - 2)) if n > 2 else raw


def _longest_path_bound(g: ig.Graph) -> int:
    """A bound on the length of every shortest path: a component's diameter is at most twice the
    eccentricity of any of its nodes (one breadth-first search per component)."""
    firsts = [members[0] for members in g.connected_components() if members]
    return 2 * int(max(g.eccentricity(vertices=firsts))) if firsts else 0


def _betweenness_from(g: ig.Graph, sources: list[int]) -> np.ndarray:
    """Betweenness over the shortest paths from `sources` (every node's, for the exact value),
    summed over steps of a few sources each, sized to take about `BETWEENNESS_STEP_SECONDS`."""
    total = np.zeros(g.vcount())
    start, step = 0, 1
    while start < len(sources):
        check()
        time.sleep(0)  # hands the GIL to a thread waiting for it (the event loop) between steps
        began = time.perf_counter()
        total += np.asarray(g.betweenness(directed=False, sources=sources[start:start + step]), dtype=float)
        start += step
        took = time.perf_counter() - began
        step = max(1, min(step * 2, int(step * BETWEENNESS_STEP_SECONDS / took))) if took > 0 else step * 2
    return total


def pagerank(graph: AnalysisGraph, damping: float = 0.85, tolerance: float = 1e-10) -> np.ndarray:
    """Power iteration on the sparse adjacency, as networkx's `pagerank` (isolated nodes spread
    their rank evenly), until the ranks change by less than `tolerance` in total. On a
    million-node graph it measured several times faster than igraph's PRPACK and ARPACK."""
    n = graph.size
    if n == 0:
        return np.empty(0)
    degrees = graph.degrees
    dangling = degrees == 0
    inverse = np.divide(1.0, degrees, out=np.zeros(n), where=~dangling)
    ranks = np.full(n, 1.0 / n)
    for _ in range(PAGERANK_MAX_ITERATIONS):
        check()
        spread = damping * (graph.adjacency @ (ranks * inverse))
        updated = spread + (damping * ranks[dangling].sum() + 1 - damping) / n
        change = np.abs(updated - ranks).sum()
        ranks = updated
        if change < tolerance:
            break
    return ranks


def k_core(graph: AnalysisGraph) -> np.ndarray:
    """Each node's core number: the largest k such that it belongs to a k-core."""
    return np.asarray(_held_apart(graph.graph, graph.graph.coreness), dtype=np.int64)


@dataclass(frozen=True)
class Partition:
    membership: np.ndarray  # community per node, numbered largest first
    modularity: float


def _held_apart(g: ig.Graph, call: Callable[[], T]) -> T:
    """`call()` here on a small graph, in a child process on a large one (see CHILD_PROCESS_EDGES)."""
    return in_child_process(call) if _large(g) else call()


def _large(g: ig.Graph) -> bool:
    return g.ecount() > CHILD_PROCESS_EDGES


def _seeded(g: ig.Graph, seed: int, detect: Callable[[], ig.VertexClustering]) -> list[int]:
    # igraph draws its randomness from a process-wide generator: seed it for this call only. A
    # child process has its own generator and one thread, so it takes no lock (a lock another
    # thread held at the fork would never be released in the child).
    if _large(g):
        return in_child_process(partial(_membership, seed, detect))
    with _IGRAPH_RNG:
        return _membership(seed, detect)


def _membership(seed: int, detect: Callable[[], ig.VertexClustering]) -> list[int]:
    ig.set_random_number_generator(random.Random(seed))
    try:
        return list(detect().membership)
    finally:
        ig.set_random_number_generator(random)


def louvain(graph: AnalysisGraph, resolution: float = 1.0, seed: int = 0) -> Partition:
    membership = _seeded(graph.graph, seed, lambda: graph.graph.community_multilevel(resolution=resolution))
    return _partition(graph.graph, membership, resolution)


def leiden(graph: AnalysisGraph, resolution: float = 1.0, seed: int = 0) -> Partition:
    """igraph's own Leiden on modularity, iterated until stable: on the project's graphs it
    measured 10–20x faster than leidenalg with a partition at least as modular."""
    membership = _seeded(graph.graph, seed, lambda: graph.graph.community_leiden(
        objective_function="modularity", resolution=resolution, n_iterations=-1,
    ))
    return _partition(graph.graph, membership, resolution)


def _partition(g: ig.Graph, membership: list[int], resolution: float) -> Partition:
    """Communities renumbered by size (largest first), ties by their first node."""
    labels = np.asarray(membership, dtype=np.int64)
    if labels.size == 0:
        return Partition(labels, 0.0)
    sizes = np.bincount(labels)
    first = np.full(sizes.size, labels.size)
    np.minimum.at(first, labels, np.arange(labels.size))
    order = np.lexsort((first, -sizes))
    renumber = np.empty_like(order)
    renumber[order] = np.arange(order.size)
    modularity = g.modularity(membership, resolution=resolution) if g.ecount() else 0.0
    return Partition(renumber[labels], float(modularity))


@dataclass(frozen=True)
class Pairs:
    """Scored node pairs, best first: `source[i]`, `target[i]` index `AnalysisGraph.ids`."""

    source: np.ndarray
    target: np.ndarray
    score: np.ndarray

    @classmethod
    def empty(cls) -> Pairs:
        nothing = np.empty(0, dtype=np.int64)
        return cls(nothing, nothing, np.empty(0))


def top_pairs(blocks: Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]], first: int) -> Pairs:
    """The `first` best (row, col, score) entries over all blocks, by score then indexes."""
    best = Pairs.empty()
    for rows, cols, scores in blocks:
        if scores.size > first:  # cheap cut before sorting; ties at the threshold stay
            keep = _rounded(scores) >= _rounded(np.partition(scores, -first)[-first])
            rows, cols, scores = rows[keep], cols[keep], scores[keep]
        merged = (np.concatenate([best.source, rows]), np.concatenate([best.target, cols]),
                  np.concatenate([best.score, scores]))
        order = np.lexsort((merged[1], merged[0], -_rounded(merged[2])))[:first]
        best = Pairs(merged[0][order], merged[1][order], merged[2][order])
    return best


def _rounded(scores: np.ndarray | np.floating) -> np.ndarray:
    return np.round(scores, SCORE_DIGITS)


def _blocks(
    left: sp.csr_array, right_t: sp.csr_array, rows: np.ndarray, cols: np.ndarray
) -> Iterator[tuple[np.ndarray, np.ndarray, sp.csr_array]]:
    """`left[rows] @ right_t[cols].T`, as many rows at a time as keep a block's entries under
    `BLOCK_ENTRIES`, as (global rows, global cols, block)."""
    right = right_t[cols].T.tocsc()
    per_column = np.diff(right.tocsr().indptr)  # how many cols each shared column reaches
    costs = np.asarray(left[rows].astype(bool).astype(np.float64) @ per_column.astype(np.float64)).ravel()
    for chunk in _chunks(rows, costs):
        check()
        yield chunk, cols, sp.csr_array(left[chunk] @ right)


def _chunks(rows: np.ndarray, costs: np.ndarray) -> Iterator[np.ndarray]:
    start, total = 0, 0.0
    for end, cost in enumerate(costs):
        if end > start and (total + cost > BLOCK_ENTRIES or end - start >= ROW_CHUNK):
            yield rows[start:end]
            start, total = end, 0.0
        total += cost
    if start < rows.size:
        yield rows[start:]


def _entries(
    chunk: np.ndarray, cols: np.ndarray, block: sp.csr_array, upper: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    coo = block.tocoo()
    rows, targets = chunk[coo.row], cols[coo.col]
    keep = (coo.data != 0) & ((rows < targets) if upper else (rows != targets))
    return rows[keep], targets[keep], coo.data[keep]


LINK_WEIGHTS: Final = ("common_neighbours", "adamic_adar", "resource_allocation")


def neighbour_weights(graph: AnalysisGraph, method: str) -> np.ndarray:
    """How much a shared neighbour of degree d adds: 1, 1 / log d, or 1 / d."""
    degrees = graph.degrees
    if method == "common_neighbours":
        return np.ones_like(degrees)
    with np.errstate(divide="ignore"):
        weights = 1 / np.log(degrees) if method == "adamic_adar" else 1 / degrees
    weights[~np.isfinite(weights)] = 0.0  # degree 0 or 1: never a shared neighbour
    return weights


def link_scores(graph: AnalysisGraph, method: str, between: tuple[str, str], first: int) -> Pairs:
    """Unlinked pairs (one of each label) scored over their shared neighbours."""
    adjacency = graph.adjacency
    weighted = sp.csr_array(adjacency @ sp.diags_array(neighbour_weights(graph, method)))
    rows, cols = graph.of_label(between[0]), graph.of_label(between[1])
    upper = between[0] == between[1]

    def blocks() -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        for chunk, targets, block in _blocks(weighted, adjacency, rows, cols):
            linked = sp.csr_array(adjacency[chunk][:, targets]).astype(bool)
            yield _entries(chunk, targets, sp.csr_array(block - block.multiply(linked)), upper)

    return top_pairs(blocks(), first)


def jaccard_scores(graph: AnalysisGraph, rows: np.ndarray, cols: np.ndarray, first: int) -> Pairs:
    """|N(u) ∩ N(v)| / |N(u) ∪ N(v)| for pairs sharing a neighbour (row < col when the sets
    are the same)."""
    adjacency, degrees = graph.adjacency, graph.degrees
    upper = rows.size == cols.size and bool(np.all(rows == cols))

    def blocks() -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        for chunk, targets, block in _blocks(adjacency, adjacency, rows, cols):
            sources, ends, shared = _entries(chunk, targets, block, upper)
            yield sources, ends, shared / (degrees[sources] + degrees[ends] - shared)

    return top_pairs(blocks(), first)


def shared_counts(graph: AnalysisGraph, pairs: Pairs) -> np.ndarray:
    """How many neighbours each pair shares (for the pairs already chosen)."""
    adjacency = graph.adjacency
    return np.asarray(
        [adjacency[[i]].multiply(adjacency[[j]]).sum() for i, j in zip(pairs.source, pairs.target, strict=True)],
        dtype=np.int64,
    )


PROJECTION_LINKS: Final = {"disciplines": ("OFFERS", "DEMANDS"), "alliances": ("MEMBER_OF",)}


def projection_scores(graph: AnalysisGraph, between: tuple[str, str], first: int) -> tuple[Pairs, dict[str, np.ndarray]]:
    """The weighted projection of organisations through what they share: disciplines (a school
    offers what an enterprise demands) and alliances (both are members). Weight = shared
    disciplines + shared alliances; returns the best pairs and each part's count."""
    matrices = {part: graph.typed_matrix(*types) for part, types in PROJECTION_LINKS.items()}
    combined = sp.csr_array(matrices["disciplines"] + matrices["alliances"])  # distinct columns
    rows, cols = graph.of_label(between[0]), graph.of_label(between[1])
    upper = between[0] == between[1]
    blocks = (_entries(c, t, b, upper) for c, t, b in _blocks(combined, combined, rows, cols))
    best = top_pairs(blocks, first)
    parts = {
        part: np.asarray([matrix[[i]].multiply(matrix[[j]]).sum() for i, j in zip(best.source, best.target, strict=True)])
        for part, matrix in matrices.items()
    }
    return best, parts

