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
        + "WHERE size(pairs) > 0\n"
        f"WITH pairs, COLLECT {{ MATCH (h)-[:{names.rel('LOCATED_IN')}]->(p:{names.label('District')}) RETURN p.code AS code ORDER BY code }} AS codes,\n"
        f"     {_scopes()} AS scopes\n"
        "UNWIND pairs AS pair\n"
        "WITH pair[0] AS r, pair[1] AS d, codes, scopes\n"
        "UNWIND scopes AS scope\n"
        "WITH scope, d.code AS discipline, r.year AS year,\n"
        "     reduce(joined = '', code IN codes | joined + CASE joined WHEN '' THEN '' ELSE ',' END + code) AS districts,\n"
        f"     coalesce(r.source, '') AS source, sum(coalesce(r.{AMOUNTS['DEMANDS']}, 0)) AS amount, count(r) AS rels,\n"
        "     sum(CASE WHEN r.synthetic = true THEN 1 ELSE 0 END) AS made_up\n"
        f"MERGE (t:{LABEL} {{id: scope + '|' + discipline + '|' + toString(year) + '|' + districts + '|' + source}})\n"
        "ON CREATE SET t.scope = scope, t.discipline = discipline, t.year = year, t.districts = districts,\n"
        f"              t.source = source, t.amount = {sign}amount, t.rels = {sign}rels, t.synthetic_rels = {sign}made_up\n"
        f"ON MATCH SET t.amount = t.amount {plus} amount, t.rels = t.rels {plus} rels,\n"
        f"             t.synthetic_rels = t.synthetic_rels {plus} made_up\n"
        + ("" if adding else "WITH t WHERE t.rels = 0\nDELETE t")
    )


@cache
def lock_query(label: str) -> str:
    """Takes the write lock of the nodes keyed `$keys`, so that concurrent writers of the same
    holder read and change its contribution one after the other."""
    return (f"UNWIND $keys AS key\nMATCH (n:{names.label(label)} {{{names.key(label)}: key}})\n"
            "SET n._totals_lock = true REMOVE n._totals_lock")


# Deletes every total, in batches (an auto-commit transaction only).
CLEAR: Final = f"MATCH (t:{LABEL}) CALL (t) {{ DELETE t }} IN TRANSACTIONS OF 10000 ROWS"
ALL_ENTERPRISES: Final = f"MATCH (h:{_ENTERPRISE.label}) RETURN collect(h.{_ENTERPRISE.key}) AS keys"


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


TOTALS_FORMAT: Final = f"MATCH (m:{META_LABEL} {{name: $name}}) RETURN m.format AS format"
SET_TOTALS_FORMAT: Final = f"MERGE (m:{META_LABEL} {{name: $name}}) SET m.format = $format"
