"""The embedded store's `InsightSource`: `ProtocolInsights`, whose batched neighbour reads are
cheap in process, except for `indicator_counts`, which would build one record per relationship
counted and so counts over the in-memory graph directly (`graph.embedded.indicators`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from graph.embedded.indicators import indicator_counts
from graph.indicators import IndicatorCounts, Measure
from graph.protocol_insights import ProtocolInsights

if TYPE_CHECKING:  # the store hands itself in (`EmbeddedStore.insights`)
    from graph.embedded.store import EmbeddedStore


class EmbeddedInsights(ProtocolInsights):
    def __init__(self, store: EmbeddedStore) -> None:
        super().__init__(store)
        self.embedded = store

    def indicator_counts(self, measures: Sequence[Measure]) -> list[IndicatorCounts]:
        return self.embedded.read_memory(lambda memory: indicator_counts(memory, measures))
