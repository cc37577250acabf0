"""`InsightSource` on Neo4j: every read is one or two parameterised Cypher statements
(`graph.neo4j.cypher.insights`, `graph.neo4j.cypher.matching`) that aggregate in the database, each an
auto-commit read (`Neo4jStore.read_statement`, routed to readers on `neo4j://`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.indicators import PATHS, GroupCount, Grouped, IndicatorCounts, Measure
from graph.insights import (
    COVERAGE_RELS,
    YEARLY_RELS,
    AmountRow,
    Counted,
    CoverageCell,
    CoverageFacts,
    CoverageInputs,
    MatchCandidate,
    MatchFacts,
    MatchSubject,
    Named,
    Place,
    SupplyDemandFacts,
    Ties,
    TrainedRow,
)
from graph.model import NODE_KINDS, REL_KINDS, node_kind
from graph.neo4j.cypher import insights as cq
from graph.neo4j.cypher.indicators import indicators_query
from graph.neo4j.cypher.matching import match_query
from graph.records import Node, NodeRef

if TYPE_CHECKING:  # the store hands itself in (`Neo4jStore.insights`)
    from graph.neo4j.store import Neo4jStore

Record = dict[str, Any]


def _node(label: str, props: Mapping[str, Any]) -> Node:
    return Node(label, str(props[node_kind(label).key]), dict(props))


def _place(codes: Sequence[str], districts: Mapping[str, Place]) -> Place | None:
    """A node's place: the lowest code of its districts (`districts` holds every one met)."""
    return districts[min(codes)] if codes else None


