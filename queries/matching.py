"""`partnerMatches`: ranked, explainable partners (DESIGN §4), scored once here for both stores.

Pairs: schools for an enterprise, enterprises for a school, mentors for a school or a discipline,
bases for a school, a discipline or a district. Candidates share a discipline with the subject or
are already tied to it. Each match has four components whose weighted mean
(Σ weight·value / Σ weight) is its score, every value in [0, 1]:

- discipline_fit: "x of y". School ↔ enterprise: y = the enterprise's demanded disciplines, x =
  those the school offers. Mentor or base: y = the disciplines it is expert in or trains, x =
  those the subject offers (a discipline: that discipline; a district: its schools' offers).
  value = x / y.
- capacity: in the shared disciplines of the year, graduates against openings: a school for an
  enterprise min(1, graduates / openings), an enterprise for a school min(1, openings /
  graduates); a base min(1, capacity / the subject's graduates); a mentor 1 / (1 + schools it
  already mentors at). 0 when the denominator is 0 or unknown.
- proximity: 1 in the same district, else max(0, 1 − km / 50) over the distance between district
  centroids; 0 when a district is unknown; weight 0 for a discipline (it has no district).
- ties: the share of the four kinds of existing ties present (shared alliances, cooperation,
  mentors, bases) between the subject's side and the partner's organisation (a mentor's
  employer, a base's host), a mentor or base already linked to the subject's schools included.

Default weights: discipline_fit 0.4, capacity 0.2, proximity 0.2, ties 0.2; callers may pass
others. Ties in score are broken by the partner's key. `year` None means the subject's latest
year with offers or demands. An existing partner (a school–enterprise cooperation; a mentor
teaching at, or a base partnering with, the subject's schools) can be left out.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import NamedTuple

from graph.insights import MATCH_PAIRS, MatchCandidate, MatchSubject, Named, Ties
from graph.records import Node, NodeRef
from graph.store import GraphStore
from queries.checks import check_first, check_year
from queries.matching_evidence import NO_TIES, Component, capacity, discipline_fit, proximity, ties, values
from queries.synthetic import SyntheticShare, share_of

MAX_FIRST = 100


class PartnerKind(StrEnum):
    SCHOOL = "SCHOOL"
    ENTERPRISE = "ENTERPRISE"
    MENTOR = "MENTOR"
    BASE = "BASE"

    @property
    def label(self) -> str:
        return self.value.title()


@dataclass(frozen=True)
class Weights:
    discipline_fit: float = 0.4
    capacity: float = 0.2
    proximity: float = 0.2
    ties: float = 0.2

    def check(self) -> Weights:
        for item in fields(self):
            value = getattr(self, item.name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"weights: {item.name} is {value}; weights must be finite and 0 or more")
        if self.discipline_fit + self.capacity + self.proximity + self.ties <= 0:
            raise ValueError("weights: at least one weight must be above 0")
        return self


@dataclass(frozen=True)
class PartnerMatch:
    partner: Node
    score: float
    components: tuple[Component, ...]
    existing: bool
    synthetic: SyntheticShare  # of what this match compared: see `compared_share`


@dataclass(frozen=True)
class PartnerMatches:
    subject: Node
    kind: PartnerKind
    year: int | None
    weights: Weights
    candidates: int
    matches: list[PartnerMatch]
    method: str
    synthetic: SyntheticShare


def partner_matches(
    store: GraphStore,
    subject: NodeRef,
    kind: PartnerKind | str,
    first: int = 10,
    weights: Weights | None = None,
    year: int | None = None,
    exclude_existing: bool = False,
) -> PartnerMatches:
    kind = check_pair(subject, kind)
    check_first(first, MAX_FIRST)
    weights = (weights or Weights()).check()
    source = store.insights()
    found = source.match_facts(subject, kind.label, None if year is None else check_year(year))
    if found is None:
        raise ValueError(f"id: no {subject.label} has the key {subject.key!r}")
    facts = found.subject
    if subject.label == "Discipline" and weights.discipline_fit + weights.capacity + weights.ties <= 0:
        raise ValueError("weights: only proximity is weighted, and it does not apply to a discipline")
    partner, shares = kind.label, component_weights(facts, weights)
    ranked = [rank(facts, candidate, partner, shares) for candidate in found.candidates]
    # The candidates come in key order and the sort is stable: equal scores stay in key order.
    ranked.sort(key=operator.attrgetter("score"), reverse=True)
    kept = [item for item in ranked if not (exclude_existing and item.existing)]
    # Every candidate is ranked on its values; only the shown ones are explained.
    matches = [explain(facts, item, partner, shares) for item in kept[:first]]
    compared = compared_share(facts, [item.candidate for item in kept])
    return PartnerMatches(facts.node, kind, facts.year, weights, len(kept), matches, method_text(facts, kind, weights), compared)


def compared_share(subject: MatchSubject, candidates: Sequence[MatchCandidate]) -> SyntheticShare:
    """The synthetic share of what was compared: the subject and the candidates (nodes), the
    subject's OFFERS or DEMANDS of the year summed into its profile, and each candidate's
    relationships to those disciplines (OFFERS, DEMANDS, EXPERT_IN or TRAINS)."""
    nodes = share_of([subject.node.props, *(candidate.node.props for candidate in candidates)], "")
    rels = subject.flows.total + sum(candidate.flows.total for candidate in candidates)
    made_up = subject.flows.synthetic + sum(candidate.flows.synthetic for candidate in candidates)
    return SyntheticShare(nodes.inputs + rels, nodes.synthetic + made_up, COMPARED)


COMPARED = ("nodes and relationships compared (the subject and the candidates; the subject's OFFERS or DEMANDS "
            "of the year and the candidates' relationships to those disciplines)")


def check_pair(subject: NodeRef, kind: PartnerKind | str) -> PartnerKind:
    try:
        kind = PartnerKind(kind)
    except ValueError:
        raise ValueError(f"kind {kind!r} is not a partner kind; expected one of {', '.join(PartnerKind)}") from None
    if kind.label not in MATCH_PAIRS.get(subject.label, ()):
        pairs = "; ".join(f"{label} → {', '.join(partners)}" for label, partners in MATCH_PAIRS.items())
        raise ValueError(f"kind: partners of kind {kind} cannot be matched to a node of kind {subject.label}; supported: {pairs}")
    return kind


def component_weights(subject: MatchSubject, weights: Weights) -> tuple[float, float, float, float]:
    proximity_weight = 0.0 if subject.node.label == "Discipline" else weights.proximity  # no district
    return weights.discipline_fit, weights.capacity, proximity_weight, weights.ties


def weighted_mean(weights: tuple[float, ...], values: tuple[float, ...]) -> float:
    return sum(map(operator.mul, weights, values)) / sum(weights)


def is_existing(candidate: MatchCandidate, partner: str, linked: Ties) -> bool:
    return bool(candidate.linked_schools) if partner in ("Mentor", "Base") else bool(linked.cooperation)


class Ranked(NamedTuple):
    """A candidate with its four component values (in `component_weights` order) and score."""

    score: float
    candidate: MatchCandidate
    values: tuple[float, float, float, float]
    linked: Ties
    existing: bool


def rank(subject: MatchSubject, candidate: MatchCandidate, partner: str, shares: tuple[float, float, float, float]) -> Ranked:
    """The candidate's values and score; `shares` are the `component_weights`."""
    linked = candidate_ties(subject, candidate, partner)
    measured = values(subject, candidate, partner, linked)
    return Ranked(weighted_mean(shares, measured), candidate, measured, linked, is_existing(candidate, partner, linked))


