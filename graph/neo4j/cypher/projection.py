"""Cypher for projections (`graph.neo4j.projection`): subgraphs, neighbourhoods and shortest paths.

Labels, relationship types and key properties come only from the model (`graph.model`); every
value is a parameter. Every query returns rows of one shape so a single streaming read carries
nodes and relationships alike:

- a node row: `label`, `key`, `props`, with `type` null;
- a relationship row: `label`/`key` of its start node, `type`, `target_label`/`target_key`, `props`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from graph.model import NODES, RELS, node_kind
from graph.neo4j.cypher import names
from graph.projection import LOCATED_LABELS, MAX_PATH_LENGTH, Selection, check_bound

Query = tuple[str, dict[str, Any]]

ROW_COLUMNS: Final = "label, key, props, type, target_label, target_key"


def label_expression(var: str) -> str:
    """The model label of `var` (a node may carry store-internal labels besides it)."""
    return f"[l IN labels({var}) WHERE l IN $labels][0]"


def has_label(var: str, labels: Sequence[str]) -> str:
    return "(" + " OR ".join(f"{var}:{names.label(label)}" for label in labels) + ")"


def located(var: str, label: str | None, selection: Selection) -> str:
    """The district predicate for `var` (of `label`, or of any kept label when None); "" if none."""
    if not selection.districts:
        return ""
    in_place = f"EXISTS {{ ({var})-[:LOCATED_IN]->(place:District) WHERE place.code IN $districts }}"
    if label is not None:
        if label == "District":
            return f"{var}.code IN $districts"
        return in_place if label in LOCATED_LABELS else ""
    located_kinds = [label for label in LOCATED_LABELS if label in selection.node_labels]
    parts = [f"(NOT {var}:District OR {var}.code IN $districts)"]
    if located_kinds:
        parts.append(f"(NOT {has_label(var, located_kinds)} OR {in_place})")
    return " AND ".join(parts)


def _where(*predicates: str) -> str:
    kept = [predicate for predicate in predicates if predicate]
    return f"WHERE {' AND '.join(kept)}\n" if kept else ""


def _node_branch(label: str, selection: Selection) -> str:
    key = NODES[label].key
    return (
        f"MATCH (n:{label})\n{_where(located('n', label, selection))}"
        f"RETURN '{label}' AS label, n.{key} AS key, properties(n) AS props, "
        "null AS type, null AS target_label, null AS target_key"
    )


def _rel_branch(rel_type: str, source: str, selection: Selection) -> str:
    target = RELS[rel_type].target
    return (
        f"MATCH (n:{source})-[r:{rel_type}]->(m:{target})\n"
        f"{_where(located('n', source, selection), located('m', target, selection))}"
        f"RETURN '{source}' AS label, n.{NODES[source].key} AS key, properties(r) AS props, "
        f"'{rel_type}' AS type, '{target}' AS target_label, m.{NODES[target].key} AS target_key"
    )


def subgraph_query(selection: Selection) -> Query:
    """The whole selection in one read: a UNION ALL of one branch per kept label and one per
    kept (relationship type, source label), node rows first."""
    if selection.chain:
        return chain_subgraph_query(selection)
    branches = [_node_branch(label, selection) for label in selection.node_labels]
    branches += [
        _rel_branch(rel_type, source, selection)
        for rel_type in selection.relationship_types
        for source in selection.sources_of(rel_type)
    ]
    return "\nUNION ALL\n".join(branches), {"districts": list(selection.districts)}


def _member_rows(var: str, rel_types: Sequence[str], labels: Sequence[str]) -> str:
    """The node row of `var` and a row per kept relationship leaving it to a kept label (the
    caller drops those whose end is not a member)."""
    return (
        f"CALL ({var}) {{\n"
        f"  WITH {label_expression(var)} AS label\n"
        f"  RETURN label, {names.key_expression(var, labels)} AS key, properties({var}) AS props, "
        "null AS type, null AS target_label, null AS target_key\n"
        "  UNION ALL\n"
        f"  MATCH ({var})-[r:{'|'.join(rel_types)}]->(m)\n"
        f"  WHERE {has_label('m', labels)}\n"
        f"  RETURN {label_expression(var)} AS label, {names.key_expression(var, labels)} AS key, properties(r) AS props, "
        f"type(r) AS type, {label_expression('m')} AS target_label, {names.key_expression('m', labels)} AS target_key\n"
        "}\n"
        f"RETURN {ROW_COLUMNS}"
    )


def chain_subgraph_query(selection: Selection) -> Query:
    """Enterprises of the chain's subtree (`PART_OF*0..`) and their neighbours, then the rows of
    every member, in one read."""
    labels, rel_types = selection.node_labels, selection.relationship_types
    neighbours = ""
    if rel_types:
        neighbours = (
            "  UNION\n"
            f"  MATCH (core)-[:{'|'.join(rel_types)}]-(n)\n"
            f"  {_where(has_label('n', labels), located('n', None, selection))}"
            "  RETURN n\n"
        )
    query = (
        "MATCH (root:IndustryChain {code: $chain})<-[:PART_OF*0..]-(:IndustryChain)<-[:IN_CHAIN]-(core:Enterprise)\n"
        f"{_where(located('core', 'Enterprise', selection))}"
        "WITH DISTINCT core\n"
        "CALL (core) {\n  RETURN core AS n\n"
        f"{neighbours}"
        "}\n"
        "WITH DISTINCT n\n"
        + (_member_rows("n", rel_types, labels) if rel_types else _node_rows_only("n", labels))
    )
    return query, {"chain": selection.chain, "districts": list(selection.districts), "labels": list(labels)}


def _node_rows_only(var: str, labels: Sequence[str]) -> str:
    return (
        f"WITH {var}, {label_expression(var)} AS label\n"
        f"RETURN label, {names.key_expression(var, labels)} AS key, properties({var}) AS props, "
        "null AS type, null AS target_label, null AS target_key"
    )


def center_query(label: str, key: str) -> Query:
    kind = node_kind(label)
    return f"MATCH (c:{kind.label} {{{kind.key}: $key}})\nRETURN elementId(c) AS id", {"key": key}


def next_level_query(frontier: Sequence[str], visited: Sequence[str], rel_types: Sequence[str], limit: int) -> Query:
    """The next BFS level: unvisited neighbours of `frontier` (element ids), first `limit` in
    (label, key) order, as `id, label, key`."""
    labels = tuple(NODES)
    query = (
        "UNWIND $frontier AS f\n"
        "MATCH (a) WHERE elementId(a) = f\n"
        f"MATCH (a)-[:{'|'.join(RELS[t].type for t in rel_types)}]-(b)\n"
        f"WHERE {has_label('b', labels)} AND NOT elementId(b) IN $visited\n"
        "WITH DISTINCT b\n"
        f"WITH b, {label_expression('b')} AS label, {names.key_expression('b')} AS key\n"
        "ORDER BY label, key\n"
        "LIMIT $limit\n"
        "RETURN elementId(b) AS id, label, key"
    )
    params = {"frontier": list(frontier), "visited": list(visited), "labels": list(labels), "limit": limit}
    return query, params


def members_query(ids: Sequence[str], rel_types: Sequence[str]) -> Query:
    """Node rows of the members and rows of every kept relationship between two members."""
    labels = tuple(NODES)
    query = (
        "MATCH (n) WHERE elementId(n) IN $ids\n"
        "CALL (n) {\n"
        f"  WITH {label_expression('n')} AS label\n"
        f"  RETURN label, {names.key_expression('n')} AS key, properties(n) AS props, "
        "null AS type, null AS target_label, null AS target_key\n"
        "  UNION ALL\n"
        f"  MATCH (n)-[r:{'|'.join(RELS[t].type for t in rel_types)}]->(m)\n"
        "  WHERE elementId(m) IN $ids\n"
        f"  RETURN {label_expression('n')} AS label, {names.key_expression('n')} AS key, properties(r) AS props, "
        f"type(r) AS type, {label_expression('m')} AS target_label, {names.key_expression('m')} AS target_key\n"
        "}\n"
        f"RETURN {ROW_COLUMNS}"
    )
    return query, {"ids": list(ids), "labels": list(labels)}


def shortest_paths_query(
    source: tuple[str, str], target: tuple[str, str], max_length: int, rel_types: Sequence[str], cap: int
) -> Query:
    """Every shortest path (at most `cap` of them) as node triples `[label, key, props]` and
    relationship rows `[type, start index, end index, props]` (indexes into the node list)."""
    check_bound("maxLength", max_length, 1, MAX_PATH_LENGTH)
    start, end = node_kind(source[0]), node_kind(target[0])
    types = "|".join(RELS[t].type for t in rel_types)
    query = (
        f"MATCH (a:{start.label} {{{start.key}: $source}}), (b:{end.label} {{{end.key}: $target}})\n"
        f"MATCH p = allShortestPaths((a)-[:{types}*..{max_length}]-(b))\n"
        "WITH p LIMIT $cap\n"
        "WITH nodes(p) AS ns, relationships(p) AS rs\n"
        f"RETURN [n IN ns | [{label_expression('n')}, {names.key_expression('n')}, properties(n)]] AS nodes,\n"
        "       [r IN rs | [type(r), [i IN range(0, size(ns) - 1) WHERE ns[i] = startNode(r)][0],\n"
        "                   [i IN range(0, size(ns) - 1) WHERE ns[i] = endNode(r)][0], properties(r)]] AS rels"
    )
    return query, {"source": source[1], "target": target[1], "labels": list(NODES), "cap": cap}
