"""`indicators`: counts (and sums) of nodes or relationships grouped by place, chain and coded
properties, for dashboards: one call instead of many aliased `totalCount`s.

A measure counts the nodes of one kind (`of: "Enterprise"`) or the relationships of one type
(`of: "DEMANDS"`), optionally sums one of their numeric properties (`sum: "openings"`), and groups
by any of these dimensions:

- `district`: the district a node is LOCATED_IN (a zone: the districts it COVERS);
- `zone`: the zones that COVER that district;
- `chain`: the chains an enterprise is IN_CHAIN with, a base, alliance or project SERVES, or a
  discipline is NEEDed by (NEEDS);
- a property of what is counted that has choices (`level`, `integration_level`, `tier`, `type`…),
  is yes/no (`leading`) or is a year (`year`, `founded`, `start_year`…).

A relationship takes district, zone and chain from its source when the source has them, otherwise
from its target: DEMANDS by the enterprise's district and chains, OFFERS by the school's district
and by the chains that need the discipline. Something in several groups (an enterprise in two
chains) counts in each; something with no value counts in the group whose value is None. Every row
says how much of what it counted was synthetic.

The store counts (`InsightSource.indicator_counts`, `graph.indicators`); this module checks the
measures, names the groups in Chinese or English and orders them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.indicators import PATHS, GroupCount, Grouped, IndicatorCounts, Measure, ends, properties
from graph.labels import Lang, value_label
from graph.model import NODES, RELS, Prop, PropType
from graph.store import GraphStore
from queries.synthetic import SyntheticShare

MAX_MEASURES = 20
MAX_DIMENSIONS = 3
NO_VALUE = {Lang.ZH: "（无）", Lang.EN: "(none)"}
# Sums of fractional amounts (NEEDS weights) are rounded: each store adds them in its own order,
# which moves the last bits of a float.
SUM_DIGITS = 6
YES_NO = {Lang.ZH: ("是", "否"), Lang.EN: ("yes", "no")}


@dataclass(frozen=True)
class GroupValue:
    dimension: str
    value: str | None
    label: str


@dataclass(frozen=True)
class IndicatorRow:
    group: tuple[GroupValue, ...]
    count: int
    sum: float | None
    synthetic: SyntheticShare


@dataclass(frozen=True)
class Indicator:
    measure: Measure
    rows: list[IndicatorRow]
    count: int  # everything counted, each once
    synthetic: SyntheticShare


def indicators(store: GraphStore, measures: Sequence[Measure], lang: Lang = Lang.ZH) -> list[Indicator]:
    if not 1 <= len(measures) <= MAX_MEASURES:
        raise ValueError(f"measures: expected 1 to {MAX_MEASURES}, not {len(measures)}")
    for index, measure in enumerate(measures):
        check_measure(measure, f"measures[{index}]")
    found = store.insights().indicator_counts(measures)
    return [indicator(measure, counts, lang) for measure, counts in zip(measures, found, strict=True)]


def indicator(measure: Measure, counts: IndicatorCounts, lang: Lang) -> Indicator:
    """The counts named in `lang` and ordered."""
    counted = f"{measure.of} counted"
    rows = [IndicatorRow(_named(measure, row, lang), row.count, None if row.amount is None else round(row.amount, SUM_DIGITS),
                         SyntheticShare(row.count, row.synthetic, counted)) for row in counts.rows]
    rows.sort(key=lambda row: [_order(value) for value in row.group])
    return Indicator(measure, rows, counts.count, SyntheticShare(counts.count, counts.synthetic, counted))


def check_measure(measure: Measure, where: str) -> None:
    """ValueError naming the measure, the argument and what is allowed."""
    if measure.of not in NODES and measure.of not in RELS:
        raise ValueError(f"{where}.of: {measure.of!r} is neither a node kind ({', '.join(NODES)}) "
                         f"nor a relationship type ({', '.join(RELS)})")
    if len(measure.group_by) > MAX_DIMENSIONS or len(set(measure.group_by)) != len(measure.group_by):
        raise ValueError(f"{where}.groupBy: at most {MAX_DIMENSIONS} different dimensions, not {list(measure.group_by)}")
    allowed = dimensions(measure.of)
    for dimension in measure.group_by:
        if dimension not in allowed:
            raise ValueError(f"{where}.groupBy: {measure.of} cannot be grouped by {dimension!r}; "
                             f"expected one of {', '.join(allowed)}")
    if measure.sum is not None:
        summable = amounts(measure.of)
        if measure.sum not in summable:
            raise ValueError(f"{where}.sum: {measure.of} has no amount {measure.sum!r}; "
                             f"expected one of {', '.join(summable) or 'none (count only)'}")


def dimensions(of: str) -> list[str]:
    """What `of` (a node kind or relationship type) can be grouped by, in order."""
    places = [dimension for dimension, paths in PATHS.items() if any(label in paths for label in ends(of))]
    return places + [prop.name for prop in properties(of) if prop.choices or prop.type is PropType.BOOL or _is_year(prop)]


def amounts(of: str) -> list[str]:
    """The numeric properties of `of` a measure may sum (years are not amounts)."""
    return [prop.name for prop in properties(of) if prop.type in (PropType.INT, PropType.FLOAT) and not _is_year(prop)]


def _is_year(prop: Prop) -> bool:
    return prop.type is PropType.INT and prop.minimum == 1900


def _named(measure: Measure, row: GroupCount, lang: Lang) -> tuple[GroupValue, ...]:
    return tuple(GroupValue(dimension, grouped.value, _label(measure.of, dimension, grouped, lang))
                 for dimension, grouped in zip(measure.group_by, row.group, strict=True))


def _label(of: str, dimension: str, grouped: Grouped, lang: Lang) -> str:
    if grouped.value is None:
        return NO_VALUE[lang]
    if dimension in PATHS:
        return grouped.name or grouped.value
    if _is_yes_no(of, dimension):
        yes, no = YES_NO[lang]
        return yes if grouped.value == "true" else no
    return value_label(grouped.value, lang)


def _is_yes_no(of: str, dimension: str) -> bool:
    return any(prop.name == dimension and prop.type is PropType.BOOL for prop in properties(of))


def _order(value: GroupValue) -> tuple[bool, str]:
    """Groups without a value last; years and codes in their natural order."""
    text = value.value or ""
    return value.value is None, text.zfill(12) if text.isdigit() else text
