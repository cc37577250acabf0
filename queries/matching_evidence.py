"""The four components of a partner match, each a value in [0, 1] with its evidence: a sentence and
the items behind it (see `queries.matching` for the definitions)."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from graph.insights import TIE_KINDS, MatchCandidate, MatchSubject, Named, Place, Ties

PROXIMITY_KM = 50.0  # beyond this distance between district centroids proximity is 0
EARTH_RADIUS_KM = 6371.0088
NO_TIES = Ties()
TRAINING = {"Mentor": "is expert in", "Base": "trains"}


class Evidence(NamedTuple):
    """One item behind a component: a discipline, a district, an alliance, a count…"""

    role: str
    label: str | None = None
    key: str | None = None
    name: str | None = None
    amount: float | None = None


class Component(NamedTuple):
    name: str
    weight: float
    value: float
    evidence: str
    items: tuple[Evidence, ...] = ()


def values(subject: MatchSubject, candidate: MatchCandidate, partner: str, linked: Ties) -> tuple[float, float, float, float]:
    """discipline_fit, capacity, proximity and ties of one candidate (`linked`: its ties). They
    are worked out once per candidate, to rank it; the shown matches are explained with them."""
    x, y = fit(subject, candidate, partner)
    tied = 0.0 if linked is NO_TIES else sum(1 for kind in TIE_KINDS if getattr(linked, kind)) / len(TIE_KINDS)
    return x / y if y else 0.0, capacity_value(subject, candidate, partner), _proximity_value(subject.place, candidate.place), tied


def fit(subject: MatchSubject, candidate: MatchCandidate, partner: str) -> tuple[int, int]:
    """x of y: the enterprise's demanded disciplines for school ↔ enterprise, else the partner's."""
    return len(candidate.matched), len(subject.profile) if partner == "School" else candidate.size


def discipline_fit(subject: MatchSubject, candidate: MatchCandidate, partner: str, weight: float, value: float) -> Component:
    codes = sorted(candidate.matched)
    x, y = fit(subject, candidate, partner)
    who, whom = subject.node.props.get("name", subject.node.key), candidate.name
    if partner == "School":
        text = f"{x} of {y} disciplines {who} demands are offered by {whom}"
    elif partner == "Enterprise":
        text = f"{x} of {y} disciplines {whom} demands are offered by {who}"
    else:
        text = f"{x} of {y} disciplines {whom} {TRAINING[partner]} {offered_by(subject)}"
    items = [Evidence("discipline", "Discipline", code, subject.discipline_names.get(code), candidate.matched[code]) for code in codes]
    names = [f"{code} {subject.discipline_names.get(code, '')}".strip() for code in codes]
    listed = f": {', '.join(names)}" if names else ""
    return Component("discipline_fit", weight, value, text + listed, tuple(items))


def offered_by(subject: MatchSubject) -> str:
    node = subject.node
    if node.label == "Discipline":
        return f"are {node.key} {node.props.get('name', '')}".rstrip()
    if node.label == "District":
        return f"are offered by schools in {node.props.get('name', node.key)}"
    return f"are offered by {node.props.get('name', node.key)}"


def amounts(subject: MatchSubject, candidate: MatchCandidate) -> tuple[int, int]:
    """The partner's and the subject's amounts (graduates or openings) in the shared disciplines
    (`matched` holds only disciplines of the subject's profile)."""
    return sum(candidate.matched.values()), sum(map(subject.profile.__getitem__, candidate.matched))


def capacity_value(subject: MatchSubject, candidate: MatchCandidate, partner: str) -> float:
    if partner == "Mentor":
        return 1 / (1 + candidate.load)
    # What the partner brings (graduates, openings, places) against what the subject has.
    theirs, ours = amounts(subject, candidate)
    if partner == "Base":
        theirs = candidate.capacity or 0
    return min(1.0, theirs / ours) if ours else 0.0


def capacity(subject: MatchSubject, candidate: MatchCandidate, partner: str, weight: float, value: float) -> Component:
    theirs, ours = amounts(subject, candidate)
    if partner == "Mentor":
        return Component("capacity", weight, value, f"mentors at {candidate.load} school(s) already",
                         (Evidence("schools_mentored", amount=candidate.load),))
    if partner == "Base":
        text = f"capacity {candidate.capacity if candidate.capacity is not None else 'unknown'} a year against {ours} graduates"
        return Component("capacity", weight, value, text + " in the shared disciplines",
                         (Evidence("capacity", amount=candidate.capacity), Evidence("graduates", amount=ours)))
    graduates, openings = (theirs, ours) if partner == "School" else (ours, theirs)
    year = f" in {subject.year}" if subject.year is not None else ""
    return Component("capacity", weight, value, f"{graduates} graduates against {openings} openings in the shared disciplines{year}",
                     (Evidence("graduates", amount=graduates), Evidence("openings", amount=openings)))


def distance_km(a: Place, b: Place) -> float | None:
    """Great-circle distance between two district centroids (None without coordinates)."""
    if a.longitude is None or a.latitude is None or b.longitude is None or b.latitude is None:
        return None
    lat1, lat2 = math.radians(float(a.latitude)), math.radians(float(b.latitude))
    dlat, dlon = lat2 - lat1, math.radians(float(b.longitude) - float(a.longitude))
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=4096)  # a few hundred pairs of districts meet again and again
def _proximity_value(ours: Place | None, theirs: Place | None) -> float:
    if ours is None or theirs is None:
        return 0.0
    if ours.code == theirs.code:
        return 1.0
    km = distance_km(ours, theirs)
    return 0.0 if km is None else max(0.0, 1 - km / PROXIMITY_KM)


