"""How much of an answer's input was synthetic: every answer built from rows of the graph
(`talentGap*`, `coverageGaps`, `partnerMatches`, `planTargets`, `indicators`, `dataCoverage`,
networks, analyses and exports) counts the rows it used
and the synthetic ones among them (provenance property `synthetic`, see `loaders.provenance`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

DIGITS = 4


@dataclass(frozen=True)
class SyntheticShare:
    inputs: int
    synthetic: int
    counted: str
    share: float = field(init=False)  # synthetic / inputs (0 without inputs), rounded

    def __post_init__(self) -> None:
        object.__setattr__(self, "share", round(self.synthetic / self.inputs, DIGITS) if self.inputs else 0.0)

    def describe(self) -> str:
        """One line for the CLI and for method texts."""
        if not self.inputs:
            return f"synthetic input: none ({self.counted}: 0)"
        return f"synthetic input: {self.share:.1%} ({self.synthetic:,} of {self.inputs:,} {self.counted})"


def share_of(items: Iterable[Mapping[str, Any]], counted: str) -> SyntheticShare:
    """The share among property maps (nodes' or relationships')."""
    inputs = synthetic = 0
    for props in items:
        inputs += 1
        synthetic += props.get("synthetic") is True
    return SyntheticShare(inputs, synthetic, counted)


def combined(shares: Iterable[SyntheticShare], counted: str) -> SyntheticShare:
    """The shares of disjoint parts of an answer (each district's, each year's) as one."""
    inputs = synthetic = 0
    for share in shares:
        inputs += share.inputs
        synthetic += share.synthetic
    return SyntheticShare(inputs, synthetic, counted)


def subgraph_share(graph: nx.MultiDiGraph, counted: str) -> SyntheticShare:
    """The share among a projected subgraph's nodes and relationships (`graph.projection`)."""
    items = [*(data["properties"] for _, data in graph.nodes(data=True)),
             *(data["properties"] for _, _, data in graph.edges(data=True))]
    return share_of(items, counted)
