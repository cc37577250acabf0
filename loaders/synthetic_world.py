"""The fixed frame the synthetic ecosystem is drawn in: the real reference tables, the chain tree,
what each chain needs and which school offers what.

Randomness is per record: `World.rng(kind, index)` seeds a generator from (seed, kind, index), so
any record can be recomputed on demand (a base can look up its host enterprise without anyone
keeping the enterprises in memory) and the output does not depend on generation order.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Generic, TypeVar

from loaders.reference import ReferenceData, Row
from loaders.synthetic_vocab import (
    BASIC_MAJOR_WEIGHT,
    CHAIN_AFFINITY,
    CHAIN_PROFILES,
    GRADUATES,
    SCHOOL_DISCIPLINE_LEVELS,
    TIER_WEIGHTS,
    YEARS,
)

T = TypeVar("T")

# Record kinds, one random stream family each.
OFFER_PLAN, ENTERPRISE, MENTOR, BASE, ALLIANCE, PROJECT, COURSE = range(1, 8)


@dataclass(frozen=True)
class Chain:
    code: str
    name: str
    tier: str
    parent: str
    top: str  # the leading industry or key cluster it belongs to (itself at the top)


class Weighted(Generic[T]):
    """Items with positive weights, drawn in O(log n); built once, drawn from many times."""

    def __init__(self, options: Iterable[tuple[T, float]]) -> None:
        pairs = [(item, weight) for item, weight in options if weight > 0]
        if not pairs:
            raise ValueError("nothing to draw from: no item has a positive weight")
        self.items = [item for item, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def __len__(self) -> int:
        return len(self.items)

    def _index(self, rng: random.Random) -> int:
        return min(bisect(self.cumulative, rng.random() * self.total), len(self.items) - 1)

    def draw(self, rng: random.Random) -> T:
        return self.items[self._index(rng)]

    def sample(self, rng: random.Random, k: int) -> list[T]:
        """k distinct items (all of them if k reaches their number), in the items' own order."""
        if k >= len(self.items):
            return list(self.items)
        chosen: set[int] = set()
        while len(chosen) < k:
            chosen.add(self._index(rng))
        return [self.items[index] for index in sorted(chosen)]


def weighted_sample(rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int) -> list[T]:
    """k distinct items, likelier the heavier (Efraimidis–Spirakis), in the items' own order;
    for one-off draws of many items, where building a `Weighted` would not pay off."""
    if k >= len(items):
        return list(items)
    keys = [rng.random() ** (1.0 / weight) for weight in weights]
    chosen = sorted(range(len(items)), key=keys.__getitem__, reverse=True)[:k]
    return [items[index] for index in sorted(chosen)]


def is_special_major(code: str) -> bool:
    """A 特设专业 (its code carries T: 050274T 马其顿语), which few schools offer."""
    return "T" in code[6:]


