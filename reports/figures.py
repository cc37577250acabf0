"""The figures of the annual report: plain data, in the report's language, that the renderers
lay out. Every number is an answer of the GraphQL API for the same arguments, gathered by
`reports.gather` through the same `queries` functions; this module only says what they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.labels import Lang
from queries.indicators import Measure
from queries.synthetic import SyntheticShare


@dataclass(frozen=True)
class KindCount:
    """Nodes of a kind, or relationships of a type, and the synthetic ones among them."""

    code: str
    label: str
    count: int
    synthetic: int


@dataclass(frozen=True)
class GroupCount:
    """One group of an indicator (`indicators` row)."""

    value: str | None
    label: str
    count: int
    sum: float | None
    synthetic: SyntheticShare


@dataclass(frozen=True)
class IndicatorFigure:
    """An `indicators` measure; `year`: only its rows of that year (the measure is grouped by year)."""

    title: str
    dimension: str  # the heading of the groups' column
    measure: Measure
    year: int | None
    rows: list[GroupCount]


@dataclass(frozen=True)
class GapLine:
    """A `talentGap` row."""

    code: str
    name: str
    demand: int
    supply: int
    gap: int
    ratio: float | None
    status: str
    status_label: str


@dataclass(frozen=True)
class GapFigure:
    """A `talentGap` answer: for every chain (`chain` None) or one top-level chain with its parts."""

    chain: str | None
    name: str
    demand: int
    supply: int
    ratio: float | None
    shortages: int
    surpluses: int
    disciplines: int
    top: list[GapLine]  # the largest gaps
    synthetic: SyntheticShare
    notes: tuple[str, ...]

    @property
    def gap(self) -> int:
        return self.demand - self.supply


@dataclass(frozen=True)
class YearGap:
    """A year of `talentGapTrend`."""

    year: int
    demand: int
    supply: int


@dataclass(frozen=True)
class TargetFigure:
    """A `planTargets` target."""

    name: str
    label: str
    basis: str
    basis_label: str
    goal: int
    trained: int
    progress: float
    years_met: int | None
    years: list[tuple[int, int]]  # (year, trained)


@dataclass(frozen=True)
class ChainTargetFigure:
    chain: str
    name: str
    targets: list[TargetFigure]


@dataclass(frozen=True)
class PlanFigure:
    from_year: int
    to_year: int
    targets: list[TargetFigure]
    by_chain: list[ChainTargetFigure]
    synthetic: SyntheticShare
    method: str


@dataclass(frozen=True)
class CoverageSectionFigure:
    """One kind of empty cell of `coverageGaps`: its count and the first cells, as text."""

    key: str
    label: str
    count: int
    examples: list[str]


@dataclass(frozen=True)
class ChainCoverage:
    """A top-level chain's `coverageGaps` counts, in the order of `CoverageFigure.sections`."""

    chain: str
    name: str
    counts: list[int]


@dataclass(frozen=True)
class CoverageFigure:
    year: int
    sections: list[CoverageSectionFigure]
    by_chain: list[ChainCoverage]
    synthetic: SyntheticShare


@dataclass(frozen=True)
class Member:
    kind: str  # the kind's label in the report's language
    name: str


@dataclass(frozen=True)
class CommunityFigure:
    id: int
    size: int
    members: list[Member]  # best connected first


@dataclass(frozen=True)
class CentralFigure:
    member: Member
    score: float


@dataclass(frozen=True)
class NetworkFigure:
    """`analytics(kinds:, relationships:)` communities and degree centrality of the partner network."""

    selection: str
    nodes: int
    relationships: int
    algorithm: str
    count: int
    modularity: float
    communities: list[CommunityFigure]
    central: list[CentralFigure]
    data_version: str


@dataclass(frozen=True)
class MethodNote:
    title: str
    text: str


@dataclass(frozen=True)
class AnnualReport:
    year: int
    lang: Lang
    generated_at: str  # ISO 8601, UTC
    data_version: str
    synthetic: SyntheticShare  # every node and relationship of the store
    nodes: list[KindCount]
    relationships: list[KindCount]
    yearly: list[KindCount]  # the year's OFFERS and DEMANDS
    indicators: list[IndicatorFigure]
    talent: GapFigure
    chains: list[GapFigure]
    trend: list[YearGap]
    plan: PlanFigure
    coverage: CoverageFigure
    network: NetworkFigure
    method: list[MethodNote]
    sources: list[str] = field(default_factory=list)
