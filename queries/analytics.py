"""Graph analyses for researchers (DESIGN §4): centrality, communities, k-cores, the
school–enterprise projection, link prediction and node similarity on any selected subgraph.

Each call projects the selection (`graph.projection`), runs the engine (`queries.algorithms`:
igraph, scipy) and says when and on which data version it computed. Results and projected
graphs are kept per store for its current data version (`queries.memo`), keyed by selection,
algorithm and parameters, so a repeated question on unchanged data is answered from memory (and
says `cached`); the first call after a write recomputes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Final, Generic, TypeVar

import numpy as np

from graph.model import node_kind
from graph.projection import Selection, check_bound
from graph.records import NodeRef
from graph.store import GraphStore
from queries import algorithms
from queries.analysis_graph import AnalysisGraph, analysis_graph
from queries.memo import VersionedMemo
from queries.synthetic import SyntheticShare

T = TypeVar("T")
CENTRALITY: Final = ("degree", "betweenness", "pagerank")
COMMUNITY_METHODS: Final = ("louvain", "leiden")
LINK_METHODS: Final = algorithms.LINK_WEIGHTS
ALGORITHMS: Final = (*CENTRALITY, *COMMUNITY_METHODS, "kcore", "projection", *LINK_METHODS, "jaccard")
MAX_ROWS: Final = 1000
RESULTS_PER_STORE: Final = 32
GRAPHS_PER_STORE: Final = 2
PROJECTION_TYPES: Final = ("OFFERS", "DEMANDS", "MEMBER_OF")


@dataclass(frozen=True)
class Computed:
    """What an analysis ran on and when: answers from the cache keep their first `computed_at`."""

    algorithm: str
    engine: str
    parameters: dict[str, Any]
    selection: str
    data_version: str
    computed_at: str
    nodes: int
    relationships: int
    synthetic: SyntheticShare
    cached: bool = False


@dataclass(frozen=True)
class NodeInfo:
    id: str
    label: str
    key: str
    name: str | None


@dataclass(frozen=True)
class NodeScore:
    node: NodeInfo
    score: float


@dataclass(frozen=True)
class Ranking:
    computed: Computed
    rows: list[NodeScore]


@dataclass(frozen=True)
class KCore:
    """The nodes of the k-core (core number ≥ k), highest core number first."""

    computed: Computed
    k: int
    max_core: int
    size: int
    rows: list[NodeScore]


@dataclass(frozen=True)
class Community:
    id: int
    size: int
    members: list[NodeInfo]  # best connected first, at most the requested number


@dataclass(frozen=True)
class Communities:
    computed: Computed
    modularity: float
    count: int
    communities: list[Community]


@dataclass(frozen=True)
class PairScore:
    source: NodeInfo
    target: NodeInfo
    score: float
    shared: int
    parts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PairRanking:
    computed: Computed
    rows: list[PairScore]


# -- cache ------------------------------------------------------------------------------------


@dataclass
class _Entry(Generic[T]):
    computed: Computed
    graph: AnalysisGraph
    value: T


# Results and projected graphs of each store, for its current data version only.
RESULTS = VersionedMemo(RESULTS_PER_STORE)
GRAPHS = VersionedMemo(GRAPHS_PER_STORE)


@dataclass(frozen=True)
class _Job(Generic[T]):
    algorithm: str
    engine: str
    parameters: Mapping[str, Any]
    compute: Callable[[AnalysisGraph], T]


def _analyse(store: GraphStore, selection: Selection, job: _Job[T], max_elements: int | None) -> _Entry[T]:
    """The job's result on the selection, from the memo when the data has not changed."""
    computed_now: list[bool] = []

    def compute(version: str) -> _Entry[T]:
        def project(version: str) -> AnalysisGraph:
            return analysis_graph(store.projection().subgraph(selection, max_elements))

        graph = GRAPHS.get(store, selection, project, version)
        value = job.compute(graph)
        computed = Computed(
            job.algorithm, job.engine, dict(job.parameters), selection.describe(), version,
            datetime.now(UTC).isoformat(timespec="seconds"), graph.size, graph.relationships,
            SyntheticShare(graph.size + graph.relationships, graph.synthetic, "nodes and relationships analysed"),
        )
        computed_now.append(True)
        return _Entry(computed, graph, value)

    entry = RESULTS.get(store, (job.algorithm, tuple(sorted(job.parameters.items())), selection), compute)
    return entry if computed_now else _Entry(replace(entry.computed, cached=True), entry.graph, entry.value)


