"""GraphQL types of `coverageGaps` (the five kinds of empty cells) and `planTargets`, mapped from
`queries.coverage` and `queries.targets` results."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

from api.entities.pages import wrap
from api.entities.types import Node
from api.insight_fields import node_field, node_list_field
from queries import coverage, targets

T = TypeVar("T")


@strawberry.type(description="How many cells of one kind are empty, and the first of them")
class CoverageSection(Generic[T]):
    count: int = strawberry.field(description="All empty cells of this kind")
    items: list[T] = strawberry.field(description="The first `first` of them")


@strawberry.type(description="A discipline the chain needs that no school in scope offers")
class MissingDiscipline:
    cell: strawberry.Private[coverage.MissingDiscipline]
    discipline = node_field("Discipline", lambda root: root.cell.discipline, "The discipline")
    chains = node_list_field("IndustryChain", lambda root: root.cell.chains, "The chains that need it")


@strawberry.type(description="A district or zone without a base of one type for a chain")
class MissingBase:
    cell: strawberry.Private[coverage.MissingBase]
    chain = node_field("IndustryChain", lambda root: root.cell.chain, "The chain")
    area_kind: str = strawberry.field(description="District or Zone")
    base_type: str = strawberry.field(description="employment, teaching or practice")

    @strawberry.field(description="The district or zone")
    def area(self) -> Node:
        found: Node = wrap(self.cell.area)
        return found


@strawberry.type(description="A school offering the chain's disciplines with no industry mentor")
class UnmentoredSchool:
    cell: strawberry.Private[coverage.UnmentoredSchool]
    school = node_field("School", lambda root: root.cell.school, "The school")
    disciplines = node_list_field("Discipline", lambda root: root.cell.disciplines, "The chain's disciplines it offers")


@strawberry.type(description="A chain no alliance serves")
class LoneChain:
    record: strawberry.Private[object]
    chain = node_field("IndustryChain", lambda root: root.record, "The chain")


@strawberry.type(description="An enterprise of the chain in no alliance")
class LoneEnterprise:
    cell: strawberry.Private[coverage.LoneEnterprise]
    enterprise = node_field("Enterprise", lambda root: root.cell.enterprise, "The enterprise")
    chains = node_list_field("IndustryChain", lambda root: root.cell.chains, "Its chains in scope")


@strawberry.type(description="The empty cells of DESIGN §4, each kind with its count and first entities")
class CoverageGaps:
    chains: list[str] | None = strawberry.field(description="The chain and its parts; null: every chain")
    districts: list[str] | None = strawberry.field(description="The districts looked at; null: all")
    year: int | None = strawberry.field(description="Offers counted from this year only; null: any year")
    disciplines_not_offered: CoverageSection[MissingDiscipline]
    areas_without_base: CoverageSection[MissingBase]
    schools_without_mentor: CoverageSection[UnmentoredSchool]
    chains_without_alliance: CoverageSection[LoneChain]
    enterprises_without_alliance: CoverageSection[LoneEnterprise]


def coverage_type(found: coverage.CoverageGaps) -> CoverageGaps:
    return CoverageGaps(
        chains=None if found.chains is None else list(found.chains),
        districts=None if found.districts is None else list(found.districts),
        year=found.year,
        disciplines_not_offered=CoverageSection(count=found.disciplines_not_offered.count,
                                                items=[MissingDiscipline(cell=c) for c in found.disciplines_not_offered.items]),
        areas_without_base=CoverageSection(count=found.areas_without_base.count, items=[
            MissingBase(cell=c, area_kind=c.area.label, base_type=c.base_type) for c in found.areas_without_base.items]),
        schools_without_mentor=CoverageSection(count=found.schools_without_mentor.count,
                                               items=[UnmentoredSchool(cell=c) for c in found.schools_without_mentor.items]),
        chains_without_alliance=CoverageSection(count=found.chains_without_alliance.count,
                                                items=[LoneChain(record=c) for c in found.chains_without_alliance.items]),
        enterprises_without_alliance=CoverageSection(count=found.enterprises_without_alliance.count,
                                                     items=[LoneEnterprise(cell=c) for c in found.enterprises_without_alliance.items]),
    )


@strawberry.type(description="People trained against one 百千万 target in a year")
class TargetProgress:
    target: str = strawberry.field(description="doctoral, master or skilled")
    degree_levels: list[str] = strawberry.field(description="Project degree levels counted")
    goal: int = strawberry.field(description="The plan's target a year")
    trained: float = strawberry.field(description="People trained that year (projects spread over their years)")
    progress: float = strawberry.field(description="trained / goal")


@strawberry.type
class YearTargets:
    year: int
    targets: list[TargetProgress]


@strawberry.type(description="The targets for one part of the chain (or one top-level chain)")
class ChainTargets:
    part: strawberry.Private[targets.ChainTargets]
    chain = node_field("IndustryChain", lambda root: root.part.chain, "The chain part")
    years: list[YearTargets]


@strawberry.type(description="Progress against the plan's 百千万 targets by year, with a breakdown by chain")
class PlanTargets:
    report: strawberry.Private[targets.PlanTargets]
    chain = node_field("IndustryChain", lambda root: root.report.chain, "The chain asked for", optional=True)
    years: list[YearTargets]
    by_chain: list[ChainTargets]
    method: str


def _years(found: list[targets.YearTargets]) -> list[YearTargets]:
    return [
        YearTargets(year=y.year, targets=[TargetProgress(target=t.target, degree_levels=list(t.degree_levels), goal=t.goal,
                                                         trained=t.trained, progress=t.progress) for t in y.targets])
        for y in found
    ]


def targets_type(found: targets.PlanTargets) -> PlanTargets:
    parts = [ChainTargets(part=part, years=_years(part.years)) for part in found.by_chain]
    return PlanTargets(report=found, years=_years(found.years), by_chain=parts, method=found.method)
