"""The running demand totals that `talentGap` reads on Neo4j (`graph.neo4j.totals`):
after every kind of write, alone or concurrent, the totals kept transaction by transaction are
exactly the totals rebuilt from scratch, and the talent gap read from them is the embedded
store's, which sums the relationships themselves."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from graph.model import node_kind
from graph.neo4j.cypher import totals as cypher_totals
from graph.neo4j.store import Neo4jStore
from graph.neo4j.totals import Affected, rebuild_totals, settle_totals
from graph.open import open_store
from graph.records import NodeRef, Provenance, RelRow
from graph.store import ChangeSet, GraphStore
from loaders.run import LoadOptions, load, prepare
from loaders.synthetic import DEFAULT_SEED, generate
from queries.gaps import DistrictGap, GapRequest, TalentGap, talent_gap, talent_gap_by_district
from tests import gap_graph
from tests.gap_graph import E1, E2, E3, MINHANG, PUDONG, S1, S2, YANGPU
from tests.insight_graphs import LOADED_AT, uscc

EDITED = Provenance("edits", LOADED_AT)
Edit = Callable[[GraphStore], Any]


def demand(enterprise: str, code: str, year: int, openings: int) -> RelRow:
    return RelRow("DEMANDS", NodeRef("Enterprise", enterprise), NodeRef("Discipline", code), {"year": year},
                  {"openings": openings})


def link(rel_type: str, source: NodeRef, target: NodeRef) -> RelRow:
    return RelRow(rel_type, source, target)


def enterprise(key: str) -> NodeRef:
    return NodeRef("Enterprise", key)


def chain(code: str) -> NodeRef:
    return NodeRef("IndustryChain", code)


EDITS: list[tuple[str, Edit]] = [
    ("openings change", lambda s: s.upsert_relationships([demand(E1, "080704", 2024, 120)], EDITED)),
    ("a second district", lambda s: s.upsert_relationships(
        [link("LOCATED_IN", enterprise(E3), NodeRef("District", PUDONG))], EDITED)),
    ("a district dropped", lambda s: s.delete_relationships(
        [link("LOCATED_IN", enterprise(E3), NodeRef("District", YANGPU))])),
    ("joins a chain", lambda s: s.upsert_relationships([link("IN_CHAIN", enterprise(E2), chain("IC-D"))], EDITED)),
    ("a school moves", lambda s: s.apply(ChangeSet(
        rels=[link("LOCATED_IN", NodeRef("School", S2), NodeRef("District", YANGPU))],
        delete_rels=[link("LOCATED_IN", NodeRef("School", S2), NodeRef("District", PUDONG))]), EDITED)),
    ("supply dropped", lambda s: s.delete_relationships([RelRow(
        "OFFERS", NodeRef("School", S1), NodeRef("Discipline", "080901"), {"year": 2024})])),
    ("a discipline deleted", lambda s: s.delete_nodes([NodeRef("Discipline", "100701")])),
    ("a segment re-parented", lambda s: s.apply(ChangeSet(
        rels=[link("PART_OF", chain("IC-D-X"), chain("AI"))],
        delete_rels=[link("PART_OF", chain("IC-D-X"), chain("IC-D"))]), EDITED)),
    ("a district deleted", lambda s: s.delete_nodes([NodeRef("District", PUDONG)])),
    ("a chain deleted", lambda s: s.delete_nodes([chain("IC-D")])),
    ("a new enterprise with demand", lambda s: s.apply(ChangeSet(
        nodes=[("Enterprise", {"uscc": uscc(9), "name": "新芯"})],
        rels=[link("IN_CHAIN", enterprise(uscc(9)), chain("IC")), demand(uscc(9), "080901", 2024, 7),
              link("LOCATED_IN", enterprise(uscc(9)), NodeRef("District", YANGPU))]), EDITED)),
    ("an enterprise deleted", lambda s: s.delete_nodes([enterprise(E1)])),
    ("a school deleted", lambda s: s.delete_nodes([NodeRef("School", S2)])),
    # An upserted row's change is counted from what its upsert reports, unless the same change
    # deletes it or moves its enterprise: then the look-ups count it, and never twice.
    ("a demand written and deleted in one change", lambda s: s.apply(ChangeSet(
        rels=[demand(E3, "080901", 2024, 45), demand(E3, "080901", 2025, 8)],
        delete_rels=[demand(E3, "080901", 2024, 0)]), EDITED)),
    ("an enterprise moves as its demand changes", lambda s: s.apply(ChangeSet(
        rels=[link("LOCATED_IN", enterprise(E2), NodeRef("District", MINHANG)), demand(E2, "080703", 2024, 41)],
        delete_rels=[link("LOCATED_IN", enterprise(E2), NodeRef("District", YANGPU))]), EDITED)),
]


@pytest.fixture
def both(neo4j_uri: str, tmp_path: Path) -> Iterator[tuple[Neo4jStore, GraphStore]]:
    neo4j, embedded = open_store(neo4j_uri), open_store(f"embedded:{tmp_path / 'store'}")
    assert isinstance(neo4j, Neo4jStore)
    for store in (neo4j, embedded):
        store.ensure_schema()
        store.clear()
        gap_graph.write(store)
    try:
        yield neo4j, embedded
    finally:
        neo4j.close()
        embedded.close()


def totals(store: Neo4jStore) -> dict[str, dict[str, Any]]:
    with store.driver.session(**store.session_args) as session:
        records = session.run(f"MATCH (t:{cypher_totals.LABEL}) RETURN t.id AS id, t.amount AS amount, t.rels AS rels")
        return {record["id"]: {"amount": record["amount"], "rels": record["rels"]} for record in records}


def rebuilt(store: Neo4jStore) -> dict[str, dict[str, Any]]:
    rebuild_totals(lambda: store.driver.session(**store.session_args))
    return totals(store)


def answers(store: GraphStore) -> tuple[list[TalentGap], list[list[DistrictGap]]]:
    requests = [GapRequest(), GapRequest(chain="IC"), GapRequest(chain="IC", districts=(YANGPU,)),
                GapRequest(chain="AI", districts=(YANGPU, PUDONG)), GapRequest(districts=(PUDONG,))]
    reports = [talent_gap(store, year, request) for year in (2023, 2024) for request in requests]
    return reports, [talent_gap_by_district(store, 2024, request) for request in requests]


def assert_same_answers(neo4j: GraphStore, embedded: GraphStore) -> None:
    """Both stores answer alike, and not only with nothing: every edit leaves some demand."""
    reports, by_district = answers(neo4j)
    assert (reports, by_district) == answers(embedded)
    assert any(report.rows for report in reports) and any(by_district)


def test_totals_of_the_written_graph_are_its_sums(both: tuple[Neo4jStore, GraphStore]) -> None:
    neo4j, _ = both
    kept = totals(neo4j)
    # IC's subtree holds E1 (浦东, once though it is IN_CHAIN of IC and IC-D-X) and E3 (杨浦).
    assert kept["IC|080704|2024|310115|demands.csv"] == {"amount": 100, "rels": 1}
    assert kept["IC|080901|2024|310110|demands.csv"] == {"amount": 60, "rels": 1}
    assert kept["|080901|2024|310110|demands.csv"] == {"amount": 90, "rels": 2}
    assert kept["AI|080703|2024|310110|demands.csv"] == {"amount": 40, "rels": 1}
    assert kept == rebuilt(neo4j)


@pytest.mark.parametrize("count", range(1, len(EDITS) + 1), ids=[name for name, _ in EDITS])
def test_kept_totals_equal_rebuilt_ones_after_each_edit(both: tuple[Neo4jStore, GraphStore], count: int) -> None:
    neo4j, embedded = both
    for _, edit in EDITS[:count]:
        edit(neo4j)
        edit(embedded)
    kept = totals(neo4j)
    assert kept and kept == rebuilt(neo4j)
    assert_same_answers(neo4j, embedded)


def test_concurrent_writers_of_one_enterprise_keep_exact_totals(both: tuple[Neo4jStore, GraphStore]) -> None:
    neo4j, _ = both
    rows = [demand(E1, "080704", year, openings) for openings in range(1, 5) for year in range(2010, 2026)]

    def write(row: RelRow) -> None:
        writer = Neo4jStore(neo4j.uri, database=neo4j.session_args["database"])
        try:
            writer.upsert_relationships([row], EDITED)
        finally:
            writer.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, rows))
    assert totals(neo4j) == rebuilt(neo4j)
    assert totals(neo4j)["IC|080704|2024|310115|edits"]["amount"] in range(1, 5)


def test_totals_missing_from_an_older_database_are_rebuilt_on_first_use(both: tuple[Neo4jStore, GraphStore]) -> None:
    neo4j, embedded = both
    expected = totals(neo4j)
    with neo4j.driver.session(**neo4j.session_args) as session:
        session.run("MATCH (t:_DemandTotal) DETACH DELETE t").consume()
        session.run("MATCH (m:_Meta {name: 'totals'}) DELETE m").consume()
    reopened = open_store(neo4j.uri)
    try:
        assert_same_answers(reopened, embedded)
        assert totals(neo4j) == expected
    finally:
        reopened.close()


DEMAND_TABLES = ("districts", "industry_chains", "disciplines", "enterprises", "demands", "provenance")


def test_a_load_in_many_batches_keeps_exact_totals_and_counts_updates_as_differences(neo4j_uri: str, tmp_path: Path) -> None:
    """A generated dataset's demand side loaded into an empty store in batches of 700 rows, then
    loaded again with every other row's openings raised by 3: after each load, the kept totals
    are the rebuilt ones and the whole-city scope sums the file's openings."""
    generate(tmp_path / "generated", 1, DEFAULT_SEED)
    folder = tmp_path / "demand"
    folder.mkdir()
    for table in DEMAND_TABLES:
        shutil.copy(tmp_path / "generated" / f"{table}.csv", folder)
    store = open_store(neo4j_uri)
    assert isinstance(store, Neo4jStore)
    options = LoadOptions(rejects_dir=tmp_path / "rejects", batch_size=700)
    try:
        store.ensure_schema()
        store.clear()
        for raised in (0, 3):
            openings = _raise_openings(folder / "demands.csv", raised)
            report = load(prepare([folder], options), store, options)
            assert report.rejected == 0
            kept = totals(store)
            assert len(kept) > 1000 and kept == rebuilt(store)
            assert sum(total["amount"] for key, total in kept.items() if key.startswith("|")) == openings
    finally:
        store.close()


