"""Progress against the action plan's "百千万" targets (plan §12): each year 100 doctoral-level,
1,000 master's-level and 10,000 skilled (技术技能型) people trained for the industries' shortages.

Counted from collaborative projects' `trained`: a project's trainees are spread evenly over its
years `start_year`..`end_year` (just `start_year` without an end); projects with no start year,
no `trained`, or still `proposed` count nothing. Doctoral and master's targets count projects of
`degree_level` doctoral and master; the skilled target counts bachelor and vocational projects
(the plan's training camps at universities and vocational colleges; on-the-job training is a
separate line of the plan). With `chain`, only projects SERVING the chain or a chain PART_OF it
count; the breakdown covers each of its direct parts (without a chain: each top-level chain),
every project counted once per part.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from graph.filters import Related
from graph.insights import TrainedRow
from graph.records import Direction, Node, NodeRef
from graph.store import GraphStore
from queries.checks import check_chain, check_years

PLAN_TARGETS = {"doctoral": 100, "master": 1000, "skilled": 10_000}
TARGET_LEVELS = {"doctoral": ("doctoral",), "master": ("master",), "skilled": ("bachelor", "vocational")}
ALL = "*"
DIGITS = 6  # float sums are rounded so both stores report the same figures


@dataclass(frozen=True)
class TargetProgress:
    target: str
    degree_levels: tuple[str, ...]
    goal: int
    trained: float
    progress: float


@dataclass(frozen=True)
class YearTargets:
    year: int
    targets: list[TargetProgress]


@dataclass(frozen=True)
class ChainTargets:
    chain: Node
    years: list[YearTargets]


@dataclass(frozen=True)
class PlanTargets:
    chain: Node | None
    years: list[YearTargets]
    by_chain: list[ChainTargets]
    method: str


def plan_targets(store: GraphStore, from_year: int, to_year: int, chain: str | None = None) -> PlanTargets:
    years = check_years(from_year, to_year)
    check_chain(store, chain)
    parts = chain_parts(store, chain)
    groups: dict[str, str | None] = {ALL: chain, **{part.key: part.key for part in parts}}
    rows = store.insights().trained(years, groups)
    by_group: dict[str, list[TrainedRow]] = defaultdict(list)
    for row in rows:
        by_group[row.group].append(row)
    node = store.get_nodes("IndustryChain", [chain]).get(chain) if chain else None
    return PlanTargets(
        node,
        progress_by_year(by_group[ALL], years),
        [ChainTargets(part, progress_by_year(by_group[part.key], years)) for part in parts],
        method_text(chain, years),
    )


def chain_parts(store: GraphStore, chain: str | None) -> list[Node]:
    """The chain's direct parts, or the top-level chains without one, by code."""
    if chain is None:
        top = Related("PART_OF", Direction.OUT, "IndustryChain", none=True)
        return store.find_nodes("IndustryChain", top).nodes
    found = store.neighbours([NodeRef("IndustryChain", chain)], "PART_OF", Direction.IN)
    return sorted((hit.node for hits in found.values() for hit in hits), key=lambda node: node.key)


def progress_by_year(rows: list[TrainedRow], years: list[int]) -> list[YearTargets]:
    trained: dict[tuple[int, str], float] = defaultdict(float)
    for row in rows:
        trained[(row.year, row.degree_level)] += row.trained
    return [
        YearTargets(year, [progress(name, sum(trained[(year, level)] for level in TARGET_LEVELS[name])) for name in PLAN_TARGETS])
        for year in years
    ]


def progress(name: str, trained: float) -> TargetProgress:
    goal = PLAN_TARGETS[name]
    trained = round(trained, DIGITS)
    return TargetProgress(name, TARGET_LEVELS[name], goal, trained, round(trained / goal, DIGITS))


def method_text(chain: str | None, years: list[int]) -> str:
    scope = f"projects serving chain {chain} or a chain part of it" if chain else "all projects"
    return (
        f"百千万 targets {years[0]}–{years[-1]} from {scope}: each project's `trained` spread evenly over its years "
        "(start_year to end_year), proposed projects excluded. Targets a year: doctoral 100 (degree_level doctoral), "
        "master 1,000 (master), skilled 10,000 (bachelor and vocational); progress = trained / target."
    )
