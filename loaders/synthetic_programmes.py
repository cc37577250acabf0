"""Synthetic mentors, bases, alliances, projects and courses, each a pure function of
(seed, index) over the world and its enterprises."""

from __future__ import annotations

import random
from typing import cast

from loaders.synthetic_enterprises import Enterprise, Enterprises
from loaders.synthetic_vocab import (
    BASE_LEVELS,
    BASE_PROGRAMS,
    BASE_TYPE_WORDS,
    BASE_TYPES,
    COURSE_LEVELS,
    COURSE_TOPICS,
    DEGREE_DISCIPLINES,
    DEGREE_LEVELS,
    DEGREE_SCHOOLS,
    DEGREE_WORDS,
    GIVEN_CHARS,
    IN_SEGMENT,
    MENTOR_POOL_SHARE,
    MENTOR_ROLES,
    MENTOR_TIERS,
    PROGRAM_WORDS,
    PROJECT_SHAPE,
    PROJECT_TYPE_WORDS,
    SCHOOL_DISCIPLINE_LEVELS,
    SURNAMES,
    SYNTHETIC_MARK,
    YEARS,
)
from loaders.synthetic_world import ALLIANCE, BASE, COURSE, MENTOR, PROJECT, Weighted, World

Record = dict[str, object]
PLAN_END = YEARS[-1]
TIER_DRAW = Weighted(MENTOR_TIERS)
SCHOOLS_PER_MENTOR = Weighted(((1, 0.7), (2, 0.25), (3, 0.05)))
BASE_TYPE_DRAW, BASE_LEVEL_DRAW = Weighted(BASE_TYPES), Weighted(BASE_LEVELS)
DEGREE_DRAW, COURSE_LEVEL_DRAW = Weighted(DEGREE_LEVELS), Weighted(COURSE_LEVELS)
PROJECT_TYPE_DRAW = {degree: Weighted(types) for degree, (types, _, _) in PROJECT_SHAPE.items()}
NEW_PROJECT_STATUS = Weighted((("proposed", 0.1), ("approved", 0.3), ("running", 0.6)))


def mentor_id(index: int) -> str:
    return f"SYN-M-{index + 1:07d}"


def base_id(index: int) -> str:
    return f"SYN-B-{index + 1:06d}"


def alliance_id(index: int) -> str:
    return f"SYN-A-{index + 1:05d}"


def project_id(index: int) -> str:
    return f"SYN-P-{index + 1:06d}"


def course_id(index: int) -> str:
    return f"SYN-C-{index + 1:06d}"


