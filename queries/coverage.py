"""`coverageGaps`: the five kinds of empty cells of DESIGN §4, each with its count and the first
entities concerned.

With `chain`, "the chain" is that chain with every chain PART_OF it (its subtree); without, every
chain. `districts` limit the schools, enterprises and areas looked at (a zone is in scope when it
covers one of them); `year` limits offers to that year (any year otherwise).

1. disciplines_not_offered: disciplines the chains NEED that no school in scope OFFERS;
2. areas_without_base: (chain, district or zone, base type) with no base of that type SERVING the
   chain (or a chain part of it) located there (for a zone: in a district it COVERS);
3. schools_without_mentor: schools in scope offering a discipline the chains NEED with no mentor;
4. chains_without_alliance: chains no alliance SERVES (districts do not apply);
5. enterprises_without_alliance: enterprises IN_CHAIN of the chains, in scope, in no alliance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from graph.insights import CoverageCell, InsightSource
from graph.model import BASE_TYPES
from graph.records import Node
from graph.store import GraphStore
from queries.checks import check_chain, check_districts, check_first, check_year
from queries.synthetic import SyntheticShare

MAX_FIRST = 1000
T = TypeVar("T")


@dataclass(frozen=True)
class Section(Generic[T]):
    count: int
    items: list[T]


@dataclass(frozen=True)
class MissingDiscipline:
    discipline: Node
    chains: list[Node]


@dataclass(frozen=True)
class MissingBase:
    chain: Node
    area: Node
    base_type: str


@dataclass(frozen=True)
class UnmentoredSchool:
    school: Node
    disciplines: list[Node]


@dataclass(frozen=True)
class LoneEnterprise:
    enterprise: Node
    chains: list[Node]


@dataclass(frozen=True)
class CoverageGaps:
    chain: str | None
    chains: tuple[str, ...] | None
    districts: tuple[str, ...] | None
    year: int | None
    disciplines_not_offered: Section[MissingDiscipline]
    areas_without_base: Section[MissingBase]
    schools_without_mentor: Section[UnmentoredSchool]
    chains_without_alliance: Section[Node]
    enterprises_without_alliance: Section[LoneEnterprise]
    synthetic: SyntheticShare


class NodeCache:
    """Nodes fetched once per label for the entities the sections show."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.wanted: dict[str, set[str]] = defaultdict(set)
        self.found: dict[str, dict[str, Node]] = {}

    def want(self, label: str, keys: Iterable[str]) -> None:
        self.wanted[label].update(keys)

    def __call__(self, label: str, key: str) -> Node:
        if label not in self.found:
            self.found[label] = self.store.get_nodes(label, sorted(self.wanted[label]))
        return self.found[label][key]


def coverage_gaps(
    store: GraphStore,
    chain: str | None = None,
    districts: Sequence[str] | None = None,
    year: int | None = None,
    first: int = 100,
) -> CoverageGaps:
    check_first(first, MAX_FIRST)
    check_chain(store, chain)
    districts = check_districts(store, districts)
    year = None if year is None else check_year(year)
    source = store.insights()
    chains = None if chain is None else source.chain_subtree(chain)
    cells = [
        source.disciplines_not_offered(chains, districts, year),
        areas_without_base(store, source, chain, districts),
        source.schools_without_mentor(chains, districts, year),
        source.chains_without_alliance(chains),
        source.enterprises_without_alliance(chains, districts),
    ]
    nodes = NodeCache(store)
    for found, labels in zip(cells, CELL_LABELS, strict=True):
        for cell in found[:first]:
            for label, keys in labels(cell):
                nodes.want(label, keys)
    return CoverageGaps(
        chain, chains, districts, year,
        section(cells[0], first, lambda c: MissingDiscipline(nodes("Discipline", c.entity), [nodes("IndustryChain", k) for k in c.related])),
        section(cells[1], first, lambda c: MissingBase(nodes("IndustryChain", c.related[0]), nodes(c.related[1], c.entity), c.related[2])),
        section(cells[2], first, lambda c: UnmentoredSchool(nodes("School", c.entity), [nodes("Discipline", k) for k in c.related])),
        section(cells[3], first, lambda c: nodes("IndustryChain", c.entity)),
        section(cells[4], first, lambda c: LoneEnterprise(nodes("Enterprise", c.entity), [nodes("IndustryChain", k) for k in c.related])),
        input_share(source, chains, districts, year),
    )


def input_share(source: InsightSource, chains: Sequence[str] | None, districts: Sequence[str] | None,
                year: int | None) -> SyntheticShare:
    """The relationships whose presence the sections look for, in scope: OFFERS of the needed
    disciplines, SERVES of bases and alliances, MENTORS_AT of those schools, MEMBER_OF of the
    chains' enterprises; and how many were synthetic."""
    found = source.coverage_inputs(chains, districts, year).relationships
    return SyntheticShare(sum(c.total for c in found.values()), sum(c.synthetic for c in found.values()),
                          f"{', '.join(found)} relationships looked for")


Wants = list[tuple[str, Sequence[str]]]
# The nodes each section's cells show, by label.
CELL_LABELS: tuple[Callable[[CoverageCell], Wants], ...] = (
    lambda c: [("Discipline", [c.entity]), ("IndustryChain", c.related)],
    lambda c: [("IndustryChain", [c.related[0]]), (c.related[1], [c.entity])],
    lambda c: [("School", [c.entity]), ("Discipline", c.related)],
    lambda c: [("IndustryChain", [c.entity])],
    lambda c: [("Enterprise", [c.entity]), ("IndustryChain", c.related)],
)


def section(cells: list[CoverageCell], first: int, build: Callable[[CoverageCell], T]) -> Section[T]:
    return Section(len(cells), [build(cell) for cell in cells[:first]])


def areas_without_base(
    store: GraphStore, source: InsightSource, chain: str | None, districts: tuple[str, ...] | None
) -> list[CoverageCell]:
    """Cells `(area, [chain, area label, base type])` in chain, area label, area code, type order."""
    chains = [chain] if chain is not None else [node.key for node in store.find_nodes("IndustryChain").nodes]
    in_scope = list(districts) if districts is not None else [node.key for node in store.find_nodes("District").nodes]
    zones = {zone: covered for zone, covered in source.zone_districts().items() if set(covered) & set(in_scope)}
    presence = source.base_presence(chains)
    cells = []
    for code in sorted(chains):
        present = presence.get(code, set())
        areas = [("District", district, {district}) for district in sorted(in_scope)]
        areas += [("Zone", zone, set(zones[zone])) for zone in sorted(zones)]
        for label, area, covered in areas:
            have = {base_type for district, base_type in present if district in covered}
            cells += [CoverageCell(area, (code, label, t)) for t in BASE_TYPES if t not in have]
    return cells
