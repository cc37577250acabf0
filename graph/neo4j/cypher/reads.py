"""Read queries of the Neo4j store: lookups, filtered pages, neighbours and full-text search.

Builders return `(query, parameters)`; labels and types come from the model's allowlist (plus
`LoadRun`) and every value is a parameter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any, Final

from graph.filters import Filter
from graph.model import NODES, KeyRule, RelKind, node_kind, rel_kind
from graph.neo4j.cypher import names
from graph.neo4j.cypher.filters import Params, node_fields, order_clause, rel_fields, where_clause
from graph.neo4j.cypher.statements import fulltext_index, stored_key
from graph.records import Direction, OrderBy
from graph.relevance import SEARCHED_PROPS, normalise
from graph.store import check_window

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


def _window(values: dict[str, Any], offset: int, limit: int | None, prefix: str = "") -> str:
    """`SKIP … LIMIT …` with its parameters (names starting with `prefix`) added to `values`."""
    check_window(offset, limit)
    values[f"{prefix}offset"] = offset
    if limit is None:
        return f"SKIP ${prefix}offset"
    values[f"{prefix}limit"] = limit
    return f"SKIP ${prefix}offset LIMIT ${prefix}limit"


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


def page_query(label: str, where: Filter | None, order_by: Sequence[OrderBy], offset: int, limit: int | None) -> Query:
    """A page of `find_nodes_query` and the count of every match in one round trip. Without a
    filter the count store answers; with one, the database counts only when the page cannot
    tell (see `page_total`): a first page that is not full already says how many matched."""
    key = stored_key(label)
    params = Params()
    condition = where_clause(where, node_fields(label), "n", params).strip()
    values = dict(params.values)
    window = _window(values, offset, limit)
    match = [f"  MATCH (n:{label})", *([f"  {condition}"] if condition else [])]
    counting = ["CALL () {"]
    if condition:
        values["full"] = limit
        counting = ["CALL (page) {", "  WITH page WHERE size(page) >= $full OR (size(page) = 0 AND $offset > 0)"]
    lines = [
        "CALL () {", *match, f"  WITH n {order_clause(label, key, order_by, 'n')}", f"  {window}",
        "  RETURN collect(properties(n)) AS page", "}",
        *counting, *match, "  RETURN count(n) AS counted", "}",
        "RETURN page, counted",
    ]
    return "\n".join(lines), values


def page_total(offset: int, limit: int | None, found: int, counted: int, filtered: bool) -> int:
    """The total of a `page_query`: what the database counted, unless it was spared the count
    because the page (not full, and not empty past the start) already tells."""
    needs_count = not filtered or (limit is not None and found >= limit) or (found == 0 and offset > 0)
    return counted if needs_count else offset + found


def starts_at(kind: RelKind, direction: Direction, label: str) -> bool:
    """Whether a node of `label` can have `kind` relationships in `direction`."""
    return label in (kind.sources if direction is Direction.OUT else (kind.target,))


def _pattern(kind: RelKind, direction: Direction) -> str:
    return f"(n){arrow(kind, direction, 'r')}(m)"


def arrow(kind: RelKind, direction: Direction, rel: str) -> str:
    """`-[rel:TYPE]->` or `<-[rel:TYPE]-`, as seen from the node the read starts at."""
    return f"-[{rel}:{kind.type}]->" if direction is Direction.OUT else f"<-[{rel}:{kind.type}]-"


NEIGHBOUR_COLUMNS: Final = "properties(r) AS rel, labels(m) AS labels, properties(m) AS props"


def neighbours_query(
    label: str, rel_type: str, direction: Direction, rel_where: Filter | None, offset: int, limit: int | None
) -> Query:
    """Neighbours of each node of `label` keyed in `$keys`, ordered by the neighbour's label and key
    then the relationship's key properties, paged per node."""
    lines, values = neighbour_lines(label, rel_type, direction, rel_where, offset, limit)
    return "\n".join([*lines, f"RETURN key, {NEIGHBOUR_COLUMNS}"]), values


NEIGHBOUR_ITEM: Final = "[properties(r), labels(m), properties(m)]"


