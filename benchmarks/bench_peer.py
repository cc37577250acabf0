"""Our GraphQL API against the Neo4j GraphQL Library (`@neo4j/graphql`) on the same Neo4j and data.

    .venv/bin/python benchmarks/bench_peer.py                 # bundled data + generated scale 20
    .venv/bin/python benchmarks/bench_peer.py --scale 2 --rounds 1 --requests 50   # a quick look

One command does everything: it starts a local Neo4j 5.26 (the Maven-fetched one of DESIGN §6) on
a fresh data directory, loads the bundled dataset and `generate --scale N` into it, installs the
peer (`../shared/peers/neo4j-graphql`, `npm ci` into --work) and starts it beside our server
(`uvicorn api.app:create_app`), both on the same Neo4j. Before timing, every operation's answer
from both servers is normalised and compared; a difference stops the run.

Operations (issue 12): a) 70 schools by code with district and a year's disciplines; b) one
enterprise with chains, a year's demands and mentors; c) schools offering a discipline whose code
starts with 0809; d) disciplines with the count of schools offering them; e) leading chains →
needed disciplines → offering schools → district; plus a search (ours is ranked full-text; the
peer has none, so its side is `name CONTAINS`, and the answers compared are our hits whose names
contain the text) and a mutation (a district renamed to its own name: the same write on both).

Like is compared with like. Our relationship fields over OFFERS and DEMANDS list each related
node once (its yearly relationships as `rows`), as the peer's list fields (`schools`, `needs`)
do; the peer's `…Connection` fields list one edge per relationship and count relationships in
`totalCount` (distinct nodes in `aggregate { count { nodes } }`). So (d) reads the peer's
distinct count, (e) its list field, and (a) and (b) restrict the relationships to one year on
both sides, where one relationship per node makes edges and nodes the same list.

Figures per round, interleaved operation by operation (ours, then the peer): p50 and p95 of
sequential requests from one client, and throughput with 16 concurrent clients (autocannon, the
peer's own load generator, drives both servers). Ratios are ours / peer: at most 1.0 is better for
latency, at least 1.0 for throughput.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
PEER_SOURCE = ROOT.parent / "shared" / "peers" / "neo4j-graphql"
EDITOR_KEY = "bench-peer-editor-key"
SEARCH_TEXT = "交通大学"
CLIENTS = 16

Normalise = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Side:
    document: str
    variables: dict[str, Any]
    normalise: Normalise


@dataclass(frozen=True)
class Operation:
    name: str
    ours: Side
    peer: Side


@dataclass(frozen=True)
class Figures:
    p50_ms: float
    p95_ms: float
    per_second: float


# ---- the operations ------------------------------------------------------------------------


def _codes(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(item["code"], item["name"]) for item in items]


def operations(school_codes: list[str], year: int, uscc: str, demand_year: int) -> list[Operation]:
    """The five operations of issue 12, a search and a mutation, each written for both servers."""
    return [
        _schools_by_code(school_codes, year), _enterprise(uscc, demand_year), _schools_in_0809(), _discipline_counts(),
        _chain_supply(), _search(), _rename_district(),
    ]


def _schools_by_code(codes: list[str], year: int) -> Operation:
    ours = """query A($codes: [String!]!, $year: Int!) {
  schools(first: 100, where: {code: {in: $codes}}, orderBy: [{field: CODE}]) {
    nodes { code name district { code name } disciplines(first: 100, year: $year) { nodes { code name } } } } }"""
    peer = """query A($codes: [String!]!, $year: Int!) {
  schools(where: {code: {in: $codes}}, sort: [{code: ASC}]) { code name district { code name }
    disciplinesConnection(first: 100, where: {edge: {year: {eq: $year}}}, sort: [{node: {code: ASC}}]) {
      edges { node { code name } } } } }"""

    def from_ours(data: dict[str, Any]) -> Any:
        return [(s["code"], s["name"], s["district"] and s["district"]["code"], _codes(s["disciplines"]["nodes"]))
                for s in data["schools"]["nodes"]]

    def from_peer(data: dict[str, Any]) -> Any:
        return [(s["code"], s["name"], s["district"][0]["code"] if s["district"] else None,
                 _codes([edge["node"] for edge in s["disciplinesConnection"]["edges"]])) for s in data["schools"]]

    variables = {"codes": codes, "year": year}
    return Operation("a) schools by code", Side(ours, variables, from_ours), Side(peer, variables, from_peer))


def _enterprise(uscc: str, year: int) -> Operation:
    ours = """query B($uscc: String!, $year: Int!) { enterprises(first: 1, where: {uscc: {eq: $uscc}}) { nodes { name
  chains(first: 20) { nodes { code name } }
  demands(first: 20, year: $year) { edges { rows { year openings } node { code name } } }
  mentors(first: 20) { nodes { key name tier } } } } }"""
    peer = """query B($uscc: String!, $year: Int!) { enterprises(where: {uscc: {eq: $uscc}}) { name
  chains(limit: 20, sort: [{code: ASC}]) { code name }
  demandsConnection(first: 20, where: {edge: {year: {eq: $year}}}, sort: [{node: {code: ASC}}]) {
    edges { properties { year openings } node { code name } } }
  mentors(limit: 20, sort: [{id: ASC}]) { id name tier } } }"""

    def from_ours(data: dict[str, Any]) -> Any:
        e = data["enterprises"]["nodes"][0]
        return (e["name"], _codes(e["chains"]["nodes"]),
                [(d["node"]["code"], row["year"], row["openings"]) for d in e["demands"]["edges"] for row in d["rows"]],
                [(m["key"], m["name"], m["tier"]) for m in e["mentors"]["nodes"]])

    def from_peer(data: dict[str, Any]) -> Any:
        e = data["enterprises"][0]
        return (e["name"], _codes(e["chains"]),
                [(d["node"]["code"], d["properties"]["year"], d["properties"]["openings"])
                 for d in e["demandsConnection"]["edges"]],
                [(m["id"], m["name"], m["tier"]) for m in e["mentors"]])

    variables = {"uscc": uscc, "year": year}
    return Operation("b) one enterprise", Side(ours, variables, from_ours), Side(peer, variables, from_peer))


def _schools_in_0809() -> Operation:
    ours = """{ schools(first: 100, where: {disciplines: {some: {code: {startsWith: "0809"}}}}, orderBy: [{field: CODE}]) {
  totalCount nodes { code name } } }"""
    peer = """{ schoolsConnection(first: 100, where: {disciplines: {some: {code: {startsWith: "0809"}}}}, sort: [{code: ASC}]) {
  totalCount edges { node { code name } } } }"""

    def from_ours(data: dict[str, Any]) -> Any:
        return data["schools"]["totalCount"], _codes(data["schools"]["nodes"])

    def from_peer(data: dict[str, Any]) -> Any:
        found = data["schoolsConnection"]
        return found["totalCount"], _codes([edge["node"] for edge in found["edges"]])

    return Operation("c) schools in 0809", Side(ours, {}, from_ours), Side(peer, {}, from_peer))


def _discipline_counts() -> Operation:
    ours = """{ disciplines(first: 100, orderBy: [{field: CODE}]) { nodes { code name schools { totalCount } } } }"""
    peer = """{ disciplinesConnection(first: 100, sort: [{code: ASC}]) {
  edges { node { code name schoolsConnection { aggregate { count { nodes } } } } } } }"""

    def from_ours(data: dict[str, Any]) -> Any:
        return [(d["code"], d["name"], d["schools"]["totalCount"]) for d in data["disciplines"]["nodes"]]

    def from_peer(data: dict[str, Any]) -> Any:
        return [(e["node"]["code"], e["node"]["name"], e["node"]["schoolsConnection"]["aggregate"]["count"]["nodes"])
                for e in data["disciplinesConnection"]["edges"]]

    return Operation("d) discipline counts", Side(ours, {}, from_ours), Side(peer, {}, from_peer))


def _chain_supply() -> Operation:
    ours = """{ industryChains(first: 20, where: {tier: {eq: "leading"}}, orderBy: [{field: CODE}]) { nodes { code name
  disciplines(first: 10) { nodes { code name schools(first: 10) { nodes { code name district { name } } } } } } } }"""
    peer = """{ industryChains(where: {tier: {eq: "leading"}}, sort: [{code: ASC}], limit: 20) { code name
  needs(limit: 10, sort: [{code: ASC}]) { code name
    schools(limit: 10, sort: [{code: ASC}]) { code name district { name } } } } }"""

    def from_ours(data: dict[str, Any]) -> Any:
        return [(c["code"], [(d["code"], [(s["code"], s["district"] and s["district"]["name"])
                                          for s in d["schools"]["nodes"]]) for d in c["disciplines"]["nodes"]])
                for c in data["industryChains"]["nodes"]]

    def from_peer(data: dict[str, Any]) -> Any:
        return [(c["code"], [(d["code"], [(s["code"], s["district"][0]["name"] if s["district"] else None)
                                          for s in d["schools"]]) for d in c["needs"]])
                for c in data["industryChains"]]

    return Operation("e) chain supply", Side(ours, {}, from_ours), Side(peer, {}, from_peer))


def _search() -> Operation:
    ours = """query S($text: String!) { search(text: $text, kinds: [SCHOOL], first: 10) { node { ... on School { code name } } } }"""
    peer = """query S($text: String!) { schools(where: {name: {contains: $text}}, sort: [{code: ASC}], limit: 10) { code name } }"""

    def from_ours(data: dict[str, Any]) -> Any:
        return sorted((hit["node"]["code"], hit["node"]["name"]) for hit in data["search"] if SEARCH_TEXT in hit["node"]["name"])

    def from_peer(data: dict[str, Any]) -> Any:
        return sorted(_codes(data["schools"]))

    variables = {"text": SEARCH_TEXT}
    return Operation("search", Side(ours, variables, from_ours), Side(peer, variables, from_peer))


def _rename_district() -> Operation:
    ours = """mutation M { upsertDistrict(input: {code: "310101", name: "黄浦区"}) { node { code name } } }"""
    peer = """mutation M { updateDistricts(where: {code: {eq: "310101"}}, update: {name: {set: "黄浦区"}}) {
  districts { code name } } }"""

    def from_ours(data: dict[str, Any]) -> Any:
        node = data["upsertDistrict"]["node"]
        return node["code"], node["name"]

    def from_peer(data: dict[str, Any]) -> Any:
        node = data["updateDistricts"]["districts"][0]
        return node["code"], node["name"]

    return Operation("mutation", Side(ours, {}, from_ours), Side(peer, {}, from_peer))


# ---- servers -------------------------------------------------------------------------------


def wait_until(ready: Callable[[], bool], what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not become ready within {timeout:.0f} s")


def start_ours(store_uri: str, port: int) -> subprocess.Popen[bytes]:
    digest = hashlib.sha256(EDITOR_KEY.encode()).hexdigest()
    env = {**os.environ, "CHANJIAO_STORE": store_uri, "CHANJIAO_RATE_LIMIT": "0", "CHANJIAO_MAX_COST": "1000000",
           "CHANJIAO_API_KEYS": json.dumps({digest: "editor"})}
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_until(lambda: httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200, "our server")
    return server


def install_peer(work: Path) -> Path:
    """The peer's own files copied into `work` and installed from its lock file (once)."""
    peer = work / "peer"
    if not (peer / "node_modules").exists():
        peer.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json", "server.mjs"):
            shutil.copy(PEER_SOURCE / name, peer / name)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=peer, check=True)
    return peer


