"""The report's sections as blocks (paragraphs, charts, tables) that every renderer lays out the
same way: the HTML page and the PDF in order, the workbook as one sheet per section. What the
report says, and in which order, is decided here once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeGuard

from graph.labels import Lang, column_label, heading
from queries.synthetic import SyntheticShare
from reports import charts
from reports.figures import AnnualReport, GapFigure, IndicatorFigure, TargetFigure


class Percent(float):
    """A share (0.25 is 25 %): shown as a percentage, kept as the fraction in the workbook."""


Cell = str | int | float | None


def is_number(cell: Cell) -> TypeGuard[int | float]:
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def number_text(value: float) -> str:
    """A figure as a reader expects it: a percentage for a share, whole numbers (people, openings,
    counts) without decimals, other amounts with two below 1,000."""
    if isinstance(value, Percent):
        return f"{value:.1%}"
    if isinstance(value, int) or value.is_integer() or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "text"  # text, warning (the synthetic share) or subheading


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]
    widths: list[float]  # fractions of the page's width, for the PDF


Block = Paragraph | charts.Chart | Table


@dataclass(frozen=True)
class Section:
    key: str  # the workbook's sheet and the page's anchor
    title: str
    blocks: list[Block] = field(default_factory=list)


# The report's own sentences (zh, en); names and headings come from graph.labels
SENTENCES = {
    "synthetic": (
        "注意：本报告所依据的数据中有 {share} 为【示例】合成数据（全库 {inputs} 个节点与关系中有 {synthetic} 个为合成），"
        "{year} 年人才供需计入的 {year_inputs} 条供需关系中合成数据占 {year_share}。合成数据仅用于演示，不代表真实情况。",
        "Note: {share} of the data this report rests on is 【示例】 synthetic ({synthetic} of the store's {inputs} nodes "
        "and relationships); of the {year_inputs} supply and demand relationships counted for {year}, {year_share} are "
        "synthetic. Synthetic data is for demonstration and describes nothing real.",
    ),
    "generated": ("生成时间 {at}（UTC），数据版本 {version}。各项数字与同一年份下 GraphQL 接口的答复一致。",
                  "Generated {at} (UTC) from data version {version}. Every figure is the GraphQL API's answer for the same year."),
    "network": ("合作网络（学校、企业、联盟、基地及其合作、成员、依托关系）共 {nodes} 个节点、{relationships} 条关系，"
                "分为 {count} 个社群，模块度 {modularity}。",
                "The partner network (schools, enterprises, alliances and bases with their cooperations, memberships and "
                "hosts) has {nodes} nodes and {relationships} relationships in {count} communities (modularity {modularity})."),
    "method": ("以下方法说明取自各查询的 method 字段（英文原文）。",
               "The method texts below are the `method` fields of the queries."),
}


def say(report: AnnualReport, key: str, **values: object) -> str:
    template = SENTENCES[key][0 if report.lang is Lang.ZH else 1]
    return template.format(**values)


def h(report: AnnualReport, word: str) -> str:
    return heading(word, report.lang)


def share_text(report: AnnualReport, share: SyntheticShare) -> str:
    return f"{h(report, 'Synthetic share')}: {share.share:.1%} ({share.synthetic:,} / {share.inputs:,} {share.counted})"


def sections(report: AnnualReport) -> list[Section]:
    return [overview(report), state(report), talent(report), plan(report), coverage(report), network(report), method(report)]


def overview(report: AnnualReport) -> Section:
    year = report.talent.synthetic
    statement = say(report, "synthetic", share=f"{report.synthetic.share:.1%}", inputs=f"{report.synthetic.inputs:,}",
                    synthetic=f"{report.synthetic.synthetic:,}", year=report.year, year_inputs=f"{year.inputs:,}",
                    year_share=f"{year.share:.1%}")
    return Section("overview", f"{h(report, 'Annual report')} · {report.year}", [
        Paragraph(statement, "warning"),
        Paragraph(say(report, "generated", at=report.generated_at, version=report.data_version)),
        gap_table(report, f"{h(report, 'Talent gaps by chain')} · {h(report, 'All chains')}", [report.talent]),
        Table(h(report, "State of the ecosystem"), [h(report, "kind"), h(report, "count"), h(report, "synthetic")],
              [[k.label, k.count, k.synthetic] for k in report.nodes], [0.5, 0.25, 0.25]),
    ])


def state(report: AnnualReport) -> Section:
    blocks: list[Block] = [
        Table(h(report, "relationships"), [h(report, "kind"), h(report, "count"), h(report, "synthetic")],
              [[k.label, k.count, k.synthetic] for k in report.relationships], [0.5, 0.25, 0.25]),
        Table(f"{h(report, 'this year')} · {report.year}", [h(report, "kind"), h(report, "count"), h(report, "synthetic")],
              [[k.label, k.count, k.synthetic] for k in report.yearly], [0.5, 0.25, 0.25]),
    ]
    blocks += [indicator_table(report, found) for found in report.indicators]
    return Section("indicators", h(report, "Key indicators"), blocks)


def indicator_table(report: AnnualReport, found: IndicatorFigure) -> Table:
    summed = found.measure.sum is not None
    header = [found.dimension, h(report, "count"), *([column_label(found.measure.sum or "", report.lang)] if summed else []),
              h(report, "Synthetic share")]
    rows: list[list[Cell]] = [[row.label, row.count, *([row.sum] if summed else []), Percent(row.synthetic.share)]
                              for row in found.rows]
    return Table(found.title, header, rows, [0.46, 0.18, 0.18, 0.18] if summed else [0.5, 0.25, 0.25])


def gap_table(report: AnnualReport, title: str, found: list[GapFigure]) -> Table:
    header = [h(report, "chain"), h(report, "demand"), h(report, "supply"), h(report, "gap"), h(report, "ratio"),
              h(report, "shortages"), h(report, "surpluses"), h(report, "disciplines"), h(report, "Synthetic share")]
    rows: list[list[Cell]] = [[g.name, g.demand, g.supply, g.gap, g.ratio, g.shortages, g.surpluses, g.disciplines,
                               Percent(g.synthetic.share)] for g in found]
    return Table(title, header, rows, [0.19, 0.1, 0.1, 0.1, 0.08, 0.1, 0.1, 0.09, 0.14])


def top_table(report: AnnualReport, found: GapFigure) -> Table:
    header = [h(report, "code"), h(report, "discipline"), h(report, "demand"), h(report, "supply"), h(report, "gap"),
              h(report, "ratio"), h(report, "status")]
    rows: list[list[Cell]] = [[line.code, line.name, line.demand, line.supply, line.gap, line.ratio, line.status_label]
                              for line in found.top]
    return Table(f"{found.name} · {h(report, 'Largest gaps')}", header, rows, [0.11, 0.33, 0.11, 0.11, 0.11, 0.11, 0.12])


def talent(report: AnnualReport) -> Section:
    blocks: list[Block] = [charts.CHAIN_GAPS, gap_table(report, h(report, "Talent gaps by chain"), report.chains),
                           charts.TREND,
                           Table(h(report, "Trend"), [h(report, "year"), h(report, "demand"), h(report, "supply"), h(report, "gap")],
                                 [[y.year, y.demand, y.supply, y.demand - y.supply] for y in report.trend], [0.25] * 4)]
    blocks += [top_table(report, gap) for gap in [report.talent, *report.chains] if gap.top]
    blocks += [Paragraph(note) for note in report.talent.notes]
    return Section("talent", h(report, "Talent gaps by chain"), blocks)


def target_rows(report: AnnualReport, found: list[TargetFigure]) -> list[list[Cell]]:
    return [[t.label, t.basis_label, t.goal, t.trained, Percent(t.progress), t.years_met] for t in found]


def plan(report: AnnualReport) -> Section:
    found = report.plan
    header = [h(report, "target"), h(report, "basis"), h(report, "goal"), h(report, "trained"), h(report, "progress"),
              h(report, "years met")]
    widths = [0.2, 0.2, 0.15, 0.15, 0.15, 0.15]
    years = [year for year, _ in found.targets[0].years] if found.targets else []
    by_year = Table(f"{h(report, 'trained')} · {h(report, 'year')}", [h(report, "year"), *(t.label for t in found.targets)],
                    [[year, *(t.years[i][1] for t in found.targets)] for i, year in enumerate(years)],
                    [1 / (len(found.targets) + 1)] * (len(found.targets) + 1))
    by_chain = Table(f"{h(report, 'trained')} · {h(report, 'chain')}", [h(report, "chain"), *(t.label for t in found.targets)],
                     [[part.name, *(t.trained for t in part.targets)] for part in found.by_chain],
                     [1 / (len(found.targets) + 1)] * (len(found.targets) + 1))
    return Section("plan", f"{h(report, 'Plan targets')} · {found.from_year}–{found.to_year}", [
        charts.PLAN, Table(h(report, "Plan targets"), header, target_rows(report, found.targets), widths), by_year, by_chain,
        Paragraph(share_text(report, found.synthetic)),
    ])


def coverage(report: AnnualReport) -> Section:
    found = report.coverage
    blocks: list[Block] = [
        Table(f"{h(report, 'Coverage gaps')} · {found.year}", [h(report, "kind"), h(report, "count")],
              [[s.label, s.count] for s in found.sections], [0.7, 0.3]),
        charts.COVERAGE,
        Table(h(report, "chain"), [h(report, "chain"), *(s.label for s in found.sections)],
              [[c.name, *c.counts] for c in found.by_chain], [0.15, *[0.17] * len(found.sections)]),
    ]
    blocks += [Table(s.label, [s.label], [[line] for line in s.examples], [1.0]) for s in found.sections if s.examples]
    blocks.append(Paragraph(share_text(report, found.synthetic)))
    return Section("coverage", h(report, "Coverage gaps"), blocks)


def network(report: AnnualReport) -> Section:
    found = report.network
    summary = say(report, "network", nodes=f"{found.nodes:,}", relationships=f"{found.relationships:,}",
                  count=f"{found.count:,}", modularity=f"{found.modularity:.3f}")
    return Section("network", h(report, "Networks and communities"), [
        Paragraph(summary), charts.COMMUNITIES,
        Table(h(report, "community"), [h(report, "community"), h(report, "size"), h(report, "members")],
              [[c.id, c.size, "、".join(f"{m.name}（{m.kind}）" for m in c.members)] for c in found.communities], [0.1, 0.1, 0.8]),
        Table(h(report, "Most connected"), [h(report, "kind"), h(report, "partner"), h(report, "degree")],
              [[row.member.kind, row.member.name, row.score] for row in found.central], [0.2, 0.6, 0.2]),
    ])


def method(report: AnnualReport) -> Section:
    blocks: list[Block] = [Paragraph(say(report, "method"))]
    for note in report.method:
        blocks += [Paragraph(note.title, "subheading"), Paragraph(note.text)]
    blocks.append(Table(h(report, "Sources"), [h(report, "Sources")], [[source] for source in report.sources], [1.0]))
    return Section("method", h(report, "Method and data sources"), blocks)
