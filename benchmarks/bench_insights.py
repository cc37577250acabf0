"""Latency of `talentGap` for a chain and `partnerMatches` (schools for an enterprise) on each
store at about 1M nodes, against the single hand-written Cypher query that answers the same
question, measured in the same run.

    .venv/bin/chanjiao generate --out /tmp/bench-insights/data --scale 500          # ≈ 1M nodes
    .venv/bin/python benchmarks/bench_insights.py --data /tmp/bench-insights/data --load \\
        --store bolt://127.0.0.1:7687 --store embedded:/tmp/bench-insights/embedded

`talentGap` runs `queries.gaps.talent_gap(year, chain)` cold (its per-data-version memo cleared
before every call; "repeated" shows the memo answering the same question again); `partnerMatches` runs
`queries.matching.partner_matches(enterprise, SCHOOL, first=10)` over `--enterprises` enterprises
taken evenly from the dataset, round robin. The baseline (Neo4j only) is one Cypher query per
question, computing the same rows or the same top 10 with their scores and evidence in the
database; it is checked to give the same answer before it is timed. The talentGap baseline reads
the running totals every Neo4j write keeps (`graph.neo4j.totals`); the query that sums the
relationships themselves is timed beside it for reference. Reported: p50 and p95 in
milliseconds after `--warmup` runs, and ours / baseline at p50 and p95 (target: p95 < 100 ms on
Neo4j and a ratio of at most 1.2). The measuring process settles its heap after startup as the API
server does (`chanjiao.runtime.settled_heap`), so a full garbage collection over the imported
modules does not land inside one call in twenty.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neo4j import READ_ACCESS

from chanjiao.runtime import settled_heap
from chanjiao.stores import open_configured
from graph.open import NEO4J_SCHEMES
from graph.records import NodeRef
from graph.store import GraphStore
from loaders.run import LoadOptions, load, prepare
from queries.gaps import FACTS, GapRequest, talent_gap
from queries.matching import partner_matches

# The hand-written queries: what one would write to answer each question in a single round trip,
# computing in the database everything the store-agnostic path computes in Python.
TALENT_GAP = """
MATCH (root:IndustryChain {code: $chain})
MATCH (c:IndustryChain)-[:PART_OF*0..]->(root)
WITH collect(DISTINCT c) AS chains
CALL (chains) {
  UNWIND chains AS c
  MATCH (c)<-[:IN_CHAIN]-(e:Enterprise)
  WITH DISTINCT e
  MATCH (e)-[r:DEMANDS]->(d:Discipline) WHERE r.year = $year
  RETURN d, sum(coalesce(r.openings, 0)) AS demand, collect(DISTINCT r.source) AS sources
  UNION
  UNWIND chains AS c
  MATCH (c)-[:NEEDS]->(d:Discipline)
  RETURN DISTINCT d, 0 AS demand, [] AS sources
}
WITH d, sum(demand) AS demand, collect(sources) AS demandSources
CALL (d) {
  OPTIONAL MATCH (d)<-[o:OFFERS]-(:School) WHERE o.year = $year
  RETURN sum(coalesce(o.graduates, 0)) AS supply, collect(DISTINCT o.source) AS supplySources
}
WITH d, demand, supply, demandSources, supplySources WHERE demand > 0 OR supply > 0
WITH d, demand, supply, demand - supply AS gap, CASE WHEN demand > 0 THEN toFloat(supply) / demand END AS ratio,
     reduce(all = supplySources, found IN demandSources | all + found) AS sources
RETURN properties(d) AS discipline, demand, supply, gap, ratio, sources,
       CASE WHEN demand > 0 AND ratio < $shortage THEN 'SHORTAGE'
            WHEN ratio > $surplus OR (demand = 0 AND supply > 0) THEN 'SURPLUS' ELSE 'BALANCED' END AS status
