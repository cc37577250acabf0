"""The aggregate reads behind the gap, matching and plan-target queries (DESIGN §4).

`queries/` asks an `InsightSource` for facts already summed per year, district and discipline (or
per candidate partner) and does all the arithmetic itself, so the semantics and the scoring are
written once. Each store names its own (`GraphStore.insights`): `graph.protocol_insights.ProtocolInsights` over the
`GraphStore` protocol's public reads (in-process calls are cheap; the embedded store's
`graph.embedded.insights.EmbeddedInsights` counts indicators over its memory instead), and
`graph.neo4j.insights.Neo4jInsights`, where each read is one or two parameterised Cypher round
trips that aggregate in the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from graph.indicators import IndicatorCounts, Measure
from graph.model import REL_KINDS
from graph.records import Direction, Node, NodeRef

OUT, IN = Direction.OUT, Direction.IN

# Which partners can be matched to which subjects (subject label → partner labels).
MATCH_PAIRS: Mapping[str, tuple[str, ...]] = {
    "Enterprise": ("School",),
    "School": ("Enterprise", "Mentor", "Base"),
    "Discipline": ("Mentor", "Base"),
    "District": ("Base",),
}
TIE_KINDS = ("alliances", "cooperation", "mentors", "bases")

Hop = tuple[str, Direction]
# How each kind of tie is reached from a school (to enterprises) or from an enterprise (to schools):
# one or two hops; with two, the middle node is the tie's evidence (alliance, mentor or base).
TIE_PATHS: Mapping[str, Mapping[str, tuple[Hop, ...]]] = {
    "School": {
        "alliances": (("MEMBER_OF", OUT), ("MEMBER_OF", IN)),
        "cooperation": (("COOPERATES_WITH", OUT),),
        "mentors": (("MENTORS_AT", IN), ("EMPLOYED_BY", OUT)),
        "bases": (("PARTNERS_WITH", IN), ("HOSTED_BY", OUT)),
    },
    "Enterprise": {
        "alliances": (("MEMBER_OF", OUT), ("MEMBER_OF", IN)),
        "cooperation": (("COOPERATES_WITH", IN),),
        "mentors": (("EMPLOYED_BY", IN), ("MENTORS_AT", OUT)),
        "bases": (("HOSTED_BY", IN), ("PARTNERS_WITH", OUT)),
    },
}


@dataclass(frozen=True)
class ProfileRel:
    """The relationship that gives a partner kind its disciplines, and the amount it carries."""

    rel_type: str
    amount: str | None
    yearly: bool


# The amount a flow relationship carries: supply (a school's graduates), demand (an enterprise's openings).
AMOUNTS: Mapping[str, str] = {"OFFERS": "graduates", "DEMANDS": "openings"}
PROFILE_RELS: Mapping[str, ProfileRel] = {
    "School": ProfileRel("OFFERS", AMOUNTS["OFFERS"], yearly=True),
    "Enterprise": ProfileRel("DEMANDS", AMOUNTS["DEMANDS"], yearly=True),
    "Mentor": ProfileRel("EXPERT_IN", None, yearly=False),
    "Base": ProfileRel("TRAINS", None, yearly=False),
}
# Relationships joining a mentor or a base to its organisation (an enterprise) and to schools.
ORGANISATION_RELS: Mapping[str, str] = {"Mentor": "EMPLOYED_BY", "Base": "HOSTED_BY"}
SCHOOL_LINK_RELS: Mapping[str, str] = {"Mentor": "MENTORS_AT", "Base": "PARTNERS_WITH"}


class Counted(NamedTuple):
    """How many nodes or relationships, and how many of them synthetic."""

    total: int
    synthetic: int


NO_FLOWS = Counted(0, 0)


class AmountRow(NamedTuple):
    """Openings (demand) or graduates (supply) summed per year, district and discipline;
    `district` is None when the read was not split by district or the holder has none. `rels`
    counts the DEMANDS or OFFERS summed, `synthetic` the synthetic ones among them."""

    year: int
    district: str | None
    discipline: str
    amount: int
    rels: int = 0
    synthetic: int = 0


@dataclass(frozen=True)
class SupplyDemandFacts:
    """What `talentGap` counts (DESIGN §4).

    `chains` is the chain subtree (None without a chain filter). `scope[year]` holds the disciplines
    in scope for that year under a chain filter (what the subtree NEEDS plus what its enterprises
    demanded that year in any district); without a chain every discipline with an amount is.
    `demand` and `supply` are already restricted to the requested districts and level."""

    chain: Node | None
    chains: tuple[str, ...] | None
    scope: dict[int, frozenset[str]] | None
    demand: list[AmountRow]
    supply: list[AmountRow]
    disciplines: dict[str, Node]
    sources: frozenset[str]


class Named(NamedTuple):
    label: str
    key: str
    name: str


class Place(NamedTuple):
    """A district with its centroid (either coordinate may be unknown)."""

    code: str
    name: str
    longitude: float | None
    latitude: float | None


@dataclass
class Ties:
    """Existing links between a school and an enterprise: shared alliances, their cooperation,
    mentors employed by the one who teach at the other, bases hosted by the one partnering the
    other. Cooperation items are `(school, enterprise)` pairs."""

    alliances: set[Named] = field(default_factory=set)
    cooperation: set[tuple[Named, Named]] = field(default_factory=set)
    mentors: set[Named] = field(default_factory=set)
    bases: set[Named] = field(default_factory=set)

    def add(self, kind: str, via: Named, school: Named, enterprise: Named) -> None:
        if kind == "cooperation":
            self.cooperation.add((school, enterprise))
        else:
            getattr(self, kind).add(via)


@dataclass(frozen=True)
class MatchSubject:
    """The node partners are sought for, with what scoring compares candidates against.

    `profile` maps discipline codes to the subject's amount in `year` (graduates a school offers,
    openings an enterprise demands; a discipline's own graduates; a district's schools' graduates).
    `schools`/`enterprise` are the subject's side of existing ties; `ties` maps each counterpart
    (a school for an enterprise subject, an enterprise otherwise) to its ties with that side.
    `flows` counts the relationships summed into `profile` (OFFERS or DEMANDS of the year) and
    the synthetic ones among them."""

    node: Node
    year: int | None
    profile: dict[str, int]
    discipline_names: dict[str, str]
    place: Place | None
    schools: frozenset[str]
    enterprise: str | None
    ties: dict[str, Ties]
    flows: Counted = NO_FLOWS


class MatchCandidate(NamedTuple):
    """A possible partner. `matched` maps the subject's disciplines the candidate also has to the
    candidate's amount; `size` counts all its disciplines (an enterprise's in the year) where
    that is the fit's denominator: for enterprises, mentors and bases (0 for schools).
    `organisation` keys its ties in `MatchSubject.ties`: itself for a school or an enterprise,
    the employer of a mentor, the host of a base. `linked_schools` are subject schools a mentor
    already teaches at or a base already partners with. `flows` counts the relationships summed
    into `matched` (its OFFERS, DEMANDS, EXPERT_IN or TRAINS of the subject's disciplines) and the
    synthetic ones among them."""

    node: Node
    matched: dict[str, int]
    size: int
    place: Place | None
    organisation: str | None
    linked_schools: frozenset[str] = frozenset()
    capacity: int | None = None
    load: int = 0
    flows: Counted = NO_FLOWS

    @property
    def key(self) -> str:
        return self.node.key

    @property
    def name(self) -> str:
        return str(self.node.props.get("name", self.node.key))


@dataclass(frozen=True)
class MatchFacts:
    subject: MatchSubject
    candidates: list[MatchCandidate]


@dataclass(frozen=True)
class CoverageCell:
    """One empty cell of `coverageGaps`: `entity` is what is missing something; `related` lists
    the keys that explain it (the chains needing a discipline, a school's chain disciplines…)."""

    entity: str
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrainedRow:
    """People trained by projects in a year, per group, degree level, whether the projects are
    training camps and whether they are synthetic: each project's `trained` spread over its years
    in whole people (the remainder to its first years: 10 over three years is 4, 3, 3), with how
    many projects counted."""

    group: str
    year: int
    degree_level: str
    training_camp: bool
    synthetic: bool
    trained: int
    projects: int


YEARLY_RELS: tuple[str, ...] = tuple(kind.type for kind in REL_KINDS if "year" in kind.key)


@dataclass(frozen=True)
class CoverageFacts:
    """What the store holds: per node kind and relationship type (every one of the model), and
    per year for the relationships keyed by a year (`YEARLY_RELS`: OFFERS, DEMANDS)."""

    nodes: dict[str, Counted]
    relationships: dict[str, Counted]
    years: dict[str, dict[int, Counted]]


COVERAGE_RELS: tuple[str, ...] = ("OFFERS", "SERVES", "MENTORS_AT", "MEMBER_OF")


@dataclass(frozen=True)
class CoverageInputs:
    """The relationships `coverageGaps` looks for, per type (`COVERAGE_RELS`, in that order):
    OFFERS of the needed disciplines, SERVES of bases and alliances, MENTORS_AT of the schools
    offering them, MEMBER_OF of the chains' enterprises (all in scope)."""

    relationships: dict[str, Counted]


class InsightSource(Protocol):
    def chain_subtree(self, code: str) -> tuple[str, ...]:
        """The chain and every chain PART_OF it transitively, sorted; () if the chain is unknown."""

    def supply_demand(
        self,
        years: Sequence[int],
        chain: str | None,
        districts: Sequence[str] | None,
        level: str | None,
        by_district: bool,
    ) -> SupplyDemandFacts:
        """Demand, supply and scope for `talentGap` and its trend and breakdown (DESIGN §4)."""

    def disciplines_not_offered(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None, year: int | None
    ) -> list[CoverageCell]:
        """Disciplines the chains NEED that no school in `districts` OFFERS (in `year` if given);
        related: the needing chains."""

    def base_presence(self, chains: Sequence[str]) -> dict[str, set[tuple[str, str]]]:
        """For each chain, the `(district, base type)` pairs where a base SERVES it or a chain
        PART_OF it."""

    def zone_districts(self) -> dict[str, tuple[str, ...]]:
        """Each zone's covered districts."""

    def schools_without_mentor(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None, year: int | None
    ) -> list[CoverageCell]:
        """Schools in `districts` offering a discipline the chains NEED, with no mentor at all;
        related: those disciplines."""

    def chains_without_alliance(self, chains: Sequence[str] | None) -> list[CoverageCell]:
        """Chains (all, or those given) that no alliance SERVES."""

    def enterprises_without_alliance(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None
    ) -> list[CoverageCell]:
        """Enterprises IN_CHAIN of the chains (any chain if None) in `districts`, member of no
        alliance; related: their chains."""

    def match_facts(self, ref: NodeRef, partner_label: str, year: int | None) -> MatchFacts | None:
        """The subject's facts (None if it does not exist; `year` None means its latest year with
        offers or demands) and every partner of `partner_label` sharing a discipline with its
        profile or tied to it (through its organisation or a direct link), by key, never the
        subject itself."""

    def coverage_facts(self) -> CoverageFacts:
        """Counts, synthetic counts and years of what the store holds (`dataCoverage`)."""

    def coverage_inputs(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None, year: int | None
    ) -> CoverageInputs:
        """The relationships `coverageGaps` looked for in scope, counted (for its synthetic share)."""

    def trained(self, years: Sequence[int], groups: Mapping[str, str | None]) -> list[TrainedRow]:
        """For each group (a chain code, standing for its subtree; None for all projects), people
        trained per year, degree level, training camp or not and synthetic or not, by the distinct
        projects SERVING one of its chains, excluding proposed projects."""

    def indicator_counts(self, measures: Sequence[Measure]) -> list[IndicatorCounts]:
        """Each measure's groups counted (`graph.indicators`), in the measures' order; the measures
        are checked already (`queries.indicators.check_measure`)."""
