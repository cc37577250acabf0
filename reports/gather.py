"""Gathers the annual report's figures (`reports.figures`) from a store through the functions the
GraphQL API resolves with, so each number equals the API's answer to the same question:

| section | API field and arguments |
|---|---|
| state of the ecosystem | `dataCoverage`; `indicators(measures: MEASURES)`, year-grouped ones at `year` |
| talent gaps | `talentGap(year:)` and `talentGap(year:, chain:)` for each top-level chain; `talentGapTrend` over `window` |
| plan targets | `planTargets(fromYear:, toYear:)` over `window(year)` |
| coverage gaps | `coverageGaps(year:)`, and with `chain:` for each top-level chain |
| networks | `analytics(kinds: NETWORK_KINDS, relationships: NETWORK_RELATIONSHIPS)`: `communities`, `centrality(measure: DEGREE)` |

A report is made only for a year the store holds OFFERS or DEMANDS of. Nothing personal is read:
the network leaves mentors out, and no other section reads a person's properties."""

from __future__ import annotations

from datetime import UTC, datetime

from graph.labels import (
    Lang,
    column_label,
    heading,
    kind_label,
    kind_or_relationship_label,
    relationship_label,
    value_label,
)
from graph.projection import Selection
from graph.records import Node
from graph.store import GraphStore
from queries import analytics, coverage, data_coverage, gaps, indicators, targets
from queries.checks import check_year
from reports.figures import (
    AnnualReport,
    CentralFigure,
    ChainCoverage,
    ChainTargetFigure,
    CommunityFigure,
    CoverageFigure,
    CoverageSectionFigure,
    GapFigure,
    GapLine,
    GroupCount,
    IndicatorFigure,
    KindCount,
    Member,
    MethodNote,
    NetworkFigure,
    PlanFigure,
    TargetFigure,
    YearGap,
)

TOP_GAPS = 10  # disciplines shown per talent gap
EXAMPLES = 10  # cells shown per kind of coverage gap
COMMUNITIES, MEMBERS, CENTRAL = 10, 5, 10
MEASURES = (
    indicators.Measure("School", ("level",)),
    indicators.Measure("Enterprise", ("integration_level",)),
    indicators.Measure("Mentor", ("tier",)),
    indicators.Measure("Base", ("type",)),
    indicators.Measure("Alliance", ("chain",)),
    indicators.Measure("Project", ("status",)),
    indicators.Measure("DEMANDS", ("year", "chain"), "openings"),
    indicators.Measure("OFFERS", ("year", "district"), "graduates"),
)
YEAR = "year"
NETWORK_KINDS = ("School", "Enterprise", "Alliance", "Base")
NETWORK_RELATIONSHIPS = ("COOPERATES_WITH", "MEMBER_OF", "HOSTED_BY", "PARTNERS_WITH")
COVERAGE_SECTIONS = ("disciplines_not_offered", "areas_without_base", "schools_without_mentor",
                     "chains_without_alliance", "enterprises_without_alliance")


def report_years(store: GraphStore) -> list[int]:
    """The years the store holds OFFERS or DEMANDS of: the years a report can be made for."""
    found = data_coverage.data_coverage(store).years
    return sorted({item.year for rel in found if rel.rel_type in data_coverage.AMOUNT_RELS for item in rel.years})


def check_report_year(store: GraphStore, year: int) -> int:
    """ValueError naming the year and the years that do have data."""
    check_year(year)
    years = report_years(store)
    if year not in years:
        have = f"it has data for {', '.join(map(str, years))}" if years else "it holds none of any year: load data first"
        raise ValueError(f"year {year}: the store holds no OFFERS or DEMANDS of {year}, so there is nothing to report; {have}")
    return year


def window(year: int) -> tuple[int, int]:
    """The years the plan targets and the trend cover: from the plan's first year to `year`."""
    return min(targets.PLAN_PERIOD[0], year), year


