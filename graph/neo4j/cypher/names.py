"""Names in Cypher text, each taken from the model's allowlist (`graph.model`) and never from
input: labels, relationship types, key properties, one-hop patterns and a node's natural key."""

from __future__ import annotations

from collections.abc import Sequence

from graph.model import NODES, RELS, node_kind, rel_kind
from graph.records import Direction


def label(name: str) -> str:
    return node_kind(name).label


def rel(rel_type: str) -> str:
    return rel_kind(rel_type).type


def key(label_name: str) -> str:
    return node_kind(label_name).key


def prop(of: str, name: str) -> str:
    """A property of the node kind or relationship type `of` (KeyError for any other name)."""
    return (NODES[of] if of in NODES else RELS[of]).prop(name).name


def step(rel_type: str, direction: Direction) -> str:
    """One hop over `rel_type` away from the node before it."""
    return f"-[:{rel(rel_type)}]->" if direction is Direction.OUT else f"<-[:{rel(rel_type)}]-"


def key_expression(var: str, labels: Sequence[str] = tuple(NODES)) -> str:
    """The natural key of `var`, whichever of `labels` it carries."""
    keys = {key(name) for name in labels}
    if len(keys) == 1:
        return f"{var}.{keys.pop()}"
    cases = " ".join(f"WHEN {var}:{label(name)} THEN {var}.{key(name)}" for name in labels)
    return f"CASE {cases} END"