# -- analyses ---------------------------------------------------------------------------------


def node_info(graph: AnalysisGraph, index: int) -> NodeInfo:
    nid = graph.ids[index]
    return NodeInfo(nid, graph.labels[index], nid.split(":", 1)[1], graph.names[index])


def _check_first(first: int) -> int:
    return check_bound("first", first, 0, MAX_ROWS)


def _ranked(graph: AnalysisGraph, scores: np.ndarray, first: int) -> list[NodeScore]:
    """Highest score first, ties in id order (ids are sorted, so index order is id order)."""
    order = np.lexsort((np.arange(scores.size), -np.round(scores, algorithms.SCORE_DIGITS)))[:first]
    return [NodeScore(node_info(graph, int(i)), float(scores[i])) for i in order]


def centrality(
    store: GraphStore, selection: Selection, measure: str = "pagerank", first: int = 20,
    cutoff: int | None = None, max_elements: int | None = None, sample: int | None = None,
) -> Ranking:
    """Degree, betweenness (optionally only over paths of at most `cutoff` hops, or estimated
    from `sample` random sources) or PageRank."""
    if sample is not None:
        check_bound("sample", sample, 1, 1_000_000)
    computations: dict[str, Callable[[AnalysisGraph], np.ndarray]] = {
        "degree": algorithms.degree,
        "betweenness": lambda graph: algorithms.betweenness(graph, cutoff, sample),
        "pagerank": algorithms.pagerank,
    }
    if measure not in computations:
        raise ValueError(f"unknown centrality {measure!r}; expected one of {', '.join(CENTRALITY)}")
    given = {"cutoff": cutoff, "sample": sample}
    parameters = {name: value for name, value in given.items() if value is not None} if measure == "betweenness" else {}
    engine = "scipy" if measure == "pagerank" else "igraph"
    entry = _analyse(store, selection, _Job(measure, engine, parameters, computations[measure]), max_elements)
    return Ranking(entry.computed, _ranked(entry.graph, entry.value, _check_first(first)))


def k_core(
    store: GraphStore, selection: Selection, k: int | None = None, first: int = 100, max_elements: int | None = None
) -> KCore:
    """The k-core (every node with at least k neighbours inside it); k defaults to the largest."""
    entry = _analyse(store, selection, _Job("kcore", "igraph", {}, algorithms.k_core), max_elements)
    cores = entry.value
    max_core = int(cores.max()) if cores.size else 0
    wanted = max_core if k is None else check_bound("k", k, 0, 1_000_000)
    inside = np.where(cores >= wanted, cores, -1)
    rows = [row for row in _ranked(entry.graph, inside, _check_first(first)) if row.score >= 0]
    return KCore(entry.computed, wanted, max_core, int((cores >= wanted).sum()), rows)


def communities(
    store: GraphStore, selection: Selection, method: str = "leiden", resolution: float = 1.0, seed: int = 0,
    first: int = 20, members: int = 20, max_elements: int | None = None,
) -> Communities:
    """Louvain or Leiden (both igraph) modularity communities, largest first."""
    if method not in COMMUNITY_METHODS:
        raise ValueError(f"unknown community method {method!r}; expected one of {', '.join(COMMUNITY_METHODS)}")
    if resolution <= 0:
        raise ValueError(f"resolution must be positive, not {resolution}")
    detect = algorithms.louvain if method == "louvain" else algorithms.leiden
    job = _Job(method, "igraph",
               {"resolution": resolution, "seed": seed}, lambda graph: detect(graph, resolution, seed))
    entry = _analyse(store, selection, job, max_elements)
    partition, graph = entry.value, entry.graph
    found = [_community(graph, partition.membership, c, members) for c in range(min(_check_first(first), _count(partition)))]
    return Communities(entry.computed, partition.modularity, _count(partition), found)


def _count(partition: algorithms.Partition) -> int:
    return int(partition.membership.max()) + 1 if partition.membership.size else 0


def _community(graph: AnalysisGraph, membership: np.ndarray, community: int, members: int) -> Community:
    inside = np.flatnonzero(membership == community)
    order = inside[np.lexsort((inside, -graph.degrees[inside]))][: check_bound("members", members, 0, MAX_ROWS)]
    return Community(community, int(inside.size), [node_info(graph, int(i)) for i in order])


