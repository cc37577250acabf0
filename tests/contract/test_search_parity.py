"""Search parity beyond the Neo4j store's full-text candidate cap (`SEARCH_CANDIDATES`): when more
names match than the cap, the embedded store's exhaustive ranking and Neo4j's re-ranked
candidates must still agree. The names are made so that the full-text index ranks the best
answers (by `graph.relevance`) last: thousands of short names containing the text, which the
index favours, and a few long names starting with it, which relevance favours, written last."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.neo4j.cypher.reads import SEARCH_CANDIDATES
from graph.open import open_store
from graph.records import Provenance
from graph.store import GraphStore
from tests.insight_graphs import uscc

PROVENANCE = Provenance(source="tests/contract/test_search_parity.py", loaded_at="2025-01-01T00:00:00Z")
CROWD = SEARCH_CANDIDATES + 600  # names that merely contain the text, more than the cap
BEST = 30  # names that start with it: relevance ranks them above every name of the crowd
FILLER = "研究院附属实验中心"
SCHOOLS = [{"code": f"41310{n:05d}", "name": f"交通大学{'附' * n}", "level": "undergraduate"} for n in range(1, 4)]


def rows() -> list[dict[str, str]]:
    crowd = [{"uscc": uscc(n), "name": f"{n % 9}交通大学"} for n in range(CROWD)]
    crowd += [{"uscc": uscc(CROWD + n), "name": f"Open labs {n % 7}"} for n in range(CROWD)]
    best = [{"uscc": uscc(2 * CROWD + n), "name": f"交通大学{FILLER}{FILLER}{n:03d}"} for n in range(BEST)]
    best += [{"uscc": uscc(2 * CROWD + BEST + n), "name": f"Lab{n:03d} {FILLER}"} for n in range(BEST)]
    return crowd + best


@pytest.fixture(scope="module")
def stores(neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, GraphStore]]:
    opened = [open_store(f"embedded:{tmp_path_factory.mktemp('search') / 'store'}"), open_store(neo4j_uri)]
    for store in opened:
        store.ensure_schema()
        store.clear()
        store.upsert_nodes("Enterprise", rows(), PROVENANCE)
        store.upsert_nodes("School", SCHOOLS, PROVENANCE)
    try:
        yield opened[0], opened[1]
    finally:
        for store in opened:
            store.close()


def ranked(store: GraphStore, text: str, limit: int) -> list[tuple[str, float]]:
    return [(node.key, round(score, 9)) for node, score in store.search(text, ["Enterprise"], limit)]


@pytest.mark.parametrize(("text", "best_prefix"), [("交通大学", "交通大学"), ("lab", "Lab0")])
def test_search_past_the_candidate_cap_ranks_alike(stores: tuple[GraphStore, GraphStore], text: str,
                                                   best_prefix: str) -> None:
    embedded, neo4j = stores
    assert len(embedded.search(text, ["Enterprise"], CROWD + BEST)) == CROWD + BEST  # past the cap
    for limit in (10, BEST + 20):
        expected = ranked(embedded, text, limit)
        assert ranked(neo4j, text, limit) == expected
        names = [node.props["name"] for node, _ in embedded.search(text, ["Enterprise"], limit)]
        assert all(name.startswith(best_prefix) for name in names[:BEST])  # the long names lead


@pytest.mark.parametrize("kinds", [["School", "Enterprise"], []])
def test_a_search_of_several_kinds_merges_their_names_alike(stores: tuple[GraphStore, GraphStore], kinds: list[str]) -> None:
    """Neo4j reads each kind's own full-text index and ranks the union; the schools' names,
    shorter prefixes than the enterprises' best, lead as the embedded store ranks them."""
    embedded, neo4j = stores
    for limit in (10, 40):
        expected = [(node.label, node.key, round(score, 9)) for node, score in embedded.search("交通大学", kinds, limit)]
        assert [(node.label, node.key, round(score, 9)) for node, score in neo4j.search("交通大学", kinds, limit)] == expected
        assert {label for label, _, _ in expected} == {"School", "Enterprise"}


def test_an_older_database_loses_its_all_kinds_index(stores: tuple[GraphStore, GraphStore]) -> None:
    """A database written before the per-kind indexes keeps searching after `ensure_schema`,
    which drops the index it no longer reads."""
    _, neo4j = stores
    with neo4j.driver.session() as session:  # type: ignore[attr-defined]
        session.run("CREATE FULLTEXT INDEX node_names_fulltext IF NOT EXISTS FOR (n:School|Enterprise) ON EACH [n.name]").consume()
        neo4j.ensure_schema()
        names = set(session.run("SHOW FULLTEXT INDEXES YIELD name RETURN collect(name) AS names").single(strict=True)["names"])
    assert "node_names_fulltext" not in names
    assert {"school_names_fulltext", "enterprise_names_fulltext"} <= names
    assert [node.key for node, _ in neo4j.search("交通大学附", ["School"], 1)] == ["4131000001"]