def neighbour_lines(
    label: str, rel_type: str, direction: Direction, rel_where: Filter | None, offset: int, limit: int | None,
    prefix: str = "", shape: str = "rows", distinct: bool = False,
) -> tuple[list[str], dict[str, Any]]:
    """`neighbours_query` up to its RETURN. Its `shape`: "rows" leaves `key`, `r` and `m` in scope,
    one row per neighbour; "page" leaves `key` and `found`, the page of one key as a list of
    `[rel props, labels, props]` (one row per key: the driver handles far fewer records); "counted"
    adds `total`, the number of all the key's matches, from the same expansion (a filtered count
    must expand them anyway). Parameter names start with `prefix`, so that several parts can
    share one statement. `distinct` ("page" and "counted" only) pages and counts related nodes,
    each listed once with the list of its matching relationships' properties in place of one's."""
    kind, start = rel_kind(rel_type), node_kind(label)
    params = Params(prefix=prefix)
    condition = where_clause(rel_where, rel_fields(kind), "r", params).strip()
    values = dict(params.values)
    window = _window(values, offset, limit, prefix)
    if distinct:
        page = _distinct_page(kind, direction, condition, window, _slice("matched", values, prefix), shape)
    else:
        page = _page(neighbour_order(kind, direction, "r", "m"), window, _slice("matched", values, prefix), shape)
    lines = [
        f"UNWIND ${prefix}keys AS key",
        f"MATCH (n:{start.label} {{{start.key}: key}})",
        "CALL (n) {",
        f"  MATCH {_pattern(kind, direction)}",
        *([f"  {condition}"] if condition else []),
        *page,
        "}",
    ]
    return lines, values


def _page(order: list[str], window: str, matched: str, shape: str) -> list[str]:
    return {
        "rows": [f"  RETURN r, m ORDER BY {', '.join(order)}", f"  {window}"],
        "page": [f"  WITH r, m ORDER BY {', '.join(order)}", f"  {window}", f"  RETURN collect({NEIGHBOUR_ITEM}) AS found"],
        "counted": [
            f"  WITH r, m ORDER BY {', '.join(order)}", "  WITH collect([r, m]) AS matched",
            f"  RETURN size(matched) AS total, [x IN {matched} | "
            "[properties(x[0]), labels(x[1]), properties(x[1])]] AS found",
        ],
    }[shape]


def _distinct_page(kind: RelKind, direction: Direction, condition: str, window: str, matched: str, shape: str) -> list[str]:
    """The "page" or "counted" lines of a distinct read: the window over distinct nodes `m`,
    each with its relationships to `n` (those `condition` admits) read again for it alone."""
    order = ", ".join(node_order(kind, direction, "m"))
    if shape == "page":
        rows = relationship_rows(kind, direction, "n", "r", "m", condition)
        return [f"  WITH DISTINCT n, m ORDER BY {order}", f"  {window}",
                f"  RETURN collect([{rows}, labels(m), properties(m)]) AS found"]
    rows = relationship_rows(kind, direction, "n", "r", "x", condition)
    return [f"  WITH DISTINCT n, m ORDER BY {order}", "  WITH n, collect(m) AS matched",
            f"  RETURN size(matched) AS total, [x IN {matched} | [{rows}, labels(x), properties(x)]] AS found"]


def relationship_rows(kind: RelKind, direction: Direction, near: str, rel: str, far: str, condition: str) -> str:
    """The properties of every `kind` relationship between the bound nodes `near` and `far` that
    `condition` (on `rel`) admits, as a list in the relationship's key order."""
    order = ", ".join(f"{rel}.{name}" for name in kind.key)
    return (f"COLLECT {{ MATCH ({near}){arrow(kind, direction, rel)}({far}){' ' + condition if condition else ''}"
            f" RETURN properties({rel}){' ORDER BY ' + order if order else ''} }}")


def neighbour_order(kind: RelKind, direction: Direction, rel: str, node: str) -> list[str]:
    """The order of neighbours (`node`, reached over `rel`): label when several kinds can be
    reached, then key, then the relationship's key properties."""
    return node_order(kind, direction, node) + [f"{rel}.{name}" for name in kind.key]