ORDER BY gap DESC, d.code
"""

# The same question answered from the running demand totals that every Neo4j write keeps
# (`graph.neo4j.cypher.totals`): the optimal query on the schema as it is.
TALENT_GAP_FROM_TOTALS = """
MATCH (root:IndustryChain {code: $chain})
CALL (root) {
  MATCH (t:_DemandTotal {scope: root.code, year: $year})
  RETURN t.discipline AS code, sum(t.amount) AS demand, collect(t.source) AS sources
  UNION
  MATCH (c:IndustryChain)-[:PART_OF*0..]->(root)
  MATCH (c)-[:NEEDS]->(d:Discipline)
  RETURN DISTINCT d.code AS code, 0 AS demand, [] AS sources
}
WITH code, sum(demand) AS demand, collect(sources) AS demandSources
MATCH (d:Discipline {code: code})
CALL (d) {
  OPTIONAL MATCH (d)<-[o:OFFERS]-(:School) WHERE o.year = $year
  RETURN sum(coalesce(o.graduates, 0)) AS supply, collect(DISTINCT o.source) AS supplySources
}
WITH d, demand, supply, demandSources, supplySources WHERE demand > 0 OR supply > 0
WITH d, demand, supply, demand - supply AS gap, CASE WHEN demand > 0 THEN toFloat(supply) / demand END AS ratio,
     [source IN reduce(all = supplySources, found IN demandSources | all + found) WHERE source <> ''] AS sources
RETURN properties(d) AS discipline, demand, supply, gap, ratio, sources,
       CASE WHEN demand > 0 AND ratio < $shortage THEN 'SHORTAGE'
            WHEN ratio > $surplus OR (demand = 0 AND supply > 0) THEN 'SURPLUS' ELSE 'BALANCED' END AS status
ORDER BY gap DESC, d.code
"""

PARTNERS = """
MATCH (e:Enterprise {uscc: $key})
CALL (e) { OPTIONAL MATCH (e)-[r:DEMANDS]->(:Discipline) RETURN max(r.year) AS year }
CALL (e, year) {
  MATCH (e)-[r:DEMANDS]->(d:Discipline) WHERE r.year = year
  WITH d, sum(coalesce(r.openings, 0)) AS openings
  RETURN collect([d.code, d.name, openings]) AS needs
}
CALL (e) {
  MATCH (e)-[:MEMBER_OF]->(a:Alliance)<-[:MEMBER_OF]-(s:School) RETURN 'alliance' AS kind, a.name AS via, s.code AS school
  UNION ALL
  MATCH (e)<-[:COOPERATES_WITH]-(s:School) RETURN 'cooperation' AS kind, s.name AS via, s.code AS school
  UNION ALL
  MATCH (e)<-[:EMPLOYED_BY]-(m:Mentor)-[:MENTORS_AT]->(s:School) RETURN 'mentor' AS kind, m.name AS via, s.code AS school
  UNION ALL
  MATCH (e)<-[:HOSTED_BY]-(b:Base)-[:PARTNERS_WITH]->(s:School) RETURN 'base' AS kind, b.name AS via, s.code AS school
}
WITH e, year, needs, collect([kind, via, school]) AS links,
     head(COLLECT { MATCH (e)-[:LOCATED_IN]->(p:District) RETURN p ORDER BY p.code }) AS here
CALL (year, needs, links) {
  UNWIND needs AS need
  MATCH (:Discipline {code: need[0]})<-[o:OFFERS]-(s:School) WHERE o.year = year
  RETURN s, need[0] AS code, coalesce(o.graduates, 0) AS graduates, need[2] AS openings
  UNION ALL
  UNWIND links AS link
  MATCH (s:School {code: link[2]})
  RETURN s, null AS code, 0 AS graduates, 0 AS openings
}
WITH e, year, needs, links, here, s, collect(code) AS codes, sum(graduates) AS graduates, sum(openings) AS openings
WITH *, [link IN links WHERE link[2] = s.code] AS mine,
     head(COLLECT { MATCH (s)-[:LOCATED_IN]->(p:District) RETURN p ORDER BY p.code }) AS there
WITH *, CASE WHEN here IS NULL OR there IS NULL OR here.latitude IS NULL OR there.latitude IS NULL THEN null
             ELSE 2 * 6371.0088 * asin(sqrt(haversin(radians(there.latitude - here.latitude))
                  + cos(radians(here.latitude)) * cos(radians(there.latitude))
                  * haversin(radians(there.longitude - here.longitude)))) END AS km
