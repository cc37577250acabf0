"""Cypher of the upsert benchmark's raw baseline (`benchmarks/bench_upsert.py`): plain
`UNWIND … CREATE` with no MERGE, no diff and no counts, the floor the store's upsert is measured
against. Labels and types come from the model's allowlist; values are parameters."""

from __future__ import annotations

from graph.model import check_endpoints, node_kind


def raw_create_nodes_query(label: str) -> str:
    """Rows are property maps (key included)."""
    return (
        f"UNWIND $rows AS row CREATE (n:{node_kind(label).label})\n"
        "SET n = row, n.source = $source, n.loaded_at = $loaded_at"
    )


def raw_create_rels_query(rel_type: str, source_label: str, target_label: str) -> str:
    """Rows are `{source, target, key, props}` as for `graph.neo4j.cypher.statements.upsert_rels_query`."""
    kind = check_endpoints(rel_type, source_label, target_label)
    source, target = node_kind(source_label), node_kind(target_label)
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{source.label} {{{source.key}: row.source}})\n"
        f"MATCH (b:{target.label} {{{target.key}: row.target}})\n"
        f"CREATE (a)-[r:{kind.type}]->(b)\n"
        "SET r = row.props, r += row.key, r.source = $source, r.loaded_at = $loaded_at"
    )