def _check_labels(between: tuple[str, str]) -> tuple[str, str]:
    return node_kind(between[0]).label, node_kind(between[1]).label


def link_prediction(
    store: GraphStore, selection: Selection, method: str = "adamic_adar",
    between: tuple[str, str] = ("School", "Enterprise"), first: int = 20, max_elements: int | None = None,
) -> PairRanking:
    """Pairs (one of each label in `between`) not linked yet, ranked by their shared neighbours:
    Adamic–Adar (Σ 1/log degree), resource allocation (Σ 1/degree) or common neighbours.
    With the default labels these are partner recommendations: schools and enterprises that do
    not cooperate yet."""
    if method not in LINK_METHODS:
        raise ValueError(f"unknown link prediction method {method!r}; expected one of {', '.join(LINK_METHODS)}")
    between, first = _check_labels(between), _check_first(first)
    parameters = {"between": between, "first": first}
    job = _Job(method, "scipy", parameters, lambda graph: algorithms.link_scores(graph, method, between, first))
    entry = _analyse(store, selection, job, max_elements)
    shared = algorithms.shared_counts(entry.graph, entry.value)
    return PairRanking(entry.computed, _pair_rows(entry.graph, entry.value, shared))


def _pair_rows(
    graph: AnalysisGraph, pairs: algorithms.Pairs, shared: np.ndarray, parts: Mapping[str, np.ndarray] | None = None
) -> list[PairScore]:
    return [
        PairScore(
            node_info(graph, int(i)), node_info(graph, int(j)), float(score), int(count),
            {name: int(values[row]) for name, values in (parts or {}).items()},
        )
        for row, (i, j, score, count) in enumerate(zip(pairs.source, pairs.target, pairs.score, shared, strict=True))
    ]


def similarity(
    store: GraphStore, selection: Selection, node: NodeRef | None = None, label: str | None = None,
    first: int = 20, max_elements: int | None = None,
) -> PairRanking:
    """Jaccard similarity of neighbour sets: the nodes most like `node` (of its label unless
    `label` says otherwise), or without `node` the most alike pairs of `label`."""
    if node is None and label is None:
        raise ValueError("similarity needs a node, a label, or both")
    target_label = node_kind(label or node.label).label  # type: ignore[union-attr]
    first = _check_first(first)
    center = f"{node.label}:{node.key}" if node else None
    parameters = {"node": center, "label": target_label, "first": first}

    def compute(graph: AnalysisGraph) -> algorithms.Pairs:
        cols = graph.of_label(target_label)
        if center is None:
            return algorithms.jaccard_scores(graph, cols, cols, first)
        if center not in graph.index:
            raise KeyError(f"{center} is not in the selected subgraph ({selection.describe()})")
        return algorithms.jaccard_scores(graph, np.asarray([graph.index[center]]), cols, first)

    entry = _analyse(store, selection, _Job("jaccard", "scipy", parameters, compute), max_elements)
    return PairRanking(entry.computed, _pair_rows(entry.graph, entry.value, algorithms.shared_counts(entry.graph, entry.value)))


def school_enterprise_projection(
    store: GraphStore, selection: Selection, between: tuple[str, str] = ("School", "Enterprise"),
    first: int = 20, max_elements: int | None = None,
) -> PairRanking:
    """The bipartite-to-unipartite projection: pairs of organisations weighted by the disciplines
    they share (offered by the school, demanded by the enterprise) plus the alliances they
    share; only `OFFERS`, `DEMANDS` and `MEMBER_OF` of the selection are projected."""
    between, first = _check_labels(between), _check_first(first)
    kept = tuple(t for t in (selection.rel_types or PROJECTION_TYPES) if t in PROJECTION_TYPES)
    if not kept:
        raise ValueError(f"the projection follows {', '.join(PROJECTION_TYPES)}; the selection keeps none of them")
    narrowed = replace(selection, rel_types=kept)
    job = _Job("projection", "scipy", {"between": between, "first": first},
               lambda graph: algorithms.projection_scores(graph, between, first))
    entry = _analyse(store, narrowed, job, max_elements)
    best, parts = entry.value
    return PairRanking(entry.computed, _pair_rows(entry.graph, best, best.score, parts))
