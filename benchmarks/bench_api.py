"""GraphQL API latency and throughput against the floor, for three representative operations:

- `supply`: 100 schools offering a discipline that a chain needs, each with its disciplines of a
  year (up to 20, with graduates and enrollment) and counts;
- `enterprise`: one enterprise with its chains, demands and mentors;
- `search`: a Chinese full-text search (交通大学), 10 hits.

The API is a real server in its own process (`uvicorn api.app:create_app`), queried over HTTP.
The floor does the same reads without HTTP or GraphQL: on Neo4j, one hand-written Cypher query per
operation through the driver (an auto-commit read); on the embedded store, the `GraphStore` calls the
resolvers make, in process. The ratio is API p50 / floor p50 (target: at most 1.5). A first line
gives the fixed cost of any request, `{ __typename }` over the same HTTP client: on the embedded
store the floor has no network at all, so the ratio of a small operation is mostly that cost.

    .venv/bin/python benchmarks/bench_api.py --work /tmp/bench-api                    # embedded, demo size
    .venv/bin/python benchmarks/bench_api.py --store bolt://127.0.0.1:7687             # Neo4j, demo size
    .venv/bin/python benchmarks/bench_api.py --scale 450 --work /tmp/bench-api-1m      # about 1M nodes
    .venv/bin/python benchmarks/bench_api.py --store embedded:/path/to/store           # a store loaded before

The dataset is the bundled `data/shanghai` at scale 1, else `loaders.synthetic` at `--scale`
(about 2,200 nodes per unit), generated and loaded once into the store.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from chanjiao.neo4j_local import free_port
from chanjiao.settings import get_settings
from chanjiao.stores import open_configured
from graph.filters import Compare, Op, Related
from graph.model import NODE_KINDS
from graph.neo4j.cypher.statements import fulltext_index
from graph.records import Direction, NodeRef
from graph.store import GraphStore, NeighbourRead
from loaders.bundled import SHANGHAI_DIR

ROOT = Path(__file__).resolve().parents[1]
SEARCH_TEXT = "交通大学"

SUPPLY = """query Supply($chain: String!, $year: Int!) {
  schools(first: 100, where: {disciplines: {some: {chains: {some: {code: {eq: $chain}}}}}}) {
    totalCount
    nodes { code name disciplines(first: 20, where: {year: {eq: $year}}) {
      totalCount edges { graduates enrollment node { code name } } } }
  }
}"""
ENTERPRISE = """query Enterprise($id: ID!) { node(id: $id) { ... on Enterprise { name
  chains(first: 20) { nodes { code name } }
  demands(first: 20) { edges { year openings node { code name } } }
  mentors(first: 20) { nodes { key name tier } } } } }"""
SEARCH = """query Search($text: String!) { search(text: $text, first: 10) { score node { id ... on School { name } } } }"""

SUPPLY_CYPHER = """
MATCH (s:School) WHERE EXISTS { MATCH (s)-[:OFFERS]->(:Discipline)<-[:NEEDS]-(:IndustryChain {code: $chain}) }
WITH s ORDER BY s.code
WITH collect(s) AS matched
WITH size(matched) AS total, matched[0..100] AS page
UNWIND page AS s
CALL (s) {
  MATCH (s)-[o:OFFERS]->(d:Discipline) WHERE o.year = $year
  WITH o, d ORDER BY d.code LIMIT 20
  RETURN collect({graduates: o.graduates, enrollment: o.enrollment, code: d.code, name: d.name}) AS disciplines
}
RETURN total, s.code AS code, s.name AS name, disciplines,
       COUNT { (s)-[o:OFFERS]->(:Discipline) WHERE o.year = $year } AS offered"""
ENTERPRISE_CYPHER = """
MATCH (e:Enterprise {uscc: $uscc})
CALL (e) { MATCH (e)-[:IN_CHAIN]->(c:IndustryChain) WITH c ORDER BY c.code LIMIT 20
           RETURN collect({code: c.code, name: c.name}) AS chains }
CALL (e) { MATCH (e)-[r:DEMANDS]->(d:Discipline) WITH r, d ORDER BY d.code, r.year LIMIT 20
           RETURN collect({year: r.year, openings: r.openings, code: d.code, name: d.name}) AS demands }
CALL (e) { MATCH (e)<-[:EMPLOYED_BY]-(m:Mentor) WITH m ORDER BY m.id LIMIT 20
           RETURN collect({key: m.id, name: m.name, tier: m.tier}) AS mentors }