def node_order(kind: RelKind, direction: Direction, node: str) -> list[str]:
    """The order of the nodes `kind` reaches in `direction`: label when it reaches several, then key."""
    labels = (kind.target,) if direction is Direction.OUT else kind.sources
    return ([f"labels({node})[0]"] if len(labels) > 1 else []) + [names.key_expression(node, labels)]


def _slice(items: str, values: dict[str, Any], prefix: str) -> str:
    """`items[offset..offset + limit]` with the parameters `_window` added to `values`."""
    offset, limit = f"${prefix}offset", f"${prefix}limit"
    return f"{items}[{offset}..{offset} + {limit}]" if f"{prefix}limit" in values else f"{items}[{offset}..]"


def count_neighbours_query(label: str, rel_type: str, direction: Direction, rel_where: Filter | None) -> Query:
    """Per key in `$keys`, its number of `rel_type` relationships (the degree store without a filter)."""
    lines, count, values = count_lines(label, rel_type, direction, rel_where)
    return "\n".join([*lines, f"RETURN key, {count} AS count"]), values


def count_lines(
    label: str, rel_type: str, direction: Direction, rel_where: Filter | None, prefix: str = "", distinct: bool = False
) -> tuple[list[str], str, dict[str, Any]]:
    """`count_neighbours_query` up to its RETURN, plus the count expression to return (of
    distinct related nodes with `distinct`)."""
    kind, start = rel_kind(rel_type), node_kind(label)
    params = Params(prefix=prefix)
    condition = where_clause(rel_where, rel_fields(kind), "r", params).strip()
    lines = [f"UNWIND ${prefix}keys AS key", f"MATCH (n:{start.label} {{{start.key}: key}})"]
    return lines, count_expression(_pattern(kind, direction), "m", condition, distinct), params.values


def count_expression(pattern: str, far: str, condition: str, distinct: bool) -> str:
    """How many matches of `pattern` `condition` admits: relationships, or (`distinct`) the
    distinct nodes `far` they reach."""
    matched = f"{pattern}{' ' + condition if condition else ''}"
    return f"COUNT {{ MATCH {matched} RETURN DISTINCT {far} }}" if distinct else f"COUNT {{ {matched} }}"


NAMES: Final = ", ".join(f"n.{prop}" for prop in SEARCHED_PROPS)  # what a candidate is ranked by


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


def phrase_query(text: str) -> str | None:
    """A Lucene phrase finding exactly the names that contain the normalised text, when that is
    one run of two or more Chinese characters (the CJK analyzer indexes such a run as adjacent
    bigrams); None otherwise. Such names score at least `relevance.SUBSTRING`, more than any
    name matched by bigrams alone can."""
    wanted = normalise(text)
    return f'"{wanted}"' if len(wanted) >= 2 and _CJK_RUN.fullmatch(wanted) else None


def search_candidates_query(text: str, labels: Sequence[str], limit: int) -> Query | None:
    """Full-text candidates by name (Chinese or English), plus nodes whose key contains the text, as one record whose
    `candidates` lists `[id, labels, name, English name, key]` for re-ranking by `graph.relevance` (one record,
    not one per candidate, which the driver decodes many times faster); None when no name and
    no key could match. When a Chinese text finds `$limit` names containing it (or keys), the
    names sharing only some of its bigrams are not read at all: none of them could rank higher."""
    checked = [node_kind(label).label for label in labels] or list(NODES)
    lucene, phrase, wanted = lucene_query(text), phrase_query(text), normalise(text)
    by_key = [
        _key_branch(label, NODES[label].key, _caseless(wanted))
        for label in checked if _KEY_FRAGMENT[NODES[label].key_rule].match(wanted)
    ]
    values: dict[str, Any] = {"labels": checked, "text": wanted, "limit": limit}
    if lucene:
        values["query"] = lucene
    if phrase is not None:
        values["phrase"] = phrase
        return (
            _union([_name_branch(checked, "$phrase"), *by_key]) + f"WITH collect([elementId(n), labels(n), {NAMES}, key]) AS sure\n"
            "CALL (sure) {\n  WITH sure WHERE size(sure) < $limit\n" + _names(checked, "$query")
            + f"  RETURN collect([elementId(n), labels(n), {NAMES}, {names.key_expression('n', checked)}]) AS more\n}}\n"
            "RETURN sure + more AS candidates"
        ), values
    branches = ([_name_branch(checked, "$query")] if lucene else []) + by_key
    if not branches:
        return None
    return _union(branches) + f"RETURN collect([elementId(n), labels(n), {NAMES}, key]) AS candidates", values


