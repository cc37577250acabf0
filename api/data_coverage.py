"""The `dataCoverage` part of the root `Query`: which node kinds, relationships and years hold
data, and how much of it is synthetic (`queries.data_coverage`)."""

from __future__ import annotations

import strawberry
from strawberry import Info

from api.insight_fields import run_insight
from api.provenance_types import SyntheticShare, synthetic_share
from queries import data_coverage


@strawberry.type(description="How many nodes of a kind (or relationships of a type) the store holds")
class KindCoverage:
    name: str = strawberry.field(description="Node label or relationship type")
    count: int
    synthetic: int = strawberry.field(description="Of those, the synthetic ones")


@strawberry.type(description="How many relationships of a year the store holds")
class YearCoverage:
    year: int
    count: int
    synthetic: int = strawberry.field(description="Of those, the synthetic ones")


@strawberry.type(description="The years a relationship keyed by a year (OFFERS, DEMANDS) has data for")
class RelationshipYears:
    relationship: str
    years: list[YearCoverage] = strawberry.field(description="Every year with data, in order; missing years have none")


@strawberry.type(description="Which kinds, relationships and years have data, and how much of it is synthetic")
class DataCoverage:
    nodes: list[KindCoverage] = strawberry.field(description="Every node kind of the model (0 when empty)")
    relationships: list[KindCoverage] = strawberry.field(description="Every relationship type of the model (0 when empty)")
    years: list[RelationshipYears]
    synthetic: SyntheticShare = strawberry.field(description="All nodes and relationships, and the synthetic ones")


def coverage_type(found: data_coverage.DataCoverage) -> DataCoverage:
    def kinds(items: list[data_coverage.KindCoverage]) -> list[KindCoverage]:
        return [KindCoverage(name=k.name, count=k.total, synthetic=k.synthetic) for k in items]

    return DataCoverage(
        nodes=kinds(found.nodes), relationships=kinds(found.relationships),
        years=[RelationshipYears(relationship=rel.rel_type, years=[YearCoverage(year=y.year, count=y.total, synthetic=y.synthetic)
                                                                   for y in rel.years]) for rel in found.years],
        synthetic=synthetic_share(found.synthetic),
    )


@strawberry.type
class DataCoverageQuery:
    @strawberry.field(description="Which kinds, relationships and years have data, with synthetic counts")
    async def data_coverage(self, info: Info) -> DataCoverage:
        return coverage_type(await run_insight(info, data_coverage.data_coverage))