def _raise_openings(path: Path, by: int) -> int:
    """Raises the openings of every other row by `by`; the file's openings summed."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for number, row in enumerate(rows):
        row["openings"] = str(int(row["openings"]) + (by if number % 2 else 0))
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return sum(int(row["openings"]) for row in rows)


def _demand_side(tmp_path: Path) -> Path:
    """The generated dataset's demand side (scale 1): a few thousand `DEMANDS`."""
    generate(tmp_path / "generated", 1, DEFAULT_SEED)
    folder = tmp_path / "demand"
    folder.mkdir()
    for table in DEMAND_TABLES:
        shutil.copy(tmp_path / "generated" / f"{table}.csv", folder)
    return folder


def _gap_requests(folder: Path) -> list[GapRequest]:
    """Whole-city demand, a leading chain's, and a segment's in one district of the dataset."""
    with (folder / "industry_chains.csv").open(encoding="utf-8", newline="") as file:
        chains = list(csv.DictReader(file))
    leading = next(row["code"] for row in chains if not row["parent"])
    segment = next(row["code"] for row in chains if row["parent"] == leading)
    return [GapRequest(), GapRequest(chain=leading), GapRequest(chain=segment, districts=("310115",))]


def gap_answers(store: GraphStore, requests: list[GapRequest]) -> str:
    """The talent gaps of `requests`, without the time each load stamps on the nodes."""
    years = (2023, 2024)
    answers = ([talent_gap(store, year, request) for year in years for request in requests],
               [talent_gap_by_district(store, 2024, request) for request in requests[:2]])
    return re.sub(r'"loaded_at": "[^"]*"', "", json.dumps(answers, sort_keys=True, default=_plain))