def start_peer(peer: Path, bolt_uri: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NEO4J_URI": bolt_uri, "PORT": str(port)}
    server = subprocess.Popen(["node", "server.mjs"], cwd=peer, env=env, stdout=subprocess.DEVNULL)
    wait_until(lambda: httpx.post(f"http://127.0.0.1:{port}/", json={"query": "{ __typename }"}).status_code == 200, "the peer")
    return server


# ---- answers and measurements --------------------------------------------------------------


def answer(client: httpx.Client, path: str, side: Side) -> Any:
    response = client.post(path, json={"query": side.document, "variables": side.variables})
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{client.base_url}{path} answered {response.status_code}: {response.text[:600]}")
    return side.normalise(body["data"])


def check_same(operation: Operation, ours: httpx.Client, peer: httpx.Client) -> int:
    """Both servers' normalised answers; a difference stops the run. Returns the answer's size."""
    mine, theirs = answer(ours, "/graphql", operation.ours), answer(peer, "/", operation.peer)
    if mine != theirs:
        raise SystemExit(f"{operation.name}: the answers differ\n ours: {str(mine)[:800]}\n peer: {str(theirs)[:800]}")
    if not mine:
        raise SystemExit(f"{operation.name}: both answers are empty; the comparison would prove nothing")
    return len(json.dumps(mine, ensure_ascii=False))


def latencies(client: httpx.Client, path: str, side: Side, requests: int) -> tuple[float, float]:
    body = {"query": side.document, "variables": side.variables}
    for _ in range(max(5, requests // 10)):
        client.post(path, json=body)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.post(path, json=body)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
    cuts = statistics.quantiles(times, n=20)
    return statistics.median(times) * 1000, cuts[18] * 1000


def throughput(peer_dir: Path, url: str, side: Side, headers: dict[str, str], seconds: int) -> float:
    """Requests per second with CLIENTS concurrent connections, driven by autocannon."""
    body = json.dumps({"query": side.document, "variables": side.variables}, ensure_ascii=False)
    command = [str(peer_dir / "node_modules" / ".bin" / "autocannon"), "-j", "-c", str(CLIENTS), "-d", str(seconds),
               "-m", "POST", "-H", "content-type=application/json", "-b", body, url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}={value}"]
    found = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    if found["non2xx"] or found["errors"]:
        raise RuntimeError(f"{url}: {found['non2xx']} non-2xx answers, {found['errors']} errors under load")
    return float(found["requests"]["total"]) / float(found["duration"])


def measure(peer_dir: Path, operation: Operation, ours: httpx.Client, peer: httpx.Client,
            requests: int, seconds: int) -> tuple[Figures, Figures]:
    ours_p50, ours_p95 = latencies(ours, "/graphql", operation.ours, requests)
    peer_p50, peer_p95 = latencies(peer, "/", operation.peer, requests)
    ours_rate = throughput(peer_dir, f"{ours.base_url}graphql", operation.ours, dict(ours.headers), seconds)
    peer_rate = throughput(peer_dir, f"{peer.base_url}", operation.peer, {}, seconds)
    return Figures(ours_p50, ours_p95, ours_rate), Figures(peer_p50, peer_p95, peer_rate)


def report(rows: dict[str, list[tuple[Figures, Figures]]]) -> None:
    print(f"\n{'operation':<22} {'ours p50':>9} {'peer p50':>9} {'p50 x':>6} {'ours p95':>9} {'peer p95':>9} "
          f"{'p95 x':>6} {'ours /s':>8} {'peer /s':>8} {'/s x':>6}")
    for name, rounds in rows.items():
        ours = Figures(*(statistics.median(getattr(o, f) for o, _ in rounds) for f in ("p50_ms", "p95_ms", "per_second")))
        peer = Figures(*(statistics.median(getattr(p, f) for _, p in rounds) for f in ("p50_ms", "p95_ms", "per_second")))
        print(f"{name:<22} {ours.p50_ms:7.2f}ms {peer.p50_ms:7.2f}ms {ours.p50_ms / peer.p50_ms:5.2f}x "
              f"{ours.p95_ms:7.2f}ms {peer.p95_ms:7.2f}ms {ours.p95_ms / peer.p95_ms:5.2f}x "
              f"{ours.per_second:8.0f} {peer.per_second:8.0f} {ours.per_second / peer.per_second:5.2f}x")
    print(f"(medians over rounds; load average {' '.join(f'{load:.2f}' for load in os.getloadavg())})")


# ---- the run -------------------------------------------------------------------------------


def load_data(bolt_uri: str, scale: int, work: Path) -> None:
    from graph.open import open_store
    from loaders.run import LoadOptions, load, prepare
    from loaders.synthetic import generate

    datasets = [ROOT / "data" / "shanghai"]
    if scale > 1:
        generated = work / f"dataset-{scale}"
        if not generated.exists():
            generate(generated, scale=scale)
        datasets.append(generated)
    store = open_store(bolt_uri)
    try:
        store.ensure_schema()
        options = LoadOptions(rejects_dir=work / "rejects")
        for dataset in datasets:
            started = time.perf_counter()
            load(prepare([dataset], options), store, options)
            print(f"loaded {dataset} in {time.perf_counter() - started:.0f} s")
        counts = store.stats()
        print(f"Neo4j holds {sum(counts.nodes.values()):,} nodes and {sum(counts.relationships.values()):,} relationships")
    finally:
        store.close()


def subjects(client: httpx.Client) -> tuple[list[str], int, str, int]:
    """70 school codes, the latest year with offers, an enterprise with chains, demands and
    mentors, and a year it demands in."""
    found = client.post("/graphql", json={"query": """{
  schools(first: 70, orderBy: [{field: CODE}]) { nodes { code disciplines(first: 1) { edges { rows { year } } } } }
  enterprises(first: 1, where: {mentors: {some: {}}, demands: {some: {}}, chains: {some: {}}}, orderBy: [{field: USCC}]) {
    nodes { uscc demands(first: 1) { edges { rows { year } } } } } }"""}).json()["data"]
    codes = [school["code"] for school in found["schools"]["nodes"]]
    years = [row["year"] for school in found["schools"]["nodes"] for edge in school["disciplines"]["edges"] for row in edge["rows"]]
    enterprise = found["enterprises"]["nodes"][0]
    demanded = [row["year"] for edge in enterprise["demands"]["edges"] for row in edge["rows"]]
    return codes, max(years), enterprise["uscc"], max(demanded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=20, help="generated scale loaded beside the bundled data (1: none)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-peer")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per latency measurement")
    parser.add_argument("--seconds", type=int, default=5, help="duration of each throughput measurement")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    from chanjiao import neo4j_local

    data_dir = Path(tempfile.mkdtemp(prefix="neo4j-", dir=args.work))
    neo4j = neo4j_local.start(data_dir, port=neo4j_local.free_port())
    servers: list[subprocess.Popen[bytes]] = []
    try:
        load_data(neo4j.uri, args.scale, args.work)
        peer_dir = install_peer(args.work)
        ours_port, peer_port = neo4j_local.free_port(), neo4j_local.free_port()
        servers.append(start_ours(neo4j.uri, ours_port))
        servers.append(start_peer(peer_dir, neo4j.uri, peer_port))
        with httpx.Client(base_url=f"http://127.0.0.1:{ours_port}/", timeout=60, headers={"X-API-Key": EDITOR_KEY}) as ours, \
             httpx.Client(base_url=f"http://127.0.0.1:{peer_port}/", timeout=60) as peer:
            chosen = operations(*subjects(ours))
            for operation in chosen:
                print(f"{operation.name}: same answer from both ({check_same(operation, ours, peer)} characters)")
            rows: dict[str, list[tuple[Figures, Figures]]] = {operation.name: [] for operation in chosen}
            for number in range(1, args.rounds + 1):
                print(f"round {number} of {args.rounds}")
                for operation in chosen:
                    rows[operation.name].append(measure(peer_dir, operation, ours, peer, args.requests, args.seconds))
            report(rows)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        neo4j_local.stop(data_dir)


if __name__ == "__main__":
    main()
