"""GraphQL types of `coverageGaps` (the five kinds of empty cells) and `planTargets`, mapped from
`queries.coverage` and `queries.targets` results."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

from api.entities.pages import wrap
from api.entities.types import Node
from api.insight_fields import node_field, node_list_field
from api.provenance_types import SyntheticShare, synthetic_share
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
    synthetic: SyntheticShare = strawberry.field(
        description="How many of the relationships looked for (OFFERS, SERVES, MENTORS_AT, MEMBER_OF in scope) were synthetic")


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
        synthetic=synthetic_share(found.synthetic),
    )


strawberry.enum(targets.Basis, description="Whether a target's goal is for the whole plan period or for every year")


@strawberry.type(description="People a target counts in one year")
class TargetYear:
    year: int
    trained: int = strawberry.field(description="Whole people: each project's trainees spread over its years")


@strawberry.type(description="Progress against one 百千万 target over the years asked")
class TargetProgress:
    target: str = strawberry.field(description="doctoral, master or skilled")
    basis: targets.Basis = strawberry.field(description="PERIOD: the goal is for 2021–2025 as a whole; YEAR: for every year")
    goal: int = strawberry.field(description="The plan's goal (for the period, or for each year)")
    counts: str = strawberry.field(description="Which projects count")
    trained: int = strawberry.field(description="People trained over the years asked")
    progress: float = strawberry.field(description="PERIOD: trained / goal; YEAR: trained / (goal × years asked)")
    years_met: int | None = strawberry.field(description="YEAR targets: the years asked whose trained reached the goal")
    years: list[TargetYear] = strawberry.field(description="People trained in each year asked")


@strawberry.type(description="The targets for one part of the chain (or one top-level chain)")
class ChainTargets:
    part: strawberry.Private[targets.ChainTargets]
    chain = node_field("IndustryChain", lambda root: root.part.chain, "The chain part")
    targets: list[TargetProgress]


@strawberry.type(description="Progress against the 百千万 targets of 沪教委高〔2021〕64号 §12, with a breakdown by chain")
class PlanTargets:
    report: strawberry.Private[targets.PlanTargets]
    chain = node_field("IndustryChain", lambda root: root.report.chain, "The chain asked for", optional=True)
    from_year: int
    to_year: int
    targets: list[TargetProgress]
    by_chain: list[ChainTargets]
    method: str
    synthetic: SyntheticShare = strawberry.field(description="How many of the project-years counted were synthetic")


def _progress(found: list[targets.TargetProgress]) -> list[TargetProgress]:
    return [
        TargetProgress(target=t.target.name, basis=t.target.basis, goal=t.target.goal, counts=t.target.counts,
                       trained=t.trained, progress=t.progress, years_met=t.years_met,
                       years=[TargetYear(year=y.year, trained=y.trained) for y in t.years])
        for t in found
    ]


def targets_type(found: targets.PlanTargets) -> PlanTargets:
    parts = [ChainTargets(part=part, targets=_progress(part.targets)) for part in found.by_chain]
    return PlanTargets(report=found, from_year=found.from_year, to_year=found.to_year, targets=_progress(found.targets),
                       by_chain=parts, method=found.method, synthetic=synthetic_share(found.synthetic))
