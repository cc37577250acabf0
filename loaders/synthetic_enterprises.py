"""Synthetic enterprises with valid credit codes, and the talent they demand and the schools they
work with. Every enterprise is a pure function of (seed, index), so others can refer to it freely.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from graph.validation import SYNTHETIC_USCC_PREFIX, uscc_check_char
from loaders.synthetic_vocab import (
    BRAND_SYLLABLES,
    CLUSTER_WEIGHT,
    COOPERATION_KINDS,
    DEMAND_SHAPE,
    IN_SEGMENT,
    INTEGRATION_LARGE,
    INTEGRATION_OTHER,
    OWNERSHIPS,
    SECOND_CHAIN,
    SIZES,
    SYNTHETIC_MARK,
    YEARS,
)
from loaders.synthetic_world import ENTERPRISE, Weighted, World

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997, the organisation code inside a credit code
ORG_CODE_SPACE = 10**8
PERMUTE = 1_000_003  # coprime with 2, 3 and 5, so `index * PERMUTE + offset` is a bijection below
CITY_REGION = "310000"  # firms registered with the city rather than a district
NEAR_WEIGHT = 3.0  # a school in the firm's own district is this much likelier a partner


@dataclass(frozen=True)
class Enterprise:
    index: int
    uscc: str
    brand: str
    chains: tuple[str, ...]
    district: str
    size: str


def org_code(body: str) -> str:
    """The 9-character organisation code: 8 digits and their GB 11714 check character."""
    check = 11 - sum(int(char) * weight for char, weight in zip(body, ORG_CODE_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(index: int, seed: int, region: str) -> str:
    """A credit code in the reserved synthetic range (`graph.validation.SYNTHETIC_USCC_PREFIX`,
    a registration authority GB 32100-2015 does not assign, so no real code can equal it): the
    prefix, region, organisation code (GB 11714 check included) and GB 32100 check character.
    The organisation code is unique per index, so the whole code is too."""
    body = f"{(index * PERMUTE + seed * 7_654_321) % ORG_CODE_SPACE:08d}"
    first17 = f"{SYNTHETIC_USCC_PREFIX}{region}{org_code(body)}"
    return first17 + uscc_check_char(first17)


def brand(index: int, seed: int) -> str:
    """A company brand unique per index: two syllables for the first 72², then three, …"""
    base, length, start = len(BRAND_SYLLABLES), 2, 0
    while index - start >= base**length:
        start += base**length
        length += 1
    number = ((index - start) * PERMUTE + seed) % base**length
    syllables = []
    for _ in range(length):
        number, digit = divmod(number, base)
        syllables.append(BRAND_SYLLABLES[digit])
    return "".join(syllables)


SIZE_DRAW = Weighted(SIZES)
OWNERSHIP_DRAW = Weighted(OWNERSHIPS)
INTEGRATION_DRAW = {True: Weighted(INTEGRATION_LARGE), False: Weighted(INTEGRATION_OTHER)}
KIND_DRAW = Weighted((kind, 1.0) for kind in COOPERATION_KINDS)
SIZE_NAMES = tuple(size for size, _ in SIZES)


class Enterprises:
    """The `count` synthetic enterprises of a world. Each is drawn from its own random stream;
    a compact directory (credit code, chains, district and size per index, a few MB per 100k
    enterprises) serves the records that refer to them and the per-chain lookups."""

    def __init__(self, world: World, count: int) -> None:
        self.world, self.count = world, count
        self._directory: _Directory | None = None

    def core(self, index: int) -> tuple[Enterprise, random.Random]:
        """The enterprise's identity and the random stream positioned for the rest of its record."""
        world, rng = self.world, self.world.rng(ENTERPRISE, index)
        chains = [world.random_chain(rng, IN_SEGMENT)]
        if rng.random() < SECOND_CHAIN:
            chains.append(world.related_chain(rng, chains[0], IN_SEGMENT))
        chains = list(dict.fromkeys(chains))
        district = world.district_draw(chains[0], CLUSTER_WEIGHT).draw(rng)
        size = SIZE_DRAW.draw(rng)
        region = CITY_REGION if size == "large" and rng.random() < 0.5 else district
        enterprise = Enterprise(index, credit_code(index, world.seed, region), brand(index, world.seed),
                                tuple(chains), district, size)
        return enterprise, rng

    def get(self, index: int) -> Enterprise:
        return self.directory.get(index)

    @property
    def directory(self) -> _Directory:
        if self._directory is None:
            self._directory = _Directory(self)
        return self._directory

    def records(self, index: int) -> tuple[dict[str, object], list[dict[str, object]], list[dict[str, object]]]:
        """The enterprise's row, its `demands` rows and its `cooperations` rows."""
        enterprise, rng = self.core(index)
        row = self._row(enterprise, rng)
        return row, list(self._demands(enterprise, rng)), list(self._cooperations(enterprise, rng))

    def _row(self, enterprise: Enterprise, rng: random.Random) -> dict[str, object]:
        division, words, _ = self.world.profile(enterprise.chains[0])
        large = enterprise.size == "large"
        suffix = rng.choice(("股份有限公司", "集团有限公司")) if large else "有限公司"
        return {
            "uscc": enterprise.uscc, "name": f"{SYNTHETIC_MARK}上海{enterprise.brand}{rng.choice(words)}{suffix}",
            "size": enterprise.size, "ownership": OWNERSHIP_DRAW.draw(rng),
            "integration_level": INTEGRATION_DRAW[large].draw(rng),
            "leading": (large and rng.random() < 0.5) or (enterprise.size == "medium" and rng.random() < 0.05),
            "industry_code": division, "district": enterprise.district, "chains": list(enterprise.chains),
        }

    def _demands(self, enterprise: Enterprise, rng: random.Random) -> Iterator[dict[str, object]]:
        (low, high), (fewest, most), _ = DEMAND_SHAPE[enterprise.size]
        for discipline in self.world.pool_draw(enterprise.chains[0]).sample(rng, rng.randint(low, high)):
            first, openings = rng.choice(YEARS[:3]), rng.randint(fewest, most)
            level = self.world.disciplines[discipline]["level"]
            for year in YEARS:
                if year >= first and rng.random() < 0.85:
                    wanted = max(1, round(openings * (1 + 0.06 * (year - first)) * rng.uniform(0.8, 1.2)))
                    yield {"enterprise": enterprise.uscc, "discipline": discipline, "year": year,
                           "openings": wanted, "level": level}

    def _cooperations(self, enterprise: Enterprise, rng: random.Random) -> Iterator[dict[str, object]]:
        _, _, (low, high) = DEMAND_SHAPE[enterprise.size]
        schools = self.world.school_draw(enterprise.chains[0], enterprise.district, NEAR_WEIGHT)
        for school in schools.sample(rng, rng.randint(low, high)):
            yield {"school": school, "enterprise": enterprise.uscc, "since": rng.randint(2008, YEARS[-1]),
                   "kinds": KIND_DRAW.sample(rng, rng.randint(1, 3))}

    def sample(self, rng: random.Random, chain: str, k: int) -> list[Enterprise]:
        """k distinct enterprises of the chain or its segments (fewer if it has fewer)."""
        members = self.directory.in_chain(chain)
        picks = rng.sample(range(len(members)), min(k, len(members)))
        return [self.get(members[pick]) for pick in picks]

    def pick_large(self, rng: random.Random, chain: str | None = None, tries: int = 4) -> Enterprise:
        """A random enterprise (of the chain, if given), preferring large and medium ones."""
        members = self.directory.in_chain(chain) if chain else range(self.count)
        enterprise = self.get(members[rng.randrange(len(members))])
        for _ in range(tries - 1):
            if enterprise.size in ("large", "medium"):
                break
            enterprise = self.get(members[rng.randrange(len(members))])
        return enterprise