class Neo4jInsights:
    def __init__(self, store: Neo4jStore) -> None:
        self.store = store

    def read(self, query: str, params: Mapping[str, Any]) -> list[Record]:
        """One read statement. The queries return maps and lists only, so records are taken as they
        are: the driver's `Record.data()` would walk every nested value again (4 ms for a partner
        match)."""
        records: list[Record] = self.store.read_statement(query, params, lambda result: [dict(r.items()) for r in result])
        return records

    def chain_subtree(self, code: str) -> tuple[str, ...]:
        records = self.read(cq.CHAIN_SUBTREE, {"code": code})
        return tuple(sorted(records[0]["codes"])) if records else ()

    # -- talentGap ---------------------------------------------------------------------------

    def supply_demand(
        self,
        years: Sequence[int],
        chain: str | None,
        districts: Sequence[str] | None,
        level: str | None,
        by_district: bool,
    ) -> SupplyDemandFacts:
        self.store.ensure_totals()
        params = cq.gap_params(years, districts, level, by_district)
        filtered = districts is not None
        if chain is None:
            demand = self.read(cq.all_demand_query(filtered, by_district), params)
            supply = self.read(cq.all_supply_query(filtered, by_district), params)
            return self.facts(None, None, None, demand, supply)
        found = self.read(cq.chain_gap_query(filtered, by_district), {**params, "chain": chain})
        if not found:
            return SupplyDemandFacts(None, (), {}, [], [], {}, frozenset())
        record = found[0]
        scope = {year: set(record["needed"]) for year in years}
        for item in record["demand"]:
            for year, *_ in item["groups"]:
                scope[year].add(item["props"]["code"])
        frozen = {year: frozenset(codes) for year, codes in scope.items()}
        chains = tuple(sorted(record["chains"]))
        return self.facts(_node("IndustryChain", record["chain"]), chains, frozen, record["demand"], record["supply"])

    def facts(
        self, chain: Node | None, chains: tuple[str, ...] | None, scope: dict[int, frozenset[str]] | None,
        demand: list[Record], supply: list[Record],
    ) -> SupplyDemandFacts:
        disciplines: dict[str, Node] = {}
        for item in [*demand, *supply]:
            props = item["props"]  # the driver's own copy
            if props["code"] not in disciplines:
                disciplines[props["code"]] = Node("Discipline", props["code"], props)
        demand_rows, demand_sources = self.amounts(demand)
        supply_rows, supply_sources = self.amounts(supply)
        return SupplyDemandFacts(chain, chains, scope, demand_rows, supply_rows, disciplines,
                                 frozenset(demand_sources | supply_sources))

    @staticmethod
    def amounts(items: list[Record]) -> tuple[list[AmountRow], set[str]]:
        """The counted groups as rows (uncounted ones only widened the scope), and their sources."""
        rows, sources = [], set()
        for item in items:
            code = str(item["props"]["code"])
            for year, bucket, counted, amount, found, rels, made_up in item["groups"]:
                if counted:
                    rows.append(AmountRow(int(year), bucket, code, int(amount), int(rels), int(made_up)))
                    sources.update(found)
        return rows, sources

    # -- coverageGaps ------------------------------------------------------------------------

    def cells(self, query: str, params: Mapping[str, Any]) -> list[CoverageCell]:
        return [CoverageCell(str(r["entity"]), tuple(sorted(r["related"]))) for r in self.read(query, params)]

    def disciplines_not_offered(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None, year: int | None
    ) -> list[CoverageCell]:
        return self.cells(cq.DISCIPLINES_NOT_OFFERED, {"chains": _list(chains), "districts": _list(districts), "year": year})

    def base_presence(self, chains: Sequence[str]) -> dict[str, set[tuple[str, str]]]:
        found = {r["code"]: {(c[0], c[1]) for c in r["cells"]} for r in self.read(cq.BASE_PRESENCE, {"chains": list(chains)})}
        return {chain: found.get(chain, set()) for chain in chains}

    def zone_districts(self) -> dict[str, tuple[str, ...]]:
        return {r["zone"]: tuple(sorted(r["districts"])) for r in self.read(cq.ZONE_DISTRICTS, {})}

    def schools_without_mentor(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None, year: int | None
    ) -> list[CoverageCell]:
        return self.cells(cq.SCHOOLS_WITHOUT_MENTOR, {"chains": _list(chains), "districts": _list(districts), "year": year})

    def chains_without_alliance(self, chains: Sequence[str] | None) -> list[CoverageCell]:
        return self.cells(cq.CHAINS_WITHOUT_ALLIANCE, {"chains": _list(chains)})

    def enterprises_without_alliance(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None
    ) -> list[CoverageCell]:
        return self.cells(cq.ENTERPRISES_WITHOUT_ALLIANCE, {"chains": _list(chains), "districts": _list(districts)})

    def coverage_inputs(
        self, chains: Sequence[str] | None, districts: Sequence[str] | None, year: int | None
    ) -> CoverageInputs:
        found = self.read(cq.COVERAGE_INPUTS, {"chains": _list(chains), "districts": _list(districts), "year": year})[0]["counted"]
        return CoverageInputs({rel: _counted(found[rel]) for rel in COVERAGE_RELS})  # a Cypher map keeps no order

    # -- dataCoverage ------------------------------------------------------------------------

    def coverage_facts(self) -> CoverageFacts:
        record = self.read(cq.coverage_facts_query(), {})[0]
        return CoverageFacts(  # in model order: a Cypher map keeps none
            {kind.label: _counted(record["nodes"][kind.label]) for kind in NODE_KINDS},
            {kind.type: _counted(record["rels"][kind.type]) for kind in REL_KINDS},
            {rel: {int(year): Counted(int(n), int(made_up)) for year, n, made_up in sorted(record["years"][rel]) if year is not None}
             for rel in YEARLY_RELS},
        )

    # -- plan targets ------------------------------------------------------------------------

    def trained(self, years: Sequence[int], groups: Mapping[str, str | None]) -> list[TrainedRow]:
        params = {"years": list(years), "groups": [{"name": name, "chain": chain} for name, chain in groups.items()]}
        rows = [TrainedRow(r["group"], int(r["year"]), r["level"], bool(r["camp"]), bool(r["synthetic"]), int(r["trained"]),
                           int(r["projects"])) for r in self.read(cq.TRAINED, params)]
        return sorted(rows, key=lambda row: (row.group, row.year, row.degree_level, row.training_camp, row.synthetic))

    # -- indicators --------------------------------------------------------------------------

    def indicator_counts(self, measures: Sequence[Measure]) -> list[IndicatorCounts]:
        return counts_of(measures, self.read(indicators_query(measures), {}))

    # -- partnerMatches ----------------------------------------------------------------------

    def match_facts(self, ref: NodeRef, partner_label: str, year: int | None) -> MatchFacts | None:
        found = self.read(match_query(ref.label, partner_label), {"key": ref.key, "year": year})
        if not found:
            return None
        record = found[0]
        districts = {code: Place(code, name, longitude, latitude) for code, name, longitude, latitude in record["districts"]}
        subject = MatchSubject(
            _node(ref.label, record["props"]), record["year"],
            {str(code): int(amount) for code, _, amount in record["profile"]},
            {str(code): str(name) for code, name, _ in record["profile"]},
            _place(record["places"], districts), frozenset(record["schools"]), ref.key if ref.label == "Enterprise" else None,
            ties(ref.label == "Enterprise", record["ties"]),
        )
        candidates = candidates_of(partner_label, record["candidates"], districts)  # in key order
        if ref.label == partner_label:
            candidates = [c for c in candidates if c.key != ref.key]
        return MatchFacts(subject, candidates)