def _union(branches: Sequence[str]) -> str:
    return "CALL () {\n" + "\n  UNION\n".join(branches) + "\n}\n"


def _names(labels: Sequence[str], lucene: str) -> str:
    """`n`: the nodes of `labels` the full-text index finds for the Lucene query `lucene`, at most
    `SEARCH_CANDIDATES` of them, chosen as `graph.relevance` ranks names rather than by Lucene's
    score (which favours short names and repeated words): names containing the text first,
    prefixes before other substrings, shorter before longer, equals by label and key as in the
    final ranking; then the rest by Lucene's score."""
    tie = f"[[label IN labels(n) WHERE label IN $labels][0], {names.key_expression('n', labels)}]"
    return (
        _index_hits(labels, lucene) + "  WITH node AS n, score, toLower(node.name) AS name\n"
        "  ORDER BY name CONTAINS $text DESC, name STARTS WITH $text DESC,\n"
        f"    CASE WHEN name CONTAINS $text THEN [size(name), {tie}] END, score DESC LIMIT {SEARCH_CANDIDATES}\n"
    )


def _index_hits(labels: Sequence[str], lucene: str) -> str:
    """`node, score`: the hits of each label's full-text index."""
    queries = [f"CALL db.index.fulltext.queryNodes('{fulltext_index(label)}', {lucene}) YIELD node, score" for label in labels]
    if len(queries) == 1:
        return f"  {queries[0]}\n"
    return "  CALL () {\n" + "\n    UNION ALL\n".join(f"    {query} RETURN node, score" for query in queries) + "\n  }\n"


def _name_branch(labels: Sequence[str], lucene: str) -> str:
    return _names(labels, lucene) + f"  RETURN n, {names.key_expression('n', labels)} AS key"


def _key_branch(label: str, key: str, caseless: bool) -> str:
    """Nodes of `label` whose key contains the text, best `$limit` first as `graph.relevance`
    ranks keys: prefixes (the exact key among them) before other matches, shorter keys first.
    A text without cased letters (Chinese, digits) is found in the key as stored, which the key's
    TEXT index answers; otherwise every key of the label is lowercased and scanned."""
    stored = f"n.{key}" if caseless else f"toLower(n.{key})"
    return (
        f"  MATCH (n:{label}) WHERE {stored} CONTAINS $text\n"
        f"  WITH n ORDER BY {stored} STARTS WITH $text DESC, size(n.{key}), n.{key} LIMIT $limit\n"
        f"  RETURN n, n.{key} AS key"
    )


def _caseless(text: str) -> bool:
    """Whether `text` (normalised) holds no letter with another case and no combining mark that a
    lowercased letter could end in: then `toLower(key) CONTAINS text` is `key CONTAINS text`."""
    return text.upper() == text and not any(unicodedata.combining(char) for char in text)


NODES_BY_ID: Final = "MATCH (n) WHERE elementId(n) IN $ids\nRETURN collect([elementId(n), properties(n)]) AS found"

# At most this many search candidates come with their properties (`with_properties`): enough for a
# search whose text few names share, while a common text's thousands of candidates stay light.
SEARCH_EAGER: Final = 200


def with_properties(candidates: Query) -> Query:
    """`candidates` (a `search_candidates_query`) returning also `found`, `[id, properties]` of every
    candidate when there are at most `SEARCH_EAGER` of them (else none): the hits of such a search
    are read in the one round trip, without a `NODES_BY_ID` after the ranking."""
    query, params = candidates
    body = "\n".join("  " + line for line in query.splitlines())
    return (
        f"CALL () {{\n{body}\n}}\n"
        "CALL (candidates) {\n"
        "  WITH candidates WHERE size(candidates) <= $eager\n"
        "  UNWIND candidates AS candidate\n"
        "  MATCH (n) WHERE elementId(n) = candidate[0]\n"
        "  RETURN collect([elementId(n), properties(n)]) AS found\n"
        "}\n"
        "RETURN candidates, found"
    ), {**params, "eager": SEARCH_EAGER}
