"""A projected subgraph in the form the fast engines want: nodes numbered in id order, an
undirected simple igraph graph, a sparse adjacency matrix and the edges of each relationship type.

Analyses treat the subgraph as undirected and simple: direction records who declared a tie, not
who benefits, and parallel relationships (`OFFERS` of several years) are one tie.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

from queries.synthetic import subgraph_share


@dataclass
class AnalysisGraph:
    ids: list[str]
    labels: list[str]
    names: list[str | None]
    pairs: np.ndarray  # (m, 2) int64: the simple undirected edges, i < j
    typed: dict[str, np.ndarray] = field(default_factory=dict)  # type → (k, 2) source, target
    relationships: int = 0  # relationships in the projection, parallel ones included
    synthetic: int = 0  # nodes and relationships of the projection that are synthetic

    @property
    def size(self) -> int:
        return len(self.ids)

    @cached_property
    def index(self) -> dict[str, int]:
        return {nid: i for i, nid in enumerate(self.ids)}

    @cached_property
    def graph(self) -> ig.Graph:
        return ig.Graph(n=self.size, edges=self.pairs, directed=False)

    @cached_property
    def adjacency(self) -> sp.csr_array:
        """Symmetric 0/1 adjacency (float64, for weighted products)."""
        return symmetric(self.pairs, self.size)

    @cached_property
    def degrees(self) -> np.ndarray:
        return np.asarray(self.adjacency.sum(axis=1)).ravel()

    def of_label(self, label: str) -> np.ndarray:
        return np.flatnonzero(np.asarray(self.labels) == label)

    def typed_matrix(self, *rel_types: str) -> sp.csr_array:
        """0/1 matrix with a 1 at (source, target) for every relationship of `rel_types`."""
        parts = [self.typed[t] for t in rel_types if t in self.typed]
        edges = np.concatenate(parts) if parts else np.empty((0, 2), dtype=np.int64)
        matrix = sp.coo_array((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(self.size, self.size)).tocsr()
        matrix.data[:] = 1.0  # duplicates summed by tocsr count once
        return matrix


def symmetric(pairs: np.ndarray, size: int) -> sp.csr_array:
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    return sp.coo_array((np.ones(len(rows)), (rows, cols)), shape=(size, size)).tocsr()


def analysis_graph(projection: nx.MultiDiGraph) -> AnalysisGraph:
    ids = sorted(projection)
    index = {nid: i for i, nid in enumerate(ids)}
    attrs = projection.nodes
    labels = [attrs[nid]["label"] for nid in ids]
    names = [attrs[nid]["properties"].get("name") for nid in ids]
    typed: dict[str, list[tuple[int, int]]] = {}
    for source, target, rel_type in projection.edges(data="type"):
        typed.setdefault(rel_type, []).append((index[source], index[target]))
    arrays = {t: np.asarray(edges, dtype=np.int64).reshape(-1, 2) for t, edges in typed.items()}
    made_up = subgraph_share(projection, "").synthetic
    return AnalysisGraph(ids, labels, names, simple_pairs(arrays.values(), len(ids)), arrays, projection.number_of_edges(), made_up)


def simple_pairs(edge_arrays: Iterable[np.ndarray], size: int) -> np.ndarray:
    """Distinct undirected pairs (i < j) without self-loops, in order."""
    parts = [np.sort(edges, axis=1) for edges in edge_arrays]
    if not parts:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(parts)
    codes = np.unique(pairs[pairs[:, 0] != pairs[:, 1]] @ np.array([size, 1], dtype=np.int64))
    return np.column_stack([codes // size, codes % size])
