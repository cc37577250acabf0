"""`talentGap` exactly as DESIGN §4 defines it, with its per-district breakdown and its trend.

- scope: with a chain, the disciplines the chain or any chain PART_OF it (transitively) NEEDS,
  plus those its enterprises (in any district) demanded that year; without one, every discipline
  with demand or supply that year. Rows with neither are left out. `level` keeps disciplines of
  that level only.
- demand: DEMANDS.openings that year from enterprises of the chain subtree (if a chain) located in
  the districts (if given); supply: OFFERS.graduates that year from schools located in the
  districts (if given). A missing amount counts 0; an enterprise in several chains counts once.
- gap = demand − supply; ratio = supply / demand (None without demand); status SHORTAGE when
  demand > 0 and ratio < shortage_below, SURPLUS when ratio > surplus_above or there is supply
  without demand, otherwise BALANCED; rows by gap, largest first, then discipline code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from graph.insights import AmountRow, SupplyDemandFacts
from graph.records import Node
from graph.store import GraphStore
from queries.checks import check_districts, check_level, check_thresholds, check_year, check_years
from queries.data_coverage import missing_year_notes
from queries.memo import VersionedMemo
from queries.synthetic import SyntheticShare

# Supply and demand of recent questions, per store and data version (thresholds do not matter).
FACTS = VersionedMemo(size=32)
DEFAULT_SHORTAGE_BELOW = 0.8
DEFAULT_SURPLUS_ABOVE = 1.2

# (district or None, discipline code) → [demand, supply]
Cells = dict[tuple[str | None, str], list[int]]


class GapStatus(StrEnum):
    SHORTAGE = "SHORTAGE"
    SURPLUS = "SURPLUS"
    BALANCED = "BALANCED"


@dataclass(frozen=True)
class GapRequest:
    """The validated arguments of a talent-gap query."""

    chain: str | None = None
    districts: tuple[str, ...] | None = None
    level: str | None = None
    shortage_below: float = DEFAULT_SHORTAGE_BELOW
    surplus_above: float = DEFAULT_SURPLUS_ABOVE


class GapRow(NamedTuple):
    discipline: Node
    demand: int
    supply: int
    gap: int
    ratio: float | None
    status: GapStatus


@dataclass(frozen=True)
class TalentGap:
    year: int
    request: GapRequest
    chain: Node | None
    chains: tuple[str, ...] | None
    rows: list[GapRow]
    total_demand: int
    total_supply: int
    sources: tuple[str, ...]
    method: str
    synthetic: SyntheticShare
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DistrictGap:
    """One district's share of a talent gap (`district` None: holders with no known district)."""

    code: str | None
    district: Node | None
    rows: list[GapRow]
    total_demand: int
    total_supply: int
    gap: int
    ratio: float | None
    status: GapStatus
    synthetic: SyntheticShare


def gap_request(
    store: GraphStore,
    chain: str | None = None,
    districts: Sequence[str] | None = None,
    level: str | None = None,
    shortage_below: float = DEFAULT_SHORTAGE_BELOW,
    surplus_above: float = DEFAULT_SURPLUS_ABOVE,
) -> GapRequest:
    check_thresholds(shortage_below, surplus_above)
    return GapRequest(chain, check_districts(store, districts), check_level(level), shortage_below, surplus_above)


def talent_gap(store: GraphStore, year: int, request: GapRequest | None = None) -> TalentGap:
    request = request or GapRequest()
    facts = read_facts(store, [check_year(year)], request, by_district=False)
    return report(facts, request, year, cells(facts, year), notes=no_data_notes(store, facts, year))


def talent_gap_trend(store: GraphStore, from_year: int, to_year: int, request: GapRequest | None = None) -> list[TalentGap]:
    """One report per year from `from_year` to `to_year`, read in one call."""
    request = request or GapRequest()
    years = check_years(from_year, to_year)
    facts = read_facts(store, years, request, by_district=False)
    return [report(facts, request, year, cells(facts, year), notes=no_data_notes(store, facts, year)) for year in years]


def no_data_notes(store: GraphStore, facts: SupplyDemandFacts, year: int) -> list[str]:
    """When the year counted no demand or no supply, whether the store has any of that year at
    all (asked only then: answers with both need no extra read)."""
    empty = tuple(rel for rel, rows in (("DEMANDS", facts.demand), ("OFFERS", facts.supply))
                  if not any(row.year == year for row in rows))
    return missing_year_notes(store, year, empty) if empty else []


def talent_gap_by_district(store: GraphStore, year: int, request: GapRequest | None = None) -> list[DistrictGap]:
    """The talent gap split by the district of each enterprise and school; the given districts
    (or every district with demand or supply) by total gap, largest first, then code."""
    request = request or GapRequest()
    facts = read_facts(store, [check_year(year)], request, by_district=True)
    split: dict[str | None, Cells] = {code: {} for code in request.districts or ()}
    for (district, code), amounts in cells(facts, year).items():
        split.setdefault(district, {})[(None, code)] = amounts
    nodes = store.get_nodes("District", [code for code in split if code is not None])
    parts = [district_gap(code, nodes.get(code or ""), facts, request, part, input_share(facts, year, code))
             for code, part in split.items()]
    return sorted(parts, key=lambda part: (-part.gap, part.code or "~"))


