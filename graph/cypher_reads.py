"""Read queries of the Neo4j store: lookups, filtered pages, neighbours and full-text search.

Builders return `(query, parameters)`; labels and types come from the model's allowlist (plus
`LoadRun`) and every value is a parameter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from graph.cypher import FULLTEXT_INDEX, stored_key
from graph.cypher_filters import Params, key_expression, node_fields, order_clause, rel_fields, where_clause
from graph.filters import Filter
from graph.model import NODES, KeyRule, RelKind, node_kind, rel_kind
from graph.records import Direction, OrderBy
from graph.relevance import normalise

Query = tuple[str, dict[str, Any]]

# Enough full-text candidates that re-ranking them by `graph.relevance` gives the same top
# results as the embedded store's exhaustive scan, yet a bounded read.
SEARCH_CANDIDATES: Final = 5_000
_CJK_RUN: Final = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_WORD_RUN: Final = re.compile(r"[^\W_]+")  # letters and digits of any script
# What part of a valid key (`graph.validation.check_key`) can hold once case-folded: a text no
# key of a kind can contain needs no scan of that kind's keys (Chinese text, spaces, …).
_KEY_FRAGMENT: Final = {
    KeyRule.ADCODE: re.compile(r"^[0-9]+$"),
    KeyRule.SCHOOL_CODE: re.compile(r"^[0-9]+$"),
    KeyRule.DISCIPLINE_CODE: re.compile(r"^[0-9a-z]+$"),
    KeyRule.USCC: re.compile(r"^[0-9a-z]+$"),
    KeyRule.IDENTIFIER: re.compile(r"^[\w.\-]+$"),
}


def get_nodes_query(label: str, keys: Sequence[str]) -> Query:
    key = stored_key(label)
    return f"MATCH (n:{label})\nWHERE n.{key} IN $keys\nRETURN properties(n) AS props", {"keys": list(keys)}


def _window(values: dict[str, Any], offset: int, limit: int | None) -> str:
    """`SKIP … LIMIT …` with its parameters added to `values`."""
    if offset < 0 or (limit is not None and limit < 0):
        raise ValueError(f"offset and limit must be 0 or more, not {offset} and {limit}")
    values["offset"] = offset
    if limit is None:
        return "SKIP $offset"
    values["limit"] = limit
    return "SKIP $offset LIMIT $limit"


def find_nodes_query(
    label: str, where: Filter | None, order_by: Sequence[OrderBy], offset: int, limit: int | None
) -> Query:
    key = stored_key(label)
    params = Params()
    condition = where_clause(where, node_fields(label), "n", params)
    values = dict(params.values)
    window = _window(values, offset, limit)
    order = order_clause(label, key, order_by, "n")
    return f"MATCH (n:{label})\n{condition}WITH n {order}\n{window}\nRETURN properties(n) AS props", values


def count_nodes_query(label: str, where: Filter | None) -> Query:
    stored_key(label)
    params = Params()
    condition = where_clause(where, node_fields(label), "n", params)
    return f"MATCH (n:{label})\n{condition}RETURN count(n) AS total", params.values


def starts_at(kind: RelKind, direction: Direction, label: str) -> bool:
    """Whether a node of `label` can have `kind` relationships in `direction`."""
    return label in (kind.sources if direction is Direction.OUT else (kind.target,))


def _pattern(kind: RelKind, direction: Direction) -> str:
    arrow = f"-[r:{kind.type}]->" if direction is Direction.OUT else f"<-[r:{kind.type}]-"
    return f"(n){arrow}(m)"


def neighbours_query(
    label: str, rel_type: str, direction: Direction, rel_where: Filter | None, offset: int, limit: int | None
) -> Query:
    """Neighbours of each node of `label` keyed in `$keys`, ordered by the neighbour's label and key
    then the relationship's key properties, paged per node."""
    kind, start = rel_kind(rel_type), node_kind(label)
    params = Params()
    condition = where_clause(rel_where, rel_fields(kind), "r", params).strip()
    labels = (kind.target,) if direction is Direction.OUT else kind.sources
    order = (["labels(m)[0]"] if len(labels) > 1 else []) + [key_expression(labels, "m")]
    order += [f"r.{name}" for name in kind.key]
    values = dict(params.values)
    lines = [
        "UNWIND $keys AS key",
        f"MATCH (n:{start.label} {{{start.key}: key}})",
        "CALL (n) {",
        f"  MATCH {_pattern(kind, direction)}",
        *([f"  {condition}"] if condition else []),
        f"  RETURN r, m ORDER BY {', '.join(order)}",
        f"  {_window(values, offset, limit)}",
        "}",
        "RETURN key, properties(r) AS rel, labels(m) AS labels, properties(m) AS props",
    ]
    return "\n".join(lines), values