def proximity(subject: MatchSubject, candidate: MatchCandidate, weight: float, value: float) -> Component:
    if subject.node.label == "Discipline":
        return Component("proximity", weight, value, "not applicable: a discipline has no district")
    return _proximity(subject.place, candidate.place, weight, value)


@lru_cache(maxsize=4096)  # and each pair is explained once
def _proximity(ours: Place | None, theirs: Place | None, weight: float, value: float) -> Component:
    if ours is None or theirs is None:
        return Component("proximity", weight, value, "district unknown",
                         tuple(Evidence("district", "District", p.code, p.name) for p in (ours, theirs) if p))
    items = (Evidence("district", "District", ours.code, ours.name), Evidence("partner_district", "District", theirs.code, theirs.name))
    if ours.code == theirs.code:
        return Component("proximity", weight, value, f"both in {ours.name}", (*items, Evidence("distance_km", amount=0.0)))
    km = distance_km(ours, theirs)
    if km is None:
        return Component("proximity", weight, value, f"{ours.name} and {theirs.name}: no centroid coordinates", items)
    return Component("proximity", weight, value, f"{ours.name} to {theirs.name}: {km:.1f} km between centroids",
                     (*items, Evidence("distance_km", amount=round(km, 3))))


def ties(found: Ties, weight: float, value: float) -> Component:
    if value == 0:
        return Component("ties", weight, value, "no existing ties")
    items = [*(tie("alliance", n) for n in found.alliances), *(tie("mentor", n) for n in found.mentors),
             *(tie("base", n) for n in found.bases)]
    items += [Evidence("cooperation", None, f"{s.key}|{e.key}", f"{s.name} – {e.name}") for s, e in found.cooperation]
    items.sort(key=lambda item: (item.role, item.key or ""))
    present = [kind for kind in TIE_KINDS if getattr(found, kind)]
    text = "; ".join(
        f"{kind}: {', '.join(item.name or '' for item in items if item.role == ROLES[kind])}" for kind in present
    )
    return Component("ties", weight, value, text, tuple(items))


ROLES = {"alliances": "alliance", "cooperation": "cooperation", "mentors": "mentor", "bases": "base"}


def tie(role: str, via: Named) -> Evidence:
    return Evidence(role, via.label, via.key, via.name)
