"""Work in a child process (`queries.cancellation.in_child_process`): for one long call into C
that keeps the GIL, such as igraph's cut-off betweenness, and community detection and core
numbers on a large graph."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable

import igraph as ig
import numpy as np
import pytest

from queries import algorithms
from queries.analysis_graph import AnalysisGraph
from queries.cancellation import Deadline, WorkCancelled, in_child_process, under


def test_the_child_answers_as_the_call_would() -> None:
    graph = ig.Graph.Ring(30)
    assert in_child_process(lambda: graph.betweenness(directed=False, cutoff=3)) == graph.betweenness(directed=False, cutoff=3)


def test_a_failure_in_the_child_is_raised_here() -> None:
    def fails() -> None:
        raise ValueError("no such measure")

    with pytest.raises(ValueError, match="no such measure"):
        in_child_process(fails)


def test_the_child_is_killed_when_the_deadline_passes() -> None:
    began = time.perf_counter()
    with pytest.raises(WorkCancelled), under(Deadline(0.3)):
        in_child_process(lambda: time.sleep(30))
    assert time.perf_counter() - began < 5


def _random_analysis_graph(nodes: int, edges: int) -> AnalysisGraph:
    graph = ig.Graph.Erdos_Renyi(n=nodes, m=edges)
    pairs = np.sort(np.asarray(graph.get_edgelist(), dtype=np.int64), axis=1)
    return AnalysisGraph([f"n{i}" for i in range(nodes)], ["School"] * nodes, [None] * nodes, pairs)


@pytest.mark.parametrize("analysis", ["louvain", "leiden", "k_core"])
def test_a_large_graph_is_analysed_in_a_child_with_the_same_answer(analysis: str, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _random_analysis_graph(300, 900)
    here = getattr(algorithms, analysis)(graph)
    children: list[object] = []

    def in_a_counted_child(work: Callable[[], object]) -> object:
        children.append(work)
        return in_child_process(work)

    monkeypatch.setattr(algorithms, "CHILD_PROCESS_EDGES", 0)
    monkeypatch.setattr(algorithms, "in_child_process", in_a_counted_child)
    in_child = getattr(algorithms, analysis)(graph)
    assert len(children) == 1
    assert np.array_equal(getattr(here, "membership", here), getattr(in_child, "membership", in_child))


def test_louvain_on_a_large_graph_leaves_this_process_serving_and_stops_at_the_deadline() -> None:
    graph = _random_analysis_graph(20_000, 100_000)  # about 2 s of Louvain in one igraph call
    assert graph.graph.ecount() > algorithms.CHILD_PROCESS_EDGES
    ticks: list[float] = []
    done = threading.Event()

    def tick() -> None:
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.01)

    ticker = threading.Thread(target=tick)
    ticker.start()
    began = time.perf_counter()
    try:
        with pytest.raises(WorkCancelled), under(Deadline(0.5)):
            algorithms.louvain(graph)
    finally:
        done.set()
        ticker.join()
    assert time.perf_counter() - began < 2
    longest_pause = max(b - a for a, b in itertools.pairwise(ticks))
    assert longest_pause < 0.25, f"this process stalled {longest_pause:.2f} s"