NO_SCHOOLS: frozenset[str] = frozenset()


def candidates_of(label: str, rows: Iterable[list[Any]], districts: Mapping[str, Place]) -> list[MatchCandidate]:
    """The query's candidate rows [props, matched, size, district codes, organisation, linked
    schools, capacity, load], taken as they are: keys are strings and amounts integers
    (`coalesce(…, 0)` in Cypher), and each value is the driver's own copy."""
    key = node_kind(label).key
    return [
        MatchCandidate(
            Node(label, props[key], props), dict(matched), size, _place(places, districts), organisation,
            frozenset(linked) if linked else NO_SCHOOLS, capacity, load,
        )
        for props, matched, size, places, organisation, linked, capacity, load in rows
    ]


def ties(from_enterprise: bool, rows: Iterable[list[Any]]) -> dict[str, Ties]:
    """Rows [kind, via key, via name, start key, start name, other key, other name] → Ties by other."""
    found: dict[str, Ties] = {}
    start_label, other_label = ("Enterprise", "School") if from_enterprise else ("School", "Enterprise")
    for kind, via_key, via_name, start_key, start_name, other_key, other_name in rows:
        start, other = Named(start_label, start_key, start_name), Named(other_label, other_key, other_name)
        school, enterprise = (other, start) if from_enterprise else (start, other)
        linked = found.get(other_key)
        if linked is None:
            linked = found[other_key] = Ties()
        linked.add(kind, Named(VIA_LABELS.get(kind, start_label), via_key, via_name), school, enterprise)
    return found


def counts_of(measures: Sequence[Measure], records: Iterable[Record]) -> list[IndicatorCounts]:
    """The rows of `indicators_query` per measure: groups with something in them, and the whole."""
    rows: list[list[GroupCount]] = [[] for _ in measures]
    whole: list[tuple[int, int]] = [(0, 0)] * len(measures)
    for record in records:
        index, count, synthetic = int(record["measure"]), int(record["count"]), int(record["synthetic"])
        if record["grp"] is None:
            whole[index] = (count, synthetic)
        elif count:
            dimensions = measures[index].group_by
            group = tuple(_grouped(value, dimension in PATHS) for value, dimension in zip(record["grp"], dimensions, strict=True))
            amount = record["amount"]
            rows[index].append(GroupCount(group, count, None if amount is None else float(amount), synthetic))
    return [IndicatorCounts(found, *whole[index]) for index, found in enumerate(rows)]


def _grouped(value: Any, place: bool) -> Grouped:
    """A place's or chain's `[key, name]`, or a property's text; null for none."""
    if value is None:
        return Grouped(None)
    return Grouped(str(value[0]), str(value[1])) if place else Grouped(str(value))


VIA_LABELS = {"alliances": "Alliance", "mentors": "Mentor", "bases": "Base"}


def _counted(pair: Sequence[int]) -> Counted:
    return Counted(int(pair[0]), int(pair[1]))


def _list(values: Iterable[str] | None) -> list[str] | None:
    return None if values is None else list(values)