class _Directory:
    """What other records need to know about every enterprise, in compact arrays."""

    def __init__(self, enterprises: Enterprises) -> None:
        world = enterprises.world
        self.seed = world.seed
        self.usccs: list[str] = []
        self.combos: dict[tuple[str, ...], int] = {}
        self.combo_ids, self.district_ids, self.size_ids = array("H"), array("B"), array("B")
        self.by_chain: dict[str, array[int]] = {code: array("q") for code in world.chains}
        for index in range(enterprises.count):
            self._add(index, enterprises.core(index)[0], world)
        self.chain_combos = list(self.combos)
        self.districts = world.districts
        self.everyone = range(enterprises.count)

    def _add(self, index: int, enterprise: Enterprise, world: World) -> None:
        self.usccs.append(enterprise.uscc)
        self.combo_ids.append(self.combos.setdefault(enterprise.chains, len(self.combos)))
        self.district_ids.append(world.districts.index(enterprise.district))
        self.size_ids.append(SIZE_NAMES.index(enterprise.size))
        for code in sorted({code for chain in enterprise.chains for code in world.lineage(chain)}):
            self.by_chain[code].append(index)

    def get(self, index: int) -> Enterprise:
        return Enterprise(index, self.usccs[index], brand(index, self.seed), self.chain_combos[self.combo_ids[index]],
                          self.districts[self.district_ids[index]], SIZE_NAMES[self.size_ids[index]])

    def in_chain(self, chain: str) -> Sequence[int]:
        """Indexes of the enterprises in the chain or any of its segments (everyone if none is)."""
        return self.by_chain.get(chain) or self.everyone