class World:
    """Reference tables plus the derived lookups every synthetic table draws from."""

    def __init__(self, reference: ReferenceData, scale: int, seed: int) -> None:
        if scale < 1:
            raise ValueError(f"scale must be a whole number of at least 1, not {scale}")
        if seed < 0:
            raise ValueError(f"seed must be a whole number of at least 0, not {seed}")
        self.reference, self.scale, self.seed = reference, scale, seed
        self.districts = [row["code"] for row in reference.districts]
        self.district_names = {row["code"]: row["name"] for row in reference.districts}
        self.schools = reference.schools
        self.school_by_code = {row["code"]: row for row in reference.schools}
        self.disciplines = {row["code"]: row for row in reference.disciplines}
        self.chains = self._chains(reference.industry_chains)
        self.pools = {code: self._pool(code, reference.chain_needs) for code in self.chains}
        self.needed_by = self._needed_by(reference.chain_needs)
        self.offered = {row["code"]: self._offerings(index, row) for index, row in enumerate(self.schools)}
        self.offering_schools = self._offering_schools()
        self._offered_sets = {code: frozenset(offered) for code, offered in self.offered.items()}
        self.chain_schools = {code: self._chain_schools(code) for code in self.chains}
        self.tops = Weighted((c.code, TIER_WEIGHTS.get(c.tier, 1.0)) for c in self.chains.values() if not c.parent)
        self.segments = {code: [c.code for c in self.chains.values() if c.parent == code] for code in self.chains}
        self._draws: dict[tuple[object, ...], Weighted[str]] = {}

    def rng(self, kind: int, index: int) -> random.Random:
        return random.Random((self.seed << 48) | (kind << 40) | index)

    # chains -------------------------------------------------------------------------------

    def _chains(self, rows: list[Row]) -> dict[str, Chain]:
        chains: dict[str, Chain] = {}
        for row in rows:  # parents come first (checked by the reference loader)
            top = chains[row["parent"]].top if row["parent"] else row["code"]
            chains[row["code"]] = Chain(row["code"], row["name"], row["tier"], row["parent"], top)
        return chains

    def lineage(self, code: str) -> list[str]:
        """The chain and its ancestors, nearest first."""
        codes = [code]
        while self.chains[codes[-1]].parent:
            codes.append(self.chains[codes[-1]].parent)
        return codes

    def subtree(self, code: str) -> list[str]:
        return [other for other in self.chains if code in self.lineage(other)]

    def random_chain(self, rng: random.Random, in_segment: float) -> str:
        """A top-level chain (the leading industries a bit likelier), then one of its segments with
        probability `in_segment`."""
        return self._within(rng, self.tops.draw(rng), in_segment)

    def related_chain(self, rng: random.Random, chain: str, in_segment: float) -> str:
        """A second chain for a firm of `chain`: its own top-level chain or one whose firms it
        plausibly also serves (`CHAIN_AFFINITY`), then one of its segments likewise."""
        top = self.chains[chain].top
        return self._within(rng, rng.choice((top, *CHAIN_AFFINITY.get(top, ()))), in_segment)

    def _within(self, rng: random.Random, top: str, in_segment: float) -> str:
        segments = self.segments[top]
        return rng.choice(segments) if segments and rng.random() < in_segment else top

    def _cached(self, key: tuple[object, ...], build: Callable[[], Iterable[tuple[str, float]]]) -> Weighted[str]:
        if key not in self._draws:
            self._draws[key] = Weighted(build())
        return self._draws[key]

    def district_draw(self, chain: str, cluster_weight: float) -> Weighted[str]:
        """Districts, those where the chain clusters `cluster_weight` times likelier."""
        clusters = self.profile(chain)[2]
        return self._cached(("districts", chain), lambda: (
            (code, cluster_weight if code in clusters else 1.0) for code in self.districts))

    def pool_draw(self, chain: str, levels: tuple[str, ...] = ()) -> Weighted[str]:
        """The chain's disciplines by crosswalk weight, only those of `levels` if given (and any)."""
        def build() -> list[tuple[str, float]]:
            wanted = [(code, weight) for code, weight in self.pools[chain]
                      if not levels or self.disciplines[code]["level"] in levels]
            return wanted or self.pools[chain]
        return self._cached(("pool", chain, levels), build)

    def school_draw(self, chain: str, district: str, near_weight: float) -> Weighted[str]:
        """The chain's schools, those in `district` `near_weight` times likelier."""
        return self._cached(("schools", chain, district), lambda: (
            (code, near_weight if self.school_by_code[code]["district"] == district else 1.0)
            for code in self.chain_schools[chain]))

    def profile(self, code: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """(GB/T 4754 division, name words, cluster districts) of the chain or its nearest ancestor."""
        for ancestor in self.lineage(code):
            if ancestor in CHAIN_PROFILES:
                return CHAIN_PROFILES[ancestor]
        return ("", (self.chains[code].name,), ())

    def _pool(self, code: str, needs: list[Row]) -> list[tuple[str, float]]:
        """Disciplines a firm of the chain hires: its needs, its ancestors' and its segments'."""
        related = set(self.lineage(code)) | set(self.subtree(code))
        weights: dict[str, float] = {}
        for need in needs:
            if need["chain"] in related:
                weights[need["discipline"]] = max(weights.get(need["discipline"], 0.0), float(need["weight"]))
        return [(discipline, weight) for discipline, weight in weights.items() if weight > 0]

    @staticmethod
    def _needed_by(needs: list[Row]) -> dict[str, tuple[str, ...]]:
        """Discipline → the chains that need it directly, in crosswalk order."""
        chains: dict[str, list[str]] = {}
        for need in needs:
            chains.setdefault(need["discipline"], []).append(need["chain"])
        return {discipline: tuple(codes) for discipline, codes in chains.items()}

    # schools ------------------------------------------------------------------------------

    def _offerings(self, index: int, school: Row) -> list[str]:
        """Majors the school offers, in catalogue order: its profile's core majors, then others of
        its level from its profile's families (basic majors likelier than 特设 ones) up to its size."""
        rng = self.rng(OFFER_PLAN, index)
        profile = self.reference.school_profiles[school["code"]]
        levels = SCHOOL_DISCIPLINE_LEVELS[school["level"]]
        eligible = [row["code"] for row in self.reference.disciplines
                    if row["level"] in levels and row["code"].startswith(profile.families) and row["code"] not in profile.core]
        weights = [1.0 if is_special_major(code) else BASIC_MAJOR_WEIGHT for code in eligible]
        count = max(0, profile.majors * self.scale - len(profile.core))
        chosen = set(weighted_sample(rng, eligible, weights, count)) | set(profile.core)
        return [row["code"] for row in self.reference.disciplines if row["code"] in chosen]

    def _offering_schools(self) -> dict[str, list[str]]:
        schools: dict[str, list[str]] = {}
        for school, disciplines in self.offered.items():
            for discipline in disciplines:
                schools.setdefault(discipline, []).append(school)
        return schools

    def _chain_schools(self, code: str) -> list[str]:
        """Schools offering at least one discipline the chain needs (all schools if none does)."""
        wanted = {discipline for discipline, _ in self.pools[code]}
        found = [school for school, offered in self.offered.items() if wanted.intersection(offered)]
        return found or list(self.offered)

    def offered_set(self, school: str) -> frozenset[str]:
        return self._offered_sets.get(school, frozenset())

    def course_draw(self, school: str) -> Weighted[str]:
        """The school's majors, those some chain needs three times likelier (courses follow industry)."""
        return self._cached(("courses", school), lambda: (
            (code, 3.0 if code in self.needed_by else 1.0) for code in self.offered[school]))

    def schools_of_levels(self, codes: Sequence[str], levels: Sequence[str]) -> list[str]:
        return [code for code in codes if self.school_by_code[code]["level"] in levels]

    def offer_rows(self) -> Iterator[dict[str, object]]:
        """`offers`: every offered major, every plan year, with enrollment and graduates."""
        for index, school in enumerate(self.schools):
            rng = self.rng(OFFER_PLAN, 10_000 + index)
            low, high = GRADUATES[school["level"]]
            for discipline in self.offered[school["code"]]:
                size = rng.randint(low, high)
                for year in YEARS:
                    graduates = round(size * (1 + 0.04 * (year - YEARS[0])) * rng.uniform(0.9, 1.1))
                    yield {"school": school["code"], "discipline": discipline, "year": year,
                           "enrollment": round(graduates * rng.uniform(1.0, 1.15)), "graduates": graduates}