class Programmes:
    """Generates the records that tie schools and enterprises together."""

    def __init__(self, world: World, enterprises: Enterprises, base_count: int) -> None:
        self.world, self.enterprises, self.base_count = world, enterprises, base_count

    def _disciplines(self, rng: random.Random, chain: str, levels: tuple[str, ...], school: str, k: int) -> list[str]:
        """k disciplines the chain needs at these levels, preferring those the school offers."""
        draw = self.world.pool_draw(chain, levels)
        offered = self.world.offered_set(school)
        preferred = [code for code in draw.sample(rng, k + 2) if code in offered]
        return sorted(preferred[:k]) or draw.sample(rng, k)

    # mentors ------------------------------------------------------------------------------

    def mentor(self, index: int) -> tuple[Record, list[Record]]:
        """A mentor row and its `mentorships` rows. Contact details are fake by construction:
        `.example` is a reserved domain and +86-100 is no mobile prefix."""
        rng = self.world.rng(MENTOR, index)
        employer = self.enterprises.get(rng.randrange(self.enterprises.count))
        tier = TIER_DRAW.draw(rng)
        disciplines = self.world.pool_draw(employer.chains[0]).sample(rng, rng.randint(1, 3))
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.randint(1, 2)))
        row: Record = {
            "id": mentor_id(index), "name": SYNTHETIC_MARK + name, "tier": tier,
            "in_municipal_pool": rng.random() < MENTOR_POOL_SHARE[tier],
            "email": f"mentor{index + 1:07d}@chanjiao.example",
            "phone": f"+86-100-{index // 10_000 % 10_000:04d}-{index % 10_000:04d}",
            "employer": employer.uscc, "disciplines": disciplines,
        }
        return row, self._mentorships(rng, str(row["id"]), employer, disciplines, tier)

    def _mentorships(self, rng: random.Random, mentor: str, employer: Enterprise, disciplines: list[str],
                     tier: str) -> list[Record]:
        """Schools that teach one of the mentor's disciplines (or serve the employer's chain)."""
        schools: dict[str, None] = {}
        for _ in range(SCHOOLS_PER_MENTOR.draw(rng)):
            candidates = self.world.offering_schools.get(rng.choice(disciplines))
            candidates = candidates or self.world.chain_schools[employer.chains[0]]
            schools[rng.choice(candidates)] = None
        return [{"mentor": mentor, "school": school, "since": rng.randint(2015, PLAN_END), "role": MENTOR_ROLES[tier]}
                for school in schools]

    # bases --------------------------------------------------------------------------------

    def base(self, index: int) -> Record:
        rng = self.world.rng(BASE, index)
        host = self.enterprises.pick_large(rng)
        chain = host.chains[0]
        candidates = self.world.chain_schools[chain]
        schools = rng.sample(candidates, min(1 if rng.random() < 0.75 else 2, len(candidates)))
        lead = self.world.school_by_code[schools[0]]
        base_type = BASE_TYPE_DRAW.draw(rng)
        program = self._program(rng, lead)
        district = host.district if rng.random() < 0.8 or not lead["district"] else lead["district"]
        levels = SCHOOL_DISCIPLINE_LEVELS[lead["level"]]
        title = PROGRAM_WORDS.get(program) or BASE_TYPE_WORDS[base_type]
        return {
            "id": base_id(index), "name": f"{SYNTHETIC_MARK}{lead['name']}—{host.brand}{self.world.chains[chain].name}{title}",
            "type": base_type, "program": program, "level": BASE_LEVEL_DRAW.draw(rng),
            "capacity": rng.randint(20, 300), "district": district, "host": host.uscc, "schools": schools,
            "chains": [chain], "disciplines": self._disciplines(rng, chain, levels, lead["code"], rng.randint(1, 3)),
        }

    @staticmethod
    def _program(rng: random.Random, school: dict[str, str]) -> str:
        draw, program = rng.random(), "other"
        for option, share in BASE_PROGRAMS[school["level"]]:
            if draw < share:
                program = option
                break
            draw -= share
        if program == "future_technology_college" and school["double_first_class"] != "true":
            program = "modern_industry_college"  # future-technology colleges are at leading universities
        return program

    # alliances ----------------------------------------------------------------------------

    def alliance(self, index: int) -> tuple[Record, list[Record]]:
        """An alliance and its `memberships`: the first ones serve one top-level chain each."""
        rng = self.world.rng(ALLIANCE, index)
        tops = self.world.tops.items
        chain = tops[index] if index < len(tops) else rng.choice(list(self.world.chains))
        place = "上海" if index < len(tops) else self.world.district_names[rng.choice(self.world.districts)]
        row: Record = {"id": alliance_id(index), "founded": rng.randint(2016, 2024), "chains": [chain],
                       "name": f"{SYNTHETIC_MARK}{place}{self.world.chains[chain].name}产教融合协同育人联盟"}
        candidates = self.world.chain_schools[chain]
        schools = rng.sample(candidates, min(rng.randint(3, 8), len(candidates)))
        firms = [firm.uscc for firm in self.enterprises.sample(rng, chain, rng.randint(8, 20))]
        members = schools + firms if rng.random() < 0.6 else firms + schools
        return row, [{"member": member, "alliance": row["id"], "role": "lead" if position == 0 else "member"}
                     for position, member in enumerate(members)]

    # projects -----------------------------------------------------------------------------

    def project(self, index: int) -> Record:
        rng = self.world.rng(PROJECT, index)
        degree = DEGREE_DRAW.draw(rng)
        _, (fewest, most), (shortest, longest) = PROJECT_SHAPE[degree]
        project_type = PROJECT_TYPE_DRAW[degree].draw(rng)
        base = self._project_base(rng, degree)
        chain, lead, firms = self._project_parties(rng, degree, base)
        start = rng.choice(YEARS)
        end = start + rng.randint(shortest, longest)
        status = self._status(rng, start, end)
        return {
            "id": project_id(index), "type": project_type, "status": status, "degree_level": degree,
            "name": f"{SYNTHETIC_MARK}{start}年{self.world.chains[chain].name}{DEGREE_WORDS[degree]}{PROJECT_TYPE_WORDS[project_type]}",
            "start_year": start, "end_year": end,
            "trained": 0 if status in ("proposed", "approved") else rng.randint(fewest, most),
            "lead_school": lead, "base": base["id"] if base else None, "enterprises": firms, "chains": [chain],
            "disciplines": self._disciplines(rng, chain, DEGREE_DISCIPLINES[degree], lead, rng.randint(1, 2)),
        }

    def _project_base(self, rng: random.Random, degree: str) -> Record | None:
        """Half the projects run at a base whose lead school suits the degree level."""
        if self.base_count == 0 or rng.random() < 0.5:
            return None
        for _ in range(3):
            base = self.base(rng.randrange(self.base_count))
            school = self.world.school_by_code[cast(list[str], base["schools"])[0]]
            if school["level"] in DEGREE_SCHOOLS[degree]:
                return base
        return None

    def _project_parties(self, rng: random.Random, degree: str, base: Record | None) -> tuple[str, str, list[str]]:
        """(chain, lead school, enterprise credit codes) of a project."""
        if base is not None:
            chain, lead = cast(list[str], base["chains"])[0], cast(list[str], base["schools"])[0]
            firms = [str(base["host"])]
        else:
            chain = self.world.random_chain(rng, IN_SEGMENT)
            lead = self._lead_school(rng, chain, degree)
            firms = []
        for firm in self.enterprises.sample(rng, chain, rng.randint(0, 2)):
            if firm.uscc not in firms:
                firms.append(firm.uscc)
        return chain, lead, firms or [self.enterprises.pick_large(rng, chain).uscc]

    def _lead_school(self, rng: random.Random, chain: str, degree: str) -> str:
        levels = DEGREE_SCHOOLS[degree]
        schools = self.world.schools_of_levels(self.world.chain_schools[chain], levels)
        schools = schools or self.world.schools_of_levels(list(self.world.school_by_code), levels)
        if degree == "doctoral":  # doctoral training sits at research universities
            schools = [code for code in schools if self.world.school_by_code[code]["double_first_class"] == "true"] or schools
        return rng.choice(schools)

    @staticmethod
    def _status(rng: random.Random, start: int, end: int) -> str:
        if end < PLAN_END:
            return "evaluated" if rng.random() < 0.4 else "completed"
        if start == PLAN_END:
            return NEW_PROJECT_STATUS.draw(rng)
        return "running"

    # courses ------------------------------------------------------------------------------

    def course(self, index: int) -> Record:
        rng = self.world.rng(COURSE, index)
        school = self.world.schools[rng.randrange(len(self.world.schools))]
        disciplines = self.world.course_draw(school["code"]).sample(rng, rng.randint(1, 2))
        chains = self.world.needed_by.get(disciplines[0], ()) if disciplines else ()
        firms = self.enterprises.sample(rng, rng.choice(chains), rng.randint(0, 2)) if chains else []
        topic = rng.choice(COURSE_TOPICS)
        subject = self.world.disciplines[disciplines[0]]["name"] if disciplines else school["name"]
        return {
            "id": course_id(index), "name": f"{SYNTHETIC_MARK}{subject}{topic}",
            "level": COURSE_LEVEL_DRAW.draw(rng), "year": rng.choice(YEARS), "school": school["code"],
            "enterprises": [firm.uscc for firm in firms], "disciplines": disciplines,
        }
