"""Cypher for the pinyin sort keys of names on Neo4j (`graph.neo4j.sort_names`).

Cypher cannot spell pinyin, so Python computes each name's key (`graph.aliases.sort_key`) and
the store keeps it in a `_SortName {name, key}` node per distinct name, written by every write
that stores a name. A lookup node rather than a property of each node keeps the records both
stores return identical (a property would come back from every `properties(n)`), and the key of
a name is the same whichever nodes carry it. `ORDER BY` a pinyin-ordered property looks the key
up by the unique index on `_SortName.name`.
"""

from __future__ import annotations

from typing import Final

from graph.model import NODE_KINDS
from graph.neo4j.cypher.statements import META_LABEL

LABEL: Final = "_SortName"
META_NAME: Final = "sort_names"
# Bump when `graph.aliases.sort_key` changes what it returns: `ensure_schema` then rebuilds the keys.
FORMAT: Final = 1

SCHEMA: Final = (f"CREATE CONSTRAINT sortname_name_unique IF NOT EXISTS FOR (k:{LABEL}) REQUIRE k.name IS UNIQUE",)

# `$names` is a list of `{name, key}`.
WRITE: Final = f"UNWIND $names AS s\nMERGE (k:{LABEL} {{name: s.name}})\nON CREATE SET k.key = s.key"
# The same for the `{name, key}` list `r.sort_names` of each row of a node upsert, in its statement.
WRITE_EACH_ROW: Final = f"FOREACH (s IN r.sort_names | MERGE (k:{LABEL} {{name: s.name}}) ON CREATE SET k.key = s.key)"

CLEAR: Final = f"MATCH (k:{LABEL})\nCALL (k) {{ DELETE k }} IN TRANSACTIONS OF 10000 ROWS"

# Every distinct name of the model's nodes (the names a rebuild keys).
ALL_NAMES: Final = (
    f"MATCH (n:{'|'.join(kind.label for kind in NODE_KINDS)}) WHERE n.name IS :: STRING\n"
    "RETURN collect(DISTINCT n.name) AS names"
)

STORED_FORMAT: Final = f"MATCH (m:{META_LABEL} {{name: $name}}) RETURN m.format AS format"
SET_FORMAT: Final = f"MERGE (m:{META_LABEL} {{name: $name}}) SET m.format = $format"


def key_expression(var: str, prop: str) -> str:
    """The sort key of `var.prop` (null when the property is missing)."""
    return f"COLLECT {{ MATCH (sort_name:{LABEL} {{name: {var}.{prop}}}) RETURN sort_name.key }}[0]"
