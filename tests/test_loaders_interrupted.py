"""A load into Neo4j interrupted by killing the server: SIGKILL the local server's java process
(found through its pid file) right after the load's first batch is committed, restart the server on
the same data directory, run the same load again, and the graph holds exactly the rows of the
files, none twice.

The test starts its own local server (DESIGN §6), since it kills it; the session's server, if any,
is left alone. The first load runs in a thread and either gives up (the server stayed away longer
than the driver retries a transaction) or finishes on the restarted server (the driver retried the
interrupted batch); the re-run must end with exact counts either way. Sizes are counted by hand
from the generator below.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from chanjiao import neo4j_local
from chanjiao.neo4j_local import LocalNeo4j
from graph.open import open_store
from graph.records import Direction, NodeRef
from graph.store import GraphStore
from loaders.readers import TableSource
from loaders.report import LoadReport
from loaders.run import LoadOptions, LoadProgress, load, prepare
from tests.conftest import IN_CI

DISTRICTS, SCHOOLS, DISCIPLINES, YEARS = 120, 100, 10, (2023, 2024)
OFFERS_PER_SCHOOL = 2 * len(YEARS)  # two disciplines a school, each in both years
HEAP = "512m"
BATCH = 40  # rows per transaction: 19 transactions, the server killed after the first


def school_code(n: int) -> str:
    return f"{4131000000 + n}"


def district_code(n: int) -> str:
    return f"{310000 + n}"


def discipline_code(n: int) -> str:
    return f"0809{n:02d}"


def write_dataset(folder: Path) -> Path:
    """DISTRICTS districts; SCHOOLS schools, school n in district n; DISCIPLINES disciplines;
    school n offers disciplines n % 10 and (n + 1) % 10 in each of YEARS: SCHOOLS × 4 OFFERS."""
    folder.mkdir()
    districts = [f"{district_code(n)},区{n}" for n in range(1, DISTRICTS + 1)]
    schools = [f"{school_code(n)},学校{n},undergraduate,{district_code(n)}" for n in range(1, SCHOOLS + 1)]
    disciplines = [f"{discipline_code(n)},专业{n},undergraduate" for n in range(DISCIPLINES)]
    offers = [
        f"{school_code(n)},{discipline_code((n + step) % DISCIPLINES)},{year},30,{n % 25}"
        for n in range(1, SCHOOLS + 1) for step in (0, 1) for year in YEARS
    ]
    tables = {
        "districts": ["code,name", *districts],
        "schools": ["code,name,level,district", *schools],
        "disciplines": ["code,name,level", *disciplines],
        "offers": ["school,discipline,year,enrollment,graduates", *offers],
    }
    for name, lines in tables.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def killable_neo4j(tmp_path: Path) -> Iterator[LocalNeo4j]:
    """A local Neo4j started for this test alone."""
    data_dir = tmp_path / "neo4j"
    try:
        server = neo4j_local.start(data_dir, port=neo4j_local.free_port(), heap=HEAP)
    except Exception as error:  # Java, Maven or Neo4j missing: a skip locally, a failure in CI
        if IN_CI:
            pytest.fail(f"Neo4j could not start under CI=true: {error}")
        pytest.skip(f"Neo4j could not start: {error}")
    try:
        store = open_store(server.uri)
        store.ensure_schema()  # here rather than in the load: creating it on a fresh server is slow
        store.close()
        yield server
    finally:
        neo4j_local.stop(data_dir)


def kill_server(data_dir: Path) -> None:
    """SIGKILL the java process named in the pid file and wait until it is gone."""
    pid = int((data_dir / "neo4j.pid").read_text(encoding="utf-8"))
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rpartition(")")[2].split()[0]
        except OSError:
            return
        if state == "Z":  # dead; `neo4j_local.start` reaps it
            return
        time.sleep(0.05)
    raise AssertionError(f"Neo4j pid {pid} outlived SIGKILL")


def assert_exact_and_unduplicated(store: GraphStore) -> None:
    stats = store.stats()
    assert {label: count for label, count in stats.nodes.items() if count} == {
        "District": DISTRICTS, "School": SCHOOLS, "Discipline": DISCIPLINES,
    }
    assert {kind: count for kind, count in stats.relationships.items() if count} == {
        "LOCATED_IN": SCHOOLS, "OFFERS": SCHOOLS * OFFERS_PER_SCHOOL,
    }
    schools = [NodeRef("School", school_code(n)) for n in range(1, SCHOOLS + 1)]
    located = store.neighbours(schools, "LOCATED_IN", Direction.OUT)
    assert all([n.node.key for n in located[ref]] == [district_code(int(ref.key) - 4131000000)] for ref in schools)
    offers = store.neighbours(schools, "OFFERS", Direction.OUT)
    for ref in schools:
        identities = [(n.node.key, n.rel.props["year"]) for n in offers[ref]]
        assert len(identities) == len(set(identities)) == OFFERS_PER_SCHOOL, (ref, identities)


class KillAfterFirstBatch:
    """Load progress that SIGKILLs the server as soon as the first batch is committed, from the
    loading thread itself, so the kill lands after exactly one batch whatever the machine's speed."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.killed = threading.Event()

    def reading(self, source: TableSource, rows: int) -> None:
        pass

    def writing(self, source: TableSource, kind: str, done: int, total: int | None) -> None:
        if not self.killed.is_set():
            kill_server(self.data_dir)
            self.killed.set()


def load_into(uri: str, data: Path, options: LoadOptions, progress: LoadProgress | None = None) -> LoadReport:
    store = open_store(uri)
    try:
        store.ensure_schema()
        return load(prepare([data], options), store, options, progress)
    finally:
        store.close()


@pytest.mark.neo4j
@pytest.mark.timeout(300)  # two cold Neo4j starts: ~100 s on a busy 2-core machine
def test_a_load_interrupted_by_killing_neo4j_ends_exact_when_rerun(killable_neo4j: LocalNeo4j, tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data")
    uri, data_dir = killable_neo4j.uri, killable_neo4j.data_dir
    options = LoadOptions(rejects_dir=tmp_path / "rejects", batch_size=BATCH)
    killer = KillAfterFirstBatch(data_dir)
    first: list[LoadReport | BaseException] = []
    loading = threading.Thread(target=lambda: first.append(_outcome(lambda: load_into(uri, data, options, killer))))
    loading.start()
    assert killer.killed.wait(timeout=120), "the load never wrote a batch"
    neo4j_local.start(data_dir, port=int(uri.rsplit(":", 1)[1]), heap=HEAP)
    loading.join(timeout=120)
    # the driver retried the interrupted batch on the restarted server, or gave up (ServiceUnavailable)
    (outcome,) = first
    assert isinstance(outcome, LoadReport | ServiceUnavailable | SessionExpired), repr(outcome)

    rerun = load_into(uri, data, options)
    totals = rerun.totals()
    written = DISTRICTS + SCHOOLS + DISCIPLINES + SCHOOLS + SCHOOLS * OFFERS_PER_SCHOOL
    assert (totals.created + totals.unchanged, totals.updated, rerun.rejected) == (written, 0, 0)
    assert totals.unchanged > 0  # the first batch, at least, was committed before the kill
    if isinstance(outcome, LoadReport):
        assert totals.created == 0  # the first load finished after the restart
    store = open_store(uri)
    try:
        assert_exact_and_unduplicated(store)
    finally:
        store.close()


def _outcome(work: Callable[[], LoadReport]) -> LoadReport | BaseException:
    try:
        return work()
    except Exception as error:  # kept for the test's thread to inspect
        return error
