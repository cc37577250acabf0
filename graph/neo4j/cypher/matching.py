"""Cypher for `partnerMatches` (`graph.neo4j.insights`): one query for the subject (its profile,
district, school side and every tie of that side), one for all candidates of a partner kind with
their facts aggregated per candidate. The tie paths and profile relationships are the same tables
(`graph.insights`) the embedded implementation walks."""

from __future__ import annotations

from functools import cache

from graph.insights import AMOUNTS, ORGANISATION_RELS, PROFILE_RELS, SCHOOL_LINK_RELS, TIE_PATHS, Hop
from graph.model import rel_kind
from graph.neo4j.cypher import names
from graph.records import Direction


def _districts_of(node: str) -> str:
    """The codes of the districts of the `node` pattern (its place is the lowest, `graph.neo4j.insights`)."""
    return f"COLLECT {{ MATCH {node}-[:{names.rel('LOCATED_IN')}]->(p:{names.label('District')}) RETURN p.code }}"


# Each district once for the whole answer, rather than once per candidate.
DISTRICTS = (
    "CALL (places, candidates) {\n"
    "  UNWIND [places] + [c IN candidates | c[3]] AS codes\n"
    "  UNWIND codes AS code\n"
    "  WITH DISTINCT code\n"
    f"  MATCH (p:{names.label('District')} {{code: code}})\n"
    "  RETURN collect([p.code, coalesce(p.name, p.code), p.longitude, p.latitude]) AS districts\n"
    "}\n"
)


def _middle(hop: Hop) -> str:
    rel_type, direction = hop
    kind = rel_kind(rel_type)
    if direction is Direction.OUT:
        return kind.target
    (source,) = kind.sources  # tie paths only pass through single-source relationships
    return source


def _tie_branch(side: str, kind: str, hops: tuple[Hop, ...]) -> str:
    other = "Enterprise" if side == "School" else "School"
    end = f"(o:{names.label(other)})"
    if len(hops) == 1:
        pattern, via, via_label = f"(s){names.step(*hops[0])}{end}", "s", side
    else:
        via_label = _middle(hops[0])
        pattern = f"(s){names.step(*hops[0])}(via:{names.label(via_label)}){names.step(*hops[1])}{end}"
        via = "via"
    key = names.key(via_label)
    return f"MATCH {pattern} RETURN '{kind}' AS kind, {via}.{key} AS via_key, coalesce({via}.name, {via}.{key}) AS via_name, o"


@cache
def ties_subquery(side: str) -> str:
    """`ties`: [kind, via key, via name, start key, start name, other key, other name] rows for
    every tie of the `starts` nodes (schools or one enterprise)."""
    other = "Enterprise" if side == "School" else "School"
    branches = "\n    UNION ALL\n    ".join(_tie_branch(side, kind, hops) for kind, hops in TIE_PATHS[side].items())
    start, end = names.key(side), names.key(other)
    return (
        "CALL (starts) {\n"
        "  UNWIND starts AS s\n"
        f"  CALL (s) {{\n    {branches}\n  }}\n"
        f"  RETURN collect([kind, via_key, via_name, s.{start}, coalesce(s.name, s.{start}), o.{end}, coalesce(o.name, o.{end})]) AS ties\n"
        "}\n"
    )


def _yearly_profile(imports: str, unwind: str, pattern: str, amount: str) -> str:
    """`year` ($year, or the latest year of `pattern`'s relationships) and the `profile` of that
    year: [code, name, summed amount, relationships summed, synthetic ones] per discipline."""
    return (
        f"CALL ({imports}) {{ {unwind}OPTIONAL MATCH {pattern} RETURN coalesce($year, max(r.year)) AS year }}\n"
        f"CALL ({imports}, year) {{\n"
        f"  {unwind}MATCH {pattern} WHERE year IS NULL OR r.year = year\n"
        f"  WITH d, sum(coalesce(r.{amount}, 0)) AS amount, count(r) AS rels, {names.synthetic_count()} AS made_up\n"
        "  RETURN collect([d.code, coalesce(d.name, d.code), amount, rels, made_up]) AS profile\n"
        "}\n"
    )


