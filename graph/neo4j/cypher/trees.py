"""A `graph.trees.TreeRead` as one Cypher statement: the page of root nodes, and under each node
a `CALL` subquery per relation read, nested as deep as the tree, each returning one block.

Each level has its own variables (`n0` the root, `n1` its related nodes over `r1`, …) and its
own parameter prefix, so the parts combine into one statement with one set of parameters.
"""

from __future__ import annotations

from typing import Any

from graph.model import rel_kind
from graph.neo4j.cypher import names
from graph.neo4j.cypher.filters import Params, node_fields, order_clause, rel_fields, where_clause
from graph.neo4j.cypher.reads import arrow, count_expression, neighbour_order, node_order, page_total
from graph.trees import RelationRead, TreeRead

Query = tuple[str, dict[str, Any]]


def tree_query(tree: TreeRead) -> Query:
    """Returns one record: `items` (the root page, one item more than `limit` when more
    follow) and `total` (null unless counted)."""
    params = Params(prefix="t_")
    condition = where_clause(tree.where, node_fields(tree.label), "n0", params).strip()
    values = params.values
    match = [f"  MATCH (n0:{tree.label})", *([f"  {condition}"] if condition else [])]
    lines: list[str] = []
    if tree.limit is not None:
        values.update(t_offset=tree.offset, t_limit=tree.limit + 1)
        order = order_clause(tree.label, names.key(tree.label), tree.order_by, "n0")
        blocks = _relation_calls(tree.relations, 0, "t", values, "  ")
        lines += ["CALL () {", *match, f"  WITH n0 {order}", "  SKIP $t_offset LIMIT $t_limit", *blocks,
                  f"  RETURN collect([null, {_properties('n0', tree.fields)}, {_block_list(tree.relations, 1)}]) AS items", "}"]
    else:
        lines.append("WITH [] AS items")
    if not tree.counted:
        lines.append("RETURN items, null AS total")
    elif tree.limit is None or tree.where is None:  # without a filter the count store answers
        lines += ["CALL () {", *match, "  RETURN count(n0) AS total", "}", "RETURN items, total"]
    else:  # a page that is not full already tells how many matched (`tree_total`)
        lines += ["CALL (items) {", "  WITH items WHERE size(items) >= $t_limit OR (size(items) = 0 AND $t_offset > 0)",
                  *match, "  RETURN count(n0) AS total", "}", "RETURN items, total"]
    return "\n".join(lines), values


def tree_total(tree: TreeRead, items: list[Any], counted: int | None) -> int | None:
    """The total of a `tree_query` answer: what the database counted, unless the page (one item
    more than `limit` when more follow) spared it the count."""
    if not tree.counted or tree.limit is None:
        return counted
    return page_total(tree.offset, tree.limit + 1, len(items), counted or 0, filtered=tree.where is not None)


def _block_list(relations: tuple[RelationRead, ...], depth: int) -> str:
    return "[" + ", ".join(f"b{depth}_{index}" for index in range(len(relations))) + "]"


def _relation_calls(relations: tuple[RelationRead, ...], depth: int, path: str, values: dict[str, Any], indent: str) -> list[str]:
    """One `CALL (n<depth>) { … RETURN [total, items] AS b<depth+1>_<i> }` per relation read."""
    lines: list[str] = []
    for index, read in enumerate(relations):
        body = _relation_body(read, depth + 1, f"{path}_{index}", values, indent + "  ")
        lines += [f"{indent}CALL (n{depth}) {{", *body, f"{indent}  RETURN block AS b{depth + 1}_{index}", f"{indent}}}"]
    return lines


def _relation_body(read: RelationRead, depth: int, path: str, values: dict[str, Any], indent: str) -> list[str]:
    kind = rel_kind(read.rel_type)
    near, rel, far = f"n{depth - 1}", f"r{depth}", f"n{depth}"
    params = Params(prefix=f"{path}_")
    condition = where_clause(read.rel_where, rel_fields(kind), rel, params).strip()
    values.update(params.values)
    pattern = f"({near}){arrow(kind, read.direction, rel)}({far})"
    if read.limit is None:
        return [f"{indent}WITH [{count_expression(pattern, far, condition, read.distinct)}, []] AS block"]
    values.update({f"{path}_offset": read.offset, f"{path}_limit": read.limit + 1})
    nested = _relation_calls(read.relations, depth, path, values, indent + "  ")
    lines = [f"{indent}MATCH {pattern}", *([f"{indent}{condition}"] if condition else [])]
    node = _properties(far, read.fields)
    kept: tuple[str, ...] = (far,)  # what a counted page carries to its items
    if not read.distinct:
        rels, kept, order = _rel_properties(rel, read.rel_fields), (rel, far), neighbour_order(kind, read.direction, rel, far)
        lines.append(f"{indent}WITH {rel}, {far} ORDER BY {', '.join(order)}")
    elif read.rel_fields == ():  # one item per node, no relationship wanted
        rels = "null"
        lines.append(f"{indent}WITH DISTINCT {far} ORDER BY {', '.join(node_order(kind, read.direction, far))}")
    else:  # one item per node with its relationships' properties in their key order
        rels = f"rows{depth}"
        kept = (far, rels)
        by_key = ", ".join(f"{rel}.{name}" for name in kind.key)
        lines += [f"{indent}WITH {far}, {rel} ORDER BY {by_key}",
                  f"{indent}WITH {far}, collect({_properties(rel, read.rel_fields)}) AS {rels} "
                  f"ORDER BY {', '.join(node_order(kind, read.direction, far))}"]
    item = f"[{rels}, {node}, {_block_list(read.relations, depth + 1)}]"
    if not read.counted:
        return [*lines, f"{indent}SKIP ${path}_offset LIMIT ${path}_limit", *nested,
                f"{indent}WITH [null, collect({item})] AS block"]
    unpacked = ", ".join(f"entry[{index}] AS {name}" for index, name in enumerate(kept))
    return [
        *lines, f"{indent}WITH collect([{', '.join(kept)}]) AS matched",
        f"{indent}CALL (matched) {{",
        f"{indent}  UNWIND matched[${path}_offset..${path}_offset + ${path}_limit] AS entry",
        f"{indent}  WITH {unpacked}", *nested,
        f"{indent}  RETURN collect({item}) AS page", f"{indent}}}",
        f"{indent}WITH [size(matched), page] AS block",
    ]


def _properties(variable: str, fields: tuple[str, ...] | None) -> str:
    """The properties of a node or relationship that a read wants (`graph.trees.projected`)."""
    if fields is None:
        return f"properties({variable})"
    return f"{variable} {{{', '.join(f'.{name}' for name in fields)}}}"


def _rel_properties(variable: str, fields: tuple[str, ...] | None) -> str:
    return "null" if fields == () else _properties(variable, fields)
