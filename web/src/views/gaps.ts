// 人才缺口: a chain's gap by discipline (bars), over the years (lines), by district (a grid of
// Shanghai's 16 districts) and its coverage gaps (lists with counts). One analysis per request.
import { gql } from "../api";
import { chart } from "../charts";
import { formatNumber, h, link } from "../dom";
import { t } from "../i18n";
import { kindName, statusName, valueName } from "../labels";
import { table } from "../table";

export const YEARS = [2021, 2022, 2023, 2024, 2025];
const DEFAULT_YEAR = 2024;
const TOP_ROWS = 20;

interface Row {
  demand: number;
  supply: number;
  gap: number;
  ratio: number | null;
  status: string;
  discipline: { id: string; code: string; name: string };
}

interface Gap {
  year: number;
  totalDemand: number;
  totalSupply: number;
  totalGap: number;
  method: string;
  synthetic: { share: number };
}

interface DistrictGap {
  code: string | null;
  totalDemand: number;
  totalSupply: number;
  gap: number;
  status: string;
}

interface Named {
  id: string;
  code?: string;
  name: string;
}

const CHAINS = `{ industryChains(first: 100, orderBy: [{field: CODE}]) { nodes { id code name tier } } }`;
const TALENT_GAP = `query TalentGap($year: Int!, $chain: String) {
  talentGap(year: $year, chain: $chain) {
    year totalDemand totalSupply totalGap method synthetic { share }
    rows(first: 100) { demand supply gap ratio status discipline { id code name } }
  }
}`;
const TREND = `query Trend($from: Int!, $to: Int!, $chain: String) {
  talentGapTrend(fromYear: $from, toYear: $to, chain: $chain) { year totalDemand totalSupply totalGap }
}`;
const BY_DISTRICT = `query ByDistrict($year: Int!, $chain: String) {
  districts(first: 20, orderBy: [{field: CODE}]) { nodes { id code name } }
  talentGapByDistrict(year: $year, chain: $chain) { code totalDemand totalSupply gap status }
}`;
const COVERAGE = `query Coverage($year: Int!, $chain: String) {
  coverageGaps(chain: $chain, year: $year, first: 100) {
    disciplinesNotOffered { count items { discipline { id code name } chains { code name } } }
    areasWithoutBase { count items { areaKind baseType chain { code name } area { id ... on District { name } ... on Zone { name } } } }
    schoolsWithoutMentor { count items { school { id name } disciplines { code } } }
    chainsWithoutAlliance { count items { chain { id code name } } }
    enterprisesWithoutAlliance { count items { enterprise { id name } chains { code } } }
  }
}`;

function entityLink(node: { id: string; name: string }): HTMLAnchorElement {
  return link(`#/entity/${encodeURIComponent(node.id)}`, node.name);
}

function section(title: string, ...content: (Node | string)[]): HTMLElement {
  return h("section", {}, h("h2", {}, title), ...content);
}

async function byDiscipline(year: number, chain: string | null, label: string): Promise<HTMLElement> {
  const { talentGap } = await gql<{ talentGap: Gap & { rows: Row[] } }>(TALENT_GAP, { year, chain });
  const top = [...talentGap.rows].sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap)).slice(0, TOP_ROWS).reverse();
  const bars = h("div", { class: "chart tall", "data-chart": "talent-gap" });
  requestAnimationFrame(() => void chart(bars, {
    tooltip: { trigger: "axis" },
    legend: { data: [t("demand"), t("supply"), t("gap")], top: 0 },
    grid: { left: 170, right: 30, top: 30, bottom: 30 },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: top.map((row) => row.discipline.name), axisLabel: { width: 160, overflow: "truncate" } },
    series: [
      { name: t("demand"), type: "bar", data: top.map((row) => row.demand) },
      { name: t("supply"), type: "bar", data: top.map((row) => row.supply) },
      { name: t("gap"), type: "bar", data: top.map((row) => row.gap) },
    ],
  }));
  return section(`${t("gapByDiscipline")} · ${label} · ${year}`,
    h("p", { class: "totals" }, `${t("demand")} ${formatNumber(talentGap.totalDemand)} · ${t("supply")} ${formatNumber(talentGap.totalSupply)} · ${t("gap")} ${formatNumber(talentGap.totalGap)}`),
    h("p", { class: "synthetic" }, `${t("syntheticShare")}: ${(talentGap.synthetic.share * 100).toFixed(1)}%`),
    bars,
    h("details", {}, h("summary", {}, t("method")), h("p", {}, talentGap.method)),
    table<Row>(`talent-gap-${chain ?? "all"}-${year}`, [
      { title: t("code"), value: (row) => row.discipline.code },
      { title: t("discipline"), value: (row) => row.discipline.name, render: (row) => entityLink(row.discipline) },
      { title: t("demand"), value: (row) => row.demand },
      { title: t("supply"), value: (row) => row.supply },
      { title: t("gap"), value: (row) => row.gap },
      { title: t("ratio"), value: (row) => (row.ratio === null ? null : Number(row.ratio.toFixed(3))) },
      { title: t("status"), value: (row) => statusName(row.status) },
    ], talentGap.rows));
}