def count_neighbours_query(label: str, rel_type: str, direction: Direction, rel_where: Filter | None) -> Query:
    """Per key in `$keys`, its number of `rel_type` relationships (the degree store without a filter)."""
    kind, start = rel_kind(rel_type), node_kind(label)
    params = Params()
    condition = where_clause(rel_where, rel_fields(kind), "r", params).strip()
    query = (
        f"UNWIND $keys AS key\nMATCH (n:{start.label} {{{start.key}: key}})\n"
        f"RETURN key, COUNT {{ {_pattern(kind, direction)}{' ' + condition if condition else ''} }} AS count"
    )
    return query, params.values


def lucene_query(text: str) -> str:
    """A Lucene query finding every name that `graph.relevance` could score above 0, or "".

    The CJK analyzer indexes Chinese as overlapping bigrams, so a Chinese run of two or more
    characters is passed as text (its bigrams are OR-ed) while a lone Chinese character becomes
    `*c*` (every bigram holding it, or the character alone). Other words match anywhere inside a
    token (`*word*`), as the embedded store's substring match does. Only runs of letters and
    digits reach Lucene (the analyzer drops everything else anyway), so no query syntax can get
    through: the text is escaped by construction, and AND/OR/NOT are lowercased into plain words.
    """
    normalised = normalise(text)
    words = normalised.split()
    if len(words) > 1:
        words.append("".join(words))  # relevance compares bigrams with spaces removed
    terms: list[str] = []
    for word in words:
        for run in _CJK_RUN.findall(word):
            terms.append(f"*{run}*" if len(run) == 1 else run)
        terms += [f"*{run}*" for run in _WORD_RUN.findall(_CJK_RUN.sub(" ", word))]
    return " OR ".join(dict.fromkeys(terms))


def search_candidates_query(text: str, labels: Sequence[str], limit: int) -> Query | None:
    """Full-text candidates by name, plus nodes whose key contains the text, as
    `(id, labels, name, key)` rows for re-ranking by `graph.relevance`; None when no name and
    no key could match."""
    checked = [node_kind(label).label for label in labels] or list(NODES)
    lucene, wanted = lucene_query(text), normalise(text)
    by_name = (
        f"  CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query) YIELD node\n"
        "  WHERE any(label IN labels(node) WHERE label IN $labels)\n"
        f"  WITH node LIMIT {SEARCH_CANDIDATES}\n"
        f"  RETURN node AS n, {key_expression(checked, 'node')} AS key"
    )
    by_key = [
        _key_branch(label, NODES[label].key) for label in checked if _KEY_FRAGMENT[NODES[label].key_rule].match(wanted)
    ]
    branches = ([by_name] if lucene else []) + by_key
    if not branches:
        return None
    query = (
        "CALL () {\n" + "\n  UNION\n".join(branches) + "\n}\n"
        "RETURN elementId(n) AS id, labels(n) AS labels, n.name AS name, key"
    )
    values: dict[str, Any] = {"labels": checked, "text": wanted, "limit": limit}
    if lucene:
        values["query"] = lucene
    return query, values


def _key_branch(label: str, key: str) -> str:
    """Nodes of `label` whose key contains the text, best `$limit` first as `graph.relevance`
    ranks keys: prefixes (the exact key among them) before other matches, shorter keys first."""
    return (
        f"  MATCH (n:{label}) WHERE toLower(n.{key}) CONTAINS $text\n"
        f"  WITH n ORDER BY toLower(n.{key}) STARTS WITH $text DESC, size(n.{key}), n.{key} LIMIT $limit\n"
        f"  RETURN n, n.{key} AS key"
    )


NODES_BY_ID: Final = "MATCH (n) WHERE elementId(n) IN $ids\nRETURN elementId(n) AS id, properties(n) AS props"
