"""A `graph.trees.TreeRead` answered through a store's page and batch reads, level by level."""

from __future__ import annotations

from collections.abc import Sequence

from graph.records import Neighbour, Node, NodeRef
from graph.store import GraphStore, NeighbourRead
from graph.trees import Block, Item, RelationRead, TreeRead, projected


def read_tree_in_levels(store: GraphStore, tree: TreeRead) -> Block:
    """`tree` through the store's page and batch reads: one `find_nodes` (or `count_nodes`),
    then one `neighbour_batch` per level of the tree."""
    if tree.limit is None:
        return [store.count_nodes(tree.label, tree.where), []]
    page = store.find_nodes(tree.label, tree.where, tree.order_by, tree.offset, tree.limit + 1)
    items: list[Item] = [[None, projected(node.props, tree.fields), []] for node in page.nodes]
    _read_relations(store, [(node, item) for node, item in zip(page.nodes, items, strict=True)], tree.relations)
    return [page.total_count if tree.counted else None, items]


def _read_relations(store: GraphStore, parents: Sequence[tuple[Node, Item]], reads: Sequence[RelationRead]) -> None:
    if not parents or not reads:
        return
    refs = tuple(dict.fromkeys(node.ref for node, _ in parents))
    paged = [read for read in reads if read.limit is not None]
    pages, counts = store.neighbour_batch(
        [NeighbourRead(refs, read.rel_type, read.direction, read.rel_where, read.offset, read.limit + 1, read.distinct)
         for read in paged if read.limit is not None],
        [NeighbourRead(refs, read.rel_type, read.direction, read.rel_where, distinct=read.distinct)
         for read in reads if read.counted],
    )
    found_pages, found_counts = iter(pages), iter(counts)
    per_read = [(read, next(found_pages) if read.limit is not None else None, next(found_counts) if read.counted else None)
                for read in reads]
    for read, page, count in per_read:
        children: list[tuple[Node, Item]] = []
        for node, item in parents:
            related = _items((page or {}).get(node.ref, []), read)
            item[2].append([count.get(node.ref, 0) if count is not None else None, [child for _, child in related]])
            children += related
        _read_relations(store, children, read.relations)


def _items(found: list[Neighbour], read: RelationRead) -> list[tuple[Node, Item]]:
    """The items of a page of neighbours: one per relationship, or (`distinct`) one per node
    with the list of its relationships' properties; only the properties `read` wants."""
    rels = read.rel_fields != ()
    if not read.distinct:
        return [(neighbour.node, [projected(neighbour.rel.props, read.rel_fields) if rels else None,
                                  projected(neighbour.node.props, read.fields), []]) for neighbour in found]
    by_node: dict[NodeRef, tuple[Node, Item]] = {}
    for neighbour in found:
        _, item = by_node.setdefault(neighbour.node.ref,
                                     (neighbour.node, [[] if rels else None, projected(neighbour.node.props, read.fields), []]))
        if rels:
            item[0].append(projected(neighbour.rel.props, read.rel_fields))
    return list(by_node.values())
