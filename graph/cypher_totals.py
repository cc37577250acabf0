"""Cypher for the running totals behind `talentGap` on Neo4j (`graph.neo4j_totals`).

A tally keeps, per (scope, discipline, year, holder districts, source), the summed amount of one
year-keyed relationship and how many relationships it sums: openings of `DEMANDS` from
enterprises, graduates of `OFFERS` from schools. The demand tally has one scope per chain, holding
every enterprise `IN_CHAIN` of that chain's subtree once, and the scope '' holding every
enterprise; the supply tally has the scope '' only. `districts` is the holder's district codes,
sorted and joined by commas ('' when it has none), so a reader can count per district exactly as
a match on `LOCATED_IN` would. Totals are changed by a holder's contribution: subtracted before a
write and added after it, in the same transaction (see `graph.neo4j_totals`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

from graph.cypher import META_LABEL
from graph.model import node_kind, rel_kind

META_NAME: Final = "totals"
# Bump when the shape of the totals changes: `ensure_schema` then rebuilds them.
FORMAT: Final = 1


@dataclass(frozen=True)
class Tally:
    label: str
    holder: str
    rel_type: str
    amount: str
    chained: bool

    @property
    def holder_key(self) -> str:
        return node_kind(self.holder).key


DEMAND: Final = Tally("_DemandTotal", "Enterprise", "DEMANDS", "openings", chained=True)
SUPPLY: Final = Tally("_SupplyTotal", "School", "OFFERS", "graduates", chained=False)
TALLIES: Final = (DEMAND, SUPPLY)


def _label(label: str) -> str:
    return node_kind(label).label


def _rel(rel_type: str) -> str:
    return rel_kind(rel_type).type


def schema_statements() -> list[str]:
    statements = []
    for tally in TALLIES:
        name = tally.label.strip("_").lower()
        statements.append(f"CREATE CONSTRAINT {name}_id_unique IF NOT EXISTS FOR (t:{tally.label}) REQUIRE t.id IS UNIQUE")
        statements.append(f"CREATE INDEX {name}_scope_year IF NOT EXISTS FOR (t:{tally.label}) ON (t.scope, t.year)")
        statements.append(f"CREATE INDEX {name}_discipline_year IF NOT EXISTS FOR (t:{tally.label}) ON (t.discipline, t.year)")
    return statements


def _scopes(tally: Tally) -> str:
    if not tally.chained:
        return "['']"
    return (f"[''] + COLLECT {{ MATCH (h)-[:{_rel('IN_CHAIN')}]->(:{_label('IndustryChain')})"
            f"-[:{_rel('PART_OF')}*0..]->(a:{_label('IndustryChain')}) RETURN DISTINCT a.code }}")


@cache
def contribution_query(tally: Tally, adding: bool) -> str:
    """Adds (or subtracts) the contribution of the holders keyed `$keys` to the totals; totals
    that no longer sum any relationship are deleted."""
    sign = "" if adding else "-"
    change = (
        f"ON CREATE SET t.scope = scope, t.discipline = discipline, t.year = year, t.districts = districts,\n"
        f"              t.source = source, t.amount = {sign}amount, t.rels = {sign}rels\n"
        f"ON MATCH SET t.amount = t.amount {'+' if adding else '-'} amount, t.rels = t.rels {'+' if adding else '-'} rels\n"
    )
    return (
        f"UNWIND $keys AS key\nMATCH (h:{_label(tally.holder)} {{{tally.holder_key}: key}})\n"
        f"WHERE EXISTS {{ (h)-[:{_rel(tally.rel_type)}]->(:{_label('Discipline')}) }}\n"
        f"WITH h, COLLECT {{ MATCH (h)-[:{_rel('LOCATED_IN')}]->(p:{_label('District')}) RETURN p.code AS code ORDER BY code }} AS codes,\n"
        f"     {_scopes(tally)} AS scopes\n"
        f"MATCH (h)-[r:{_rel(tally.rel_type)}]->(d:{_label('Discipline')})\n"
        "UNWIND scopes AS scope\n"
        "WITH scope, d.code AS discipline, r.year AS year,\n"
        "     reduce(joined = '', code IN codes | joined + CASE joined WHEN '' THEN '' ELSE ',' END + code) AS districts,\n"
        f"     coalesce(r.source, '') AS source, sum(coalesce(r.{tally.amount}, 0)) AS amount, count(r) AS rels\n"
        f"MERGE (t:{tally.label} {{id: scope + '|' + discipline + '|' + toString(year) + '|' + districts + '|' + source}})\n"
        + change
        + ("" if adding else "WITH t WHERE t.rels = 0\nDELETE t")
    )


@cache
def lock_query(label: str) -> str:
    """Takes the write lock of the nodes keyed `$keys`, so that concurrent writers of the same
    holder read and change its contribution one after the other."""
    return (f"UNWIND $keys AS key\nMATCH (n:{_label(label)} {{{node_kind(label).key}: key}})\n"
            "SET n._totals_lock = true REMOVE n._totals_lock")


@cache
def clear_query(tally: Tally) -> str:
    """Deletes every total of the tally, in batches (an auto-commit transaction only)."""
    return f"MATCH (t:{tally.label}) CALL (t) {{ DELETE t }} IN TRANSACTIONS OF 10000 ROWS"


@cache
def all_holders_query(tally: Tally) -> str:
    return f"MATCH (h:{_label(tally.holder)}) RETURN collect(h.{tally.holder_key}) AS keys"


@cache
def holders_of_query(tally: Tally, label: str) -> str:
    """The holders whose contribution involves a node of `label` keyed `$keys`: a discipline they
    count, a district they are in, or a chain of whose subtree they are part."""
    step = {
        "Discipline": f"-[:{_rel(tally.rel_type)}]->",
        "District": f"-[:{_rel('LOCATED_IN')}]->",
        "IndustryChain": f"-[:{_rel('IN_CHAIN')}]->(:{_label('IndustryChain')})-[:{_rel('PART_OF')}*0..]->",
    }[label]
    return (f"UNWIND $keys AS key\nMATCH (h:{_label(tally.holder)}){step}(:{_label(label)} {{{node_kind(label).key}: key}})\n"
            f"RETURN collect(DISTINCT h.{tally.holder_key}) AS keys")


TOTALS_FORMAT: Final = f"MATCH (m:{META_LABEL} {{name: $name}}) RETURN m.format AS format"
SET_TOTALS_FORMAT: Final = f"MERGE (m:{META_LABEL} {{name: $name}}) SET m.format = $format"
