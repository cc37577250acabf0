"""How much of an answer's input was synthetic: every answer built from rows of the graph
(`talentGap`, `coverageGaps`, `partnerMatches`, `planTargets`, exports) counts the rows it used
and the synthetic ones among them (provenance property `synthetic`, see `loaders.provenance`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

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
