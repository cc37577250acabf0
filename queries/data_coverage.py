"""`dataCoverage`: which kinds, relationships and years the store has data for, and how much of
it is synthetic; and the notes a talent gap gets for a year without data, so that "no data" never
reads as "no demand" (or "no supply")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.insights import YEARLY_RELS, Counted
from graph.store import GraphStore
from queries.memo import VersionedMemo
from queries.synthetic import SyntheticShare

FACTS = VersionedMemo(size=1)
AMOUNT_RELS = {"DEMANDS": "demand", "OFFERS": "supply"}  # what a talent gap sums from each


@dataclass(frozen=True)
class KindCoverage:
    name: str
    total: int
    synthetic: int


@dataclass(frozen=True)
class YearCoverage:
    year: int
    total: int
    synthetic: int


@dataclass(frozen=True)
class RelYears:
    rel_type: str
    years: list[YearCoverage]

    def span(self) -> str:
        found = [item.year for item in self.years]
        return f"{found[0]}–{found[-1]}" if len(found) > 1 else str(found[0]) if found else "no year"


@dataclass(frozen=True)
class DataCoverage:
    nodes: list[KindCoverage]
    relationships: list[KindCoverage]
    years: list[RelYears]
    synthetic: SyntheticShare

    def as_json(self) -> dict[str, Any]:
        """The keys `chanjiao stats --json` adds beside `nodes` and `relationships`."""
        return {
            "synthetic": {"nodes": {k.name: k.synthetic for k in self.nodes},
                          "relationships": {k.name: k.synthetic for k in self.relationships}},
            "years": {rel.rel_type: {str(y.year): {"count": y.total, "synthetic": y.synthetic} for y in rel.years}
                      for rel in self.years},
        }


def data_coverage(store: GraphStore) -> DataCoverage:
    facts = FACTS.get(store, "facts", lambda version: store.insights().coverage_facts())
    nodes, rels = kinds(facts.nodes), kinds(facts.relationships)
    everything = [*nodes, *rels]
    share = SyntheticShare(sum(k.total for k in everything), sum(k.synthetic for k in everything),
                           "nodes and relationships in the store")
    years = [RelYears(rel, [YearCoverage(year, c.total, c.synthetic) for year, c in sorted(facts.years.get(rel, {}).items())])
             for rel in YEARLY_RELS]
    return DataCoverage(nodes, rels, years, share)


def kinds(counts: Mapping[str, Counted]) -> list[KindCoverage]:
    return [KindCoverage(name, found.total, found.synthetic) for name, found in counts.items()]


def missing_year_notes(store: GraphStore, year: int, rel_types: tuple[str, ...]) -> list[str]:
    """A note for each of `rel_types` (DEMANDS, OFFERS) with no relationship of `year` at all."""
    notes = []
    for rel in data_coverage(store).years:
        if rel.rel_type in rel_types and all(item.year != year for item in rel.years):
            notes.append(f"No data: the store holds no {rel.rel_type} of {year} ({rel.rel_type} has data for "
                         f"{rel.span()}), so {AMOUNT_RELS.get(rel.rel_type, 'the amount')} is 0 for lack of data, "
                         "not for lack of need or graduates.")
    return notes
