"""One statement for a batch of neighbour reads (`GraphStore.neighbour_batch` on Neo4j).

Each read from the nodes of one label is a branch; the branches are joined with `UNION ALL`, so
a whole level of a GraphQL query costs one round trip. Each branch returns a single row, `read`
(its index) and `rows`, a list with one `[key, page, count]` entry per key found: the page lists
`[rel props, labels, props]` as `graph.neo4j.cypher.reads.neighbour_lines` collects them; the page or
the count is null when the branch does not read it. Few large records decode much faster in the
driver than one record per neighbour. A page and a filtered count of the same relationships are
one branch, so the relationships are expanded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph.neo4j.cypher.reads import Query, count_lines, neighbour_lines
from graph.store import NeighbourRead


@dataclass(frozen=True)
class Branch:
    """One part of a `neighbour_batch_query`: a read from the nodes of one label, of their pages
    (`paged`, in the read's window), their counts (`counted`), or both."""

    label: str
    keys: list[str]
    read: NeighbourRead
    paged: bool
    counted: bool


def neighbour_batch_query(branches: Sequence[Branch]) -> Query:
    """The branches as one statement, parameters of branch i named `b{i}_…`."""
    parts: list[str] = []
    values: dict[str, Any] = {}
    for index, branch in enumerate(branches):
        lines, params = _branch_lines(branch, f"b{index}_")
        parts.append("\n".join([*lines, f"RETURN {index} AS read, collect([key, found, total]) AS rows"]))
        values.update(params)
        values[f"b{index}_keys"] = branch.keys
    return "\nUNION ALL\n".join(parts), values


def _branch_lines(branch: Branch, prefix: str) -> tuple[list[str], dict[str, Any]]:
    """The branch's query up to its RETURN, with `key`, `found` (the page) and `total` in scope."""
    read = branch.read
    if not branch.paged:
        lines, count, params = count_lines(branch.label, read.rel_type, read.direction, read.rel_where, prefix, read.distinct)
        return [*lines, f"WITH key, null AS found, {count} AS total"], params
    shape = "counted" if branch.counted else "page"
    lines, params = neighbour_lines(
        branch.label, read.rel_type, read.direction, read.rel_where, read.offset, read.limit, prefix, shape, read.distinct
    )
    return (lines if branch.counted else [*lines, "WITH key, found, null AS total"]), params
