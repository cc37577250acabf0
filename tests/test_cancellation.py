"""Work in a child process (`queries.cancellation.in_child_process`): for one long call into C
that keeps the GIL, such as igraph's cut-off betweenness."""

from __future__ import annotations

import time

import igraph as ig
import pytest

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