def _subject(label: str) -> str:
    """The subject `$key` of `label` with `$year` (null: its latest year) → n, year, profile,
    places (district codes), schools, ties."""
    node = f"MATCH (n:{names.label(label)} {{{names.key(label)}: $key}})\n"
    discipline = f"(d:{names.label('Discipline')})"
    if label in ("School", "Enterprise"):
        rel = PROFILE_RELS[label]
        body = _yearly_profile("n", "", f"(n)-[r:{names.rel(rel.rel_type)}]->{discipline}", str(rel.amount))
        body += "WITH n, year, profile, [n] AS starts\n"
        places = _districts_of("(n)")
    elif label == "Discipline":
        offers = f"(n)<-[r:{names.rel('OFFERS')}]-(s:{names.label('School')})"
        body = (
            f"CALL (n) {{ OPTIONAL MATCH {offers} RETURN coalesce($year, max(r.year)) AS year }}\n"
            "CALL (n, year) {\n"
            f"  OPTIONAL MATCH {offers} WHERE year IS NULL OR r.year = year\n"
            f"  WITH collect(DISTINCT s) AS starts, sum(coalesce(r.{AMOUNTS['OFFERS']}, 0)) AS amount, count(r) AS offers,\n"
            f"       {names.synthetic_count()} AS made_up\n"
            "  RETURN starts, CASE WHEN offers > 0 THEN [[n.code, coalesce(n.name, n.code), amount, offers, made_up]] ELSE [] END AS profile\n"
            "}\n"
        )
        places = "[]"
    else:
        body = (
            f"CALL (n) {{ OPTIONAL MATCH (n)<-[:{names.rel('LOCATED_IN')}]-(s:{names.label('School')}) RETURN collect(s) AS starts }}\n"
            + _yearly_profile("starts", "UNWIND starts AS s ", f"(s)-[r:{names.rel('OFFERS')}]->{discipline}", AMOUNTS["OFFERS"])
        )
        places = "[n.code]"
    side = "Enterprise" if label == "Enterprise" else "School"
    schools = "[]" if label == "Enterprise" else f"[s IN starts | s.{names.key('School')}]"
    return (
        node + body + ties_subquery(side)
        + f"WITH n, year, profile, {places} AS places, {schools} AS schools, ties\n"
    )


def _candidates(label: str) -> str:
    """Every `label` partner sharing one of the subject's `codes`, tied to its `tied`
    counterparts, or linked to its `schools`, with its facts, collected as `candidates`. Shared
    disciplines are read from the disciplines' side, so a partner's other disciplines are only
    counted (`size`), never read, and not at all for schools. Collected in key order."""
    profile = PROFILE_RELS[label]
    year = " WHERE year IS NULL OR r.year = year" if profile.yearly else ""
    x, key, rel = f"(x:{names.label(label)})", names.key(label), names.rel(profile.rel_type)
    amount = f"coalesce(r.{profile.amount}, 0)" if profile.amount else "0"
    made_up = names.is_synthetic("r")
    branches = [f"UNWIND codes AS code MATCH (:{names.label('Discipline')} {{code: code}})<-[r:{rel}]-{x}{year} "
                f"RETURN x, code, {amount} AS amount, 1 AS rels, {made_up} AS made_up"]
    tied = "RETURN x, null AS code, 0 AS amount, 0 AS rels, 0 AS made_up"
    if label in ORGANISATION_RELS:
        organisation = f"head(COLLECT {{ MATCH (x){names.step(ORGANISATION_RELS[label], Direction.OUT)}(o:{names.label('Enterprise')}) RETURN o.uscc AS org ORDER BY org }})"
        branches.append(f"MATCH (o:{names.label('Enterprise')}){names.step(ORGANISATION_RELS[label], Direction.IN)}{x} WHERE o.uscc IN tied {tied}")
        branches.append(f"MATCH (s:{names.label('School')}){names.step(SCHOOL_LINK_RELS[label], Direction.IN)}{x} WHERE s.code IN schools {tied}")
        link = names.step(SCHOOL_LINK_RELS[label], Direction.OUT)
        linked = f"COLLECT {{ MATCH (x){link}(s:{names.label('School')}) WHERE s.code IN schools RETURN s.code }}"
        load = f"COUNT {{ (x){link}(:{names.label('School')}) }}" if label == "Mentor" else "0"
    else:
        organisation, linked, load = f"x.{key}", "[]", "0"
        branches.append(f"MATCH {x} WHERE x.{key} IN tied {tied}")
    size = "0" if label == "School" else f"COUNT {{ MATCH (x)-[r:{rel}]->(:{names.label('Discipline')}){year} }}"
    # A mentor is where its employer is.
    employer = f"(o:{names.label('Enterprise')} {{uscc: organisation}})"
    places = _districts_of(employer if label == "Mentor" else "(x)")
    capacity = "x.capacity" if label == "Base" else "null"
    return (
        "CALL (codes, year, tied, schools) {\n"
        "  CALL (codes, year, tied, schools) {\n    " + "\n    UNION ALL\n    ".join(branches) + "\n  }\n"
        "  WITH x, code, sum(amount) AS amount, sum(rels) AS rels, sum(made_up) AS made_up\n"
        "  WITH x, collect(CASE WHEN code IS NOT NULL THEN [code, amount] END) AS matched, [sum(rels), sum(made_up)] AS flows\n"
        f"  WITH x, matched, flows, {size} AS size, {organisation} AS organisation ORDER BY x.{key}\n"
        # Lists, not maps: no key names to send and read again for every candidate.
        f"  RETURN collect([properties(x), matched, size, {places}, organisation, {linked}, {capacity}, {load}, flows]) AS candidates\n"
        "}\n"
    )


@cache
def match_query(subject_label: str, partner_label: str) -> str:
    """One round trip: the subject `$key` of `subject_label` (its year, profile, district codes,
    schools and ties), every candidate partner of `partner_label` with its facts, and the
    districts met."""
    return (
        _subject(subject_label)
        + "WITH n, year, profile, places, schools, ties, [p IN profile | p[0]] AS codes, [t IN ties | t[5]] AS tied\n"
        + _candidates(partner_label)
        + DISTRICTS
        + "RETURN properties(n) AS props, year, profile, places, schools, ties, candidates, districts"
    )
