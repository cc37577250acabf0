"""Provenance in answers: where a node or relationship came from, and how much of an insight's
input was synthetic (`queries.synthetic`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry

from queries.synthetic import SyntheticShare as Share


@strawberry.type(description="Where a node or relationship came from")
class Provenance:
    source: str | None = strawberry.field(
        description="The file (or the real source its dataset's manifest names) or API caller that last changed it")
    synthetic: bool = strawberry.field(description="Made up by the generator (true) or a real record (false)")
    loaded_at: str | None = strawberry.field(description="When it last changed (ISO 8601, UTC)")


def provenance_of(props: Mapping[str, Any]) -> Provenance:
    source, loaded_at = props.get("source"), props.get("loaded_at")
    return Provenance(source=None if source is None else str(source), synthetic=props.get("synthetic") is True,
                      loaded_at=None if loaded_at is None else str(loaded_at))


@strawberry.type(description="How much of the input an answer used was synthetic (made up by the generator)")
class SyntheticShare:
    inputs: int = strawberry.field(description="Rows (nodes or relationships) the answer used")
    synthetic_inputs: int = strawberry.field(description="Of those, the synthetic ones")
    share: float = strawberry.field(description="syntheticInputs / inputs (0 without inputs)")
    counted: str = strawberry.field(description="What was counted as the answer's input")


def synthetic_share(share: Share) -> SyntheticShare:
    return SyntheticShare(inputs=share.inputs, synthetic_inputs=share.synthetic, share=share.share, counted=share.counted)