def explain(subject: MatchSubject, ranked: Ranked, partner: str, shares: tuple[float, float, float, float]) -> PartnerMatch:
    """The match with its components: `rank`'s values, weights and score, with their evidence."""
    candidate, (fit_weight, capacity_weight, proximity_weight, ties_weight) = ranked.candidate, shares
    fit, room, near, tied = ranked.values
    parts = (
        discipline_fit(subject, candidate, partner, fit_weight, fit),
        capacity(subject, candidate, partner, capacity_weight, room),
        proximity(subject, candidate, proximity_weight, near),
        ties(ranked.linked, ties_weight, tied),
    )
    return PartnerMatch(candidate.node, ranked.score, parts, ranked.existing, compared_share(subject, [candidate]))


def candidate_ties(subject: MatchSubject, candidate: MatchCandidate, partner: str) -> Ties:
    """The subject's ties with the candidate's organisation, plus the candidate's own direct link."""
    found = subject.ties.get(candidate.organisation or "", NO_TIES)
    if not candidate.linked_schools:
        return found  # shared with the subject: read, never changed
    linked = Ties(set(found.alliances), set(found.cooperation), set(found.mentors), set(found.bases))
    itself = Named(partner, candidate.key, candidate.name)
    (linked.mentors if partner == "Mentor" else linked.bases).add(itself)
    return linked


def method_text(subject: MatchSubject, kind: PartnerKind, weights: Weights) -> str:
    year = f"in {subject.year}" if subject.year is not None else "in any year (the subject has no yearly data)"
    return (
        f"Partners of kind {kind} for {subject.node.label} {subject.node.key}, offers and demands counted {year}. "
        "Candidates share a discipline with the subject or are already tied to it. "
        f"score = weighted mean of discipline_fit ({weights.discipline_fit:g}), capacity ({weights.capacity:g}), "
        f"proximity ({weights.proximity:g}{', not applicable to a discipline' if subject.node.label == 'Discipline' else ''}) "
        f"and ties ({weights.ties:g}); ties in score are broken by the partner's key."
    )