def read_facts(store: GraphStore, years: list[int], request: GapRequest, by_district: bool) -> SupplyDemandFacts:
    """The facts of the request, from the memo while the data has not changed."""
    key = (tuple(years), request.chain, request.districts, request.level, by_district)

    def read(version: str) -> SupplyDemandFacts:
        return store.insights().supply_demand(years, request.chain, request.districts, request.level, by_district)

    facts = FACTS.get(store, key, read)
    if request.chain is not None and facts.chain is None:
        raise ValueError(f"chain: no industry chain has the code {request.chain!r}")
    return facts


def counted_rows(facts: SupplyDemandFacts, year: int) -> Iterable[tuple[int, AmountRow]]:
    """The demand (side 0) and supply (side 1) rows of `year` within the year's scope."""
    scope = None if facts.scope is None else facts.scope.get(year, frozenset())
    for side, rows in enumerate((facts.demand, facts.supply)):
        for row in rows:
            if row.year == year and (scope is None or row.discipline in scope):
                yield side, row


def cells(facts: SupplyDemandFacts, year: int) -> Cells:
    """Demand and supply of `year` per (district, discipline) within the year's scope."""
    found: Cells = defaultdict(lambda: [0, 0])
    for side, row in counted_rows(facts, year):
        found[(row.district, row.discipline)][side] += row.amount
    return dict(found)


EVERY_DISTRICT = object()
SUMMED = "DEMANDS and OFFERS relationships summed"


def input_share(facts: SupplyDemandFacts, year: int, district: str | object | None = EVERY_DISTRICT) -> SyntheticShare:
    """How many DEMANDS and OFFERS the year's figures summed (those of one district's holders,
    if given; None: holders with no district), and how many were synthetic."""
    rels = made_up = 0
    for _, row in counted_rows(facts, year):
        if district is EVERY_DISTRICT or row.district == district:
            rels += row.rels
            made_up += row.synthetic
    return SyntheticShare(rels, made_up, SUMMED)


def status(demand: int, supply: int, request: GapRequest) -> GapStatus:
    if demand > 0 and supply / demand < request.shortage_below:
        return GapStatus.SHORTAGE
    if (demand > 0 and supply / demand > request.surplus_above) or (demand == 0 and supply > 0):
        return GapStatus.SURPLUS
    return GapStatus.BALANCED


def gap_rows(amounts: Cells, disciplines: Mapping[str, Node], request: GapRequest) -> list[GapRow]:
    rows = [
        GapRow(disciplines[code], demand, supply, demand - supply, supply / demand if demand else None,
               status(demand, supply, request))
        for (_, code), (demand, supply) in amounts.items()
        if demand or supply
    ]
    return sorted(rows, key=lambda row: (-row.gap, row.discipline.key))


def report(
    facts: SupplyDemandFacts, request: GapRequest, year: int, amounts: Cells,
    disciplines: Mapping[str, Node] | None = None, notes: Iterable[str] = (),
) -> TalentGap:
    rows = gap_rows(amounts, disciplines or facts.disciplines, request)
    sources = tuple(sorted(facts.sources))
    method = method_text(facts, request, year, sources)
    total_demand, total_supply = sum(row.demand for row in rows), sum(row.supply for row in rows)
    return TalentGap(year, request, facts.chain, facts.chains, rows, total_demand, total_supply, sources, method,
                     input_share(facts, year), tuple(notes))


def district_gap(
    code: str | None, node: Node | None, facts: SupplyDemandFacts, request: GapRequest, amounts: Cells,
    share: SyntheticShare,
) -> DistrictGap:
    rows = gap_rows(amounts, facts.disciplines, request)
    demand, supply = sum(row.demand for row in rows), sum(row.supply for row in rows)
    ratio = supply / demand if demand else None
    return DistrictGap(code, node, rows, demand, supply, demand - supply, ratio, status(demand, supply, request), share)


def method_text(facts: SupplyDemandFacts, request: GapRequest, year: int, sources: Sequence[str]) -> str:
    """What was counted, with which thresholds, for which year, from which sources."""
    where = f"located in districts {', '.join(request.districts)}" if request.districts else "in any district"
    level = f"; only disciplines of level {request.level}" if request.level else ""
    if facts.chain is None:
        scope = f"every discipline with demand or supply in {year}"
        holders = "all enterprises"
    else:
        chains = ", ".join(facts.chains or ())
        scope = (f"the disciplines that industry chain {facts.chain.key} ({facts.chain.props.get('name', '')}) "
                 f"or a chain part of it (chains {chains}) NEEDS, plus those their enterprises demanded in {year}")
        holders = f"enterprises IN_CHAIN of chains {chains}"
    return (
        f"Talent gap for {year}. Scope: {scope}{level}; rows with neither demand nor supply are left out. "
        f"Demand: sum of DEMANDS.openings in {year} from {holders} {where}. "
        f"Supply: sum of OFFERS.graduates in {year} from schools {where}. "
        f"gap = demand − supply; ratio = supply / demand (none without demand); "
        f"SHORTAGE when demand > 0 and ratio < {request.shortage_below:g}; SURPLUS when ratio > "
        f"{request.surplus_above:g} or there is supply without demand; BALANCED otherwise. "
        f"Sources: {', '.join(sources) if sources else 'none'}."
    )
