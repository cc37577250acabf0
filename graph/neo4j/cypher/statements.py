"""Cypher for the Neo4j store: schema, writes, statistics and housekeeping.

Every statement here is a constant or a small builder whose labels, relationship types and
property names come only from the model's allowlist (`graph.model`); all values travel as
parameters. Reads live in `graph.neo4j.cypher.reads`, the filter compiler in `graph.neo4j.cypher.filters`.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from graph.model import LOAD_RUN_LABEL, NODE_KINDS, REL_KINDS, NodeKind, check_endpoints, node_kind
from graph.relevance import SEARCHED_PROPS

META_LABEL: Final = "_Meta"
# Indexes an older version created and this one replaces (the one full-text index over every
# kind gave way to one per kind, so that a search of one kind reads only its own names).
RETIRED_INDEXES: Final = ("node_names_fulltext",)
CLEAR_BATCH_ROWS: Final = 10_000

# Labels the store writes: the model's kinds plus the loaders' run records.
STORED_KEYS: Final = {**{kind.label: kind.key for kind in NODE_KINDS}, LOAD_RUN_LABEL: "id"}

AWAIT_INDEXES: Final = "CALL db.awaitIndexes()"

# A singleton node whose counter every data-changing write transaction bumps: a cheap,
# Community-friendly data version. The epoch changes if the node is ever recreated.
BUMP_DATA_VERSION: Final = (
    f"MERGE (m:{META_LABEL} {{name: 'data'}})\n"
    "ON CREATE SET m.epoch = randomUUID(), m.version = 0\n"
    "SET m.version = m.version + 1"
)
DATA_VERSION: Final = f"MATCH (m:{META_LABEL} {{name: 'data'}})\nRETURN m.epoch + ':' + toString(m.version) AS version"

CLEAR_RELATIONSHIPS: Final = (
    f"MATCH ()-[r]->()\nCALL (r) {{ DELETE r }} IN TRANSACTIONS OF {CLEAR_BATCH_ROWS} ROWS"
)
CLEAR_NODES: Final = (
    f"MATCH (n) WHERE NOT n:{META_LABEL}\nCALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF {CLEAR_BATCH_ROWS} ROWS"
)


def stored_key(label: str) -> str:
    """The key property of a label the store writes, or ValueError naming the allowed labels."""
    if label not in STORED_KEYS:
        node_kind(label)  # raises, naming the model's labels
    return STORED_KEYS[label]


def _snake(name: str) -> str:
    return "".join(f"_{char.lower()}" if char.isupper() else char for char in name).lstrip("_")


def indexed_props(kind: NodeKind) -> tuple[str, ...]:
    """Properties that queries filter on: the name and every enumerated property."""
    return tuple(prop.name for prop in kind.properties if prop.name == "name" or prop.choices)


def schema_statements() -> list[str]:
    """Constraints, range indexes, key TEXT indexes and the CJK full-text index, all `IF NOT EXISTS`."""
    statements = [_unique(kind.label, kind.key) for kind in NODE_KINDS]
    statements += [_unique(LOAD_RUN_LABEL, "id"), _unique(META_LABEL, "name")]
    statements += [_node_index(kind.label, prop) for kind in NODE_KINDS for prop in indexed_props(kind)]
    statements += [_rel_index(kind.type, key) for kind in REL_KINDS for key in kind.key]
    statements += [_key_text_index(kind.label, kind.key) for kind in NODE_KINDS]
    statements += [fulltext_index_statement(kind.label) for kind in NODE_KINDS]
    return statements


def _unique(label: str, prop: str) -> str:
    name = f"{_snake(label)}_{prop}_unique"
    return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"


def _node_index(label: str, prop: str) -> str:
    return f"CREATE INDEX {_snake(label)}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"


def _rel_index(rel_type: str, prop: str) -> str:
    return f"CREATE INDEX {rel_type.lower()}_{prop} IF NOT EXISTS FOR ()-[r:{rel_type}]-() ON (r.{prop})"


def _key_text_index(label: str, prop: str) -> str:
    """Search finds keys holding the text (`CONTAINS`), which only a TEXT index answers."""
    return f"CREATE TEXT INDEX {_snake(label)}_{prop}_text IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"


def fulltext_index(label: str) -> str:
    """The CJK full-text index over the searched names (SEARCHED_PROPS) of `label`'s nodes."""
    return f"{_snake(label)}_names_fulltext"


def fulltext_index_statement(label: str) -> str:
    names = ", ".join(f"n.{prop}" for prop in SEARCHED_PROPS)
    return (
        f"CREATE FULLTEXT INDEX {fulltext_index(label)} IF NOT EXISTS FOR (n:{label}) ON EACH [{names}]\n"
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
    )


# Outcome codes the upserts report per row: 0 created, 1 updated, 2 unchanged. A row is new when
# the merged entity has no `loaded_at` yet (every write stamps it); it changed when one of its
# given properties differs from the stored value in value or type (1 and 1.0 differ, as in the
# embedded store); a missing stored value counts as different.
_OUTCOME: Final = (
    "CASE WHEN {v}.loaded_at IS NULL THEN 0\n"
    "  WHEN all(k IN keys(r.props) WHERE coalesce({v}[k] = r.props[k], false)"
    " AND valueType({v}[k]) = valueType(r.props[k])) THEN 2\n"
    "  ELSE 1 END AS outcome"
)
_STAMP: Final = (
    "FOREACH (_ IN CASE WHEN outcome < 2 THEN [1] ELSE [] END |\n"
    "  SET {v} += r.props, {v}.source = $source, {v}.loaded_at = $loaded_at)\n"
)
_COUNTED: Final = "RETURN outcome, count(*) AS rows"


