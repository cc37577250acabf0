// 百千万: progress against the plan's yearly targets (100 doctoral, 1,000 master's, 10,000 skilled).
import { gql } from "../api";
import { chart } from "../charts";
import { formatNumber, h } from "../dom";
import { codeName, t } from "../i18n";
import { table } from "../table";
import { YEARS } from "./gaps";

interface Progress {
  target: string;
  goal: number;
  trained: number;
  progress: number;
}

interface YearTargets {
  year: number;
  targets: Progress[];
}

const PLAN = `query Plan($from: Int!, $to: Int!) {
  planTargets(fromYear: $from, toYear: $to) { method years { year targets { target goal trained progress } } }
}`;

export async function planView(view: HTMLElement): Promise<void> {
  const { planTargets } = await gql<{ planTargets: { method: string; years: YearTargets[] } }>(PLAN, { from: YEARS[0], to: YEARS[YEARS.length - 1] });
  const targets = planTargets.years[0]?.targets.map((progress) => progress.target) ?? [];
  const bars = h("div", { class: "chart", "data-chart": "plan-targets" });
  requestAnimationFrame(() => void chart(bars, {
    tooltip: { trigger: "axis", valueFormatter: (value: number) => `${value}%` },
    legend: { data: targets.map(codeName) },
    xAxis: { type: "category", data: planTargets.years.map((year) => String(year.year)) },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: targets.map((target) => ({
      name: codeName(target), type: "bar",
      data: planTargets.years.map((year) => Number(((year.targets.find((found) => found.target === target)?.progress ?? 0) * 100).toFixed(1))),
      markLine: { silent: true, data: [{ yAxis: 100 }] },
    })),
  }));
  const rows = planTargets.years.flatMap((year) => year.targets.map((progress) => ({ year: year.year, ...progress })));
  view.replaceChildren(h("h1", {}, t("planTitle")), bars,
    h("details", {}, h("summary", {}, t("method")), h("p", {}, planTargets.method)),
    table(`plan-targets-${YEARS[0]}-${YEARS[YEARS.length - 1]}`, [
      { title: t("year"), value: (row) => row.year },
      { title: t("target"), value: (row) => codeName(row.target) },
      { title: t("goal"), value: (row) => row.goal },
      { title: t("trained"), value: (row) => Number(row.trained.toFixed(1)), render: (row) => formatNumber(row.trained, 1) },
      { title: t("progress"), value: (row) => Number((row.progress * 100).toFixed(1)), render: (row) => `${(row.progress * 100).toFixed(1)}%` },
    ], rows));
}