async function trend(chain: string | null, label: string): Promise<HTMLElement> {
  const { talentGapTrend } = await gql<{ talentGapTrend: Gap[] }>(TREND, { from: YEARS[0], to: YEARS[YEARS.length - 1], chain });
  const lines = h("div", { class: "chart", "data-chart": "talent-gap-trend" });
  const series = (["totalDemand", "totalSupply", "totalGap"] as const).map((field, index) => ({
    name: [t("demand"), t("supply"), t("gap")][index], type: "line", data: talentGapTrend.map((gap) => gap[field]),
  }));
  requestAnimationFrame(() => void chart(lines, {
    tooltip: { trigger: "axis" },
    legend: { data: series.map((line) => line.name), top: 0 },
    xAxis: { type: "category", data: talentGapTrend.map((gap) => String(gap.year)) },
    yAxis: { type: "value" },
    series,
  }));
  return section(`${t("gapTrend")} · ${label}`, lines, table<Gap>(`talent-gap-trend-${chain ?? "all"}`, [
    { title: t("year"), value: (gap) => gap.year },
    { title: t("demand"), value: (gap) => gap.totalDemand },
    { title: t("supply"), value: (gap) => gap.totalSupply },
    { title: t("gap"), value: (gap) => gap.totalGap },
  ], talentGapTrend));
}

async function byDistrict(year: number, chain: string | null, label: string): Promise<HTMLElement> {
  const { districts, talentGapByDistrict } = await gql<{ districts: { nodes: Named[] }; talentGapByDistrict: DistrictGap[] }>(BY_DISTRICT, { year, chain });
  const gaps = new Map(talentGapByDistrict.map((gap) => [gap.code, gap]));
  const largest = Math.max(1, ...talentGapByDistrict.map((gap) => Math.abs(gap.gap)));
  const cells = districts.nodes.map((district) => {
    const gap = gaps.get(district.code ?? "");
    const share = gap ? Math.abs(gap.gap) / largest : 0;
    const colour = !gap ? "#f4f4f4" : gap.gap > 0 ? `rgba(194, 53, 49, ${0.15 + 0.85 * share})` : `rgba(47, 128, 84, ${0.15 + 0.85 * share})`;
    return h("div", { class: "district-cell", style: `background:${colour}`, "data-district": district.code ?? "" },
      h("strong", {}, entityLink(district)),
      h("span", {}, gap ? `${t("gap")} ${formatNumber(gap.gap)}` : t("none")),
      h("small", {}, gap ? `${t("demand")} ${formatNumber(gap.totalDemand)} / ${t("supply")} ${formatNumber(gap.totalSupply)}` : ""));
  });
  const named = new Map(districts.nodes.map((district) => [district.code ?? "", district.name]));
  return section(`${t("gapByDistrict")} · ${label} · ${year}`, h("div", { class: "district-grid" }, ...cells),
    table<DistrictGap>(`talent-gap-by-district-${chain ?? "all"}-${year}`, [
      { title: t("code"), value: (gap) => gap.code },
      { title: t("district"), value: (gap) => named.get(gap.code ?? "") ?? gap.code },
      { title: t("demand"), value: (gap) => gap.totalDemand },
      { title: t("supply"), value: (gap) => gap.totalSupply },
      { title: t("gap"), value: (gap) => gap.gap },
      { title: t("status"), value: (gap) => statusName(gap.status) },
    ], talentGapByDistrict));
}

