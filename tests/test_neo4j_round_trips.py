"""Network round trips of the Neo4j store's search and writes, pinned by counting what the
driver sends to the server (each send waits for its answer before the next): the real reads and
writes run; the count is only observed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from neo4j import ManagedTransaction
from neo4j._async_compat.network import BoltSocketBase  # the driver's socket: where every message goes out

from graph.neo4j.cypher import reads as cypher_reads
from graph.open import open_store
from graph.records import Provenance
from graph.store import ChangeSet, GraphStore
from tests.contract.test_store_contract import SJTU, seed

WRITER = Provenance("api:key:test", "2026-12-03T10:00:00.000+00:00")


@pytest.fixture
def neo4j(neo4j_uri: str) -> Iterator[GraphStore]:
    store = open_store(neo4j_uri)
    store.ensure_schema()
    store.clear()
    seed(store)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def sends(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen = [0]
    real = BoltSocketBase.sendall

    def counted(self: BoltSocketBase, data: Any) -> Any:
        seen[0] += 1
        return real(self, data)

    monkeypatch.setattr(BoltSocketBase, "sendall", counted)
    return seen


def round_trips(sends: list[int], work: Callable[[], Any]) -> tuple[int, Any]:
    work()  # the connection is open and the plans are cached: only the work itself is counted
    sends[0] = 0
    found = work()
    return sends[0], found


def test_a_write_sends_its_begin_with_its_first_statement(
        neo4j: GraphStore, sends: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    statements: list[str] = []
    real = ManagedTransaction.run

    def counted(self: ManagedTransaction, query: Any, *args: Any, **kwargs: Any) -> Any:
        statements.append(str(query).splitlines()[0])
        return real(self, query, *args, **kwargs)

    monkeypatch.setattr(ManagedTransaction, "run", counted)
    renamed = ChangeSet(nodes=[("District", {"code": "310104", "name": "徐汇"})])
    neo4j.apply(renamed, WRITER)  # the connection is open and the plans are cached
    statements.clear()
    sends[0] = 0
    counts = neo4j.apply(renamed, WRITER)
    assert counts.nodes.unchanged == 1
    # one send per statement, BEGIN riding with the first, then COMMIT (one more when BEGIN waits for its answer)
    assert len(statements) >= 1 and sends[0] == len(statements) + 1
    assert statements == ["UNWIND $rows AS r"]  # the names' sort keys ride in the upsert; nothing changed, no version bump
    assert neo4j.get_nodes("District", ["310104"])["310104"].props["name"] == "徐汇"


def test_a_search_few_names_share_is_one_round_trip(neo4j: GraphStore, sends: list[int]) -> None:
    trips, hits = round_trips(sends, lambda: neo4j.search("交通大学", ["School", "Enterprise"], 10))
    assert trips == 1  # four before: BEGIN, the candidates, the best nodes' properties, COMMIT
    assert [(node.label, node.key, node.props["name"]) for node, _ in hits][:2] == [
        ("Enterprise", "91310115MA1FL4111A", "交通大学出版社"), ("School", SJTU, "上海交通大学")]
    assert hits[1][0].props["name_en"] == "Shanghai Jiao Tong University"


def test_a_search_with_many_candidates_reads_the_hits_after_ranking_alike(
        neo4j: GraphStore, sends: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    eager = neo4j.search("大学", [], 3)
    monkeypatch.setattr(cypher_reads, "SEARCH_EAGER", 0)  # every search now has "too many" candidates
    trips, late = round_trips(sends, lambda: neo4j.search("大学", [], 3))
    # the candidates without properties, then in one transaction the candidates (with BEGIN),
    # the best nodes' properties and COMMIT: as many as before there was a one-round-trip search
    assert trips == 4
    assert [(node, score) for node, score in late] == [(node, score) for node, score in eager]
    assert [node.props["name"] for node, _ in late] == ["复旦大学", "上海大学", "上海交通大学"]