def _plain(value: Any) -> Any:
    return sorted(value) if isinstance(value, (set, frozenset)) else vars(value)


def recounted(store: Neo4jStore) -> dict[str, dict[str, Any]]:
    """The totals counted anew, enterprise by enterprise, by the contributions that writes add
    (not by the rebuild that a load ends with)."""
    key = node_kind("Enterprise")
    with store.driver.session(**store.session_args) as session:
        session.run(cypher_totals.CLEAR).consume()
        keys = session.run(f"MATCH (h:{key.label}) RETURN collect(h.{key.key}) AS keys").single(strict=True)["keys"]
        session.execute_write(Affected(keys, []).apply, True)
    return totals(store)


def stale(store: Neo4jStore) -> bool:
    with store.driver.session(**store.session_args) as session:
        return bool(session.run(cypher_totals.TOTALS_STATE, {"name": cypher_totals.META_NAME}).single(strict=True)["stale"])


class Snapshots:
    """At every written batch of `DEMANDS`, the talent gaps `reader` answers then, and whether
    the totals were stale and how many there were."""

    def __init__(self, reader: GraphStore, requests: list[GapRequest], neo4j: Neo4jStore | None = None) -> None:
        self.reader, self.requests, self.neo4j = reader, requests, neo4j
        self.answers: list[Any] = []
        self.states: list[tuple[bool, int]] = []

    def reading(self, source: Any, rows: int) -> None:
        pass

    def writing(self, source: Any, kind: str, done: int, total: int | None) -> None:
        if kind == "DEMANDS":
            self.answers.append(gap_answers(self.reader, self.requests))
            if self.neo4j is not None:
                self.states.append((stale(self.neo4j), len(totals(self.neo4j))))