interface Coverage {
  disciplinesNotOffered: { count: number; items: { discipline: Named; chains: Named[] }[] };
  areasWithoutBase: { count: number; items: { areaKind: string; baseType: string; chain: Named; area: Named }[] };
  schoolsWithoutMentor: { count: number; items: { school: Named; disciplines: { code: string }[] }[] };
  chainsWithoutAlliance: { count: number; items: { chain: Named }[] };
  enterprisesWithoutAlliance: { count: number; items: { enterprise: Named; chains: { code: string }[] }[] };
}

async function coverage(year: number, chain: string | null, label: string): Promise<HTMLElement> {
  const { coverageGaps: gaps } = await gql<{ coverageGaps: Coverage }>(COVERAGE, { year, chain });
  const codes = (items: { code?: string }[]) => items.map((item) => item.code).join(" ");
  const suffix = `${chain ?? "all"}-${year}`;
  const part = (key: keyof Coverage, content: HTMLElement) =>
    h("details", { class: "coverage", open: gaps[key].count > 0 }, h("summary", {}, `${t(key)} · ${t("count")} ${gaps[key].count}`), content);
  return section(`${t("coverageGaps")} · ${label} · ${year}`,
    part("disciplinesNotOffered", table(`disciplines-not-offered-${suffix}`, [
      { title: t("code"), value: (item) => item.discipline.code ?? "" },
      { title: t("discipline"), value: (item) => item.discipline.name, render: (item) => entityLink(item.discipline) },
      { title: t("chains"), value: (item) => codes(item.chains) },
    ], gaps.disciplinesNotOffered.items)),
    part("areasWithoutBase", table(`areas-without-base-${suffix}`, [
      { title: t("area"), value: (item) => item.area.name, render: (item) => entityLink(item.area) },
      { title: t("kind"), value: (item) => kindName(item.areaKind) },
      { title: t("baseType"), value: (item) => valueName(item.baseType) },
      { title: t("chain"), value: (item) => item.chain.name },
    ], gaps.areasWithoutBase.items)),
    part("schoolsWithoutMentor", table(`schools-without-mentor-${suffix}`, [
      { title: t("name"), value: (item) => item.school.name, render: (item) => entityLink(item.school) },
      { title: t("disciplines"), value: (item) => codes(item.disciplines) },
    ], gaps.schoolsWithoutMentor.items)),
    part("chainsWithoutAlliance", table(`chains-without-alliance-${suffix}`, [
      { title: t("code"), value: (item) => item.chain.code ?? "" },
      { title: t("chain"), value: (item) => item.chain.name, render: (item) => entityLink(item.chain) },
    ], gaps.chainsWithoutAlliance.items)),
    part("enterprisesWithoutAlliance", table(`enterprises-without-alliance-${suffix}`, [
      { title: t("name"), value: (item) => item.enterprise.name, render: (item) => entityLink(item.enterprise) },
      { title: t("chains"), value: (item) => codes(item.chains) },
    ], gaps.enterprisesWithoutAlliance.items)),
  );
}

export async function gapsView(view: HTMLElement, params: URLSearchParams): Promise<void> {
  const chain = params.get("chain") || null;
  const year = YEARS.includes(Number(params.get("year"))) ? Number(params.get("year")) : DEFAULT_YEAR;
  const { industryChains } = await gql<{ industryChains: { nodes: (Named & { tier: string })[] } }>(CHAINS);
  const label = industryChains.nodes.find((found) => found.code === chain)?.name ?? t("allChains");
  const chains = h("select", { name: "chain" }, h("option", { value: "" }, t("allChains")),
    ...industryChains.nodes.map((found) => h("option", { value: found.code ?? "", selected: found.code === chain }, `${found.tier === "segment" ? "　" : ""}${found.code} ${found.name}`)));
  const years = h("select", { name: "year" }, ...YEARS.map((value) => h("option", { value, selected: value === year }, String(value))));
  const show = (event: Event) => {
    event.preventDefault();
    location.hash = `#/gaps?chain=${encodeURIComponent(chains.value)}&year=${years.value}`;
  };
  view.replaceChildren(h("h1", {}, t("navGaps")),
    h("form", { class: "controls", onsubmit: show }, h("label", {}, t("chain"), chains), h("label", {}, t("year"), years), h("button", { type: "submit", class: "show-gaps" }, t("show"))));
  const parts = await Promise.all([byDiscipline(year, chain, label), trend(chain, label), byDistrict(year, chain, label), coverage(year, chain, label)]);
  view.append(...parts);
}
