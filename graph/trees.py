"""Tree reads: a page of nodes with, per node, pages of related nodes to any depth, in one call.

The API turns one GraphQL root field into one `TreeRead` (api.entities.compiled); the Neo4j
store answers it with a single Cypher statement (graph.neo4j.cypher.trees), the embedded store with
its batched reads (one `neighbour_batch` per level, graph.tree_levels). Both answer in the same plain shape, which
the caller walks without building records:

- a block is `[total, items]`: `total` is the number of matches when the read asked for it
  (else None), `items` the page, with one item more than `limit` when more follow;
- an item is `[rel, props, blocks]`: the relationship's properties (None at the root), the
  node's properties, and one block per `relations` entry of its read, in order. A relation read
  reaches nodes of one kind (its `label`), so items need not carry labels. A `distinct` relation
  read has one item per related node, whose `rel` is the list of its matching relationships'
  properties in the relationship's key order (`OFFERS` by year); `total` then counts nodes.

A read may name the properties it wants (`fields` of the nodes, `rel_fields` of the
relationships): the answer then holds exactly those keys, None for a property a node lacks, and
`rel_fields=()` leaves `rel` None. None (the default) wants every property.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.filters import Filter
from graph.records import Direction, OrderBy

Block = list[Any]  # [total | None, items]
Item = list[Any]  # [rel props | None, props, blocks]


def projected(props: Mapping[str, Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
    """`props` as a read wanting `fields` receives them."""
    return dict(props) if fields is None else {name: props.get(name) for name in fields}


@dataclass(frozen=True)
class RelationRead:
    """The related nodes of each node over one relationship: a page (`limit` None: no items
    wanted) and/or its total, with reads of their own relations; `distinct` as in
    `graph.store.NeighbourRead`."""

    rel_type: str
    direction: Direction
    rel_where: Filter | None
    offset: int
    limit: int | None
    counted: bool
    relations: tuple[RelationRead, ...] = ()
    distinct: bool = False
    fields: tuple[str, ...] | None = None
    rel_fields: tuple[str, ...] | None = None


@dataclass(frozen=True)
class TreeRead:
    """A page of `label` nodes matching `where`, ordered, and what to read around each."""

    label: str
    where: Filter | None
    order_by: tuple[OrderBy, ...]
    offset: int
    limit: int | None
    counted: bool
    relations: tuple[RelationRead, ...] = ()
    fields: tuple[str, ...] | None = None