def test_a_load_rebuilds_the_totals_once_and_readers_meanwhile_sum_the_relationships(
        neo4j_uri: str, tmp_path: Path) -> None:
    """The totals stay untouched and stale while a load writes its batches, so that a reader
    sums the relationships (its answers after every batch are the embedded store's after the
    same batch); at the end they are exact again, equal to a count by contributions."""
    folder = _demand_side(tmp_path)
    requests = _gap_requests(folder)
    options = LoadOptions(rejects_dir=tmp_path / "rejects", batch_size=700)
    embedded = open_store(f"embedded:{tmp_path / 'store'}")
    neo4j, reader = open_store(neo4j_uri), open_store(neo4j_uri)
    assert isinstance(neo4j, Neo4jStore) and isinstance(reader, Neo4jStore)
    try:
        expected = Snapshots(embedded, requests)
        load(prepare([folder], options), embedded, options, expected)
        neo4j.ensure_schema()
        neo4j.clear()
        reader.ensure_schema()
        seen = Snapshots(reader, requests, neo4j)
        report = load(prepare([folder], options), neo4j, options, seen)
        assert report.rejected == 0 and len(seen.answers) > 3
        assert seen.answers == expected.answers
        assert seen.states == [(True, 0)] * len(seen.answers)  # deferred: no total written batch by batch
        assert not stale(neo4j)
        kept = totals(neo4j)
        assert len(kept) > 1000 and gap_answers(reader, requests) == gap_answers(embedded, requests)
        assert kept == recounted(neo4j)
    finally:
        for store in (embedded, neo4j, reader):
            store.close()


class Interrupting(Snapshots):
    def writing(self, source: Any, kind: str, done: int, total: int | None) -> None:
        if kind == "DEMANDS":
            raise KeyboardInterrupt


def test_a_load_that_fails_half_way_still_leaves_exact_totals(neo4j_uri: str, tmp_path: Path) -> None:
    folder = _demand_side(tmp_path)
    options = LoadOptions(rejects_dir=tmp_path / "rejects", batch_size=700)
    store = open_store(neo4j_uri)
    assert isinstance(store, Neo4jStore)
    try:
        store.ensure_schema()
        store.clear()
        with pytest.raises(KeyboardInterrupt):
            load(prepare([folder], options), store, options, Interrupting(store, []))
        assert not stale(store)
        kept = totals(store)
        assert kept and kept == recounted(store)
    finally:
        store.close()


CUT_SHORT = [demand(E1, "080704", 2024, 130), demand(E3, "120103", 2024, 9)]
# A process that writes `CUT_SHORT` as a load's batch and dies before the load ends.
DYING_LOAD = """
import os, sys
from graph.open import open_store
from tests.test_neo4j_totals import CUT_SHORT, EDITED
store = open_store(sys.argv[1])
with store.bulk_load():
    store.upsert_relationships(CUT_SHORT, EDITED)
    os._exit(0)
"""
ROOT = Path(__file__).resolve().parents[1]


def test_a_load_cut_short_leaves_stale_totals_that_the_next_store_rebuilds(
        both: tuple[Neo4jStore, GraphStore]) -> None:
    """A load whose process dies between batches (its `bulk_load` never ends): the totals stay
    marked stale, and the next store to open the database rebuilds them before it answers."""
    neo4j, embedded = both
    embedded.upsert_relationships(CUT_SHORT, EDITED)
    subprocess.run([sys.executable, "-c", DYING_LOAD, neo4j.uri], check=True, cwd=ROOT)
    assert stale(neo4j)
    before = totals(neo4j)
    reopened = open_store(neo4j.uri)
    try:
        reopened.ensure_schema()
        assert not stale(neo4j)
        kept = totals(neo4j)
        assert kept != before and kept["IC|080704|2024|310115|edits"] == {"amount": 130, "rels": 1}
        assert_same_answers(reopened, embedded)
        assert kept == recounted(neo4j)
    finally:
        reopened.close()


def test_a_rebuild_that_a_write_overlapped_leaves_the_totals_stale(both: tuple[Neo4jStore, GraphStore]) -> None:
    neo4j, _ = both
    with neo4j.driver.session(**neo4j.session_args) as session:
        session.execute_write(lambda tx: tx.run(cypher_totals.MARK_STALE, {"name": cypher_totals.META_NAME}).consume())
        writes = session.run(cypher_totals.WRITES).single(strict=True)["writes"]
        neo4j.upsert_relationships([demand(E1, "080704", 2024, 120)], EDITED)
        assert not session.execute_write(settle_totals, writes)
        assert stale(neo4j)
        writes = session.run(cypher_totals.WRITES).single(strict=True)["writes"]
        assert session.execute_write(settle_totals, writes)
        assert not stale(neo4j)
