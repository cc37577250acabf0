"""Cypher for the running demand totals behind `talentGap` on Neo4j (`graph.neo4j.totals`).

A total keeps, per (scope, discipline, year, enterprise districts, source), the summed openings of
`DEMANDS`, how many relationships it sums (`rels`) and how many of those are synthetic
(`synthetic_rels`, for the synthetic share of a talent gap's input). There is one scope per chain, holding every
enterprise `IN_CHAIN` of that chain's subtree once, and the scope '' holding every enterprise.
`districts` is the enterprise's district codes, sorted and joined by commas ('' when it has none),
so a reader can count per district exactly as a match on `LOCATED_IN` would. Totals change by a
contribution: subtracted before a write and added after it, in the same transaction. (Supply
needs no totals: a discipline is offered by a few hundred schools at most, while a leading chain's
enterprises demand hundreds of thousands of times a year.)
"""

from __future__ import annotations

from functools import cache
from typing import Final

from graph.insights import AMOUNTS
from graph.model import node_kind
from graph.neo4j.cypher import names
from graph.neo4j.cypher.statements import META_LABEL

META_NAME: Final = "totals"
# Bump when the shape of the totals changes: `ensure_schema` then rebuilds them.
FORMAT: Final = 2


LABEL: Final = "_DemandTotal"
_ENTERPRISE: Final = node_kind("Enterprise")




def schema_statements() -> list[str]:
    return [
        f"CREATE CONSTRAINT demandtotal_id_unique IF NOT EXISTS FOR (t:{LABEL}) REQUIRE t.id IS UNIQUE",
        f"CREATE INDEX demandtotal_scope_year IF NOT EXISTS FOR (t:{LABEL}) ON (t.scope, t.year)",
    ]


def _scopes() -> str:
    return (f"[''] + COLLECT {{ MATCH (h)-[:{names.rel('IN_CHAIN')}]->(:{names.label('IndustryChain')})"
            f"-[:{names.rel('PART_OF')}*0..]->(a:{names.label('IndustryChain')}) RETURN DISTINCT a.code }}")


def _tallied(scopes: str) -> str:
    """From rows of an enterprise `h` and its `pairs` (`[relationship, discipline]`), one row per
    total they sum into: `scope` (each of `scopes`), `discipline`, `year`, `districts`, `source`,
    and what they sum (`amount`, `rels`, `made_up`)."""
    return (
        "WHERE size(pairs) > 0\n"
        f"WITH pairs, COLLECT {{ MATCH (h)-[:{names.rel('LOCATED_IN')}]->(p:{names.label('District')}) RETURN p.code AS code ORDER BY code }} AS codes,\n"
        f"     {scopes} AS scopes\n"
        "UNWIND pairs AS pair\n"
        "WITH pair[0] AS r, pair[1] AS d, codes, scopes\n"
        "UNWIND scopes AS scope\n"
        "WITH scope, d.code AS discipline, r.year AS year,\n"
        "     reduce(joined = '', code IN codes | joined + CASE joined WHEN '' THEN '' ELSE ',' END + code) AS districts,\n"
        f"     coalesce(r.source, '') AS source, sum(coalesce(r.{AMOUNTS['DEMANDS']}, 0)) AS amount, count(r) AS rels,\n"
        "     sum(CASE WHEN r.synthetic = true THEN 1 ELSE 0 END) AS made_up\n"
    )


_ID: Final = "scope + '|' + discipline + '|' + toString(year) + '|' + districts + '|' + source"