def annual_report(store: GraphStore, year: int, lang: Lang = Lang.ZH) -> AnnualReport:
    check_report_year(store, year)
    covered = data_coverage.data_coverage(store)
    chains = targets.chain_parts(store, None)
    talent = gaps.talent_gap(store, year)
    network = network_figure(store, lang)
    plan = plan_figure(store, year, lang)
    return AnnualReport(
        year=year, lang=lang, generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        data_version=store.data_version(), synthetic=covered.synthetic,
        nodes=[KindCount(k.name, kind_label(k.name, lang), k.total, k.synthetic) for k in covered.nodes],
        relationships=[KindCount(k.name, relationship_label(k.name, lang), k.total, k.synthetic) for k in covered.relationships],
        yearly=[KindCount(rel.rel_type, relationship_label(rel.rel_type, lang), y.total, y.synthetic)
                for rel in covered.years for y in rel.years if y.year == year],
        indicators=indicator_figures(store, year, lang),
        talent=gap_figure(talent, None, heading("All chains", lang), lang),
        chains=[gap_figure(gaps.talent_gap(store, year, gaps.GapRequest(chain=c.key)), c.key, chain_name(c), lang) for c in chains],
        trend=[YearGap(r.year, r.total_demand, r.total_supply) for r in gaps.talent_gap_trend(store, *window(year))],
        plan=plan, coverage=coverage_figure(store, year, chains, lang), network=network,
        method=method_notes(talent, plan, network, covered, lang), sources=list(talent.sources),
    )


def chain_name(chain: Node) -> str:
    return str(chain.props.get("name") or chain.key)


def indicator_figures(store: GraphStore, year: int, lang: Lang) -> list[IndicatorFigure]:
    found = indicators.indicators(store, MEASURES, lang)
    return [indicator_figure(item, year, lang) for item in found]


def indicator_figure(found: indicators.Indicator, year: int, lang: Lang) -> IndicatorFigure:
    """A measure grouped by year keeps the rows of `year`, shown by its other dimension."""
    measure = found.measure
    by_year = YEAR in measure.group_by
    rows = [row for row in found.rows if not by_year or row.group[measure.group_by.index(YEAR)].value == str(year)]
    shown = [index for index, dimension in enumerate(measure.group_by) if dimension != YEAR]
    words = [kind_or_relationship_label(measure.of, lang), *(column_label(measure.group_by[index], lang) for index in shown)]
    if measure.sum:
        words.append(column_label(measure.sum, lang))
    title = " · ".join(words) + (f" · {year}" if by_year else "")
    groups = [GroupCount(" / ".join(str(row.group[i].value) for i in shown), " / ".join(row.group[i].label for i in shown),
                         row.count, row.sum, row.synthetic) for row in rows]
    dimension = " / ".join(column_label(measure.group_by[index], lang) for index in shown)
    return IndicatorFigure(title, dimension, measure, year if by_year else None, groups)


def gap_figure(found: gaps.TalentGap, chain: str | None, name: str, lang: Lang) -> GapFigure:
    rows = found.rows
    return GapFigure(
        chain=chain, name=name, demand=found.total_demand, supply=found.total_supply,
        ratio=found.total_supply / found.total_demand if found.total_demand else None,
        shortages=sum(row.status is gaps.GapStatus.SHORTAGE for row in rows),
        surpluses=sum(row.status is gaps.GapStatus.SURPLUS for row in rows), disciplines=len(rows),
        top=[GapLine(r.discipline.key, str(r.discipline.props.get("name", r.discipline.key)), r.demand, r.supply, r.gap,
                     r.ratio, r.status.value, heading(r.status.value, lang)) for r in rows[:TOP_GAPS]],
        synthetic=found.synthetic, notes=found.notes,
    )


def plan_figure(store: GraphStore, year: int, lang: Lang) -> PlanFigure:
    found = targets.plan_targets(store, *window(year))
    return PlanFigure(
        found.from_year, found.to_year, target_figures(found.targets, lang),
        [ChainTargetFigure(part.chain.key, chain_name(part.chain), target_figures(part.targets, lang)) for part in found.by_chain],
        found.synthetic, found.method,
    )


