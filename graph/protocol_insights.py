"""`InsightSource` over the `GraphStore` protocol's public reads (`get_nodes`, `find_nodes`,
`neighbours`): the embedded store answers these in process, so a query made of a handful of
batched neighbour reads is cheap. Works with any store; Neo4j has its own Cypher version."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graph.filters import Compare, Op
from graph.indicators import IndicatorCounts, Measure
from graph.insights import (
    COVERAGE_RELS,
    YEARLY_RELS,
    AmountRow,
    Counted,
    CoverageCell,
    CoverageFacts,
    CoverageInputs,
    SupplyDemandFacts,
    TrainedRow,
)
from graph.model import NODE_KINDS, REL_KINDS
from graph.protocol_indicators import indicator_counts
from graph.protocol_matching import ProtocolMatching, amount
from graph.records import Direction, Neighbour, Node, NodeRef, Rel
from graph.store import GraphStore

OUT, IN = Direction.OUT, Direction.IN
TRAINING_CAMP = "training_camp"


@dataclass(frozen=True)
class Flow:
    """One DEMANDS or OFFERS relationship: its holder (enterprise or school), discipline, year,
    amount, source and whether it is synthetic."""

    holder: str
    discipline: Node
    year: int
    amount: int
    source: str | None
    synthetic: bool = False


def refs(label: str, keys: Iterable[str]) -> list[NodeRef]:
    return [NodeRef(label, key) for key in sorted(set(keys))]


def year_filter(years: Sequence[int] | None) -> Compare | None:
    return None if years is None else Compare("year", Op.IN, list(years))


SYNTHETIC = Compare("synthetic", Op.EQ, True)


def counted(rels: Iterable[Rel]) -> Counted:
    count = made_up = 0
    for rel in rels:
        count += 1
        made_up += rel.props.get("synthetic") is True
    return Counted(count, made_up)


class ProtocolInsights(ProtocolMatching):
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    # -- shared reads ------------------------------------------------------------------------

    def linked(self, label: str, keys: Iterable[str], rel_type: str, direction: Direction, other: str) -> dict[str, list[Node]]:
        """For each key, its neighbours of label `other` over `rel_type`."""
        found = self.store.neighbours(refs(label, keys), rel_type, direction)
        return {ref.key: [n.node for n in hits if n.node.label == other] for ref, hits in found.items()}

    def districts_of(self, label: str, keys: Iterable[str]) -> dict[str, str]:
        located = self.linked(label, keys, "LOCATED_IN", OUT, "District")
        return {key: nodes[0].key for key, nodes in located.items() if nodes}

    def all_keys(self, label: str) -> list[str]:
        return [node.key for node in self.store.find_nodes(label).nodes]

    def chain_subtree(self, code: str) -> tuple[str, ...]:
        if not self.store.get_nodes("IndustryChain", [code]):
            return ()
        found, frontier = {code}, [code]
        while frontier:
            parts = self.linked("IndustryChain", frontier, "PART_OF", IN, "IndustryChain")
            frontier = [node.key for nodes in parts.values() for node in nodes if node.key not in found]
            found.update(frontier)
        return tuple(sorted(found))

    def needs(self, chains: Sequence[str] | None) -> dict[str, list[Node]]:
        """Chain code → the disciplines it NEEDS (every chain when `chains` is None)."""
        chains = self.all_keys("IndustryChain") if chains is None else chains
        return self.linked("IndustryChain", chains, "NEEDS", OUT, "Discipline")

    # -- talentGap ---------------------------------------------------------------------------

    def yearly(self, label: str, keys: Iterable[str], rel_type: str, years: Sequence[int]) -> list[Neighbour]:
        """DEMANDS or OFFERS of `years`, from their holders (enterprises, schools) or into disciplines."""
        direction = IN if label == "Discipline" else OUT
        found = self.store.neighbours(refs(label, keys), rel_type, direction, year_filter(years))
        return [hit for hits in found.values() for hit in hits]

    @staticmethod
    def flows(hits: Iterable[Neighbour], wanted: Mapping[str, Node]) -> list[Flow]:
        """The relationships into the `wanted` disciplines as flows."""
        return [
            Flow(hit.rel.source.key, wanted[hit.rel.target.key], int(hit.rel.props["year"]),
                 amount(hit), hit.rel.props.get("source"), hit.rel.props.get("synthetic") is True)
            for hit in hits
            if hit.rel.target.key in wanted
        ]

    def supply_demand(
        self,
        years: Sequence[int],
        chain: str | None,
        districts: Sequence[str] | None,
        level: str | None,
        by_district: bool,
    ) -> SupplyDemandFacts:
        chain_node, chains, scope = None, None, None
        if chain is None:
            where = None if level is None else Compare("level", Op.EQ, level)
            wanted = {node.key: node for node in self.store.find_nodes("Discipline", where).nodes}
            demand = self.flows(self.yearly("Discipline", wanted, "DEMANDS", years), wanted)
        else:
            chain_node = self.store.get_nodes("IndustryChain", [chain]).get(chain)
            chains = self.chain_subtree(chain)
            demand, scope, wanted = self.chain_demand(chains, years, level)
        # From the schools' side: they are few, while a discipline's relationships grow with demand.
        supply = self.flows(self.yearly("School", self.all_keys("School"), "OFFERS", years), wanted)
        demand_rows, demand_sources = self.amounts(demand, "Enterprise", districts, by_district)
        supply_rows, supply_sources = self.amounts(supply, "School", districts, by_district)
        named = {row.discipline for row in [*demand_rows, *supply_rows]}
        named.update(*(scope or {}).values())
        return SupplyDemandFacts(
            chain_node, chains, scope, demand_rows, supply_rows, {code: wanted[code] for code in named},
            frozenset(demand_sources | supply_sources),
        )

    def chain_demand(
        self, chains: Sequence[str], years: Sequence[int], level: str | None
    ) -> tuple[list[Flow], dict[int, frozenset[str]], dict[str, Node]]:
        """The demand of the subtree's enterprises, each year's scope (needed ∪ demanded) and the
        disciplines of all scopes (of `level` if given)."""
        def keep(node: Node) -> bool:
            return level is None or node.props.get("level") == level

        wanted = {node.key: node for nodes in self.needs(chains).values() for node in nodes if keep(node)}
        needed = set(wanted)
        members = self.linked("IndustryChain", chains, "IN_CHAIN", IN, "Enterprise")
        enterprises = {node.key for nodes in members.values() for node in nodes}
        hits = self.yearly("Enterprise", enterprises, "DEMANDS", years)
        wanted.update((hit.node.key, hit.node) for hit in hits if keep(hit.node))
        demand = self.flows(hits, wanted)
        scope = {year: frozenset(needed | {f.discipline.key for f in demand if f.year == year}) for year in years}
        return demand, scope, wanted

    def amounts(
        self, flows: list[Flow], holder: str, districts: Sequence[str] | None, by_district: bool
    ) -> tuple[list[AmountRow], set[str]]:
        """Flows summed per (year, district, discipline), keeping holders located in `districts`.
        A holder located in several districts counts in each, as a match on LOCATED_IN would."""
        located = districts is not None or by_district
        placed = self.linked(holder, {flow.holder for flow in flows}, "LOCATED_IN", OUT, "District") if located else {}
        totals: dict[tuple[int, str | None, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        sources: set[str] = set()
        for flow in flows:
            places: list[str | None] = [node.key for node in placed.get(flow.holder, ())] or [None]
            counted = [place for place in places if districts is None or place in districts]
            for district in counted:
                total = totals[(flow.year, district if by_district else None, flow.discipline.key)]
                total[0] += flow.amount
                total[1] += 1
                total[2] += flow.synthetic
            if flow.source and counted:
                sources.add(flow.source)
        rows = [AmountRow(year, district, code, *total) for (year, district, code), total in totals.items()]
        return rows, sources

    # -- coverageGaps ------------------------------------------------------------------------

    def needed_by(self, chains: Sequence[str] | None) -> dict[str, set[str]]:
        """Discipline code → the chains (of `chains`, or all) that NEED it."""
        needing: dict[str, set[str]] = defaultdict(set)
        for chain, nodes in self.needs(chains).items():
            for node in nodes:
                needing[node.key].add(chain)
        return needing

    def offering_schools(self, codes: Iterable[str], year: int | None) -> dict[str, set[str]]:
        found = self.store.neighbours(refs("Discipline", codes), "OFFERS", IN, year_filter(None if year is None else [year]))
        return {ref.key: {hit.node.key for hit in hits} for ref, hits in found.items()}

    def in_districts(self, label: str, keys: set[str], districts: Sequence[str] | None) -> set[str]:
        if districts is None:
            return keys
        placed = self.linked(label, keys, "LOCATED_IN", OUT, "District")
        return {key for key in keys if any(node.key in districts for node in placed.get(key, ()))}

    def disciplines_not_offered(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None, year: int | None
    ) -> list[CoverageCell]:
        needing = self.needed_by(chains)
        offering = self.offering_schools(needing, year)
        schools = self.in_districts("School", set().union(*offering.values()), districts)
        return [
            CoverageCell(code, tuple(sorted(needing[code])))
            for code in sorted(needing)
            if not offering.get(code, set()) & schools
        ]

    def base_presence(self, chains: Sequence[str]) -> dict[str, set[tuple[str, str]]]:
        served = self.linked("IndustryChain", self.all_keys("IndustryChain"), "SERVES", IN, "Base")
        placed = self.districts_of("Base", {base.key for bases in served.values() for base in bases})
        cells: dict[str, set[tuple[str, str]]] = {}
        for chain in chains:
            bases = [base for part in self.chain_subtree(chain) for base in served.get(part, [])]
            cells[chain] = {(placed[b.key], str(b.props.get("type"))) for b in bases if b.key in placed}
        return cells

    def zone_districts(self) -> dict[str, tuple[str, ...]]:
        covers = self.linked("Zone", self.all_keys("Zone"), "COVERS", OUT, "District")
        return {zone: tuple(sorted(node.key for node in nodes)) for zone, nodes in covers.items()}

    def schools_without_mentor(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None, year: int | None
    ) -> list[CoverageCell]:
        offering = self.offering_schools(self.needed_by(chains), year)
        offered: dict[str, set[str]] = defaultdict(set)
        for code, schools in offering.items():
            for school in schools:
                offered[school].add(code)
        schools = self.in_districts("School", set(offered), districts)
        mentored = self.store.count_neighbours(refs("School", schools), "MENTORS_AT", IN)
        return [
            CoverageCell(school, tuple(sorted(offered[school])))
            for school in sorted(schools)
            if mentored[NodeRef("School", school)] == 0
        ]

    def chains_without_alliance(self, chains: Sequence[str] | None) -> list[CoverageCell]:
        chains = self.all_keys("IndustryChain") if chains is None else chains
        served = self.linked("IndustryChain", chains, "SERVES", IN, "Alliance")
        return [CoverageCell(chain) for chain in sorted(served) if not served[chain]]

    def enterprises_without_alliance(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None
    ) -> list[CoverageCell]:
        chains = self.all_keys("IndustryChain") if chains is None else chains
        chains_of: dict[str, set[str]] = defaultdict(set)
        for chain, members in self.linked("IndustryChain", chains, "IN_CHAIN", IN, "Enterprise").items():
            for member in members:
                chains_of[member.key].add(chain)
        enterprises = self.in_districts("Enterprise", set(chains_of), districts)
        memberships = self.store.count_neighbours(refs("Enterprise", enterprises), "MEMBER_OF", OUT)
        return [
            CoverageCell(uscc, tuple(sorted(chains_of[uscc])))
            for uscc in sorted(enterprises)
            if memberships[NodeRef("Enterprise", uscc)] == 0
        ]

    def coverage_inputs(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None, year: int | None
    ) -> CoverageInputs:
        offers = self.store.neighbours(refs("Discipline", self.needed_by(chains)), "OFFERS", IN,
                                       year_filter(None if year is None else [year]))
        schools = self.in_districts("School", {hit.node.key for hits in offers.values() for hit in hits}, districts)
        chain_keys = self.all_keys("IndustryChain") if chains is None else chains
        serves = self.store.neighbours(refs("IndustryChain", chain_keys), "SERVES", IN)
        members = self.linked("IndustryChain", chain_keys, "IN_CHAIN", IN, "Enterprise")
        enterprises = self.in_districts("Enterprise", {node.key for nodes in members.values() for node in nodes}, districts)
        found = {
            "OFFERS": counted(hit.rel for hits in offers.values() for hit in hits if hit.node.key in schools),
            "SERVES": counted(hit.rel for hits in serves.values() for hit in hits if hit.node.label in ("Base", "Alliance")),
            "MENTORS_AT": counted(self.rels_of("School", schools, "MENTORS_AT", IN)),
            "MEMBER_OF": counted(self.rels_of("Enterprise", enterprises, "MEMBER_OF", OUT)),
        }
        return CoverageInputs({rel: found[rel] for rel in COVERAGE_RELS})

    def rels_of(self, label: str, keys: Iterable[str], rel_type: str, direction: Direction) -> list[Rel]:
        return [hit.rel for hits in self.store.neighbours(refs(label, keys), rel_type, direction).values() for hit in hits]

    # -- dataCoverage ------------------------------------------------------------------------

    def coverage_facts(self) -> CoverageFacts:
        nodes = {kind.label: Counted(self.store.count_nodes(kind.label), self.store.count_nodes(kind.label, SYNTHETIC))
                 for kind in NODE_KINDS}
        relationships, years = {}, {}
        for kind in REL_KINDS:
            rels = [rel for label in kind.sources for rel in self.rels_of(label, self.all_keys(label), kind.type, OUT)]
            relationships[kind.type] = counted(rels)
            if kind.type in YEARLY_RELS:
                by_year: dict[int, list[Rel]] = defaultdict(list)
                for rel in rels:
                    by_year[int(rel.props["year"])].append(rel)
                years[kind.type] = {year: counted(found) for year, found in sorted(by_year.items())}
        return CoverageFacts(nodes, relationships, years)

    # -- plan targets ------------------------------------------------------------------------

    def trained(self, years: Sequence[int], groups: Mapping[str, str | None]) -> list[TrainedRow]:
        rows: list[TrainedRow] = []
        for group, chain in groups.items():
            if chain is None:
                projects = self.store.find_nodes("Project").nodes
            else:
                serving = self.linked("IndustryChain", self.chain_subtree(chain), "SERVES", IN, "Project")
                projects = list({node.key: node for nodes in serving.values() for node in nodes}.values())
            rows += trained_rows(group, projects, years)
        return rows

    # -- indicators --------------------------------------------------------------------------

    def indicator_counts(self, measures: Sequence[Measure]) -> list[IndicatorCounts]:
        return [indicator_counts(self.store, measure) for measure in measures]


def trained_rows(group: str, projects: Iterable[Node], years: Sequence[int]) -> list[TrainedRow]:
    """Each project's `trained` spread over its years [start_year, end_year] in whole people."""
    totals: dict[tuple[int, str, bool, bool], list[int]] = defaultdict(lambda: [0, 0])
    for project in projects:
        props = project.props
        start, trained = props.get("start_year"), props.get("trained")
        if start is None or not trained or props.get("status") == "proposed":
            continue
        end = max(start, props.get("end_year") or start)
        kind = (props.get("degree_level") or "unspecified", props.get("type") == TRAINING_CAMP, props.get("synthetic") is True)
        for year in years:
            if start <= year <= end:
                total = totals[(year, *kind)]
                total[0] += spread(int(trained), start, end, year)
                total[1] += 1
    return [TrainedRow(group, year, level, camp, synthetic, trained, count)
            for (year, level, camp, synthetic), (trained, count) in sorted(totals.items())]


def spread(trained: int, start: int, end: int, year: int) -> int:
    """A project's trainees in `year` of its years `start`..`end`, in whole people; the remainder
    goes to the first years (`graph.neo4j.cypher.insights.TRAINED` does the same on Neo4j)."""
    span = end - start + 1
    return trained // span + (1 if year - start < trained % span else 0)
