"""Nodes named on the command line by key (`School:4131010248`, `IC`) or by name or alias
(`上海交通大学`, `SJTU`, `集成电路`), with the nearest names suggested when nothing matches."""

from __future__ import annotations

from collections.abc import Sequence

from graph.model import NODES
from graph.projection import parse_node_id
from graph.records import NodeRef
from graph.relevance import EXACT
from graph.store import GraphStore

SUGGESTIONS = 3


def resolve(graph: GraphStore, text: str, labels: Sequence[str], missing: str | None = None) -> NodeRef:
    """The node of one of `labels` that `text` names: `Label:key`, a key, or a name (or alias)
    matching exactly; ValueError (`missing`, by default "no LABEL named TEXT") naming the nearest
    names otherwise."""
    label, separator, _ = text.partition(":")
    if separator and label in NODES:
        return parse_node_id(text)
    for label in labels:
        if graph.get_nodes(label, [text]):
            return NodeRef(label, text)
    hits = graph.search(text, list(labels), SUGGESTIONS + 1)
    exact = [node for node, score in hits if score >= EXACT]
    if len(exact) == 1:
        return exact[0].ref
    nearest = "; ".join(f"{node.props.get('name', '')} ({node.label}:{node.key})" for node, _ in hits[:SUGGESTIONS])
    what = " or ".join(labels)
    if len(exact) > 1:
        raise ValueError(f"{text!r} names several: {nearest}; write Label:key")
    raise ValueError((missing or f"no {what} named {text!r}") + (f"; nearest: {nearest}" if nearest else ""))
