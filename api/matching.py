"""The matching part of the root `Query` (DESIGN §4): `partnerMatches`, ranked partners with the
components of their scores and the evidence behind each; `partnerMatchReport` adds how they were
found. Resolvers translate arguments and call `queries.matching`."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import Info

from api.arguments import given
from api.entities.pages import wrap
from api.entities.types import Node
from api.insight_fields import run_insight
from api.provenance_types import SyntheticShare, synthetic_share
from api.relay import from_global_id, to_global_id
from graph.store import GraphStore
from queries import matching
from queries.matching_evidence import Component, Evidence

DEFAULTS = matching.Weights()
DEFAULT_FIRST = 10


# The queries enum itself becomes the GraphQL enum.
strawberry.enum(matching.PartnerKind, description="The kind of partner sought")


@strawberry.input(description="Component weights; the score is Σ weight·value / Σ weight")
class MatchWeightsInput:
    discipline_fit: float = DEFAULTS.discipline_fit
    capacity: float = DEFAULTS.capacity
    proximity: float = DEFAULTS.proximity
    ties: float = DEFAULTS.ties


@strawberry.type(description="One item behind a component: a discipline, a district, an alliance, a count…")
class MatchEvidence:
    role: str = strawberry.field(description="discipline, district, partner_district, distance_km, alliance, cooperation, mentor, base, graduates, openings, capacity, schools_mentored")
    kind: str | None = strawberry.field(description="Node kind of the item, when it is a node")
    key: str | None = strawberry.field(description="Natural key of the item (school|enterprise for a cooperation)")
    name: str | None
    amount: float | None = strawberry.field(description="A count or a distance; a discipline's graduates or openings on the partner's side")

    @strawberry.field(description="Global ID of the item, when it is a node")
    def id(self) -> strawberry.ID | None:
        return strawberry.ID(to_global_id(self.kind, self.key)) if self.kind and self.key else None


@strawberry.type(description="One part of a match's score")
class MatchComponent:
    name: str = strawberry.field(description="discipline_fit, capacity, proximity or ties")
    weight: float
    value: float = strawberry.field(description="In [0, 1]")
    evidence: str = strawberry.field(description="Why, in one sentence (e.g. \"2 of 3 disciplines … are offered…\")")
    items: list[MatchEvidence] = strawberry.field(description="The disciplines, districts, ties or counts behind it")


@strawberry.type(description="A ranked partner")
class PartnerMatch:
    record: strawberry.Private[matching.PartnerMatch]
    score: float = strawberry.field(description="Weighted mean of the components, in [0, 1]")
    components: list[MatchComponent]
    existing_partner: bool = strawberry.field(description="Already a partner (cooperation, mentoring at, partnering with)")
    synthetic: SyntheticShare = strawberry.field(
        description="How many of the nodes and relationships this match compared were synthetic: the subject, the partner, "
                    "the subject's offers or demands of the year and the partner's relationships to those disciplines")

    @strawberry.field(description="The partner node")
    def partner(self) -> Node:
        found: Node = wrap(self.record.partner)
        return found


@strawberry.type(description="Ranked partners with how they were found")
class PartnerMatchReport:
    year: int | None = strawberry.field(description="The year of offers and demands compared")
    candidates: int = strawberry.field(description="Partners scored (after leaving out existing ones if asked)")
    weights: list[float] = strawberry.field(description="disciplineFit, capacity, proximity, ties")
    method: str
    matches: list[PartnerMatch]
    synthetic: SyntheticShare = strawberry.field(
        description="How many of the nodes and relationships compared were synthetic: the subject and every candidate, "
                    "the subject's offers or demands of the year and the candidates' relationships to those disciplines")


def _evidence(item: Evidence) -> MatchEvidence:
    return MatchEvidence(role=item.role, kind=item.label, key=item.key, name=item.name, amount=item.amount)


def _component(part: Component) -> MatchComponent:
    return MatchComponent(name=part.name, weight=part.weight, value=part.value, evidence=part.evidence,
                          items=[_evidence(item) for item in part.items])


def _report(found: matching.PartnerMatches) -> PartnerMatchReport:
    matches = [PartnerMatch(record=m, score=m.score, components=[_component(c) for c in m.components],
                            existing_partner=m.existing, synthetic=synthetic_share(m.synthetic)) for m in found.matches]
    w = found.weights
    return PartnerMatchReport(year=found.year, candidates=found.candidates, method=found.method, matches=matches,
                              weights=[w.discipline_fit, w.capacity, w.proximity, w.ties], synthetic=synthetic_share(found.synthetic))


def _first(first: int | None) -> int:
    return DEFAULT_FIRST if first is None else first


def _matches(store: GraphStore, id: str, kind: matching.PartnerKind, first: int, weights: MatchWeightsInput | None,
             year: int | None, exclude_existing: bool) -> matching.PartnerMatches:
    chosen = None if weights is None else matching.Weights(weights.discipline_fit, weights.capacity, weights.proximity, weights.ties)
    return matching.partner_matches(store, from_global_id(id), kind.value, first, chosen, year, exclude_existing)


IdArgument = Annotated[strawberry.ID, strawberry.argument(description="Global ID of the enterprise, school, discipline or district")]
FirstArgument = Annotated[int | None, strawberry.argument(description=f"At most this many partners (≤ {matching.MAX_FIRST})")]
WeightsArgument = Annotated[MatchWeightsInput | None, strawberry.argument(description="Override the default weights 0.4/0.2/0.2/0.2")]
YearArgument = Annotated[int | None, strawberry.argument(description="Year of offers and demands; the subject's latest when omitted")]
ExcludeArgument = Annotated[bool, strawberry.argument(description="Leave out existing partners")]


@strawberry.type
class MatchingQuery:
    @strawberry.field(description="Ranked partners of a kind for a node, best first, each with scored components and evidence (DESIGN §4)")
    async def partner_matches(
        self, info: Info, id: IdArgument, kind: matching.PartnerKind, first: FirstArgument = DEFAULT_FIRST,
        weights: WeightsArgument = strawberry.UNSET, year: YearArgument = strawberry.UNSET, exclude_existing: ExcludeArgument = False,
    ) -> list[PartnerMatch]:
        found = await run_insight(info, _matches, str(id), kind, _first(first), given(weights), given(year), exclude_existing)
        return _report(found).matches

    @strawberry.field(description="partnerMatches with the year compared, the weights, the method and the number of candidates")
    async def partner_match_report(
        self, info: Info, id: IdArgument, kind: matching.PartnerKind, first: FirstArgument = DEFAULT_FIRST,
        weights: WeightsArgument = strawberry.UNSET, year: YearArgument = strawberry.UNSET, exclude_existing: ExcludeArgument = False,
    ) -> PartnerMatchReport:
        return _report(await run_insight(info, _matches, str(id), kind, _first(first), given(weights), given(year), exclude_existing))