@cache
def contribution_query(adding: bool, whole: bool) -> str:
    """Adds (or subtracts) a contribution to the totals: of every relationship of the holders
    keyed `$keys` (`whole`), or of the relationships named by `$rows` (`{source, target, year}`);
    totals that no longer sum any relationship are deleted."""
    rel, holder, key, discipline = names.rel("DEMANDS"), _ENTERPRISE.label, _ENTERPRISE.key, names.label("Discipline")
    if whole:
        found = (f"UNWIND $keys AS key\nMATCH (h:{holder} {{{key}: key}})\n"
                 f"WITH h, COLLECT {{ MATCH (h)-[r:{rel}]->(d:{discipline}) RETURN [r, d] AS pair }} AS pairs\n")
    else:
        # The year is compared as a map, which no index answers: a seek on the relationship index
        # of the year would scan every relationship of that year per row (see `cypher.upsert_rels_query`).
        found = (f"UNWIND $rows AS row\nMATCH (h:{holder} {{{key}: row.source}})\n"
                 f"MATCH (d:{discipline} {{code: row.target}})\n"
                 f"UNWIND [(h)-[y:{rel}]->(d) WHERE y {{.year}} = {{year: row.year}} | y] AS r\n"
                 "WITH h, collect([r, d]) AS pairs\n")
    sign, plus = ("", "+") if adding else ("-", "-")
    return (
        found
        + _tallied(_scopes())
        + f"MERGE (t:{LABEL} {{id: {_ID}}})\n"
        "ON CREATE SET t.scope = scope, t.discipline = discipline, t.year = year, t.districts = districts,\n"
        f"              t.source = source, t.amount = {sign}amount, t.rels = {sign}rels, t.synthetic_rels = {sign}made_up\n"
        f"ON MATCH SET t.amount = t.amount {plus} amount, t.rels = t.rels {plus} rels,\n"
        f"             t.synthetic_rels = t.synthetic_rels {plus} made_up\n"
        + ("" if adding else "WITH t WHERE t.rels = 0\nDELETE t")
    )


# Every total of the disciplines `$codes` from their relationships, once the old ones are
# cleared (an auto-commit transaction only). Each enterprise's districts and scopes are looked up
# once, and every total is written once. A writer that wrote a total meanwhile makes the rebuild
# find it: the values are set, never added.
REBUILD: Final = (
    f"MATCH (target:{names.label('Discipline')})<-[:{names.rel('DEMANDS')}]-(h:{_ENTERPRISE.label})\n"
    "WHERE target.code IN $codes\n"
    "WITH DISTINCT h\n"
    f"WITH h, COLLECT {{ MATCH (h)-[r:{names.rel('DEMANDS')}]->(d:{names.label('Discipline')}) WHERE d.code IN $codes "
    "RETURN [r, d] AS pair } AS pairs\n"
    + _tallied(_scopes())
    + "CALL (scope, discipline, year, districts, source, amount, rels, made_up) {\n"
    f"  MERGE (t:{LABEL} {{id: {_ID}}})\n"
    "  SET t.scope = scope, t.discipline = discipline, t.year = year, t.districts = districts, t.source = source,\n"
    "      t.amount = amount, t.rels = rels, t.synthetic_rels = made_up\n"
    "} IN TRANSACTIONS OF 10000 ROWS"
)
# How many `DEMANDS` each discipline has: the rebuild sums them in parts of a bounded size.
DEMANDED: Final = (f"MATCH (d:{names.label('Discipline')})\n"
                   f"RETURN d.code AS code, COUNT {{ (d)<-[:{names.rel('DEMANDS')}]-(:{_ENTERPRISE.label}) }} AS rels")


@cache
def lock_query(label: str) -> str:
    """Takes the write lock of the nodes keyed `$keys`, so that concurrent writers of the same
    holder read and change its contribution one after the other."""
    return (f"UNWIND $keys AS key\nMATCH (n:{names.label(label)} {{{names.key(label)}: key}})\n"
            "SET n._totals_lock = true REMOVE n._totals_lock")


# Deletes every total, in batches (an auto-commit transaction only).
CLEAR: Final = f"MATCH (t:{LABEL}) CALL (t) {{ DELETE t }} IN TRANSACTIONS OF 10000 ROWS"