@cache
def upsert_nodes_query(label: str, each_row: str = "", returning: bool = False) -> str:
    """Rows are `{key, props}` (and whatever `each_row`, a clause run for every row after its
    upsert, reads); returns one `(outcome, rows)` record per outcome, `returning` also the nodes'
    properties as written (`written`)."""
    key = stored_key(label)
    return (
        "UNWIND $rows AS r\n"
        f"MERGE (n:{label} {{{key}: r.key}})\n"
        f"WITH n, r, {_OUTCOME.format(v='n')}\n"
        f"{_STAMP.format(v='n')}{each_row + chr(10) if each_row else ''}{_COUNTED}"
        + (", collect(properties(n)) AS written" if returning else "")
    )


# Writes to a property that is removed again at once: a no-op that takes a node's write lock.
_LOCK_PROP: Final = "`_lock`"


@cache
def upsert_rels_query(rel_type: str, source_label: str, target_label: str) -> str:
    """Rows are `{source, target, key, props}`; endpoints are matched, never created, so a row
    whose endpoint is missing yields no outcome (the caller compares counts).

    This is MERGE spelled out, because MERGE's own lookup may be planned as a seek on the
    relationship property index (OFFERS.year) while the type is nearly empty, and that cached
    plan then scans every relationship of the year per row: quadratic on a first big load. Here
    the lookup compares the key as a map, which no index can answer, so it always expands
    between the two bound endpoints. As MERGE does, the endpoints are write-locked before the
    lookup is repeated and the relationship created, so concurrent writers make no duplicates.
    """
    kind = check_endpoints(rel_type, source_label, target_label)
    source, target = node_kind(source_label), node_kind(target_label)
    key_map = ", ".join(f"{name}: r.key.{name}" for name in kind.key)
    lookup = _existing_rel(kind.type, kind.key)
    return (
        "UNWIND $rows AS r\n"
        f"MATCH (a:{source.label} {{{source.key}: r.source}})\n"
        f"MATCH (b:{target.label} {{{target.key}: r.target}})\n"
        f"WITH a, b, r, {lookup} AS found\n"
        "FOREACH (_ IN CASE WHEN found IS NULL THEN [1] ELSE [] END |\n"
        f"  SET a.{_LOCK_PROP} = true, b.{_LOCK_PROP} = true REMOVE a.{_LOCK_PROP}, b.{_LOCK_PROP})\n"
        f"WITH a, b, r, coalesce(found, {lookup}) AS found\n"
        "FOREACH (_ IN CASE WHEN found IS NULL THEN [1] ELSE [] END |\n"
        f"  CREATE (a)-[:{kind.type}{f' {{{key_map}}}' if key_map else ''}]->(b))\n"
        f"WITH r, coalesce(found, {lookup}) AS x\n"
        f"WITH x, r, {_OUTCOME.format(v='x')}\n"
        f"{_STAMP.format(v='x')}{_COUNTED}"
    )


def _existing_rel(rel_type: str, key: tuple[str, ...]) -> str:
    """The `rel_type` relationship from `a` to `b` with `r.key`'s key values, or null."""
    where = f" WHERE y {{{', '.join('.' + name for name in key)}}} = r.key" if key else ""
    return f"head([(a)-[y:{rel_type}]->(b){where} | y])"


@cache
def missing_keys_query(label: str) -> str:
    """Which of `$keys` name no node of `label`."""
    return (
        "UNWIND $keys AS key\n"
        f"OPTIONAL MATCH (n:{label} {{{stored_key(label)}: key}})\n"
        "WITH key WHERE n IS NULL\n"
        "RETURN collect(key) AS missing"
    )


@cache
def delete_nodes_query(label: str) -> str:
    return (
        "UNWIND $keys AS key\n"
        f"MATCH (n:{label} {{{stored_key(label)}: key}})\n"
        "DETACH DELETE n\n"
        "RETURN count(*) AS deleted"
    )


@cache
def delete_rels_query(rel_type: str, source_label: str, target_label: str) -> str:
    """Rows are `{source, target, key}`; deletes the relationship with exactly that key (matched
    between the endpoints, never through the property index: see `upsert_rels_query`)."""
    kind = check_endpoints(rel_type, source_label, target_label)
    source, target = node_kind(source_label), node_kind(target_label)
    return (
        "UNWIND $rows AS r\n"
        f"MATCH (a:{source.label} {{{source.key}: r.source}})\n"
        f"MATCH (b:{target.label} {{{target.key}: r.target}})\n"
        f"WITH r, {_existing_rel(kind.type, kind.key)} AS x WHERE x IS NOT NULL\n"
        "DELETE x\n"
        "RETURN count(*) AS deleted"
    )


def stats_query() -> str:
    """Every count comes from the count store (one round trip, no scans)."""
    nodes = [f"COUNT {{ (:{kind.label}) }} AS `{kind.label}`" for kind in NODE_KINDS]
    rels = [f"COUNT {{ ()-[:{kind.type}]->() }} AS `{kind.type}`" for kind in REL_KINDS]
    return "RETURN " + ",\n       ".join(nodes + rels)
