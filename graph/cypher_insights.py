"""Cypher for the insight reads (`graph.neo4j_insights`): talent gap, coverage, plan targets and
partner matching. Each builder returns `(query, parameters)`; labels, relationship types and key
properties come from the model's allowlist (`_label`, `_rel`, `_key`), every value is a parameter,
and everything is summed in the database."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from graph.cypher_totals import LABEL as DEMAND_TOTAL
from graph.insights import YEARLY_RELS
from graph.model import NODE_KINDS, REL_KINDS, node_kind, rel_kind
from graph.records import Direction

Query = tuple[str, dict[str, Any]]


def _label(label: str) -> str:
    return node_kind(label).label


def _rel(rel_type: str) -> str:
    return rel_kind(rel_type).type


def _key(label: str) -> str:
    return node_kind(label).key


def _step(rel_type: str, direction: Direction) -> str:
    return f"-[:{_rel(rel_type)}]->" if direction is Direction.OUT else f"<-[:{_rel(rel_type)}]-"


# -- talentGap --------------------------------------------------------------------------------
# Demand comes from the running totals of `graph.cypher_totals`, one per (chain scope, discipline,
# year, enterprise districts, source); supply from the schools' OFFERS themselves.

CHAIN_SUBTREE = (
    f"MATCH (root:{_label('IndustryChain')} {{code: $code}})\n"
    f"MATCH (c:{_label('IndustryChain')})-[:{_rel('PART_OF')}*0..]->(root)\n"
    "RETURN collect(DISTINCT c.code) AS codes"
)


def _in_scope(scope: str) -> str:
    return f"MATCH (t:{DEMAND_TOTAL} {{scope: {scope}}}) WHERE t.year IN $years\n"


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
        f"MATCH (d:{_label('Discipline')} {{code: code}}) WHERE $level IS NULL OR d.level = $level\n"
        "WITH d, collect([year, bucket, counted, amount, sources, rels, made_up]) AS groups\n"
    )


@cache
def chain_gap_query(districts: bool, by_district: bool) -> str:
    """The chain subtree of `$chain`, what it NEEDS, the demand of `$years` of its enterprises, and
    the supply of every discipline that either brings into scope. Demand outside `$districts`
    comes back uncounted: it still brings its discipline into scope."""
    counted = "coalesce(district IN $districts, false)" if districts else "true"
    demand = _in_scope("root.code") + _grouped(districts, by_district, counted)
    return (
        f"MATCH (root:{_label('IndustryChain')} {{code: $chain}})\n"
        f"MATCH (c:{_label('IndustryChain')})-[:{_rel('PART_OF')}*0..]->(root)\n"
        "WITH root, collect(DISTINCT c) AS chains\n"
        "CALL (chains) {\n"
        f"  UNWIND chains AS c MATCH (c)-[:{_rel('NEEDS')}]->(d:{_label('Discipline')})\n"
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
        f"MATCH (d:{_label('Discipline')} {{code: {code}}})<-[r:{_rel('OFFERS')}]-(h:{_label('School')}) WHERE r.year IN $years\n"
        + _offered(districts, by_district)
    )


def _offered(districts: bool, by_district: bool) -> str:
    """Groups the matched `OFFERS` `r` of schools `h` like `_grouped` groups totals."""
    if districts:
        located = f"MATCH (h)-[:{_rel('LOCATED_IN')}]->(p:{_label('District')}) WHERE p.code IN $districts\n"
    elif by_district:
        located = f"OPTIONAL MATCH (h)-[:{_rel('LOCATED_IN')}]->(p:{_label('District')})\n"
    else:
        located = ""
    district = "p.code" if districts or by_district else "null"
    return (
        located
        + f"WITH d, r.year AS year, CASE WHEN $by_district THEN {district} END AS bucket, true AS counted,\n"
        "     sum(coalesce(r.graduates, 0)) AS amount, collect(DISTINCT r.source) AS sources,\n"
        "     count(r) AS rels, sum(CASE WHEN r.synthetic = true THEN 1 ELSE 0 END) AS made_up\n"
        "WITH d, collect([year, bucket, counted, amount, sources, rels, made_up]) AS groups\n"
    )


@cache
def all_demand_query(districts: bool, by_district: bool) -> str:
    """All demand of `$years`, per discipline (of `$level`, if given)."""
    return _in_scope("''") + _grouped(districts, by_district) + "RETURN properties(d) AS props, groups"


@cache
def all_supply_query(districts: bool, by_district: bool) -> str:
    """All supply of `$years`, per discipline (of `$level`, if given)."""
    return (
        f"MATCH (h:{_label('School')})-[r:{_rel('OFFERS')}]->(d:{_label('Discipline')})\n"
        "WHERE r.year IN $years AND ($level IS NULL OR d.level = $level)\n"
        + _offered(districts, by_district)
        + "RETURN properties(d) AS props, groups"
    )


def gap_params(years: Sequence[int], districts: Sequence[str] | None, level: str | None, by_district: bool) -> dict[str, Any]:
    return {"years": list(years), "districts": None if districts is None else list(districts), "level": level,
            "by_district": by_district}


# -- coverageGaps -----------------------------------------------------------------------------

def _school_in_districts(var: str) -> str:
    return f"($districts IS NULL OR EXISTS {{ ({var})-[:{_rel('LOCATED_IN')}]->(p:{_label('District')}) WHERE p.code IN $districts }})"


DISCIPLINES_NOT_OFFERED = (
    f"MATCH (c:{_label('IndustryChain')})-[:{_rel('NEEDS')}]->(d:{_label('Discipline')})\n"
    "WHERE $chains IS NULL OR c.code IN $chains\n"
    "WITH d, collect(DISTINCT c.code) AS related\n"
    f"WHERE NOT EXISTS {{ MATCH (d)<-[r:{_rel('OFFERS')}]-(s:{_label('School')})\n"
    f"  WHERE ($year IS NULL OR r.year = $year) AND {_school_in_districts('s')} }}\n"
    "RETURN d.code AS entity, related ORDER BY entity"
)
BASE_PRESENCE = (
    f"UNWIND $chains AS code MATCH (root:{_label('IndustryChain')} {{code: code}})\n"
    f"MATCH (c:{_label('IndustryChain')})-[:{_rel('PART_OF')}*0..]->(root)\n"
    f"MATCH (b:{_label('Base')})-[:{_rel('SERVES')}]->(c)\n"
    f"MATCH (b)-[:{_rel('LOCATED_IN')}]->(p:{_label('District')})\n"
    "RETURN code, collect(DISTINCT [p.code, toString(b.type)]) AS cells"
)
ZONE_DISTRICTS = (
    f"MATCH (z:{_label('Zone')}) OPTIONAL MATCH (z)-[:{_rel('COVERS')}]->(p:{_label('District')})\n"
    "RETURN z.code AS zone, collect(p.code) AS districts"
)
SCHOOLS_WITHOUT_MENTOR = (
    f"MATCH (c:{_label('IndustryChain')})-[:{_rel('NEEDS')}]->(d:{_label('Discipline')})"
    f"<-[r:{_rel('OFFERS')}]-(s:{_label('School')})\n"
    "WHERE ($chains IS NULL OR c.code IN $chains) AND ($year IS NULL OR r.year = $year)\n"
    f"  AND NOT EXISTS {{ (s)<-[:{_rel('MENTORS_AT')}]-(:{_label('Mentor')}) }} AND {_school_in_districts('s')}\n"
    "RETURN s.code AS entity, collect(DISTINCT d.code) AS related ORDER BY entity"
)
CHAINS_WITHOUT_ALLIANCE = (
    f"MATCH (c:{_label('IndustryChain')}) WHERE ($chains IS NULL OR c.code IN $chains)\n"
    f"  AND NOT EXISTS {{ (c)<-[:{_rel('SERVES')}]-(:{_label('Alliance')}) }}\n"
    "RETURN c.code AS entity, [] AS related ORDER BY entity"
)
ENTERPRISES_WITHOUT_ALLIANCE = (
    f"MATCH (e:{_label('Enterprise')})-[:{_rel('IN_CHAIN')}]->(c:{_label('IndustryChain')})\n"
    "WHERE ($chains IS NULL OR c.code IN $chains)\n"
    f"  AND NOT EXISTS {{ (e)-[:{_rel('MEMBER_OF')}]->(:{_label('Alliance')}) }} AND {_school_in_districts('e')}\n"
    "RETURN e.uscc AS entity, collect(DISTINCT c.code) AS related ORDER BY entity"
)

_MADE_UP = "sum(CASE WHEN r.synthetic = true THEN 1 ELSE 0 END)"
COVERAGE_INPUTS = (
    "CALL () {\n"
    f"  MATCH (c:{_label('IndustryChain')})-[:{_rel('NEEDS')}]->(d:{_label('Discipline')}) WHERE $chains IS NULL OR c.code IN $chains\n"
    "  WITH DISTINCT d\n"
    f"  MATCH (d)<-[r:{_rel('OFFERS')}]-(s:{_label('School')}) WHERE ($year IS NULL OR r.year = $year) AND {_school_in_districts('s')}\n"
    f"  RETURN [count(r), {_MADE_UP}] AS offers, collect(DISTINCT s) AS schools\n"
    "}\n"
    "CALL () {\n"
    f"  MATCH (c:{_label('IndustryChain')})<-[r:{_rel('SERVES')}]-(x) WHERE ($chains IS NULL OR c.code IN $chains)"
    f" AND (x:{_label('Base')} OR x:{_label('Alliance')})\n"
    f"  RETURN [count(r), {_MADE_UP}] AS serves\n"
    "}\n"
    "CALL (schools) {\n"
    f"  UNWIND schools AS s MATCH (s)<-[r:{_rel('MENTORS_AT')}]-(:{_label('Mentor')})\n"
    f"  RETURN [count(r), {_MADE_UP}] AS mentors\n"
    "}\n"
    "CALL () {\n"
    f"  MATCH (e:{_label('Enterprise')})-[:{_rel('IN_CHAIN')}]->(c:{_label('IndustryChain')}) WHERE $chains IS NULL OR c.code IN $chains\n"
    f"  WITH DISTINCT e WHERE {_school_in_districts('e')}\n"
    f"  MATCH (e)-[r:{_rel('MEMBER_OF')}]->(:{_label('Alliance')})\n"
    f"  RETURN [count(r), {_MADE_UP}] AS members\n"
    "}\n"
    f"RETURN {{{_rel('OFFERS')}: offers, {_rel('SERVES')}: serves, {_rel('MENTORS_AT')}: mentors, {_rel('MEMBER_OF')}: members}} AS counted"
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
        f"CALL () {{ MATCH ()-[r:{_rel(rel)}]->() WITH r.year AS year, count(r) AS n, {_MADE_UP} AS made_up\n"
        f"  RETURN collect([year, n, made_up]) AS `{rel}` }}\n"
        for rel in YEARLY_RELS
    )
    by_year = ", ".join(f"{rel}: `{rel}`" for rel in YEARLY_RELS)
    return years + f"RETURN {{{nodes}}} AS nodes, {{{rels}}} AS rels, {{{by_year}}} AS years"


# -- plan targets -----------------------------------------------------------------------------

TRAINED = (
    "UNWIND $groups AS g\n"
    "CALL (g) {\n"
    f"  UNWIND CASE WHEN g.chain IS NULL THEN [1] ELSE [] END AS everything MATCH (p:{_label('Project')}) RETURN p\n"
    "  UNION\n"
    "  UNWIND CASE WHEN g.chain IS NULL THEN [] ELSE [g.chain] END AS code\n"
    f"  MATCH (:{_label('IndustryChain')} {{code: code}})<-[:{_rel('PART_OF')}*0..]-(:{_label('IndustryChain')})"
    f"<-[:{_rel('SERVES')}]-(p:{_label('Project')}) RETURN p\n"
    "}\n"
    "WITH g, p WHERE p.start_year IS NOT NULL AND p.trained > 0 AND coalesce(p.status, '') <> 'proposed'\n"
    "WITH g, p, p.start_year AS start, toInteger(p.trained) AS trained,\n"
    "     CASE WHEN coalesce(p.end_year, p.start_year) < p.start_year THEN p.start_year\n"
    "          ELSE coalesce(p.end_year, p.start_year) END AS finish\n"
    "WITH g, p, start, trained, finish - start + 1 AS span\n"
    "UNWIND [y IN $years WHERE start <= y < start + span] AS year\n"
    # whole people a year, the remainder to the first years (as `graph.embedded_insights.spread`)
    "RETURN g.name AS group, year, coalesce(p.degree_level, 'unspecified') AS level,\n"
    "       coalesce(p.type = 'training_camp', false) AS camp, coalesce(p.synthetic, false) AS synthetic,\n"
    "       sum(trained / span + CASE WHEN year - start < trained % span THEN 1 ELSE 0 END) AS trained, count(p) AS projects"
)