RETURN e.name AS name, chains, demands, mentors"""
SEARCH_CYPHER = "CALL () {\n" + "\n  UNION ALL\n".join(
    f"  CALL db.index.fulltext.queryNodes('{fulltext_index(kind.label)}', $text) YIELD node, score RETURN node, score"
    for kind in NODE_KINDS) + "\n}\nRETURN elementId(node) AS id, node.name AS name, score ORDER BY score DESC LIMIT 10"


@dataclass(frozen=True)
class Operation:
    name: str
    document: str
    variables: dict[str, Any]
    floor: Callable[[], Any]
    store_calls: Callable[[], Any]  # the GraphStore calls the resolvers make (the floor on embedded)


@dataclass(frozen=True)
class Figures:
    p50_ms: float
    p95_ms: float
    per_second: float


def measure(call: Callable[[], Any], requests: int, concurrency: int) -> Figures:
    """Sequential latencies (p50, p95) and throughput with `concurrency` callers."""
    for _ in range(max(3, requests // 10)):
        call()  # warm caches, connection pools and the JIT of the database
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - started)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda _: call(), range(requests)))
    throughput = requests / (time.perf_counter() - started)
    cuts = statistics.quantiles(latencies, n=20)
    return Figures(statistics.median(latencies) * 1000, cuts[18] * 1000, throughput)


# ---- data ----------------------------------------------------------------------------------


def ensure_data(store: GraphStore, scale: int, work: Path) -> None:
    """Load the dataset unless the store already holds schools."""
    if store.count_nodes("School") > 0:
        return
    from loaders.run import LoadOptions, load, prepare

    dataset = SHANGHAI_DIR
    if scale > 1:
        from loaders.synthetic import generate

        dataset = work / f"dataset-{scale}"
        generate(dataset, scale=scale)
    options = LoadOptions(rejects_dir=work / "rejects")
    started = time.perf_counter()
    report = load(prepare([dataset], options), store, options)
    print(f"loaded {dataset}: {report.totals().created} created in {time.perf_counter() - started:.0f} s")


def busiest_enterprise(store: GraphStore) -> str:
    """An enterprise with demands, employees and chains, so the operation returns something."""
    with_all = Related("EMPLOYED_BY", Direction.IN, "Mentor")
    page = store.find_nodes("Enterprise", with_all, limit=1)
    return page.nodes[0].key if page.nodes else store.find_nodes("Enterprise", limit=1).nodes[0].key


def latest_offers_year(store: GraphStore, school: str) -> int:
    found = store.neighbours([NodeRef("School", school)], "OFFERS", Direction.OUT)
    return max(int(item.rel.props["year"]) for items in found.values() for item in items)


# ---- floors --------------------------------------------------------------------------------


def embedded_floors(store: GraphStore, chain: str, year: int, uscc: str) -> dict[str, Callable[[], Any]]:
    """The `GraphStore` calls the resolvers make for each operation."""
    offers_chain = Related("OFFERS", Direction.OUT, "Discipline",
                           Related("NEEDS", Direction.IN, "IndustryChain", Compare("code", Op.EQ, chain)))
    in_year = Compare("year", Op.EQ, year)

    def supply() -> Any:
        page = store.find_nodes("School", offers_chain, (), 0, 100)
        refs = tuple(node.ref for node in page.nodes)
        offers = NeighbourRead(refs, "OFFERS", Direction.OUT, in_year, 0, 21)
        return store.neighbour_batch([offers], [NeighbourRead(refs, "OFFERS", Direction.OUT, in_year)])

    def enterprise() -> Any:
        ref = store.get_nodes("Enterprise", [uscc])[uscc].ref
        return store.neighbour_batch([NeighbourRead((ref,), rel, direction, None, 0, 21) for rel, direction in
                                      (("IN_CHAIN", Direction.OUT), ("DEMANDS", Direction.OUT), ("EMPLOYED_BY", Direction.IN))], [])

    def search() -> Any:
        return store.search(SEARCH_TEXT, [], 10)

    return {"supply": supply, "enterprise": enterprise, "search": search}


def neo4j_floors(uri: str, chain: str, year: int, uscc: str) -> tuple[dict[str, Callable[[], Any]], Any]:
    """One hand-written Cypher query per operation through the driver."""
    from neo4j import READ_ACCESS, GraphDatabase

    settings = get_settings()
    password = settings.neo4j_password.get_secret_value()
    driver = GraphDatabase.driver(uri, auth=(settings.neo4j_user, password) if password else None)

    def read(query: str, **params: Any) -> Callable[[], Any]:
        def run() -> Any:  # an auto-commit read: one round trip, as the store reads one statement
            with driver.session(database=settings.neo4j_database, default_access_mode=READ_ACCESS) as session:
                return [record.data() for record in session.run(query, params)]
        return run

    floors = {
        "supply": read(SUPPLY_CYPHER, chain=chain, year=year),
        "enterprise": read(ENTERPRISE_CYPHER, uscc=uscc),
        "search": read(SEARCH_CYPHER, text=SEARCH_TEXT),
    }
    return floors, driver


# ---- the API in its own process ------------------------------------------------------------


def start_server(store_uri: str, port: int, **settings: str) -> subprocess.Popen[bytes]:
    """uvicorn serving the store in its own process; `settings` are more environment variables."""
    env = {**os.environ, "CHANJIAO_STORE": store_uri, "CHANJIAO_RATE_LIMIT": "0", "CHANJIAO_MAX_COST": "1000000", **settings}
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 600  # a large embedded store takes minutes to open
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("the API server did not become ready within 600 s")


def api_call(client: httpx.Client, operation: Operation) -> Callable[[], Any]:
    body = {"query": operation.document, "variables": operation.variables}

    def call() -> Any:
        response = client.post("/graphql", json=body)
        if response.status_code != 200 or "errors" in response.json():
            raise RuntimeError(f"{operation.name} failed: {response.text[:500]}")
        return response

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="bolt://… or neo4j://… (default: an embedded store under --work)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-api")
    parser.add_argument("--scale", type=int, default=1, help="1 = the bundled demo dataset")
    parser.add_argument("--requests", type=int, default=200, help="requests per measurement")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--chain", default="IC")
    args = parser.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    uri = args.store or f"embedded:{args.work / f'store-{args.scale}'}"
    store = open_configured(uri)
    store.ensure_schema()
    ensure_data(store, args.scale, args.work)
    counts = store.stats()
    print(f"store {uri}: {sum(counts.nodes.values()):,} nodes, {sum(counts.relationships.values()):,} relationships")
    uscc = busiest_enterprise(store)
    year = latest_offers_year(store, store.find_nodes("School", limit=1).nodes[0].key)
    calls = embedded_floors(store, args.chain, year, uscc)
    if uri.startswith("embedded:"):
        floors, driver = calls, None
    else:
        floors, driver = neo4j_floors(uri, args.chain, year, uscc)
    enterprise_id = base64.b64encode(f"Enterprise:{uscc}".encode()).decode()
    operations = [
        Operation("supply", SUPPLY, {"chain": args.chain, "year": year}, floors["supply"], calls["supply"]),
        Operation("enterprise", ENTERPRISE, {"id": enterprise_id}, floors["enterprise"], calls["enterprise"]),
        Operation("search", SEARCH, {"text": SEARCH_TEXT}, floors["search"], calls["search"]),
    ]
    port = free_port()
    server = start_server(uri, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60,
                          limits=httpx.Limits(max_connections=args.concurrency * 2)) as client:
            report(operations, client, args.requests, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if driver is not None:
            driver.close()
        store.close()


def report(operations: list[Operation], client: httpx.Client, requests: int, concurrency: int) -> None:
    """`calls p50`: the store calls alone, sequentially; on Neo4j it splits the ratio into API
    overhead (api/calls) and the store's Cypher against the hand-written query (calls/floor)."""
    print(f"{requests} requests each; throughput with {concurrency} concurrent callers; "
          f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    bare = measure(api_call(client, Operation("bare", "{ __typename }", {}, _nothing, _nothing)), requests, 1)
    print(f"HTTP + GraphQL alone ({{ __typename }}): p50 {bare.p50_ms:.2f}ms, p95 {bare.p95_ms:.2f}ms")
    print(f"{'operation':<11} {'api p50':>9} {'api p95':>9} {'api /s':>7} {'calls p50':>10} {'floor p50':>10} "
          f"{'floor p95':>10} {'floor /s':>9} {'api/floor':>10}")
    for operation in operations:
        api = measure(api_call(client, operation), requests, concurrency)
        calls = measure(operation.store_calls, max(10, requests // 4), 1)
        floor = measure(operation.floor, requests, concurrency)
        print(f"{operation.name:<11} {api.p50_ms:7.2f}ms {api.p95_ms:7.2f}ms {api.per_second:7.0f} {calls.p50_ms:8.2f}ms "
              f"{floor.p50_ms:8.2f}ms {floor.p95_ms:8.2f}ms {floor.per_second:9.0f} {api.p50_ms / floor.p50_ms:9.2f}x")
    print(f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


def _nothing() -> None:
    return None


if __name__ == "__main__":
    main()
