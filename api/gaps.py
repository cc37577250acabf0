"""The gap part of the root `Query` (DESIGN §4): `talentGap` with its trend, district breakdown
and what-if, `coverageGaps`, and progress against the plan's "百千万" targets. Resolvers only
translate arguments and call `queries.gaps`, `queries.whatif`, `queries.coverage` and
`queries.targets`."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import Info

from api.arguments import given
from api.coverage_types import CoverageGaps, PlanTargets, coverage_type, targets_type
from api.errors import UserInputError
from api.insight_fields import node_field, run_insight
from api.provenance_types import SyntheticShare, synthetic_share
from graph.store import GraphStore
from queries import coverage, gaps, targets, whatif

DEFAULT_ROWS = 100
FirstRows = Annotated[int, strawberry.argument(description="At most this many rows (the API's page size limit applies)")]
OffsetRows = Annotated[int, strawberry.argument(description="Rows to skip: page with offset = rows already read")]
ChainArgument = Annotated[str | None, strawberry.argument(description="Industry chain code; its parts (PART_OF, transitively) count too")]
DistrictsArgument = Annotated[list[str] | None, strawberry.argument(description="District adcodes; all districts when omitted")]
LevelArgument = Annotated[str | None, strawberry.argument(description="Only disciplines of this level, e.g. undergraduate")]
ShortageArgument = Annotated[float | None, strawberry.argument(description="SHORTAGE when demand > 0 and supply/demand is below this")]
SurplusArgument = Annotated[float | None, strawberry.argument(description="SURPLUS when supply/demand is above this (or supply without demand)")]


# The queries enum itself becomes the GraphQL enum.
strawberry.enum(gaps.GapStatus, description="How supply compares with demand")


@strawberry.type(description="One discipline's demand (openings) and supply (graduates)")
class TalentGapRow:
    record: strawberry.Private[gaps.GapRow]
    discipline = node_field("Discipline", lambda root: root.record.discipline, "The discipline")
    demand: int = strawberry.field(description="Openings that year")
    supply: int = strawberry.field(description="Graduates that year")
    gap: int = strawberry.field(description="demand − supply")
    ratio: float | None = strawberry.field(description="supply / demand; null without demand")
    status: gaps.GapStatus


def _window(rows: list[gaps.GapRow], first: int, offset: int) -> list[gaps.GapRow]:
    if first < 0 or offset < 0:
        raise UserInputError(f"rows: first and offset must be 0 or more, not {first} and {offset}")
    return rows[offset: offset + first]


def _rows(found: list[gaps.GapRow]) -> list[TalentGapRow]:
    return [TalentGapRow(record=row, demand=row.demand, supply=row.supply, gap=row.gap, ratio=row.ratio,
                         status=row.status) for row in found]


@strawberry.type(description="Demand against supply per discipline for one year (DESIGN §4)")
class TalentGap:
    report: strawberry.Private[gaps.TalentGap]
    year: int
    chain = node_field("IndustryChain", lambda root: root.report.chain, "The chain asked for", optional=True)
    chains: list[str] | None = strawberry.field(description="The chain and its parts whose enterprises count")
    districts: list[str] | None = strawberry.field(description="The districts counted; null: all")
    level: str | None
    shortage_below: float
    surplus_above: float
    total_demand: int = strawberry.field(description="Openings over all rows")
    total_supply: int = strawberry.field(description="Graduates over all rows")
    total_gap: int = strawberry.field(description="totalDemand − totalSupply")
    row_count: int = strawberry.field(description="Rows in the report (`rows` returns a page of them)")
    method: str = strawberry.field(description="What was counted, thresholds, year and sources")
    sources: list[str] = strawberry.field(description="The files (provenance) the counted offers and demands came from")
    notes: list[str] = strawberry.field(description="Years without data, what-if changes applied or ignored")
    synthetic: SyntheticShare = strawberry.field(description="How many of the DEMANDS and OFFERS summed were synthetic")

    @strawberry.field(description="One row per discipline in scope, largest gap first, then code")
    def rows(self, first: FirstRows = DEFAULT_ROWS, offset: OffsetRows = 0) -> list[TalentGapRow]:
        return _rows(_window(self.report.rows, first, offset))


def talent_gap_type(report: gaps.TalentGap) -> TalentGap:
    request = report.request
    return TalentGap(
        report=report, year=report.year, chains=None if report.chains is None else list(report.chains),
        districts=None if request.districts is None else list(request.districts), level=request.level,
        shortage_below=request.shortage_below, surplus_above=request.surplus_above,
        total_demand=report.total_demand, total_supply=report.total_supply,
        total_gap=report.total_demand - report.total_supply, row_count=len(report.rows), method=report.method,
        sources=list(report.sources), notes=list(report.notes), synthetic=synthetic_share(report.synthetic),
    )


@strawberry.type(description="One district's share of a talent gap")
class DistrictTalentGap:
    part: strawberry.Private[gaps.DistrictGap]
    code: str | None = strawberry.field(description="District adcode; null for schools and enterprises without one")
    district = node_field("District", lambda root: root.part.district, "The district", optional=True)
    total_demand: int
    total_supply: int
    gap: int
    ratio: float | None
    status: gaps.GapStatus
    synthetic: SyntheticShare = strawberry.field(description="How many of the district's DEMANDS and OFFERS summed were synthetic")

    @strawberry.field(description="The district's rows, largest gap first, then code")
    def rows(self, first: FirstRows = DEFAULT_ROWS, offset: OffsetRows = 0) -> list[TalentGapRow]:
        return _rows(_window(self.part.rows, first, offset))


@strawberry.input(description="A hypothetical change: extra (or, negative, fewer) graduates or openings")
class GapChangeInput:
    discipline: str = strawberry.field(description="Discipline code")
    graduates: int = 0
    openings: int = 0
    district: str | None = strawberry.field(default=None, description="District adcode of the change")
    chain: str | None = strawberry.field(default=None, description="Chain of a new enterprise's openings (default: the report's)")


@strawberry.type(description="A talent gap before and after hypothetical changes; nothing is written")
class TalentGapWhatIf:
    baseline: TalentGap
    scenario: TalentGap
    applied: list[str]
    ignored: list[str] = strawberry.field(description="Changes left out, each with the reason")


def _arguments(chain: Any, districts: Any, level: Any, shortage_below: float | None, surplus_above: float | None) -> tuple[Any, ...]:
    """The gap arguments with omitted or null ones as their defaults."""
    shortage = gaps.DEFAULT_SHORTAGE_BELOW if shortage_below is None else shortage_below
    surplus = gaps.DEFAULT_SURPLUS_ABOVE if surplus_above is None else surplus_above
    return given(chain), given(districts), given(level), shortage, surplus


def _request(store: GraphStore, chain: str | None, districts: list[str] | None, level: str | None,
             shortage_below: float, surplus_above: float) -> gaps.GapRequest:
    return gaps.gap_request(store, chain, districts, level, shortage_below, surplus_above)


def _talent_gap(store: GraphStore, year: int, *args: Any) -> gaps.TalentGap:
    return gaps.talent_gap(store, year, _request(store, *args))


def _trend(store: GraphStore, from_year: int, to_year: int, *args: Any) -> list[gaps.TalentGap]:
    return gaps.talent_gap_trend(store, from_year, to_year, _request(store, *args))


def _by_district(store: GraphStore, year: int, *args: Any) -> list[gaps.DistrictGap]:
    return gaps.talent_gap_by_district(store, year, _request(store, *args))


def _what_if(store: GraphStore, year: int, changes: list[whatif.GapChange], *args: Any) -> whatif.WhatIf:
    return whatif.talent_gap_what_if(store, year, changes, _request(store, *args))


@strawberry.type
class GapQuery:
    @strawberry.field(description="Demand against supply per discipline for a year, in a chain and districts (DESIGN §4)")
    async def talent_gap(
        self, info: Info, year: int, chain: ChainArgument = strawberry.UNSET, districts: DistrictsArgument = strawberry.UNSET,
        level: LevelArgument = strawberry.UNSET, shortage_below: ShortageArgument = gaps.DEFAULT_SHORTAGE_BELOW,
        surplus_above: SurplusArgument = gaps.DEFAULT_SURPLUS_ABOVE,
    ) -> TalentGap:
        args = _arguments(chain, districts, level, shortage_below, surplus_above)
        return talent_gap_type(await run_insight(info, _talent_gap, year, *args))

    @strawberry.field(description="talentGap for every year from fromYear to toYear (at most 50), read in one go")
    async def talent_gap_trend(
        self, info: Info, from_year: int, to_year: int, chain: ChainArgument = strawberry.UNSET,
        districts: DistrictsArgument = strawberry.UNSET, level: LevelArgument = strawberry.UNSET,
        shortage_below: ShortageArgument = gaps.DEFAULT_SHORTAGE_BELOW, surplus_above: SurplusArgument = gaps.DEFAULT_SURPLUS_ABOVE,
    ) -> list[TalentGap]:
        args = _arguments(chain, districts, level, shortage_below, surplus_above)
        return [talent_gap_type(report) for report in await run_insight(info, _trend, from_year, to_year, *args)]

    @strawberry.field(description="talentGap split by the district of each enterprise and school, largest gap first")
    async def talent_gap_by_district(
        self, info: Info, year: int, chain: ChainArgument = strawberry.UNSET, districts: DistrictsArgument = strawberry.UNSET,
        level: LevelArgument = strawberry.UNSET, shortage_below: ShortageArgument = gaps.DEFAULT_SHORTAGE_BELOW,
        surplus_above: SurplusArgument = gaps.DEFAULT_SURPLUS_ABOVE,
    ) -> list[DistrictTalentGap]:
        args = _arguments(chain, districts, level, shortage_below, surplus_above)
        parts = await run_insight(info, _by_district, year, *args)
        return [DistrictTalentGap(part=p, code=p.code, total_demand=p.total_demand, total_supply=p.total_supply, gap=p.gap,
                                  ratio=p.ratio, status=p.status, synthetic=synthetic_share(p.synthetic)) for p in parts]

    @strawberry.field(description="talentGap recomputed with hypothetical changes (e.g. +200 graduates), without writing")
    async def talent_gap_what_if(
        self, info: Info, year: int, changes: list[GapChangeInput], chain: ChainArgument = strawberry.UNSET,
        districts: DistrictsArgument = strawberry.UNSET, level: LevelArgument = strawberry.UNSET,
        shortage_below: ShortageArgument = gaps.DEFAULT_SHORTAGE_BELOW, surplus_above: SurplusArgument = gaps.DEFAULT_SURPLUS_ABOVE,
    ) -> TalentGapWhatIf:
        wanted = [whatif.GapChange(c.discipline, c.graduates, c.openings, c.district, c.chain) for c in changes]
        args = _arguments(chain, districts, level, shortage_below, surplus_above)
        found = await run_insight(info, _what_if, year, wanted, *args)
        return TalentGapWhatIf(baseline=talent_gap_type(found.baseline), scenario=talent_gap_type(found.scenario),
                               applied=list(found.applied), ignored=list(found.ignored))

    @strawberry.field(description="The empty cells of a chain: missing disciplines, bases, mentors and alliances (DESIGN §4)")
    async def coverage_gaps(
        self, info: Info, chain: ChainArgument = strawberry.UNSET, districts: DistrictsArgument = strawberry.UNSET,
        year: Annotated[int | None, strawberry.argument(description="Count offers of this year only")] = strawberry.UNSET,
        first: Annotated[int, strawberry.argument(description=f"At most this many entities per kind (≤ {coverage.MAX_FIRST})")] = 100,
    ) -> CoverageGaps:
        return coverage_type(await run_insight(info, coverage.coverage_gaps, given(chain), given(districts), given(year), first))

    @strawberry.field(description="Progress against the 百千万 targets of 沪教委高〔2021〕64号 §12: 100 doctoral and 1,000 "
                               "master's talents over 2021–2025, at least 10,000 trained a year in training camps")
    async def plan_targets(self, info: Info, from_year: int, to_year: int, chain: ChainArgument = strawberry.UNSET) -> PlanTargets:
        return targets_type(await run_insight(info, targets.plan_targets, from_year, to_year, given(chain)))

