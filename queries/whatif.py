"""What-if: the talent gap recomputed with hypothetical extra graduates or openings, in memory,
without writing anything.

A change adds (or, negative, removes) graduates or openings of one discipline, optionally in a
district and, for openings, for an enterprise of a chain. Rules, the same as for real data:
- a change in a district outside the report's districts is ignored; a change without a district
  counts wherever the report looks;
- openings count for a chain report when the change names no chain (a new enterprise of that
  chain) or a chain of its subtree, and bring their discipline into scope;
- graduates count only for a discipline in scope (a chain report's scope after the openings);
- a discipline of another level than the report's is ignored; amounts never go below 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from graph.records import Node
from graph.store import GraphStore
from queries.checks import check_chain, check_districts, check_year
from queries.gaps import Cells, GapRequest, TalentGap, cells, read_facts, report

MAX_CHANGES = 100


@dataclass(frozen=True)
class GapChange:
    discipline: str
    graduates: int = 0
    openings: int = 0
    district: str | None = None
    chain: str | None = None


@dataclass(frozen=True)
class WhatIf:
    baseline: TalentGap
    scenario: TalentGap
    applied: tuple[str, ...]
    ignored: tuple[str, ...]


def talent_gap_what_if(
    store: GraphStore, year: int, changes: Sequence[GapChange], request: GapRequest | None = None
) -> WhatIf:
    request = request or GapRequest()
    disciplines = check_changes(store, changes)
    facts = read_facts(store, [check_year(year)], request, by_district=False)
    amounts = cells(facts, year)
    baseline = report(facts, request, year, amounts)
    scope = None if facts.scope is None else set(facts.scope.get(year, frozenset()))
    verdicts = []
    for change in sorted(changes, key=lambda change: change.openings == 0):  # openings first: they widen the scope
        reason = ignore_reason(change, disciplines[change.discipline], request, facts.chains, scope)
        verdicts.append((change, reason))
        if not reason and change.openings and scope is not None:
            scope.add(change.discipline)
    amounts = {key: list(values) for key, values in amounts.items()}
    add_supply_outside_scope(store, year, request, amounts, {c.discipline for c, reason in verdicts if not reason})
    for change, reason in verdicts:
        if not reason:
            apply(change, amounts)
    texts = [(describe(c, disciplines[c.discipline]), reason) for c, reason in verdicts]
    applied = tuple(text for text, reason in texts if not reason)
    ignored = tuple(f"{text}: ignored, {reason}" for text, reason in texts if reason)
    notes = [f"What-if: {text}" for text in [*applied, *ignored]]
    scenario = report(facts, request, year, amounts, {**facts.disciplines, **disciplines}, notes)
    return WhatIf(baseline, scenario, applied, ignored)


def add_supply_outside_scope(store: GraphStore, year: int, request: GapRequest, amounts: Cells, codes: set[str]) -> None:
    """A chain report never read the supply of disciplines outside its scope; new openings bring
    some in, so read the supply of every discipline once and take theirs."""
    missing = {code for code in codes if (None, code) not in amounts}
    if request.chain is None or not missing:
        return
    everything = read_facts(store, [year], replace(request, chain=None), by_district=False)
    for (_, code), (_, supply) in cells(everything, year).items():
        if code in missing:
            amounts[(None, code)] = [0, supply]


def check_changes(store: GraphStore, changes: Sequence[GapChange]) -> dict[str, Node]:
    """The disciplines the changes name, after checking every code, district and chain exists."""
    if not changes or len(changes) > MAX_CHANGES:
        raise ValueError(f"changes: give 1 to {MAX_CHANGES} changes, not {len(changes)}")
    codes = sorted({change.discipline for change in changes})
    found = store.get_nodes("Discipline", codes)
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ValueError(f"changes: no discipline has the code {', '.join(map(repr, unknown))}")
    check_districts(store, [change.district for change in changes if change.district])
    for chain in sorted({change.chain for change in changes if change.chain}):
        check_chain(store, chain)
    return found


def ignore_reason(
    change: GapChange, node: Node, request: GapRequest, chains: tuple[str, ...] | None, scope: set[str] | None
) -> str | None:
    if request.level is not None and node.props.get("level") != request.level:
        return f"the discipline's level is {node.props.get('level')}, not {request.level}"
    if request.districts is not None and change.district is not None and change.district not in request.districts:
        return "its district is outside the report's districts"
    if change.openings and chains is not None and change.chain is not None and change.chain not in chains:
        return f"chain {change.chain} is not part of chain {request.chain}"
    if change.graduates and not change.openings and scope is not None and change.discipline not in scope:
        return f"the discipline is not in chain {request.chain}'s scope"
    return None


def apply(change: GapChange, amounts: Cells) -> None:
    demand, supply = amounts.get((None, change.discipline), [0, 0])
    amounts[(None, change.discipline)] = [max(0, demand + change.openings), max(0, supply + change.graduates)]


def describe(change: GapChange, node: Node) -> str:
    parts = [f"{amount:+d} {what}" for amount, what in ((change.graduates, "graduates"), (change.openings, "openings")) if amount]
    where = f" in district {change.district}" if change.district else ""
    chain = f" for chain {change.chain}" if change.chain else ""
    return f"{' and '.join(parts) or 'no change'} of {node.key} {node.props.get('name', '')}{where}{chain}"
