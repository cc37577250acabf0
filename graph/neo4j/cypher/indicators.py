"""Cypher for `indicator_counts` (`graph.indicators`): every measure of a request in one statement,
grouped, counted and summed in the database. Each measure gives two parts joined by UNION ALL:
its groups (`grp` a list with one value per dimension) and its whole (`grp` null: everything
counted once, however many groups hold it). A place or chain dimension's value is `[key, name]`,
a property's its text; null where there is none.

The items are first counted per node whose places are looked up (a relationship's source or
target) and property values, so that each node's places are read once, not once per relationship.

Labels, relationship types and property names come from the model's allowlist (`names`), measure
positions are integers of our own; the statement takes no input text."""

from __future__ import annotations

from collections.abc import Sequence

from graph.indicators import PATHS, PLACES, Measure
from graph.model import NODES, RELS
from graph.neo4j.cypher import names

ITEM = "n"  # the node or relationship counted
SYNTHETIC = f"sum(CASE WHEN {ITEM}.synthetic = true THEN 1 ELSE 0 END)"


def indicators_query(measures: Sequence[Measure]) -> str:
    """One statement for all `measures` (checked already), rows of `measure, grp, count, amount,
    synthetic`."""
    parts = [part for index, measure in enumerate(measures) for part in (_groups(index, measure), _whole(index, measure))]
    return "\nUNION ALL\n".join(parts)


def _match(of: str) -> str:
    """The items of `of`: nodes `n`, or relationships `n` from a source `s` of the model's kinds to `t`."""
    if of in NODES:
        return f"MATCH ({ITEM}:{names.label(of)})\n"
    sources = " OR ".join(f"s:{names.label(source)}" for source in RELS[of].sources)
    return f"MATCH (s)-[{ITEM}:{names.rel(of)}]->(t) WHERE {sources}\n"


def _whole(index: int, measure: Measure) -> str:
    return _match(measure.of) + f"RETURN {index} AS measure, null AS grp, count(*) AS count, null AS amount, {SYNTHETIC} AS synthetic"


def _groups(index: int, measure: Measure) -> str:
    of, dimensions = measure.of, measure.group_by
    places = {i: _reached(of, dimension) for i, dimension in enumerate(dimensions) if dimension in PATHS}
    kept = _starts(of, [dimensions[i] for i in places])
    values = [f"toString({ITEM}.{names.prop(of, dimension)}) AS v{i}" for i, dimension in enumerate(dimensions) if i not in places]
    amount = [] if measure.sum is None else [f"sum(toFloat(coalesce({ITEM}.{names.prop(of, measure.sum)}, 0))) AS a"]
    query = _match(of) + "WITH " + ", ".join([*kept, *values, "count(*) AS c", f"{SYNTHETIC} AS y", *amount]) + "\n"
    if places:
        query += "WITH *, " + ", ".join(f"{expression} AS p{i}" for i, expression in places.items()) + "\n"
        query += "".join(f"UNWIND CASE WHEN size(p{i}) = 0 THEN [null] ELSE p{i} END AS g{i}\n" for i in places)
    group = ", ".join(f"g{i}" if i in places else f"v{i}" for i in range(len(dimensions)))
    total = "null" if measure.sum is None else "sum(a)"
    return query + f"RETURN {index} AS measure, [{group}] AS grp, sum(c) AS count, {total} AS amount, sum(y) AS synthetic"


def _starts(of: str, places: Sequence[str]) -> list[str]:
    """The nodes whose places `_reached` looks up: the node itself, or a relationship's source
    and target as their kinds have paths to the `places` dimensions."""
    if not places:
        return []
    if of in NODES:
        return [ITEM]
    kind = RELS[of]
    from_source = [all(source in PATHS[place] for source in kind.sources) for place in places]
    source = any(label in PATHS[place] for place in places for label in kind.sources)
    target = any(kind.target in PATHS[place] and not whole for place, whole in zip(places, from_source, strict=True))
    return ["s"] * source + ["t"] * target


def _reached(of: str, dimension: str) -> str:
    """The `[key, name]` pairs an item reaches in `dimension`: from the node itself, or from a
    relationship's source when the source's kind has a path there, otherwise from its target."""
    if of in NODES:
        return _reach(ITEM, of, dimension)
    kind = RELS[of]
    otherwise = _reach("t", kind.target, dimension) if kind.target in PATHS[dimension] else "[]"
    placed = [source for source in kind.sources if source in PATHS[dimension]]
    ways = {_reach("s", source, dimension) for source in placed}
    if len(placed) == len(kind.sources) and len(ways) == 1:
        return ways.pop()  # every source kind, the same way
    cases = " ".join(f"WHEN s:{names.label(source)} THEN {_reach('s', source, dimension)}" for source in placed)
    return f"CASE {cases} ELSE {otherwise} END" if cases else otherwise


def _reach(var: str, label: str, dimension: str) -> str:
    """The distinct places or chains at the end of `dimension`'s path from `var`, a `label` node."""
    *between, (last_type, last_direction) = PATHS[dimension][label]
    steps = "".join(f"{names.step(rel_type, direction)}()" for rel_type, direction in between)
    place = PLACES[dimension]
    key = names.key(place)
    return (f"COLLECT {{ MATCH ({var}){steps}{names.step(last_type, last_direction)}(x:{names.label(place)}) "
            f"RETURN DISTINCT [x.{key}, coalesce(x.name, x.{key})] }}")
