"""Progress against the action plan's "百千万" targets: 沪教委高〔2021〕64号《上海市深化产教融合协同育人
行动计划(2021-2025年)》, §12 (实施"百千万"产业紧缺人才培养专项).

The plan sets three targets, of two kinds:
- doctoral: 100 doctoral-level talents over the plan period 2021–2025 (not a year);
- master: 1,000 master's-level talents over the plan period;
- skilled: at least 10,000 skilled (技术技能型) people trained a year, through the
  产教融合职业训练营 that universities and vocational colleges run: training camps only.

Counted from collaborative projects' `trained`: skilled counts every project of type
`training_camp`; doctoral and master count projects of `degree_level` doctoral or master that are
not training camps. A project's trainees are spread over its years `start_year`..`end_year` (just
`start_year` without an end) in whole people, the remainder going to its first years (10 over three
years: 4, 3, 3); projects with no start year, no `trained`, or still `proposed` count nothing.
Over the years asked, a period target compares everyone trained with its goal; a yearly target
compares each year with its goal (`years_met`) and the sum with the goal times the years.
With `chain`, only projects SERVING the chain or a chain PART_OF it count; the breakdown covers
each of its direct parts (without a chain: each top-level chain), every project counted once per
part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from graph.filters import Related
from graph.insights import TrainedRow
from graph.records import Direction, Node, NodeRef
from graph.store import GraphStore
from queries.checks import check_chain, check_years
from queries.synthetic import SyntheticShare

ALL = "*"
PLAN = "沪教委高〔2021〕64号《上海市深化产教融合协同育人行动计划(2021-2025年)》§12"
PLAN_PERIOD = (2021, 2025)
DIGITS = 6
TRAINING_CAMP = "training_camp"


class Basis(StrEnum):
    PERIOD = "PERIOD"  # the goal is for the whole plan period
    YEAR = "YEAR"  # the goal is for every year


@dataclass(frozen=True)
class Target:
    name: str
    goal: int
    basis: Basis
    counts: str
    degree_level: str | None  # None: training camps of any degree level

    def counts_row(self, row: TrainedRow) -> bool:
        if self.degree_level is None:
            return row.training_camp
        return not row.training_camp and row.degree_level == self.degree_level


TARGETS = (
    Target("doctoral", 100, Basis.PERIOD, "projects of degree_level doctoral, training camps excepted", "doctoral"),
    Target("master", 1000, Basis.PERIOD, "projects of degree_level master, training camps excepted", "master"),
    Target("skilled", 10_000, Basis.YEAR, "training camps (type training_camp: 产教融合职业训练营), any degree level", None),
)


@dataclass(frozen=True)
class YearTrained:
    year: int
    trained: int


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    years: list[YearTrained]
    trained: int  # over the years asked
    progress: float  # trained / goal (a yearly target: / goal × years)
    years_met: int | None  # yearly targets: the years whose trained reached the goal


@dataclass(frozen=True)
class ChainTargets:
    chain: Node
    targets: list[TargetProgress]


@dataclass(frozen=True)
class PlanTargets:
    chain: Node | None
    from_year: int
    to_year: int
    targets: list[TargetProgress]
    by_chain: list[ChainTargets]
    method: str
    synthetic: SyntheticShare


def plan_targets(store: GraphStore, from_year: int, to_year: int, chain: str | None = None) -> PlanTargets:
    years = check_years(from_year, to_year)
    check_chain(store, chain)
    parts = chain_parts(store, chain)
    groups: dict[str, str | None] = {ALL: chain, **{part.key: part.key for part in parts}}
    by_group: dict[str, list[TrainedRow]] = defaultdict(list)
    for row in store.insights().trained(years, groups):
        by_group[row.group].append(row)
    node = store.get_nodes("IndustryChain", [chain]).get(chain) if chain else None
    return PlanTargets(
        node, years[0], years[-1],
        progress_of(by_group[ALL], years),
        [ChainTargets(part, progress_of(by_group[part.key], years)) for part in parts],
        method_text(chain, years),
        input_share([row for row in by_group[ALL] if any(target.counts_row(row) for target in TARGETS)]),
    )


def chain_parts(store: GraphStore, chain: str | None) -> list[Node]:
    """The chain's direct parts, or the top-level chains without one, by code."""
    if chain is None:
        top = Related("PART_OF", Direction.OUT, "IndustryChain", none=True)
        return store.find_nodes("IndustryChain", top).nodes
    found = store.neighbours([NodeRef("IndustryChain", chain)], "PART_OF", Direction.IN)
    return sorted((hit.node for hits in found.values() for hit in hits), key=lambda node: node.key)


def progress_of(rows: list[TrainedRow], years: list[int]) -> list[TargetProgress]:
    return [target_progress(target, [row for row in rows if target.counts_row(row)], years) for target in TARGETS]


def target_progress(target: Target, rows: Iterable[TrainedRow], years: list[int]) -> TargetProgress:
    by_year: dict[int, int] = defaultdict(int)
    for row in rows:
        by_year[row.year] += row.trained
    trained = sum(by_year.values())
    if target.basis is Basis.PERIOD:
        return TargetProgress(target, yearly(by_year, years), trained, round(trained / target.goal, DIGITS), None)
    met = sum(1 for year in years if by_year[year] >= target.goal)
    return TargetProgress(target, yearly(by_year, years), trained, round(trained / (target.goal * len(years)), DIGITS), met)


def yearly(by_year: dict[int, int], years: list[int]) -> list[YearTrained]:
    return [YearTrained(year, by_year.get(year, 0)) for year in years]


def input_share(rows: Iterable[TrainedRow]) -> SyntheticShare:
    """Projects the targets counted, a project once per year it counts in (project-years), and
    the synthetic ones among them."""
    counted = made_up = 0
    for row in rows:
        counted += row.projects
        made_up += row.projects if row.synthetic else 0
    return SyntheticShare(counted, made_up, "project-years counted (a project counts once per year asked it runs in)")


def method_text(chain: str | None, years: list[int]) -> str:
    scope = f"projects serving chain {chain} or a chain part of it" if chain else "all projects"
    goals = "; ".join(
        f"{t.name} {t.goal:,} {f'over the plan period {PLAN_PERIOD[0]}–{PLAN_PERIOD[1]}' if t.basis is Basis.PERIOD else 'a year'} ({t.counts})"
        for t in TARGETS
    )
    return (
        f"百千万 targets of {PLAN}, counted {years[0]}–{years[-1]} from {scope}: {goals}. Each project's `trained` "
        "is spread over its years (start_year to end_year) in whole people, the remainder to its first years; "
        "proposed projects are left out. Progress: a period target's trained over the years asked / its goal; a yearly "
        "target's trained / (goal × years asked), with the years that reached the goal."
    )
