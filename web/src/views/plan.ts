// 百千万: progress against the plan's targets (100 doctoral, 1,000 master's, 10,000 skilled),
// each on its own basis (the 2021–2025 period as a whole, or every year), and who was trained when.
import { gql } from "../api";
import { chart } from "../charts";
import { formatNumber, h } from "../dom";
import { codeName, t } from "../i18n";
import { table } from "../table";
import { YEARS } from "./gaps";

interface Progress {
  target: string;
  basis: string;
  goal: number;
  counts: string;
  trained: number;
  progress: number;
  yearsMet: number | null;
  years: { year: number; trained: number }[];
}

const PLAN = `query Plan($from: Int!, $to: Int!) {
  planTargets(fromYear: $from, toYear: $to) {
    method synthetic { share }
    targets { target basis goal counts trained progress yearsMet years { year trained } }
  }
}`;

export async function planView(view: HTMLElement): Promise<void> {
  const [from, to] = [YEARS[0], YEARS[YEARS.length - 1]];
  const { planTargets } = await gql<{ planTargets: { method: string; synthetic: { share: number }; targets: Progress[] } }>(PLAN, { from, to });
  const bars = h("div", { class: "chart", "data-chart": "plan-targets" });
  const percent = (progress: number) => Number((progress * 100).toFixed(1));
  requestAnimationFrame(() => void chart(bars, {
    tooltip: { trigger: "axis", valueFormatter: (value: number) => `${value}%` },
    grid: { left: 60, right: 60, top: 30, bottom: 40 },
    xAxis: { type: "category", data: planTargets.targets.map((target) => `${codeName(target.target)} · ${codeName(target.basis)}`) },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: [{
      name: t("progress"), type: "bar", barMaxWidth: 80, label: { show: true, position: "top", formatter: "{c}%" },
      data: planTargets.targets.map((target) => percent(target.progress)),
      markLine: { silent: true, symbol: "none", data: [{ yAxis: 100 }] },
    }],
  }));
  const byYear = planTargets.targets.flatMap((target) => target.years.map((year) => ({ target: target.target, ...year })));
  view.replaceChildren(h("h1", {}, `${t("planTitle")} · ${from}–${to}`), bars,
    h("p", { class: "synthetic" }, `${t("syntheticShare")}: ${percent(planTargets.synthetic.share)}%`),
    h("details", {}, h("summary", {}, t("method")), h("p", {}, planTargets.method)),
    table(`plan-progress-${from}-${to}`, [
      { title: t("target"), value: (row) => codeName(row.target) },
      { title: t("basis"), value: (row) => codeName(row.basis) },
      { title: t("goal"), value: (row) => row.goal },
      { title: t("trained"), value: (row) => row.trained, render: (row) => formatNumber(row.trained) },
      { title: t("progress"), value: (row) => percent(row.progress), render: (row) => `${percent(row.progress)}%` },
      { title: t("yearsMet"), value: (row) => row.yearsMet },
      { title: t("counts"), value: (row) => row.counts },
    ], planTargets.targets),
    h("h2", {}, t("trainedByYear")),
    table(`plan-targets-by-year-${from}-${to}`, [
      { title: t("year"), value: (row) => row.year },
      { title: t("target"), value: (row) => codeName(row.target) },
      { title: t("trained"), value: (row) => row.trained, render: (row) => formatNumber(row.trained) },
    ], byYear));
}