def target_figures(found: list[targets.TargetProgress], lang: Lang) -> list[TargetFigure]:
    return [
        TargetFigure(t.target.name, target_label(t.target.name, lang), t.target.basis.value, heading(t.target.basis.value, lang),
                     t.target.goal, t.trained, t.progress, t.years_met, [(y.year, y.trained) for y in t.years])
        for t in found
    ]


def target_label(name: str, lang: Lang) -> str:
    """doctoral and master are degree levels of the model; skilled is the plan's own word."""
    return heading(name, lang) if name == "skilled" else value_label(name, lang)


def coverage_figure(store: GraphStore, year: int, chains: list[Node], lang: Lang) -> CoverageFigure:
    found = coverage.coverage_gaps(store, year=year, first=EXAMPLES)
    sections = [CoverageSectionFigure(key, heading(key, lang), getattr(found, key).count, examples(key, getattr(found, key).items, lang))
                for key in COVERAGE_SECTIONS]
    by_chain = []
    for chain in chains:
        part = coverage.coverage_gaps(store, chain.key, year=year, first=0)
        by_chain.append(ChainCoverage(chain.key, chain_name(chain), [getattr(part, key).count for key in COVERAGE_SECTIONS]))
    return CoverageFigure(year, sections, by_chain, found.synthetic)


def named(node: Node) -> str:
    return str(node.props.get("name") or node.key)


def examples(key: str, items: list[object], lang: Lang) -> list[str]:
    """The first cells of a section as one line each."""
    lines = []
    for item in items:
        if isinstance(item, coverage.MissingDiscipline):
            lines.append(f"{item.discipline.key} {named(item.discipline)} ({', '.join(named(c) for c in item.chains)})")
        elif isinstance(item, coverage.MissingBase):
            lines.append(f"{named(item.chain)} · {named(item.area)} · {value_label(item.base_type, lang)}")
        elif isinstance(item, coverage.UnmentoredSchool):
            lines.append(f"{named(item.school)} ({', '.join(named(d) for d in item.disciplines)})")
        elif isinstance(item, coverage.LoneEnterprise):
            lines.append(f"{named(item.enterprise)} ({', '.join(named(c) for c in item.chains)})")
        elif isinstance(item, Node):
            lines.append(named(item))
    return lines


def network_selection() -> Selection:
    return Selection.of(NETWORK_KINDS, NETWORK_RELATIONSHIPS)


def network_figure(store: GraphStore, lang: Lang) -> NetworkFigure:
    selection = network_selection()
    found = analytics.communities(store, selection, first=COMMUNITIES, members=MEMBERS)
    central = analytics.centrality(store, selection, "degree", CENTRAL)

    def member(node: analytics.NodeInfo) -> Member:
        return Member(kind_label(node.label, lang), node.name or node.key)

    return NetworkFigure(
        selection=found.computed.selection, nodes=found.computed.nodes, relationships=found.computed.relationships,
        algorithm=found.computed.algorithm, count=found.count, modularity=found.modularity,
        communities=[CommunityFigure(c.id, c.size, [member(m) for m in c.members]) for c in found.communities],
        central=[CentralFigure(member(row.node), row.score) for row in central.rows],
        data_version=found.computed.data_version,
    )


def method_notes(talent: gaps.TalentGap, plan: PlanFigure, network: NetworkFigure,
                 covered: data_coverage.DataCoverage, lang: Lang) -> list[MethodNote]:
    years = "; ".join(f"{rel.rel_type}: {rel.span()}" for rel in covered.years)
    return [
        MethodNote(heading("Talent gaps by chain", lang), talent.method),
        MethodNote(heading("Plan targets", lang), plan.method),
        MethodNote(heading("Coverage gaps", lang), coverage.__doc__ or ""),
        MethodNote(heading("Networks and communities", lang),
                   f"{network.algorithm} (igraph, resolution 1, seed 0) and degree centrality on {network.selection}: "
                   f"{network.nodes:,} nodes, {network.relationships:,} relationships; data version {network.data_version}."),
        MethodNote(heading("Synthetic share", lang), f"{covered.synthetic.describe()}. {years}."),
    ]
