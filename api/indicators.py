"""The dashboard part of the root `Query`: `indicators` (counts and sums grouped by place, chain
and coded properties, `queries.indicators`) and `labels` (Chinese and English names of kinds,
relationships, coded values and columns, `graph.labels`)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import Info

from api.insight_fields import run_insight
from api.provenance_types import SyntheticShare, synthetic_share
from graph import labels
from queries import indicators as queries

Language = strawberry.enum(labels.Lang, name="Language", description="zh: Chinese (简体中文); en: English")


@strawberry.input(description="What to count, how to group it and what to sum")
class IndicatorMeasure:
    of: str = strawberry.field(description="A node kind (Enterprise) or relationship type (DEMANDS)")
    group_by: list[str] = strawberry.field(
        default_factory=list,
        description="Up to 3 of: district, zone, chain, or a coded, yes/no or year property of `of` "
                    "(level, integration_level, tier, type, year…); property names as in the data files")
    sum: str | None = strawberry.field(default=None, description="A numeric property to add up, e.g. openings, graduates, capacity")


@strawberry.type(description="One dimension's value of a group")
class IndicatorGroup:
    dimension: str
    value: str | None = strawberry.field(description="District, zone or chain code, or the property's value; null when missing")
    label: str = strawberry.field(description="Its name in the language asked for")


@strawberry.type(description="What one group counted")
class IndicatorRow:
    group: list[IndicatorGroup] = strawberry.field(description="One value per groupBy dimension, in order")
    count: int
    sum: float | None = strawberry.field(description="The sum of `sum` over what was counted; null without `sum`")
    synthetic: SyntheticShare


@strawberry.type(description="One measure's rows: every group with something in it, in order")
class Indicator:
    of: str
    group_by: list[str]
    sum: str | None
    rows: list[IndicatorRow]
    count: int = strawberry.field(description="Everything counted, each once (a row per chain may count it in several)")
    synthetic: SyntheticShare


@strawberry.type(description="A name for people")
class Label:
    table: str = strawberry.field(description="kind, relationship, value (a coded value) or column")
    code: str
    label: str


def indicator_type(found: queries.Indicator) -> Indicator:
    rows = [IndicatorRow(group=[IndicatorGroup(dimension=v.dimension, value=v.value, label=v.label) for v in row.group],
                         count=row.count, sum=row.sum, synthetic=synthetic_share(row.synthetic)) for row in found.rows]
    measure = found.measure
    return Indicator(of=measure.of, group_by=list(measure.group_by), sum=measure.sum, rows=rows, count=found.count,
                     synthetic=synthetic_share(found.synthetic))


@strawberry.type
class IndicatorQuery:
    @strawberry.field(description="Counts and sums for dashboards, grouped by district, zone, chain, year, level or type, "
                                  "several measures in one call (each reads everything of its kind)")
    async def indicators(
        self, info: Info, measures: list[IndicatorMeasure],
        lang: Annotated[labels.Lang, strawberry.argument(description="Language of the group labels")] = labels.Lang.ZH,
    ) -> list[Indicator]:
        asked = [queries.Measure(m.of, tuple(m.group_by), m.sum) for m in measures]
        return [indicator_type(found) for found in await run_insight(info, queries.indicators, asked, lang)]

    @strawberry.field(description="Names of node kinds, relationship types, coded values and file columns")
    def labels(self, lang: labels.Lang = labels.Lang.ZH) -> list[Label]:
        pick = 0 if lang is labels.Lang.ZH else 1
        return [Label(table=table, code=code, label=names[pick])
                for table, entries in labels.TABLES.items() for code, names in entries.items()]