WITH *, CASE WHEN size(needs) > 0 THEN toFloat(size(codes)) / size(needs) ELSE 0.0 END AS fit,
     CASE WHEN openings = 0 THEN 0.0 WHEN graduates >= openings THEN 1.0 ELSE toFloat(graduates) / openings END AS capacity,
     CASE WHEN here IS NULL OR there IS NULL THEN 0.0 WHEN here.code = there.code THEN 1.0
          WHEN km IS NULL OR km >= 50 THEN 0.0 ELSE 1 - km / 50 END AS proximity,
     toFloat(size(COLLECT { UNWIND mine AS link RETURN DISTINCT link[0] })) / 4 AS ties
WITH *, (0.4 * fit + 0.2 * capacity + 0.2 * proximity + 0.2 * ties) / 1.0 AS score
ORDER BY score DESC, s.code
LIMIT $first
RETURN properties(s) AS school, score, fit, size(codes) AS x, size(needs) AS y, capacity, graduates, openings, proximity, km,
       ties, here.name AS here, there.name AS there, [n IN needs WHERE n[0] IN codes | [n[0], n[1]]] AS matched, mine AS evidence
"""


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed(*works: Callable[[int], Any], runs: int, warmup: int) -> list[tuple[float, float]]:
    """p50 and p95 in ms of each `work(i)` for i in 0..runs-1, after `warmup` untimed calls. The
    works are interleaved (their order rotating) so that all of them meet the same machine load."""
    for i in range(warmup):
        for work in works:
            work(i)
    samples: list[list[float]] = [[] for _ in works]
    for i in range(runs):
        for offset in range(len(works)):
            index = (i + offset) % len(works)
            started = time.perf_counter()
            works[index](i)
            samples[index].append((time.perf_counter() - started) * 1000)
    return [percentiles(found) for found in samples]


def enterprises(data: Path, count: int) -> list[str]:
    with (data / "enterprises.csv").open(encoding="utf-8", newline="") as handle:
        keys = [row["uscc"] for row in csv.DictReader(handle)]
    step = max(1, len(keys) // count)
    return keys[::step][:count]


def ensure_loaded(store: GraphStore, data: Path, expected: int) -> None:
    if store.count_nodes("Enterprise") == expected:
        return
    started = time.perf_counter()
    store.ensure_schema()
    options = LoadOptions(rejects_dir=data.parent / "rejects", batch_size=20_000)
    report = load(prepare([data], options), store, options)
    print(f"  loaded {data} in {time.perf_counter() - started:.0f} s ({len(report.errors)} errors)", flush=True)


class Baseline:
    """The hand-written queries, run the way the store runs a read of one statement (an
    auto-commit transaction: one round trip)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def read(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with self.store.driver.session(**self.store.session_args, default_access_mode=READ_ACCESS) as session:
            return [dict(record.items()) for record in session.run(query, params)]

    def talent_gap(self, year: int, chain: str, query: str = TALENT_GAP) -> tuple[list[tuple[str, int, int]], set[str]]:
        """The rows as (code, demand, supply), and the sources of the counted relationships."""
        rows = self.read(query, {"year": year, "chain": chain, "shortage": 0.8, "surplus": 1.2})
        sources = {source for row in rows for source in row["sources"]}
        return [(row["discipline"]["code"], row["demand"], row["supply"]) for row in rows], sources

    def partners(self, uscc: str, first: int) -> list[tuple[str, float]]:
        rows = self.read(PARTNERS, {"key": uscc, "first": first})
        return [(row["school"]["code"], row["score"]) for row in rows]


def check_same(store: GraphStore, baseline: Baseline, year: int, chain: str, subjects: list[str]) -> None:
    gap = talent_gap(store, year, GapRequest(chain=chain))
    ours = [(r.discipline.key, r.demand, r.supply) for r in gap.rows]
    assert (ours, set(gap.sources)) == baseline.talent_gap(year, chain), "the talentGap baseline disagrees"
    from_totals = baseline.talent_gap(year, chain, TALENT_GAP_FROM_TOTALS)
    assert (ours, set(gap.sources)) == from_totals, "the talentGap baseline from totals disagrees"
    for uscc in subjects:
        matches = partner_matches(store, NodeRef("Enterprise", uscc), "SCHOOL", 10).matches
        theirs = baseline.partners(uscc, 10)
        assert [m.partner.key for m in matches] == [key for key, _ in theirs], f"partner baseline disagrees for {uscc}"
        assert all(abs(m.score - score) < 1e-9 for m, (_, score) in zip(matches, theirs, strict=True))


def bench_store(uri: str, args: argparse.Namespace, subjects: list[str], expected: int) -> None:
    store = open_configured(uri)
    print(f"{uri}:", flush=True)
    try:
        if args.load:
            ensure_loaded(store, args.data, expected)
        nodes = sum(store.stats().nodes.values())
        print(f"  {nodes:,} nodes; chain {args.chain}, year {args.year}, {len(subjects)} enterprises, "
              f"{args.runs} runs after {args.warmup}", flush=True)
        with settled_heap():  # as the API server holds its heap while serving
            measure(store, uri.startswith(NEO4J_SCHEMES), args, subjects)
    finally:
        store.close()


def measure(store: GraphStore, neo4j: bool, args: argparse.Namespace, subjects: list[str]) -> None:
    """Our two queries; on Neo4j interleaved with their baselines, after checking they agree."""
    def gap(i: int) -> Any:
        FACTS.clear()  # cold: the memo would answer a repeated question from memory
        return talent_gap(store, args.year, GapRequest(chain=args.chain))

    def repeated_gap(i: int) -> Any:
        return talent_gap(store, args.year, GapRequest(chain=args.chain))

    def match(i: int) -> Any:
        return partner_matches(store, NodeRef("Enterprise", subjects[i % len(subjects)]), "SCHOOL", 10)

    report("talentGap repeated (memo)", timed(repeated_gap, runs=args.runs, warmup=1)[0])
    if not neo4j:
        report("talentGap", timed(gap, runs=args.runs, warmup=args.warmup)[0])
        report("partnerMatches", timed(match, runs=args.runs, warmup=args.warmup)[0])
        return
    baseline = Baseline(store)
    check_same(store, baseline, args.year, args.chain, subjects)
    mine, floor = timed(gap, lambda i: baseline.talent_gap(args.year, args.chain, TALENT_GAP_FROM_TOTALS),
                        runs=args.runs, warmup=args.warmup)
    report("talentGap", mine)
    report("talentGap baseline", floor, mine)
    # Timed on its own: a slow neighbour in the rotation would slow whichever query follows it.
    summed = timed(lambda i: baseline.talent_gap(args.year, args.chain), runs=max(1, args.runs // 4), warmup=1)[0]
    report("talentGap summing rels", summed, mine)
    mine, floor = timed(match, lambda i: baseline.partners(subjects[i % len(subjects)], 10), runs=args.runs,
                        warmup=args.warmup)
    report("partnerMatches", mine)
    report("partnerMatches baseline", floor, mine)


def report(name: str, figures: tuple[float, float], ours: tuple[float, float] | None = None) -> None:
    line = f"  {name:<26} p50 {figures[0]:8.1f} ms   p95 {figures[1]:8.1f} ms"
    if ours is not None:
        line += f"   ours/baseline p50 {ours[0] / figures[0]:.2f}  p95 {ours[1] / figures[1]:.2f}"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="A dataset folder written by `chanjiao generate`")
    parser.add_argument("--store", action="append", required=True, help="Store URI (repeatable)")
    parser.add_argument("--load", action="store_true", help="Load --data into each store unless it is already there")
    parser.add_argument("--chain", default="IC")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--enterprises", type=int, default=20)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    subjects = enterprises(args.data, args.enterprises)
    with (args.data / "enterprises.csv").open(encoding="utf-8") as handle:
        expected = sum(1 for _ in handle) - 1
    for uri in args.store:
        bench_store(uri, args, subjects, expected)


if __name__ == "__main__":
    main()
