"""Cypher for the insight reads (`graph.neo4j.insights`): talent gap, coverage, plan targets and
partner matching. Each builder returns `(query, parameters)`; labels, relationship types and key
properties come from the model's allowlist (`_label`, `_rel`, `_key`), every value is a parameter,
and everything is summed in the database."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from graph.insights import AMOUNTS, YEARLY_RELS
from graph.model import NODE_KINDS, REL_KINDS
from graph.neo4j.cypher import names
from graph.neo4j.cypher.totals import demand_in_scope

Query = tuple[str, dict[str, Any]]






# -- talentGap --------------------------------------------------------------------------------
# Demand comes from the running totals of `graph.neo4j.cypher.totals`, one per (chain scope, discipline,
# year, enterprise districts, source); supply from the schools' OFFERS themselves.

CHAIN_SUBTREE = (
    f"MATCH (root:{names.label('IndustryChain')} {{code: $code}})\n"
    f"MATCH (c:{names.label('IndustryChain')})-[:{names.rel('PART_OF')}*0..]->(root)\n"
    "RETURN collect(DISTINCT c.code) AS codes"
)


def _grouped(districts: bool, by_district: bool, counted: str = "true") -> str:
    """Sums the matched totals `t` into [year, district bucket, counted, amount, sources, rels,
    synthetic rels] groups
    per discipline `d` (of `$level`, if given). When districts matter a total is counted once per
    district of its holders: only those in `$districts`, unless `counted` marks the others instead."""
    if not (districts or by_district):
        unwound = "WITH t, null AS district\n"
    else:
        unwound = "UNWIND CASE t.districts WHEN '' THEN [null] ELSE split(t.districts, ',') END AS district\n"
        if districts and counted == "true":
            unwound += "WITH t, district WHERE district IN $districts\n"
    return (
        unwound
        + f"WITH t.discipline AS code, t.year AS year, CASE WHEN $by_district THEN district END AS bucket, {counted} AS counted,\n"
        "     sum(t.amount) AS amount, collect(DISTINCT CASE t.source WHEN '' THEN null ELSE t.source END) AS sources,\n"
        "     sum(t.rels) AS rels, sum(coalesce(t.synthetic_rels, 0)) AS made_up\n"
        f"MATCH (d:{names.label('Discipline')} {{code: code}}) WHERE $level IS NULL OR d.level = $level\n"
        "WITH d, collect([year, bucket, counted, amount, sources, rels, made_up]) AS groups\n"
    )


@cache
def chain_gap_query(districts: bool, by_district: bool) -> str:
    """The chain subtree of `$chain`, what it NEEDS, the demand of `$years` of its enterprises, and
    the supply of every discipline that either brings into scope. Demand outside `$districts`
    comes back uncounted: it still brings its discipline into scope."""
    counted = "coalesce(district IN $districts, false)" if districts else "true"
    demand = demand_in_scope("root") + _grouped(districts, by_district, counted)
    return (
        f"MATCH (root:{names.label('IndustryChain')} {{code: $chain}})\n"
        f"MATCH (c:{names.label('IndustryChain')})-[:{names.rel('PART_OF')}*0..]->(root)\n"
        "WITH root, collect(DISTINCT c) AS chains\n"
        "CALL (chains) {\n"
        f"  UNWIND chains AS c MATCH (c)-[:{names.rel('NEEDS')}]->(d:{names.label('Discipline')})\n"
        "  WHERE $level IS NULL OR d.level = $level\n"
        "  RETURN collect(DISTINCT d.code) AS needed\n"
        "}\n"
        "CALL (root) {\n"
        + _indented(demand)
        + "  RETURN collect({props: properties(d), groups: groups}) AS demand\n"
        "}\n"
        "CALL (needed, demand) {\n"
        "  UNWIND needed + [item IN demand | item.props.code] AS code\n"
        "  WITH DISTINCT code\n"
        + _indented(_supply_of("code", districts, by_district))
        + "  RETURN collect({props: properties(d), groups: groups}) AS supply\n"
        "}\n"
        "RETURN properties(root) AS chain, [c IN chains | c.code] AS chains, needed, demand, supply"
    )


def _indented(lines: str) -> str:
    return "".join(f"  {line}\n" for line in lines.splitlines())


def _supply_of(code: str, districts: bool, by_district: bool) -> str:
    """The graduates of `$years` in discipline `code`, summed from the schools' `OFFERS` (a
    discipline is offered by at most every school, so no running total is needed)."""
    return (
        f"MATCH (d:{names.label('Discipline')} {{code: {code}}})<-[r:{names.rel('OFFERS')}]-(h:{names.label('School')}) WHERE r.year IN $years\n"
        + _offered(districts, by_district)
    )


def _offered(districts: bool, by_district: bool) -> str:
    """Groups the matched `OFFERS` `r` of schools `h` like `_grouped` groups totals."""
    if districts:
        located = f"MATCH (h)-[:{names.rel('LOCATED_IN')}]->(p:{names.label('District')}) WHERE p.code IN $districts\n"
    elif by_district:
        located = f"OPTIONAL MATCH (h)-[:{names.rel('LOCATED_IN')}]->(p:{names.label('District')})\n"
    else:
        located = ""
    district = "p.code" if districts or by_district else "null"
    return (
        located
        + f"WITH d, r.year AS year, CASE WHEN $by_district THEN {district} END AS bucket, true AS counted,\n"
        f"     sum(coalesce(r.{AMOUNTS['OFFERS']}, 0)) AS amount, collect(DISTINCT r.source) AS sources,\n"
        f"     count(r) AS rels, {names.synthetic_count()} AS made_up\n"
        "WITH d, collect([year, bucket, counted, amount, sources, rels, made_up]) AS groups\n"
    )


@cache
def all_demand_query(districts: bool, by_district: bool) -> str:
    """All demand of `$years`, per discipline (of `$level`, if given)."""
    return demand_in_scope(None) + _grouped(districts, by_district) + "RETURN properties(d) AS props, groups"


@cache
def all_supply_query(districts: bool, by_district: bool) -> str:
    """All supply of `$years`, per discipline (of `$level`, if given)."""
    return (
        f"MATCH (h:{names.label('School')})-[r:{names.rel('OFFERS')}]->(d:{names.label('Discipline')})\n"
        "WHERE r.year IN $years AND ($level IS NULL OR d.level = $level)\n"
        + _offered(districts, by_district)
        + "RETURN properties(d) AS props, groups"
    )


def gap_params(years: Sequence[int], districts: Sequence[str] | None, level: str | None, by_district: bool) -> dict[str, Any]:
    return {"years": list(years), "districts": None if districts is None else list(districts), "level": level,
            "by_district": by_district}


# -- coverageGaps -----------------------------------------------------------------------------

def _school_in_districts(var: str) -> str:
    return f"($districts IS NULL OR EXISTS {{ ({var})-[:{names.rel('LOCATED_IN')}]->(p:{names.label('District')}) WHERE p.code IN $districts }})"


DISCIPLINES_NOT_OFFERED = (
    f"MATCH (c:{names.label('IndustryChain')})-[:{names.rel('NEEDS')}]->(d:{names.label('Discipline')})\n"
    "WHERE $chains IS NULL OR c.code IN $chains\n"
    "WITH d, collect(DISTINCT c.code) AS related\n"
    f"WHERE NOT EXISTS {{ MATCH (d)<-[r:{names.rel('OFFERS')}]-(s:{names.label('School')})\n"
    f"  WHERE ($year IS NULL OR r.year = $year) AND {_school_in_districts('s')} }}\n"
    "RETURN d.code AS entity, related ORDER BY entity"
)
BASE_PRESENCE = (
    f"UNWIND $chains AS code MATCH (root:{names.label('IndustryChain')} {{code: code}})\n"
    f"MATCH (c:{names.label('IndustryChain')})-[:{names.rel('PART_OF')}*0..]->(root)\n"
    f"MATCH (b:{names.label('Base')})-[:{names.rel('SERVES')}]->(c)\n"
    f"MATCH (b)-[:{names.rel('LOCATED_IN')}]->(p:{names.label('District')})\n"
    "RETURN code, collect(DISTINCT [p.code, toString(b.type)]) AS cells"
)
ZONE_DISTRICTS = (
    f"MATCH (z:{names.label('Zone')}) OPTIONAL MATCH (z)-[:{names.rel('COVERS')}]->(p:{names.label('District')})\n"
    "RETURN z.code AS zone, collect(p.code) AS districts"
)
SCHOOLS_WITHOUT_MENTOR = (
    f"MATCH (c:{names.label('IndustryChain')})-[:{names.rel('NEEDS')}]->(d:{names.label('Discipline')})"
    f"<-[r:{names.rel('OFFERS')}]-(s:{names.label('School')})\n"
    "WHERE ($chains IS NULL OR c.code IN $chains) AND ($year IS NULL OR r.year = $year)\n"
    f"  AND NOT EXISTS {{ (s)<-[:{names.rel('MENTORS_AT')}]-(:{names.label('Mentor')}) }} AND {_school_in_districts('s')}\n"
    "RETURN s.code AS entity, collect(DISTINCT d.code) AS related ORDER BY entity"
)
CHAINS_WITHOUT_ALLIANCE = (
    f"MATCH (c:{names.label('IndustryChain')}) WHERE ($chains IS NULL OR c.code IN $chains)\n"
    f"  AND NOT EXISTS {{ (c)<-[:{names.rel('SERVES')}]-(:{names.label('Alliance')}) }}\n"
    "RETURN c.code AS entity, [] AS related ORDER BY entity"
)
ENTERPRISES_WITHOUT_ALLIANCE = (
    f"MATCH (e:{names.label('Enterprise')})-[:{names.rel('IN_CHAIN')}]->(c:{names.label('IndustryChain')})\n"
    "WHERE ($chains IS NULL OR c.code IN $chains)\n"
    f"  AND NOT EXISTS {{ (e)-[:{names.rel('MEMBER_OF')}]->(:{names.label('Alliance')}) }} AND {_school_in_districts('e')}\n"
    "RETURN e.uscc AS entity, collect(DISTINCT c.code) AS related ORDER BY entity"
)

_MADE_UP = names.synthetic_count()
COVERAGE_INPUTS = (
    "CALL () {\n"
    f"  MATCH (c:{names.label('IndustryChain')})-[:{names.rel('NEEDS')}]->(d:{names.label('Discipline')}) WHERE $chains IS NULL OR c.code IN $chains\n"
    "  WITH DISTINCT d\n"
    f"  MATCH (d)<-[r:{names.rel('OFFERS')}]-(s:{names.label('School')}) WHERE ($year IS NULL OR r.year = $year) AND {_school_in_districts('s')}\n"
    f"  RETURN [count(r), {_MADE_UP}] AS offers, collect(DISTINCT s) AS schools\n"
    "}\n"
    "CALL () {\n"
    f"  MATCH (c:{names.label('IndustryChain')})<-[r:{names.rel('SERVES')}]-(x) WHERE ($chains IS NULL OR c.code IN $chains)"
    f" AND (x:{names.label('Base')} OR x:{names.label('Alliance')})\n"
    f"  RETURN [count(r), {_MADE_UP}] AS serves\n"
    "}\n"
    "CALL (schools) {\n"
    f"  UNWIND schools AS s MATCH (s)<-[r:{names.rel('MENTORS_AT')}]-(:{names.label('Mentor')})\n"
    f"  RETURN [count(r), {_MADE_UP}] AS mentors\n"
    "}\n"
    "CALL () {\n"
    f"  MATCH (e:{names.label('Enterprise')})-[:{names.rel('IN_CHAIN')}]->(c:{names.label('IndustryChain')}) WHERE $chains IS NULL OR c.code IN $chains\n"
    f"  WITH DISTINCT e WHERE {_school_in_districts('e')}\n"
    f"  MATCH (e)-[r:{names.rel('MEMBER_OF')}]->(:{names.label('Alliance')})\n"
    f"  RETURN [count(r), {_MADE_UP}] AS members\n"
    "}\n"
    f"RETURN {{{names.rel('OFFERS')}: offers, {names.rel('SERVES')}: serves, {names.rel('MENTORS_AT')}: mentors, {names.rel('MEMBER_OF')}: members}} AS counted"
)


# -- dataCoverage -----------------------------------------------------------------------------

def _counts(pattern: str, var: str) -> str:
    return f"[COUNT {{ MATCH {pattern} }}, COUNT {{ MATCH {pattern} WHERE {var}.synthetic = true }}]"


@cache
def coverage_facts_query() -> str:
    """One round trip: [count, synthetic] per node kind and relationship type, and [year, count,
    synthetic] per year of each relationship keyed by a year."""
    nodes = ", ".join(f"{kind.label}: {_counts(f'(n:{kind.label})', 'n')}" for kind in NODE_KINDS)
    rels = ", ".join(f"{kind.type}: {_counts(f'()-[r:{kind.type}]->()', 'r')}" for kind in REL_KINDS)
    years = "".join(
        f"CALL () {{ MATCH ()-[r:{names.rel(rel)}]->() WITH r.year AS year, count(r) AS n, {_MADE_UP} AS made_up\n"
        f"  RETURN collect([year, n, made_up]) AS `{rel}` }}\n"
        for rel in YEARLY_RELS
    )
    by_year = ", ".join(f"{rel}: `{rel}`" for rel in YEARLY_RELS)
    return years + f"RETURN {{{nodes}}} AS nodes, {{{rels}}} AS rels, {{{by_year}}} AS years"


# -- plan targets -----------------------------------------------------------------------------

TRAINED = (
    "UNWIND $groups AS g\n"
    "CALL (g) {\n"
    f"  UNWIND CASE WHEN g.chain IS NULL THEN [1] ELSE [] END AS everything MATCH (p:{names.label('Project')}) RETURN p\n"
    "  UNION\n"
    "  UNWIND CASE WHEN g.chain IS NULL THEN [] ELSE [g.chain] END AS code\n"
    f"  MATCH (:{names.label('IndustryChain')} {{code: code}})<-[:{names.rel('PART_OF')}*0..]-(:{names.label('IndustryChain')})"
    f"<-[:{names.rel('SERVES')}]-(p:{names.label('Project')}) RETURN p\n"
    "}\n"
    "WITH g, p WHERE p.start_year IS NOT NULL AND p.trained > 0 AND coalesce(p.status, '') <> 'proposed'\n"
    "WITH g, p, p.start_year AS start, toInteger(p.trained) AS trained,\n"
    "     CASE WHEN coalesce(p.end_year, p.start_year) < p.start_year THEN p.start_year\n"
    "          ELSE coalesce(p.end_year, p.start_year) END AS finish\n"
    "WITH g, p, start, trained, finish - start + 1 AS span\n"
    "UNWIND [y IN $years WHERE start <= y < start + span] AS year\n"
    # whole people a year, the remainder to the first years (as `graph.protocol_insights.spread`)
    "RETURN g.name AS group, year, coalesce(p.degree_level, 'unspecified') AS level,\n"
    "       coalesce(p.type = 'training_camp', false) AS camp, coalesce(p.synthetic, false) AS synthetic,\n"
    "       sum(trained / span + CASE WHEN year - start < trained % span THEN 1 ELSE 0 END) AS trained, count(p) AS projects"
)