@cache
def holders_of_query(label: str) -> str:
    """The enterprises whose contribution involves a node of `label` keyed `$keys`: a discipline
    they demand, a district they are in, or a chain of whose subtree they are part."""
    step = {
        "Discipline": f"-[:{names.rel('DEMANDS')}]->",
        "District": f"-[:{names.rel('LOCATED_IN')}]->",
        "IndustryChain": f"-[:{names.rel('IN_CHAIN')}]->(:{names.label('IndustryChain')})-[:{names.rel('PART_OF')}*0..]->",
    }[label]
    return (f"UNWIND $keys AS key\nMATCH (h:{_ENTERPRISE.label}){step}(:{names.label(label)} {{{names.key(label)}: key}})\n"
            f"RETURN collect(DISTINCT h.{_ENTERPRISE.key}) AS keys")


# The totals' state on their `_Meta` node: `format`, and `stale` while writes were made without
# keeping them (a load defers them: `graph.neo4j.totals.totals_deferred`). Readers then sum the
# relationships themselves (`demand_in_scope`); a rebuild that no write overlapped settles them.
TOTALS_STATE: Final = (f"MATCH (m:{META_LABEL} {{name: $name}})\n"
                       "RETURN m.format AS format, coalesce(m.stale, false) AS stale")
MARK_STALE: Final = f"MERGE (m:{META_LABEL} {{name: $name}}) SET m.stale = true"
# The count of committed writes (`statements.BUMP_DATA_VERSION`), -1 before the first.
WRITES: Final = f"OPTIONAL MATCH (v:{META_LABEL} {{name: 'data'}}) RETURN coalesce(v.version, -1) AS writes"
# Marks the totals exact, unless a write committed since `$writes` were counted. The count's node
# is write-locked first, as every write locks it to count itself: none commits in between.
SETTLE: Final = (
    f"OPTIONAL MATCH (v:{META_LABEL} {{name: 'data'}})\n"
    "SET v._lock = true REMOVE v._lock\n"
    "WITH v WHERE coalesce(v.version, -1) = $writes\n"
    f"MERGE (m:{META_LABEL} {{name: $name}}) SET m.format = $format, m.stale = false\n"
    "RETURN count(m) AS settled"
)


def demand_in_scope(chain: str | None) -> str:
    """The totals `t` of `$years` in the scope of the chain bound to `chain` (every enterprise's
    when None). While they are stale, the same sums from the relationships themselves (maps with
    a total's properties): a reader never sees totals that a load has not finished."""
    rel, holder = names.rel("DEMANDS"), _ENTERPRISE.label
    if chain is None:
        scope, imported = "''", "totals"
        holders = f"MATCH (h:{holder})\n"
    else:
        scope, imported = f"{chain}.code", f"totals, {chain}"
        holders = (f"MATCH ({chain})<-[:{names.rel('PART_OF')}*0..]-"
                   f"(:{names.label('IndustryChain')})<-[:{names.rel('IN_CHAIN')}]-(h:{holder})\nWITH DISTINCT h\n")
    live = (holders
            + f"WITH h, COLLECT {{ MATCH (h)-[r:{rel}]->(d:{names.label('Discipline')}) WHERE r.year IN $years "
            "RETURN [r, d] AS pair } AS pairs\n"
            + _tallied(f"[{scope}]")
            + "RETURN {scope: scope, discipline: discipline, year: year, districts: districts, source: source,\n"
            "        amount: amount, rels: rels, synthetic_rels: made_up} AS t\n")
    return (
        f"OPTIONAL MATCH (totals:{META_LABEL} {{name: '{META_NAME}'}})\n"
        f"CALL ({imported}) {{\n"
        "  WITH totals WHERE NOT coalesce(totals.stale, false)\n"
        f"  MATCH (t:{LABEL} {{scope: {scope}}}) WHERE t.year IN $years\n"
        "  RETURN t\n"
        "  UNION ALL\n"
        "  WITH totals WHERE coalesce(totals.stale, false)\n"
        + "".join(f"  {line}\n" for line in live.splitlines())
        + "}\n"
    )
